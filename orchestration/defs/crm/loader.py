"""Load one CRM table of one export into ``landing``: validate, quarantine, scan, swap, log.

How a load runs (one DuckDB transaction, so a crash leaves the old or the new table, never half):
1. check the file (present, non-empty, header = contract) and its checksum against export.json;
2. skip if this export's file is already loaded (same export id and sha256) by the same scanner
   and guard versions: re-runs change nothing, but a changed lexicon, rule or stem list (a new
   scanner or guard version) re-scans the unchanged export;
3. stream the file through DuckDB's CSV reader with every column as VARCHAR; SQL casts each cell
   to the contract type and lists the problems of each row (missing required value, bad value,
   duplicate key), so a rejected cell is named by row and column without reading its value;
   rows of a subject on the suppression list (erased) are quarantined as ``erased_subject``
   before the scanner sees them (``suppression/ingest.py``);
4. pass each batch's free-text columns through the ``FreeTextHook`` (the scanner seam), then through
   the independent guard (``lib/guard.py``): a redacted value with a suspected leak is
   replaced by the review marker before it is written, so the suspected text never lands; insert
   only the result into a fresh table;
5. write quarantine rows, scan statuses, held values (``landing.free_text_review``) and the
   ingest log, then replace the landing table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.defs.crm.csv_source import check_csv, open_relation
from orchestration.defs.suppression.ingest import ERASED_SUBJECT, IngestSuppression
from orchestration.lib.crm_errors import CrmExportError
from orchestration.lib.crm_export import CrmExport, file_sha256
from orchestration.lib.crm_schema import PROVENANCE_COLUMNS, Table
from orchestration.lib.free_text import FindingRow, FreeTextHook, PreviousScan, ScanStatus
from orchestration.lib.guard import Guard, load_guard
from orchestration.lib.landing_tables import (
    LANDING_SCHEMA,
    REVIEW_TABLE,
    create_table_statement,
    ensure_bookkeeping_tables,
    quote,
)
from orchestration.lib.warehouse import fetch_first, table_exists

#: Rows per batch streamed from the CSV reader through the scanner seam.
DEFAULT_BATCH_ROWS = 50_000


class _PackagedGuard:
    """Sentinel: use the packaged stem list and the configured releases."""


PACKAGED_GUARD = _PackagedGuard()


def utc_now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass
class LoadResult:
    """Counts of one table load; safe to show in Dagster metadata (no values)."""

    table_name: str
    export_id: str
    source_file: str
    file_sha256: str
    encoding: str
    rows_loaded: int = 0
    rows_quarantined: int = 0
    skipped_unchanged: bool = False
    quarantine_reasons: Counter[str] = field(default_factory=Counter)
    free_text_values: int = 0
    #: Free-text values by scan status (scanned, unchanged, unscanned).
    scan_statuses: Counter[str] = field(default_factory=Counter)
    #: Findings by entity type (HEALTH, PERSON, …), counts only.
    findings_by_type: Counter[str] = field(default_factory=Counter)
    #: Values held for review by the guard, by guard category (counts only).
    held_by_category: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class HeldValue:
    """A value the guard held: where, which stem group, and the raw text's keyed hash."""

    record_id: str
    column_name: str
    guard_category: str
    text_hmac: str | None


@dataclass(frozen=True)
class QuarantineRow:
    """One rejected cell or row: where it was and why, never what it held."""

    source_row: int | None
    column_name: str | None
    reason: str
    #: For a repeated key: the row that kept the key.
    first_row: int | None = None

    def shifted(self, rejected_rows: list[int]) -> QuarantineRow:
        return QuarantineRow(
            _file_row(self.source_row, rejected_rows),
            self.column_name,
            self.reason,
            _file_row(self.first_row, rejected_rows),
        )

    @property
    def message(self) -> str:
        if self.first_row is not None:
            return f"{self.reason} (first seen in row {self.first_row})"
        return self.reason


