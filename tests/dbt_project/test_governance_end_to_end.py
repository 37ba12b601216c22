"""End-to-end checks of the dbt governance models on the generated sample CRM (issue 4).

The shared ``pipeline_run`` fixture (tests/conftest.py) generates a sample export, runs the whole
pipeline including ``dbt build`` and hands over the warehouse file. These tests open it read-only
and check that

* every retention rule that the sample can exercise has records on both sides of its deadline;
* the retention status, rule and deadline of every record equal an independent computation in
  plain Python from the export's CSV files and the policy seed CSVs (retention_rules,
  purposes, purpose_channels), written without the SQL's date macros;
* every personal record has a purpose, a legal basis and a retention status.

Assertion messages name record keys and rules only, never personal data (DESIGN.md principle 1).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
import yaml

pytestmark = pytest.mark.e2e

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

RETENTION_STATUSES = {"active", "restricted", "expired", "erasure_requested", "legal_hold"}

#: Rules the sample CRM cannot reliably put on both sides of their deadline, and why. Their
#: statuses are still checked record by record against the independent computation.
SPARSE_IN_SAMPLE = {
    "dsr_evidence_3y": "sample_crm writes requests received in the last few years only, so none "
    "was completed more than three calendar years ago",
    "legal_hold_release": "sample_crm places legal holds on about 0.5 % of customers and releases "
    "a quarter of them; a small sample has none, or no released one",
}

#: Order statuses that end an order's contract purpose at once, and those that end it when the
#: warranty (dbt var warranty_months) has run out.
ENDED_ORDER_STATUSES = {"cancelled", "returned"}
DELIVERED_ORDER_STATUSES = {"delivered", "completed", "closed"}


def _project_vars() -> dict:
    project = yaml.safe_load((SEEDS_DIR.parent / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


def _warranty_months() -> int:
    return int(_project_vars()["warranty_months"])


#: The legal day is the calendar day in this zone; CRM timestamps are UTC (naive in the CSVs).
LEGAL_ZONE = ZoneInfo(_project_vars().get("legal_time_zone", "Europe/Berlin"))


def _day(value: dt.datetime) -> dt.date:
    """The legal (Berlin) calendar day of a naive UTC timestamp."""
    return value.replace(tzinfo=dt.UTC).astimezone(LEGAL_ZONE).date()


def _cutoff(as_of: dt.date) -> dt.datetime:
    """The end of the as_of day in the legal zone, as a naive UTC timestamp."""
    midnight = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=LEGAL_ZONE)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def _non_working_days() -> set[dt.date]:
    """Nationwide holidays and those of the controller's state (dbt var public_holiday_region)."""
    region = _project_vars().get("public_holiday_region", "BE")
    return {
        dt.date.fromisoformat(row["holiday_date"])
        for row in _read_csv(SEEDS_DIR / "public_holidays.csv")
        if row["region"] in ("DE", region)
    }


def next_working_day(day: dt.date, holidays: set[dt.date]) -> dt.date:
    """Regulation 1182/71, Art. 3(4): a deadline on a weekend or holiday moves forward."""
    while day.weekday() >= 5 or day in holidays:
        day += dt.timedelta(days=1)
    return day


# --------------------------------------------------------------------------- reading the inputs


def _none(value: str | None) -> str | None:
    return None if value is None or value.strip() == "" else value


def _date(value: str | None) -> dt.date | None:
    value = _none(value)
    return None if value is None else dt.date.fromisoformat(value[:10])


def _ts(value: str | None) -> dt.datetime | None:
    value = _none(value)
    return None if value is None else dt.datetime.fromisoformat(value)


def _bool(value: str | None) -> bool:
    return (_none(value) or "false").lower() in {"true", "1", "t", "yes"}


def _read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def _read_export(export_dir: Path) -> dict[str, list[dict[str, str]]]:
    manifest_path = export_dir / "export.json"
    encoding = "utf-8"
    if manifest_path.exists():
        encoding = json.loads(manifest_path.read_text(encoding="utf-8")).get("encoding", "utf-8")
    tables = {}
    for name in (
        "customers", "prospects", "partner_contacts", "orders", "invoices",
        "wishlist_submissions", "service_notes", "consents", "marketing_sends",
        "data_subject_requests", "legal_holds",
    ):  # fmt: skip
        path = export_dir / f"{name}.csv"
        tables[name] = _read_csv(path, encoding) if path.exists() else []
    return tables


