"""The DPO report asset (group ``outputs``): ``data/reports/<as_of>/compliance_report.html``.

Before rendering it runs the audit suites (history the pipeline cannot change, e.g. past
marketing sends without consent) and stores their results beside the asset checks' results.
It depends on every table it reads and on every table a quality suite guards: the quality checks
are declared blocking, so Dagster runs them before this asset and the report shows this run's
results. A blocking failure (ERROR) skips this asset and fails the run; the nightly job's failure
hook (``on_failure.py``) then renders the report anyway, red, from the same ``produce_report``.

German by default; ``CRM_REPORT_LANGUAGE=en`` or the asset config ``language: en`` switch to
English. A PDF (WeasyPrint) is written beside the HTML; the asset metadata says where.
"""

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from expectations.results import run_and_store
from expectations.runner import SuiteOutcome
from expectations.suites import all_suites, audit_suites
from orchestration.defs.reporting.pdf import write_pdf
from orchestration.defs.reporting.render import REQUESTS_CSV, build_report, render_html
from orchestration.defs.reporting.requests_csv import write_open_requests_csv
from orchestration.lib import settings
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

OUTPUTS_GROUP = "outputs"
REPORT_NAME = "compliance_report"

READ_ASSETS = [
    dg.AssetKey(["governance", name])
    for name in (
        "special_category_findings",
        "record_retention_statuses",
        "consent_coverages",
        "data_subject_requests",
        "processing_activities",
        "role_access_report",
        "data_subjects",
        "marketing_eligibilities",
    )
] + [
    dg.AssetKey(["intermediate", "int_note_findings_resolved"]),
    dg.AssetKey(["landing", "redaction_notifications"]),
    dg.AssetKey(["outputs", "deletion_manifest"]),
]


def report_deps() -> list[dg.AssetKey]:
    guarded = [dg.AssetKey(list(spec.asset)) for spec in [*all_suites(), *audit_suites()]]
    return list(dict.fromkeys([*READ_ASSETS, *guarded]))


class ReportConfig(dg.Config):
    language: str = ""

    def resolved_language(self) -> str:
        language = (self.language or os.environ.get("CRM_REPORT_LANGUAGE", "") or "de").lower()
        if language not in ("de", "en"):
            raise ValueError(f"report language must be de or en, got {language!r}")
        return language


def render_to(
    con: duckdb.DuckDBPyConnection,
    directory: Path,
    *,
    as_of: dt.date,
    run_id: str,
    language: str = "de",
    failed_step: str | None = None,
    data_dir: Path | None = None,
    list_limit: int | None = None,
) -> tuple[Path, str, str]:
    """Render the report into ``directory``; returns (html path, overall status, pdf note).

    ``data_dir``: where the audit log and write-back files are (default: the pipeline's).
    The full list of open requests goes into ``open_requests.csv`` beside the HTML."""
    report = build_report(
        con,
        as_of=as_of,
        run_id=run_id,
        language=language,  # type: ignore[arg-type]
        failed_step=failed_step,
        data_dir=data_dir,
        list_limit=list_limit,
    )
    html = render_html(report)
    directory.mkdir(parents=True, exist_ok=True)
    if not {"governance.data_subject_requests", "policy.request_types"} & set(
        report.missing_tables
    ):
        write_open_requests_csv(
            con,
            directory / REQUESTS_CSV,
            report.erased_manifests,
            report.export_labels,
            with_manifest_items=report.with_manifest_items,
        )
    suffix = "" if language == "de" else f".{language}"
    path = directory / f"{REPORT_NAME}{suffix}.html"
    path.write_text(html, encoding="utf-8")
    pdf = write_pdf(html, path.with_suffix(".pdf"))
    return path, report.overall, pdf


@dataclass(frozen=True)
class ProducedReport:
    """Where the report went and what it said (for logs and asset metadata: no values)."""

    html_path: Path
    overall: str
    pdf: str
    audits: dict[str, SuiteOutcome]


def report_directory(as_of: dt.date) -> Path:
    return settings.data_dir() / "reports" / as_of.isoformat()


def report_language() -> str:
    """The language of unattended renders: ``CRM_REPORT_LANGUAGE`` or German."""
    return ReportConfig().resolved_language()


def produce_report(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.date,
    run_id: str,
    language: str,
    failed_step: str | None = None,
) -> ProducedReport:
    """Run the audit suites for ``run_id``, then render HTML and PDF into the as_of directory.

    An audit whose table this warehouse lacks (a first run that failed before dbt built it) is
    skipped; the report says which sections are not computed yet.
    """
    audits = {}
    for spec in audit_suites():
        try:
            audits[spec.check_name] = run_and_store(con, spec, run_id=run_id, as_of=as_of)
        except duckdb.CatalogException:
            continue
    path, overall, pdf = render_to(
        con,
        report_directory(as_of),
        as_of=as_of,
        run_id=run_id,
        language=language,
        failed_step=failed_step,
    )
    return ProducedReport(path, overall, pdf, audits)


@dg.asset(
    key=dg.AssetKey(["outputs", REPORT_NAME]),
    group_name=OUTPUTS_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"html"},
    deps=report_deps(),
    description=(
        "The DPO's compliance report: verdict per area, special categories, notifications, "
        "retention and deletion manifest, consent, requests, quality checks, Art. 30 record, "
        "role access and provenance. Counts and ids only."
    ),
)
def compliance_report(
    context: dg.AssetExecutionContext,
    config: ReportConfig,
    warehouse: WarehouseResource,
    pipeline_settings: PipelineSettings,
) -> dg.MaterializeResult:
    as_of = pipeline_settings.resolved_as_of()
    with warehouse.get_connection() as con:
        produced = produce_report(
            con, as_of=as_of, run_id=context.run.run_id, language=config.resolved_language()
        )
    context.log.info(
        f"compliance report: {produced.html_path} (verdict {produced.overall}); pdf {produced.pdf}"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(produced.html_path)),
            "verdict": produced.overall,
            **{
                f"audit {name}": "passed" if o.passed else f"failed ({o.unexpected_total} rows)"
                for name, o in produced.audits.items()
            },
            "pdf": produced.pdf,
        }
    )
