"""Resources shared by every domain, built once (DESIGN.md: one warehouse resource)."""

import dagster as dg

from orchestration.defs.dbt.project import dbt_cli
from orchestration.defs.pii_scan.resources import FreeTextHookResource
from orchestration.defs.suppression.ingest import ErasedSubjectSuppression
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.warehouse import WarehouseResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource.from_settings(),
            "pipeline_settings": PipelineSettings(),
            "free_text_hook": FreeTextHookResource(),
            # The ingest's seam to the suppression list (lib/ingest_suppression.py).
            "ingest_suppression": ErasedSubjectSuppression(),
            "dbt": dbt_cli(),
        }
    )
