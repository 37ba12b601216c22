"""The notification file as an asset of the nightly run (group ``outputs``)."""

from collections import Counter

import dagster as dg

from orchestration.defs.dsr.notifications import notification_rows, write_notifications
from orchestration.lib import settings
from orchestration.lib.actor import from_run_tags
from orchestration.lib.dsr_exports import prune_expired_exports, stored_exports
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

NOTIFICATIONS_KEY = dg.AssetKey(["outputs", "subject_notifications"])


@dg.asset(
    key=NOTIFICATIONS_KEY,
    group_name="outputs",
    pool=WAREHOUSE_POOL,
    kinds={"json", "csv"},
    deps=[
        dg.AssetKey(["landing", "redaction_notifications"]),
        dg.AssetKey(["governance", "data_subject_requests"]),
    ],
    description=(
        "File the CRM sends notifications from: subjects whose free text was redacted (pending "
        "outbox rows) and data-subject requests that were completed; ids, categories and dates "
        "only. data/outputs/notifications/<as_of>/notifications.{jsonl,csv}"
    ),
)
def subject_notifications(
    warehouse: WarehouseResource, pipeline_settings: PipelineSettings
) -> dg.MaterializeResult:
    as_of = pipeline_settings.resolved_as_of()
    with warehouse.get_connection() as con:
        records = notification_rows(con)
    directory = settings.data_dir() / "outputs" / "notifications" / as_of.isoformat()
    jsonl, csv_path = write_notifications(records, directory)
    kinds = Counter(str(r["kind"]) for r in records)
    return dg.MaterializeResult(
        metadata={
            "jsonl_path": dg.MetadataValue.path(str(jsonl)),
            "csv_path": dg.MetadataValue.path(str(csv_path)),
            "notifications": dg.MetadataValue.int(len(records)),
            **{f"kind: {k}": dg.MetadataValue.int(n) for k, n in sorted(kinds.items())},
        }
    )


@dg.asset(
    key=dg.AssetKey(["outputs", "dsr_export_retention"]),
    group_name="outputs",
    pool=WAREHOUSE_POOL,
    description=(
        "Prunes Art. 15 export folders and zips (data/exports_dsr) older than "
        "CRM_DSR_EXPORT_RETENTION_DAYS (default 30); each pruning is an audit-log entry. "
        "Request labels and counts only."
    ),
)
def dsr_export_retention(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    data_dir = settings.data_dir()
    days = settings.dsr_export_retention_days()
    pruned = prune_expired_exports(
        data_dir,
        retention_days=days,
        run_id=context.run.run_id,
        launched_by=from_run_tags(context.run.tags),
    )
    context.log.info(f"Art. 15 exports: {len(pruned)} pruned (older than {days} days)")
    return dg.MaterializeResult(
        metadata={
            "retention_days": dg.MetadataValue.int(days),
            "exports_pruned": dg.MetadataValue.int(len(pruned)),
            "exports_kept": dg.MetadataValue.int(len(stored_exports(data_dir))),
        }
    )
