"""Small governance marts in a real DuckDB, shaped as dbt builds them, for manifest unit tests.

Only the columns the manifest reads (``orchestration/defs/retention/sources.py``); rows are ids
and codes. ``publish_day`` runs the real manifest step (SQL items, diff, files, tables).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from orchestration.defs.retention.assets import publish

CANDIDATE_TYPES = {
    "record_key": "varchar",
    "record_table": "varchar",
    "record_id": "varchar",
    "field_name": "varchar",
    "record_type": "varchar",
    "subject_type": "varchar",
    "data_subject_id": "varchar",
    "person_id": "varchar",
    "action": "varchar",
    "retention_status": "varchar",
    "reason": "varchar",
    "rule_id": "varchar",
    "legal_reference": "varchar",
    "deadline": "date",
    "request_id": "varchar",
    "due_date": "date",
    "is_overdue": "boolean",
    "as_of_date": "date",
}


def candidate(record_key: str, as_of: dt.date, **overrides: object) -> dict[str, object]:
    """A deletion candidate row: by default an expired prospect, overdue."""
    table, record_id, *field = record_key.split(":")
    row: dict[str, object] = {
        "record_key": record_key,
        "record_table": table,
        "record_id": record_id,
        "field_name": field[0] if field else None,
        "record_type": "prospect",
        "subject_type": "prospect",
        "data_subject_id": f"prospect:{record_id}",
        "person_id": f"prospect:{record_id}",
        "action": "delete",
        "retention_status": "expired",
        "reason": "retention_period_expired",
        "rule_id": "prospect_24m",
        "legal_reference": "Art. 17 DSGVO",
        "deadline": dt.date(2026, 1, 31),
        "request_id": None,
        "due_date": dt.date(2026, 2, 1),
        "is_overdue": True,
        "as_of_date": as_of,
    }
    row.update(overrides)
    return row


def create_marts(con: duckdb.DuckDBPyConnection) -> None:
    for schema in ("governance", "policy", "landing", "intermediate"):
        con.execute(f"create schema if not exists {schema}")
    columns = ", ".join(f"{c} {t}" for c, t in CANDIDATE_TYPES.items())
    con.execute(f"create or replace table governance.deletion_candidates ({columns})")
    con.execute(
        """create or replace table governance.record_retention_statuses (
            record_key varchar, record_table varchar, record_id varchar, field_name varchar,
            record_type varchar, subject_type varchar, data_subject_id varchar,
            person_id varchar, retention_status varchar, status_reason varchar,
            rule_id varchar, legal_reference varchar, deadline date,
            purpose_ended_date date, own_deadline date, as_of_date date, export_id varchar)"""
    )
    con.execute("create or replace table policy.retention_rules (rule_id varchar, months integer)")
    con.execute("insert into policy.retention_rules values ('prospect_24m', 24)")
    con.execute(
        """create or replace table intermediate.int_consents_validated (
            subject_type varchar, subject_id varchar, purpose_id varchar, is_withdrawn boolean)"""
    )
    con.execute(
        """create or replace table landing.note_findings (
            record_table varchar, record_id varchar, column_name varchar)"""
    )
    con.execute(
        """create or replace table landing.service_notes (
            service_note_id varchar, customer_id varchar)"""
    )


def set_candidates(con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, Any]]) -> None:
    con.execute("delete from governance.deletion_candidates")
    for row in rows:
        con.execute(
            f"insert into governance.deletion_candidates values "
            f"({', '.join('?' for _ in CANDIDATE_TYPES)})",
            [row[c] for c in CANDIDATE_TYPES],
        )


def add_writeback(con: duckdb.DuckDBPyConnection, note_id: str, customer_id: str) -> None:
    con.execute("insert into landing.service_notes values (?, ?)", [note_id, customer_id])
    con.execute(
        "insert into landing.note_findings values ('service_notes', ?, 'note_text')", [note_id]
    )


def publish_day(
    con: duckdb.DuckDBPyConnection, data_dir: Path, as_of: dt.date, ids: Iterable[str] = ()
) -> Any:
    """Optionally replace the candidates by expired prospects ``ids``, then run the step."""
    if ids:
        set_candidates(con, [candidate(f"prospects:{i}", as_of) for i in ids])
    return publish(con, as_of, data_dir, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
