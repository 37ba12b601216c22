"""The DPO report asset (group ``outputs``): ``data/reports/<as_of>/compliance_report.html``.

Before rendering it runs the audit suites (history the pipeline cannot change, e.g. past
marketing sends without consent) and stores their results beside the asset checks' results.
It depends on every table it reads and on every table a quality suite guards: the quality checks
are declared blocking, so Dagster runs them before this asset and the report shows this run's
results. A blocking failure (ERROR) skips the report and fails the run; ``render_to`` can then be
called directly to show the red verdict (the test of a planted finding does so).

German by default; ``CRM_REPORT_LANGUAGE=en`` or the asset config ``language: en`` switch to
English. A PDF is written beside the HTML only when WeasyPrint is importable (it is not in the
locked environment yet); the asset metadata says which.
"""

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import duckdb

from expectations.suites import all_suites, audit_suites
from orchestration.defs.quality.results import run_and_store
from orchestration.defs.reporting.render import build_report, render_html
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


def write_pdf(html: str, path: Path) -> str:
    """Write the PDF with WeasyPrint if installed; return what happened, for the metadata."""
    try:
        import weasyprint  # type: ignore[import-not-found]
    except ImportError:
        return "not written: WeasyPrint is not installed (add `weasyprint` to the environment)"
    weasyprint.HTML(string=html).write_pdf(str(path))
    return str(path)


def render_to(
    con: duckdb.DuckDBPyConnection,
    directory: Path,
    *,
    as_of: dt.date,
    run_id: str,
    language: str = "de",
) -> tuple[Path, str, str]:
    """Render the report into ``directory``; returns (html path, overall status, pdf note)."""
    report = build_report(con, as_of=as_of, run_id=run_id, language=language)  # type: ignore[arg-type]
    html = render_html(report)
    directory.mkdir(parents=True, exist_ok=True)
    suffix = "" if language == "de" else f".{language}"
    path = directory / f"{REPORT_NAME}{suffix}.html"
    path.write_text(html, encoding="utf-8")
    pdf = write_pdf(html, path.with_suffix(".pdf"))
    return path, report.overall, pdf


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
    directory = settings.data_dir() / "reports" / as_of.isoformat()
    with warehouse.get_connection() as con:
        audits = {
            spec.check_name: run_and_store(con, spec, run_id=context.run.run_id, as_of=as_of)
            for spec in audit_suites()
        }
        path, overall, pdf = render_to(
            con,
            directory,
            as_of=as_of,
            run_id=context.run.run_id,
            language=config.resolved_language(),
        )
    context.log.info(f"compliance report: {path} (verdict {overall}); pdf {pdf}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "verdict": overall,
            **{
                f"audit {name}": "passed" if o.passed else f"failed ({o.unexpected_total} rows)"
                for name, o in audits.items()
            },
            "pdf": pdf,
        }
    )
