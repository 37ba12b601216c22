"""DDL of the landing schema: one table per CRM table plus the ingest's own bookkeeping tables.

``quarantine`` keeps rejected rows as (file, row, column, reason) and never their content: a
rejected row may hold free text that was never scanned (REQUIREMENTS.md R1).
"""

from __future__ import annotations

import duckdb

from orchestration.lib.crm_schema import PROVENANCE_COLUMNS, Table
from orchestration.lib.warehouse import LANDING_SCHEMA, quote

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
