"""Test session set-up: an isolated data directory, an offline network guard, and one pipeline run.

Every test session gets its own ``CRM_DATA_DIR``, ``CRM_EXPORTS_ROOT``, warehouse and
``DAGSTER_HOME`` in a temporary directory, so tests never touch a developer's ``./data``.
The network guard (``tests/_network_guard/sitecustomize.py``) is active here and in every Python
subprocess; any attempt to leave the machine fails the session.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
GUARD_DIR = Path(__file__).resolve().parent / "_network_guard"
SESSION_DIR = Path(tempfile.mkdtemp(prefix="crm-governance-tests-"))

# Isolated locations for everything the pipeline writes (set before orchestration is imported).
os.environ["CRM_DATA_DIR"] = str(SESSION_DIR / "data")
os.environ["CRM_WAREHOUSE_PATH"] = str(SESSION_DIR / "data" / "warehouse.duckdb")
os.environ["CRM_EXPORTS_ROOT"] = str(SESSION_DIR / "crm_exports")
os.environ["DAGSTER_HOME"] = str(SESSION_DIR / "data" / "dagster_home")
# Test-only: store strings uncompressed so the canary leak test can byte-search the warehouse
# (DESIGN.md "Compression hides strings from a byte search").
os.environ["CRM_DUCKDB_FORCE_COMPRESSION"] = "uncompressed"
os.environ["CRM_NETWORK_GUARD_LOG"] = str(SESSION_DIR / "network_attempts.log")
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(GUARD_DIR), str(REPO_ROOT), os.environ.get("PYTHONPATH")])
)
Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
shutil.copy(
    REPO_ROOT / "orchestration" / "dagster.yaml", Path(os.environ["DAGSTER_HOME"]) / "dagster.yaml"
)

sys.path.insert(0, str(GUARD_DIR))
import sitecustomize as network_guard  # noqa: E402

network_guard.install()

from orchestration.lib.offline import apply_offline_switches  # noqa: E402

apply_offline_switches()

#: Reference date of the shared pipeline run (fixed: results must not depend on the wall clock).
AS_OF = dt.date(2026, 11, 23)
SAMPLE_CUSTOMERS = 200
SAMPLE_SEED = 11


def pytest_sessionstart(session: pytest.Session) -> None:
    """Parse the dbt project once, so Dagster's dbt assets match the models on disk."""
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run(
        [str(dbt), "parse", "--quiet", "--profiles-dir", "."],
        cwd=REPO_ROOT / "dbt_project",
        check=True,
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    log = Path(os.environ["CRM_NETWORK_GUARD_LOG"])
    if log.exists() and log.read_text(encoding="utf-8").strip():
        print(f"\nNetwork access was attempted during the tests; see {log}:\n")
        print(log.read_text(encoding="utf-8")[:4000])
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif exitstatus == pytest.ExitCode.OK:
        shutil.rmtree(SESSION_DIR, ignore_errors=True)


@dataclass(frozen=True)
class PipelineRun:
    """The outcome of one full nightly run on a generated sample CRM."""

    warehouse_path: Path
    export_dir: Path
    as_of: dt.date
    data_dir: Path
    dagster_home: Path
    summary: object


@pytest.fixture(scope="session")
def pipeline_run() -> PipelineRun:
    """Generate a sample CRM and run the whole nightly job on it, once per session."""
    from orchestration.run import run_nightly

    export_dir = Path(os.environ["CRM_EXPORTS_ROOT"]) / "sample"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "orchestration.sample_crm",
            "--out",
            str(export_dir),
            "--customers",
            str(SAMPLE_CUSTOMERS),
            "--seed",
            str(SAMPLE_SEED),
            "--as-of",
            AS_OF.isoformat(),
            "--canaries",
        ],
        check=True,
        cwd=REPO_ROOT,
    )
    summary = run_nightly(export_dir, AS_OF, raise_on_error=True)
    return PipelineRun(
        warehouse_path=Path(os.environ["CRM_WAREHOUSE_PATH"]),
        export_dir=export_dir,
        as_of=AS_OF,
        data_dir=Path(os.environ["CRM_DATA_DIR"]),
        dagster_home=Path(os.environ["DAGSTER_HOME"]),
        summary=summary,
    )
