"""Suites on the curated (landing) free text: no suspected special-category word is stored.

The assurance behind "special-category data never reaches the warehouse". The ingest redacts with
the scanner and then holds every value in which the independent guard (``lib/guard.py``: a
broad stem list matched by DuckDB's RE2, sharing none of the scanner's rules) still sees a
special-category word; such a value is stored as the review marker. This check runs the same
guard over EVERY stored value of every free-text column (not a sample, and not the scanner a
second time, which could not see its own misses) and expects no hit: a hit means a value reached
the warehouse without passing the ingest guard (the guard was switched off, or the table was
written another way). Values the DPO released (``guard_releases.yaml``) are not counted while
their text is unchanged.

The text never leaves DuckDB: the frame handed to GX holds record ids and guard categories only,
and the check's metadata names counts per column and category and the first record ids.
Blocking: every curated model, the notification outbox and the write-back manifest read this text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import duckdb
import great_expectations as gx
import pandas as pd

from expectations.suites import SuiteSpec
from orchestration.lib.crm_schema import TABLES, Table

if TYPE_CHECKING:
    from orchestration.lib.guard import Guard

#: Record ids of suspected leaks named in the check's metadata (ids only, never text).
FIRST_IDS = 20


def guard_categories(con: duckdb.DuckDBPyConnection, table: Table) -> pd.DataFrame:
    """Per stored free-text value: record id, column and the guard's category (or None)."""
    from orchestration.lib.guard import load_guard
    from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
    from orchestration.lib.warehouse import table_exists

    guard = load_guard()
    frames = []
    for column in table.free_text_columns:
        if not table_exists(con, LANDING_SCHEMA, table.name):
            continue
        source = f"{LANDING_SCHEMA}.{quote(table.name)}"
        query = guard.categories_query(
            source, f"cast({quote(table.primary_key)} as varchar)", quote(column)
        )
        result = con.execute(query)
        frame = pd.DataFrame(result.fetchall(), columns=["record_id", "guard_category"])
        frame.insert(1, "column_name", column)
        released = _released_ids(con, guard, table, column)
        if released:
            frame.loc[frame["record_id"].isin(released), "guard_category"] = None
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["record_id", "column_name", "guard_category"])
    return pd.concat(frames, ignore_index=True)


def _released_ids(
    con: duckdb.DuckDBPyConnection, guard: Guard, table: Table, column: str
) -> set[str]:
    """Records the DPO released whose stored scan still has the released text HMAC."""
    releases = [r for r in guard.releases if r.table_name == table.name and r.column_name == column]
    if not releases:
        return set()
    rows = con.execute(
        """select record_id, text_hmac from landing.free_text_scan_status
           where table_name = ? and column_name = ?
             and record_id in (select unnest(?::varchar[]))""",
        [table.name, column, [r.record_id for r in releases]],
    ).fetchall()
    stored = dict(rows)
    return {r.record_id for r in releases if stored.get(r.record_id) == r.text_hmac}


def summarize(table: Table) -> Callable[[pd.DataFrame], dict[str, str | int]]:
    """Check metadata: counts per column and category, and the first record ids (no text)."""

    def summary(frame: pd.DataFrame) -> dict[str, str | int]:
        hits = frame[frame["guard_category"].notna()]
        details: dict[str, str | int] = {"values_checked": len(frame), "suspected_leaks": len(hits)}
        for (column, category), n in hits.groupby(["column_name", "guard_category"]).size().items():
            details[f"suspected: {table.name}.{column} {category}"] = int(n)
        if len(hits):
            first = sorted(hits["record_id"].astype(str))[:FIRST_IDS]
            details["first_record_ids"] = ", ".join(first)
        return details

    return summary


def _fetch_for(table: Table) -> Callable[[duckdb.DuckDBPyConnection, dt.date], pd.DataFrame]:
    def fetch(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
        return guard_categories(con, table)

    return fetch


def _build_for(table: Table) -> Callable[[dt.date], gx.ExpectationSuite]:
    def build(as_of: dt.date) -> gx.ExpectationSuite:
        suite = gx.ExpectationSuite(name=f"{table.name}_free_text_redacted")
        suite.add_expectation(gx.expectations.ExpectColumnValuesToBeNull(column="guard_category"))
        return suite

    return build


SUITES = [
    SuiteSpec(
        check_name=f"{table.name}__no_unredacted_special_category",
        asset=("landing", table.name),
        description=(
            "The independent guard (a stem list matched in DuckDB, none of the scanner's rules) "
            f"finds no suspected special-category word (Art. 9(1)) in any stored value of "
            f"{', '.join(table.free_text_columns)}; held values carry the review marker."
        ),
        blocking=True,
        fetch=_fetch_for(table),
        build=_build_for(table),
        table=f"landing.{table.name}",
        summarize=summarize(table),
    )
    for table in TABLES
    if table.free_text_columns
]
