"""Write what the ingest records beside a landing table: quarantine, scan status, findings, review.

A load writes these per batch, for the records it (re)writes, and at the end removes the rows of
records the table no longer holds. So a changed note never keeps the findings of its old text, a
vanished record takes its findings and review entry with it, and an unchanged record keeps its
rows untouched (with their old dates). Memory stays one batch, whatever the size of the file.
Rows hold ids, offsets, categories and keyed hashes, never text (REQUIREMENTS.md R1, R2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from orchestration.defs.crm.validation import QuarantineRow
from orchestration.lib.crm_export import CrmExport
from orchestration.lib.crm_schema import Table
from orchestration.lib.free_text import FindingRow, ScanStatus
from orchestration.lib.guard import Guard
from orchestration.lib.landing_tables import LANDING_SCHEMA, REVIEW_TABLE, quote

STATUS_TABLE = f"{LANDING_SCHEMA}.free_text_scan_status"
FINDINGS_TABLE = f"{LANDING_SCHEMA}.note_findings"
QUARANTINE_TABLE = f"{LANDING_SCHEMA}.quarantine"
#: Per scan-record table: the column naming the CRM table, and the record id column.
_RECORD_TABLES = (
    (STATUS_TABLE, "table_name"),
    (FINDINGS_TABLE, "record_table"),
    (REVIEW_TABLE, "table_name"),
)


@dataclass(frozen=True)
class HeldValue:
    """A value the guard held: where, which stem group, and the raw text's keyed hash."""

    record_id: str
    column_name: str
    guard_category: str
    text_hmac: str | None


@dataclass(frozen=True)
class ScanRecords:
    """What the hook and the guard produced for one batch of written records."""

    statuses: Sequence[ScanStatus]
    findings: Sequence[FindingRow]
    held: Sequence[HeldValue]


def replace_for_records(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    record_ids: pa.Array,
    records: ScanRecords,
    export: CrmExport,
    at: dt.datetime,
    guard: Guard | None,
    scanner_version: str | None,
) -> None:
    """Replace the scan rows of ``record_ids`` (the records this batch wrote) by ``records``.

    A value held before with the same text keeps its ``held_at`` (the DPO's queue is dated by
    when a value was first held).
    """
    con.register("crm_written_ids", pa.table({"record_id": record_ids.cast(pa.string())}))
    try:
        earlier = {
            (column, record_id, digest): held_at
            for column, record_id, digest, held_at in con.execute(
                f"""select column_name, record_id, text_hmac, held_at from {REVIEW_TABLE}
                    where table_name = ?
                      and record_id in (select record_id from crm_written_ids)""",
                [table.name],
            ).fetchall()
        }
        for target, table_column in _RECORD_TABLES:
            con.execute(
                f"""delete from {target} where {table_column} = ?
                    and record_id in (select record_id from crm_written_ids)""",
                [table.name],
            )
    finally:
        con.unregister("crm_written_ids")
    _insert_statuses(con, records.statuses, table, export, at)
    _insert_findings(con, records.findings, table, export, at)
    if guard is not None and records.held:
        _insert_review(con, records.held, table, export, at, guard, scanner_version, earlier)


def remove_records_not_in(con: duckdb.DuckDBPyConnection, table: Table, kept_keys: str) -> None:
    """Delete the scan rows of ``table``'s records whose id is not in ``kept_keys`` (``key``)."""
    for target, table_column in _RECORD_TABLES:
        con.execute(
            f"""delete from {target} s where s.{table_column} = ?
                and not exists (select 1 from {kept_keys} k where k.key = s.record_id)""",
            [table.name],
        )


def write_quarantine(
    con: duckdb.DuckDBPyConnection,
    rows: list[QuarantineRow],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
) -> None:
    """Replace this export's quarantine rows of ``table`` (a changed file under the same id)."""
    con.execute(
        f"delete from {QUARANTINE_TABLE} where export_id = ? and table_name = ?",
        [export.export_id, table.name],
    )
    if not rows:
        return
    rows = sorted(rows, key=lambda r: (r.source_row or 0, r.column_name or ""))
    # One Arrow insert: a re-delivered export can quarantine thousands of rows of erased
    # subjects, and a row-by-row executemany took seconds for them.
    frame = pa.table(
        {
            "export_id": pa.array([export.export_id] * len(rows), pa.string()),
            "table_name": pa.array([table.name] * len(rows), pa.string()),
            "source_file": pa.array([table.file_name] * len(rows), pa.string()),
            "source_row": pa.array([r.source_row for r in rows], pa.int64()),
            "column_name": pa.array([r.column_name for r in rows], pa.string()),
            "reason": pa.array([r.message for r in rows], pa.string()),
            "quarantined_at": pa.array([at] * len(rows), pa.timestamp("us")),
        }
    )
    _append(con, QUARANTINE_TABLE, frame)


