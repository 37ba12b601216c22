"""Run a code-defined Great Expectations 1.x suite on a data frame and keep counts, never values.

Why a runner of our own: GX 1.x has no DuckDB data source, and ``dagster-ge`` targets GX < 1.0
(DESIGN.md). So each check fetches a narrow projection from DuckDB into pandas and validates it in
an *ephemeral* context (nothing is written to disk). A failing expectation's result carries
``partial_unexpected_list`` with the offending values (DESIGN.md "Great Expectations stores
failing values"); we ask for ``SUMMARY`` with ``partial_unexpected_count=0`` and then keep only a
whitelist of count fields, so no value can leave this module.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

#: Counts we keep from a GX result; everything else (value lists, observed values) is dropped.
KEPT_COUNTS = ("element_count", "unexpected_count", "missing_count")
#: Summary without value lists (GX fills ``partial_unexpected_list`` up to this many values).
RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 0}


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's verdict: what it asserted, on which column, and how many rows failed."""

    expectation: str
    column: str
    passed: bool
    element_count: int | None
    unexpected_count: int | None


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    passed: bool
    expectations: tuple[ExpectationOutcome, ...]
    #: Counts and record ids a suite adds for the check's metadata (``SuiteSpec.summarize``).
    details: tuple[tuple[str, str | int], ...] = ()

    @property
    def rows_checked(self) -> int:
        counts = [e.element_count for e in self.expectations if e.element_count is not None]
        return max(counts, default=0)

    @property
    def unexpected_total(self) -> int:
        return sum(e.unexpected_count or 0 for e in self.expectations)


#: A suite factory: builds a fresh ``gx.ExpectationSuite`` (suites are bound to one context).
SuiteFactory = Callable[[], Any]


@lru_cache(maxsize=1)
def _context() -> Any:
    """One ephemeral GX context per process (creating it imports most of GX, which is slow)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    # Progress bars only clutter the Dagster compute logs.
    with contextlib.suppress(AttributeError):
        context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(
            globally=False
        )
    return context


def _column_of(config: Any) -> str:
    kwargs = dict(config.kwargs)
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return ""


def _count(result: dict[str, Any], key: str) -> int | None:
    value = result.get(key)
    return int(value) if isinstance(value, int | float) else None


def run_suite(factory: SuiteFactory, frame: pd.DataFrame) -> SuiteOutcome:
    """Validate ``frame`` against the suite ``factory`` builds; return counts only."""
    context = _context()
    suite = factory()
    existing = {s.name for s in context.suites.all()}
    if suite.name in existing:
        context.suites.delete(suite.name)
    suite = context.suites.add(suite)
    source_name = f"frame_{suite.name}"
    if source_name not in {d.name for d in context.data_sources.all().values()}:
        source = context.data_sources.add_pandas(source_name)
        source.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("whole")
    batch_definition = (
        context.data_sources.get(source_name).get_asset("frame").get_batch_definition("whole")
    )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    validation = batch.validate(suite, result_format=RESULT_FORMAT)
    outcomes = tuple(
        ExpectationOutcome(
            expectation=str(r.expectation_config.type),
            column=_column_of(r.expectation_config),
            passed=bool(r.success),
            element_count=_count(r.result, "element_count"),
            unexpected_count=_count(r.result, "unexpected_count"),
        )
        for r in validation.results
    )
    return SuiteOutcome(
        suite=suite.name, passed=all(o.passed for o in outcomes), expectations=outcomes
    )
