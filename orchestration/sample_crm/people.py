"""Customers, prospects and partner contacts.

Why these distributions: the retention rules of REQUIREMENTS.md R3 need records on both sides of
each deadline, so customer-since dates, prospect contacts and partner contacts are spread over the
whole 12-year window (skewed toward recent years, as a growing shop would be), and some prospects
are converted into customers (R1 provenance: "whether it is an existing customer").
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.sample_crm.clock import DAY
from orchestration.sample_crm.context import Context
from orchestration.sample_crm.pii import PiiMaker

_SALUTATION = {"de": {"m": "Herr", "f": "Frau"}, "en": {"m": "Mr", "f": "Ms"}}
_EN_FEMALE = ("Ms", "Mrs", "Miss")
_TRADE_FAIRS = {
    "de": ("Spielwarenmesse Nürnberg", "Christmasworld Frankfurt", "Kreativwelt Leipzig",
           "Weihnachtsmarkt-Messe Dresden", "Spiel Essen"),
    "en": ("Toy Fair London", "Harrogate Christmas & Gift", "Spring Fair Birmingham",
           "Spielwarenmesse Nürnberg"),
}  # fmt: skip
_JOBS = {
    "de": ("Einkauf", "Vertriebsleitung", "Key Account Management", "Logistikkoordination",
           "Geschäftsführung", "Qualitätssicherung", "Buchhaltung", "Produktmanagement"),
    "en": ("Buyer", "Head of Sales", "Key Account Manager", "Logistics Coordinator",
           "Managing Director", "Quality Manager", "Accounts", "Product Manager"),
}  # fmt: skip


def _salutation(ctx: Context, lang: str, gender: str) -> str:
    r = ctx.r()
    if r < 0.04:
        return ""  # not given (or non-binary customers who chose no salutation)
    if lang == "en":
        if r < 0.07:
            return "Mx"
        if r < 0.10:
            return "Dr"
        if gender == "f":
            return ctx.pick(_EN_FEMALE)
    return _SALUTATION[lang][gender]


@dataclass(slots=True)
class Customer:
    """What the dependent tables need to know about a customer (O(1) per customer)."""

    id: str
    lang: str
    pii: PiiMaker
    gender: str
    salutation: str
    first: str
    last: str
    email: str
    phone: str
    birth_day: int | None
    since_ts: int
    source_channel: str
    has_photo: bool
    converted_from_prospect: bool


def make_customer(ctx: Context) -> Customer:
    lang = ctx.lang()
    p = ctx.pii[lang]
    gender = "f" if ctx.r() < 0.52 else "m"
    first, last = p.first(gender), p.last()
    since_day = ctx.recent_day(1.1)
    converted = ctx.chance(0.15)
    if converted:
        channel = "trade_fair" if ctx.chance(0.5) else "web_form"
    else:
        r = ctx.r()
        channel = (
            "order" if r < 0.6 else "web_form" if r < 0.8 else "trade_fair" if r < 0.9 else "import"
        )
    return Customer(
        id=ctx.new_id("customer"),
        lang=lang,
        pii=p,
        gender=gender,
        salutation=_salutation(ctx, lang, gender),
        first=first,
        last=last,
        email=p.email_for(first, last) if ctx.chance(0.9) else "",
        phone=p.phone_e164() if ctx.chance(0.7) else "",
        birth_day=p.birth_day(18, 85) if ctx.chance(0.8) else None,
        since_ts=ctx.office_ts(since_day),
        source_channel=channel,
        has_photo=ctx.chance(0.1),
        converted_from_prospect=converted,
    )


def write_customer(ctx: Context, c: Customer, last_activity_ts: int | None) -> None:
    """Write the customer row once its orders and notes are known (for last_contact_at)."""
    p, clock = c.pii, ctx.clock
    billing = (p.street_line(), p.postcode(), p.city(), p.pools.country)
    r = ctx.r()
    if r < 0.6:
        delivery: tuple[str, ...] = billing
    elif r < 0.7:
        delivery = ("", "", "", "")
    else:
        delivery = (p.street_line(), p.postcode(), p.city(), p.pools.country)
    updated = max(c.since_ts, last_activity_ts or 0)
    if ctx.chance(0.3):  # address or profile edits after the last contact
        updated = ctx.ts_between(updated, clock.end_ts)
    ctx.out.write(
        "customers",
        (
            c.id,
            c.salutation,
            c.first,
            c.last,
            c.email,
            c.phone,
            "" if c.birth_day is None else clock.fmt_date(c.birth_day),
            *billing,
            *delivery,
            clock.fmt_date(c.since_ts // DAY),
            f"photos/customers/{c.id}.jpg" if c.has_photo else "",
            c.source_channel,
            c.lang,
            clock.fmt_opt_ts(last_activity_ts),
            clock.fmt_ts(c.since_ts),
            clock.fmt_ts(updated),
        ),
    )


@dataclass(slots=True)
class Prospect:
    id: str
    lang: str
    source_channel: str
    captured_ts: int
    last_contact_ts: int | None
    converted: bool


def _write_prospect(
    ctx: Context,
    p: PiiMaker,
    gender: str,
    first: str,
    last: str,
    email: str,
    captured_ts: int,
    last_contact_ts: int | None,
    channel: str,
    converted_customer_id: str,
) -> Prospect:
    clock = ctx.clock
    pid = ctx.new_id("prospect")
    fair = ""
    if channel == "trade_fair":
        year = clock.ymd(captured_ts // DAY)[0]
        fair = f"{ctx.pick(_TRADE_FAIRS[p.lang])} {year}"
    company = ctx.pick(p.pools.companies) if channel == "trade_fair" and ctx.chance(0.5) else ""
    updated = max(captured_ts, last_contact_ts or 0)
    ctx.out.write(
        "prospects",
        (
            pid,
            _salutation(ctx, p.lang, gender),
            first,
            last,
            email,
            p.phone_e164() if ctx.chance(0.5) else "",
            company,
            channel,
            fair,
            clock.fmt_ts(captured_ts),
            clock.fmt_opt_ts(last_contact_ts),
            converted_customer_id,
            clock.fmt_ts(captured_ts),
            clock.fmt_ts(updated),
        ),
    )
    return Prospect(pid, p.lang, channel, captured_ts, last_contact_ts, bool(converted_customer_id))


#: Number of unrelated prospects per customer; mean 1.35, plus 0.15 converted = 1.5.
_PROSPECT_COUNTS = (0, 0, 0, 1, 1, 1, 2, 2, 3, 3.5)


def emit_prospects(ctx: Context, c: Customer) -> list[Prospect]:
    """The customer's own converted lead (if any) and unrelated leads captured meanwhile."""
    clock = ctx.clock
    out: list[Prospect] = []
    if c.converted_from_prospect:
        captured = max(clock.start_ts, c.since_ts - int(ctx.r() * 400) * DAY - 3600)
        out.append(
            _write_prospect(
                ctx,
                c.pii,
                c.gender,
                c.first,
                c.last,
                c.email,
                captured,
                c.since_ts,
                c.source_channel,
                c.id,
            )
        )
    k = ctx.pick(_PROSPECT_COUNTS)
    n = int(k) + (1 if ctx.r() < k - int(k) else 0)
    for _ in range(n):
        lang = ctx.lang()
        p = ctx.pii[lang]
        gender = "f" if ctx.r() < 0.5 else "m"
        first, last = p.first(gender), p.last()
        captured = ctx.office_ts(ctx.recent_day(1.6))
        if ctx.chance(0.75):
            # Follow-ups over the following months; some leads went quiet long ago.
            last_contact: int | None = min(
                clock.end_ts - 1, captured + int(ctx.rng.expovariate(1 / 200) * DAY)
            )
        else:
            last_contact = None
        channel = "trade_fair" if ctx.chance(0.55) else "web_form"
        email = p.email_for(first, last) if channel == "web_form" or ctx.chance(0.7) else ""
        out.append(
            _write_prospect(ctx, p, gender, first, last, email, captured, last_contact, channel, "")
        )
    return out


