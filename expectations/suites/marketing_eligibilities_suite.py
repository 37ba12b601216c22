"""Suite on ``governance.marketing_eligibilities``: nobody is eligible without valid consent.

Blocking: the marketing team sends to exactly this list; an eligible row without a valid consent
for that purpose and channel, or with an objection, would be an unlawful send tomorrow
(Art. 6(1)(a), 7, 21(3); § 7 UWG). Counted in DuckDB: the table has about 16 rows per customer
(3.2M at 200k customers), none of which leaves the database.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.sql import Expect, in_set, measure, unique
from expectations.suites import Measured, SuiteSpec

TABLE = "governance.marketing_eligibilities"
#: The flags the expectations read, derived per row inside DuckDB.
RELATION = """(select marketing_eligibility_key,
                       is_eligible and not coalesce(has_valid_consent, false)
                           as is_eligible_without_consent,
                       is_eligible and coalesce(has_objection, false)
                           as is_eligible_despite_objection
                from {table})"""


def expectations() -> list[Expect]:
    return [
        unique("marketing_eligibility_key"),
        in_set("is_eligible_without_consent", [False]),
        in_set("is_eligible_despite_objection", [False]),
    ]


def measure_on(con: duckdb.DuckDBPyConnection, as_of: dt.date, table: str = TABLE) -> Measured:
    return Measured(measure(con, RELATION.format(table=table), expectations()))


SUITES = [
    SuiteSpec(
        check_name="marketing_eligibilities__no_eligibility_without_valid_consent",
        asset=("governance", "marketing_eligibilities"),
        description=(
            "No one is eligible for marketing on a purpose and channel without a valid consent "
            "for it, or after an objection."
        ),
        blocking=True,
        suite="marketing_eligibilities_consent_required",
        measure=measure_on,
        table=TABLE,
    )
]