@dataclass(frozen=True)
class Rule:
    rule_id: str
    record_type: str
    period_months: int
    counts_from_event: str
    runs_to_end_of_year: bool
    is_statutory_hold: bool
    valid_from: dt.date
    valid_to: dt.date | None
    enacted_on: dt.date | None = None
    holds_master_record: bool = True


def _read_rules() -> list[Rule]:
    return [
        Rule(
            rule_id=row["rule_id"],
            record_type=row["record_type"],
            period_months=int(row["period_months"]),
            counts_from_event=row["counts_from_event"],
            runs_to_end_of_year=_bool(row["runs_to_end_of_year"]),
            is_statutory_hold=_bool(row["is_statutory_hold"]),
            valid_from=dt.date.fromisoformat(row["valid_from"]),
            valid_to=_date(row["valid_to"]),
            enacted_on=_date(row.get("enacted_on")),
            holds_master_record=_bool(row.get("holds_master_record", "true")),
        )
        for row in _read_csv(SEEDS_DIR / "retention_rules.csv")
    ]


# --------------------------------------------------------------------------- the policy in Python


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 January + 1 month = 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline_of(rule: Rule, event: dt.date | None) -> dt.date | None:
    """Last day a record may be kept: event (or 31 December of its year) + period."""
    if event is None:
        return None
    start = dt.date(event.year, 12, 31) if rule.runs_to_end_of_year else event
    return add_months(start, rule.period_months)


def governing_rule(
    rules: list[Rule], record_type: str, event_name: str, event: dt.date | None, as_of: dt.date
) -> tuple[Rule, dt.date | None] | None:
    """Among the versions enacted by as_of, the earliest under which the record's period ends
    while it is in force (else the latest enacted one); a version cannot end a hold before it is
    in force, so the deadline is at least the day before its valid_from (BEG IV: a 2015 invoice
    is kept until 31.12.2024)."""
    enacted = [
        rule
        for rule in rules
        if rule.record_type == record_type
        and rule.counts_from_event == event_name
        and (rule.enacted_on or rule.valid_from) <= as_of
    ]
    if not enacted:
        return None

    def period_end(rule: Rule) -> dt.date | None:
        return deadline_of(rule, event)

    ending_under_it = [
        rule
        for rule in enacted
        if rule.valid_to is None
        or (period_end(rule) is not None and period_end(rule) <= rule.valid_to)
    ]
    if ending_under_it:
        rule = min(ending_under_it, key=lambda r: r.valid_from)
    else:
        rule = max(enacted, key=lambda r: r.valid_from)
    end = period_end(rule)
    if end is None:
        return rule, None
    return rule, max(end, rule.valid_from - dt.timedelta(days=1))


def sixteenth_birthday(birth: dt.date) -> dt.date:
    """§187 Abs. 2, §188 Abs. 3 BGB: born on 29 February, 16 on 1 March in a non-leap year."""
    try:
        return birth.replace(year=birth.year + 16)
    except ValueError:
        return dt.date(birth.year + 16, 3, 1)


@dataclass
class Consent:
    consent_id: str
    subject: tuple[str, str]
    purpose_id: str
    is_valid: bool
    status: str
    end_date: dt.date | None


