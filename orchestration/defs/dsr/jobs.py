"""The access/portability export as an op job, launched from the Dagster UI with config.

An op job, not an asset: the nightly job runs every asset outside group ``erasure``, and an
export must only run when a request asks for it. It only reads the warehouse (a read-only
connection) but sits in the warehouse pool, because DuckDB refuses a reader while another
process writes (DESIGN.md "One writer"). Run config and metadata carry the request label and
counts.

Dagster stores every run's config in its run storage, which no erasure reaches. So the launchpad
refuses an e-mail address as ``subject`` before the run exists (the job's config mapping runs
when the launch is validated, before the run is stored), and the command line
(``python -m orchestration.defs.dsr.cli``) resolves an e-mail to the subject id first and
launches the job with the id. The launchpad shows two fields only: ``subject`` and
``request_id``.
"""

import re
from pathlib import Path

import dagster as dg
from pydantic import Field

from orchestration.defs.dsr.export import export_subject
from orchestration.defs.dsr.resolve import identifier_kind
from orchestration.lib import settings
from orchestration.lib.actor import from_run_tags
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

OP_NAME = "export_subject_data"
EMAIL_REFUSED = (
    "subject looks like an e-mail address. Dagster keeps run config in its run storage, which "
    "no erasure reaches, so give the subject id instead (e.g. C0000042 or prospect:P0000007), "
    "or run `python -m orchestration.defs.dsr.cli --subject <e-mail>`, which resolves the "
    "address to the id before the run starts."
)


class ExportSubjectDataConfig(dg.Config):
    """Who the request is about, and the request's id."""

    subject: str = Field(
        default="",
        description=(
            "Required. Subject id: a customer id (e.g. C0000042), another subject id, or "
            "<subject_type>:<id> (e.g. prospect:P0000007). Not an e-mail address (see the job)."
        ),
    )
    request_id: str = Field(
        default="",
        description="CRM request id, used as the export folder name; empty: the Dagster run id.",
    )


def checked_subject(subject: str) -> str:
    """The subject id to export; refuses an empty subject and any e-mail address."""
    value = subject.strip()
    if not value:
        raise ValueError("subject is empty: give the subject id of the request (e.g. C0000042)")
    if identifier_kind(value) == "email":
        raise ValueError(EMAIL_REFUSED)
    return value


@dg.config_mapping
def export_request_config(config: ExportSubjectDataConfig) -> dict:
    """The launchpad's two fields, checked before the run is created (and stored)."""
    subject = checked_subject(config.subject)
    return {
        "ops": {OP_NAME: {"config": {"subject": subject, "request_id": config.request_id}}},
    }


@dg.op(
    pool=WAREHOUSE_POOL,
    out=dg.Out(dict, description="Counts and paths only (never personal values)."),
    tags={"personal_data": "true"},
)
def export_subject_data(
    context: dg.OpExecutionContext,
    config: ExportSubjectDataConfig,
    warehouse: WarehouseResource,
) -> dg.Output:
    label = config.request_id.strip() or context.run_id
    label = re.sub(r"[^A-Za-z0-9_.-]", "_", label)
    result = export_subject(
        Path(warehouse.database).resolve(),
        checked_subject(config.subject),
        label,
        settings.data_dir(),
        run_id=context.run_id,
        launched_by=from_run_tags(context.run.tags),
    )
    summary = {
        "request_label": result.request_label,
        "folder": str(result.folder),
        "zip": str(result.zip_path),
        "data_subjects": len(result.subjects),
        "records": result.records,
        "tables": len(result.table_rows),
        "rows": sum(result.table_rows.values()),
    }
    metadata = {
        "folder": dg.MetadataValue.path(str(result.folder)),
        "zip": dg.MetadataValue.path(str(result.zip_path)),
        "data_subjects": dg.MetadataValue.int(len(result.subjects)),
        "records": dg.MetadataValue.int(result.records),
        "tables": dg.MetadataValue.int(len(result.table_rows)),
    }
    metadata.update(
        {
            f"rows: {table}": dg.MetadataValue.int(n)
            for table, n in sorted(result.table_rows.items())
        }
    )
    context.log.info(f"request {result.request_label}: {len(result.table_rows)} tables exported")
    return dg.Output(summary, metadata=metadata)


@dg.job(
    executor_def=dg.in_process_executor,
    config=export_request_config,
    description=(
        "Art. 15/20 access and portability export of one data subject "
        "(config: subject id, request id; an e-mail is resolved by the CLI, refused here)."
    ),
    tags={"personal_data": "true"},
)
def export_subject_data_job() -> None:
    export_subject_data()
