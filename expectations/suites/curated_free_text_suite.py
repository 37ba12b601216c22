"""Suites on the curated (landing) free text: no special-category finding left unredacted.

The ingest redacts Art. 9(1) categories before it writes; this re-scans a bounded, deterministic
sample of the stored text with the same scanner and expects zero special-category findings. The
text never leaves this module: the frame handed to GX holds record ids and finding counts only.
Blocking: every curated model, the notification outbox and the write-back manifest read this text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import duckdb
import great_expectations as gx
import pandas as pd

from expectations.suites import SuiteSpec
from orchestration.lib.crm_schema import TABLES, Table

#: Rows re-scanned per free-text column: bounds the check to a few seconds on any export size
#: (the scanner does about 13,000 notes/s after its prefilter, DESIGN.md "Presidio's cost").
SAMPLE_PER_COLUMN = 2_000


def unredacted(findings: Iterable[object], special: frozenset[str]) -> int:
    """Special-category findings of a re-scan (redaction tags are never findings)."""
    return sum(1 for f in findings if f.entity_type in special)  # type: ignore[attr-defined]


def count_special_findings(
    con: duckdb.DuckDBPyConnection, table: Table, sample: int = SAMPLE_PER_COLUMN
) -> pd.DataFrame:
    """Per sampled record and column: how many special-category findings a re-scan reports."""
    from orchestration.defs.pii_scan.assets import special_categories
    from orchestration.defs.pii_scan.scanner_hook import load_scanner
    from pii_scanners import ScanRequest

    special = special_categories()
    scanner = load_scanner()
    rows: list[tuple[str, str, int]] = []
    for column in table.free_text_columns:
        # Ordered by a hash of the key: a stable sample that is not just the oldest records.
        texts = con.execute(
            f"""select cast("{table.primary_key}" as varchar), "{column}"
                from landing."{table.name}" where "{column}" is not null
                order by hash("{table.primary_key}") limit ?""",
            [sample],
        ).fetchall()
        results = scanner.scan_batch(ScanRequest(id=rid, text=text) for rid, text in texts)
        rows.extend(
            (rid, column, unredacted(result.findings, special))
            for (rid, text), result in zip(texts, results, strict=True)
        )
    return pd.DataFrame(rows, columns=["record_id", "column_name", "special_category_findings"])


def _fetch_for(table: Table) -> Callable[[duckdb.DuckDBPyConnection, dt.date], pd.DataFrame]:
    def fetch(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
        return count_special_findings(con, table)

    return fetch


def _build_for(table: Table) -> Callable[[dt.date], gx.ExpectationSuite]:
    def build(as_of: dt.date) -> gx.ExpectationSuite:
        suite = gx.ExpectationSuite(name=f"{table.name}_free_text_redacted")
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="special_category_findings", min_value=0, max_value=0
            )
        )
        return suite

    return build


SUITES = [
    SuiteSpec(
        check_name=f"{table.name}__no_unredacted_special_category",
        asset=("landing", table.name),
        description=(
            f"A re-scan of up to {SAMPLE_PER_COLUMN:,} stored values per free-text column "
            f"({', '.join(table.free_text_columns)}) finds no special-category data (Art. 9(1))."
        ),
        blocking=True,
        fetch=_fetch_for(table),
        build=_build_for(table),
        table=f"landing.{table.name}",
    )
    for table in TABLES
    if table.free_text_columns
]