def validate_consents(
    rows: list[dict[str, str]],
    birth_dates: dict[tuple[str, str], dt.date | None],
    cutoff: dt.datetime,
) -> list[Consent]:
    purposes = {r["purpose_id"]: r for r in _read_csv(SEEDS_DIR / "purposes.csv")}
    channels = {
        (r["purpose_id"], r["channel"]): _bool(r["requires_double_opt_in"])
        for r in _read_csv(SEEDS_DIR / "purpose_channels.csv")
    }
    result = []
    for row in rows:
        subject = (row["subject_type"], row["subject_id"])
        granted, confirmed, withdrawn = (
            _ts(row["granted_at"]), _ts(row["confirmed_at"]), _ts(row["withdrawn_at"])
        )  # fmt: skip
        purpose = purposes.get(row["purpose_id"])
        channel_specific = purpose is not None and _bool(purpose["is_channel_specific"])
        needs_doi = channels.get((row["purpose_id"], row["channel"]), False)
        birth = birth_dates.get(subject)
        if birth is None:
            under_16 = row["subject_type"] == "wishlist_sender"
        else:
            under_16 = _day(granted) < sixteenth_birthday(birth)
        defect = None
        if purpose is None:
            defect = "unknown_purpose"
        elif channel_specific and (row["purpose_id"], row["channel"]) not in channels:
            defect = "channel_not_allowed"
        elif _bool(row["is_bundled_with_contract"]):
            defect = "bundled_with_contract"
        elif withdrawn is not None and withdrawn < granted:
            defect = "implausible_timestamps"
        elif under_16 and not _bool(row["has_parental_consent"]):
            defect = "parental_consent_missing"
        elif needs_doi and not (confirmed is not None and granted <= confirmed < cutoff):
            defect = "double_opt_in_not_confirmed"
        is_granted = granted < cutoff
        is_withdrawn = withdrawn is not None and withdrawn < cutoff
        if not is_granted:
            status, end = "not_yet_granted", None
        elif defect:
            status, end = "invalid", _day(granted)
        elif is_withdrawn:
            status, end = "withdrawn", _day(withdrawn)
        else:
            status, end = "valid", None
        result.append(
            Consent(row["consent_id"], subject, row["purpose_id"], status == "valid", status, end)
        )
    return result


@dataclass
class Record:
    key: str
    table: str
    record_id: str
    field: str | None
    record_type: str
    subject: tuple[str, str] | None
    event_name: str
    event: dt.date | None
    purpose_ended: dt.date | None = None
    is_master: bool = False
    is_active_consent: bool = False


