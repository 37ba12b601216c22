"""Suite on ``int_consents_validated``: consent timestamps are plausible.

Blocking: marketing eligibility is computed from these timestamps; a confirmation before the
grant or a date after ``as_of`` means the export is corrupt and eligibility would be wrong
(Art. 7(1): the controller must be able to demonstrate consent).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.sql import Expect, at_most, measure, not_null, pair_a_not_before_b, unique
from expectations.suites import Measured, SuiteSpec, end_of

TABLE = "intermediate.int_consents_validated"


def expectations(as_of: dt.date) -> list[Expect]:
    latest = end_of(as_of)
    return [
        unique("consent_id"),
        not_null("granted_at"),
        *(pair_a_not_before_b(later, "granted_at") for later in ("confirmed_at", "withdrawn_at")),
        *(at_most(column, latest) for column in ("granted_at", "confirmed_at", "withdrawn_at")),
    ]


def measure_on(con: duckdb.DuckDBPyConnection, as_of: dt.date, relation: str = TABLE) -> Measured:
    return Measured(measure(con, relation, expectations(as_of)))


SUITES = [
    SuiteSpec(
        check_name="int_consents_validated__timestamps_plausible",
        asset=("intermediate", "int_consents_validated"),
        description=(
            "Consent keys are unique; confirmation and withdrawal are not before the grant; no "
            "consent timestamp lies after the run's as_of date."
        ),
        blocking=True,
        suite="consents_timestamps_plausible",
        measure=measure_on,
        table=TABLE,
    )
]
