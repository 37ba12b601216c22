"""The erasure as a Dagster asset in group ``erasure`` and its explicit job ``erase_manifest_job``.

The nightly job selects every asset except group ``erasure`` (``nightly/jobs.py``), so a
manifest is only ever executed when someone launches this job with its id (REQUIREMENTS.md R4:
"a separate, explicit step"). The asset replaces the warehouse file, so it is in the warehouse
pool and opens no connection through the resource: it only takes the resource's path.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from orchestration.defs.erasure.dry_run import dry_run_erasure
from orchestration.defs.erasure.runner import ErasureOutcome, execute_erasure
from orchestration.lib import settings
from orchestration.lib.actor import from_run_tags
from orchestration.lib.audit_log import audit_log_path
from orchestration.lib.deletion_manifest import ASSET_KEY_PATH, find_manifest
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

ERASURE_GROUP = "erasure"
MANIFEST_ERASURE_KEY = dg.AssetKey(["erasure", "manifest_erasure"])


class EraseManifestConfig(dg.Config):
    """Which manifest to execute, and whether only to show what it would delete."""

    manifest_id: str = Field(
        default="",
        description=(
            "Required. sha256 id of the deletion manifest (see the deletion_manifest asset's "
            "metadata or data/manifests/<as_of>/latest.json); a unique prefix of 12+ hex "
            "digits, or 'latest'."
        ),
    )
    dry_run: bool = Field(
        default=False,
        description=(
            "true: log what would be deleted (rows per table, counts only) and delete nothing; "
            "no audit entry, the asset is not materialized."
        ),
    )


def outcome_metadata(outcome: ErasureOutcome, audit_path: Path) -> dict[str, Any]:
    """Ids, counts, sizes and times only."""
    metadata: dict[str, Any] = {
        "manifest_id": outcome.manifest_id,
        "execution_id": outcome.execution_id,
        "outcome": outcome.outcome,
        "attempts": dg.MetadataValue.int(outcome.attempts),
        "resumed": outcome.resumed,
        "verified": outcome.verification.ok,
        "warehouse_bytes_before": dg.MetadataValue.int(outcome.bytes_before),
        "warehouse_bytes_after": dg.MetadataValue.int(outcome.bytes_after),
        "seconds": dg.MetadataValue.float(round(outcome.seconds, 2)),
        "audit_log": dg.MetadataValue.path(str(audit_path)),
        "audit_entry_hash": outcome.audit_entry["entry_hash"],
        "subject_keys_scanned": dg.MetadataValue.int(outcome.verification.keys_scanned),
        "restricted_records_kept": dg.MetadataValue.int(outcome.verification.restricted_present),
    }
    if outcome.applied is not None:
        metadata["rows_deleted"] = dg.MetadataValue.int(outcome.applied.rows_deleted)
        metadata["fields_cleared"] = dg.MetadataValue.int(outcome.applied.fields_cleared)
        metadata["records_skipped_legal_hold"] = dg.MetadataValue.int(
            len(outcome.applied.skipped_legal_hold)
        )
        for table, counts in sorted(outcome.applied.counts.items()):
            for kind, count in counts.items():
                metadata[f"{kind}: {table}"] = dg.MetadataValue.int(count)
    return metadata


@dg.asset(
    key=MANIFEST_ERASURE_KEY,
    group_name=ERASURE_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    deps=[dg.AssetKey(list(ASSET_KEY_PATH))],
    output_required=False,
    description=(
        "Executes one deletion manifest: deletes its records from every warehouse table, copies "
        "the database to a fresh file so no old bytes remain, verifies that no erased key is "
        "left and appends to the hash-chained audit log (data/audit/audit_log.jsonl, "
        "governance_ops.audit_log). Crash-safe: re-run with the same id after any interruption. "
        "The audit log names the launcher from the run tag crm/actor or dagster/user."
    ),
)
def manifest_erasure(
    context: dg.AssetExecutionContext,
    config: EraseManifestConfig,
    warehouse: WarehouseResource,
) -> Iterator[dg.MaterializeResult]:
    if not config.manifest_id.strip():
        raise dg.Failure(
            description=(
                "manifest_id is empty: give the id of a deletion manifest (or 'latest'); set "
                "dry_run: true first to see what it would delete."
            )
        )
    data_dir = settings.data_dir()
    manifest_path = find_manifest(config.manifest_id.strip(), data_dir)
    database = Path(warehouse.database).resolve()
    if config.dry_run:
        for line in dry_run_erasure(manifest_path, database).lines():
            context.log.info(line)
        return
    outcome = execute_erasure(
        manifest_path,
        database,
        data_dir,
        run_id=context.run.run_id,
        launched_by=from_run_tags(context.run.tags),
    )
    context.log.info(
        f"manifest {outcome.manifest_id[:12]}: {outcome.outcome} after "
        f"{outcome.attempts} attempt(s), verified={outcome.verification.ok}"
    )
    yield dg.MaterializeResult(metadata=outcome_metadata(outcome, audit_log_path(data_dir)))


#: The op that runs the asset (Dagster names it after the asset key).
ERASURE_OP = "erasure__manifest_erasure"


@dg.config_mapping
def erase_manifest_config(config: EraseManifestConfig) -> dict:
    """The launchpad shows ``manifest_id`` and ``dry_run`` only, not every resource's fields."""
    return {"ops": {ERASURE_OP: {"config": config.model_dump()}}}


erase_manifest_job = dg.define_asset_job(
    name="erase_manifest_job",
    selection=dg.AssetSelection.groups(ERASURE_GROUP),
    executor_def=dg.in_process_executor,
    config=erase_manifest_config,
    description=(
        "Execute a deletion manifest against the warehouse (explicit; config: manifest_id, "
        "dry_run). Never part of the nightly job."
    ),
)