@dataclass(slots=True)
class Partner:
    id: str
    lang: str


def emit_partner(ctx: Context) -> Partner:
    """A contact at a business partner, with the company's founding date (its anniversary)."""
    clock = ctx.clock
    lang = ctx.lang()
    p = ctx.pii[lang]
    pid = ctx.new_id("partner_contact")
    gender = "f" if ctx.r() < 0.45 else "m"
    first, last = p.first(gender), p.last()
    since_day = ctx.recent_day(1.0)
    last_contact = (
        ctx.office_ts(since_day + int(ctx.r() * (clock.end_day - since_day)))
        if ctx.chance(0.85)
        else None
    )
    note = (
        ctx.free_text("partner_contacts", pid, "partner_note", "partner_note", lang)
        if ctx.chance(0.8)
        else ""
    )
    founded = clock.day_of(1920 + int(ctx.r() * 100), 1, 1) + int(ctx.r() * 365)
    created = ctx.office_ts(since_day)
    updated = max(created, last_contact or 0)
    ctx.out.write(
        "partner_contacts",
        (
            pid,
            ctx.pick(p.pools.companies),
            _salutation(ctx, lang, gender),
            first,
            last,
            ctx.pick(_JOBS[lang]),
            p.email_for(first, last) if ctx.chance(0.7) else p.role_email(),
            p.phone_e164(),
            clock.fmt_date(founded) if ctx.chance(0.85) else "",
            clock.fmt_date(since_day),
            clock.fmt_opt_ts(last_contact),
            note,
            clock.fmt_ts(created),
            clock.fmt_ts(updated),
        ),
    )
    return Partner(pid, lang)
