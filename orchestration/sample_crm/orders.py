"""Orders, invoices (one per paid order) and customer-service notes of one customer.

Why invoices spread over the whole window: the statutory retention of accounting vouchers (8
years since the 2025 amendment of §147 AO / §14b UStG, 10 years before; counted from the end of
the calendar year) must have invoices on both sides of both deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.sample_crm.clock import DAY
from orchestration.sample_crm.context import Context
from orchestration.sample_crm.people import Customer

#: Orders per customer: mean about 3.1.
_ORDER_COUNTS = (
    (0,) * 6
    + (1,) * 18
    + (2,) * 20
    + (3,) * 18
    + (4,) * 14
    + (5,) * 10
    + (6,) * 7
    + (7,) * 4
    + (8,) * 3
)
#: Service notes per customer: mean about 2.
_NOTE_COUNTS = (0,) * 15 + (1,) * 25 + (2,) * 25 + (3,) * 18 + (4,) * 10 + (5,) * 7
_CHANNELS = ("web_shop",) * 14 + (
    "phone",
    "phone",
    "mail_order",
    "mail_order",
    "trade_fair",
    "wishlist",
)
_CONTACT = ("phone",) * 10 + ("email",) * 6 + ("chat",) * 3 + ("letter",)
_VAT_PERMILLE = 190  # 19 % German VAT (§12(1) UStG), also charged to UK consumers here
#: Share of orders with a checkout comment (so that notes per customer are about 5).
_COMMENT_SHARE = 0.65


@dataclass(slots=True)
class Order:
    id: str
    ordered_ts: int
    invoice_id: str | None
    invoice_day: int | None


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def emit_orders(ctx: Context, c: Customer) -> list[Order]:
    """Write the customer's orders and invoices; return them (a handful) for later links."""
    clock, out = ctx.clock, ctx.out
    n = ctx.pick(_ORDER_COUNTS)
    currency = "GBP" if c.lang == "en" else "EUR"
    stamps = sorted(
        c.since_ts
        if (i == 0 and c.source_channel == "order")
        else ctx.ts_between(c.since_ts, clock.end_ts - 3600)
        for i in range(n)
    )
    orders: list[Order] = []
    for ts in stamps:
        oid = ctx.new_id("order")
        age_days = (clock.end_ts - ts) // DAY
        r = ctx.r()
        if age_days < 3:
            status = "open" if r < 0.5 else "shipped"
        elif r < 0.78:
            status = "delivered"
        elif r < 0.83:
            status = "returned"
        else:
            status = "cancelled"
        gross = min(150_000, max(499, int(ctx.rng.lognormvariate(3.8, 0.8) * 100)))
        comment = (
            ctx.free_text("orders", oid, "order_comment", "order_comment", c.lang)
            if ctx.r() < _COMMENT_SHARE
            else ""
        )
        updated = ctx.ts_between(ts, min(clock.end_ts, ts + 20 * DAY))
        out.write(
            "orders",
            (
                oid,
                c.id,
                clock.fmt_ts(ts),
                status,
                ctx.pick(_CHANNELS),
                _money(gross),
                currency,
                comment,
                clock.fmt_ts(ts),
                clock.fmt_ts(updated),
            ),
        )
        invoice_id = invoice_day = None
        if status in ("delivered", "returned", "shipped"):
            invoice_id, invoice_day = _emit_invoice(ctx, c, oid, ts, gross, currency)
        orders.append(Order(oid, ts, invoice_id, invoice_day))
    return orders


def _emit_invoice(
    ctx: Context, c: Customer, order_id: str, ordered_ts: int, gross: int, currency: str
) -> tuple[str, int]:
    clock = ctx.clock
    day = min(clock.end_day - 1, ordered_ts // DAY + int(ctx.r() * 2))
    created = max(ordered_ts, ctx.office_ts(day))
    net = (gross * 1000 + (1000 + _VAT_PERMILLE) // 2) // (1000 + _VAT_PERMILLE)
    if ctx.r() < 0.97 or clock.end_day - day > 60:
        paid: int | None = min(clock.end_ts - 1, created + int(ctx.r() * 14 * DAY))
    else:
        paid = None  # a few recent invoices are still open
    year = clock.ymd(day)[0]
    invoice_id = f"INV-{year}-{ctx.next_number('invoice'):08d}"
    ctx.out.write(
        "invoices",
        (
            invoice_id,
            order_id,
            c.id,
            clock.fmt_date(day),
            _money(net),
            _money(gross - net),
            _money(gross),
            currency,
            clock.fmt_opt_ts(paid),
            clock.fmt_ts(created),
        ),
    )
    return invoice_id, day


def emit_service_notes(ctx: Context, c: Customer) -> int | None:
    """Write the agents' notes about the customer; return the latest contact time."""
    clock = ctx.clock
    latest = None
    for _ in range(ctx.pick(_NOTE_COUNTS)):
        nid = ctx.new_id("service_note")
        ts = max(c.since_ts, ctx.office_ts(ctx.ts_between(c.since_ts, clock.end_ts - DAY) // DAY))
        text = ctx.free_text("service_notes", nid, "note_text", "service_note", c.lang)
        ctx.out.write(
            "service_notes",
            (
                nid,
                c.id,
                f"AG-{1 + int(ctx.r() * 60):03d}",
                ctx.pick(_CONTACT),
                text,
                clock.fmt_ts(ts),
            ),
        )
        latest = ts if latest is None else max(latest, ts)
    return latest
