"""Suspected leaks are contained, not fatal; a blocking failure still ends with a red report.

Three nights, each on its own data directory, replayed with the real nightly job:
- contained: the scanner switched off for ingest (``free_text_hook.mode = unscanned``), so raw
  special-category text reaches the ingest; the independent guard holds every value with a
  suspected special-category word (review marker, ``landing.free_text_review``), the full-table
  check finds none left, and the run ends green with the held values in the report;
- failed: the guard switched off as well (``guard: false``, only for diagnosing): raw text lands,
  the curated-free-text check's full scan finds it, Dagster skips everything downstream and
  fails the run, and the job's failure hook renders the DPO report from what the warehouse holds
  (yesterday's governance tables are in the copied warehouse);
- first: the same failure on a FIRST run (an empty warehouse: dbt has built nothing): the hook
  still renders the red report, and the sections whose tables do not exist say so.
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
from orchestration.lib.guard import load_guard
from orchestration.lib.warehouse import read_only
from orchestration.run import RunSummary, run_nightly

RESULTS = "governance_ops.quality_check_results"
CHECK = "service_notes__no_unredacted_special_category"


def _night(
    root: Path, as_of: dt.date, *, guard: bool, warehouse_from: Path | None
) -> tuple[RunSummary, Path, Path]:
    data_dir = root / "data"
    data_dir.mkdir()
    export_dir = root / "crm_exports" / "tonight"
    subprocess.run(
        [
            sys.executable, "-m", "orchestration.sample_crm", "--out", str(export_dir),
            "--customers", "40", "--seed", "23", "--as-of", as_of.isoformat(), "--canaries",
        ],
        check=True,
    )  # fmt: skip
    warehouse = data_dir / "warehouse.duckdb"
    if warehouse_from is not None:
        shutil.copy(warehouse_from, warehouse)
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
                "free_text_hook": {"mode": "unscanned", "guard": guard},
            },
        )
    return summary, data_dir, export_dir


@pytest.fixture(scope="module")
def contained_night(pipeline_run, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    as_of = pipeline_run.as_of + dt.timedelta(days=1)
    return _night(
        tmp_path_factory.mktemp("contained-night"),
        as_of,
        guard=True,
        warehouse_from=pipeline_run.warehouse_path,
    )


@pytest.fixture(scope="module")
def failed_night(pipeline_run, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    as_of = pipeline_run.as_of + dt.timedelta(days=1)
    return _night(
        tmp_path_factory.mktemp("failed-night"),
        as_of,
        guard=False,
        warehouse_from=pipeline_run.warehouse_path,
    )


@pytest.fixture(scope="module")
def first_failed_night(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _night(
        tmp_path_factory.mktemp("first-night"),
        dt.date(2026, 11, 24),
        guard=False,
        warehouse_from=None,
    )


def _report_html(summary: RunSummary, data_dir: Path) -> str:
    path = data_dir / "reports" / summary.as_of.isoformat() / "compliance_report.html"
    assert path.is_file(), "every nightly run must end with a report"
    return path.read_text(encoding="utf-8")


def test_suspected_leaks_are_held_and_the_nightly_run_ends_green(contained_night) -> None:  # type: ignore[no-untyped-def]
    summary, data_dir, _ = contained_night
    assert summary.success
    assert not [c.check for c in summary.failed_checks if c.severity == "ERROR" and c.blocking]
    marker = load_guard().marker
    with read_only(data_dir / "warehouse.duckdb") as con:
        held = con.execute(
            "select record_id from landing.free_text_review where table_name = 'service_notes'"
        ).fetchall()
        stored = dict(
            con.execute("select service_note_id, note_text from landing.service_notes").fetchall()
        )
        check = con.execute(
            f"select passed, element_count from {RESULTS} where run_id = ? and check_name = ?",
            [summary.run_id, CHECK],
        ).fetchall()
    assert held, "the raw sample plants special-category notes: the guard must hold some"
    assert all(stored[record_id] == marker for (record_id,) in held)
    assert check == [(True, sum(1 for text in stored.values() if text is not None))]
    html = _report_html(summary, data_dir)
    assert 'id="sec-review"' in html
    assert held[0][0] in html, "the review section lists held values by record id"


def test_without_the_guard_the_blocking_check_fails_the_nightly_run(failed_night) -> None:  # type: ignore[no-untyped-def]
    summary, _, _ = failed_night
    assert not summary.success
    failed = {c.check for c in summary.failed_checks if c.severity == "ERROR"}
    assert CHECK in failed
    assert "wishlist_submissions__no_unredacted_special_category" in failed


def test_the_failure_hook_renders_a_red_report_for_the_failed_run(failed_night) -> None:  # type: ignore[no-untyped-def]
    summary, data_dir, _ = failed_night
    html = _report_html(summary, data_dir)
    assert summary.run_id in html, "the report must be the failed run's, not yesterday's"
    assert TEXTS["de"]["verdict_red"] in html
    assert 'id="run-failed"' in html, "the report must say that the run failed"
    assert f'id="chk-{CHECK}"' in html
    with read_only(data_dir / "warehouse.duckdb") as con:
        stored = con.execute(
            f"select bool_and(passed) from {RESULTS} where run_id = ? and check_name = ?",
            [summary.run_id, CHECK],
        ).fetchall()
    assert stored == [(False,)]


def test_a_first_run_that_fails_still_ends_with_a_red_report(first_failed_night) -> None:  # type: ignore[no-untyped-def]
    summary, data_dir, _ = first_failed_night
    assert not summary.success
    html = _report_html(summary, data_dir)
    assert TEXTS["de"]["verdict_red"] in html
    assert 'id="run-failed"' in html and 'id="not-computed"' in html
    assert "intermediate.<wbr>int_<wbr>note_<wbr>findings_<wbr>resolved" in html


def test_the_red_reports_of_raw_text_still_hold_no_canary(failed_night, first_failed_night) -> None:  # type: ignore[no-untyped-def]
    """The warehouse holds raw canaries on those nights; the reports must still hold counts."""
    for _, data_dir, export_dir in (failed_night, first_failed_night):
        canaries = (export_dir / "canaries.txt").read_text(encoding="utf-8").split()
        assert canaries
        for report in (data_dir / "reports").rglob("*"):
            if report.is_file():
                data = report.read_bytes()
                assert not [c for c in canaries if c.encode() in data], report.name
