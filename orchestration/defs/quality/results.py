"""The per-run results table of the quality checks: counts per expectation, never values.

``governance_ops.quality_check_results`` keeps one row per (run, check, expectation) so the DPO
report can show today's verdicts and their trend over runs (REQUIREMENTS R5).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb

from expectations.runner import SuiteOutcome, run_suite
from expectations.suites import SuiteSpec

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


def store_outcome(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    as_of: dt.date,
    check_name: str,
    asset_key: str,
    blocking: bool,
    outcome: SuiteOutcome,
) -> None:
    """Replace this run's rows of ``check_name`` (a re-executed step must not double count)."""
    for statement in RESULTS_DDL:
        con.execute(statement)
    checked_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute(
        f"delete from {RESULTS_TABLE} where run_id = ? and check_name = ?", [run_id, check_name]
    )
    con.executemany(
        f"insert into {RESULTS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                run_id,
                as_of,
                checked_at,
                check_name,
                asset_key,
                outcome.suite,
                blocking,
                e.expectation,
                e.column,
                e.passed,
                e.element_count,
                e.unexpected_count,
            ]
            for e in outcome.expectations
        ],
    )


def run_and_store(
    con: duckdb.DuckDBPyConnection, spec: SuiteSpec, *, run_id: str, as_of: dt.date
) -> SuiteOutcome:
    """Fetch the suite's frame, validate it, store the counts; the frame dies here."""
    frame = spec.fetch(con, as_of)
    outcome = run_suite(lambda: spec.build(as_of), frame)
    if spec.summarize is not None:
        outcome = dataclasses.replace(outcome, details=tuple(spec.summarize(frame).items()))
    del frame  # personal data never outlives the validation
    store_outcome(
        con,
        run_id=run_id,
        as_of=as_of,
        check_name=spec.check_name,
        asset_key="/".join(spec.asset),
        blocking=spec.blocking,
        outcome=outcome,
    )
    return outcome
