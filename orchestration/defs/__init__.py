"""Dagster definitions, one package per domain (DESIGN.md layout)."""
