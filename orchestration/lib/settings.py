"""Where things live and which day a run is about: one place for paths and the ``as_of`` date.

Everything is configured by environment variables with documented defaults (DESIGN.md principle 6):

| variable | default | meaning |
| --- | --- | --- |
| ``CRM_DATA_DIR`` | ``<repo>/data`` | warehouse, manifests, reports (git-ignored) |
| ``CRM_WAREHOUSE_PATH`` | ``$CRM_DATA_DIR/warehouse.duckdb`` | the embedded DuckDB warehouse |
| ``CRM_EXPORTS_ROOT`` | ``<repo>/crm_exports`` | CRM exports (the source system's side) |
| ``CRM_AS_OF`` | today in Europe/Berlin | the run's reference date |
| ``DAGSTER_HOME`` | ``$CRM_DATA_DIR/dagster_home`` | Dagster instance (``ensure_dagster_home``) |
| ``CRM_AUTOMATION`` | ``off`` | ``on``: schedule and sensor start running (a deployment) |
| ``CRM_DSR_EXPORT_RETENTION_DAYS`` | ``30`` | days Art. 15 export folders and zips are kept |
| ``CRM_MANIFEST_RETENTION_DAYS`` | ``90`` | days deletion manifests are kept (pruned, logged) |
| ``CRM_REPORT_LIST_LIMIT`` | ``50`` | open requests listed on the report page (all in its CSV) |
| ``CRM_PROGRESS_SECONDS`` | ``10`` | interval of progress lines (``lib/progress.py``) |
| ``CRM_ACTOR`` | unset | launcher for the audit log when no run tag or ``--actor`` names one |

CRM exports hold raw free text, so they live outside the data directory: the data directory is
what the pipeline owns and what the canary tests prove clean.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
#: Business time zone of the workshop; ``as_of`` defaults to "today" there, not in UTC.
BUSINESS_TIMEZONE = ZoneInfo("Europe/Berlin")
#: The one Dagster concurrency pool every warehouse writer is in (DuckDB allows one writer).
WAREHOUSE_POOL = "duckdb_warehouse"
#: The committed Dagster instance settings, copied into ``$DAGSTER_HOME`` (telemetry off, pools).
DAGSTER_INSTANCE_TEMPLATE = REPO_ROOT / "orchestration" / "dagster.yaml"
#: Days Art. 15 export folders and zips are kept unless ``CRM_DSR_EXPORT_RETENTION_DAYS`` says.
DEFAULT_DSR_EXPORT_RETENTION_DAYS = 30


def data_dir() -> Path:
    return Path(os.environ.get("CRM_DATA_DIR", REPO_ROOT / "data")).resolve()


def warehouse_path() -> Path:
    default = data_dir() / "warehouse.duckdb"
    return Path(os.environ.get("CRM_WAREHOUSE_PATH", default)).resolve()


def exports_root() -> Path:
    return Path(os.environ.get("CRM_EXPORTS_ROOT", REPO_ROOT / "crm_exports")).resolve()


def default_as_of(now: dt.datetime | None = None) -> dt.date:
    """``CRM_AS_OF`` if set, else today in Europe/Berlin (``now`` lets tests fake the clock)."""
    configured = os.environ.get("CRM_AS_OF", "").strip()
    if configured:
        return parse_as_of(configured)
    now = now or dt.datetime.now(tz=BUSINESS_TIMEZONE)
    return now.astimezone(BUSINESS_TIMEZONE).date()


def parse_as_of(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"as_of must be a date like 2026-11-23, got {value!r}") from exc


def dagster_home() -> Path:
    """``DAGSTER_HOME`` if set, else ``$CRM_DATA_DIR/dagster_home`` (the README's default)."""
    configured = os.environ.get("DAGSTER_HOME", "").strip()
    return Path(configured).resolve() if configured else data_dir() / "dagster_home"


def ensure_dagster_home() -> Path:
    """Make the Dagster instance usable without ``make``: set ``DAGSTER_HOME``, create it and
    copy the committed ``dagster.yaml`` into it when it has none (an existing one is kept)."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    instance_file = home / "dagster.yaml"
    if not instance_file.exists():
        shutil.copyfile(DAGSTER_INSTANCE_TEMPLATE, instance_file)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def automation_enabled() -> bool:
    """Whether the schedule and the sensor start running by default (``CRM_AUTOMATION=on``).

    Off unless a deployment turns it on: ``make ui`` on a laptop must not start runs by itself.
    """
    return os.environ.get("CRM_AUTOMATION", "").strip().lower() in ("on", "1", "true", "yes")


def integer_setting(name: str, default: int, minimum: int = 0) -> int:
    """An integer environment setting with its default; a value below ``minimum`` is refused."""
    configured = os.environ.get(name, "").strip()
    if not configured:
        return default
    value = int(configured)
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def dsr_export_retention_days() -> int:
    """Days an Art. 15 export (folder and zip) is kept before the nightly run prunes it."""
    return integer_setting("CRM_DSR_EXPORT_RETENTION_DAYS", DEFAULT_DSR_EXPORT_RETENTION_DAYS)
