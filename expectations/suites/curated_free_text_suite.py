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

The text never leaves DuckDB, and neither does a row per value: one grouped query per column
returns counts per guard category and the first record ids; GX validates the count of suspected
values, and the check's metadata names counts per column and category and the first record ids.
Blocking: every curated model, the notification outbox and the write-back manifest read this text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from expectations.runner import Counted
from expectations.sql import be_null, sql_literal
from expectations.suites import Measured, SuiteSpec
from orchestration.lib.crm_schema import TABLES, Table
from orchestration.lib.guard import Guard, load_guard
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.warehouse import table_exists

#: Record ids of suspected leaks named in the check's metadata (ids only, never text).
FIRST_IDS = 20


@dataclass(frozen=True)
class GuardCounts:
    """The guard's full scan of one table, as counts: no text, and at most ``FIRST_IDS`` ids."""

    table: str
    values_checked: int = 0
    #: Suspected values per (column, guard category).
    suspected_by: dict[tuple[str, str], int] = field(default_factory=dict)
    #: The smallest record ids with a suspected value (sorted; an id per hit, as stored).
    first_ids: tuple[str, ...] = ()

    @property
    def suspected(self) -> int:
        return sum(self.suspected_by.values())

    def details(self) -> dict[str, str | int]:
        """Check metadata: counts per column and category, and the first record ids."""
        details: dict[str, str | int] = {
            "values_checked": self.values_checked,
            "suspected_leaks": self.suspected,
        }
        for (column, category), n in sorted(self.suspected_by.items()):
            details[f"suspected: {self.table}.{column} {category}"] = n
        if self.first_ids:
            details["first_record_ids"] = ", ".join(self.first_ids)
        return details


def guard_counts(con: duckdb.DuckDBPyConnection, table: Table) -> GuardCounts:
    """Run the guard over every stored value of ``table``'s free-text columns inside DuckDB.

    One grouped pass per column: per guard category (NULL for a clean value) the number of
    values and the smallest ``FIRST_IDS`` record ids of suspected ones. Released values (the
    DPO's releases with an unchanged text HMAC) count as clean.
    """
    if not table.free_text_columns or not table_exists(con, LANDING_SCHEMA, table.name):
        return GuardCounts(table.name)
    guard = load_guard()
    checked = 0
    suspected: dict[tuple[str, str], int] = {}
    ids: list[str] = []
    for column in table.free_text_columns:
        query = guard.categories_query(
            f"{LANDING_SCHEMA}.{quote(table.name)}",
            f"cast({quote(table.primary_key)} as varchar)",
            quote(column),
        )
        released = _released_ids(con, guard, table, column)
        category = "category"
        if released:
            listed = ", ".join(sql_literal(r) for r in sorted(released))
            category = f"case when _guard_id in ({listed}) then null else category end"
        rows = con.execute(
            f"""select category, count(*), min(_guard_id, {FIRST_IDS})
                from (select _guard_id, {category} as category from ({query}))
                group by category order by category nulls first"""
        ).fetchall()
        for found, n, first in rows:
            checked += int(n)
            if found is not None:
                suspected[(column, str(found))] = int(n)
                ids.extend(str(i) for i in first)
    return GuardCounts(table.name, checked, suspected, tuple(sorted(ids)[:FIRST_IDS]))


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


def _measure_for(table: Table) -> Callable[[duckdb.DuckDBPyConnection, dt.date], Measured]:
    def measure(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> Measured:
        counts = guard_counts(con, table)
        expectation = be_null("guard_category")
        counted = Counted(
            expectation.expectation, expectation.column, counts.values_checked, counts.suspected
        )
        return Measured([counted], counts.details())

    return measure


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
        suite=f"{table.name}_free_text_redacted",
        measure=_measure_for(table),
        table=f"landing.{table.name}",
    )
    for table in TABLES
    if table.free_text_columns
]
