"""The suppression list and the request evidence log as tables in ``governance_ops``.

``governance_ops`` belongs to the Python side (dbt never writes it, ingest never replaces it, the
erasure job leaves it in place), so both survive a re-ingest and an erasure. They hold keyed
hashes, ids, codes and dates only, never a clear identifier.

Retention: the suppression list is kept as long as the CRM may deliver the data again
(``CRM_SUPPRESSION_KEEP_YEARS`` unset: kept; set: entries listed longer ago are purged). An
evidence-log row is kept until 31 December of the third year after the year its request was
completed (§195, §199 BGB), then purged.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from orchestration.lib.warehouse import OPS_SCHEMA, REQUEST_EVIDENCE_TABLE, SUPPRESSION_LIST_TABLE

SUPPRESSION_TABLE = SUPPRESSION_LIST_TABLE
EVIDENCE_TABLE = REQUEST_EVIDENCE_TABLE
ERASED = "erased"
OBJECTION = "objection"
KINDS = (ERASED, OBJECTION)
#: Years an entry stays on the list; unset or empty: kept (the CRM may re-deliver at any time).
KEEP_YEARS_ENV = "CRM_SUPPRESSION_KEEP_YEARS"
#: Years after the end of the year of completion that request evidence is kept (§195 BGB).
EVIDENCE_YEARS = 3

DDL = (
    f"create schema if not exists {OPS_SCHEMA}",
    f"""create table if not exists {SUPPRESSION_TABLE} (
        kind varchar not null,
        identifier_kind varchar not null,
        identifier_hash varchar not null,
        request_id varchar,
        listed_on date not null
    )""",
    f"""create table if not exists {EVIDENCE_TABLE} (
        request_id varchar not null,
        request_type varchar not null,
        subject_hash varchar not null,
        received_date date,
        due_date date,
        completed_date date,
        outcome varchar not null,
        retain_until date,
        recorded_at timestamp not null
    )""",
)


@dataclass(frozen=True)
class SuppressionEntry:
    kind: str
    identifier_kind: str
    identifier_hash: str
    request_id: str | None
    listed_on: dt.date


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def add_entries(con: duckdb.DuckDBPyConnection, entries: Iterable[SuppressionEntry]) -> int:
    """Add entries not on the list yet (same kind, hash and request); returns how many."""
    ensure_tables(con)
    rows = list(dict.fromkeys(entries))
    if not rows:
        return 0
    before = _count(con)
    con.execute(
        f"""insert into {SUPPRESSION_TABLE}
            select n.* from (
                select unnest(?::varchar[]) as kind, unnest(?::varchar[]) as identifier_kind,
                       unnest(?::varchar[]) as identifier_hash, unnest(?::varchar[]) as request_id,
                       unnest(?::date[]) as listed_on
            ) n
            where not exists (
                select 1 from {SUPPRESSION_TABLE} s
                where s.kind = n.kind and s.identifier_kind = n.identifier_kind
                  and s.identifier_hash = n.identifier_hash
                  and s.request_id is not distinct from n.request_id
            )""",
        [
            [e.kind for e in rows],
            [e.identifier_kind for e in rows],
            [e.identifier_hash for e in rows],
            [e.request_id for e in rows],
            [e.listed_on for e in rows],
        ],
    )
    return _count(con) - before


def hashes(con: duckdb.DuckDBPyConnection, kind: str) -> dict[str, str | None]:
    """Hash → (first) request id of every entry of ``kind`` (the list is small: one per person)."""
    ensure_tables(con)
    rows = con.execute(
        f"""select identifier_hash, min(request_id) from {SUPPRESSION_TABLE}
            where kind = ? group by identifier_hash""",
        [kind],
    ).fetchall()
    return {h: r for h, r in rows}


def keep_years() -> int | None:
    configured = os.environ.get(KEEP_YEARS_ENV, "").strip()
    if not configured:
        return None
    years = int(configured)
    if years < 1:
        raise ValueError(f"{KEEP_YEARS_ENV} must be a whole number of years >= 1")
    return years


def purge_expired(con: duckdb.DuckDBPyConnection, today: dt.date) -> tuple[int, int]:
    """Apply both retention rules; returns (list entries, evidence rows) removed."""
    ensure_tables(con)
    years = keep_years()
    listed = 0
    if years is not None:
        cutoff = today.replace(year=today.year - years)
        listed = int(
            con.execute(
                f"delete from {SUPPRESSION_TABLE} where listed_on < ?", [cutoff]
            ).fetchall()[0][0]
        )
    evidence = int(
        con.execute(f"delete from {EVIDENCE_TABLE} where retain_until < ?", [today]).fetchall()[0][
            0
        ]
    )
    return listed, evidence


def _count(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(f"select count(*) from {SUPPRESSION_TABLE}").fetchall()[0][0])
