"""Composes one free-text field: background sentences, planted phrases, hard negatives, canaries.

Why this split: the four free-text columns differ in voice (a child's letter, an agent's note, a
checkout comment, a note about a business partner) but share one recipe, so the recipe lives here
and the voice lives in the YAML. The share of labelled fields, hard negatives and second planted
phrases comes from ``data/mix.yaml``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from orchestration.sample_crm.phrases import LangPhrases, Mix, Renderer, Span, Template

#: Chance of a second background sentence, per source (order comments are short).
_SECOND_BODY = {"wishlist": 0.6, "service_note": 0.45, "order_comment": 0.15, "partner_note": 0.4}
#: Chance that sentences are separated by a line break instead of a space.
_NEWLINE = {"wishlist": 0.5, "service_note": 0.2, "order_comment": 0.05, "partner_note": 0.25}
_OPEN_SHARE = 0.7
_CLOSE_SHARE = 0.5


class CanaryPlanter:
    """Decides which fields carry a canary e-mail address and remembers the markers.

    It has its own random stream, so switching canaries on does not change any other content of
    the export. Every ``stride``-th field of each source (up to ``per_source``) gets one, which
    spreads them over all four free-text columns.
    """

    def __init__(self, seed: int, per_source: int = 8, stride: int = 5) -> None:
        self.rng = random.Random(f"sample-crm-canary:{seed}")
        self.per_source = per_source
        self.stride = stride
        self._seen: dict[str, int] = {}
        self._planted: dict[str, int] = {}
        self.markers: list[str] = []

    def take(self, source: str) -> str | None:
        k = self._seen.get(source, 0)
        self._seen[source] = k + 1
        planted = self._planted.get(source, 0)
        if k % self.stride != self.stride // 2 or planted >= self.per_source:
            return None
        self._planted[source] = planted + 1
        while True:
            marker = f"canary-{self.rng.getrandbits(48):012x}"
            if marker not in self.markers:  # at most 4 * per_source entries: a list is fine
                self.markers.append(marker)
                return marker


@dataclass
class _Part:
    text: str
    spans: list[Span]


class NoteComposer:
    """Builds the text and spans of one free-text field."""

    def __init__(
        self,
        phrases: dict[str, LangPhrases],
        renderers: dict[str, Renderer],
        mix: Mix,
        rng: random.Random,
        canaries: CanaryPlanter | None = None,
        canary_renderers: dict[str, Renderer] | None = None,
    ) -> None:
        self.phrases = phrases
        self.renderers = renderers
        self.mix = mix
        self.rng = rng
        self._r = rng.random
        self.canaries = canaries
        self.canary_renderers = canary_renderers or {}

    def _pick(self, seq: tuple[Template, ...]) -> Template:
        return seq[int(self._r() * len(seq))]

    def compose(self, source: str, lang: str) -> tuple[str, list[Span]]:
        """Text and labelled spans (sorted, non-overlapping) of one field."""
        r = self._r
        ph, rend = self.phrases[lang], self.renderers[lang]
        bg = ph.background[source]
        first = self._pick(bg["body"])
        body = [_Part(*rend.render(first))]
        if r() < _SECOND_BODY[source]:
            second = self._pick(bg["body"])
            if second is not first:  # the same sentence twice reads like a bug
                body.append(_Part(*rend.render(second)))
        kind = r()
        if kind < self.mix.labelled_share:
            n = 2 if r() < self.mix.second_sensitive_share else 1
            for _ in range(n):
                part = _Part(*rend.render(ph.sensitive[source].draw(self.rng)))
                body.insert(int(r() * (len(body) + 1)), part)
        elif kind < self.mix.labelled_share + self.mix.hard_negative_share:
            part = _Part(*rend.render(self._pick(ph.hard_negative[source])))
            body.insert(int(r() * (len(body) + 1)), part)
        if self.canaries is not None:
            marker = self.canaries.take(source)
            if marker is not None:
                crend = self.canary_renderers[lang]
                part = _Part(
                    *crend.render(
                        crend.pick(ph.canary), preset={"canary_email": f"{marker}@example.org"}
                    )
                )
                body.insert(int(crend.rng.random() * (len(body) + 1)), part)
        nl = _NEWLINE[source]
        seps = [("\n" if r() < nl else " ") for _ in range(len(body) - 1)]
        if bg.get("open") and r() < _OPEN_SHARE:
            body.insert(0, _Part(*rend.render(self._pick(bg["open"]))))
            seps.insert(0, "\n" if r() < 0.8 else " ")
        if bg.get("close") and r() < _CLOSE_SHARE:
            body.append(_Part(*rend.render(self._pick(bg["close"]))))
            seps.append("\n" if r() < 0.8 else " ")
        return _join(body, seps)


def _join(parts: list[_Part], seps: list[str]) -> tuple[str, list[Span]]:
    chunks: list[str] = []
    spans: list[Span] = []
    pos = 0
    for i, part in enumerate(parts):
        if i:
            # After a bulleted list the next sentence must start on its own line.
            sep = "\n" if "\n- " in parts[i - 1].text else seps[i - 1]
            chunks.append(sep)
            pos += len(sep)
        chunks.append(part.text)
        spans.extend((s + pos, e + pos, label) for s, e, label in part.spans)
        pos += len(part.text)
    return "".join(chunks), spans
