"""Suite on ``int_marketing_sends_validated``: every past send had valid consent at send time.

Not blocking, on purpose: the sends already happened in the CRM. Stopping the nightly run would
not undo them and would hold back the deletion manifest and request deadlines; the failure is
shown red in the DPO report, who decides on Art. 33/34 steps.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.sql import Expect, in_set, measure, unique
from expectations.suites import Measured, SuiteSpec

TABLE = "intermediate.int_marketing_sends_validated"


def expectations() -> list[Expect]:
    return [
        unique("marketing_send_id"),
        in_set("has_valid_consent_at_send", [True]),
        in_set("is_sent_after_objection", [False]),
    ]


def measure_on(con: duckdb.DuckDBPyConnection, as_of: dt.date, relation: str = TABLE) -> Measured:
    return Measured(measure(con, relation, expectations()))


SUITES = [
    SuiteSpec(
        check_name="int_marketing_sends_validated__sent_with_valid_consent",
        asset=("intermediate", "int_marketing_sends_validated"),
        description=(
            "Every marketing send was covered at send time by a valid consent for its purpose "
            "and channel, and none went out after an objection."
        ),
        blocking=False,
        suite="marketing_sends_consent_at_send",
        measure=measure_on,
        table=TABLE,
    )
]
