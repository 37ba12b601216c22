"""Suites on ``governance.data_subjects``: keys, provenance, retention status and contact formats.

Keys and provenance block: the access export (Art. 15), the deletion manifest and the outbox are
built per data subject, and a subject without source would be unanswerable under Art. 14/15(1)(g).
Contact formats only warn: a malformed address does not make a governance output wrong, but the
CRM must correct it (Art. 5(1)(d) accuracy). Contact data is personal data: it is matched inside
DuckDB and only counts come back.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.sql import Expect, match_regex, measure, not_null, sql_literal, unique
from expectations.suites import Measured, SuiteSpec

TABLE = "governance.data_subjects"
#: Deliberately simple: one @, no blanks, a dot in the domain, a TLD of two or more letters.
EMAIL_REGEX = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
#: Postcode shapes by country (DE five digits, AT/CH four digits, GB outward + inward code).
POSTCODE_REGEX_BY_COUNTRY = {
    "DE": r"^[0-9]{5}$",
    "AT": r"^[0-9]{4}$",
    "CH": r"^[0-9]{4}$",
    "GB": r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$",
}
PROVENANCE = (
    "data_subject_id",
    "source_system",
    "source_channel",
    "export_id",
    "source_file",
    "loaded_at",
    "retention_status",
)


def key_expectations() -> list[Expect]:
    return [unique("data_subject_id"), *(not_null(column) for column in PROVENANCE)]


def contact_expectations() -> list[Expect]:
    return [
        match_regex("email", EMAIL_REGEX),
        *(
            match_regex("postcode", regex, where=f"country = {sql_literal(country)}")
            for country, regex in POSTCODE_REGEX_BY_COUNTRY.items()
        ),
    ]


def measure_keys(con: duckdb.DuckDBPyConnection, as_of: dt.date, relation: str = TABLE) -> Measured:
    return Measured(measure(con, relation, key_expectations()))


def measure_contacts(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, relation: str = TABLE
) -> Measured:
    return Measured(measure(con, relation, contact_expectations()))


SUITES = [
    SuiteSpec(
        check_name="data_subjects__keys_unique_and_provenance_present",
        asset=("governance", "data_subjects"),
        description=(
            "Every data subject has a unique key, its source (system, channel, export, file, "
            "load time) and a retention status."
        ),
        blocking=True,
        suite="data_subjects_keys_provenance",
        measure=measure_keys,
        table=TABLE,
    ),
    SuiteSpec(
        check_name="data_subjects__contact_formats_valid",
        asset=("governance", "data_subjects"),
        description="E-mail addresses and postcodes (DE, AT, CH, GB) have a valid shape.",
        blocking=False,
        suite="data_subjects_contact_formats",
        measure=measure_contacts,
        table=TABLE,
    ),
]
