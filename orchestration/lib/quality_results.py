"""The quality checks' results table: one row per (run, check, expectation), counts only.

Why in ``lib``: the checks (``defs/quality``) write it, the DPO report (``defs/reporting``) reads
it and the nightly summary counts it, so its name and columns are a contract between domains.
No column can hold a value of the checked data: there is none to put it in (REQUIREMENTS R5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

RESULTS_TABLE = "governance_ops.quality_check_results"

RESULTS_DDL = (
    "create schema if not exists governance_ops",
    f"""create table if not exists {RESULTS_TABLE} (
        run_id varchar not null,
        as_of date not null,
        checked_at timestamp not null,
        check_name varchar not null,
        asset_key varchar not null,
        suite_name varchar not null,
        is_blocking boolean not null,
        expectation_type varchar not null,
        column_name varchar,
        passed boolean not null,
        element_count bigint,
        unexpected_count bigint
    )""",
)


@dataclass(frozen=True)
class ResultRow:
    """One expectation's verdict as stored: what it asserted, where, and how many rows failed."""

    expectation_type: str
    column_name: str
    passed: bool
    element_count: int | None
    unexpected_count: int | None


def store_results(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    as_of: dt.date,
    check_name: str,
    asset_key: str,
    suite_name: str,
    blocking: bool,
    rows: Sequence[ResultRow],
) -> None:
    """Replace this run's rows of ``check_name`` (a re-executed step must not double count)."""
    for statement in RESULTS_DDL:
        con.execute(statement)
    checked_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute(
        f"delete from {RESULTS_TABLE} where run_id = ? and check_name = ?", [run_id, check_name]
    )
    if not rows:
        return
    con.executemany(
        f"insert into {RESULTS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                run_id,
                as_of,
                checked_at,
                check_name,
                asset_key,
                suite_name,
                blocking,
                r.expectation_type,
                r.column_name,
                r.passed,
                r.element_count,
                r.unexpected_count,
            ]
            for r in rows
        ],
    )