def _insert_statuses(
    con: duckdb.DuckDBPyConnection,
    statuses: Sequence[ScanStatus],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
) -> None:
    if not statuses:
        return
    frame = pa.table(
        {
            "export_id": pa.array([export.export_id] * len(statuses), pa.string()),
            "table_name": pa.array([table.name] * len(statuses), pa.string()),
            "column_name": pa.array([s.column_name for s in statuses], pa.string()),
            "record_id": pa.array([s.record_id for s in statuses], pa.string()),
            "scan_status": pa.array([s.scan_status for s in statuses], pa.string()),
            "scanner_version": pa.array([s.scanner_version for s in statuses], pa.string()),
            "text_hmac": pa.array([s.text_hmac for s in statuses], pa.string()),
            "scanned_at": pa.array([at] * len(statuses), pa.timestamp("us")),
        }
    )
    _append(con, STATUS_TABLE, frame)


def _insert_findings(
    con: duckdb.DuckDBPyConnection,
    findings: Sequence[FindingRow],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
) -> None:
    """New scans' findings and those carried over from unchanged text (with their old date)."""
    if not findings:
        return
    frame = pa.table(
        {
            "record_table": pa.array([table.name] * len(findings), pa.string()),
            "record_id": pa.array([f.record_id for f in findings], pa.string()),
            "column_name": pa.array([f.column_name for f in findings], pa.string()),
            "entity_type": pa.array([f.entity_type for f in findings], pa.string()),
            "start_offset": pa.array([f.start_offset for f in findings], pa.int32()),
            "end_offset": pa.array([f.end_offset for f in findings], pa.int32()),
            "score": pa.array([f.score for f in findings], pa.float64()),
            "recognizer": pa.array([f.recognizer for f in findings], pa.string()),
            "scanner_version": pa.array([f.scanner_version for f in findings], pa.string()),
            "export_id": pa.array([export.export_id] * len(findings), pa.string()),
            "found_at": pa.array([f.found_at or at for f in findings], pa.timestamp("us")),
        }
    )
    _append(con, FINDINGS_TABLE, frame)


def _insert_review(
    con: duckdb.DuckDBPyConnection,
    held: Sequence[HeldValue],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
    guard: Guard,
    scanner_version: str | None,
    earlier: dict[tuple[str, str, str | None], dt.datetime],
) -> None:
    frame = pa.table(
        {
            "table_name": pa.array([table.name] * len(held), pa.string()),
            "column_name": pa.array([h.column_name for h in held], pa.string()),
            "record_id": pa.array([h.record_id for h in held], pa.string()),
            "guard_category": pa.array([h.guard_category for h in held], pa.string()),
            "guard_version": pa.array([guard.version] * len(held), pa.string()),
            "export_id": pa.array([export.export_id] * len(held), pa.string()),
            "held_at": pa.array(
                [earlier.get((h.column_name, h.record_id, h.text_hmac), at) for h in held],
                pa.timestamp("us"),
            ),
            "scanner_version": pa.array([scanner_version] * len(held), pa.string()),
            "text_hmac": pa.array([h.text_hmac for h in held], pa.string()),
        }
    )
    _append(con, REVIEW_TABLE, frame)


def _append(con: duckdb.DuckDBPyConnection, target: str, frame: pa.Table) -> None:
    """Insert an Arrow table by column name (the target's column order may differ)."""
    columns = ", ".join(quote(name) for name in frame.column_names)
    con.register("crm_scan_record_rows", frame)
    try:
        con.execute(f"insert into {target} ({columns}) select {columns} from crm_scan_record_rows")
    finally:
        con.unregister("crm_scan_record_rows")