def collect_records(
    tables: dict[str, list[dict[str, str]]], as_of: dt.date
) -> tuple[list[Record], dict]:
    cutoff = _cutoff(as_of)
    persons: dict[tuple[str, str], str] = {}
    birth_dates: dict[tuple[str, str], dt.date | None] = {}
    for c in tables["customers"]:
        persons[("customer", c["customer_id"])] = f"customer:{c['customer_id']}"
        birth_dates[("customer", c["customer_id"])] = _date(c["birth_date"])
    for p in tables["prospects"]:
        converted = _none(p["converted_customer_id"])
        persons[("prospect", p["prospect_id"])] = (
            f"customer:{converted}" if converted else f"prospect:{p['prospect_id']}"
        )
    for p in tables["partner_contacts"]:
        persons[("partner_contact", p["partner_contact_id"])] = (
            f"partner_contact:{p['partner_contact_id']}"
        )
    for w in tables["wishlist_submissions"]:
        customer = _none(w["customer_id"])
        key = ("wishlist_sender", w["wishlist_submission_id"])
        persons[key] = (
            f"customer:{customer}" if customer else f"wishlist_sender:{w['wishlist_submission_id']}"
        )
        birth_dates[key] = _date(w["sender_birth_date"])

    consents = validate_consents(tables["consents"], birth_dates, cutoff)
    records: list[Record] = []

    activity: dict[str, list[dt.date]] = defaultdict(list)
    order_dates = {}
    for o in tables["orders"]:
        order_dates[o["order_id"]] = _day(_ts(o["ordered_at"]))
        activity[o["customer_id"]].append(_day(_ts(o["ordered_at"])))
    for i in tables["invoices"]:
        activity[i["customer_id"]].append(_date(i["invoice_date"]))
    for n in tables["service_notes"]:
        activity[n["customer_id"]].append(_day(_ts(n["created_at"])))

    photo_consents: dict[str, list[Consent]] = defaultdict(list)
    for k in consents:
        if k.subject[0] == "customer" and k.purpose_id == "customer_photos":
            photo_consents[k.subject[1]].append(k)

    for c in tables["customers"]:
        cid = c["customer_id"]
        since = _date(c["customer_since_date"])
        last_contact = _ts(c["last_contact_at"])
        dates = [since, *activity[cid]] + ([_day(last_contact)] if last_contact else [])
        records.append(
            Record(
                f"customers:{cid}",
                "customers",
                cid,
                None,
                "customer",
                ("customer", cid),
                "last_activity_date",
                max(dates),
                is_master=True,
            )
        )
        if _none(c["photo_path"]):
            own = photo_consents[cid]
            if any(k.is_valid for k in own):
                event = None
            else:
                withdrawals = [k.end_date for k in own if k.status == "withdrawn"]
                base = max(withdrawals) if withdrawals else _day(_ts(c["created_at"]))
                event = base - dt.timedelta(days=1)
            records.append(
                Record(
                    f"customers:{cid}:photo_path",
                    "customers",
                    cid,
                    "photo_path",
                    "customer_photo",
                    ("customer", cid),
                    "photo_consent_end_date",
                    event,
                )
            )
    for p in tables["prospects"]:
        captured = _day(_ts(p["captured_at"]))
        contact = _ts(p["last_contact_at"])
        event = max(captured, _day(contact)) if contact else captured
        records.append(
            Record(
                f"prospects:{p['prospect_id']}",
                "prospects",
                p["prospect_id"],
                None,
                "prospect",
                ("prospect", p["prospect_id"]),
                "last_contact_date",
                event,
                is_master=True,
            )
        )
    for p in tables["partner_contacts"]:
        since = _date(p["partner_since_date"])
        contact = _ts(p["last_contact_at"])
        event = max(since, _day(contact)) if contact else since
        pid = p["partner_contact_id"]
        records.append(
            Record(
                f"partner_contacts:{pid}",
                "partner_contacts",
                pid,
                None,
                "partner_contact",
                ("partner_contact", pid),
                "last_contact_date",
                event,
                is_master=True,
            )
        )
    warranty = _warranty_months()
    for o in tables["orders"]:
        updated, status = _ts(o["updated_at"]), o["order_status"].lower()
        ended = None
        if updated < cutoff and status in ENDED_ORDER_STATUSES:
            ended = _day(updated)
        elif updated < cutoff and status in DELIVERED_ORDER_STATUSES:
            ended = add_months(_day(updated), warranty)
        records.append(
            Record(
                f"orders:{o['order_id']}",
                "orders",
                o["order_id"],
                None,
                "order",
                ("customer", o["customer_id"]),
                "order_date",
                _day(_ts(o["ordered_at"])),
                ended,
            )
        )
    for i in tables["invoices"]:
        paid = _ts(i["paid_at"])
        ended = _day(paid) if paid is not None and paid < cutoff else None
        records.append(
            Record(
                f"invoices:{i['invoice_id']}",
                "invoices",
                i["invoice_id"],
                None,
                "invoice",
                ("customer", i["customer_id"]),
                "invoice_date",
                _date(i["invoice_date"]),
                ended,
            )
        )
    for w in tables["wishlist_submissions"]:
        wid = w["wishlist_submission_id"]
        order_id = _none(w["resulting_order_id"])
        if order_id is None:
            records.append(
                Record(
                    f"wishlist_submissions:{wid}",
                    "wishlist_submissions",
                    wid,
                    None,
                    "wishlist_submission",
                    ("wishlist_sender", wid),
                    "season_end_date",
                    dt.date(int(w["season_year"]), 12, 31),
                )
            )
        else:
            day = order_dates.get(order_id) or _day(_ts(w["submitted_at"]))
            records.append(
                Record(
                    f"wishlist_submissions:{wid}",
                    "wishlist_submissions",
                    wid,
                    None,
                    "wishlist_submission_ordered",
                    ("wishlist_sender", wid),
                    "order_date",
                    day,
                    day,
                )
            )
    for n in tables["service_notes"]:
        records.append(
            Record(
                f"service_notes:{n['service_note_id']}",
                "service_notes",
                n["service_note_id"],
                None,
                "service_note",
                ("customer", n["customer_id"]),
                "note_date",
                _day(_ts(n["created_at"])),
            )
        )
    # an erasure request ends every consent given before it: its proof counts from that day
    erasure_days: dict[str, dt.date] = {}
    for r in tables["data_subject_requests"]:
        received = _ts(r["received_at"])
        if (
            r["request_type"] == "erasure"
            and received < cutoff
            and r["request_status"].lower() != "rejected"
        ):
            p = persons.get((r["subject_type"], r["subject_id"]))
            p = p or f"{r['subject_type']}:{r['subject_id']}"
            erasure_days[p] = min(_day(received), erasure_days.get(p, _day(received)))
    granted_days = {row["consent_id"]: _day(_ts(row["granted_at"])) for row in tables["consents"]}
    for k in consents:
        end = k.end_date
        erased = erasure_days.get(persons.get(k.subject, f"{k.subject[0]}:{k.subject[1]}"))
        if end is None and k.status != "not_yet_granted" and erased is not None:
            end = erased if granted_days[k.consent_id] <= erased else None
        records.append(
            Record(
                f"consents:{k.consent_id}",
                "consents",
                k.consent_id,
                None,
                "consent",
                k.subject,
                "consent_end_date",
                end,
                end,
                is_active_consent=k.is_valid and end is None,
            )
        )
    for s in tables["marketing_sends"]:
        records.append(
            Record(
                f"marketing_sends:{s['marketing_send_id']}",
                "marketing_sends",
                s["marketing_send_id"],
                None,
                "marketing_send",
                (s["subject_type"], s["subject_id"]),
                "send_date",
                _day(_ts(s["sent_at"])),
            )
        )
    for r in tables["data_subject_requests"]:
        completed = _ts(r["completed_at"])
        day = _day(completed) if completed is not None and completed < cutoff else None
        records.append(
            Record(
                f"data_subject_requests:{r['request_id']}",
                "data_subject_requests",
                r["request_id"],
                None,
                "data_subject_request",
                (r["subject_type"], r["subject_id"]),
                "completion_date",
                day,
                day,
            )
        )
    whole_rows = {(r.table, r.record_id): r for r in records if r.field is None}
    for h in tables["legal_holds"]:
        released = _ts(h["released_at"])
        held = whole_rows.get((h["record_table"], h["record_id"]))
        records.append(
            Record(
                f"legal_holds:{h['legal_hold_id']}",
                "legal_holds",
                h["legal_hold_id"],
                None,
                "legal_hold",
                held.subject if held else None,
                "release_date",
                _day(released) if released is not None and released < cutoff else None,
            )
        )
    return records, persons


