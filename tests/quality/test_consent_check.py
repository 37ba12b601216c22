"""Marketing sends without valid consent fail a Dagster asset check (ERROR, not blocking).

Real Dagster materialization: the shared nightly run on the generated sample, which plants such
sends on purpose. The check's counts must equal an independent count on the governance mart
the DPO report reads, its metadata must hold counts only, and the CLI summary must show it.
"""

from __future__ import annotations

from orchestration.defs.quality.consent import CHECK_NAME
from orchestration.lib.warehouse import read_only
from orchestration.run import format_summary


def consent_check(pipeline_run):  # type: ignore[no-untyped-def]
    (check,) = [c for c in pipeline_run.summary.checks if c.check == CHECK_NAME]
    return check


def test_sends_without_consent_fail_the_asset_check_with_error_severity_but_do_not_block(
    pipeline_run,
) -> None:
    check = consent_check(pipeline_run)
    assert check.asset == "intermediate/int_marketing_sends_validated"
    assert (check.passed, check.severity, check.blocking) == (False, "ERROR", False)
    assert pipeline_run.summary.success, "a non-blocking failure must not fail the run"
    # Downstream of the model, the report was still written.
    report = pipeline_run.data_dir / "reports" / pipeline_run.as_of.isoformat()
    assert (report / "compliance_report.html").is_file()


def test_the_check_counts_equal_the_consent_mart_the_report_reads(pipeline_run) -> None:
    counts = dict(consent_check(pipeline_run).counts)
    with read_only(pipeline_run.warehouse_path) as con:
        total, without, after_objection = con.execute(
            """select sum(sends_total), sum(sends_without_valid_consent),
                      sum(sends_after_objection)
               from governance.consent_coverages"""
        ).fetchall()[0]
    assert without > 0, "the sample plants sends without consent"
    assert counts["sends_total"] == total
    assert counts["sends_without_valid_consent"] == without
    assert counts["sends_after_objection"] == after_objection
    assert 0 < counts["persons_affected"] <= without + after_objection


def test_the_check_metadata_holds_counts_only(pipeline_run) -> None:
    counts = dict(consent_check(pipeline_run).counts)
    assert set(counts) == {
        "sends_total",
        "sends_without_valid_consent",
        "sends_after_objection",
        "persons_affected",
        "campaigns_affected",
    }
    assert all(isinstance(v, int) for v in counts.values())


def test_the_cli_summary_prints_the_consent_check_as_failed_not_blocking(pipeline_run) -> None:
    text = format_summary(pipeline_run.summary)
    counts = dict(consent_check(pipeline_run).counts)
    line = next(x for x in text.splitlines() if CHECK_NAME in x)
    assert line.strip().startswith("FAILED [ERROR, not blocking]")
    assert f"sends_without_valid_consent {counts['sends_without_valid_consent']:,}" in line
    assert "1 failed (0 blocking)" in text
