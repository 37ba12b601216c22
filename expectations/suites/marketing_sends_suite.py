"""Suite on ``int_marketing_sends_validated``: every past send had valid consent at send time.

Not blocking, on purpose: the sends already happened in the CRM. Stopping the nightly run would
not undo them and would hold back the deletion manifest and request deadlines; the failure is
shown red in the DPO report, who decides on Art. 33/34 steps.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import great_expectations as gx
import pandas as pd

from expectations.suites import SuiteSpec, query_frame

TABLE = "intermediate.int_marketing_sends_validated"


def fetch(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    return query_frame(
        con,
        f"""select marketing_send_id, has_valid_consent_at_send, is_sent_after_objection
            from {TABLE}""",
    )


def build(as_of: dt.date) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="marketing_sends_consent_at_send")
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(column="marketing_send_id"))
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeInSet(
            column="has_valid_consent_at_send", value_set=[True]
        )
    )
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeInSet(
            column="is_sent_after_objection", value_set=[False]
        )
    )
    return suite


SUITES = [
    SuiteSpec(
        check_name="int_marketing_sends_validated__sent_with_valid_consent",
        asset=("intermediate", "int_marketing_sends_validated"),
        description=(
            "Every marketing send was covered at send time by a valid consent for its purpose "
            "and channel, and none went out after an objection."
        ),
        blocking=False,
        fetch=fetch,
        build=build,
        table=TABLE,
    )
]
