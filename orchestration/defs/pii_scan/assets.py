"""Scanner outputs as assets: scan bookkeeping, findings, the notification outbox and the
write-back manifest. The ingest assets scan and redact; these report and publish what they found.
"""

from typing import Any

import dagster as dg

from orchestration.defs.pii_scan.notifications import OUTBOX_DDL, refresh_outbox
from orchestration.defs.pii_scan.writeback import write_writeback_manifest
from orchestration.lib import settings
from orchestration.lib.asset_keys import landing_key
from orchestration.lib.crm_export import read_export
from orchestration.lib.crm_schema import TABLES
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

PII_SCAN_GROUP = "pii_scan"
OUTPUTS_GROUP = "outputs"
FREE_TEXT_INGEST_KEYS = [landing_key(t.name) for t in TABLES if t.free_text_columns]


def special_categories() -> frozenset[str]:
    """Art. 9 entity types, as the scanner configuration names them."""
    from pii_scanners.config import load_config

    return load_config().special_category_entities


@dg.asset(
    key=landing_key("free_text_scan_status"),
    group_name=PII_SCAN_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    deps=FREE_TEXT_INGEST_KEYS,
    description=(
        "One row per free-text value: table, column, record id, scan status, scanner version "
        "and keyed hash (never the text). Written by the ingest assets through the scanner seam."
    ),
)
def free_text_scan_status(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        rows = con.execute(
            """select table_name, column_name, scan_status, count(*)
               from landing.free_text_scan_status group by all order by all"""
        ).fetchall()
    metadata: dict[str, Any] = {
        f"{table}.{column}: {status}": dg.MetadataValue.int(n) for table, column, status, n in rows
    }
    metadata["values_total"] = dg.MetadataValue.int(sum(r[3] for r in rows))
    metadata["values_unscanned"] = dg.MetadataValue.int(
        sum(r[3] for r in rows if r[2] == "unscanned")
    )
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    key=landing_key("note_findings"),
    group_name=PII_SCAN_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "presidio"},
    deps=FREE_TEXT_INGEST_KEYS,
    description=(
        "Scanner findings: record, column, category, offsets, score, recognizer and scanner "
        "version; never the matched text. Written by the ingest assets."
    ),
)
def note_findings(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        by_type = con.execute(
            "select entity_type, count(*) from landing.note_findings group by 1 order by 1"
        ).fetchall()
        by_table = con.execute(
            "select record_table, count(*) from landing.note_findings group by 1 order by 1"
        ).fetchall()
    metadata: dict[str, Any] = {
        f"findings: {entity}": dg.MetadataValue.int(n) for entity, n in by_type
    }
    metadata.update({f"table: {table}": dg.MetadataValue.int(n) for table, n in by_table})
    metadata["findings_total"] = dg.MetadataValue.int(sum(n for _, n in by_type))
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    key=landing_key("redaction_notifications"),
    group_name=PII_SCAN_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    deps=[landing_key("note_findings")],
    description=(
        "Notification outbox: each data subject whose free text held special-category data, "
        "with table, column and categories (never the text), for the CRM to tell them."
    ),
)
def redaction_notifications(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        con.execute(OUTBOX_DDL)
        added = refresh_outbox(con, special_categories())
        pending = con.execute(
            """select count(*) from landing.redaction_notifications
               where notification_status = 'pending'"""
        ).fetchall()[0][0]
    return dg.MaterializeResult(
        metadata={
            "notifications_added": dg.MetadataValue.int(added),
            "notifications_pending": dg.MetadataValue.int(int(pending)),
        }
    )


@dg.asset(
    key=dg.AssetKey(["outputs", "redaction_writeback_manifest"]),
    group_name=OUTPUTS_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"json"},
    deps=[landing_key("note_findings")],
    description=(
        "JSON Lines file telling the CRM which free-text fields to replace with their redacted "
        "text (the CRM is the system of record)."
    ),
)
def redaction_writeback_manifest(
    warehouse: WarehouseResource, pipeline_settings: PipelineSettings
) -> dg.MaterializeResult:
    export = read_export(pipeline_settings.resolved_export_dir())
    path = settings.data_dir() / "outputs" / "redaction_writeback" / f"{export.export_id}.jsonl"
    with warehouse.get_connection() as con:
        lines = write_writeback_manifest(con, path)
    return dg.MaterializeResult(
        metadata={"path": dg.MetadataValue.path(str(path)), "fields": dg.MetadataValue.int(lines)}
    )
