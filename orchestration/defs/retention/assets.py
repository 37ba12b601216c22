"""The deletion manifest asset (group ``outputs``): built on every nightly run.

It reads the governance marts, writes the manifest files and tables itself and returns only its
id, paths and counts as metadata (DESIGN.md: the default IO manager would pickle data).
"""

import datetime as dt
from typing import Any

import dagster as dg
import duckdb

from orchestration.defs.erasure.apply import legally_held
from orchestration.defs.retention import sources, store
from orchestration.defs.retention.items import DELETABLE_STATUSES, build_items, load_policy
from orchestration.defs.retention.manifest import (
    build_manifest,
    write_manifest,
)
from orchestration.lib import audit_log, settings
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

OUTPUTS_GROUP = "outputs"
DELETION_MANIFEST_KEY = dg.AssetKey(["outputs", "deletion_manifest"])
HELD_CHECK = dg.AssetCheckSpec(
    name="deletion_manifest__never_deletes_a_held_record",
    asset=DELETION_MANIFEST_KEY,
    description=(
        "No delete item targets a record under a statutory hold (status restricted) or an "
        "active legal hold (Art. 17(3)(b), (e) GDPR): such records are only restricted."
    ),
)


def held_deletes(con: duckdb.DuckDBPyConnection, items: list[dict[str, Any]]) -> int:
    """Delete items on held records: by their status, and against the live legal holds."""
    deletes = [i for i in items if i["action"] == "delete"]
    held = legally_held(con, dt.datetime.now(tz=dt.UTC).replace(tzinfo=None))
    return sum(
        1
        for i in deletes
        if i["retention_status"] not in DELETABLE_STATUSES
        or (i["record_table"], i["record_id"]) in held
    )


def manifest_metadata(
    manifest: dict[str, Any], manifest_id: str, diff: store.ManifestDiff, paths: dict[str, str]
) -> dict[str, Any]:
    """Ids, paths and counts only (never a subject or record id)."""
    summary = manifest["summary"]
    metadata: dict[str, Any] = {
        "manifest_id": manifest_id,
        "as_of": manifest["as_of"],
        "json_path": dg.MetadataValue.path(paths["json"]),
        "csv_path": dg.MetadataValue.path(paths["csv"]),
        "items": dg.MetadataValue.int(summary["items"]),
        "previous_manifest_id": diff.previous_manifest_id or "none",
        "diff: new": dg.MetadataValue.int(diff.new_items),
        "diff: carried over": dg.MetadataValue.int(diff.carried_over_items),
        "diff: resolved": dg.MetadataValue.int(diff.resolved_items),
    }
    for action, count in summary["by_action"].items():
        metadata[f"action: {action}"] = dg.MetadataValue.int(count)
    for key, count in summary["by_reason_and_action"].items():
        metadata[f"reason/action: {key}"] = dg.MetadataValue.int(count)
    return metadata


@dg.asset(
    key=DELETION_MANIFEST_KEY,
    group_name=OUTPUTS_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"json", "csv", "duckdb"},
    check_specs=[HELD_CHECK],
    deps=[
        dg.AssetKey(["governance", "deletion_candidates"]),
        dg.AssetKey(["governance", "record_retention_statuses"]),
        dg.AssetKey(["landing", "note_findings"]),
    ],
    description=(
        "Deletion manifest of the run: per subject, record and (where only a field goes) column "
        "the action delete / anonymize / restrict with reason, rule, legal reference and due date. "
        "Canonical JSON + CSV under data/manifests/<as_of>/<sha256>.{json,csv} and the tables "
        "governance_ops.deletion_manifests / deletion_manifest_items. Executed only by "
        "erase_manifest_job."
    ),
)
def deletion_manifest(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    pipeline_settings: PipelineSettings,
) -> dg.MaterializeResult:
    as_of = pipeline_settings.resolved_as_of()
    with warehouse.get_connection() as con:
        marts_as_of = sources.candidates_as_of(con)
        if marts_as_of and marts_as_of != [as_of]:
            raise dg.Failure(
                f"governance.deletion_candidates was built for {marts_as_of}, not {as_of}: "
                "rebuild the dbt models for this as_of before writing its manifest"
            )
        manifest = build_manifest(
            as_of,
            build_items(
                sources.deletion_candidates(con),
                sources.writeback_fields(con),
                sources.photo_consent_withdrawn_customers(con),
                as_of,
                load_policy(),
            ),
            sources.export_ids(con),
            sources.retention_rule_rows(con),
        )
        written = write_manifest(manifest, settings.data_dir())
        store.ensure_tables(con)
        diff = store.recorded_diff(con, written.manifest_id)
        inserted = diff is None
        if diff is None:
            previous = store.previous_manifest_id(con, written.manifest_id, as_of)
            diff = store.diff_against(con, previous, [i["item_id"] for i in manifest["items"]])
            store.record_manifest(con, written, manifest, diff, dt.datetime.now(tz=dt.UTC))
        pruned = store.prune_items(con, as_of, store.items_keep_days())
        violations = held_deletes(con, manifest["items"])
        audit_log.sync_mirror(con, audit_log.audit_log_path(settings.data_dir()))
    if not inserted:
        context.log.info(f"manifest {written.manifest_id[:12]} was already recorded (same inputs)")
    metadata = manifest_metadata(
        manifest,
        written.manifest_id,
        diff,
        {"json": str(written.json_path), "csv": str(written.csv_path)},
    )
    metadata["old manifest items pruned from the table"] = dg.MetadataValue.int(pruned)
    return dg.MaterializeResult(
        metadata=metadata,
        check_results=[
            dg.AssetCheckResult(
                check_name=HELD_CHECK.name,
                passed=violations == 0,
                metadata={"delete_items_on_held_records": dg.MetadataValue.int(violations)},
            )
        ],
    )
