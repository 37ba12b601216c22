"""The nightly governance job: every asset and check except the explicit erasure step.

It runs in process: every step writes the one DuckDB file, which allows a single writer, so
parallel step processes would only queue on the pool (and each would re-import dbt and Presidio).
When a step fails (a blocking quality check, say), the run fails and its failure hook still
renders the DPO report, red (``reporting/on_failure.py``).
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.reporting.on_failure import render_report_after_failure

#: Assets that must never run unattended (erasure is an explicit job, DESIGN.md flow).
EXPLICIT_ONLY_GROUPS = ("erasure",)

run_nightly_governance_job = dg.define_asset_job(
    name="run_nightly_governance_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(*EXPLICIT_ONLY_GROUPS),
    executor_def=dg.in_process_executor,
    hooks={render_report_after_failure},
    description=(
        "Ingest the CRM export, scan free text, build the governance models and run all checks."
    ),
)
