"""Rows of erased subjects the CRM delivered again and the ingest did not load.

The executed-erasures section shows their number. Reads
``landing.quarantine`` rows with reason ``erased_subject`` (the contract with the ingest,
``suppression/ingest.py``): per table, row counts only, never content.
"""

from __future__ import annotations

import duckdb

SOURCE = "landing.quarantine"
REASON = "erased_subject"


def suppressed_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Rows suppressed by the latest load of each table (earlier exports' rows are history)."""
    try:
        found = con.execute(
            f"""with latest as (
                    select table_name, arg_max(export_id, loaded_at) as export_id
                    from landing.ingest_log group by table_name
                )
                select q.table_name, count(distinct q.source_row)
                from {SOURCE} q join latest using (table_name, export_id)
                where q.reason = ? group by 1 order by 2 desc, 1""",
            [REASON],
        ).fetchall()
    except duckdb.CatalogException:  # a first run that stopped before the ingest
        return []
    return [(str(t), int(n)) for t, n in found]