def evaluate(tables: dict[str, list[dict[str, str]]], as_of: dt.date) -> dict[str, dict]:
    """record_key -> expected status, rule_id, deadline, own_rule_id, own_deadline."""
    cutoff = _cutoff(as_of)
    rules = _read_rules()
    records, persons = collect_records(tables, as_of)

    def person(subject: tuple[str, str] | None) -> str | None:
        if subject is None:
            return None
        return persons.get(subject, f"{subject[0]}:{subject[1]}")

    own = {}
    for r in records:
        found = governing_rule(rules, r.record_type, r.event_name, r.event, as_of)
        own[r.key] = found

    def over(key: str) -> bool:
        found = own[key]
        return found is not None and found[1] is not None and as_of > found[1]

    # holds of master records: the longest-running unexpired statutory hold of the same subject
    holders: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    # the statutory holds of a subject's records that have ended: the master record is released
    # by the one that ended last
    released: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    consents_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in records:
        found = own[r.key]
        if r.subject is None:
            continue
        # a hold keeps the master record only if its rule needs it (not a request's evidence)
        holds_master = (
            not r.is_master
            and found
            and found[0].is_statutory_hold
            and found[0].holds_master_record
        )
        if holds_master and not over(r.key):
            holders[r.subject].append((found[1] is None, found[1] or dt.date.min, r.key))
        if holds_master and over(r.key):
            released[r.subject].append((found[1], r.key))
        if r.is_active_consent:
            consents_of[r.subject].append(r.key)

    active_holds = set()
    for h in tables["legal_holds"]:
        # not `released`: that name holds the released statutory holds above
        placed, lifted = _ts(h["placed_at"]), _ts(h["released_at"])
        if placed < cutoff and (lifted is None or lifted >= cutoff):
            active_holds.add((h["record_table"], h["record_id"]))
    erasures, restrictions = defaultdict(list), set()
    holidays = _non_working_days()
    erasure_due: dict[str, dt.date] = {}
    erasure_months = next(
        (int(t["deadline_months"]), int(t["extended_deadline_months"]))
        for t in _read_csv(SEEDS_DIR / "request_types.csv")
        if t["request_type"] == "erasure"
    )
    for r in tables["data_subject_requests"]:
        if _ts(r["received_at"]) >= cutoff or r["request_status"].lower() == "rejected":
            continue
        p = person((r["subject_type"], r["subject_id"]))
        if r["request_type"] == "erasure":
            erasures[p].append(r["request_id"])
            months = erasure_months[1] if _bool(r["is_deadline_extended"]) else erasure_months[0]
            due = next_working_day(add_months(_day(_ts(r["received_at"])), months), holidays)
            erasure_due[p] = min(due, erasure_due.get(p, due))
        elif r["request_type"] == "restriction":
            restrictions.add(p)

    expected = {}
    for r in records:
        found = own[r.key]
        own_rule, own_deadline = (found[0], found[1]) if found else (None, None)
        is_over = over(r.key)
        holder = None
        if r.is_master and r.subject in holders:
            # open-ended holds first, then the latest deadline, then the smallest key
            holder = sorted(holders[r.subject], key=lambda h: (not h[0], -h[1].toordinal(), h[2]))[
                0
            ][2]
        consent = (
            sorted(consents_of[r.subject])[0]
            if r.is_master and consents_of.get(r.subject)
            else None
        )
        ended = r.purpose_ended is not None and r.purpose_ended <= as_of
        if not is_over:
            base = "purpose_ended_statutory_hold" if ended else "retention_period_running"
        elif consent:
            base = "valid_consent"
        elif holder:
            base = "statutory_hold_of_dependent_records"
        else:
            base = "retention_period_expired"
        releaser = None
        if base == "retention_period_expired" and r.is_master and released.get(r.subject):
            last = sorted(released[r.subject], key=lambda h: (-h[0].toordinal(), h[1]))[0]
            if own_deadline is not None and last[0] > own_deadline:
                releaser = last[1]
        # the day after the last lawful day, once the retention is over (own or the releaser's)
        last_day = own[releaser][1] if releaser else own_deadline
        expired_due = last_day + dt.timedelta(days=1) if is_over and last_day else None
        statutory = own_rule is not None and own_rule.is_statutory_hold
        blocked = (statutory and not is_over) or holder is not None
        p = person(r.subject)
        if (r.table, r.record_id) in active_holds:
            reason = "legal_hold"
        elif p in restrictions:
            reason = "restriction_request"
        elif p in erasures and blocked:
            reason = "erasure_request_statutory_hold"
        elif (
            p in erasures
            and base == "retention_period_expired"
            and expired_due is not None
            and expired_due <= erasure_due[p]
        ):
            reason = base  # an erasure request does not postpone an overdue deletion
        elif p in erasures:
            reason = "erasure_request"
        else:
            reason = base
        status = {
            "legal_hold": "legal_hold",
            "restriction_request": "restricted",
            "erasure_request_statutory_hold": "restricted",
            "erasure_request": "erasure_requested",
            "purpose_ended_statutory_hold": "restricted",
            "retention_period_running": "active",
            "valid_consent": "active",
            "statutory_hold_of_dependent_records": "restricted",
            "retention_period_expired": "expired",
        }[reason]
        if base == "valid_consent" and reason not in (
            "erasure_request_statutory_hold",
            "erasure_request",
        ):
            source_key, deadline = consent, None
        elif (is_over and holder) or (
            reason == "erasure_request_statutory_hold" and not (statutory and not is_over)
        ):
            source_key, deadline = holder, own[holder][1]
        elif reason == "retention_period_expired" and releaser:
            source_key, deadline = releaser, own[releaser][1]
        else:
            source_key, deadline = None, own_deadline
        rule_id = (
            own[source_key][0].rule_id if source_key else (own_rule.rule_id if own_rule else None)
        )
        expected[r.key] = {
            "retention_status": status,
            "rule_id": rule_id,
            "deadline": deadline,
            "own_rule_id": own_rule.rule_id if own_rule else None,
            "own_deadline": own_deadline,
        }
    return expected


