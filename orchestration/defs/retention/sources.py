"""The SQL that reads the dbt governance marts for the deletion manifest, in one place.

The marts belong to the dbt project (``governance.deletion_candidates``,
``governance.record_retention_statuses``, ``intermediate.int_consents_validated``); when their
columns change, this is the only module to adjust. Every query returns ids, codes and dates only,
never names, contact data or free text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from orchestration.lib.crm_schema import TABLES
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.warehouse import table_exists

CANDIDATE_COLUMNS = (
    "record_key",
    "record_table",
    "record_id",
    "field_name",
    "record_type",
    "subject_type",
    "data_subject_id",
    "person_id",
    "action",
    "retention_status",
    "reason",
    "rule_id",
    "legal_reference",
    "deadline",
    "request_id",
    "due_date",
    "is_overdue",
    "as_of_date",
)

CANDIDATES_SQL = f"""
select {", ".join(f"c.{quote(c)}" for c in CANDIDATE_COLUMNS)}
from governance.deletion_candidates c
order by c.record_key
"""

# Records kept only because a statutory or legal hold requires it (purpose ended, or held by
# dependent records, or a legal hold) that no candidate covers: processing must be restricted
# (Art. 17(3)(b), (e), Art. 18 GDPR; §35 Abs. 3 BDSG). Restricted since the purpose ended.
HELD_RECORDS_SQL = """
select r.record_key, r.record_table, r.record_id, r.field_name, r.record_type, r.subject_type,
       r.data_subject_id, r.person_id, 'restrict' as action, r.retention_status,
       r.status_reason as reason, r.rule_id, r.legal_reference, r.deadline,
       cast(null as varchar) as request_id,
       coalesce(r.purpose_ended_date, cast(r.own_deadline + interval 1 day as date)) as due_date,
       cast(null as boolean) as is_overdue, r.as_of_date
from governance.record_retention_statuses r
where r.retention_status in ('restricted', 'legal_hold')
  and r.record_key not in (select record_key from governance.deletion_candidates)
order by r.record_key
"""

# Customers who withdrew a photo consent: their expired photo is a "consent withdrawn" item
# rather than "photo without consent" (Art. 7(3) vs Art. 6(1)(a) GDPR).
PHOTO_CONSENT_WITHDRAWN_SQL = """
select distinct subject_id
from intermediate.int_consents_validated
where subject_type = 'customer' and purpose_id = 'customer_photos' and is_withdrawn
"""

EXPORT_IDS_SQL = """
select distinct export_id from governance.record_retention_statuses
where export_id is not null order by 1
"""

RETENTION_RULES_SQL = "select * from policy.retention_rules order by all"


@dataclass(frozen=True)
class WritebackField:
    """A free-text field the scanner found something in (ids only, never the text)."""

    record_table: str
    record_id: str
    column: str
    subject_type: str
    subject_id: str


def deletion_candidates(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Candidates of the mart plus every other held record (as ``restrict``)."""
    rows = con.execute(CANDIDATES_SQL).fetchall() + con.execute(HELD_RECORDS_SQL).fetchall()
    return [dict(zip(CANDIDATE_COLUMNS, row, strict=True)) for row in rows]


def candidates_as_of(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    rows = con.execute("select distinct as_of_date from governance.deletion_candidates").fetchall()
    return sorted(r[0] for r in rows)


def photo_consent_withdrawn_customers(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    if not table_exists(con, "intermediate", "int_consents_validated"):
        return frozenset()
    return frozenset(r[0] for r in con.execute(PHOTO_CONSENT_WITHDRAWN_SQL).fetchall())


def export_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(EXPORT_IDS_SQL).fetchall()]


def retention_rule_rows(con: duckdb.DuckDBPyConnection) -> list[list[str | None]]:
    """The retention rules seed as strings, to fingerprint the policy a manifest was built with."""
    rows = con.execute(RETENTION_RULES_SQL).fetchall()
    return [[None if v is None else str(v) for v in row] for row in rows]


def writeback_fields(con: duckdb.DuckDBPyConnection) -> list[WritebackField]:
    """Fields with at least one scanner finding whose record is still in the warehouse.

    The same fields as the redaction write-back manifest (``pii_scan/writeback.py``): the CRM
    must replace them with the redacted text the warehouse already holds.
    """
    if not table_exists(con, LANDING_SCHEMA, "note_findings"):
        return []
    fields: list[WritebackField] = []
    for table in TABLES:
        if not (table.free_text_columns and table.subject_type and table.subject_key):
            continue
        if not table_exists(con, LANDING_SCHEMA, table.name):
            continue
        rows = con.execute(
            f"""select distinct f.record_id, f.column_name, t.{quote(table.subject_key)}
                from {LANDING_SCHEMA}.note_findings f
                join {LANDING_SCHEMA}.{quote(table.name)} t
                  on t.{quote(table.primary_key)} = f.record_id
                where f.record_table = ?
                order by 1, 2""",
            [table.name],
        ).fetchall()
        fields += [
            WritebackField(table.name, record_id, column, table.subject_type, subject_id)
            for record_id, column, subject_id in rows
        ]
    return fields
