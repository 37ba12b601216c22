"""One Dagster asset per CRM table: ``landing/<table>`` in group ``crm_landing``.

Each asset writes DuckDB itself and returns only counts (DESIGN.md: the default IO manager would
pickle a returned data frame into Dagster storage, personal data included).
"""

from typing import Any

import dagster as dg

from orchestration.defs.crm.loader import LoadResult, load_table
from orchestration.lib.asset_keys import LANDING_GROUP, landing_key
from orchestration.lib.crm_export import declared_rows, read_export
from orchestration.lib.crm_schema import TABLES, Table
from orchestration.lib.free_text import FreeTextHookProvider
from orchestration.lib.ingest_suppression import ERASED_SUBJECT, IngestSuppressor
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.progress import Progress
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource

#: Log a progress line every this many rows of a large file.


def _metadata(result: LoadResult) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "export_id": result.export_id,
        "source_file": result.source_file,
        "file_sha256": result.file_sha256,
        "encoding": result.encoding,
        "rows_loaded": dg.MetadataValue.int(result.rows_loaded),
        "rows_quarantined": dg.MetadataValue.int(result.rows_quarantined),
        "skipped_unchanged": result.skipped_unchanged,
        "full_reload": result.full_reload,
        "rows_written": dg.MetadataValue.int(result.rows_written),
        "rows_unchanged": dg.MetadataValue.int(result.rows_unchanged),
        "rows_deleted": dg.MetadataValue.int(result.rows_deleted),
        "free_text_values": dg.MetadataValue.int(result.free_text_values),
    }
    for reason, count in sorted(result.quarantine_reasons.items()):
        metadata[f"quarantined: {reason}"] = dg.MetadataValue.int(count)
    for status, count in sorted(result.scan_statuses.items()):
        metadata[f"free text {status}"] = dg.MetadataValue.int(count)
    for entity_type, count in sorted(result.findings_by_type.items()):
        metadata[f"findings: {entity_type}"] = dg.MetadataValue.int(count)
    for category, count in sorted(result.held_by_category.items()):
        metadata[f"held for review: {category}"] = dg.MetadataValue.int(count)
    return metadata


def build_ingest_asset(table: Table) -> dg.AssetsDefinition:
    """The ingest asset of one CRM table, with a check that nothing was quarantined."""
    key = landing_key(table.name)
    quarantine_check = dg.AssetCheckSpec(
        name=f"{table.name}__no_quarantined_rows",
        asset=key,
        description=(
            "Every exported row was loaded; rejected rows are in landing.quarantine. Rows of "
            "erased subjects that the suppression list keeps out are not a defect of the export: "
            "they are counted in the metadata and in the DPO report, and do not fail the check."
        ),
    )

    @dg.asset(
        key=key,
        group_name=LANDING_GROUP,
        pool=WAREHOUSE_POOL,
        kinds={"duckdb", "csv"},
        description=f"{table.description} Loaded from `{table.file_name}` of the CRM export.",
        check_specs=[quarantine_check],
        # Names the CRM holds for a note's person help the scanner find them in the note.
        deps=[landing_key(related.table) for related in table.related_names],
        metadata={
            "primary_key": table.primary_key,
            "free_text_columns": ", ".join(table.free_text_columns) or "none",
        },
        tags={"personal_data": "true"},
    )
    def _ingest(
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource,
        pipeline_settings: PipelineSettings,
        free_text_hook: dg.ResourceParam[FreeTextHookProvider],
        ingest_suppression: dg.ResourceParam[IngestSuppressor],
    ) -> dg.MaterializeResult:
        export = read_export(pipeline_settings.resolved_export_dir())

        # Rows read, checked and (free text) scanned, of the rows export.json declares.
        progress = Progress(
            f"{table.file_name}: read and scanned",
            declared_rows(export.directory, table.name),
            context.log.info,
        )

        with warehouse.get_connection() as con:
            result = load_table(
                con,
                export,
                table,
                free_text_hook.get_hook(workers=pipeline_settings.scan_workers),
                suppression=ingest_suppression,
                on_progress=progress.update,
                guard=free_text_hook.get_guard(),
            )
        if result.skipped_unchanged:
            context.log.info(f"{table.file_name}: unchanged since the last load, nothing written")
        else:
            progress.finish(result.rows_loaded + result.rows_quarantined)
            context.log.info(
                f"{table.file_name}: {'full reload' if result.full_reload else 'by key'}: "
                f"{result.rows_written:,} row(s) written, {result.rows_unchanged:,} unchanged, "
                f"{result.rows_deleted:,} deleted"
            )
        for reason, count in sorted(result.quarantine_reasons.items()):
            context.log.warning(
                f"{table.file_name}: {count} row(s) quarantined ({reason}); "
                "see landing.quarantine for row and column"
            )
        # Suppressed rows are the erasure working, not a defect of the export.
        rows_suppressed = result.quarantine_reasons.get(ERASED_SUBJECT, 0)
        rows_rejected = result.rows_quarantined - rows_suppressed
        return dg.MaterializeResult(
            metadata=_metadata(result),
            check_results=[
                dg.AssetCheckResult(
                    check_name=quarantine_check.name,
                    passed=rows_rejected == 0,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={
                        "rows_quarantined": dg.MetadataValue.int(rows_rejected),
                        "rows_of_erased_subjects": dg.MetadataValue.int(rows_suppressed),
                    },
                )
            ],
        )

    return _ingest


ingest_assets = [build_ingest_asset(table) for table in TABLES]


@dg.asset(
    key=landing_key("quarantine"),
    group_name=LANDING_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    deps=[landing_key(t.name) for t in TABLES],
    description=(
        "Rows the ingest rejected: file, row, column and reason, never the content. Counted for "
        "the export each table was last loaded from (a table whose file did not change is not "
        "loaded again, so its quarantine rows stay those of its earlier export)."
    ),
)
def quarantine(
    warehouse: WarehouseResource, pipeline_settings: PipelineSettings
) -> dg.MaterializeResult:
    export = read_export(pipeline_settings.resolved_export_dir())
    with warehouse.get_connection() as con:
        rows = con.execute(
            """with latest as (
                   select table_name, arg_max(export_id, loaded_at) as export_id
                   from landing.ingest_log group by table_name
               )
               select q.table_name, count(*) from landing.quarantine q
               join latest using (table_name, export_id)
               group by q.table_name order by q.table_name"""
        ).fetchall()
    metadata: dict[str, Any] = {
        "export_id": export.export_id,
        "rows_quarantined": dg.MetadataValue.int(sum(n for _, n in rows)),
    }
    metadata.update({f"rows: {table}": dg.MetadataValue.int(n) for table, n in rows})
    return dg.MaterializeResult(metadata=metadata)