def load_table(
    con: duckdb.DuckDBPyConnection,
    export: CrmExport,
    table: Table,
    hook: FreeTextHook,
    *,
    now: Callable[[], dt.datetime] = utc_now,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    on_progress: Callable[[int], None] | None = None,
    guard: Guard | _PackagedGuard | None = PACKAGED_GUARD,
) -> LoadResult:
    """Load ``table`` from ``export`` into ``landing.<table>``; see the module docstring.

    ``guard=None`` switches the guard off (only for diagnosing, like the ``unscanned`` hook).
    """
    path = export.path_of(table.file_name)
    csv_file = check_csv(path, table, export.encoding)
    sha256 = file_sha256(path)
    declared = export.declared_sha256.get(table.name)
    if declared and declared != sha256:
        raise CrmExportError(path, "sha256 differs from export.json: file changed or truncated")
    result = LoadResult(table.name, export.export_id, table.file_name, sha256, csv_file.encoding)

    if isinstance(guard, _PackagedGuard):
        guard = load_guard()
    versions = _versions(table, hook, guard)
    ensure_bookkeeping_tables(con)
    if _already_loaded(con, table, export.export_id, sha256, versions):
        result.skipped_unchanged = True
        result.rows_loaded = _count(con, table.name)
        return result

    loaded_at = now()
    loading_name = f"{LANDING_SCHEMA}.{quote('__loading_' + table.name)}"
    reader = con.cursor()
    quarantine: list[QuarantineRow] = []
    statuses: list[ScanStatus] = []
    findings: list[FindingRow] = []
    held: list[HeldValue] = []
    con.execute("begin transaction")
    try:
        # Rows of erased subjects never reach the scanner or the table (suppression list).
        suppression = IngestSuppression.prepare(con, table)
        con.execute(f"drop table if exists {loading_name}")
        con.execute(create_table_statement(loading_name, table))
        relation = open_relation(reader, csv_file)
        # The CSV is addressed as a virtual table of this query only: a named view would be
        # persisted in the warehouse and keep pointing at the raw, unredacted export.
        batches = relation.query("crm_csv_rows", _validation_sql(table)).to_arrow_reader(batch_rows)
        rows_read = 0
        for batch in batches:
            rows_read += batch.num_rows
            good, rejected = _split(batch, table)
            quarantine.extend(rejected)
            if suppression is not None and good.num_rows:
                good, suppressed = suppression.split(con, good, loaded_at)
                quarantine.extend(QuarantineRow(row, None, ERASED_SUBJECT) for row in suppressed)
            if good.num_rows:
                good, batch_statuses, batch_findings = _apply_hook(con, good, table, hook)
                statuses.extend(batch_statuses)
                findings.extend(batch_findings)
                if guard is not None:
                    good, batch_held = _apply_guard(con, good, table, guard, batch_statuses)
                    held.extend(batch_held)
                _insert(con, loading_name, good, table, export, loaded_at)
                result.rows_loaded += good.num_rows
            if on_progress:
                on_progress(rows_read)
        structural = _structural_rejects(reader)
        if structural:
            # The reader numbers accepted rows only; restore file row numbers around rejects.
            rejected_rows = sorted(q.source_row for q in structural if q.source_row is not None)
            quarantine = [q.shifted(rejected_rows) for q in quarantine] + structural
            _shift_row_numbers(con, loading_name, rejected_rows)
        _write_quarantine(con, quarantine, table, export, loaded_at)
        _write_statuses(con, statuses, table, export, loaded_at)
        _write_findings(con, findings, table, export, loaded_at)
        _write_review(con, held, table, export, loaded_at, guard, versions[0])
        target = f"{LANDING_SCHEMA}.{quote(table.name)}"
        con.execute(f"drop table if exists {target}")
        con.execute(f"alter table {loading_name} rename to {quote(table.name)}")
        result.rows_quarantined = len({q.source_row for q in quarantine})
        result.quarantine_reasons.update(_reason_kind(q.reason) for q in quarantine)
        result.free_text_values = len(statuses)
        result.scan_statuses.update(s.scan_status for s in statuses)
        result.findings_by_type.update(f.entity_type for f in findings)
        result.held_by_category.update(h.guard_category for h in held)
        con.execute(
            f"""insert into {LANDING_SCHEMA}.ingest_log (export_id, table_name, source_file,
                    file_sha256, file_encoding, rows_loaded, rows_quarantined, loaded_at,
                    scanner_version, guard_version)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                export.export_id,
                table.name,
                table.file_name,
                sha256,
                csv_file.encoding,
                result.rows_loaded,
                result.rows_quarantined,
                loaded_at,
                *versions,
            ],
        )
        con.execute("commit")
    except UnicodeDecodeError as exc:
        con.execute("rollback")
        raise CrmExportError(path, f"not valid {csv_file.encoding} at byte {exc.start}") from exc
    except duckdb.InvalidInputException as exc:
        con.execute("rollback")
        # DuckDB's message may quote a line of the file: keep only its first sentence's kind.
        raise CrmExportError(path, f"CSV could not be read ({type(exc).__name__})") from exc
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        reader.close()
    return result


def _versions(
    table: Table, hook: FreeTextHook, guard: Guard | None
) -> tuple[str | None, str | None]:
    """Scanner and guard versions a load of ``table`` depends on (none without free text)."""
    if not table.free_text_columns:
        return None, None
    return hook.scanner_version, guard.version if guard is not None else None


def _already_loaded(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    export_id: str,
    sha: str,
    versions: tuple[str | None, str | None],
) -> bool:
    """The last load of ``table`` was this file, scanned and guarded by these versions."""
    row = fetch_first(
        con.execute(
            f"""select export_id, file_sha256, scanner_version, guard_version
            from {LANDING_SCHEMA}.ingest_log
            where table_name = ? order by loaded_at desc limit 1""",
            [table.name],
        )
    )
    return (
        row is not None
        and tuple(row) == (export_id, sha, *versions)
        and table_exists(con, LANDING_SCHEMA, table.name)
    )


def _count(con: duckdb.DuckDBPyConnection, table_name: str) -> int:
    row = fetch_first(con.execute(f"select count(*) from {LANDING_SCHEMA}.{quote(table_name)}"))
    return int(row[0]) if row else 0


def _validation_sql(table: Table) -> str:
    """Cast every cell and list each row's problems as ``column|reason`` strings."""
    checks = []
    casts = []
    for column in table.columns:
        name = quote(column.name)
        if not column.nullable:
            checks.append(
                f"case when {name} is null then '{column.name}|required value is missing' end"
            )
        if column.duckdb_type != "VARCHAR":
            reason = f"not a valid {column.duckdb_type} value"
            checks.append(
                f"case when {name} is not null"
                f" and try_cast({name} as {column.duckdb_type}) is null"
                f" then '{column.name}|{reason}' end"
            )
            casts.append(f"try_cast({name} as {column.duckdb_type}) as {name}")
        else:
            casts.append(name)
    key = quote(table.primary_key)
    all_checks = ", ".join(checks)
    problems = f"list_filter([{all_checks}], lambda p: p is not null)" if checks else "[]"
    return f"""
        with numbered as (
            select row_number() over () as _row_number, * from crm_csv_rows
        ),
        checked as (
            select *, {problems}::varchar[] as _problems from numbered
        ),
        ranked as (
            select
                *,
                row_number() over (
                    partition by {key}, len(_problems) = 0 order by _row_number
                ) as _key_rank
            from checked
        )
        select
            _row_number,
            _problems,
            case when len(_problems) = 0 then _key_rank end as _key_rank,
            min(_row_number) over (partition by {key}, len(_problems) = 0) as _first_row,
            {", ".join(casts)}
        from ranked
        order by _row_number
    """


def _split(batch: pa.RecordBatch, table: Table) -> tuple[pa.Table, list[QuarantineRow]]:
    """Rows to load, and quarantine rows for bad cells and repeated keys (no values kept)."""
    data = pa.Table.from_batches([batch])
    problem_counts = pc.list_value_length(data["_problems"])
    rejected: list[QuarantineRow] = []
    bad = pc.greater(problem_counts, 0)
    for row_number, problems in zip(
        data.filter(bad)["_row_number"].to_pylist(),
        data.filter(bad)["_problems"].to_pylist(),
        strict=True,
    ):
        for problem in problems:
            column, reason = problem.split("|", 1)
            rejected.append(QuarantineRow(row_number, column, reason))
    duplicate = pc.and_(pc.invert(bad), pc.greater(data["_key_rank"], 1))
    duplicates = data.filter(duplicate)
    for row_number, first_row in zip(
        duplicates["_row_number"].to_pylist(), duplicates["_first_row"].to_pylist(), strict=True
    ):
        rejected.append(QuarantineRow(row_number, table.primary_key, "duplicate key", first_row))
    good = data.filter(pc.and_(pc.invert(bad), pc.invert(duplicate)))
    return good, rejected


def _apply_hook(
    con: duckdb.DuckDBPyConnection, good: pa.Table, table: Table, hook: FreeTextHook
) -> tuple[pa.Table, list[ScanStatus], list[FindingRow]]:
    statuses: list[ScanStatus] = []
    findings: list[FindingRow] = []
    if not table.free_text_columns:
        return good, statuses, findings
    record_ids = good[table.primary_key].to_pylist()
    names = _known_names(con, good, table)
    for column in table.free_text_columns:
        previous = _previous_scans(con, table, column, good) if hook.uses_previous_scans else {}
        index = good.schema.get_field_index(column)
        outcome = hook.process(table, column, record_ids, good[column].to_pylist(), names, previous)
        if len(outcome.texts) != good.num_rows:
            raise RuntimeError(f"free-text hook returned a different number of rows for {column}")
        good = good.set_column(index, column, pa.array(outcome.texts, type=pa.string()))
        statuses.extend(outcome.statuses)
        findings.extend(outcome.findings)
    return good, statuses, findings


def _apply_guard(
    con: duckdb.DuckDBPyConnection,
    good: pa.Table,
    table: Table,
    guard: Guard,
    statuses: list[ScanStatus],
) -> tuple[pa.Table, list[HeldValue]]:
    """Replace each value with a suspected leak by the review marker, before it is written.

    The guard runs inside DuckDB on the hook's output (redacted text); only positions and
    categories come back. A value the DPO released (same record and text HMAC) is kept.
    """
    held: list[HeldValue] = []
    if not table.free_text_columns:
        return good, held
    record_ids = [str(r) for r in good[table.primary_key].to_pylist()]
    digests = {(s.column_name, s.record_id): s.text_hmac for s in statuses}
    for column in table.free_text_columns:
        texts = good[column].to_pylist()
        suspected = guard.suspected(con, texts)
        if not suspected:
            continue
        for position, category in sorted(suspected.items()):
            record_id = record_ids[position]
            digest = digests.get((column, record_id))
            if guard.is_released(table.name, column, record_id, digest):
                continue
            texts[position] = guard.marker
            held.append(HeldValue(record_id, column, category, digest))
        index = good.schema.get_field_index(column)
        good = good.set_column(index, column, pa.array(texts, type=pa.string()))
    return good, held


def _known_names(
    con: duckdb.DuckDBPyConnection, good: pa.Table, table: Table
) -> list[tuple[str, ...]]:
    """Names the CRM holds for each row's person: same-row columns plus related tables."""
    per_row: list[list[str]] = [[] for _ in range(good.num_rows)]
    for column in table.name_columns:
        for names, value in zip(per_row, good[column].to_pylist(), strict=True):
            if value:
                names.append(value)
    for related in table.related_names:
        if not table_exists(con, LANDING_SCHEMA, related.table):
            continue
        keys = good[related.key_column]
        con.register("crm_name_keys", pa.table({"key": keys}))
        try:
            columns = ", ".join(f"t.{quote(c)}" for c in related.name_columns)
            rows = con.execute(
                f"""select t.{quote(related.table_key)}, {columns}
                    from {LANDING_SCHEMA}.{quote(related.table)} t
                    where t.{quote(related.table_key)} in (select key from crm_name_keys)"""
            ).fetchall()
        finally:
            con.unregister("crm_name_keys")
        by_key = {row[0]: [v for v in row[1:] if v] for row in rows}
        for names, key in zip(per_row, keys.to_pylist(), strict=True):
            names.extend(by_key.get(key, []))
    return [tuple(dict.fromkeys(names)) for names in per_row]


def _previous_scans(
    con: duckdb.DuckDBPyConnection, table: Table, column: str, good: pa.Table
) -> dict[str, PreviousScan]:
    """Earlier scans of these records' column, with the text and findings stored for them."""
    if not table_exists(con, LANDING_SCHEMA, table.name):
        return {}
    key = quote(table.primary_key)
    # A held value's stored text is the marker, not a scan result: it is scanned and guarded
    # again (the scanner version may have changed, or the DPO may have released it).
    marker = load_guard().marker
    con.register("crm_scan_keys", pa.table({"record_id": good[table.primary_key]}))
    try:
        scans = con.execute(
            f"""select s.record_id, s.text_hmac, s.scanner_version, t.{quote(column)}
                from {LANDING_SCHEMA}.free_text_scan_status s
                join {LANDING_SCHEMA}.{quote(table.name)} t on t.{key} = s.record_id
                where s.table_name = ? and s.column_name = ? and s.text_hmac is not null
                  and t.{quote(column)} is distinct from ?
                  and s.record_id in (select record_id from crm_scan_keys)""",
            [table.name, column, marker],
        ).fetchall()
        found = con.execute(
            f"""select record_id, entity_type, start_offset, end_offset, score, recognizer,
                       scanner_version, found_at
                from {LANDING_SCHEMA}.note_findings
                where record_table = ? and column_name = ?
                  and record_id in (select record_id from crm_scan_keys)
                order by record_id, start_offset""",
            [table.name, column],
        ).fetchall()
    finally:
        con.unregister("crm_scan_keys")
    findings: dict[str, list[FindingRow]] = {}
    for record_id, entity, start, end, score, recognizer, version, found_at in found:
        findings.setdefault(record_id, []).append(
            FindingRow(record_id, column, entity, start, end, score, recognizer, version, found_at)
        )
    return {
        record_id: PreviousScan(digest, version, text, tuple(findings.get(record_id, ())))
        for record_id, digest, version, text in scans
    }


def _insert(
    con: duckdb.DuckDBPyConnection,
    loading_name: str,
    good: pa.Table,
    table: Table,
    export: CrmExport,
    loaded_at: dt.datetime,
) -> None:
    columns = ", ".join(quote(c) for c in table.column_names)
    provenance = ", ".join(quote(c.name) for c in PROVENANCE_COLUMNS)
    con.register("crm_good_rows", good)
    try:
        con.execute(
            f"""insert into {loading_name} ({columns}, {provenance})
                select {columns}, ?, ?, ?, ?, _row_number from crm_good_rows""",
            [table.file_name, export.export_id, export.source_system, loaded_at],
        )
    finally:
        con.unregister("crm_good_rows")


def _structural_rejects(reader: duckdb.DuckDBPyConnection) -> list[QuarantineRow]:
    """Lines the CSV reader itself rejected (wrong number of fields, broken quoting).

    Only the line number, column and error kind are taken; ``csv_line`` and the message, which
    quote the raw line, are never read.
    """
    try:
        rows = reader.execute(
            "select line, any_value(column_name), min(error_type) from reject_errors"
            " group by line order by line"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    # One entry per line (a line with two surplus fields is reported twice). The reader's
    # ``line`` counts records with the header as line 1, so the data row is ``line - 1``.
    return [
        QuarantineRow(int(line) - 1, column, f"malformed row ({str(kind).lower()})")
        for line, column, kind in rows
    ]


def _file_row(accepted_row: int | None, rejected_rows: list[int]) -> int | None:
    """Map the n-th accepted row to its row in the file, given the rejected rows (ascending)."""
    if accepted_row is None:
        return None
    row = accepted_row
    for rejected in rejected_rows:
        if rejected <= row:
            row += 1
    return row


def _shift_row_numbers(
    con: duckdb.DuckDBPyConnection, loading_name: str, rejected_rows: list[int]
) -> None:
    for rejected in rejected_rows:  # ascending, so each shift sees file numbering below it
        con.execute(
            f"update {loading_name} set _row_number = _row_number + 1 where _row_number >= ?",
            [rejected],
        )


def _write_quarantine(
    con: duckdb.DuckDBPyConnection,
    rows: list[QuarantineRow],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
) -> None:
    # A changed file reloaded under the same export id replaces its earlier quarantine rows.
    con.execute(
        f"delete from {LANDING_SCHEMA}.quarantine where export_id = ? and table_name = ?",
        [export.export_id, table.name],
    )
    if not rows:
        return
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
    con.register("crm_quarantine_rows", frame)
    try:
        con.execute(f"insert into {LANDING_SCHEMA}.quarantine select * from crm_quarantine_rows")
    finally:
        con.unregister("crm_quarantine_rows")


def _write_statuses(
    con: duckdb.DuckDBPyConnection,
    statuses: list[ScanStatus],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
) -> None:
    con.execute(
        f"delete from {LANDING_SCHEMA}.free_text_scan_status where table_name = ?", [table.name]
    )
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
    con.register("crm_scan_statuses", frame)
    try:
        con.execute(
            f"insert into {LANDING_SCHEMA}.free_text_scan_status select * from crm_scan_statuses"
        )
    finally:
        con.unregister("crm_scan_statuses")


def _write_findings(
    con: duckdb.DuckDBPyConnection,
    findings: list[FindingRow],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
) -> None:
    """Replace the table's findings (new scans and those carried over from unchanged text)."""
    con.execute(f"delete from {LANDING_SCHEMA}.note_findings where record_table = ?", [table.name])
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
    con.register("crm_findings", frame)
    try:
        con.execute(f"insert into {LANDING_SCHEMA}.note_findings select * from crm_findings")
    finally:
        con.unregister("crm_findings")


def _write_review(
    con: duckdb.DuckDBPyConnection,
    held: list[HeldValue],
    table: Table,
    export: CrmExport,
    at: dt.datetime,
    guard: Guard | None,
    scanner_version: str | None,
) -> None:
    """Replace the table's rows of the DPO's review list (a value held before keeps its date)."""
    earlier = {
        (column, record_id, digest): held_at
        for column, record_id, digest, held_at in con.execute(
            f"""select column_name, record_id, text_hmac, held_at from {REVIEW_TABLE}
                where table_name = ?""",
            [table.name],
        ).fetchall()
    }
    con.execute(f"delete from {REVIEW_TABLE} where table_name = ?", [table.name])
    if not held or guard is None:
        return
    con.executemany(
        f"""insert into {REVIEW_TABLE} (table_name, column_name, record_id, guard_category,
                guard_version, export_id, held_at, scanner_version, text_hmac)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            [
                table.name,
                h.column_name,
                h.record_id,
                h.guard_category,
                guard.version,
                export.export_id,
                earlier.get((h.column_name, h.record_id, h.text_hmac), at),
                scanner_version,
                h.text_hmac,
            ]
            for h in held
        ],
    )


def _reason_kind(reason: str) -> str:
    """Group reasons for metadata ("duplicate key", "not a valid DATE value"…)."""
    return reason.split(" (", 1)[0]
