"""Wish-list web form submissions (Wunschzettel), many of them from children.

Why these cases: Art. 8 DSGVO (consent of children under 16 needs the parents' consent), the
retention rule "until 31 January after the season unless it became an order" (REQUIREMENTS.md R3)
and the link from a wish to the resulting order and customer all need examples on both sides.
The form is open all year; a submission belongs to the coming Christmas (from 25 December on, to
the next one), and most arrive between October and Christmas.
"""

from __future__ import annotations

from orchestration.sample_crm.clock import DAY, Clock
from orchestration.sample_crm.consents import emit_sends, grant
from orchestration.sample_crm.context import Context
from orchestration.sample_crm.orders import Order
from orchestration.sample_crm.people import Customer
from orchestration.sample_crm.requests import maybe_request

#: Submissions per customer: mean 1.0.
_COUNTS = (0,) * 30 + (1,) * 45 + (2,) * 20 + (3,) * 5
#: Age of consent for information-society services in Germany (Art. 8(1) DSGVO, no national
#: deviation): below it, consent needs the holder of parental responsibility.
CONSENT_AGE = 16


def _submission_day(ctx: Context, earliest_day: int) -> int:
    clock = ctx.clock
    lo = max(earliest_day, clock.start_day)
    for _ in range(12):
        if ctx.r() < 0.8:
            year = clock.start_year + int(ctx.r() * (clock.end_year - clock.start_year + 1))
            day = clock.day_of(year, 10, 1) + int(ctx.r() * 85)  # 1 October .. 24 December
        else:
            day = ctx.recent_day(1.0)
        if lo <= day < clock.end_day:
            return day
    return clock.end_day - 1


def season_of(day: int) -> int:
    """The Christmas a wish made on ``day`` is for."""
    y, m, d = Clock.ymd(day)
    return y + 1 if (m == 12 and d >= 25) else y


def emit_wishlist(ctx: Context, c: Customer, orders: list[Order]) -> None:
    for _ in range(ctx.pick(_COUNTS)):
        _emit_one(ctx, c, orders)


def _emit_one(ctx: Context, c: Customer, orders: list[Order]) -> None:
    clock = ctx.clock
    wid = ctx.new_id("wishlist_submission")
    kind = ctx.r()
    linked = kind < 0.7
    lang = c.lang if linked else ctx.lang()
    p = ctx.pii[lang]
    earliest = c.since_ts // DAY - 365 if linked else clock.start_day
    day = _submission_day(ctx, earliest)
    ts = day * DAY + 54_000 + int(ctx.r() * 25_200)  # afternoons and evenings
    customer_id = ""
    if kind < 0.5 or 0.7 <= kind < 0.9:  # a child: the customer's own or someone else's
        first = p.first()
        last = c.last if kind < 0.5 and ctx.r() < 0.6 else (p.last() if ctx.r() < 0.4 else "")
        age = 4 + int(ctx.r() * 14)  # 4..17: mostly under 16
        birth = day - age * 365 - int(ctx.r() * 365)
        parental = age < CONSENT_AGE and ctx.r() < (0.85 if kind < 0.5 else 0.6)
        if not parental:
            parent_email = ""
        elif kind < 0.5:  # the customer is the parent
            parent_email = c.email or p.email_for(c.first, c.last)
        else:
            parent_email = p.email()
        sender_email = p.email_for(first, None) if ctx.r() < 0.4 else ""
        birth_text = clock.fmt_date(birth) if ctx.r() < 0.75 else ""
    else:  # an adult: the customer themself, or a stranger writing for the family
        parental = False
        parent_email = ""
        if kind < 0.7:
            first, last, sender_email, customer_id = c.first, c.last, c.email, c.id
            birth_day = c.birth_day
        else:
            first, last = p.first(), p.last()
            sender_email = p.email_for(first, last)
            birth_day = p.birth_day(18, 70)
        birth_text = clock.fmt_date(birth_day) if birth_day and ctx.r() < 0.3 else ""
    resulting = ""
    if linked:
        for o in orders:
            if ts < o.ordered_ts <= ts + 60 * DAY:
                if ctx.r() < 0.75:
                    resulting = o.id
                break
    text = ctx.free_text("wishlist_submissions", wid, "wish_text", "wishlist", lang)
    ctx.out.write(
        "wishlist_submissions",
        (
            wid,
            first,
            last,
            sender_email,
            birth_text,
            "true" if parental else "false",
            parent_email,
            text,
            season_of(day),
            clock.fmt_ts(ts),
            resulting,
            customer_id,
        ),
    )
    # Newsletter sign-up on the form ("Wichtelpost"); children's consent needs the parents'.
    if (sender_email or parent_email) and ctx.r() < 0.3:
        st = grant(
            ctx, "wishlist_sender", wid, "email_marketing", "email", ts, lang, "wishlist_form",
            parental=parental, confirm_p=0.7, withdraw_p=0.1,
        )  # fmt: skip
        emit_sends(ctx, "wishlist_sender", wid, [st])
    maybe_request(ctx, "wishlist_sender", wid, 0.003, ts)
