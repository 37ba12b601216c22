"""An incremental dbt run gives the same warehouse as a full refresh on the same data (issue 16).

Starting from the shared pipeline run's warehouse (a full build), the landing tables change as
a nightly export changes them under contract C1: about 1% of the rows change, a few vanish from
the snapshot, a few are new, and each of those gets a later ``_loaded_at``. One copy of that
warehouse then runs ``dbt run`` (incremental models read only the changed rows), another runs
``dbt run --full-refresh``; every model (table or view) must hold the same rows, as multisets.
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
#: Schemas dbt builds models into (seeds in ``policy`` are rebuilt on every run anyway).
MODEL_SCHEMAS = (
    "staging",
    "intermediate",
    "governance",
    "role_dpo",
    "role_engineering",
    "role_customer_service",
    "role_marketing",
)
#: Landing tables changed by the simulated nightly export: key, and the change made to a row.
CHANGES = {
    "customers": ("customer_id", "updated_at = updated_at + interval 1 day"),
    "prospects": ("prospect_id", "converted_customer_id = null"),
    "partner_contacts": ("partner_contact_id", "company_name = company_name || ' GmbH'"),
    "wishlist_submissions": ("wishlist_submission_id", "customer_id = null"),
    "orders": ("order_id", "order_status = 'returned'"),
    "service_notes": ("service_note_id", "contact_channel = 'phone'"),
}
VANISHED_PER_TABLE = 2
ADDED_PER_TABLE = 2


def _change_landing(warehouse: Path) -> dict[str, int]:
    """Change ~1%, delete and add rows in landing as a later export would; counts per kind."""
    counts = {"changed": 0, "vanished": 0, "added": 0}
    with duckdb.connect(str(warehouse)) as con:
        (newest,) = con.execute("select max(_loaded_at) from landing.customers").fetchone() or (
            None,
        )
        loaded_at = f"timestamp '{newest}' + interval 1 hour"
        for table, (key, change) in CHANGES.items():
            qualified = f"landing.{table}"
            (rows,) = con.execute(f"select count(*) from {qualified}").fetchone() or (0,)
            changed = max(1, rows // 100)
            ordered = f"select {key} from {qualified} order by md5({key})"
            con.execute(
                f"update {qualified} set {change}, _loaded_at = {loaded_at} "
                f"where {key} in ({ordered} limit {changed})"
            )
            con.execute(
                f"delete from {qualified} where {key} in "
                f"({ordered} limit {VANISHED_PER_TABLE} offset {changed})"
            )
            con.execute(
                f"insert into {qualified} by name "
                f"select * replace ({key} || '-new' as {key}, {loaded_at} as _loaded_at) "
                f"from {qualified} where {key} in "
                f"({ordered} limit {ADDED_PER_TABLE} offset {changed + VANISHED_PER_TABLE})"
            )
            counts["changed"] += changed
            counts["vanished"] += VANISHED_PER_TABLE
            counts["added"] += ADDED_PER_TABLE
    return counts


def _dbt_run(warehouse: Path, target: Path, as_of: str, *extra: str) -> dict:
    """``dbt run`` on one warehouse file; returns its run_results.json."""
    args = ["run", "--quiet", "--profiles-dir", ".", "--target-path", str(target)]
    subprocess.run(
        [DBT, *args, "--vars", json.dumps({"as_of": as_of}), *extra],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "CRM_WAREHOUSE_PATH": str(warehouse)},
        check=True,
    )
    return json.loads((target / "run_results.json").read_text(encoding="utf-8"))


def _models(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{schema}'" for schema in MODEL_SCHEMAS)
    return con.execute(
        f"""select table_schema, table_name from information_schema.tables
            where table_catalog = '{catalog}' and table_schema in ({schemas})
            order by 1, 2"""
    ).fetchall()


def _differing_rows(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> int:
    a, b = f'incremental."{schema}"."{name}"', f'refreshed."{schema}"."{name}"'
    (count,) = con.execute(
        f"""select (select count(*) from (select * from {a} except all select * from {b}))
                 + (select count(*) from (select * from {b} except all select * from {a}))"""
    ).fetchone() or (None,)
    return int(count)


@pytest.fixture(scope="module")
def incremental_and_refreshed(pipeline_run, tmp_path_factory) -> tuple[Path, Path, dict, dict]:
    """Two warehouses after the same landing change: one run incrementally, one fully refreshed."""
    base = tmp_path_factory.mktemp("incremental")
    incremental, refreshed = base / "incremental.duckdb", base / "refreshed.duckdb"
    shutil.copy(pipeline_run.warehouse_path, incremental)
    counts = _change_landing(incremental)
    shutil.copy(incremental, refreshed)
    as_of = pipeline_run.as_of.isoformat()
    results = _dbt_run(incremental, base / "target_incremental", as_of)
    _dbt_run(refreshed, base / "target_refreshed", as_of, "--full-refresh")
    return incremental, refreshed, results, counts


def test_an_incremental_run_gives_every_model_the_rows_of_a_full_refresh(
    incremental_and_refreshed,
):
    incremental, refreshed, _, counts = incremental_and_refreshed
    assert counts["changed"] >= len(CHANGES)
    con = duckdb.connect()
    con.execute(f"attach '{incremental}' as incremental (read_only)")
    con.execute(f"attach '{refreshed}' as refreshed (read_only)")
    models = _models(con, "incremental")
    assert models == _models(con, "refreshed")
    assert ("intermediate", "int_data_subjects_unioned") in models
    differing = {
        f"{schema}.{name}": rows
        for schema, name in models
        if (rows := _differing_rows(con, schema, name))
    }
    assert differing == {}


def test_the_incremental_run_reads_only_rows_loaded_since_the_last_run(
    incremental_and_refreshed,
):
    incremental, _, results, _ = incremental_and_refreshed
    by_id = {result["unique_id"]: result for result in results["results"]}
    node = by_id["model.crm_governance.int_data_subjects_unioned"]
    assert node["status"] == "success"
    assert "loaded_at > (" in node["compiled_code"]
    with duckdb.connect(str(incremental), read_only=True) as con:
        (new, gone) = con.execute(
            """select count(*) filter (where data_subject_id like '%-new'),
                      count(*) filter (where data_subject_id not in (
                          select 'customer:' || customer_id from landing.customers
                          union all select 'prospect:' || prospect_id from landing.prospects
                          union all select 'partner_contact:' || partner_contact_id
                              from landing.partner_contacts
                          union all select 'wishlist_sender:' || wishlist_submission_id
                              from landing.wishlist_submissions))
               from intermediate.int_data_subjects_unioned"""
        ).fetchone() or (None, None)
    assert (new, gone) == (4 * ADDED_PER_TABLE, 0)
