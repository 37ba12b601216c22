"""Run the nightly governance job once, in this process, and print what it produced.

``make demo`` calls this after generating the sample CRM: it materializes every asset and check of
the nightly job against the embedded warehouse and ends with a summary a data engineer can act on
(tables and row counts, check results, where the warehouse and outputs are). The summary shows
counts and names only, never values.

    python -m orchestration.run [--export-dir DIR] [--as-of YYYY-MM-DD] [--scan-workers N]
        [--dbt-full-refresh]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.lib import settings
from orchestration.lib.warehouse import fetch_first, read_only

NIGHTLY_JOB = "run_nightly_governance_job"
#: The op of the dbt step; its config (``DbtBuildConfig``) takes ``full_refresh``.
DBT_OP = "crm_governance_dbt_assets"


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    check: str
    passed: bool
    severity: str
    #: A blocking check's ERROR failure stops downstream assets; a non-blocking one only reports.
    blocking: bool = True
    #: The check's integer metadata (counts only), printed beside a failure.
    counts: tuple[tuple[str, int], ...] = ()

    def describe(self) -> str:
        kind = f"{self.severity}, {'blocking' if self.blocking else 'not blocking'}"
        counts = ", ".join(f"{name} {value:,}" for name, value in self.counts)
        return f"FAILED [{kind}] {self.asset} :: {self.check}" + (f" ({counts})" if counts else "")


@dataclass(frozen=True)
class RunSummary:
    success: bool
    run_id: str
    as_of: dt.date
    export_dir: Path
    warehouse_path: Path
    table_rows: list[tuple[str, int]]
    checks: list[CheckOutcome]

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed]


def prepare_instance() -> dg.DagsterInstance:
    """The Dagster instance of ``$DAGSTER_HOME``, set up first when run without ``make``.

    The README documents ``DAGSTER_HOME`` as defaulting to ``$CRM_DATA_DIR/dagster_home``: an
    unset variable gets that folder and the committed ``dagster.yaml`` (telemetry off, pools).
    """
    settings.ensure_dagster_home()
    return dg.DagsterInstance.get()


def run_nightly(
    export_dir: Path,
    as_of: dt.date,
    instance: dg.DagsterInstance | None = None,
    raise_on_error: bool = True,
    resource_config: Mapping[str, Mapping[str, Any]] | None = None,
    scan_workers: int | None = None,
    dbt_full_refresh: bool = False,
) -> RunSummary:
    """Execute the nightly job in process and collect counts and check outcomes.

    ``resource_config`` overrides resource fields for this run only, as the launchpad would
    (e.g. ``{"free_text_hook": {"guard": False}}``); ``pipeline_settings`` comes from the
    arguments (``scan_workers=None``: one scanner process per core for large batches).
    ``dbt_full_refresh`` rebuilds dbt's incremental models from scratch (``dbt --full-refresh``).
    """
    from orchestration.definitions import defs

    job = defs().resolve_job_def(NIGHTLY_JOB)
    run_config = {
        # Step-level progress without Dagster's per-event debug lines.
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
        "resources": {
            **{name: {"config": dict(fields)} for name, fields in (resource_config or {}).items()},
            "pipeline_settings": {
                "config": {
                    "as_of": as_of.isoformat(),
                    "export_dir": str(export_dir),
                    "scan_workers": scan_workers,
                }
            },
        },
    }
    if dbt_full_refresh:
        run_config["ops"] = {DBT_OP: {"config": {"full_refresh": True}}}
    instance = instance or prepare_instance()
    result = job.execute_in_process(
        run_config=run_config,
        instance=instance,
        tags={"as_of": as_of.isoformat()},
        raise_on_error=raise_on_error,
    )
    checks = [
        CheckOutcome(
            asset=evaluation.asset_key.to_user_string(),
            check=evaluation.check_name,
            passed=evaluation.passed,
            severity=evaluation.severity.value,
            blocking=bool(evaluation.blocking),
            counts=integer_metadata(evaluation.metadata),
        )
        for evaluation in result.get_asset_check_evaluations()
    ]
    warehouse = settings.warehouse_path()
    return RunSummary(
        success=result.success,
        run_id=result.run_id,
        as_of=as_of,
        export_dir=export_dir,
        warehouse_path=warehouse,
        table_rows=table_row_counts(warehouse),
        checks=sorted(checks, key=lambda c: (c.passed, c.asset, c.check)),
    )


def integer_metadata(metadata: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    """The integer entries of a check's metadata (counts), in a stable order."""
    counts = []
    for name, value in sorted(metadata.items()):
        raw = getattr(value, "value", value)
        if isinstance(raw, int) and not isinstance(raw, bool):
            counts.append((name, raw))
    return tuple(counts)


