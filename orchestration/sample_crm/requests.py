"""Data-subject requests (Art. 15-21 DSGVO) and legal holds.

Why overdue and late ones: the report and the checks must show requests past their statutory
deadline (one month, Art. 12(3); extendable by two further months), requests completed late, and
records under a legal hold that must never be deleted even when their retention has expired.
"""

from __future__ import annotations

from orchestration.sample_crm.clock import DAY
from orchestration.sample_crm.context import Context

REQUEST_TYPES = ("access", "portability", "erasure", "rectification", "restriction", "objection")
_TYPE_DRAW = (
    ("access",) * 30 + ("erasure",) * 25 + ("objection",) * 15 + ("rectification",) * 10
    + ("portability",) * 10 + ("restriction",) * 10
)  # fmt: skip
_HOLD_REASONS = (
    "Betriebsprüfung (§ 193 AO)",
    "Rechtsstreit: Zahlungsklage",
    "Ermittlungsverfahren, Anforderung der Staatsanwaltschaft",
    "Insolvenzanfechtung",
    "Tax audit (HMRC enquiry)",
    "Litigation: product liability claim",
)


def maybe_request(
    ctx: Context, subject_type: str, subject_id: str, p: float, earliest: int
) -> None:
    """With probability ``p``, write one request of the subject, received after ``earliest``."""
    if ctx.r() >= p:
        return
    clock = ctx.clock
    if ctx.r() < 0.7:
        received = ctx.ts_between(max(earliest, clock.end_ts - 400 * DAY), clock.end_ts - 3600)
    else:
        received = ctx.ts_between(max(earliest, clock.start_ts), clock.end_ts - 3600)
    received = max(received, earliest)
    age_days = (clock.end_ts - received) // DAY
    extended = ctx.r() < 0.1
    r = ctx.r()
    completed: int | None = None
    if age_days <= 30:
        status = "received" if r < 0.4 else "in_progress" if r < 0.8 else "completed"
        if status == "completed":
            completed = ctx.ts_between(received, clock.end_ts)
    elif r < 0.82:
        status = "completed"
        late = ctx.r() < 0.15  # completed after the one-month deadline
        days = 31 + int(ctx.r() * 45) if late else 1 + int(ctx.r() * 28)
        completed = min(clock.end_ts - 1, received + days * DAY + int(ctx.r() * DAY))
    elif r < 0.86:
        status = "rejected"  # e.g. manifestly unfounded (Art. 12(5)) or identity not confirmed
        completed = min(clock.end_ts - 1, received + (3 + int(ctx.r() * 25)) * DAY)
    else:
        status = "in_progress" if ctx.r() < 0.7 else "received"  # open and overdue
    ctx.out.write(
        "data_subject_requests",
        (
            ctx.new_id("request"),
            subject_type,
            subject_id,
            ctx.pick(_TYPE_DRAW),
            clock.fmt_ts(received),
            "true" if extended else "false",
            clock.fmt_opt_ts(completed),
            status,
        ),
    )


def maybe_legal_hold(ctx: Context, customer_id: str, invoices: list[tuple[str, int]]) -> None:
    """A few holds, mostly on old invoices (so expired records are protected by them)."""
    if ctx.r() >= 0.005:
        return
    clock = ctx.clock
    if invoices and ctx.r() < 0.7:
        # The oldest invoice most of the time: the interesting case is an expired voucher.
        table, record = "invoices", (invoices[0][0] if ctx.r() < 0.6 else ctx.pick(invoices)[0])
    else:
        table, record = "customers", customer_id
    placed = ctx.ts_between(clock.end_ts - 5 * 365 * DAY, clock.end_ts - DAY)
    released = None
    if ctx.r() < 0.25 and placed + 30 * DAY < clock.end_ts:
        released = ctx.ts_between(placed + 30 * DAY, clock.end_ts)
    ctx.out.write(
        "legal_holds",
        (
            ctx.new_id("legal_hold"),
            table,
            record,
            ctx.pick(_HOLD_REASONS),
            clock.fmt_ts(placed),
            clock.fmt_opt_ts(released),
        ),
    )
