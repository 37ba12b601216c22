"""The keyed hash of an identifier does not depend on how the CRM happened to format it."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.lib.suppression_list.evidence import (
    add_months,
    evidence_row,
    legal_date,
    next_working_day,
)
from orchestration.lib.suppression_list.identifiers import (
    EMAIL,
    PHONE,
    SUBJECT_ID,
    hash_identifier,
    normalise_email,
    normalise_phone,
)

KEY = bytes(range(32))


@pytest.mark.parametrize(
    "variant", ["Anna.Muster@Example.DE", "  anna.muster@example.de ", "ANNA.MUSTER@EXAMPLE.DE\t"]
)
def test_email_case_and_surrounding_blanks_give_the_same_hash(variant: str) -> None:
    assert normalise_email(variant) == "anna.muster@example.de"
    assert hash_identifier(KEY, EMAIL, variant) == hash_identifier(
        KEY, EMAIL, "anna.muster@example.de"
    )


@pytest.mark.parametrize(
    "variant",
    ["+491720702635", "+49 172 0702635", "0049 (172) 070-2635", "0172/0702635", "0172 070 26 35"],
)
def test_phone_formatting_and_national_prefix_give_the_same_hash(variant: str) -> None:
    assert normalise_phone(variant) == "491720702635"
    assert hash_identifier(KEY, PHONE, variant) == hash_identifier(KEY, PHONE, "+491720702635")


def test_a_different_number_or_country_gives_a_different_hash() -> None:
    assert hash_identifier(KEY, PHONE, "+431720702635") != hash_identifier(
        KEY, PHONE, "+491720702635"
    )
    assert hash_identifier(KEY, PHONE, "+491720702636") != hash_identifier(
        KEY, PHONE, "+491720702635"
    )


def test_empty_values_have_no_hash_and_never_match() -> None:
    assert hash_identifier(KEY, EMAIL, "   ") is None
    assert hash_identifier(KEY, PHONE, "-") is None
    assert hash_identifier(KEY, EMAIL, None) is None


def test_the_kind_of_identifier_and_the_key_are_part_of_the_hash() -> None:
    value = "customer:C1"
    assert hash_identifier(KEY, SUBJECT_ID, value) != hash_identifier(KEY, EMAIL, value)
    assert hash_identifier(KEY, SUBJECT_ID, value) != hash_identifier(b"x" * 32, SUBJECT_ID, value)
    digest = hash_identifier(KEY, SUBJECT_ID, value)
    assert digest is not None and len(digest) == 64 and "C1" not in digest


def test_evidence_row_holds_dates_outcome_and_a_hash_but_no_plain_subject_id() -> None:
    request = {
        "request_id": "DSR7",
        "subject_type": "customer",
        "subject_id": "C0000066",
        "request_type": "erasure",
        # 31.01. 23:30 UTC is 1 February in Berlin: the legal day of receipt.
        "received_at": dt.datetime(2026, 1, 31, 23, 30),
        "is_deadline_extended": False,
        "completed_at": None,
        "request_status": "in_progress",
    }
    row = evidence_row(KEY, request, dt.datetime(2026, 2, 10), executed_on=dt.date(2026, 2, 10))
    assert row[:3] == ["DSR7", "erasure", hash_identifier(KEY, SUBJECT_ID, "customer:C0000066")]
    assert row[3:8] == [
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 2),  # 1 March 2026 is a Sunday: the deadline moves to Monday
        dt.date(2026, 2, 10),
        "erasure_executed",
        dt.date(2029, 12, 31),
    ]
    assert "C0000066" not in repr(row)


def test_deadline_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert legal_date(dt.datetime(2026, 6, 30, 21, 59)) == dt.date(2026, 6, 30)
    assert legal_date(dt.datetime(2026, 6, 30, 22, 0)) == dt.date(2026, 7, 1)


def test_the_evidence_deadline_moves_off_weekends_and_holidays_like_the_dbt_models() -> None:
    easter_monday = dt.date(2026, 4, 6)
    assert next_working_day(dt.date(2026, 4, 3), {dt.date(2026, 4, 3), easter_monday}) == (
        dt.date(2026, 4, 7)
    )  # Good Friday, the weekend and Easter Monday
    assert next_working_day(dt.date(2026, 3, 6), set()) == dt.date(2026, 3, 6)  # a Friday
    assert next_working_day(dt.date(2026, 3, 7), set()) == dt.date(2026, 3, 9)  # a Saturday
