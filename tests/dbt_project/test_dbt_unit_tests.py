"""dbt's unit tests run here, in CI and ``make test``, not in the nightly build (issue 16).

Unit tests check the SQL of the purpose, consent and retention logic against fixed input rows;
they do not depend on the night's data, so the nightly ``dbt build`` leaves them out (dbt's
advice for production, ``--exclude-resource-type unit_test``) and saves their fixed cost every
night. This test keeps them gating every change: each must run and pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = str(Path(sys.executable).with_name("dbt"))


def test_every_dbt_unit_test_passes(pipeline_run, tmp_path):
    # A copy: unit tests only read the parents' columns, but never risk the shared warehouse.
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    target = tmp_path / "target"
    args = ["test", "--quiet", "--profiles-dir", ".", "--target-path", str(target)]
    as_of = json.dumps({"as_of": pipeline_run.as_of.isoformat()})
    completed = subprocess.run(
        [DBT, *args, "--select", "test_type:unit", "--vars", as_of],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "CRM_WAREHOUSE_PATH": str(warehouse)},
        check=False,
    )
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert completed.returncode == 0
    assert len(results) == len(manifest["unit_tests"]) > 0
    assert {result["status"] for result in results} == {"pass"}
