"""The CRM export contract: which tables a CRM export holds, their columns and types.

Why one module: the sample generator writes exactly these files, the ingest assets read them with
an explicit DuckDB schema, and the dbt sources/staging models describe the same columns. Keeping the
contract in one place means a new column is added once and every consumer (and the header check
that names missing or extra columns) follows.

Conventions (DESIGN.md): ``<object>_id`` keys, ``is_``/``has_`` booleans, ``<event>_at`` UTC
timestamps written as ``YYYY-MM-DD HH:MM:SS``, ``<event>_date`` dates as ``YYYY-MM-DD``.
Subjects are referenced polymorphically by ``subject_type`` + ``subject_id`` where a table can
concern more than one kind of person (consents, marketing sends, requests).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Kinds of data subject a CRM record can belong to.
SUBJECT_TYPES = ("customer", "prospect", "partner_contact", "wishlist_sender")


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, DuckDB type, and whether an empty value is allowed."""

    name: str
    duckdb_type: str
    nullable: bool = True
    #: Free text that may hold special-category data or PII; it is scanned and redacted
    #: before it is written anywhere (DESIGN.md principle 1).
    is_free_text: bool = False
    description: str = ""


@dataclass(frozen=True)
class RelatedNames:
    """Names held in another table for the person a row belongs to (e.g. an order's customer).

    The scanner has no NER model: it finds person names in free text by looking for the names
    the CRM already holds for that record (REQUIREMENTS.md R2, issue 3).
    """

    key_column: str
    table: str
    table_key: str
    name_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One CRM table exported as ``<name>.csv``."""

    name: str
    primary_key: str
    columns: tuple[Column, ...]
    description: str
    #: The kind of data subject whose personal data the table holds, if it is one kind only.
    subject_type: str | None = None
    #: Column that holds the id of the subject (for tables whose rows belong to a subject).
    subject_key: str | None = None
    #: Columns of the same row holding the person's names (handed to the scanner).
    name_columns: tuple[str, ...] = ()
    #: Names of the row's person held in another table.
    related_names: tuple[RelatedNames, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def free_text_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.is_free_text]


def _c(name: str, duckdb_type: str = "VARCHAR", nullable: bool = True, **kw: object) -> Column:
    return Column(name, duckdb_type, nullable, **kw)  # type: ignore[arg-type]


_CUSTOMER_NAMES = RelatedNames(
    "customer_id", "customers", "customer_id", ("first_name", "last_name")
)

_TS = "TIMESTAMP"
_DATE = "DATE"
_BOOL = "BOOLEAN"
_MONEY = "DECIMAL(12,2)"

CUSTOMERS = Table(
    name="customers",
    primary_key="customer_id",
    subject_type="customer",
    subject_key="customer_id",
    description="Customers of Santa's workshop with billing and delivery address.",
    columns=(
        _c("customer_id", nullable=False),
        _c("salutation"),
        _c("first_name", nullable=False),
        _c("last_name", nullable=False),
        _c("email"),
        _c("phone"),
        _c("birth_date", _DATE),
        _c("billing_street"),
        _c("billing_postcode"),
        _c("billing_city"),
        _c("billing_country"),
        _c("delivery_street"),
        _c("delivery_postcode"),
        _c("delivery_city"),
        _c("delivery_country"),
        _c("customer_since_date", _DATE, nullable=False),
        _c("photo_path", description="Path of a customer photo; kept only with consent."),
        _c("source_channel", nullable=False, description="order, web_form, trade_fair, import"),
        _c("preferred_language", nullable=False),
        _c("last_contact_at", _TS),
        _c("created_at", _TS, nullable=False),
        _c("updated_at", _TS, nullable=False),
    ),
)

PROSPECTS = Table(
    name="prospects",
    primary_key="prospect_id",
    subject_type="prospect",
    subject_key="prospect_id",
    description="Leads from trade fairs and the web form; not (yet) customers.",
    columns=(
        _c("prospect_id", nullable=False),
        _c("salutation"),
        _c("first_name", nullable=False),
        _c("last_name", nullable=False),
        _c("email"),
        _c("phone"),
        _c("company_name"),
        _c("source_channel", nullable=False, description="trade_fair or web_form"),
        _c("trade_fair_name"),
        _c("captured_at", _TS, nullable=False),
        _c("last_contact_at", _TS),
        _c("converted_customer_id"),
        _c("created_at", _TS, nullable=False),
        _c("updated_at", _TS, nullable=False),
    ),
)

PARTNER_CONTACTS = Table(
    name="partner_contacts",
    primary_key="partner_contact_id",
    subject_type="partner_contact",
    subject_key="partner_contact_id",
    name_columns=("first_name", "last_name"),
    description="Contacts at business partners (suppliers, logistics), with company anniversaries.",
    columns=(
        _c("partner_contact_id", nullable=False),
        _c("company_name", nullable=False),
        _c("salutation"),
        _c("first_name", nullable=False),
        _c("last_name", nullable=False),
        _c("job_title"),
        _c("email"),
        _c("phone"),
        _c("company_anniversary_date", _DATE),
        _c("partner_since_date", _DATE, nullable=False),
        _c("last_contact_at", _TS),
        _c("partner_note", is_free_text=True, description="Free-text note about the partner."),
        _c("created_at", _TS, nullable=False),
        _c("updated_at", _TS, nullable=False),
    ),
)

ORDERS = Table(
    name="orders",
    primary_key="order_id",
    subject_type="customer",
    subject_key="customer_id",
    related_names=(_CUSTOMER_NAMES,),
    description="Orders placed by customers, with the free-text checkout comment.",
    columns=(
        _c("order_id", nullable=False),
        _c("customer_id", nullable=False),
        _c("ordered_at", _TS, nullable=False),
        _c("order_status", nullable=False),
        _c("order_channel", nullable=False),
        _c("total_amount", _MONEY, nullable=False),
        _c("currency", nullable=False),
        _c("order_comment", is_free_text=True, description="Checkout comment by the customer."),
        _c("created_at", _TS, nullable=False),
        _c("updated_at", _TS, nullable=False),
    ),
)

INVOICES = Table(
    name="invoices",
    primary_key="invoice_id",
    subject_type="customer",
    subject_key="customer_id",
    description="Invoices (accounting vouchers under §147 AO / §257 HGB / §14b UStG).",
    columns=(
        _c("invoice_id", nullable=False),
        _c("order_id", nullable=False),
        _c("customer_id", nullable=False),
        _c("invoice_date", _DATE, nullable=False),
        _c("net_amount", _MONEY, nullable=False),
        _c("vat_amount", _MONEY, nullable=False),
        _c("gross_amount", _MONEY, nullable=False),
        _c("currency", nullable=False),
        _c("paid_at", _TS),
        _c("created_at", _TS, nullable=False),
    ),
)

WISHLIST_SUBMISSIONS = Table(
    name="wishlist_submissions",
    primary_key="wishlist_submission_id",
    subject_type="wishlist_sender",
    subject_key="wishlist_submission_id",
    name_columns=("sender_first_name", "sender_last_name"),
    related_names=(_CUSTOMER_NAMES,),
    description="Wish-list web form (Wunschzettel): name, e-mail and free-text wish; "
    "many senders are children.",
    columns=(
        _c("wishlist_submission_id", nullable=False),
        _c("sender_first_name", nullable=False),
        _c("sender_last_name"),
        _c("sender_email"),
        _c("sender_birth_date", _DATE),
        _c("has_parental_consent", _BOOL, nullable=False),
        _c("parent_email"),
        _c("wish_text", is_free_text=True, description="The free-text wish."),
        _c("season_year", "INTEGER", nullable=False),
        _c("submitted_at", _TS, nullable=False),
        _c("resulting_order_id"),
        _c("customer_id", description="Set when the sender is a known customer."),
    ),
)

SERVICE_NOTES = Table(
    name="service_notes",
    primary_key="service_note_id",
    subject_type="customer",
    subject_key="customer_id",
    related_names=(_CUSTOMER_NAMES,),
    description="Customer-service notes written by agents.",
    columns=(
        _c("service_note_id", nullable=False),
        _c("customer_id", nullable=False),
        _c("agent_id", nullable=False),
        _c("contact_channel", nullable=False),
        _c("note_text", is_free_text=True, description="The agent's free-text note."),
        _c("created_at", _TS, nullable=False),
    ),
)

CONSENTS = Table(
    name="consents",
    primary_key="consent_id",
    description="Consent records per subject, purpose and channel (Art. 6(1)(a), Art. 7, Art. 8).",
    columns=(
        _c("consent_id", nullable=False),
        _c("subject_type", nullable=False),
        _c("subject_id", nullable=False),
        _c("purpose_id", nullable=False),
        _c("channel", nullable=False, description="email, phone or post"),
        _c("granted_at", _TS, nullable=False),
        _c("confirmed_at", _TS, description="Double opt-in confirmation (e-mail)."),
        _c("withdrawn_at", _TS),
        _c("has_parental_consent", _BOOL, nullable=False),
        _c("is_bundled_with_contract", _BOOL, nullable=False),
        _c("consent_source", nullable=False),
        _c("consent_text_version", nullable=False),
    ),
)

MARKETING_SENDS = Table(
    name="marketing_sends",
    primary_key="marketing_send_id",
    description="Marketing messages sent to subjects, per campaign and channel.",
    columns=(
        _c("marketing_send_id", nullable=False),
        _c("subject_type", nullable=False),
        _c("subject_id", nullable=False),
        _c("campaign_id", nullable=False),
        _c("purpose_id", nullable=False),
        _c("channel", nullable=False),
        _c("sent_at", _TS, nullable=False),
    ),
)

DATA_SUBJECT_REQUESTS = Table(
    name="data_subject_requests",
    primary_key="request_id",
    description="Data-subject requests (Art. 15-21) received by the CRM.",
    columns=(
        _c("request_id", nullable=False),
        _c("subject_type", nullable=False),
        _c("subject_id", nullable=False),
        _c(
            "request_type",
            nullable=False,
            description="access, portability, erasure, rectification, restriction, objection",
        ),
        _c("received_at", _TS, nullable=False),
        _c("is_deadline_extended", _BOOL, nullable=False),
        _c("completed_at", _TS),
        _c("request_status", nullable=False),
    ),
)

LEGAL_HOLDS = Table(
    name="legal_holds",
    primary_key="legal_hold_id",
    description="Legal holds placed by the legal department; a held record is never deleted.",
    columns=(
        _c("legal_hold_id", nullable=False),
        _c("record_table", nullable=False),
        _c("record_id", nullable=False),
        _c("hold_reason", nullable=False),
        _c("placed_at", _TS, nullable=False),
        _c("released_at", _TS),
    ),
)

#: Every table of an export, in load order.
TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    PROSPECTS,
    PARTNER_CONTACTS,
    ORDERS,
    INVOICES,
    WISHLIST_SUBMISSIONS,
    SERVICE_NOTES,
    CONSENTS,
    MARKETING_SENDS,
    DATA_SUBJECT_REQUESTS,
    LEGAL_HOLDS,
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

#: Provenance columns every landing table carries in addition to its CRM columns.
PROVENANCE_COLUMNS: tuple[Column, ...] = (
    _c("_source_file", nullable=False, description="File name inside the export directory."),
    _c("_export_id", nullable=False, description="Id of the CRM export that last wrote the row."),
    _c("_source_system", nullable=False, description="CRM that produced the export."),
    _c(
        "_loaded_at",
        _TS,
        nullable=False,
        description="When the ingest inserted or last changed the row (UTC).",
    ),
    _c(
        "_row_number",
        "BIGINT",
        nullable=False,
        description="1-based data row in the file of the export that last wrote the row.",
    ),
    _c(
        "_row_hash",
        nullable=False,
        description=(
            "HMAC-SHA256 (scan key, lowercase hex) of the raw row before redaction: detects "
            "changed rows (orchestration/lib/landing_tables.py)."
        ),
    ),
)

#: Name of the export manifest every export directory carries.
EXPORT_MANIFEST = "export.json"
#: Ground-truth labels of planted phrases, beside the tables (never a CRM table itself).
LABELS_FILE = "labels.jsonl"
#: Canary marker strings planted with --canaries, for the leak tests.
CANARIES_FILE = "canaries.txt"
