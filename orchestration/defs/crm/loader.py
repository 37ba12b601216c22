"""Load one CRM table of one export into ``landing``: by key, scanning only what changed.

How a load runs (one DuckDB transaction, so a crash leaves the old or the new state, never half):
1. check the file (present, non-empty, header = contract) and its checksum against export.json;
2. skip the table if its file is the one last loaded (same sha256, whatever the export id) and
   the scanner, guard and suppression-list versions are those of that load: re-runs and new
   exports with an unchanged file change nothing. A changed lexicon, rule, stem list or release
   (a new scanner or guard version) reloads the table in full (earlier scans of unchanged text
   are reused); a changed suppression list or a changed file loads it by key;
3. stream the file through DuckDB's CSV reader with every column as VARCHAR (``validation.py``):
   SQL casts each cell to the contract type, lists each row's problems and computes the keyed
   ``_row_hash`` of the raw row; repeated keys come from an aggregate over the key column, so
   nothing sorts the file. A rejected cell is named by row and column without reading its value;
4. rows of a subject on the suppression list (erased) are quarantined as ``erased_subject``
   before the scanner sees them (the ``IngestSuppressor`` seam, ``lib/ingest_suppression.py``);
5. a row whose key the landing table holds with the same ``_row_hash`` is left alone: not
   scanned, not rewritten (``_loaded_at`` keeps the time it was last written). Every other row
   passes the ``FreeTextHook`` (the scanner seam), then the independent guard (``lib/guard.py``,
   a suspected leak is replaced by the review marker before it is written), and replaces the
   landing row of its key with ``_loaded_at`` = this load; its scan status, findings and review
   entry are replaced with it (``scan_records.py``);
6. rows whose key is no longer in the export (or now rejected) are deleted with their scan rows;
   quarantine rows and the ingest log are written.

Provenance (``_export_id``, ``_row_number``, ``_loaded_at``) describes the load that last wrote a
row. A full reload (first load, new scanner or guard version, a table without ``_row_hash``)
writes a fresh table and swaps it in.
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
from orchestration.defs.crm.scan_records import (
    HeldValue,
    ScanRecords,
    remove_records_not_in,
    replace_for_records,
    write_quarantine,
)
from orchestration.defs.crm.validation import (
    CSV_ROWS,
    QuarantineRow,
    RowChecker,
    scan_file,
    set_row_hash_key,
    stream_sql,
)
from orchestration.lib.crm_errors import CrmExportError
from orchestration.lib.crm_export import CrmExport, file_sha256
from orchestration.lib.crm_schema import PROVENANCE_COLUMNS, Table
from orchestration.lib.free_text import FindingRow, FreeTextHook, PreviousScan, ScanStatus
from orchestration.lib.guard import Guard, load_guard
from orchestration.lib.ingest_suppression import ERASED_SUBJECT, IngestSuppressor
from orchestration.lib.landing_tables import (
    LANDING_SCHEMA,
    ROW_HASH_COLUMN,
    create_table_statement,
    ensure_bookkeeping_tables,
    quote,
    row_hash_pads,
)
from orchestration.lib.secrets import scan_hmac_key
from orchestration.lib.warehouse import fetch_first, table_exists

__all__ = ["HeldValue", "LoadResult", "QuarantineRow", "load_table"]

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
    #: Rows of the export the landing table holds after the load.
    rows_loaded: int = 0
    rows_quarantined: int = 0
    skipped_unchanged: bool = False
    #: The whole table was rewritten (first load, or a new scanner or guard version).
    full_reload: bool = False
    #: Rows inserted or replaced by this load (scanned where they hold free text).
    rows_written: int = 0
    #: Rows whose key and ``_row_hash`` the landing table already held: neither scanned nor written.
    rows_unchanged: int = 0
    #: Rows deleted because their key left the export (or its row is now rejected).
    rows_deleted: int = 0
    quarantine_reasons: Counter[str] = field(default_factory=Counter)
    free_text_values: int = 0
    #: Free-text values by scan status (scanned, unchanged, unscanned), of the rows written.
    scan_statuses: Counter[str] = field(default_factory=Counter)
    #: Findings by entity type (HEALTH, PERSON, …), counts only.
    findings_by_type: Counter[str] = field(default_factory=Counter)
    #: Values held for review by the guard, by guard category (counts only).
    held_by_category: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class LoadVersions:
    """What a load of a table depends on besides its file; a change means the table is loaded."""

    scanner: str | None
    guard: str | None
    suppression: str | None


def load_table(
    con: duckdb.DuckDBPyConnection,
    export: CrmExport,
    table: Table,
    hook: FreeTextHook,
    *,
    suppression: IngestSuppressor | None = None,
    now: Callable[[], dt.datetime] = utc_now,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    on_progress: Callable[[int], None] | None = None,
    guard: Guard | _PackagedGuard | None = PACKAGED_GUARD,
) -> LoadResult:
    """Load ``table`` from ``export`` into ``landing.<table>``; see the module docstring.

    ``suppression=None`` loads rows of erased subjects too: the nightly assets always pass the
    suppression list (``orchestration/defs/resources.py``); tests without one may omit it.
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
    ensure_bookkeeping_tables(con)
    versions = _versions(con, table, hook, guard, suppression)
    last = _last_load(con, table)
    landed = _has_row_hash(con, table)
    if landed and last == (sha256, versions):
        result.skipped_unchanged = True
        result.rows_loaded = _count(con, table.name)
        return result
    incremental = (
        landed
        and last is not None
        and (last[1].scanner, last[1].guard) == (versions.scanner, versions.guard)
    )
    result.full_reload = not incremental

    loaded_at = now()
    landing_name = f"{LANDING_SCHEMA}.{quote(table.name)}"
    target = landing_name if incremental else f"{LANDING_SCHEMA}.{quote('__loading_' + table.name)}"
    # Keys of the export's accepted rows: what the landing table holds after the load.
    accepted = quote(f"crm_accepted_keys_{table.name}")
    reader = con.cursor()
    quarantine: list[QuarantineRow] = []
    con.execute("begin transaction")
    try:
        # Rows of erased subjects never reach the scanner or the table (suppression list).
        table_suppression = suppression.prepare(con, table) if suppression else None
        if not incremental:
            con.execute(f"drop table if exists {target}")
            con.execute(create_table_statement(target, table))
        con.execute(f"create or replace temp table {accepted} (key varchar not null)")
        # Both passes on one cursor: DuckDB registers a (transcoded) file object per cursor once.
        file_scan = scan_file(open_relation(reader, csv_file), reader, table)
        quarantine.extend(file_scan.structural)
        checker = RowChecker(table, file_scan)
        set_row_hash_key(reader, row_hash_pads(scan_hmac_key()))
        relation = open_relation(reader, csv_file)
        batches = relation.query(CSV_ROWS, stream_sql(table)).to_arrow_reader(batch_rows)
        rows_read = 0
        for batch in batches:
            rows_read += batch.num_rows
            good, rejected = checker.split(batch)
            quarantine.extend(rejected)
            if table_suppression is not None and good.num_rows:
                good, suppressed = table_suppression.split(con, good, loaded_at)
                quarantine.extend(QuarantineRow(row, None, ERASED_SUBJECT) for row in suppressed)
            if good.num_rows:
                _append_keys(con, accepted, good[table.primary_key])
                if incremental:
                    before = good.num_rows
                    good = _changed_rows(con, landing_name, good, table)
                    result.rows_unchanged += before - good.num_rows
            if good.num_rows:
                _write_rows(
                    con,
                    target,
                    good,
                    table,
                    hook,
                    guard,
                    export,
                    loaded_at,
                    result,
                    replace=incremental,
                    versions=versions,
                )
            if on_progress:
                on_progress(rows_read)
        if incremental:
            result.rows_deleted = _delete_vanished(con, target, table, accepted)
        remove_records_not_in(con, table, accepted)
        write_quarantine(con, quarantine, table, export, loaded_at)
        if not incremental:
            con.execute(f"drop table if exists {landing_name}")
            con.execute(f"alter table {target} rename to {quote(table.name)}")
        result.rows_loaded = _count(con, table.name)
        result.rows_quarantined = len({q.source_row for q in quarantine})
        result.quarantine_reasons.update(_reason_kind(q.reason) for q in quarantine)
        _log_load(con, table, export, result, loaded_at, versions)
        con.execute(f"drop table {accepted}")
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


