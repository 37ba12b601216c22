"""The deletion manifest asset (group ``outputs``): built on every nightly run.

It reads the governance marts, computes the items in SQL, writes the manifest files and tables
itself and returns only its id, paths and counts as metadata (DESIGN.md: the default IO manager
would pickle data). Then it prunes manifests older than ``CRM_MANIFEST_RETENTION_DAYS``.
"""

import datetime as dt
from typing import Any

import dagster as dg
import duckdb

from orchestration.defs.retention import items, manifest, pruning, sources, store
from orchestration.lib import audit_log, settings
from orchestration.lib.deletion_manifest import ASSET_KEY_PATH, DELETABLE_STATUSES, retention_days
from orchestration.lib.landing_tables import LANDING_SCHEMA
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource, table_exists

OUTPUTS_GROUP = "outputs"
DELETION_MANIFEST_KEY = dg.AssetKey(list(ASSET_KEY_PATH))
HELD_CHECK = dg.AssetCheckSpec(
    name="deletion_manifest__never_deletes_a_held_record",
    asset=DELETION_MANIFEST_KEY,
    description=(
        "No delete item targets a record under a statutory hold (status restricted) or an "
        "active legal hold (Art. 17(3)(b), (e) GDPR): such records are only restricted."
    ),
)


def held_deletes(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> int:
    """Delete items on held records: by their status, and against the live legal holds."""
    deletable = ", ".join(f"'{s}'" for s in sorted(DELETABLE_STATUSES))
    holds = (
        f"""or (record_table, record_id) in (
                select record_table, record_id from {LANDING_SCHEMA}.legal_holds
                where placed_at <= $now and (released_at is null or released_at > $now))"""
        if table_exists(con, LANDING_SCHEMA, "legal_holds")
        else ""
    )
    rows = con.execute(
        f"""select count(*) from {items.ITEMS}
            where action = 'delete'
              and (retention_status is null or retention_status not in ({deletable}) {holds})""",
        {"now": now.replace(tzinfo=None)} if holds else None,
    ).fetchall()
    return int(rows[0][0])


def manifest_metadata(
    summary: dict[str, Any],
    written: manifest.WrittenManifest,
    as_of: dt.date,
    diff: store.ManifestDiff,
    pruned: pruning.Pruned,
) -> dict[str, Any]:
    """Ids, paths and counts only (never a subject or record id)."""
    metadata: dict[str, Any] = {
        "manifest_id": written.manifest_id,
        "as_of": as_of.isoformat(),
        "json_path": dg.MetadataValue.path(str(written.json_path)),
        "csv_path": dg.MetadataValue.path(str(written.csv_path)),
        "items": dg.MetadataValue.int(summary["items"]),
        "items in the file (added or changed)": dg.MetadataValue.int(written.item_count),
        "json bytes": dg.MetadataValue.int(written.json_bytes),
        "csv bytes": dg.MetadataValue.int(written.csv_bytes),
        "previous_manifest_id": diff.previous_manifest_id or "none",
        "diff: new": dg.MetadataValue.int(diff.new_items),
        "diff: carried over": dg.MetadataValue.int(diff.carried_over_items),
        "diff: status changed": dg.MetadataValue.int(diff.status_changed_items),
        "diff: resolved": dg.MetadataValue.int(diff.resolved_items),
        "manifests pruned (retention)": dg.MetadataValue.int(pruned.manifests),
        "old manifest items pruned from the table": dg.MetadataValue.int(pruned.item_rows),
        "old manifest files pruned": dg.MetadataValue.int(pruned.files),
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
        "The file data/manifests/<as_of>/<sha256>.{json,csv} lists what changed since the "
        "previous manifest and names the full set by its sha256; the full set is in "
        "governance_ops.deletion_manifest_items. Executed only by erase_manifest_job."
    ),
)
def deletion_manifest(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    pipeline_settings: PipelineSettings,
) -> dg.MaterializeResult:
    as_of = pipeline_settings.resolved_as_of()
    data_dir = settings.data_dir()
    now = dt.datetime.now(tz=dt.UTC)
    with warehouse.get_connection() as con:
        marts_as_of = sources.candidates_as_of(con)
        if marts_as_of and marts_as_of != [as_of]:
            raise dg.Failure(
                f"governance.deletion_candidates was built for {marts_as_of}, not {as_of}: "
                "rebuild the dbt models for this as_of before writing its manifest"
            )
        # Under the warehouse's memory limit (lib/warehouse.memory_limit): DuckDB spills the
        # item set's sort instead of growing with the data.
        written, summary, diff, inserted = publish(con, as_of, data_dir, now)
        violations = held_deletes(con, now)
        pruned = pruning.prune_manifests(con, data_dir, as_of, retention_days(), now)
        audit_log.sync_mirror(con, audit_log.audit_log_path(data_dir))
    if not inserted:
        context.log.info(f"manifest {written.manifest_id[:12]} was already recorded (same inputs)")
    return dg.MaterializeResult(
        metadata=manifest_metadata(summary, written, as_of, diff, pruned),
        check_results=[
            dg.AssetCheckResult(
                check_name=HELD_CHECK.name,
                passed=violations == 0,
                metadata={"delete_items_on_held_records": dg.MetadataValue.int(violations)},
            )
        ],
    )


def publish(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, data_dir: Any, now: dt.datetime
) -> tuple[manifest.WrittenManifest, dict[str, Any], store.ManifestDiff, bool]:
    """Items in SQL, diff against the previous manifest, files written, tables recorded.

    Returns the written files, the full set's summary, the diff and whether it was new.
    """
    sources.stage_inputs(con)
    items.build_items(con, as_of, items.load_policy())
    store.ensure_tables(con)
    summary = manifest.summarize(con)
    snapshot = manifest.snapshot_sha256(con)
    rerun = store.same_snapshot(con, as_of, snapshot)
    previous = rerun[1] if rerun else store.previous_manifest_id(con, as_of)
    diff = store.stage_diff(con, previous)
    document = manifest.document_header(
        as_of,
        sources.export_ids(con),
        sources.retention_rule_rows(con),
        summary,
        snapshot,
        diff,
    )
    written = manifest.write_manifest(con, document, data_dir)
    recorded = store.recorded_diff(con, written.manifest_id)
    inserted = False
    if recorded is None:
        inserted = store.record_manifest(
            con,
            {
                "manifest_id": written.manifest_id,
                "as_of": as_of,
                "item_count": summary["items"],
                "by_action": summary["by_action"],
                "json_path": str(written.json_path),
                "csv_path": str(written.csv_path),
                "snapshot_sha256": snapshot,
            },
            diff,
            now,
        )
    return written, summary, recorded or diff, inserted
