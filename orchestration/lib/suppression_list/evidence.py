"""The minimal evidence that a data-subject request was handled, kept without the person's data.

One row per request: id, type, received / due / completed dates, outcome and the keyed hash of
``subject_type:subject_id``; no name, e-mail, phone, birth date, address or plain subject id.
It is written for every request of a subject the erasure removes (before the delete) and for
every request row of an erased subject the CRM delivers again (ingest then quarantines the clear
row). Kept until 31 December of the third year after completion (§195, §199 BGB); open requests
are kept while open.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import yaml

from orchestration.lib.settings import DBT_PROJECT_DIR
from orchestration.lib.suppression_list.identifiers import SUBJECT_ID, hash_identifier, subject_key
from orchestration.lib.suppression_list.store import EVIDENCE_TABLE, EVIDENCE_YEARS, ensure_tables
from orchestration.lib.warehouse import table_exists

#: The legal day is the day in Berlin; CRM timestamps are UTC.
LEGAL_TZ = ZoneInfo("Europe/Berlin")
#: Art. 12(3) GDPR: one month, extendable by two further months.
DEADLINE_MONTHS = 1
EXTENDED_DEADLINE_MONTHS = 3
#: Outcome of an erasure request the erasure fulfilled before the CRM marked it completed.
ERASURE_EXECUTED = "erasure_executed"
CLOSED_STATUSES = frozenset({"completed", "rejected"})

REQUEST_COLUMNS = (
    "request_id",
    "subject_type",
    "subject_id",
    "request_type",
    "received_at",
    "is_deadline_extended",
    "completed_at",
    "request_status",
)


def legal_date(value: dt.datetime | dt.date | None) -> dt.date | None:
    """The Berlin calendar day of a UTC timestamp (a date stays as it is)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC).astimezone(LEGAL_TZ).date()
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, the month's last day when it has no such day (31.01 → 28.02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def next_working_day(day: dt.date, holidays: Collection[dt.date]) -> dt.date:
    """``day``, or the next day that is neither a Saturday, a Sunday nor a public holiday
    (Regulation 1182/71, Art. 3(4)), as the dbt models shift the request deadline."""
    while day.weekday() >= 5 or day in holidays:
        day += dt.timedelta(days=1)
    return day


def public_holidays(con: duckdb.DuckDBPyConnection) -> frozenset[dt.date]:
    """The holidays the dbt models use (the ``public_holidays`` seed, nationwide and the
    controller's region, var ``public_holiday_region``); empty before the first dbt run."""
    if not table_exists(con, "policy", "public_holidays"):
        return frozenset()
    region = dbt_var("public_holiday_region", "BE")
    rows = con.execute(
        "select holiday_date from policy.public_holidays where region in ('DE', ?)", [region]
    ).fetchall()
    return frozenset(row[0] for row in rows)


def dbt_var(name: str, default: str) -> str:
    """A var of ``dbt_project.yml`` (one source for dbt and Python)."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return str((project.get("vars") or {}).get(name, default))


def evidence_row(
    key: bytes,
    request: Mapping[str, Any],
    recorded_at: dt.datetime,
    executed_on: dt.date | None = None,
    holidays: Collection[dt.date] = frozenset(),
) -> list[Any]:
    """One evidence-log row for one ``data_subject_requests`` row (``REQUEST_COLUMNS``).

    ``executed_on``: the erasure fulfilled this subject's erasure request that day, even if the
    CRM has not marked it completed yet. The due date is the effective one: the nominal
    deadline moved off weekends and ``holidays``.
    """
    received = legal_date(request["received_at"])
    months = EXTENDED_DEADLINE_MONTHS if request["is_deadline_extended"] else DEADLINE_MONTHS
    completed = legal_date(request["completed_at"])
    outcome = str(request["request_status"])
    if (
        executed_on is not None
        and request["request_type"] == "erasure"
        and outcome not in CLOSED_STATUSES
    ):
        outcome, completed = ERASURE_EXECUTED, executed_on
    retain_until = (
        dt.date(completed.year + EVIDENCE_YEARS, 12, 31) if completed is not None else None
    )
    subject_hash = hash_identifier(
        key, SUBJECT_ID, subject_key(str(request["subject_type"]), str(request["subject_id"]))
    )
    return [
        request["request_id"],
        request["request_type"],
        subject_hash,
        received,
        next_working_day(add_months(received, months), holidays) if received else None,
        completed,
        outcome,
        retain_until,
        recorded_at,
    ]


def record_requests(
    con: duckdb.DuckDBPyConnection,
    key: bytes,
    requests: Iterable[Mapping[str, Any]],
    recorded_at: dt.datetime,
    executed_on: dt.date | None = None,
) -> int:
    """Upsert evidence rows by request id; a completed row is never replaced by an open one."""
    ensure_tables(con)
    holidays = public_holidays(con)
    rows = [evidence_row(key, r, recorded_at, executed_on, holidays) for r in requests]
    written = 0
    for row in rows:
        existing = con.execute(
            f"select completed_date from {EVIDENCE_TABLE} where request_id = ?", [row[0]]
        ).fetchall()
        if existing and existing[0][0] is not None and row[5] is None:
            continue
        con.execute(f"delete from {EVIDENCE_TABLE} where request_id = ?", [row[0]])
        con.execute(f"insert into {EVIDENCE_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        written += 1
    return written
