"""Shared helpers of the Dagster code location (no Dagster definitions live here)."""