def table_row_counts(warehouse: Path) -> list[tuple[str, int]]:
    """Rows of every table (not view) in the warehouse, by schema-qualified name."""
    with read_only(warehouse) as con:
        tables = con.execute(
            """select table_schema, table_name from information_schema.tables
               where table_type = 'BASE TABLE' order by table_schema, table_name"""
        ).fetchall()
        counts = []
        for schema, name in tables:
            row = fetch_first(con.execute(f'select count(*) from "{schema}"."{name}"'))
            counts.append((f"{schema}.{name}", int(row[0]) if row else 0))
        return counts


#: Folders of the data directory that hold what the pipeline publishes.
OUTPUT_FOLDERS = ("outputs", "manifests", "reports", "exports_dsr", "audit")


def output_files(data_dir: Path) -> list[Path]:
    """Files the pipeline published under the data directory (not its internal state)."""
    return sorted(
        path
        for folder in OUTPUT_FOLDERS
        if (data_dir / folder).is_dir()
        for path in (data_dir / folder).rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )


def format_summary(summary: RunSummary) -> str:
    lines = [
        f"Nightly governance run {summary.run_id}: {'SUCCESS' if summary.success else 'FAILED'}",
        f"  as_of:      {summary.as_of.isoformat()}",
        f"  export:     {summary.export_dir}",
        f"  warehouse:  {summary.warehouse_path}",
        f"  dbt docs:   {settings.DBT_PROJECT_DIR / 'target'} (make docs to serve)",
        "",
        "Tables (rows):",
    ]
    width = max((len(name) for name, _ in summary.table_rows), default=10)
    lines += [f"  {name:<{width}}  {rows:>10,}" for name, rows in summary.table_rows]
    outputs = output_files(settings.data_dir())
    if outputs:
        lines += ["", "Outputs:"] + [f"  {path}" for path in outputs]
    passed = sum(c.passed for c in summary.checks)
    failed = summary.failed_checks
    blocking = sum(c.blocking and c.severity == "ERROR" for c in failed)
    lines += ["", f"Checks: {passed} passed, {len(failed)} failed ({blocking} blocking)"]
    lines += [f"  {c.describe()}" for c in failed]
    lines += ["", *report_lines(summary.as_of)]
    return "\n".join(lines)


def report_lines(as_of: dt.date) -> list[str]:
    """The DPO report's paths, last thing printed: it is what someone opens next."""
    directory = settings.data_dir() / "reports" / as_of.isoformat()
    reports = sorted(directory.glob("compliance_report*.*")) if directory.is_dir() else []
    if not reports:
        return [f"DPO compliance report: none written for {as_of.isoformat()} (see the run log)"]
    return ["DPO compliance report:", *(f"  {path}" for path in reports)]


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export-dir", type=Path, help="CRM export (default: newest export)")
    parser.add_argument("--as-of", type=settings.parse_as_of, help="reference date YYYY-MM-DD")
    parser.add_argument(
        "--scan-workers",
        type=_positive_int,
        help="scanner processes for the ingest's free-text scan (default: one per CPU core for "
        "batches of at least 2,000 notes to scan, else one)",
    )
    parser.add_argument(
        "--dbt-full-refresh",
        action="store_true",
        help="rebuild dbt's incremental models from scratch (dbt build --full-refresh)",
    )
    args = parser.parse_args(argv)
    from orchestration.lib.crm_export import latest_export

    export_dir = (args.export_dir or latest_export(settings.exports_root())).resolve()
    as_of = args.as_of or settings.default_as_of()
    summary = run_nightly(
        export_dir,
        as_of,
        raise_on_error=False,
        scan_workers=args.scan_workers,
        dbt_full_refresh=args.dbt_full_refresh,
    )
    print(format_summary(summary))
    return 0 if summary.success else 1


if __name__ == "__main__":
    sys.exit(main())
