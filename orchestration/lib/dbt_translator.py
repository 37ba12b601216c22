"""How dbt nodes appear in Dagster: groups by folder, CRM sources as the landing assets.

- A model's group is ``dbt_<folder>``: ``models/staging/...`` → ``dbt_staging``,
  ``models/marts/governance/...`` → ``dbt_governance`` (the mart's own folder), seeds →
  ``dbt_policy``; so the UI's groups follow the project's layers.
- A dbt source on the ``landing`` schema is the asset that writes it (``landing/<table>``), so
  lineage runs unbroken from CRM file to governance mart.
- An asset's description is the node's dbt description only, not its raw SQL: the SQL's header
  comments are notes for engineers (they cite internal design documents), and the SQL itself is
  one click away on the dbt docs site.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

LANDING_SCHEMA = "landing"


class GovernanceDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if (
            dbt_resource_props["resource_type"] == "source"
            and dbt_resource_props.get("schema") == LANDING_SCHEMA
        ):
            return dg.AssetKey([LANDING_SCHEMA, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "seed":
            return "dbt_policy"
        if resource_type not in ("model", "snapshot"):
            return super().get_group_name(dbt_resource_props)
        folders = list(dbt_resource_props.get("fqn", []))[1:-1]
        if not folders:
            return "dbt_models"
        folder = folders[1] if folders[0] == "marts" and len(folders) > 1 else folders[0]
        return f"dbt_{folder}"

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        description = (dbt_resource_props.get("description") or "").strip()
        if description:
            return description
        return f"dbt {dbt_resource_props['resource_type']} {dbt_resource_props['name']}"