# --------------------------------------------------------------------------- the tests


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_each_retention_rule_has_records_on_both_sides_of_its_deadline(pipeline_run) -> None:
    rows = _query(
        pipeline_run.warehouse_path,
        """
        select own_rule_id, retention_status, count(*)
        from governance.record_retention_statuses
        group by own_rule_id, retention_status
        """,
    )
    kept, expired = Counter(), Counter()
    for rule_id, status, n in rows:
        if status in ("active", "restricted"):
            kept[rule_id] += n
        elif status == "expired":
            expired[rule_id] += n
    record_types = {r["record_type"]: r for r in _read_csv(SEEDS_DIR / "record_types.csv")}
    problems = []
    for rule in _read_rules():
        if not record_types[rule.record_type]["record_table"]:
            continue  # e.g. books_10y: kept in the accounting system, not in the CRM export
        if rule.valid_to is not None and rule.valid_to < pipeline_run.as_of:
            # a replaced version only still governs records whose period ended under it
            if kept[rule.rule_id]:
                problems.append(
                    f"{rule.rule_id}: replaced on {rule.valid_to} but governs kept records"
                )
            continue
        if rule.rule_id in SPARSE_IN_SAMPLE:
            continue
        sides = {"kept": kept[rule.rule_id], "expired": expired[rule.rule_id]}
        missing = [side for side, n in sides.items() if n == 0]
        if missing:
            problems.append(
                f"{rule.rule_id} ({rule.record_type}): no {' or '.join(missing)} records {sides}"
            )
    assert not problems, "\n".join(problems)


