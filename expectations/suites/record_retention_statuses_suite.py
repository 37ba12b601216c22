"""Suite on ``governance.record_retention_statuses``: every personal record has a purpose, a legal
basis and a retention status (Art. 5(1)(b), 6(1), 5(1)(e)).

Blocking: a record without a retention status is invisible to the deletion manifest, so it would
be kept forever.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.sql import Expect, in_set, measure, not_null, unique
from expectations.suites import Measured, SuiteSpec

TABLE = "governance.record_retention_statuses"
REQUIRED = ("record_key", "processing_purpose_id", "legal_basis_id", "retention_status")
RETENTION_STATUSES = ["active", "restricted", "expired", "erasure_requested", "legal_hold"]


def expectations() -> list[Expect]:
    return [
        unique("record_key"),
        *(not_null(column) for column in REQUIRED),
        in_set("retention_status", RETENTION_STATUSES),
    ]


def measure_on(con: duckdb.DuckDBPyConnection, as_of: dt.date, relation: str = TABLE) -> Measured:
    return Measured(measure(con, relation, expectations()))


SUITES = [
    SuiteSpec(
        check_name="record_retention_statuses__purpose_legal_basis_and_status_present",
        asset=("governance", "record_retention_statuses"),
        description=(
            "Every personal record has a unique key, a processing purpose, a legal basis and a "
            "known retention status."
        ),
        blocking=True,
        suite="record_retention_statuses_purpose_basis_status",
        measure=measure_on,
        table=TABLE,
    )
]
