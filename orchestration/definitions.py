"""The one entry point of the Dagster code location: loads ``orchestration.defs``, nothing else."""

from __future__ import annotations

import dagster as dg

from orchestration.lib.settings import REPO_ROOT


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=REPO_ROOT)
