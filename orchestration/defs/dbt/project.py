"""The dbt project handle, and a parsed manifest before Dagster needs it.

dagster-dbt builds its assets from ``target/manifest.json``. ``make`` targets run ``dbt parse``
first; for a fresh clone opened straight in the UI or in tests, the manifest is produced here once
(``dbt parse`` reads the project only; it does not open the warehouse).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.lib import settings

# dbt reads the warehouse path from the environment (profiles.yml); make it the same file the
# Dagster warehouse resource opens, whatever the current directory is.
os.environ.setdefault("CRM_WAREHOUSE_PATH", str(settings.warehouse_path()))

#: The dbt of this environment, found even when the venv is not activated.
DBT_EXECUTABLE = (
    str(Path(sys.executable).with_name("dbt"))
    if Path(sys.executable).with_name("dbt").exists()
    else (shutil.which("dbt") or "dbt")
)

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
)


def ensure_manifest() -> None:
    """Run ``dbt parse`` when the manifest is missing (fresh clone)."""
    if not dbt_project.manifest_path.exists():
        dbt_cli().cli(["parse", "--quiet"]).wait()


def dbt_cli() -> DbtCliResource:
    """The dbt CLI resource every dbt invocation of the pipeline uses."""
    return DbtCliResource(
        project_dir=dbt_project,
        dbt_executable=DBT_EXECUTABLE,
        global_config_flags=["--no-send-anonymous-usage-stats"],
    )


ensure_manifest()
