"""Objections on the suppression list, and the subjects that match them after each ingest.

Why after the ingest and not in dbt: the hashes need the key, which stays outside the warehouse
(dbt has no access to it), and the e-mail and phone of the objecting subject must be read from
the master tables loaded in the same run. Every objection request the CRM delivered and did not
reject is listed (Art. 21(3): an objection to direct marketing always wins, whatever its
handling status, as in ``int_objections_registered``), with its request id and received date.
Once listed, the objection outlives its request record (deleted after three years).

A match records which identifier matched (``matched_on``): the subject id blocks every
advertising channel; an e-mail address or a phone number only its own channel, because other
people share them (a family address, a household's landline): the objector reads that inbox and
answers that phone, but the other person's letters are not the objector's.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from orchestration.lib.landing_tables import (
    LANDING_SCHEMA,
    SUPPRESSION_MATCHES_DDL,
    SUPPRESSION_MATCHES_TABLE,
    ensure_bookkeeping_tables,
    quote,
)
from orchestration.lib.suppression_list.erased import contact_data
from orchestration.lib.suppression_list.evidence import legal_date
from orchestration.lib.suppression_list.identifiers import (
    EMAIL,
    PHONE,
    SUBJECT_ID,
    hash_identifier,
    subject_key,
)
from orchestration.lib.suppression_list.store import (
    OBJECTION,
    SuppressionEntry,
    add_entries,
    hashes,
)
from orchestration.lib.suppression_list.subjects import MASTERS, REQUESTS_TABLE
from orchestration.lib.warehouse import landing_table, table_exists

BATCH_ROWS = 50_000


def list_objections(con: duckdb.DuckDBPyConnection, key: bytes) -> int:
    """Add every delivered, not rejected objection request; returns entries added."""
    if not table_exists(con, LANDING_SCHEMA, REQUESTS_TABLE):
        return 0
    requests = con.execute(
        f"""select request_id, subject_type, subject_id, received_at
            from {LANDING_SCHEMA}.{REQUESTS_TABLE}
            where request_type = 'objection' and request_status <> 'rejected'
            order by request_id"""
    ).fetchall()
    entries = []
    for request_id, subject_type, subject_id, received_at in requests:
        listed_on = legal_date(received_at) or dt.date.today()
        values = [
            (SUBJECT_ID, subject_key(subject_type, subject_id)),
            *contact_data(con, subject_type, subject_id),
        ]
        for identifier_kind, value in values:
            digest = hash_identifier(key, identifier_kind, value)
            if digest:
                entries.append(
                    SuppressionEntry(OBJECTION, identifier_kind, digest, request_id, listed_on)
                )
    return add_entries(con, entries)


def write_matches(con: duckdb.DuckDBPyConnection, key: bytes) -> int:
    """Rewrite ``landing.suppression_matches``: subjects matching an objection; returns rows."""
    ensure_bookkeeping_tables(con)
    objections = hashes(con, OBJECTION)
    matches: list[tuple[str, str, str, str | None, str]] = []
    if objections:
        for master in MASTERS.values():
            if not table_exists(con, LANDING_SCHEMA, master.table):
                continue
            columns = [master.id_column, master.email_column, master.phone_column]
            select = ", ".join(quote(c) if c else "null" for c in columns)
            reader = con.sql(f"select {select} from {landing_table(master.table)}").to_arrow_reader(
                BATCH_ROWS
            )
            for batch in reader:
                matches.extend(_match_batch(key, master.subject_type, batch, objections))
    # rewritten whole every run: recreating it also upgrades a table of an older shape
    con.execute(f"drop table if exists {SUPPRESSION_MATCHES_TABLE}")
    con.execute(SUPPRESSION_MATCHES_DDL)
    if matches:
        con.executemany(
            f"insert into {SUPPRESSION_MATCHES_TABLE} values (?, ?, ?, ?, ?)",
            [list(m) for m in sorted(set(matches))],
        )
    return len(set(matches))


def _match_batch(
    key: bytes, subject_type: str, batch: pa.RecordBatch, objections: dict[str, str | None]
) -> list[tuple[str, str, str, str | None, str]]:
    ids, emails, phones = (batch.column(i).to_pylist() for i in range(3))
    found = []
    for subject_id, email, phone in zip(ids, emails, phones, strict=True):
        for identifier_kind, value in (
            (SUBJECT_ID, subject_key(subject_type, subject_id)),
            (EMAIL, email),
            (PHONE, phone),
        ):
            digest = hash_identifier(key, identifier_kind, value)
            if digest in objections:
                found.append(
                    (subject_type, subject_id, OBJECTION, objections[digest], identifier_kind)
                )
    return found
