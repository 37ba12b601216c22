"""Turn governance rows into manifest items, in SQL: one per record (or field) and action.

Rules (REQUIREMENTS.md R4, issue 5):

- ``delete`` a whole record; when the candidate is a single field (``field_name``, e.g. the
  customer photo) the action is ``anonymize`` that column instead: the record itself stays.
- ``restrict`` records under a statutory or legal hold (Art. 17(3)(b), (e), Art. 18 GDPR;
  §35(3) BDSG): those the dbt model turns from an erasure or restriction request into a
  restriction, and every other record kept only for a hold (purpose ended, held by dependent
  records, legal hold), so the CRM gets the complete list of records to block. Any item whose
  retention status is not ``expired``/``erasure_requested`` is forced to ``restrict``, so a held
  record can never be deleted even if the mart's action were wrong.
- ``anonymize`` free-text fields with scanner findings (reason ``redaction_writeback``): the
  warehouse already holds the redacted text; the CRM must replace its copy. A field of a record
  that is deleted anyway gets no such item.

Why SQL: at 200k customers there are about two million items; as Python dicts they took most of
the run's 9.6 GB (issue 16). The items go into a temporary table of the manifest connection,
``ITEMS``, and leave DuckDB only in bounded batches (``manifest.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import yaml

from orchestration.defs.retention.sources import CANDIDATES, PHOTO_WITHDRAWN, WRITEBACK
from orchestration.lib.crm_schema import TABLES
from orchestration.lib.deletion_manifest import DELETABLE_STATUSES

POLICY_FILE = Path(__file__).with_name("manifest_policy.yaml")
#: The temporary table of the day's full item set (columns as the items table, no manifest id).
ITEMS = "_manifest_items"

#: status_reason of governance.deletion_candidates -> manifest reason.
STATUS_REASONS: Mapping[str, str] = {
    "retention_period_expired": "retention_expired",
    "erasure_request": "erasure_request",
    "erasure_request_statutory_hold": "erasure_request_statutory_hold",
    "restriction_request": "restriction_request",
    "purpose_ended_statutory_hold": "statutory_hold",
    "statutory_hold_of_dependent_records": "statutory_hold_of_dependent_records",
    "legal_hold": "legal_hold",
}

#: Tables whose row (with no column) is a subject's master record: own key = subject key.
MASTER_TABLES = tuple(sorted(t.name for t in TABLES if t.subject_key == t.primary_key))


def load_policy(path: Path = POLICY_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _sql_list(values: Any) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) or "null"


def _reason_map() -> str:
    return " ".join(f"when '{k}' then '{v}'" for k, v in sorted(STATUS_REASONS.items()))


def items_sql() -> str:
    """The full item set from the staged inputs; parameters: writeback rule id, legal ref, as_of."""
    deletable = _sql_list(sorted(DELETABLE_STATUSES))
    return f"""
with candidates as (
    select c.*,
           case
               when c.retention_status in ({deletable}) and c.field_name is not null
                    and c.action = 'delete' then 'anonymize'
               when c.retention_status in ({deletable}) then c.action
               else 'restrict'  -- a statutory or legal hold is never deleted (Art. 17(3))
           end as item_action,
           case cast(c.reason as varchar) {_reason_map()} else cast(c.reason as varchar)
           end as mapped_reason
    from {CANDIDATES} c
),
candidate_items as (
    select
        item_action || ':' || record_key as item_id,
        item_action as action,
        case
            when record_type = 'customer_photo' and mapped_reason = 'retention_expired'
                 and record_id in (select subject_id from {PHOTO_WITHDRAWN})
                then 'consent_withdrawn'
            when record_type = 'customer_photo' and mapped_reason = 'retention_expired'
                then 'photo_without_consent'
            else mapped_reason
        end as reason,
        cast(rule_id as varchar) as rule_id,
        cast(legal_reference as varchar) as legal_reference,
        cast(due_date as date) as due_date,
        cast(is_overdue as boolean) as is_overdue,
        cast(deadline as date) as deadline,
        cast(request_id as varchar) as request_id,
        cast(retention_status as varchar) as retention_status,
        cast(subject_type as varchar) as subject_type,
        case
            when data_subject_id <> '' and subject_type <> ''
                 and starts_with(data_subject_id, subject_type || ':')
                then substr(data_subject_id, length(subject_type) + 2)
        end as subject_id,
        cast(data_subject_id as varchar) as data_subject_id,
        cast(person_id as varchar) as person_id,
        cast(record_table as varchar) as record_table,
        cast(record_id as varchar) as record_id,
        cast(record_key as varchar) as record_key,
        cast(record_type as varchar) as record_type,
        cast(field_name as varchar) as column_name,
        field_name is null and record_table in ({_sql_list(MASTER_TABLES)}) as is_master_record,
        case when item_action = 'anonymize' then 'null' end as anonymize_with
    from candidates
),
writeback_items as (
    select
        'anonymize:' || w.record_table || ':' || w.record_id || ':' || w.column_name as item_id,
        'anonymize' as action,
        'redaction_writeback' as reason,
        cast($rule_id as varchar) as rule_id,
        cast($legal_reference as varchar) as legal_reference,
        cast($as_of as date) as due_date,
        cast(null as boolean) as is_overdue,
        cast(null as date) as deadline,
        cast(null as varchar) as request_id,
        cast(null as varchar) as retention_status,
        w.subject_type,
        w.subject_id,
        w.subject_type || ':' || w.subject_id as data_subject_id,
        cast(null as varchar) as person_id,
        w.record_table,
        w.record_id,
        w.record_table || ':' || w.record_id || ':' || w.column_name as record_key,
        cast(null as varchar) as record_type,
        w.column_name,
        false as is_master_record,
        'redacted_text' as anonymize_with
    from {WRITEBACK} w
    where (w.record_table, w.record_id) not in (
        select record_table, record_id from candidate_items where action = 'delete')
)
select * from candidate_items
union all
select * from writeback_items
"""


def build_items(con: duckdb.DuckDBPyConnection, as_of: dt.date, policy: Mapping[str, Any]) -> int:
    """Fill ``ITEMS`` from the staged inputs, sorted by item id; returns the item count.

    An item id is ``<action>:<record_key>``; it is unique by construction of the marts, and a
    duplicate is refused (it would make the ordering, and with it the manifest bytes, ambiguous).
    """
    rule = policy["redaction_writeback"]
    con.execute(
        f"create or replace temp table {ITEMS} as select * from ({items_sql()}) order by item_id",
        {
            "rule_id": rule["rule_id"],
            "legal_reference": rule["legal_reference"],
            "as_of": as_of,
        },
    )
    rows = con.execute(
        f"""select count(*), count(distinct item_id),
                   (select min(item_id) from (select item_id from {ITEMS}
                                              group by item_id having count(*) > 1))
            from {ITEMS}"""
    ).fetchall()
    total, distinct, duplicate = rows[0]
    if total != distinct:
        raise ValueError(f"manifest item {duplicate} appears twice")
    return int(total)
