"""Suite on ``int_consents_validated``: consent timestamps are plausible.

Blocking: marketing eligibility is computed from these timestamps; a confirmation before the
grant or a date after ``as_of`` means the export is corrupt and eligibility would be wrong
(Art. 7(1): the controller must be able to demonstrate consent).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import great_expectations as gx
import pandas as pd

from expectations.suites import SuiteSpec, end_of, query_frame

TABLE = "intermediate.int_consents_validated"


def fetch(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    return query_frame(
        con, f"select consent_id, granted_at, confirmed_at, withdrawn_at from {TABLE}"
    )


def build(as_of: dt.date) -> gx.ExpectationSuite:
    latest = end_of(as_of)
    suite = gx.ExpectationSuite(name="consents_timestamps_plausible")
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(column="consent_id"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="granted_at"))
    for later in ("confirmed_at", "withdrawn_at"):
        suite.add_expectation(
            gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=later,
                column_B="granted_at",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    for column in ("granted_at", "confirmed_at", "withdrawn_at"):
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeBetween(column=column, max_value=latest)
        )
    return suite


SUITES = [
    SuiteSpec(
        check_name="int_consents_validated__timestamps_plausible",
        asset=("intermediate", "int_consents_validated"),
        description=(
            "Consent keys are unique; confirmation and withdrawal are not before the grant; no "
            "consent timestamp lies after the run's as_of date."
        ),
        blocking=True,
        fetch=fetch,
        build=build,
        table=TABLE,
    )
]
