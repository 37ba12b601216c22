"""The access/portability export as an op job, launched from the Dagster UI with config.

An op job, not an asset: the nightly job runs every asset outside group ``erasure``, and an
export must only run when a request asks for it. It only reads the warehouse (a read-only
connection) but sits in the warehouse pool, because DuckDB refuses a reader while another
process writes (DESIGN.md "One writer"). Run config and metadata carry the request label and
counts; prefer a customer id over an e-mail as identifier, since Dagster stores run config.
"""

import re
from pathlib import Path

import dagster as dg
from pydantic import Field

from orchestration.defs.dsr.export import export_subject
from orchestration.lib import settings
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource


class ExportSubjectDataConfig(dg.Config):
    """Who the request is about, and the request's id."""

    subject: str = Field(
        description=(
            "Subject identifier: a customer id (e.g. C0000042), another subject id, "
            "<subject_type>:<id> (e.g. prospect:P0000007), or an e-mail address."
        )
    )
    request_id: str = Field(
        default="",
        description="CRM request id, used as the export folder name; empty: the Dagster run id.",
    )


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
        config.subject,
        label,
        settings.data_dir(),
        run_id=context.run_id,
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
    description=(
        "Art. 15/20 access and portability export of one data subject "
        "(config: subject id or e-mail, request id)."
    ),
    tags={"personal_data": "true"},
)
def export_subject_data_job() -> None:
    export_subject_data()
