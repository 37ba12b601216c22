"""From an identifier (customer id, any subject id, ``type:id``, or e-mail) to a person's records.

A person can be several data subjects: a prospect converted into a customer, a wish-list sender
who is a known customer (``person_id`` of ``governance.data_subjects``, linked only where the
CRM links them, never by fuzzy matching). An e-mail matches the person's own e-mail columns only
(``email``, ``sender_email``), never ``parent_email``: a parent's address on a child's wish list
does not make the child's wish list the parent's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from orchestration.lib.crm_schema import TABLES, Table
from orchestration.lib.warehouse import LANDING_SCHEMA, landing_table, quote, table_exists

#: Columns holding the subject's own e-mail address.
OWN_EMAIL_COLUMNS = ("email", "sender_email")
MASTER_TABLES: tuple[Table, ...] = tuple(
    t for t in TABLES if t.subject_type and t.subject_key == t.primary_key
)


@dataclass(frozen=True, order=True)
class Subject:
    subject_type: str
    subject_id: str

    @property
    def data_subject_id(self) -> str:
        return f"{self.subject_type}:{self.subject_id}"


def identifier_kind(identifier: str) -> str:
    return "email" if "@" in identifier else "subject_id"


def _direct_matches(con: duckdb.DuckDBPyConnection, identifier: str) -> set[Subject]:
    value = identifier.strip()
    found: set[Subject] = set()
    for table in MASTER_TABLES:
        assert table.subject_type is not None
        if not table_exists(con, LANDING_SCHEMA, table.name):
            continue
        if identifier_kind(value) == "email":
            columns = [c for c in OWN_EMAIL_COLUMNS if c in table.column_names]
            if not columns:
                continue
            condition = " or ".join(f"lower(trim({quote(c)})) = lower(?)" for c in columns)
            params = [value] * len(columns)
        else:
            subject_type, _, subject_id = value.rpartition(":")
            if subject_type and subject_type != table.subject_type:
                continue
            condition, params = f"{quote(table.primary_key)} = ?", [subject_id]
        rows = con.execute(
            f"select {quote(table.primary_key)} from {landing_table(table.name)} where {condition}",
            params,
        ).fetchall()
        found |= {Subject(table.subject_type, r[0]) for r in rows}
    return found


def _linked(con: duckdb.DuckDBPyConnection, subjects: Iterable[Subject]) -> set[Subject]:
    """Every subject sharing a ``person_id`` with one of ``subjects``."""
    subjects = set(subjects)
    if not subjects or not table_exists(con, "governance", "data_subjects"):
        return subjects
    ids = sorted(s.data_subject_id for s in subjects)
    rows = con.execute(
        """select subject_type, subject_id from governance.data_subjects
           where person_id in (
               select person_id from governance.data_subjects
               where data_subject_id in (select unnest(?::varchar[])))""",
        [ids],
    ).fetchall()
    return subjects | {Subject(t, i) for t, i in rows}


def resolve_subjects(con: duckdb.DuckDBPyConnection, identifier: str) -> list[Subject]:
    return sorted(_linked(con, _direct_matches(con, identifier)))


def subject_records(
    con: duckdb.DuckDBPyConnection, subjects: Iterable[Subject]
) -> list[tuple[str, str]]:
    """``(record_table, record_id)`` of every CRM record of the subjects, from the contract.

    Master records by their key; dependent records by their subject key (orders of a customer);
    records of any kind of subject by ``subject_type``/``subject_id`` (consents, sends,
    requests); records about records by ``record_table``/``record_id`` (legal holds).
    """
    subjects = list(subjects)
    types = [s.subject_type for s in subjects]
    ids = [s.subject_id for s in subjects]
    records: set[tuple[str, str]] = set()
    later: list[Table] = []
    for table in TABLES:
        if not table_exists(con, LANDING_SCHEMA, table.name):
            continue
        qualified = landing_table(table.name)
        pk = quote(table.primary_key)
        if table.subject_type and table.subject_key:
            mine = [i for t, i in zip(types, ids, strict=True) if t == table.subject_type]
            sql = f"select {pk} from {qualified} where {quote(table.subject_key)} in "
            rows = con.execute(sql + "(select unnest(?::varchar[]))", [mine]).fetchall()
        elif {"subject_type", "subject_id"} <= set(table.column_names):
            rows = con.execute(
                f"""select {pk} from {qualified} where (subject_type, subject_id) in (
                        select unnest(?::varchar[]), unnest(?::varchar[]))""",
                [types, ids],
            ).fetchall()
        elif {"record_table", "record_id"} <= set(table.column_names):
            later.append(table)
            continue
        else:
            continue
        records |= {(table.name, r[0]) for r in rows}
    for table in later:
        rows = con.execute(
            f"""select {quote(table.primary_key)}, record_table, record_id
                from {landing_table(table.name)}"""
        ).fetchall()
        records |= {(table.name, pk) for pk, t, r in rows if (t, r) in records}
    return sorted(records)
