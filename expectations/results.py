"""Run a suite and keep its verdict: count in DuckDB, validate with GX, store the counts.

Shared by the Dagster asset checks (``defs/quality``), the DPO report's audit suites
(``defs/reporting``) and the erasure job's check, so none of them imports another's module.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.runner import SuiteOutcome, validate_counts
from expectations.suites import SuiteSpec
from orchestration.lib.quality_results import RESULTS_TABLE, ResultRow, store_results

__all__ = ["RESULTS_TABLE", "run_and_store", "store_outcome"]


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
    """Replace this run's rows of ``check_name`` with ``outcome``'s counts."""
    store_results(
        con,
        run_id=run_id,
        as_of=as_of,
        check_name=check_name,
        asset_key=asset_key,
        suite_name=outcome.suite,
        blocking=blocking,
        rows=[
            ResultRow(e.expectation, e.column, e.passed, e.element_count, e.unexpected_count)
            for e in outcome.expectations
        ],
    )


def run_and_store(
    con: duckdb.DuckDBPyConnection, spec: SuiteSpec, *, run_id: str, as_of: dt.date
) -> SuiteOutcome:
    """Count the suite's expectations in DuckDB, let GX judge the counts, store them."""
    measured = spec.measure(con, as_of)
    outcome = validate_counts(spec.suite, measured.counted, tuple(measured.details.items()))
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
