"""Writes a complete sample CRM export: the driver that ties the table generators together.

Why per customer: every dependent row (orders, invoices, notes, consents, sends, wishes,
requests, holds) is generated right after its customer and written at once, so memory stays
constant however large N is, and the same seed gives byte-identical files (one seeded
``random.Random`` drives everything, Faker only fills the pools, no wall clock is read).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from orchestration.lib.crm_schema import EXPORT_MANIFEST
from orchestration.sample_crm.clock import Clock
from orchestration.sample_crm.consents import emit_customer_consents, emit_sends, grant
from orchestration.sample_crm.context import Context, NoteStats
from orchestration.sample_crm.notes import CanaryPlanter, NoteComposer
from orchestration.sample_crm.orders import emit_orders, emit_service_notes
from orchestration.sample_crm.people import (
    emit_partner,
    emit_prospects,
    make_customer,
    write_customer,
)
from orchestration.sample_crm.phrases import LANGS, Renderer, load_mix, load_phrases
from orchestration.sample_crm.pii import PiiMaker
from orchestration.sample_crm.pools import build_pools
from orchestration.sample_crm.requests import maybe_legal_hold, maybe_request
from orchestration.sample_crm.wishlist import emit_wishlist
from orchestration.sample_crm.writer import ExportWriter, write_canaries, write_manifest

SOURCE_SYSTEM = "santa-crm"
#: Fixed default so that the export is reproducible; pass --as-of for another date. Mid-January
#: puts last season's wish lists just before their 31 January deadline.
DEFAULT_AS_OF = date(2026, 1, 15)
PARTNER_SHARE = 0.1


@dataclass(frozen=True)
class GeneratorConfig:
    out_dir: Path
    customers: int
    seed: int
    as_of: date = DEFAULT_AS_OF
    canaries: bool = False
    encoding: str = "utf-8"


@dataclass
class ExportSummary:
    export_id: str
    tables: dict[str, dict[str, Any]]
    notes: NoteStats = field(default_factory=NoteStats)
    canaries: list[str] = field(default_factory=list)


def export_id_for(cfg: GeneratorConfig) -> str:
    return f"{SOURCE_SYSTEM}-{cfg.as_of.isoformat()}-s{cfg.seed}-n{cfg.customers}"


def generate_export(
    cfg: GeneratorConfig, progress: Callable[[int, int], None] | None = None
) -> ExportSummary:
    """Write the export into ``cfg.out_dir``; ``progress(done, total)`` is called now and then."""
    if cfg.customers < 1:
        raise ValueError("customers must be at least 1")
    out_dir = cfg.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    # A half-written directory must never look complete: the manifest is written last.
    (out_dir / EXPORT_MANIFEST).unlink(missing_ok=True)

    rng = random.Random(cfg.seed)
    clock = Clock(cfg.as_of)
    pools = build_pools(cfg.seed)
    mix = load_mix()
    phrases = {lang: load_phrases(lang, mix) for lang in LANGS}
    pii = {lang: PiiMaker(rng, pools[lang], clock) for lang in LANGS}
    renderers = {lang: Renderer(phrases[lang], pii[lang], rng) for lang in LANGS}
    planter = canary_renderers = None
    if cfg.canaries:
        planter = CanaryPlanter(cfg.seed)
        crng = planter.rng
        canary_renderers = {
            lang: Renderer(phrases[lang], PiiMaker(crng, pools[lang], clock), crng)
            for lang in LANGS
        }
    notes = NoteComposer(phrases, renderers, mix, rng, planter, canary_renderers)

    with ExportWriter(out_dir, cfg.encoding) as out:
        ctx = Context(rng, clock, pii, notes, out, mix)
        step = max(1, cfg.customers // 200)
        for n in range(1, cfg.customers + 1):
            _customer_with_dependants(ctx)
            if progress is not None and (n % step == 0 or n == cfg.customers):
                progress(n, cfg.customers)
        tables = out.close()

    markers = planter.markers if planter else None
    write_canaries(out_dir, markers)
    summary = ExportSummary(export_id_for(cfg), tables, ctx.stats, list(markers or []))
    write_manifest(
        out_dir,
        {
            "export_id": summary.export_id,
            "source_system": SOURCE_SYSTEM,
            "exported_at": f"{cfg.as_of.isoformat()} 01:00:00",
            "as_of": cfg.as_of.isoformat(),
            "encoding": cfg.encoding,
            "generator": {"customers": cfg.customers, "seed": cfg.seed},
            "tables": tables,
        },
    )
    return summary


def _customer_with_dependants(ctx: Context) -> None:
    c = make_customer(ctx)
    for prospect in emit_prospects(ctx, c):
        states = []
        if ctx.r() < 0.35:
            channel = "email" if prospect.source_channel == "web_form" or ctx.r() < 0.5 else "phone"
            purpose = "email_marketing" if channel == "email" else "phone_marketing"
            states.append(
                grant(
                    ctx,
                    "prospect",
                    prospect.id,
                    purpose,
                    channel,
                    prospect.captured_ts,
                    prospect.lang,
                    prospect.source_channel,
                )
            )
        emit_sends(ctx, "prospect", prospect.id, states)
        maybe_request(ctx, "prospect", prospect.id, 0.008, prospect.captured_ts)
    if ctx.r() < PARTNER_SHARE:
        partner = emit_partner(ctx)
        maybe_request(ctx, "partner_contact", partner.id, 0.005, ctx.clock.start_ts)
    orders = emit_orders(ctx, c)
    emit_wishlist(ctx, c, orders)
    last_note = emit_service_notes(ctx, c)
    states = emit_customer_consents(ctx, c.id, c.lang, c.since_ts, c.has_photo)
    emit_sends(ctx, "customer", c.id, states, rogue_p=0.02, since=c.since_ts)
    maybe_request(ctx, "customer", c.id, 0.015, c.since_ts)
    invoices = [(o.invoice_id, o.invoice_day) for o in orders if o.invoice_id is not None]
    maybe_legal_hold(ctx, c.id, invoices)  # type: ignore[arg-type]
    activity = [o.ordered_ts for o in orders]
    if last_note is not None:
        activity.append(last_note)
    write_customer(ctx, c, max(activity) if activity else None)


def tty_progress(done: int, total: int) -> None:
    """A one-line progress display on stderr (only used when stderr is a terminal)."""
    end = "\n" if done == total else ""
    sys.stderr.write(f"\rsample CRM: {done:,}/{total:,} customers ({100 * done // total}%)" + end)
    sys.stderr.flush()
