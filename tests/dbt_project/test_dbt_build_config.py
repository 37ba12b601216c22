"""The dbt step's run config: full refresh on request, unit tests left to CI (issue 16)."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.dbt.assets import DbtBuildConfig, dbt_build_args
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.run import DBT_OP, NIGHTLY_JOB


def test_the_nightly_build_leaves_unit_tests_out_and_refreshes_only_when_asked():
    settings = PipelineSettings(as_of="2026-11-23")
    nightly = dbt_build_args(settings, DbtBuildConfig())
    assert nightly[-2:] == ["--exclude-resource-type", "unit_test"]
    assert "--full-refresh" not in nightly
    refresh = dbt_build_args(settings, DbtBuildConfig(full_refresh=True, run_unit_tests=True))
    assert "--full-refresh" in refresh
    assert "unit_test" not in refresh


def test_the_launchpad_accepts_full_refresh_on_the_dbt_op_and_rejects_unknown_keys():
    from orchestration.definitions import defs

    job = defs().resolve_job_def(NIGHTLY_JOB)
    accepted = dg.validate_run_config(job, {"ops": {DBT_OP: {"config": {"full_refresh": True}}}})
    assert accepted["ops"][DBT_OP]["config"]["full_refresh"] is True
    try:
        dg.validate_run_config(job, {"ops": {DBT_OP: {"config": {"fullrefresh": True}}}})
    except dg.DagsterInvalidConfigError:
        rejected = True
    else:
        rejected = False
    assert rejected
