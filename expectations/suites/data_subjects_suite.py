"""Suites on ``governance.data_subjects``: keys, provenance, retention status and contact formats.

Keys and provenance block: the access export (Art. 15), the deletion manifest and the outbox are
built per data subject, and a subject without source would be unanswerable under Art. 14/15(1)(g).
Contact formats only warn: a malformed address does not make a governance output wrong, but the
CRM must correct it (Art. 5(1)(d) accuracy).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from expectations.suites import SuiteSpec, query_frame

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


def fetch_keys(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    return query_frame(
        con,
        f"""select data_subject_id, source_system, source_channel, export_id, source_file,
                  loaded_at, retention_status from {TABLE}""",
    )


def build_keys(as_of: dt.date) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="data_subjects_keys_provenance")
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(column="data_subject_id"))
    for column in (
        "data_subject_id",
        "source_system",
        "source_channel",
        "export_id",
        "source_file",
        "loaded_at",
        "retention_status",
    ):
        suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column=column))
    return suite


def fetch_contacts(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    # Contact columns are personal data: the frame stays in memory and only counts come back.
    return query_frame(con, f"select email, postcode, country from {TABLE}")


def build_contacts(as_of: dt.date) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="data_subjects_contact_formats")
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToMatchRegex(column="email", regex=EMAIL_REGEX)
    )
    for country, regex in POSTCODE_REGEX_BY_COUNTRY.items():
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="postcode",
                regex=regex,
                row_condition=Column("country") == country,
            )
        )
    return suite


SUITES = [
    SuiteSpec(
        check_name="data_subjects__keys_unique_and_provenance_present",
        asset=("governance", "data_subjects"),
        description=(
            "Every data subject has a unique key, its source (system, channel, export, file, "
            "load time) and a retention status."
        ),
        blocking=True,
        fetch=fetch_keys,
        build=build_keys,
        table=TABLE,
    ),
    SuiteSpec(
        check_name="data_subjects__contact_formats_valid",
        asset=("governance", "data_subjects"),
        description="E-mail addresses and postcodes (DE, AT, CH, GB) have a valid shape.",
        blocking=False,
        fetch=fetch_contacts,
        build=build_contacts,
        table=TABLE,
    ),
]
