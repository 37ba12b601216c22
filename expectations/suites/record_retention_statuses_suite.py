"""Suite on ``governance.record_retention_statuses``: every personal record has a purpose, a legal
basis and a retention status (Art. 5(1)(b), 6(1), 5(1)(e)).

Blocking: a record without a retention status is invisible to the deletion manifest, so it would
be kept forever.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import great_expectations as gx
import pandas as pd

from expectations.suites import SuiteSpec, query_frame

TABLE = "governance.record_retention_statuses"
RETENTION_STATUSES = ["active", "restricted", "expired", "erasure_requested", "legal_hold"]


def fetch(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    return query_frame(
        con,
        f"""select record_key, processing_purpose_id, legal_basis_id, retention_status, rule_id
            from {TABLE}""",
    )


def build(as_of: dt.date) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="record_retention_statuses_purpose_basis_status")
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(column="record_key"))
    for column in ("record_key", "processing_purpose_id", "legal_basis_id", "retention_status"):
        suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column=column))
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeInSet(
            column="retention_status", value_set=RETENTION_STATUSES
        )
    )
    return suite


SUITES = [
    SuiteSpec(
        check_name="record_retention_statuses__purpose_legal_basis_and_status_present",
        asset=("governance", "record_retention_statuses"),
        description=(
            "Every personal record has a unique key, a processing purpose, a legal basis and a "
            "known retention status."
        ),
        blocking=True,
        fetch=fetch,
        build=build,
        table=TABLE,
    )
]
