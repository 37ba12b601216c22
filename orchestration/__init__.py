"""Dagster code location of the CRM governance pipeline.

Importing the package first switches the stack's telemetry and downloads off (hermetic runs).
"""

from orchestration.lib.offline import apply_offline_switches

apply_offline_switches()
