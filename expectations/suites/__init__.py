"""Code-defined suites, one module per guarded model, collected in ``SUITES``.

A ``SuiteSpec`` says which asset a suite guards, how its expectations are counted inside DuckDB
(``expectations/sql.py``; only one row of counts per query reaches Python, never a row set of the
data) and whether a failure must block downstream outputs (DESIGN.md: blocking where they would
be wrong). GX validates the counts (``expectations/runner.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from expectations.runner import Counted


@dataclass(frozen=True)
class Measured:
    """A suite's counts, and the counts and ids it adds to the check's metadata (never values)."""

    counted: list[Counted]
    details: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class SuiteSpec:
    """A suite and the table it guards."""

    #: Check name ``<asset>__<property>`` (DESIGN.md naming).
    check_name: str
    #: Asset key path of the guarded table, e.g. ``("governance", "data_subjects")``.
    asset: tuple[str, ...]
    #: Why the check exists, in one sentence (shown in the Dagster UI and the report).
    description: str
    #: ERROR severity and blocking downstream materializations when True; WARN otherwise.
    blocking: bool
    #: The GX suite's name (kept in the results table beside each expectation).
    suite: str
    #: Count the suite's expectations; gets the open warehouse connection and the run's ``as_of``.
    measure: Callable[[duckdb.DuckDBPyConnection, dt.date], Measured]
    #: The table a reader can open to see the failing rows (the report links to it).
    table: str


def end_of(as_of: dt.date) -> dt.datetime:
    """The last moment of ``as_of``: nothing may have happened after it."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()) - dt.timedelta(
        microseconds=1
    )


def all_suites() -> list[SuiteSpec]:
    """Every suite the quality checks run (imported lazily: GX is slow to import)."""
    from expectations.suites import (
        consents_suite,
        curated_free_text_suite,
        data_subjects_suite,
        marketing_eligibilities_suite,
        record_retention_statuses_suite,
    )

    return [
        *curated_free_text_suite.SUITES,
        *data_subjects_suite.SUITES,
        *record_retention_statuses_suite.SUITES,
        *consents_suite.SUITES,
        *marketing_eligibilities_suite.SUITES,
    ]


def audit_suites() -> list[SuiteSpec]:
    """Suites over history the pipeline cannot change (past marketing sends).

    They run with the DPO report (results in the same results table, red in the report). The
    Dagster asset check ``marketing_sends_have_valid_consent`` (``orchestration/defs/quality/
    consent.py``) counts the same sends in SQL, ERROR but not blocking, so the run shows it.
    """
    from expectations.suites import marketing_sends_suite

    return list(marketing_sends_suite.SUITES)


def erasure_suites() -> list[SuiteSpec]:
    """Suites on the explicit erasure step: they run in ``erase_manifest_job``, never nightly."""
    from expectations.suites import erasure_suite

    return list(erasure_suite.SUITES)
