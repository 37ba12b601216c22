"""Every dbt model and seed as an asset; ``dbt build`` runs them with their data tests.

The run's ``as_of`` is handed to dbt as a var, so no model reads the wall clock (DESIGN.md
principle 4). dbt writes the warehouse, so the step is in the warehouse pool.

The nightly build is incremental where a model allows it (see ``dbt_project/models/overview.md``,
"Incremental models"); ``DbtBuildConfig.full_refresh`` rebuilds every incremental model from
scratch (launchpad: ``ops: {crm_governance_dbt_assets: {config: {full_refresh: true}}}``, or
``python -m orchestration.run --dbt-full-refresh``). dbt unit tests test the SQL, not the data, so
the nightly build leaves them out as dbt recommends for production; CI and ``make test`` run them
(``tests/dbt_project/test_dbt_unit_tests.py``), and ``run_unit_tests`` brings them back.
"""

import json
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.dbt.project import dbt_project
from orchestration.lib.dbt_translator import GovernanceDbtTranslator
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import WAREHOUSE_POOL


class DbtBuildConfig(dg.Config):
    """Run config of the dbt step, independent of ``PipelineSettings`` (a per-run choice)."""

    full_refresh: bool = False
    """Rebuild incremental models from scratch (``dbt build --full-refresh``)."""

    run_unit_tests: bool = False
    """Also run dbt unit tests (they test the SQL; CI runs them on every change)."""


def dbt_vars(pipeline_settings: PipelineSettings) -> str:
    return json.dumps({"as_of": pipeline_settings.resolved_as_of().isoformat()})


def dbt_build_args(pipeline_settings: PipelineSettings, config: DbtBuildConfig) -> list[str]:
    """The ``dbt build`` arguments of one nightly run."""
    args = ["build", "--vars", dbt_vars(pipeline_settings)]
    if config.full_refresh:
        args.append("--full-refresh")
    if not config.run_unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    return args


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=GovernanceDbtTranslator(),
    pool=WAREHOUSE_POOL,
)
def crm_governance_dbt_assets(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    pipeline_settings: PipelineSettings,
    config: DbtBuildConfig,
) -> Iterator[Any]:
    yield from dbt.cli(dbt_build_args(pipeline_settings, config), context=context).stream()
