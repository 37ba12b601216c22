"""The whole nightly job on a generated sample CRM: real Dagster, DuckDB and dbt, in process."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.lib.crm_schema import TABLES
from orchestration.lib.settings import BUSINESS_TIMEZONE, REPO_ROOT, WAREHOUSE_POOL
from orchestration.lib.warehouse import read_only


def export_row_counts(export_dir: Path) -> dict[str, int]:
    manifest = json.loads((export_dir / "export.json").read_text(encoding="utf-8"))
    return {name: entry["rows"] for name, entry in manifest["tables"].items()}


def test_nightly_run_succeeds_and_every_check_but_the_planted_consent_violation_passes(
    pipeline_run,
) -> None:
    """The sample plants marketing sends without consent on purpose: that check fails (ERROR,
    not blocking, ``tests/quality/test_consent_check.py``); every other check passes."""
    summary = pipeline_run.summary
    assert summary.success
    assert summary.checks, "the run evaluated no checks at all"
    failed = [(c.check, c.severity, c.blocking) for c in summary.failed_checks]
    assert failed == [("marketing_sends_have_valid_consent", "ERROR", False)]


def test_landing_and_staging_hold_every_exported_row(pipeline_run) -> None:
    expected = export_row_counts(pipeline_run.export_dir)
    assert set(expected) == {t.name for t in TABLES}
    with read_only(pipeline_run.warehouse_path) as con:
        for table in TABLES:
            landing = con.execute(f"select count(*) from landing.{table.name}").fetchone()[0]
            staging = con.execute(f"select count(*) from staging.stg_crm__{table.name}").fetchone()[
                0
            ]
            assert (table.name, landing) == (table.name, expected[table.name])
            assert (table.name, staging) == (table.name, expected[table.name])
        assert con.execute("select count(*) from landing.quarantine").fetchone() == (0,)


def test_every_landing_row_carries_its_provenance(pipeline_run) -> None:
    manifest = json.loads((pipeline_run.export_dir / "export.json").read_text(encoding="utf-8"))
    with read_only(pipeline_run.warehouse_path) as con:
        for table in TABLES:
            rows = con.execute(
                f"""select count(*) from landing.{table.name}
                    where _export_id = ? and _source_file = ? and _source_system = ?
                      and _loaded_at is not null and _row_number between 1 and ?""",
                [
                    manifest["export_id"],
                    table.file_name,
                    manifest["source_system"],
                    manifest["tables"][table.name]["rows"],
                ],
            ).fetchone()[0]
            assert rows == manifest["tables"][table.name]["rows"], table.name


def test_every_free_text_value_is_recorded_by_the_scanner_seam(pipeline_run) -> None:
    with read_only(pipeline_run.warehouse_path) as con:
        for table in TABLES:
            for column in table.free_text_columns:
                values = con.execute(
                    f"select count({column}) from landing.{table.name}"
                ).fetchone()[0]
                recorded = con.execute(
                    """select count(*) from landing.free_text_scan_status
                       where table_name = ? and column_name = ?""",
                    [table.name, column],
                ).fetchone()[0]
                assert values > 0, f"{table.name}.{column} has no free text in the sample"
                assert recorded == values, f"{table.name}.{column}"


def test_assets_return_counts_so_nothing_is_pickled_into_dagster_storage(pipeline_run) -> None:
    storage = pipeline_run.dagster_home / "storage"
    files = [p for p in storage.rglob("*") if p.is_file()] if storage.exists() else []
    # Compute logs live under storage/<run id>/compute_logs; anything else is a stored output.
    pickled = [p for p in files if "compute_logs" not in p.relative_to(storage).parts]
    assert pickled == []


def test_every_warehouse_writer_is_in_the_one_writer_pool() -> None:
    from orchestration.definitions import defs

    definitions = defs()
    pools = {
        key.to_user_string(): assets_def.op.pool
        for assets_def in definitions.resolve_asset_graph().assets_defs
        if assets_def.is_executable
        for key in assets_def.keys
    }
    assert pools, "no executable assets"
    assert {k: p for k, p in pools.items() if p != WAREHOUSE_POOL} == {}


def test_definitions_validate_with_the_dagster_cli() -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dagster")),
            "definitions",
            "validate",
            "-w",
            "workspace.yaml",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_schedule_runs_at_two_in_berlin_with_that_day_as_as_of() -> None:
    from orchestration.defs.nightly.schedules import run_nightly_governance_job_schedule

    assert run_nightly_governance_job_schedule.cron_schedule == "0 2 * * *"
    assert run_nightly_governance_job_schedule.execution_timezone == "Europe/Berlin"
    scheduled = dt.datetime(2026, 3, 29, 2, 0, tzinfo=BUSINESS_TIMEZONE)
    context = dg.build_schedule_context(scheduled_execution_time=scheduled)
    request = run_nightly_governance_job_schedule.evaluate_tick(context).run_requests[0]
    assert request.run_config["resources"]["pipeline_settings"]["config"] == {"as_of": "2026-03-29"}


def test_sensor_starts_one_run_per_new_export_and_remembers_it(pipeline_run) -> None:
    from orchestration.defs.nightly.sensors import new_crm_export_sensor

    with dg.instance_for_test() as instance:
        first = new_crm_export_sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        export_ids = [r.run_key for r in first.run_requests]
        assert json.loads((pipeline_run.export_dir / "export.json").read_text())["export_id"] in (
            export_ids
        )
        again = new_crm_export_sensor.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        assert again.run_requests == []
