"""Which columns of which CRM table identify a data subject (read from the export contract).

A row is suppressed at ingest when any of its identifier columns hashes to an ``erased`` entry:
the subject's own master record (by id or e-mail) and every row that refers to the subject by
id (orders, invoices, notes, wish lists, consents, sends, requests). A phone number alone does
not suppress a row: landlines and switchboards are shared by households and offices (in the
generated sample up to 24 customers share one number), so a phone match would keep other
people's data out. The erased subject's phone is still listed; objections match it (an objection
keeps marketing away from that number, which loses nobody's data). A wish list's
``parent_email`` is deliberately not an identifier: the child's wish is not the parent's data.
Legal holds name records, not subjects, and are never suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.lib.crm_schema import TABLES_BY_NAME
from orchestration.lib.suppression_list.identifiers import EMAIL, SUBJECT_ID


@dataclass(frozen=True)
class IdentifierColumn:
    """One column holding an identifier of ``identifier_kind``.

    Ids are hashed as ``subject_type:subject_id``: ``subject_type`` is fixed, or read from the
    row's ``type_column`` (polymorphic tables).
    """

    identifier_kind: str
    column: str
    subject_type: str | None = None
    type_column: str | None = None


@dataclass(frozen=True)
class MasterTable:
    """Where a kind of subject's master record lives, and its contact columns."""

    subject_type: str
    table: str
    id_column: str
    email_column: str | None
    phone_column: str | None


MASTERS: dict[str, MasterTable] = {
    m.subject_type: m
    for m in (
        MasterTable("customer", "customers", "customer_id", "email", "phone"),
        MasterTable("prospect", "prospects", "prospect_id", "email", "phone"),
        MasterTable("partner_contact", "partner_contacts", "partner_contact_id", "email", "phone"),
        MasterTable(
            "wishlist_sender",
            "wishlist_submissions",
            "wishlist_submission_id",
            "sender_email",
            None,
        ),
    )
}

_CUSTOMER_REF = IdentifierColumn(SUBJECT_ID, "customer_id", "customer")
_POLYMORPHIC = IdentifierColumn(SUBJECT_ID, "subject_id", type_column="subject_type")

IDENTIFIER_COLUMNS: dict[str, tuple[IdentifierColumn, ...]] = {
    "customers": (
        _CUSTOMER_REF,
        IdentifierColumn(EMAIL, "email"),
    ),
    "prospects": (
        IdentifierColumn(SUBJECT_ID, "prospect_id", "prospect"),
        IdentifierColumn(SUBJECT_ID, "converted_customer_id", "customer"),
        IdentifierColumn(EMAIL, "email"),
    ),
    "partner_contacts": (
        IdentifierColumn(SUBJECT_ID, "partner_contact_id", "partner_contact"),
        IdentifierColumn(EMAIL, "email"),
    ),
    "orders": (_CUSTOMER_REF,),
    "invoices": (_CUSTOMER_REF,),
    "service_notes": (_CUSTOMER_REF,),
    "wishlist_submissions": (
        IdentifierColumn(SUBJECT_ID, "wishlist_submission_id", "wishlist_sender"),
        _CUSTOMER_REF,
        IdentifierColumn(EMAIL, "sender_email"),
    ),
    "consents": (_POLYMORPHIC,),
    "marketing_sends": (_POLYMORPHIC,),
    "data_subject_requests": (_POLYMORPHIC,),
}

#: Requests of an erased subject are evidence: kept in the minimal log, not loaded in clear.
REQUESTS_TABLE = "data_subject_requests"


def _check_contract() -> None:
    """Fail at import when the contract renames a column this module relies on."""
    for table, columns in IDENTIFIER_COLUMNS.items():
        names = set(TABLES_BY_NAME[table].column_names)
        for column in columns:
            for name in (column.column, column.type_column):
                if name is not None and name not in names:
                    raise RuntimeError(f"{table}.{name} is not in the export contract")
    for master in MASTERS.values():
        names = set(TABLES_BY_NAME[master.table].column_names)
        for name in (master.id_column, master.email_column, master.phone_column):
            if name is not None and name not in names:
                raise RuntimeError(f"{master.table}.{name} is not in the export contract")


_check_contract()