def _write_rows(
    con: duckdb.DuckDBPyConnection,
    target: str,
    good: pa.Table,
    table: Table,
    hook: FreeTextHook,
    guard: Guard | None,
    export: CrmExport,
    loaded_at: dt.datetime,
    result: LoadResult,
    *,
    replace: bool,
    versions: LoadVersions,
) -> None:
    """Scan, guard and write one batch of new or changed rows, with their scan records."""
    good, statuses, findings = _apply_hook(con, good, table, hook)
    held: list[HeldValue] = []
    if guard is not None:
        good, held = _apply_guard(con, good, table, guard, statuses)
    keys = good[table.primary_key]
    if replace:
        con.register("crm_changed_keys", pa.table({"key": keys}))
        try:
            con.execute(
                f"""delete from {target}
                    where {quote(table.primary_key)} in (select key from crm_changed_keys)"""
            )
        finally:
            con.unregister("crm_changed_keys")
    _insert(con, target, good, table, export, loaded_at)
    records = ScanRecords(statuses, findings, held)
    replace_for_records(
        con, table, keys.combine_chunks(), records, export, loaded_at, guard, versions.scanner
    )
    result.rows_written += good.num_rows
    result.free_text_values += len(statuses)
    result.scan_statuses.update(s.scan_status for s in statuses)
    result.findings_by_type.update(f.entity_type for f in findings)
    result.held_by_category.update(h.guard_category for h in held)


