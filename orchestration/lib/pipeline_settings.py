"""Run-level settings every asset reads: which CRM export, which ``as_of`` date, how many scanners.

A Dagster resource, so the launchpad, the schedule and the sensor can set them per run
(``resources: pipeline_settings: config: {as_of: ..., export_dir: ..., scan_workers: 2}``) and
every asset of the run sees the same values.
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
    scan_workers: int | None = Field(
        default=None,
        description=(
            "Scanner processes for the free-text scan of the ingest; empty: automatic (one per "
            "CPU core once a batch has at least 2,000 notes to scan, else one). 1 scans in the "
            "ingest's own process."
        ),
    )

    def resolved_as_of(self) -> dt.date:
        return settings.parse_as_of(self.as_of) if self.as_of else settings.default_as_of()

    def resolved_export_dir(self) -> Path:
        if self.export_dir:
            return Path(self.export_dir).resolve()
        return latest_export(settings.exports_root())
