"""Scan bookkeeping as an asset, so the UI shows how much free text is (not yet) scanned."""

from typing import Any

import dagster as dg

from orchestration.defs.crm.assets import landing_key
from orchestration.lib.crm_schema import TABLES
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

PII_SCAN_GROUP = "pii_scan"


@dg.asset(
    key=landing_key("free_text_scan_status"),
    group_name=PII_SCAN_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    deps=[landing_key(t.name) for t in TABLES if t.free_text_columns],
    description=(
        "One row per free-text value: table, column, record id, scan status and scanner "
        "version (never the text). Written by the ingest assets through the scanner seam."
    ),
)
def free_text_scan_status(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        rows = con.execute(
            """select table_name, column_name, scan_status, count(*)
               from landing.free_text_scan_status
               group by all order by all"""
        ).fetchall()
    metadata: dict[str, Any] = {
        f"{table}.{column}: {status}": dg.MetadataValue.int(n) for table, column, status, n in rows
    }
    metadata["values_total"] = dg.MetadataValue.int(sum(r[3] for r in rows))
    metadata["values_unscanned"] = dg.MetadataValue.int(
        sum(r[3] for r in rows if r[2] == "unscanned")
    )
    return dg.MaterializeResult(metadata=metadata)