def test_retention_statuses_match_an_independent_computation_from_the_export(pipeline_run) -> None:
    expected = evaluate(_read_export(pipeline_run.export_dir), pipeline_run.as_of)
    actual = {
        key: {
            "retention_status": status,
            "rule_id": rule_id,
            "deadline": deadline,
            "own_rule_id": own_rule_id,
            "own_deadline": own_deadline,
        }
        for key, status, rule_id, deadline, own_rule_id, own_deadline in _query(
            pipeline_run.warehouse_path,
            """
            select record_key, retention_status, rule_id, deadline, own_rule_id, own_deadline
            from governance.record_retention_statuses
            """,
        )
    }
    # Every record of the export must be there (the sample has no rows the ingest rejects).
    missing = sorted(set(expected) - set(actual))
    assert not missing, f"{len(missing)} records of the export have no status, e.g. {missing[:5]}"
    mismatches = [
        f"{key}: expected {expected[key]}, got {actual[key]}"
        for key in sorted(expected)
        if expected[key] != actual[key]
    ]
    assert not mismatches, f"{len(mismatches)} of {len(expected)} records differ:\n" + "\n".join(
        mismatches[:20]
    )
    # the comparison covered every status the sample produces, not only the easy ones
    assert {v["retention_status"] for v in expected.values()} >= {"active", "restricted", "expired"}


def test_every_personal_record_has_a_purpose_a_legal_basis_and_a_retention_status(
    pipeline_run,
) -> None:
    legal_bases = {r["legal_basis_id"] for r in _read_csv(SEEDS_DIR / "legal_bases.csv")}
    purposes = {r["purpose_id"] for r in _read_csv(SEEDS_DIR / "purposes.csv")}
    rows = _query(
        pipeline_run.warehouse_path,
        """
        select record_key, processing_purpose_id, legal_basis_id, retention_status, rule_id
        from governance.record_retention_statuses
        """,
    )
    tables = _read_export(pipeline_run.export_dir)
    photos = sum(1 for c in tables["customers"] if _none(c["photo_path"]))
    assert len(rows) == sum(len(t) for t in tables.values()) + photos
    bad = [
        key
        for key, purpose, basis, status, rule_id in rows
        if purpose not in purposes
        or basis not in legal_bases
        or status not in RETENTION_STATUSES
        or not rule_id
    ]
    assert not bad, (
        f"{len(bad)} records lack a purpose, legal basis, status or rule, e.g. {bad[:5]}"
    )
