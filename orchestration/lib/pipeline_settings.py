"""Run-level settings every asset reads: which CRM export and which ``as_of`` date.

A Dagster resource, so the launchpad, the schedule and the sensor can set both per run
(``resources: pipeline_settings: config: {as_of: ..., export_dir: ...}``) and every asset of the
run sees the same values.
"""

import datetime as dt
from pathlib import Path

import dagster as dg
from pydantic import Field

from orchestration.lib import settings
from orchestration.lib.crm_export import latest_export


class PipelineSettings(dg.ConfigurableResource):
    """The run's reference date and CRM export."""

    as_of: str = Field(
        default="",
        description="Reference date YYYY-MM-DD; empty: CRM_AS_OF or today in Europe/Berlin.",
    )
    export_dir: str = Field(
        default="",
        description="CRM export directory; empty: the newest export under CRM_EXPORTS_ROOT.",
    )

    def resolved_as_of(self) -> dt.date:
        return settings.parse_as_of(self.as_of) if self.as_of else settings.default_as_of()

    def resolved_export_dir(self) -> Path:
        if self.export_dir:
            return Path(self.export_dir).resolve()
        return latest_export(settings.exports_root())
