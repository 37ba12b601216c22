"""A blocking check failing inside the real nightly job: the run fails, the report still says red.

The next night is replayed on a copy of the shared run's warehouse (yesterday's governance tables
are in it, as on any night but the first) with a new, small CRM export and the scanner switched
off for ingest (``free_text_hook.mode = unscanned``): raw special-category text reaches the
landing tables, the curated-free-text check's re-scan finds it, Dagster skips everything
downstream and fails the run, and the job's failure hook renders the DPO report from what the
warehouse holds.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.reporting.texts import TEXTS
from orchestration.lib.warehouse import read_only
from orchestration.run import RunSummary, run_nightly

RESULTS = "governance_ops.quality_check_results"


@pytest.fixture(scope="module")
def failed_night(
    pipeline_run, tmp_path_factory: pytest.TempPathFactory
) -> tuple[RunSummary, Path, Path]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("failed-night")
    data_dir = root / "data"
    data_dir.mkdir()
    as_of = pipeline_run.as_of + dt.timedelta(days=1)
    export_dir = root / "crm_exports" / "tonight"
    subprocess.run(
        [
            sys.executable, "-m", "orchestration.sample_crm", "--out", str(export_dir),
            "--customers", "40", "--seed", "23", "--as-of", as_of.isoformat(), "--canaries",
        ],
        check=True,
    )  # fmt: skip
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRM_DATA_DIR", str(data_dir))
        patch.setenv("CRM_WAREHOUSE_PATH", str(warehouse))
        summary = run_nightly(
            export_dir,
            as_of,
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
            resource_config={
                "warehouse": {"database": str(warehouse)},
                "free_text_hook": {"mode": "unscanned"},
            },
        )
    return summary, data_dir, export_dir


def test_the_blocking_check_fails_the_nightly_run(failed_night) -> None:  # type: ignore[no-untyped-def]
    summary, _, _ = failed_night
    assert not summary.success
    failed = {c.check for c in summary.failed_checks if c.severity == "ERROR"}
    assert "service_notes__no_unredacted_special_category" in failed
    assert "wishlist_submissions__no_unredacted_special_category" in failed


def test_the_failure_hook_renders_a_red_report_for_the_failed_run(failed_night) -> None:  # type: ignore[no-untyped-def]
    summary, data_dir, _ = failed_night
    path = data_dir / "reports" / summary.as_of.isoformat() / "compliance_report.html"
    assert path.is_file(), "the report must be rendered although the report asset was skipped"
    html = path.read_text(encoding="utf-8")
    assert summary.run_id in html, "the report must be the failed run's, not yesterday's"
    assert TEXTS["de"]["verdict_red"] in html
    assert 'id="run-failed"' in html, "the report must say that the run failed"
    assert 'id="chk-service_notes__no_unredacted_special_category"' in html
    with read_only(data_dir / "warehouse.duckdb") as con:
        stored = con.execute(
            f"select bool_and(passed) from {RESULTS} where run_id = ? and check_name = ?",
            [summary.run_id, "service_notes__no_unredacted_special_category"],
        ).fetchall()
    assert stored == [(False,)]


def test_the_red_report_of_raw_text_still_holds_no_canary(failed_night) -> None:  # type: ignore[no-untyped-def]
    """The warehouse holds raw canaries tonight; the report must still hold only counts."""
    _, data_dir, export_dir = failed_night
    canaries = (export_dir / "canaries.txt").read_text(encoding="utf-8").split()
    assert canaries
    for report in (data_dir / "reports").rglob("*"):
        if report.is_file():
            data = report.read_bytes()
            assert not [c for c in canaries if c.encode() in data], report.name
