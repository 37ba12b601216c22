"""DDL of the landing schema: one table per CRM table plus the ingest's own bookkeeping tables.

``quarantine`` keeps rejected rows as (file, row, column, reason) and never their content: a
rejected row may hold free text that was never scanned (REQUIREMENTS.md R1).

Every CRM landing table carries, besides the contract columns, the provenance columns of
``crm_schema.PROVENANCE_COLUMNS``. Two of them are the contract of the incremental ingest with
incremental dbt (issue 16, C1):
- ``_row_hash``: lowercase hex HMAC-SHA256 under the scan key over the RAW row (every contract
  column as the CSV reader read it, before casting and redaction) in the canonical encoding of
  ``row_hash_message``. The ingest compares it by primary key to find changed rows; a keyed hash,
  because a plain hash of a short row could be reversed by guessing.
- ``_loaded_at``: UTC time of the ingest that inserted or last changed the row (unchanged rows
  keep theirs), so ``_loaded_at > max(_loaded_at)`` selects what changed since a model ran.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

import duckdb

from orchestration.lib.crm_schema import PROVENANCE_COLUMNS, Table
from orchestration.lib.warehouse import LANDING_SCHEMA, quote

#: Provenance column: keyed hash of the raw row (see the module docstring).
ROW_HASH_COLUMN = "_row_hash"
#: Provenance column: when the ingest inserted or last changed the row.
LOADED_AT_COLUMN = "_loaded_at"
#: Subjects matching an objection on the suppression list (ids only), read by dbt
#: (marketing_eligibilities); rewritten after every ingest (``suppression/assets.py``).
SUPPRESSION_MATCHES_TABLE = f"{LANDING_SCHEMA}.suppression_matches"
#: Values the independent guard held (stored as its marker) for the DPO to review; read by the
#: report. Contract: one row per held value, ids and categories only, never text.
REVIEW_TABLE = f"{LANDING_SCHEMA}.free_text_review"

#: Rewritten by every run (``suppression/objections.py``): ``matched_on`` is the identifier that
#: matched (``subject_id`` blocks every channel, ``email`` / ``phone`` that channel only).
SUPPRESSION_MATCHES_DDL = f"""create table if not exists {SUPPRESSION_MATCHES_TABLE} (
        subject_type varchar not null,
        subject_id varchar not null,
        kind varchar not null,
        request_id varchar,
        matched_on varchar not null
    )"""

BOOKKEEPING_DDL = (
    f"create schema if not exists {LANDING_SCHEMA}",
    f"""create table if not exists {LANDING_SCHEMA}.quarantine (
        export_id varchar not null,
        table_name varchar not null,
        source_file varchar not null,
        source_row bigint,
        column_name varchar,
        reason varchar not null,
        quarantined_at timestamp not null
    )""",
    f"""create table if not exists {LANDING_SCHEMA}.free_text_scan_status (
        export_id varchar not null,
        table_name varchar not null,
        column_name varchar not null,
        record_id varchar not null,
        scan_status varchar not null,
        scanner_version varchar,
        text_hmac varchar,
        scanned_at timestamp not null
    )""",
    # Scanner findings: where and what category, never the matched text (REQUIREMENTS.md R2).
    f"""create table if not exists {LANDING_SCHEMA}.note_findings (
        record_table varchar not null,
        record_id varchar not null,
        column_name varchar not null,
        entity_type varchar not null,
        start_offset integer not null,
        end_offset integer not null,
        score double not null,
        recognizer varchar not null,
        scanner_version varchar not null,
        export_id varchar not null,
        found_at timestamp not null
    )""",
    f"""create table if not exists {LANDING_SCHEMA}.ingest_log (
        export_id varchar not null,
        table_name varchar not null,
        source_file varchar not null,
        file_sha256 varchar not null,
        file_encoding varchar not null,
        rows_loaded bigint not null,
        rows_quarantined bigint not null,
        loaded_at timestamp not null
    )""",
    # The versions a load depends on: a new scanner or guard version re-loads an unchanged file.
    f"alter table {LANDING_SCHEMA}.ingest_log add column if not exists scanner_version varchar",
    f"alter table {LANDING_SCHEMA}.ingest_log add column if not exists guard_version varchar",
    # The state of the suppression list of erased subjects the load applied (an unchanged file is
    # loaded again, by key, when someone was erased since).
    f"""alter table {LANDING_SCHEMA}.ingest_log
        add column if not exists suppression_version varchar""",
    SUPPRESSION_MATCHES_DDL,
    f"""create table if not exists {REVIEW_TABLE} (
        table_name varchar not null,
        column_name varchar not null,
        record_id varchar not null,
        guard_category varchar not null,
        guard_version varchar not null,
        export_id varchar not null,
        held_at timestamp not null,
        scanner_version varchar,
        text_hmac varchar
    )""",
)


def ensure_bookkeeping_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in BOOKKEEPING_DDL:
        con.execute(statement)


def create_table_statement(qualified_name: str, table: Table) -> str:
    columns = [*table.columns, *PROVENANCE_COLUMNS]
    body = ",\n    ".join(
        f"{quote(c.name)} {c.duckdb_type}{'' if c.nullable else ' not null'}" for c in columns
    )
    return f"create table {qualified_name} (\n    {body}\n)"


#: HMAC block size of SHA-256 (RFC 2104): the key is padded (or first hashed) to this length.
_HMAC_BLOCK = 64


def row_hash_message(values: Sequence[str | None]) -> str:
    """The canonical encoding of a raw row: per column ``N`` for NULL, else ``V<bytes>:<value>``.

    Length-prefixed, so no value can imitate a column boundary; columns in contract order.
    """
    return "".join("N" if v is None else f"V{len(v.encode('utf-8'))}:{v}" for v in values)


def row_hash(key: bytes, values: Sequence[str | None]) -> str:
    """``_row_hash`` of one raw row, computed in Python (the reference of ``row_hash_sql``)."""
    message = row_hash_message(values).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def row_hash_pads(key: bytes) -> tuple[bytes, bytes]:
    """The inner and outer HMAC pads of ``key``, parameters of ``row_hash_sql``."""
    if len(key) > _HMAC_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_HMAC_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def row_hash_sql(column_names: Sequence[str], inner_pad: str, outer_pad: str) -> str:
    """SQL of ``_row_hash`` over VARCHAR columns: HMAC-SHA256 (RFC 2104) with DuckDB's sha256.

    ``inner_pad`` and ``outer_pad`` are SQL expressions of the BLOB pads (``row_hash_pads``), so
    the key itself never appears in a query. Vectorised in DuckDB: no Python call per row.
    """
    parts = [
        f"coalesce('V' || strlen({quote(name)})::varchar || ':' || {quote(name)}, 'N')"
        for name in column_names
    ]
    message = f"encode(concat({', '.join(parts)}))"
    return f"sha256(({outer_pad}) || unhex(sha256(({inner_pad}) || {message})))"
