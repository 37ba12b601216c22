"""Turn governance rows into manifest items: one per record (or field) and action.

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
  warehouse already holds the redacted text; the CRM must replace its copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from orchestration.defs.retention.sources import WritebackField
from orchestration.lib.crm_schema import TABLES_BY_NAME

POLICY_FILE = Path(__file__).with_name("manifest_policy.yaml")

ACTIONS = ("delete", "anonymize", "restrict")
#: Retention statuses that allow deletion; anything else (restricted, legal hold, active) may at
#: most be restricted.
DELETABLE_STATUSES = frozenset({"expired", "erasure_requested"})

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

#: Column order of the CSV form and the items table.
ITEM_FIELDS = (
    "item_id",
    "action",
    "reason",
    "rule_id",
    "legal_reference",
    "due_date",
    "is_overdue",
    "deadline",
    "request_id",
    "retention_status",
    "subject_type",
    "subject_id",
    "data_subject_id",
    "person_id",
    "record_table",
    "record_id",
    "record_key",
    "record_type",
    "column",
    "is_master_record",
    "anonymize_with",
)


def load_policy(path: Path = POLICY_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def is_master_record(record_table: str, column: str | None) -> bool:
    """A subject's master record: the row of the table whose own key is the subject's key."""
    table = TABLES_BY_NAME.get(record_table)
    return bool(table and column is None and table.subject_key == table.primary_key)


def _subject_id(data_subject_id: str | None, subject_type: str | None) -> str | None:
    if not data_subject_id or not subject_type:
        return None
    prefix = f"{subject_type}:"
    return data_subject_id[len(prefix) :] if data_subject_id.startswith(prefix) else None


def candidate_item(
    row: Mapping[str, Any], photo_consent_withdrawn: frozenset[str]
) -> dict[str, Any]:
    """One manifest item from a ``governance.deletion_candidates`` row."""
    column = row["field_name"]
    reason = STATUS_REASONS.get(str(row["reason"]), str(row["reason"]))
    action = str(row["action"])
    if row["retention_status"] not in DELETABLE_STATUSES:
        action = "restrict"  # a statutory or legal hold is never deleted (Art. 17(3))
    elif column is not None and action == "delete":
        action = "anonymize"
    if row["record_type"] == "customer_photo" and reason == "retention_expired":
        withdrawn = row["record_id"] in photo_consent_withdrawn
        reason = "consent_withdrawn" if withdrawn else "photo_without_consent"
    record_key = str(row["record_key"])
    return {
        "item_id": f"{action}:{record_key}",
        "action": action,
        "reason": reason,
        "rule_id": row["rule_id"],
        "legal_reference": row["legal_reference"],
        "due_date": _iso(row["due_date"]),
        "is_overdue": None if row["is_overdue"] is None else bool(row["is_overdue"]),
        "deadline": _iso(row["deadline"]),
        "request_id": row["request_id"],
        "retention_status": row["retention_status"],
        "subject_type": row["subject_type"],
        "subject_id": _subject_id(row["data_subject_id"], row["subject_type"]),
        "data_subject_id": row["data_subject_id"],
        "person_id": row["person_id"],
        "record_table": row["record_table"],
        "record_id": row["record_id"],
        "record_key": record_key,
        "record_type": row["record_type"],
        "column": column,
        "is_master_record": is_master_record(str(row["record_table"]), column),
        "anonymize_with": "null" if action == "anonymize" else None,
    }


def writeback_item(
    field: WritebackField, as_of: dt.date, policy: Mapping[str, Any]
) -> dict[str, Any]:
    """An ``anonymize`` item telling the CRM to replace a field with its redacted text.

    Due at ``as_of`` (at once): the pipeline cannot see whether the CRM has applied it, so it is
    never marked overdue, and the scanner's wall-clock ``found_at`` is not used (it would make
    manifests of the same inputs differ).
    """
    rule = policy["redaction_writeback"]
    record_key = f"{field.record_table}:{field.record_id}:{field.column}"
    data_subject_id = f"{field.subject_type}:{field.subject_id}"
    return {
        "item_id": f"anonymize:{record_key}",
        "action": "anonymize",
        "reason": "redaction_writeback",
        "rule_id": rule["rule_id"],
        "legal_reference": rule["legal_reference"],
        "due_date": as_of.isoformat(),
        "is_overdue": None,
        "deadline": None,
        "request_id": None,
        "retention_status": None,
        "subject_type": field.subject_type,
        "subject_id": field.subject_id,
        "data_subject_id": data_subject_id,
        "person_id": None,
        "record_table": field.record_table,
        "record_id": field.record_id,
        "record_key": record_key,
        "record_type": None,
        "column": field.column,
        "is_master_record": False,
        "anonymize_with": "redacted_text",
    }


def build_items(
    candidates: Iterable[Mapping[str, Any]],
    writeback: Iterable[WritebackField],
    photo_consent_withdrawn: frozenset[str],
    as_of: dt.date,
    policy: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """All items, sorted by item id; a field of a record that is deleted anyway is left out."""
    items = [candidate_item(row, photo_consent_withdrawn) for row in candidates]
    deleted = {(i["record_table"], i["record_id"]) for i in items if i["action"] == "delete"}
    items += [
        writeback_item(field, as_of, policy)
        for field in writeback
        if (field.record_table, field.record_id) not in deleted
    ]
    by_id: dict[str, dict[str, Any]] = {}
    for item in items:
        if item["item_id"] in by_id:
            raise ValueError(f"manifest item {item['item_id']} appears twice")
        by_id[item["item_id"]] = item
    return [by_id[key] for key in sorted(by_id)]
