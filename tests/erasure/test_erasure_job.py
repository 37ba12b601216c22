"""End to end: the erasure job deletes, makes it physical, verifies and records (issue 5).

Works on copies of the shared pipeline warehouse (never the original). The session writes
DuckDB strings uncompressed (``tests/conftest.py``), so a byte search of the file can see a
planted marker before the erasure and prove it gone afterwards (DESIGN.md "Compression hides
strings").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from expectations.suites import erasure_suites
from orchestration.defs.erasure.assets import erase_manifest_job, manifest_erasure
from orchestration.defs.erasure.physical import wal_path
from orchestration.defs.erasure.runner import execute_erasure
from orchestration.defs.erasure.state import PAUSE_ENV, state_dir
from orchestration.defs.quality.checks import build_check
from orchestration.defs.quality.results import RESULTS_TABLE, run_and_store
from orchestration.defs.retention.assets import deletion_manifest
from orchestration.lib.audit_log import (
    audit_log_path,
    read_entries,
    verify_audit_log,
)
from orchestration.lib.deletion_manifest import latest_manifest_path
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.warehouse import WarehouseResource, connect, connection_config, read_only

REPO_ROOT = Path(__file__).resolve().parents[2]
MARKER = "ERASURE-MARKER-7f3c9a1e5b"
CONTROL = "KEPT-CONTROL-2d8e6b4f0a"


@dataclass(frozen=True)
class ErasureRun:
    pristine: Path
    warehouse: Path
    data_dir: Path
    manifest_path: Path
    manifest: dict
    prospect_id: str
    kept_customer_id: str
    counts_before: dict[str, int]
    counts_after: dict[str, int]
    result: dg.ExecuteInProcessResult


def table_counts(warehouse: Path) -> dict[str, int]:
    """Rows per table outside governance_ops (whose audit mirror grows with every attempt)."""
    with read_only(warehouse) as con:
        tables = con.execute(
            """select schema_name, table_name from duckdb_tables()
               where schema_name <> 'governance_ops' order by 1, 2"""
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0]
            for s, t in tables
        }


def tables_containing(warehouse: Path, needle: str) -> list[str]:
    """Every table with a text column containing ``needle`` anywhere (governance_ops aside)."""
    found = []
    with read_only(warehouse) as con:
        columns = con.execute(
            """select table_schema, table_name, list(column_name)
               from information_schema.columns c
               join information_schema.tables t using (table_catalog, table_schema, table_name)
               where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'
                 and table_schema <> 'governance_ops'
               group by all"""
        ).fetchall()
        for schema, table, names in columns:
            condition = " or ".join(f'contains("{c}", ?)' for c in names)
            sql = f'select count(*) from "{schema}"."{table}" where {condition}'
            if con.execute(sql, [needle] * len(names)).fetchall()[0][0]:
                found.append(f"{schema}.{table}")
    return found


def pick_fully_expired_prospect(warehouse: Path, manifest: dict) -> str:
    """An expired prospect all of whose records the manifest deletes (nothing of them stays)."""
    deleted = {
        (i["record_table"], i["record_id"]) for i in manifest["items"] if i["action"] == "delete"
    }
    candidates = [
        i for i in manifest["items"]
        if i["record_table"] == "prospects" and i["reason"] == "retention_expired"
    ]  # fmt: skip
    with read_only(warehouse) as con:
        for item in candidates:
            records = con.execute(
                """select record_table, record_id from governance.record_retention_statuses
                   where person_id = ?""",
                [item["person_id"]],
            ).fetchall()
            if len(records) > 1 and all(r in deleted for r in records):
                return item["record_id"]
    raise AssertionError("the sample has no prospect whose records all expired")


def pick_kept_customer(warehouse: Path) -> str:
    with read_only(warehouse) as con:
        return con.execute(
            """select record_id from governance.record_retention_statuses
               where record_type = 'customer' and retention_status = 'active'
               order by record_id limit 1"""
        ).fetchall()[0][0]


def run_erase_job(warehouse: Path, manifest_id: str) -> dg.ExecuteInProcessResult:
    """The real job with its real GX check (``manifest_erasure__no_erased_record_survives``)."""
    definitions = dg.Definitions(
        assets=[manifest_erasure],
        asset_checks=[build_check(spec) for spec in erasure_suites()],
        jobs=[erase_manifest_job],
        resources={
            "warehouse": WarehouseResource(
                database=str(warehouse), connection_config=connection_config()
            ),
            "pipeline_settings": PipelineSettings(),
        },
    )
    return definitions.resolve_job_def("erase_manifest_job").execute_in_process(
        run_config={"manifest_id": manifest_id},
        instance=dg.DagsterInstance.ephemeral(),
    )


def fresh_copy(run: ErasureRun, directory: Path) -> tuple[Path, Path]:
    """A data dir with the marked, not yet erased warehouse and the manifests."""
    data_dir = directory / "data"
    shutil.copytree(run.manifest_path.parents[1], data_dir / "manifests")
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(run.pristine, warehouse)
    return data_dir, warehouse


@pytest.fixture(scope="module")
def erasure_run(pipeline_run, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ErasureRun]:
    root = tmp_path_factory.mktemp("erasure")
    data_dir = root / "data"
    data_dir.mkdir()
    manifest_path = latest_manifest_path(pipeline_run.as_of, pipeline_run.data_dir)
    assert manifest_path is not None
    shutil.copytree(manifest_path.parents[1], data_dir / "manifests")
    manifest_path = data_dir / "manifests" / manifest_path.parent.name / manifest_path.name
    manifest = json.loads(manifest_path.read_bytes())
    warehouse = data_dir / "warehouse.duckdb"  # the catalog name follows the file name
    shutil.copy(pipeline_run.warehouse_path, warehouse)

    prospect_id = pick_fully_expired_prospect(warehouse, manifest)
    kept_customer_id = pick_kept_customer(warehouse)
    con = connect(warehouse)
    try:
        con.execute(
            "update landing.prospects set company_name = ? where prospect_id = ?",
            [MARKER, prospect_id],
        )
        con.execute(
            "update landing.customers set billing_city = ? where customer_id = ?",
            [CONTROL, kept_customer_id],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    pristine = root / "pristine.duckdb"
    shutil.copy(warehouse, pristine)
    assert MARKER.encode() in warehouse.read_bytes(), "the marker must be visible before"
    counts_before = table_counts(warehouse)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRM_DATA_DIR", str(data_dir))
        result = run_erase_job(warehouse, manifest_path.stem[:16])
    yield ErasureRun(
        pristine, warehouse, data_dir, manifest_path, manifest, prospect_id,
        kept_customer_id, counts_before, table_counts(warehouse), result,
    )  # fmt: skip


def test_expired_prospect_appears_in_the_manifest_and_is_gone_after_the_erasure_job(
    erasure_run: ErasureRun,
) -> None:
    run = erasure_run
    assert run.result.success
    item = next(
        i for i in run.manifest["items"] if i["record_key"] == f"prospects:{run.prospect_id}"
    )
    assert (item["action"], item["reason"]) == ("delete", "retention_expired")
    assert tables_containing(run.warehouse, run.prospect_id) == []
    assert tables_containing(run.warehouse, MARKER) == []


def test_the_gx_check_finds_no_erased_record_surviving_and_stores_counts(
    erasure_run: ErasureRun,
) -> None:
    evaluations = erasure_run.result.get_asset_check_evaluations()
    assert [(e.check_name, e.passed) for e in evaluations] == [
        ("manifest_erasure__no_erased_record_survives", True)
    ]
    with read_only(erasure_run.warehouse) as con:
        rows = con.execute(
            f"""select expectation_type, passed, element_count, unexpected_count
                from {RESULTS_TABLE} where run_id = ? order by 1""",
            [erasure_run.result.run_id],
        ).fetchall()
        (skipped,) = con.execute(
            "select skipped_legal_hold_json from governance_ops.erasure_runs"
        ).fetchall()[0]
    held = {tuple(r) for r in json.loads(skipped)}
    erased = [
        i for i in erasure_run.manifest["items"]
        if (i["action"], i["anonymize_with"]) in {("delete", None), ("anonymize", "null")}
        and (i["record_table"], i["record_id"]) not in held
    ]  # fmt: skip
    assert rows, "the check must store its result in the warehouse it guards"
    assert all(passed for _, passed, _, _ in rows)
    # Every erased item was looked up: not an empty frame passing by default.
    assert {count for _, _, count, _ in rows} == {len(erased)} != {0}


def test_the_gx_check_fails_when_an_erased_record_is_put_back(
    erasure_run: ErasureRun, tmp_path: Path
) -> None:
    """A re-ingest or a restore from backup brings an expired prospect back: the check says so."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(erasure_run.warehouse, warehouse)
    con = connect(warehouse)
    try:
        con.execute(f"attach '{erasure_run.pristine}' as pristine (read_only)")
        restored = con.execute(
            """insert into landing.prospects
               select * from pristine.landing.prospects where prospect_id = ?
               returning prospect_id""",
            [erasure_run.prospect_id],
        ).fetchall()
        con.execute("detach pristine")
        assert len(restored) == 1
        (spec,) = erasure_suites()
        outcome = run_and_store(con, spec, run_id="restored-backup", as_of=dt.date(2026, 11, 23))
    finally:
        con.close()
    assert not outcome.passed
    assert outcome.unexpected_total == 1


