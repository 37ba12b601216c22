"""At erasure time, before the delete: put the erased subjects' identifiers on the list.

Runs inside the erasure's deletion transaction (``erasure/apply.py``), so the list, the evidence
log and the deletion commit together or not at all. For every subject whose master record the
erasure deletes: the keyed hashes of ``subject_type:subject_id``, e-mail and phone (read from the
master record before it goes), with the subject's erasure request id (or ``manifest:<id>`` when
the record is deleted because its retention expired), and every request of the subject in the
evidence log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

from orchestration.lib.suppression_list.evidence import REQUEST_COLUMNS, legal_date, record_requests
from orchestration.lib.suppression_list.identifiers import (
    EMAIL,
    PHONE,
    SUBJECT_ID,
    hash_identifier,
    subject_key,
)
from orchestration.lib.suppression_list.store import ERASED, SuppressionEntry, add_entries
from orchestration.lib.suppression_list.subjects import MASTERS, REQUESTS_TABLE
from orchestration.lib.warehouse import LANDING_SCHEMA, landing_table, quote, table_exists


def remember_erased_subjects(
    con: duckdb.DuckDBPyConnection,
    key: bytes,
    subjects: Sequence[tuple[str, str]],
    manifest_id: str,
    now: dt.datetime,
) -> int:
    """List the hashes of ``subjects`` (``(subject_type, subject_id)``); returns entries added."""
    if not subjects:
        return 0
    today = legal_date(now.replace(tzinfo=None)) or now.date()
    requests = _requests_of(con, subjects)
    erasure_request = {
        subject_key(r["subject_type"], r["subject_id"]): r["request_id"]
        for r in sorted(requests, key=lambda r: (r["received_at"], r["request_id"]))
        if r["request_type"] == "erasure"
    }
    entries: list[SuppressionEntry] = []
    for subject_type, subject_id in subjects:
        subject = subject_key(subject_type, subject_id)
        request_id = erasure_request.get(subject, f"manifest:{manifest_id[:16]}")
        values = [(SUBJECT_ID, subject), *contact_data(con, subject_type, subject_id)]
        for identifier_kind, value in values:
            digest = hash_identifier(key, identifier_kind, value)
            if digest:
                entries.append(SuppressionEntry(ERASED, identifier_kind, digest, request_id, today))
    added = add_entries(con, entries)
    record_requests(con, key, requests, now.replace(tzinfo=None), executed_on=today)
    return added


def contact_data(
    con: duckdb.DuckDBPyConnection, subject_type: str, subject_id: str
) -> list[tuple[str, str | None]]:
    master = MASTERS.get(subject_type)
    if master is None or not table_exists(con, LANDING_SCHEMA, master.table):
        return []
    columns = [(EMAIL, master.email_column), (PHONE, master.phone_column)]
    present = [(kind, column) for kind, column in columns if column]
    rows = con.execute(
        f"""select {", ".join(quote(c) for _, c in present)}
            from {landing_table(master.table)} where {quote(master.id_column)} = ?""",
        [subject_id],
    ).fetchall()
    return [(kind, row[i]) for row in rows for i, (kind, _) in enumerate(present)]


def _requests_of(
    con: duckdb.DuckDBPyConnection, subjects: Sequence[tuple[str, str]]
) -> list[dict[str, object]]:
    if not table_exists(con, LANDING_SCHEMA, REQUESTS_TABLE):
        return []
    rows = con.execute(
        f"""select {", ".join(REQUEST_COLUMNS)} from {LANDING_SCHEMA}.{REQUESTS_TABLE}
            where subject_type || ':' || subject_id in (select unnest(?::varchar[]))
            order by request_id""",
        [[subject_key(t, i) for t, i in subjects]],
    ).fetchall()
    return [dict(zip(REQUEST_COLUMNS, row, strict=True)) for row in rows]
