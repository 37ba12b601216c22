"""The GX quality checks: real suites, real DuckDB, on the shared nightly run and on a copy.

The planted-finding test works on a copy of the warehouse in ``tmp_path``: the shared run's
warehouse is read by other tests and must stay as the pipeline left it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from expectations.suites import all_suites, audit_suites
from orchestration.lib.warehouse import WarehouseResource, connection_config, read_only

RESULTS = "governance_ops.quality_check_results"
#: A sentence the scanner's tests list as a German HEALTH positive.
PLANTED_NOTE = "Frau Albers ist Asthmatikerin, bitte keine Duftkerzen ins Paket."


def _results(pipeline_run) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    with read_only(pipeline_run.warehouse_path) as con:
        return con.execute(
            f"""select check_name, bool_and(passed), any_value(is_blocking),
                       sum(unexpected_count)::bigint
                from {RESULTS} where run_id = ? group by 1 order by 1""",
            [pipeline_run.summary.run_id],
        ).fetchall()


def test_every_suite_stores_its_result_for_the_nightly_run(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    stored = {name for name, *_ in _results(pipeline_run)}
    assert stored == {spec.check_name for spec in [*all_suites(), *audit_suites()]}


def test_blocking_checks_pass_on_the_sample(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    failed = [
        name for name, passed, blocking, _ in _results(pipeline_run) if blocking and not passed
    ]
    assert failed == []
    dagster_checks = {c.check: c.passed for c in pipeline_run.summary.checks}
    for spec in all_suites():
        if spec.blocking:
            assert dagster_checks[spec.check_name], spec.check_name


def test_sends_without_consent_fail_the_advisory_check_with_the_marts_count(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    """The sample plants sends without valid consent: the audit suite must count exactly those.

    The audit suite runs with the report; the Dagster asset check counts the same sends in SQL
    (``tests/quality/test_consent_check.py``).
    """
    rows = {name: (passed, unexpected) for name, passed, _, unexpected in _results(pipeline_run)}
    passed, unexpected = rows["int_marketing_sends_validated__sent_with_valid_consent"]
    with read_only(pipeline_run.warehouse_path) as con:
        expected = con.execute(
            """select sum(sends_without_valid_consent) + sum(sends_after_objection)
               from governance.consent_coverages"""
        ).fetchall()[0][0]
    assert expected > 0, "the sample must plant sends without consent for this test to mean much"
    assert not passed
    assert unexpected == expected


def test_check_results_hold_counts_and_names_only_never_a_canary(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    canaries = (pipeline_run.export_dir / "canaries.txt").read_text(encoding="utf-8").split()
    with read_only(pipeline_run.warehouse_path) as con:
        columns = [
            r[0]
            for r in con.execute(
                """select column_name from information_schema.columns
                   where table_schema = 'governance_ops' and table_name = 'quality_check_results'"""
            ).fetchall()
        ]
        dump = repr(con.execute(f"select * from {RESULTS}").fetchall())
    assert not any(c in dump for c in canaries)
    assert not any("value" in c or "unexpected_list" in c for c in columns)


def _run_check_on_copy(warehouse: Path, check_name: str, as_of: str) -> dg.ExecuteInProcessResult:
    spec = next(s for s in all_suites() if s.check_name == check_name)
    from orchestration.defs.quality.checks import build_check
    from orchestration.lib.pipeline_settings import PipelineSettings

    check = build_check(spec)
    job = dg.define_asset_job(
        "quality_check_on_copy",
        selection=dg.AssetSelection.checks(check),
        executor_def=dg.in_process_executor,
    )
    defs = dg.Definitions(
        asset_checks=[check],
        jobs=[job],
        resources={
            "warehouse": WarehouseResource(
                database=str(warehouse), connection_config=connection_config()
            ),
            "pipeline_settings": PipelineSettings(as_of=as_of),
        },
    )
    return defs.resolve_job_def("quality_check_on_copy").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )


def test_planted_unredacted_finding_fails_the_blocking_check_and_turns_the_report_red(
    pipeline_run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        planted = con.execute(
            """update landing.service_notes set note_text = ?
               where service_note_id = (select min(service_note_id) from landing.service_notes)
               returning service_note_id""",
            [PLANTED_NOTE],
        ).fetchall()
    finally:
        con.close()
    assert len(planted) == 1

    result = _run_check_on_copy(
        copy, "service_notes__no_unredacted_special_category", pipeline_run.as_of.isoformat()
    )
    assert not result.success, "a blocking ERROR check must fail the run"
    evaluations = result.get_asset_check_evaluations()
    assert [e.passed for e in evaluations] == [False]
    assert evaluations[0].severity == dg.AssetCheckSeverity.ERROR
    # The full scan names the planted record by id, with counts per column and category.
    metadata = {k: getattr(v, "value", v) for k, v in evaluations[0].metadata.items()}
    assert metadata["suspected_leaks"] == 1
    assert metadata["suspected: service_notes.note_text HEALTH"] == 1
    assert metadata["first_record_ids"] == planted[0][0]
    assert "Asthmatikerin" not in repr(metadata)

    from orchestration.defs.reporting.assets import render_to

    with read_only(copy) as ro:
        stored = ro.execute(
            f"select passed, unexpected_count from {RESULTS} where run_id = ?", [result.run_id]
        ).fetchall()
        path, overall, _ = render_to(
            ro, tmp_path / "report", as_of=pipeline_run.as_of, run_id=result.run_id
        )
    assert stored == [(False, 1)]
    assert overall == "red"
    html = path.read_text(encoding="utf-8")
    assert 'id="chk-service_notes__no_unredacted_special_category"' in html
    assert PLANTED_NOTE not in html and "Asthmatikerin" not in html


@pytest.mark.parametrize("spec", [*all_suites(), *audit_suites()], ids=lambda s: s.check_name)
def test_every_check_is_named_after_the_asset_it_guards(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec.check_name.split("__")[0] == spec.asset[-1]