def _versions(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    hook: FreeTextHook,
    guard: Guard | None,
    suppression: IngestSuppressor | None,
) -> LoadVersions:
    """Scanner and guard versions (none without free text) and the suppression list state."""
    suppressed = suppression.version(con, table) if suppression is not None else None
    if not table.free_text_columns:
        return LoadVersions(None, None, suppressed)
    return LoadVersions(
        hook.scanner_version, guard.version if guard is not None else None, suppressed
    )


def _last_load(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[str, LoadVersions] | None:
    """File checksum and versions of the last load of ``table``."""
    row = fetch_first(
        con.execute(
            f"""select file_sha256, scanner_version, guard_version, suppression_version
            from {LANDING_SCHEMA}.ingest_log
            where table_name = ? order by loaded_at desc limit 1""",
            [table.name],
        )
    )
    if row is None:
        return None
    return str(row[0]), LoadVersions(row[1], row[2], row[3])


def _has_row_hash(con: duckdb.DuckDBPyConnection, table: Table) -> bool:
    """The landing table exists with ``_row_hash`` (older warehouses are reloaded in full)."""
    row = fetch_first(
        con.execute(
            """select count(*) from information_schema.columns
               where table_schema = ? and table_name = ? and column_name = ?""",
            [LANDING_SCHEMA, table.name, ROW_HASH_COLUMN],
        )
    )
    return bool(row and row[0])


def _count(con: duckdb.DuckDBPyConnection, table_name: str) -> int:
    row = fetch_first(con.execute(f"select count(*) from {LANDING_SCHEMA}.{quote(table_name)}"))
    return int(row[0]) if row else 0


def _append_keys(con: duckdb.DuckDBPyConnection, accepted: str, keys: pa.ChunkedArray) -> None:
    con.register("crm_batch_keys", pa.table({"key": keys}))
    try:
        con.execute(f"insert into {accepted} select key from crm_batch_keys")
    finally:
        con.unregister("crm_batch_keys")


def _changed_rows(
    con: duckdb.DuckDBPyConnection, landing_name: str, good: pa.Table, table: Table
) -> pa.Table:
    """The rows of ``good`` whose key the landing table lacks or holds with another hash."""
    key = quote(table.primary_key)
    con.register(
        "crm_batch_hashes",
        pa.table({"key": good[table.primary_key], "hash": good[ROW_HASH_COLUMN]}),
    )
    try:
        unchanged = [
            row[0]
            for row in con.execute(
                f"""select b.key from crm_batch_hashes b join {landing_name} t
                    on t.{key} = b.key and t.{quote(ROW_HASH_COLUMN)} = b.hash"""
            ).fetchall()
        ]
    finally:
        con.unregister("crm_batch_hashes")
    if not unchanged:
        return good
    same = pc.is_in(good[table.primary_key], value_set=pa.array(unchanged, pa.string()))
    return good.filter(pc.invert(same))


def _delete_vanished(
    con: duckdb.DuckDBPyConnection, target: str, table: Table, accepted: str
) -> int:
    """Delete rows whose key the export no longer holds as an accepted row; returns how many."""
    key = quote(table.primary_key)
    row = fetch_first(
        con.execute(
            f"""delete from {target} t
                where not exists (select 1 from {accepted} a where a.key = t.{key})"""
        )
    )
    return int(row[0]) if row else 0


def _log_load(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    export: CrmExport,
    result: LoadResult,
    loaded_at: dt.datetime,
    versions: LoadVersions,
) -> None:
    con.execute(
        f"""insert into {LANDING_SCHEMA}.ingest_log (export_id, table_name, source_file,
                file_sha256, file_encoding, rows_loaded, rows_quarantined, loaded_at,
                scanner_version, guard_version, suppression_version)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            export.export_id,
            table.name,
            table.file_name,
            result.file_sha256,
            result.encoding,
            result.rows_loaded,
            result.rows_quarantined,
            loaded_at,
            versions.scanner,
            versions.guard,
            versions.suppression,
        ],
    )


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
    target: str,
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
            f"""insert into {target} ({columns}, {provenance})
                select {columns}, ?, ?, ?, ?, _row_number, {quote(ROW_HASH_COLUMN)}
                from crm_good_rows""",
            [table.file_name, export.export_id, export.source_system, loaded_at],
        )
    finally:
        con.unregister("crm_good_rows")


def _reason_kind(reason: str) -> str:
    """Group reasons for metadata ("duplicate key", "not a valid DATE value"…)."""
    return reason.split(" (", 1)[0]
