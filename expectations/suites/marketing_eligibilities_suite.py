"""Suite on ``governance.marketing_eligibilities``: nobody is eligible without valid consent.

Blocking: the marketing team sends to exactly this list; an eligible row without a valid consent
for that purpose and channel, or with an objection, would be an unlawful send tomorrow
(Art. 6(1)(a), 7, 21(3); § 7 UWG).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import great_expectations as gx
import pandas as pd

from expectations.suites import SuiteSpec, query_frame

TABLE = "governance.marketing_eligibilities"


def fetch(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    return query_frame(
        con,
        f"""select marketing_eligibility_key,
                   is_eligible and not coalesce(has_valid_consent, false)
                       as is_eligible_without_consent,
                   is_eligible and coalesce(has_objection, false) as is_eligible_despite_objection
            from {TABLE}""",
    )


def build(as_of: dt.date) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="marketing_eligibilities_consent_required")
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeUnique(column="marketing_eligibility_key")
    )
    for column in ("is_eligible_without_consent", "is_eligible_despite_objection"):
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeInSet(column=column, value_set=[False])
        )
    return suite


SUITES = [
    SuiteSpec(
        check_name="marketing_eligibilities__no_eligibility_without_valid_consent",
        asset=("governance", "marketing_eligibilities"),
        description=(
            "No one is eligible for marketing on a purpose and channel without a valid consent "
            "for it, or after an objection."
        ),
        blocking=True,
        fetch=fetch,
        build=build,
        table=TABLE,
    )
]
