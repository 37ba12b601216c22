"""Where things live and which day a run is about: one place for paths and the ``as_of`` date.

Everything is configured by environment variables with documented defaults (DESIGN.md principle 6):

| variable | default | meaning |
| --- | --- | --- |
| ``CRM_DATA_DIR`` | ``<repo>/data`` | warehouse, manifests, reports (git-ignored) |
| ``CRM_WAREHOUSE_PATH`` | ``$CRM_DATA_DIR/warehouse.duckdb`` | the embedded DuckDB warehouse |
| ``CRM_EXPORTS_ROOT`` | ``<repo>/crm_exports`` | CRM exports (the source system's side) |
| ``CRM_AS_OF`` | today in Europe/Berlin | the run's reference date |

CRM exports hold raw free text, so they live outside the data directory: the data directory is
what the pipeline owns and what the canary tests prove clean.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
#: Business time zone of the workshop; ``as_of`` defaults to "today" there, not in UTC.
BUSINESS_TIMEZONE = ZoneInfo("Europe/Berlin")
#: The one Dagster concurrency pool every warehouse writer is in (DuckDB allows one writer).
WAREHOUSE_POOL = "duckdb_warehouse"


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
