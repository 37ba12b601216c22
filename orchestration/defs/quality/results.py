"""The per-run results table of the quality checks: counts per expectation, never values.

``governance_ops.quality_check_results`` keeps one row per (run, check, expectation) so the DPO
report can show today's verdicts and their trend over runs (REQUIREMENTS R5). The table contract
lives in ``orchestration/lib/quality_results.py`` and the run-and-store step in
``expectations/results.py`` (the report and the erasure job use it too); this module names them
for the quality domain.
"""

from __future__ import annotations

from expectations.results import run_and_store, store_outcome
from orchestration.lib.quality_results import RESULTS_DDL, RESULTS_TABLE

__all__ = ["RESULTS_DDL", "RESULTS_TABLE", "run_and_store", "store_outcome"]
