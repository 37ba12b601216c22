"""The full list of open requests as a CSV beside the report, written by DuckDB.

Why a file: the page lists only the most urgent requests (``queries.list_limit``); at 10M
customers there are about 65,000 open ones, too many for a page a DPO reads and too many rows to
pull into Python. DuckDB streams them with ``COPY ... TO`` in the page's order.

What is in it: ids, codes, dates, flags and day counts, never names or free text. Every cell is
made safe for spreadsheets (CWE-1236): a cell that starts with ``=``, ``+``, ``-`` or ``@`` gets
a leading ``'`` so a spreadsheet shows it as text instead of running it as a formula.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.defs.reporting.queries import REQUESTS_ORDER, open_requests_sql

CSV_NAME = "open_requests.csv"
#: The CSV's columns, in order (codes, not the page language's words).
COLUMNS = (
    "request_id",
    "request_type",
    "gdpr_article",
    "request_status",
    "fulfilled_by",
    "received_date",
    "due_date",
    "is_deadline_extended",
    "is_overdue",
    "days_until_due",
    "days_overdue",
)
#: The cell starts that a spreadsheet would read as a formula.
FORMULA_START = r"^[=+\-@]"
#: CSV column -> column of the open-requests relation, where the names differ.
SOURCE = {"is_overdue": "overdue"}


def safe_cell(column: str) -> str:
    """SQL for ``column`` as text, prefixed with ``'`` when it could start a formula."""
    text = f"cast({column} as varchar)"
    formula = f"regexp_matches({text}, '{FORMULA_START}')"
    return f"case when {formula} then '''' || {text} else {text} end"


def write_open_requests_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    erased_manifests: Sequence[str],
    export_labels: Sequence[str],
    *,
    with_manifest_items: bool = True,
) -> int:
    """Write every open request to ``path`` (atomically); returns the number of rows."""
    relation = open_requests_sql("en", erased_manifests, export_labels, with_manifest_items)
    cells = ", ".join(f"{safe_cell(SOURCE.get(c, c))} as {c}" for c in COLUMNS)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"""copy (select {cells} from {relation} order by {REQUESTS_ORDER})
            to '{_sql_path(temporary)}' (format csv, header true)"""
    )
    os.replace(temporary, path)
    row = con.execute(f"select count(*) from {relation}").fetchall()
    return int(row[0][0]) if row else 0


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
