"""Every dbt model and seed as an asset; ``dbt build`` runs them with their tests.

The run's ``as_of`` is handed to dbt as a var, so no model reads the wall clock (DESIGN.md
principle 4). dbt writes the warehouse, so the step is in the warehouse pool.
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


def dbt_vars(pipeline_settings: PipelineSettings) -> str:
    return json.dumps({"as_of": pipeline_settings.resolved_as_of().isoformat()})


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
) -> Iterator[Any]:
    yield from dbt.cli(["build", "--vars", dbt_vars(pipeline_settings)], context=context).stream()
