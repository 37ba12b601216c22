"""The merged not_null_columns test (tests/generic) fails on a NULL in any column it lists.

Issue 16 folded the non-key not_null tests of each staging model into one test per model, to cut
dbt's per-node fixed cost; this proves the merged test still catches a missing required value
and names only the column and a count, never the row.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = str(Path(sys.executable).with_name("dbt"))
TEST_NAME = "not_null_columns_stg_crm__orders"


def test_a_null_in_a_required_column_fails_the_merged_not_null_test(pipeline_run, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table landing.orders alter column currency drop not null")
        con.execute(
            "update landing.orders set currency = null "
            "where order_id = (select min(order_id) from landing.orders)"
        )
    target = tmp_path / "target"
    args = ["test", "--quiet", "--profiles-dir", ".", "--target-path", str(target)]
    completed = subprocess.run(
        [DBT, *args, "--select", TEST_NAME, "--vars", json.dumps({"as_of": "2026-11-23"})],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "CRM_WAREHOUSE_PATH": str(warehouse)},
        check=False,
    )
    (result,) = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    assert completed.returncode != 0
    assert (result["status"], result["failures"]) == ("fail", 1)
