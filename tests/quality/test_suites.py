"""The suites on small hand-made frames: each catches what it claims, and returns no values."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from expectations.runner import run_suite
from expectations.suites import consents_suite, data_subjects_suite

AS_OF = dt.date(2026, 11, 23)


def test_contact_suite_counts_bad_emails_and_postcodes_per_country_without_values() -> None:
    frame = pd.DataFrame(
        {
            "email": ["anna@example.de", "not-an-address", None],
            "postcode": ["10115", "1011", "SW1A 1AA"],
            "country": ["DE", "DE", "GB"],
        }
    )
    outcome = run_suite(lambda: data_subjects_suite.build_contacts(AS_OF), frame)
    failed = [(e.column, e.unexpected_count) for e in outcome.expectations if not e.passed]
    assert failed == [("email", 1), ("postcode", 1)]
    assert "not-an-address" not in repr(outcome) and "1011'" not in repr(outcome)


def test_consent_suite_rejects_confirmation_before_grant_and_dates_after_as_of() -> None:
    granted = dt.datetime(2026, 3, 1, 10)
    frame = pd.DataFrame(
        {
            "consent_id": ["K1", "K2", "K3"],
            "granted_at": [granted, granted, granted],
            "confirmed_at": [granted - dt.timedelta(hours=1), None, granted],
            "withdrawn_at": [None, dt.datetime(2026, 12, 1), None],
        }
    )
    outcome = run_suite(lambda: consents_suite.build(AS_OF), frame)
    failed = sorted((e.expectation, e.column) for e in outcome.expectations if not e.passed)
    assert failed == [
        ("expect_column_pair_values_a_to_be_greater_than_b", "confirmed_at, granted_at"),
        ("expect_column_values_to_be_between", "withdrawn_at"),
    ]