def test_marker_bytes_are_gone_from_the_file_and_no_wal_is_left(erasure_run: ErasureRun) -> None:
    data = erasure_run.warehouse.read_bytes()
    assert MARKER.encode() not in data
    assert CONTROL.encode() in data, "positive control: a kept row is still readable in bytes"
    assert not wal_path(erasure_run.warehouse).exists()
    leftovers = [p.name for p in erasure_run.warehouse.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_every_deleted_record_is_gone_and_restricted_records_are_kept(
    erasure_run: ErasureRun,
) -> None:
    run = erasure_run
    items = run.manifest["items"]
    deleted = [i for i in items if i["action"] == "delete"]
    restricted = [i for i in items if i["action"] == "restrict"]
    assert deleted and restricted
    assert any(i["record_table"] == "invoices" for i in restricted)
    with read_only(run.warehouse) as con:
        landing = {
            t: {r[0] for r in con.execute(f"select {t[:-1]}_id from landing.{t}").fetchall()}
            for t in ("prospects", "invoices", "orders", "consents", "marketing_sends")
        }
        statuses = {
            r[0] for r in con.execute(
                "select record_key from governance.record_retention_statuses"
            ).fetchall()
        }  # fmt: skip
    for item in deleted:
        assert item["record_key"] not in statuses
        if item["record_table"] in landing:
            assert item["record_id"] not in landing[item["record_table"]]
    for item in restricted:
        if item["record_table"] in landing:
            assert item["record_id"] in landing[item["record_table"]], "restricted, not deleted"
    assert run.counts_after["landing.customers"] == run.counts_before["landing.customers"] - sum(
        1 for i in deleted if i["record_table"] == "customers"
    )


def test_the_erasure_is_in_the_audit_log_with_counts_and_an_intact_hash_chain(
    erasure_run: ErasureRun,
) -> None:
    run = erasure_run
    path = audit_log_path(run.data_dir)
    entries = read_entries(path)
    assert [e["event"] for e in entries] == ["started", "completed"]
    completed = entries[-1]
    assert completed["manifest_id"] == run.manifest_path.stem
    assert completed["outcome"] == "completed" and completed["verification"]["ok"]
    assert completed["counts"]["landing.prospects"]["rows_deleted"] >= 1
    assert completed["warehouse_bytes_before"] > 0 and completed["warehouse_bytes_after"] > 0
    assert verify_audit_log(path).ok
    with read_only(run.warehouse) as con:
        mirrored = con.execute(
            "select seq, entry_hash from governance_ops.audit_log order by seq"
        ).fetchall()
    assert mirrored == [(e["seq"], e["entry_hash"]) for e in entries]
    text = path.read_text(encoding="utf-8")
    assert MARKER not in text and "@" not in text, "the audit log holds ids and counts only"


def test_a_tampered_audit_log_line_of_a_real_erasure_is_detected(
    erasure_run: ErasureRun, tmp_path: Path
) -> None:
    copy = tmp_path / "audit_log.jsonl"
    lines = audit_log_path(erasure_run.data_dir).read_bytes().splitlines()
    lines[-1] = lines[-1].replace(b'"outcome":"completed"', b'"outcome":"skipped"')
    copy.write_bytes(b"\n".join(lines) + b"\n")
    result = verify_audit_log(copy)
    assert (result.ok, result.bad_line) == (False, len(lines))


def test_rerunning_a_finished_erasure_changes_nothing_and_the_log_says_so(
    erasure_run: ErasureRun, tmp_path: Path
) -> None:
    data_dir, warehouse = fresh_copy(erasure_run, tmp_path)
    first = execute_erasure(erasure_run.manifest_path, warehouse, data_dir)
    counts = table_counts(warehouse)
    second = execute_erasure(erasure_run.manifest_path, warehouse, data_dir)
    assert (first.outcome, second.outcome) == ("completed", "already_applied")
    assert table_counts(warehouse) == counts == erasure_run.counts_after
    assert [e["event"] for e in read_entries(audit_log_path(data_dir))] == [
        "started",
        "completed",
        "rerun",
    ]


@pytest.mark.parametrize("phase", ["before_commit", "after_commit", "copied", "replaced"])
def test_a_kill_9_during_erasure_followed_by_a_rerun_converges(
    erasure_run: ErasureRun, tmp_path: Path, phase: str
) -> None:
    data_dir, warehouse = fresh_copy(erasure_run, tmp_path)
    manifest_id = erasure_run.manifest_path.stem
    process = subprocess.Popen(
        [
            sys.executable, "-m", "orchestration.defs.erasure.cli",
            "--manifest-id", manifest_id, "--warehouse", str(warehouse),
            "--data-dir", str(data_dir),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, PAUSE_ENV: phase, "CRM_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    paused = state_dir(data_dir, manifest_id) / f"paused-at-{phase}"
    deadline = time.monotonic() + 120
    while not paused.exists():
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, f"the erasure never reached {phase}"
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    outcome = execute_erasure(erasure_run.manifest_path, warehouse, data_dir)
    assert (outcome.outcome, outcome.attempts, outcome.resumed) == ("completed", 2, True)
    assert table_counts(warehouse) == erasure_run.counts_after
    assert MARKER.encode() not in warehouse.read_bytes()
    assert not wal_path(warehouse).exists()
    path = audit_log_path(data_dir)
    entries = read_entries(path)
    assert [e["event"] for e in entries] == ["started", "resumed", "completed"]
    in_transaction = phase in ("before_commit", "after_commit")
    assert entries[1]["resumed_from_phase"] == ("planned" if in_transaction else phase)
    reference = read_entries(audit_log_path(erasure_run.data_dir))[-1]
    assert entries[-1]["counts"] == reference["counts"]
    assert verify_audit_log(path).ok


def test_the_manifest_after_the_erasure_reports_its_items_as_resolved(
    pipeline_run, erasure_run: ErasureRun, tmp_path: Path
) -> None:
    data_dir, warehouse = fresh_copy(erasure_run, tmp_path)
    shutil.copy(erasure_run.warehouse, warehouse)
    deletes = sum(1 for i in erasure_run.manifest["items"] if i["action"] == "delete")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRM_DATA_DIR", str(data_dir))
        result = dg.materialize(
            [deletion_manifest],
            resources={
                "warehouse": WarehouseResource(
                    database=str(warehouse), connection_config=connection_config()
                ),
                "pipeline_settings": PipelineSettings(as_of=pipeline_run.as_of.isoformat()),
            },
            instance=dg.DagsterInstance.ephemeral(),
        )
    metadata = result.asset_materializations_for_node("outputs__deletion_manifest")[0].metadata
    assert metadata["previous_manifest_id"].value == erasure_run.manifest_path.stem
    assert metadata["diff: new"].value == 0
    assert metadata["diff: resolved"].value >= deletes
    assert metadata["action: delete"].value == 0
