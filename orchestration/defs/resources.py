"""Resources shared by every domain, built once (DESIGN.md: one warehouse resource)."""

import dagster as dg

from orchestration.defs.crm.resources import FreeTextHookResource
from orchestration.defs.dbt.project import dbt_cli
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.warehouse import WarehouseResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource.from_settings(),
            "pipeline_settings": PipelineSettings(),
            "free_text_hook": FreeTextHookResource(),
            "dbt": dbt_cli(),
        }
    )
