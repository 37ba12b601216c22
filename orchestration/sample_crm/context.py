"""State shared by the table generators while one export is written.

Why a context object: every generator needs the same handful of things (the seeded random
stream, the clock, the per-language value makers, the note composer and the open writers). The
context holds only O(1) state: id counters and note statistics, never rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from orchestration.sample_crm.clock import DAY, Clock
from orchestration.sample_crm.notes import NoteComposer
from orchestration.sample_crm.phrases import Mix
from orchestration.sample_crm.pii import PiiMaker
from orchestration.sample_crm.writer import ExportWriter

#: Id prefix and zero-padded width per kind of record; wider numbers simply grow the id.
ID_FORMATS = {
    "customer": ("C", 7),
    "prospect": ("P", 7),
    "partner_contact": ("PC", 6),
    "order": ("O", 8),
    "invoice": ("INV-", 8),  # written as INV-<year>-<number> by orders.py
    "wishlist_submission": ("W", 7),
    "service_note": ("SN", 8),
    "consent": ("CS", 8),
    "marketing_send": ("MS", 9),
    "request": ("DSR", 6),
    "legal_hold": ("LH", 5),
}


@dataclass
class NoteStats:
    """Counts of non-empty free-text fields, in total and with at least one label."""

    notes: int = 0
    labelled: int = 0
    by_source: dict[str, int] = field(default_factory=dict)


class Context:
    def __init__(
        self,
        rng: random.Random,
        clock: Clock,
        pii: dict[str, PiiMaker],
        notes: NoteComposer,
        out: ExportWriter,
        mix: Mix,
    ) -> None:
        self.rng = rng
        self.r = rng.random
        self.clock = clock
        self.pii = pii
        self.notes = notes
        self.out = out
        self.mix = mix
        self.stats = NoteStats()
        self._counters = dict.fromkeys(ID_FORMATS, 0)

    # -- ids ---------------------------------------------------------------------------------
    def next_number(self, kind: str) -> int:
        n = self._counters[kind] + 1
        self._counters[kind] = n
        return n

    def new_id(self, kind: str) -> str:
        prefix, width = ID_FORMATS[kind]
        return f"{prefix}{self.next_number(kind):0{width}d}"

    # -- random helpers ----------------------------------------------------------------------
    def pick(self, seq):  # type: ignore[no-untyped-def]
        return seq[int(self.r() * len(seq))]

    def lang(self) -> str:
        return "en" if self.r() < self.mix.english_share else "de"

    def chance(self, p: float) -> bool:
        return self.r() < p

    def ts_between(self, lo: int, hi: int) -> int:
        """A uniform timestamp in ``[lo, hi)``; ``lo`` when the interval is empty."""
        return lo if hi <= lo else lo + int(self.r() * (hi - lo))

    def office_ts(self, day: int) -> int:
        """A time on ``day`` between 07:00 and 21:00 (when people order and agents work)."""
        return day * DAY + 25_200 + int(self.r() * 50_400)

    def recent_day(self, power: float = 1.0) -> int:
        """A day in the export window; ``power > 1`` skews toward ``as_of`` (business growth)."""
        c = self.clock
        return c.end_day - 1 - int((self.r() ** power) * (c.end_day - c.start_day))

    # -- free text ---------------------------------------------------------------------------
    def free_text(self, table: str, record_id: str, column: str, source: str, lang: str) -> str:
        """Compose a free-text field, record its labels (if any) and count it."""
        text, spans = self.notes.compose(source, lang)
        st = self.stats
        st.notes += 1
        st.by_source[source] = st.by_source.get(source, 0) + 1
        if spans:
            st.labelled += 1
            self.out.label(table, record_id, column, lang, source, spans)
        return text
