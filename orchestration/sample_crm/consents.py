"""Consents (Art. 6(1)(a), 7, 8 DSGVO) and the marketing sends that rely on them.

Why deliberate gaps: the quality checks of REQUIREMENTS.md R5 ("no marketing send without valid
consent for that channel") and the consent rules of R3 (double opt-in for e-mail, withdrawal,
parental consent under 16, coupling prohibition) must have something to find. Most sends fall
inside a valid consent window; a few go to unconfirmed e-mail consents, after a withdrawal, to
children without parental consent, or to subjects with no consent for that purpose at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.sample_crm.clock import DAY
from orchestration.sample_crm.context import Context

PURPOSES = (
    "email_marketing",
    "postal_marketing",
    "phone_marketing",
    "customer_care",
    "satisfaction_survey",
    "customer_photos",
)
#: purpose -> (campaign code, day of month, sends per year of valid consent, cap, months or ()).
_CAMPAIGNS: dict[str, tuple[str, int, float, int, tuple[int, ...]]] = {
    "email_marketing": ("NL", 5, 0.75, 6, ()),
    "postal_marketing": ("CAT", 15, 0.5, 4, (3, 9, 11)),
    "phone_marketing": ("TEL", 20, 0.3, 2, ()),
    "customer_care": ("XMAS", 10, 0.8, 5, (12,)),
    "satisfaction_survey": ("SURVEY", 25, 0.4, 3, ()),
}
_LATER_SOURCES = ("web_form", "phone", "paper_form", "account_settings")


@dataclass(slots=True)
class ConsentState:
    purpose: str
    channel: str
    granted: int
    confirmed: int | None
    withdrawn: int | None


def grant(
    ctx: Context,
    subject_type: str,
    subject_id: str,
    purpose: str,
    channel: str,
    granted: int,
    lang: str,
    source: str,
    *,
    parental: bool = False,
    bundled_p: float = 0.0,
    confirm_p: float = 0.85,
    withdraw_p: float = 0.18,
) -> ConsentState:
    """Write one consent row and return its validity window."""
    clock = ctx.clock
    confirmed = None
    if channel == "email" and ctx.r() < confirm_p:
        # Double opt-in: most confirm within hours, some days later.
        confirmed = min(clock.end_ts - 1, granted + 60 + int(ctx.rng.expovariate(1 / 20_000)))
    withdrawn = None
    if ctx.r() < withdraw_p and granted + DAY < clock.end_ts:
        withdrawn = ctx.ts_between(granted + DAY, clock.end_ts)
    year = clock.ymd(granted // DAY)[0]
    ctx.out.write(
        "consents",
        (
            ctx.new_id("consent"),
            subject_type,
            subject_id,
            purpose,
            channel,
            clock.fmt_ts(granted),
            clock.fmt_opt_ts(confirmed),
            clock.fmt_opt_ts(withdrawn),
            "true" if parental else "false",
            "true" if ctx.r() < bundled_p else "false",
            source,
            f"CT-{lang.upper()}-{year}",
        ),
    )
    return ConsentState(purpose, channel, granted, confirmed, withdrawn)


def emit_customer_consents(
    ctx: Context, customer_id: str, lang: str, since: int, has_photo: bool
) -> list[ConsentState]:
    """Consents a customer gave at checkout or later, per purpose and channel."""
    clock = ctx.clock
    states: list[ConsentState] = []

    def add(purpose: str, channel: str) -> None:
        if ctx.r() < 0.6:
            when, source, bundled = since, "checkout", 0.08  # coupling happens at checkout
        else:
            when = ctx.ts_between(since, clock.end_ts - DAY)
            source, bundled = ctx.pick(_LATER_SOURCES), 0.0
        states.append(
            grant(
                ctx,
                "customer",
                customer_id,
                purpose,
                channel,
                when,
                lang,
                source,
                bundled_p=bundled,
            )
        )

    if ctx.r() < 0.45:
        add("email_marketing", "email")
    if ctx.r() < 0.25:
        add("postal_marketing", "post")
    if ctx.r() < 0.3:
        add("customer_care", "post" if ctx.r() < 0.6 else "email")
    if ctx.r() < 0.15:
        add("satisfaction_survey", "email" if ctx.r() < 0.7 else "phone")
    if ctx.r() < 0.06:
        add("phone_marketing", "phone")
    # Customer photos only with explicit consent (third seed interview); some photos lack it.
    if (has_photo and ctx.r() < 0.65) or (not has_photo and ctx.r() < 0.02):
        add("customer_photos", "post" if ctx.r() < 0.5 else "email")
    return states


def _campaign_ts(
    ctx: Context, purpose: str, channel: str, lo: int, hi: int
) -> tuple[str, int] | None:
    """A campaign of ``purpose`` that went out in ``[lo, hi)``, or None if the draw misses."""
    code, dom, _, _, months = _CAMPAIGNS[purpose]
    clock = ctx.clock
    y, m, _ = clock.ymd(ctx.ts_between(lo, hi) // DAY)
    if months:
        m = ctx.pick(months)
    ts = clock.day_of(y, m, dom) * DAY + 32_400 + int(ctx.r() * 10_800)
    if not lo <= ts < min(hi, clock.end_ts):
        return None
    return f"{code}-{y}{m:02d}-{channel}", ts


def _send(
    ctx: Context, subject_type: str, subject_id: str, purpose: str, channel: str, lo: int, hi: int
) -> None:
    hit = _campaign_ts(ctx, purpose, channel, lo, hi)
    if hit is None:
        return
    campaign, ts = hit
    ctx.out.write(
        "marketing_sends",
        (
            ctx.new_id("marketing_send"),
            subject_type,
            subject_id,
            campaign,
            purpose,
            channel,
            ctx.clock.fmt_ts(ts),
        ),
    )


def emit_sends(
    ctx: Context,
    subject_type: str,
    subject_id: str,
    states: list[ConsentState],
    *,
    rogue_p: float = 0.0,
    since: int | None = None,
) -> None:
    """Sends inside each consent's valid window, plus the occasional invalid one.

    ``rogue_p`` is the chance of one send for a purpose the subject never consented to.
    """
    clock = ctx.clock
    for st in states:
        if st.purpose not in _CAMPAIGNS:
            continue
        start = st.confirmed if st.channel == "email" else st.granted
        if start is None:
            if ctx.r() < 0.3:  # e-mail sent although double opt-in was never confirmed
                _send(
                    ctx, subject_type, subject_id, st.purpose, st.channel, st.granted, clock.end_ts
                )
            continue
        end = st.withdrawn or clock.end_ts
        _, _, rate, cap, _ = _CAMPAIGNS[st.purpose]
        years = (end - start) / (365 * DAY)
        for _ in range(min(cap, int(years * rate + ctx.r()))):
            _send(ctx, subject_type, subject_id, st.purpose, st.channel, start, end)
        if st.withdrawn is not None and ctx.r() < 0.08:  # sent after withdrawal
            _send(ctx, subject_type, subject_id, st.purpose, st.channel, st.withdrawn, clock.end_ts)
    if rogue_p and ctx.r() < rogue_p:
        held = {(s.purpose, s.channel) for s in states}
        for purpose, channel in (("postal_marketing", "post"), ("email_marketing", "email")):
            if (purpose, channel) not in held:
                lo = clock.start_ts if since is None else since
                _send(ctx, subject_type, subject_id, purpose, channel, lo, clock.end_ts)
                break
