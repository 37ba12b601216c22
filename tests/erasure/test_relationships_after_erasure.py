"""After our own erasure, the staging relationship tests stay quiet; a genuine orphan still warns.

An executed erasure (Art. 17 GDPR) deletes parents whose children are kept for their own reasons
(an invoice under §147 AO whose order was erased, a marketing-send log whose recipient went).
The staging foreign-key tests (``relationships_after_erasure``) read which parents the erasure
deleted from ``governance_ops`` and do not report those children; a child pointing at a parent
that was never erased is still reported. Real DuckDB, the real erasure, real dbt, on a copy of the
shared pipeline warehouse (never the original).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.erasure.apply import ensure_runs_table
from orchestration.defs.erasure.runner import execute_erasure
from orchestration.defs.retention.pruning import prune_manifests
from orchestration.lib.deletion_manifest import latest_manifest_path
from orchestration.lib.warehouse import connect, read_only
from tests.retention.marts import create_marts, publish_day

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_DIR = REPO_ROOT / "dbt_project"
GENUINE_ORPHAN_ORDER = "O-NEVER-EXISTED-0001"


@dataclass(frozen=True)
class ErasedWarehouse:
    warehouse: Path
    data_dir: Path
    manifest_id: str


def relationship_tests() -> list[dict]:
    """The staging foreign-key tests as dbt parsed them (name, model, column, parent)."""
    manifest = json.loads((DBT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    tests = []
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] == "test" and node["name"].startswith("relationships_stg_crm__"):
            kwargs = meta["kwargs"]
            tests.append(
                {
                    "name": node["name"],
                    "macro": meta["name"],
                    "model": node["attached_node"].split(".")[-1],
                    "column": kwargs["column_name"],
                    "parent": kwargs["to"].split("'")[1],
                    "field": kwargs["field"],
                    "where": node["config"].get("where") or "true",
                }
            )
    return sorted(tests, key=lambda t: t["name"])


def dangling_keys(warehouse: Path) -> dict[str, int]:
    """Children without a parent per relationship test, erasure or not (plain SQL, no exclusion)."""
    counts = {}
    with read_only(warehouse) as con:
        for t in relationship_tests():
            counts[t["name"]] = con.execute(
                f"""select count(*)
                    from (select {t["column"]} as key from staging.{t["model"]}
                          where {t["where"]}) as child
                    left join staging.{t["parent"]} as parent on child.key = parent.{t["field"]}
                    where child.key is not null and parent.{t["field"]} is null"""
            ).fetchall()[0][0]
    return counts


def run_relationship_tests(warehouse: Path, work: Path) -> dict[str, tuple[str, int]]:
    """``dbt test`` of the staging foreign keys on ``warehouse``: status and failures per test."""
    target = work / "dbt_target"
    env = {**os.environ, "CRM_WAREHOUSE_PATH": str(warehouse)}
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "test",
            "--select",
            "test_name:relationships_after_erasure",
            "--profiles-dir",
            ".",
            "--target-path",
            str(target),
            "--log-path",
            str(work / "dbt_logs"),
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["unique_id"].split(".")[2]: (r["status"], r["failures"] or 0) for r in results}


@pytest.fixture(scope="module")
def erased(pipeline_run, tmp_path_factory: pytest.TempPathFactory) -> ErasedWarehouse:
    """The shared run's warehouse after executing its latest deletion manifest."""
    root = tmp_path_factory.mktemp("relationships_after_erasure")
    data_dir = root / "data"
    manifest_path = latest_manifest_path(pipeline_run.as_of, pipeline_run.data_dir)
    assert manifest_path is not None
    shutil.copytree(manifest_path.parents[1], data_dir / "manifests")
    manifest_path = data_dir / "manifests" / manifest_path.parent.name / manifest_path.name
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    outcome = execute_erasure(manifest_path, warehouse, data_dir)
    assert outcome.outcome == "completed"
    return ErasedWarehouse(warehouse, data_dir, outcome.manifest_id)


def test_every_staging_foreign_key_is_tested_with_the_erasure_aware_relationship_test() -> None:
    tests = relationship_tests()
    assert len(tests) >= 15
    assert {t["macro"] for t in tests} == {"relationships_after_erasure"}


def test_no_relationship_test_warns_about_orphans_our_own_erasure_created(
    erased: ErasedWarehouse, tmp_path: Path
) -> None:
    dangling = dangling_keys(erased.warehouse)
    created = {name: n for name, n in dangling.items() if n}
    # The erasure did create orphans (e.g. invoices kept under §147 AO whose order went) ...
    assert sum(created.values()) > 0, dangling
    results = run_relationship_tests(erased.warehouse, tmp_path)
    assert set(created) <= set(results)
    # ... and none of them is reported.
    assert {name: r for name, r in results.items() if r != ("pass", 0)} == {}


def test_a_child_pointing_at_a_parent_that_was_never_erased_still_warns(
    erased: ErasedWarehouse, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(erased.warehouse, warehouse)
    con = connect(warehouse)
    try:
        con.execute(
            """insert into landing.invoices
               select * replace ('INV-ORPHAN-0001' as invoice_id, ? as order_id)
               from landing.invoices limit 1""",
            [GENUINE_ORPHAN_ORDER],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    results = run_relationship_tests(warehouse, tmp_path)
    assert results["relationships_stg_crm__invoices_order_id__orders"] == ("warn", 1)
    others = {
        n: r for n, r in results.items() if n != "relationships_stg_crm__invoices_order_id__orders"
    }
    assert {n: r for n, r in others.items() if r != ("pass", 0)} == {}


def test_pruning_old_manifests_keeps_what_an_executed_erasure_deleted(tmp_path: Path) -> None:
    con = duckdb.connect()
    create_marts(con)
    ensure_runs_table(con)
    executed = publish_day(con, tmp_path, dt.date(2026, 1, 1), ["P1"])[0].manifest_id
    never_executed = publish_day(con, tmp_path, dt.date(2026, 1, 2), ["P1"])[0].manifest_id
    con.execute(
        "insert into governance_ops.erasure_runs values ('e1', ?, now(), '{}', 1, 0, '[]', '[]')",
        [executed],
    )
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    assert prune_manifests(con, tmp_path, dt.date(2026, 11, 23), 90, now).item_rows == 1
    kept = con.execute(
        "select manifest_id, action, record_id from governance_ops.deletion_manifest_items"
    ).fetchall()
    assert kept == [(executed, "delete", "P1")] and never_executed != executed
