"""The suites on small hand-made tables: each counts in DuckDB what GX would count, and returns
no values.

The equivalence tests validate the same rows both ways: GX 1.x on a pandas frame with the
expectation the SQL stands for (the way the checks worked before issue 16), and the SQL counts
of ``expectations/sql.py`` on a DuckDB table. Element and unexpected counts must agree, so the
stored results stay comparable with runs before the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import great_expectations as gx
import pandas as pd
import pytest
from great_expectations.expectations.row_conditions import Column

from expectations.runner import _context, validate_counts
from expectations.sql import measure
from expectations.suites import (
    consents_suite,
    data_subjects_suite,
    marketing_eligibilities_suite,
    record_retention_statuses_suite,
)

AS_OF = dt.date(2026, 11, 23)
GRANTED = dt.datetime(2026, 3, 1, 10)


def _table(frame: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("frame_view", frame)
    con.execute("create table checked as select * from frame_view")
    con.unregister("frame_view")
    return con


def _gx_counts(frame: pd.DataFrame, expectations: list[Any]) -> list[tuple[str, str, int, int]]:
    """GX's own element and unexpected counts on a pandas frame (the pre-issue-16 way)."""
    context = _context()
    name = "equivalence_reference"
    if name in {s.name for s in context.suites.all()}:
        context.suites.delete(name)
    suite = gx.ExpectationSuite(name=name)
    for expectation in expectations:
        suite.add_expectation(expectation)
    suite = context.suites.add(suite)
    if "reference_frames" not in {d.name for d in context.data_sources.all().values()}:
        source = context.data_sources.add_pandas("reference_frames")
        source.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("whole")
    batch = (
        context.data_sources.get("reference_frames")
        .get_asset("frame")
        .get_batch_definition("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    validation = batch.validate(suite, result_format={"result_format": "SUMMARY"})
    out = []
    for r in validation.results:
        kwargs = dict(r.expectation_config.kwargs)
        column = kwargs.get("column") or f"{kwargs['column_A']}, {kwargs['column_B']}"
        out.append(
            (
                str(r.expectation_config.type),
                str(column),
                int(r.result["element_count"]),
                int(r.result["unexpected_count"]),
            )
        )
    return out


def _sql_counts(frame: pd.DataFrame, expects: list[Any]) -> list[tuple[str, str, int, int]]:
    con = _table(frame)
    try:
        return [
            (c.expectation, c.column, c.element_count, c.unexpected_count)
            for c in measure(con, "checked", expects)
        ]
    finally:
        con.close()


CONSENTS = pd.DataFrame(
    {
        "consent_id": ["K1", "K2", "K2", "K4", None],
        "granted_at": [GRANTED, GRANTED, None, GRANTED, GRANTED],
        "confirmed_at": [GRANTED - dt.timedelta(hours=1), None, GRANTED, GRANTED, None],
        "withdrawn_at": [None, dt.datetime(2026, 12, 1), None, None, None],
    }
)
CONTACTS = pd.DataFrame(
    {
        "email": ["anna@example.de", "not-an-address", None, "b@x.co", "c @x.de"],
        "postcode": ["10115", "1011", "SW1A 1AA", "1010", None],
        "country": ["DE", "DE", "GB", "AT", "CH"],
    }
)


def test_consent_counts_in_sql_equal_what_gx_counts_on_the_same_rows() -> None:
    latest = consents_suite.end_of(AS_OF)
    reference = [
        gx.expectations.ExpectColumnValuesToBeUnique(column="consent_id"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="granted_at"),
        *(
            gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=later,
                column_B="granted_at",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
            for later in ("confirmed_at", "withdrawn_at")
        ),
        *(
            gx.expectations.ExpectColumnValuesToBeBetween(column=column, max_value=latest)
            for column in ("granted_at", "confirmed_at", "withdrawn_at")
        ),
    ]
    sql = _sql_counts(CONSENTS, consents_suite.expectations(AS_OF))
    assert sorted(sql) == sorted(_gx_counts(CONSENTS, reference))
    assert [u for *_, u in sql] == [2, 1, 1, 0, 0, 0, 1]


def test_contact_counts_in_sql_equal_what_gx_counts_per_country() -> None:
    reference = [
        gx.expectations.ExpectColumnValuesToMatchRegex(
            column="email", regex=data_subjects_suite.EMAIL_REGEX
        ),
        *(
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="postcode", regex=regex, row_condition=Column("country") == country
            )
            for country, regex in data_subjects_suite.POSTCODE_REGEX_BY_COUNTRY.items()
        ),
    ]
    sql = _sql_counts(CONTACTS, data_subjects_suite.contact_expectations())
    assert sorted(sql) == sorted(_gx_counts(CONTACTS, reference))
    assert [(c, u) for _, c, _, u in sql if u] == [("email", 2), ("postcode", 1)]


def test_retention_status_counts_in_sql_equal_what_gx_counts() -> None:
    frame = pd.DataFrame(
        {
            "record_key": ["r1", "r2", "r2", None],
            "processing_purpose_id": ["p", None, "p", "p"],
            "legal_basis_id": ["b", "b", "b", "b"],
            "retention_status": ["active", "forgotten", None, "expired"],
            "rule_id": ["x", "x", "x", "x"],
        }
    )
    reference = [
        gx.expectations.ExpectColumnValuesToBeUnique(column="record_key"),
        *(
            gx.expectations.ExpectColumnValuesToNotBeNull(column=column)
            for column in record_retention_statuses_suite.REQUIRED
        ),
        gx.expectations.ExpectColumnValuesToBeInSet(
            column="retention_status",
            value_set=record_retention_statuses_suite.RETENTION_STATUSES,
        ),
    ]
    sql = _sql_counts(frame, record_retention_statuses_suite.expectations())
    assert sorted(sql) == sorted(_gx_counts(frame, reference))


def test_an_eligible_row_without_consent_fails_the_blocking_marketing_suite() -> None:
    con = duckdb.connect()
    con.execute(
        """create table eligibilities as select * from (values
               ('e1', true, true, false), ('e2', true, false, false),
               ('e3', false, false, true), ('e4', true, null, true))
           as t(marketing_eligibility_key, is_eligible, has_valid_consent, has_objection)"""
    )
    measured = marketing_eligibilities_suite.measure_on(con, AS_OF, "eligibilities")
    outcome = validate_counts("marketing_test", measured.counted)
    con.close()
    assert not outcome.passed
    failed = [(e.column, e.unexpected_count) for e in outcome.expectations if not e.passed]
    assert failed == [("is_eligible_without_consent", 2), ("is_eligible_despite_objection", 1)]
    assert outcome.rows_checked == 4


@pytest.mark.parametrize("unexpected", [0, 3])
def test_gx_passes_a_suite_exactly_when_no_expectation_has_an_unexpected_row(
    unexpected: int,
) -> None:
    from expectations.runner import Counted

    counted = [
        Counted("expect_column_values_to_be_unique", "k", 10, 0),
        Counted("expect_column_values_to_not_be_null", "k", 10, unexpected),
    ]
    outcome = validate_counts("verdict_test", counted)
    assert outcome.passed is (unexpected == 0)
    assert [e.passed for e in outcome.expectations] == [True, unexpected == 0]
    assert outcome.unexpected_total == unexpected


def test_contact_suite_results_hold_counts_and_never_an_address() -> None:
    con = _table(CONTACTS)
    measured = data_subjects_suite.measure_contacts(con, AS_OF, "checked")
    outcome = validate_counts("contacts_test", measured.counted)
    con.close()
    assert not outcome.passed
    assert "not-an-address" not in repr(outcome) and "1011'" not in repr(outcome)
