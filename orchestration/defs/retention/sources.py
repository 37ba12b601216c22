"""The SQL that reads the dbt governance marts for the deletion manifest, in one place.

The marts belong to the dbt project (``governance.deletion_candidates``,
``governance.record_retention_statuses``, ``intermediate.int_consents_validated``); when their
columns change, this is the only module to adjust. The inputs are gathered into temporary tables
of the manifest's connection (``stage_inputs``) so the items are computed in SQL and nothing
proportional to the data is fetched into Python (issue 16). Every query reads ids, codes and dates
only, never names, contact data or free text.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.lib.crm_schema import TABLES
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.warehouse import table_exists

#: Temporary tables of the manifest connection: candidate rows, write-back fields, and customers
#: who withdrew their photo consent.
CANDIDATES = "_manifest_candidates"
WRITEBACK = "_manifest_writeback"
PHOTO_WITHDRAWN = "_manifest_photo_withdrawn"

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


def stage_inputs(con: duckdb.DuckDBPyConnection) -> None:
    """Create the three temporary input tables from the marts (empty where a mart is missing)."""
    con.execute(
        f"create or replace temp table {CANDIDATES} as "
        f"{CANDIDATES_SQL} union all {HELD_RECORDS_SQL}"
    )
    if table_exists(con, "intermediate", "int_consents_validated"):
        con.execute(
            f"create or replace temp table {PHOTO_WITHDRAWN} as {PHOTO_CONSENT_WITHDRAWN_SQL}"
        )
    else:
        con.execute(f"create or replace temp table {PHOTO_WITHDRAWN} (subject_id varchar)")
    con.execute(f"""create or replace temp table {WRITEBACK} as {writeback_fields_sql(con)}""")


def writeback_fields_sql(con: duckdb.DuckDBPyConnection) -> str:
    """Fields with at least one scanner finding whose record is still in the warehouse.

    The same fields as the redaction write-back manifest (``pii_scan/writeback.py``): the CRM
    must replace them with the redacted text the warehouse already holds.
    """
    empty = (
        "select cast(null as varchar) as record_table, cast(null as varchar) as record_id, "
        "cast(null as varchar) as column_name, cast(null as varchar) as subject_type, "
        "cast(null as varchar) as subject_id where false"
    )
    if not table_exists(con, LANDING_SCHEMA, "note_findings"):
        return empty
    parts = [empty]
    for table in TABLES:
        if not (table.free_text_columns and table.subject_type and table.subject_key):
            continue
        if not table_exists(con, LANDING_SCHEMA, table.name):
            continue
        parts.append(
            f"""select distinct '{table.name}', f.record_id, f.column_name,
                       '{table.subject_type}', cast(t.{quote(table.subject_key)} as varchar)
                from {LANDING_SCHEMA}.note_findings f
                join {LANDING_SCHEMA}.{quote(table.name)} t
                  on t.{quote(table.primary_key)} = f.record_id
                where f.record_table = '{table.name}'"""
        )
    return "\nunion all\n".join(parts)


def candidates_as_of(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    rows = con.execute("select distinct as_of_date from governance.deletion_candidates").fetchall()
    return sorted(r[0] for r in rows)


def export_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(EXPORT_IDS_SQL).fetchall()]


def retention_rule_rows(con: duckdb.DuckDBPyConnection) -> list[list[str | None]]:
    """The retention rules seed as strings, to fingerprint the policy a manifest was built with."""
    rows = con.execute(RETENTION_RULES_SQL).fetchall()
    return [[None if v is None else str(v) for v in row] for row in rows]
