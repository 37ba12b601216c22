"""The notification file the CRM sends from: redactions to tell people about, completed requests.

Issue 5 ("Notifications"): the third seed interview asks to redact special-category text and to
tell the customer ("und dies dem Kunden mitzuteilen"); Art. 12(3) GDPR asks to inform the person
of the action taken on a request. The pipeline holds no channel to the person, so it writes one
file per run that the CRM sends from: ids, kinds, categories and dates only; the CRM looks up the
contact data itself. ``notification_id`` is stable across runs, so the CRM can skip what it has
already sent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import duckdb

from orchestration.lib.files import canonical_json, write_atomically
from orchestration.lib.warehouse import LANDING_SCHEMA, table_exists

COLUMNS = (
    "notification_id",
    "kind",
    "subject_type",
    "subject_id",
    "record_table",
    "record_id",
    "column_name",
    "categories",
    "request_id",
    "request_type",
    "event_date",
)

REDACTIONS_SQL = f"""
select 'redaction:' || record_table || ':' || record_id || ':' || column_name,
       'redaction', subject_type, subject_id, record_table, record_id, column_name, categories,
       null, null, cast(first_found_at as date)
from {LANDING_SCHEMA}.redaction_notifications
where notification_status = 'pending'
"""

COMPLETED_REQUESTS_SQL = """
select 'request_completed:' || request_id, 'request_completed', subject_type, subject_id,
       null, null, null, null, request_id, request_type, completed_date
from governance.data_subject_requests
where completed_date is not null and request_status <> 'rejected'
"""


def notification_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    rows: list[tuple] = []
    if table_exists(con, LANDING_SCHEMA, "redaction_notifications"):
        rows += con.execute(REDACTIONS_SQL).fetchall()
    if table_exists(con, "governance", "data_subject_requests"):
        rows += con.execute(COMPLETED_REQUESTS_SQL).fetchall()
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    for record in records:
        if isinstance(record["event_date"], dt.date):
            record["event_date"] = record["event_date"].isoformat()
    return sorted(records, key=lambda r: str(r["notification_id"]))


def write_notifications(records: list[dict[str, object]], directory: Path) -> tuple[Path, Path]:
    """``notifications.jsonl`` and ``notifications.csv``, each written atomically."""
    jsonl = directory / "notifications.jsonl"
    write_atomically(jsonl, b"".join(canonical_json(r) + b"\n" for r in records))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([["" if r[c] is None else r[c] for c in COLUMNS] for r in records])
    csv_path = directory / "notifications.csv"
    write_atomically(csv_path, buffer.getvalue().encode("utf-8"))
    return jsonl, csv_path
