"""The dbt project handle, and a parsed manifest before Dagster needs it.

dagster-dbt builds its assets from ``target/manifest.json``. ``make`` targets run ``dbt parse``
first; for a fresh clone opened straight in the UI or in tests, the manifest is produced here once
(``dbt parse`` reads the project only; it does not open the warehouse).
"""

import os
import shutil
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from dbt.version import __version__ as DBT_CORE_VERSION
from packaging import version

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


class OfflineDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without its ``dbt --version`` call.

    dagster-dbt runs ``dbt --version`` once per resource to learn the dbt version, and that
    command asks PyPI for the latest release whatever the version-check settings say (DESIGN.md
    "Offline switches"; the test suite's network guard caught it). dbt-core is installed in this
    environment, so its version is read from the package instead. Overrides a private member of
    dagster-dbt 0.29: re-check on upgrade (``tests/test_hermetic.py`` fails if a lookup returns).
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(DBT_CORE_VERSION)


def dbt_cli() -> DbtCliResource:
    """The dbt CLI resource every dbt invocation of the pipeline uses."""
    return OfflineDbtCliResource(
        project_dir=dbt_project,
        dbt_executable=DBT_EXECUTABLE,
        global_config_flags=["--no-send-anonymous-usage-stats"],
    )


ensure_manifest()
