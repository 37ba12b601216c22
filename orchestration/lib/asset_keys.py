"""Asset keys and groups that several domains name: the landing tables' keys.

Why here: ingest (``crm``) defines the landing assets, but the scan (``pii_scan``), the
suppression matches and dbt's sources depend on them by key. A key is a name, not code, so the
domains share the name through ``lib`` instead of importing each other.
"""

from __future__ import annotations

import dagster as dg

from orchestration.lib.warehouse import LANDING_SCHEMA

#: Dagster group of every ``landing/<table>`` asset (DESIGN.md "The flow").
LANDING_GROUP = "crm_landing"


def landing_key(table_name: str) -> dg.AssetKey:
    """Key of the asset that writes ``landing.<table_name>``."""
    return dg.AssetKey([LANDING_SCHEMA, table_name])
