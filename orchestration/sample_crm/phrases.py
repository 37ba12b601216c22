"""Phrase templates with labelled spans: loading, checking and rendering.

Why templates with inline markup: the ground truth must line up with the text to the character.
Writing ``[[HEALTH|Diabetes Typ 1]]`` in the template and computing offsets while rendering makes
that true by construction, and keeps the phrases in YAML (``data/phrases_<lang>.yaml``) where a
reviewer can read and extend them without touching code.

Markup (documented at the top of each YAML file):
``[[LABEL|text]]`` marks a labelled span; ``{slot}`` is filled from the file's ``vocab`` lists
(whose items may carry markup themselves) or by a generator (names, e-mail, phone, IBAN, address,
dates; see :data:`GENERATOR_SLOTS`). A trailing number (``{toy2}``) draws the same kind of value
again independently; repeating the same slot name within one sentence repeats its value.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate
from typing import Any

import yaml

from orchestration.sample_crm.pii import PiiMaker

LANGS = ("de", "en")
SOURCES = ("wishlist", "service_note", "order_comment", "partner_note")
SPECIAL_CATEGORIES = (
    "HEALTH", "RELIGION", "ETHNIC_ORIGIN", "POLITICAL_OPINION", "TRADE_UNION", "SEX_LIFE",
    "GENETIC", "BIOMETRIC",
)  # fmt: skip
PII_LABELS = ("PERSON", "EMAIL", "PHONE", "IBAN", "ADDRESS", "DATE_OF_BIRTH")
LABELS = SPECIAL_CATEGORIES + PII_LABELS

#: Slots filled by code rather than by a vocabulary list.
GENERATOR_SLOTS = (
    "first", "m_first", "f_first", "last", "email", "role_email", "phone", "phone_de",
    "phone_uk", "iban", "iban_de", "iban_gb", "address", "street_line", "hn", "postcode", "city",
    "dob_child", "dob_adult", "bday", "age", "num", "amount", "order_no", "postnummer",
    "voucher", "year", "canary_email",
)  # fmt: skip

_TOKEN = re.compile(r"\[\[([A-Z_]+)\||\]\]|\{([a-z_]+?)(\d*)\}")
_OPEN, _CLOSE, _SLOT = 0, 1, 2

Token = str | tuple[Any, ...]
Template = tuple[Token, ...]
Span = tuple[int, int, str]


def compile_template(text: str, where: str) -> Template:
    """Parse one template into literal, span-open, span-close and slot tokens.

    Raises ``ValueError`` naming ``where`` for unknown labels or unbalanced markup, so a typo in
    the YAML fails at load time rather than producing wrong ground truth.
    """
    tokens: list[Token] = []
    pos, depth = 0, 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            tokens.append(text[pos : m.start()])
        pos = m.end()
        if m.group(1):
            if m.group(1) not in LABELS:
                raise ValueError(f"{where}: unknown label {m.group(1)!r} in {text!r}")
            if depth:
                raise ValueError(f"{where}: nested span in {text!r}")
            depth = 1
            tokens.append((_OPEN, m.group(1)))
        elif m.group(0) == "]]":
            if not depth:
                raise ValueError(f"{where}: ']]' without '[[' in {text!r}")
            depth = 0
            tokens.append((_CLOSE,))
        else:
            tokens.append((_SLOT, m.group(2) + m.group(3), m.group(2)))
    if depth:
        raise ValueError(f"{where}: unclosed span in {text!r}")
    if pos < len(text):
        tokens.append(text[pos:])
    return tuple(tokens)


def _slots_of(template: Template) -> list[str]:
    return [t[2] for t in template if isinstance(t, tuple) and t[0] == _SLOT]


@dataclass(frozen=True)
class WeightedTemplates:
    """Sensitive templates usable for one source, with cumulative weights for drawing."""

    labels: tuple[str, ...]
    templates: tuple[Template, ...]
    cum_weights: tuple[float, ...]

    def draw(self, rng: random.Random) -> Template:
        i = _bisect(self.cum_weights, rng.random() * self.cum_weights[-1])
        return self.templates[i]


def _bisect(cum: tuple[float, ...], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@dataclass(frozen=True)
class LangPhrases:
    """All templates of one language."""

    lang: str
    vocab: dict[str, tuple[Template, ...]]
    #: source -> part ("open", "body", "close") -> templates
    background: dict[str, dict[str, tuple[Template, ...]]]
    hard_negative: dict[str, tuple[Template, ...]]
    sensitive: dict[str, WeightedTemplates]
    #: label -> source -> templates (for coverage checks and tests)
    sensitive_by_label: dict[str, dict[str, tuple[Template, ...]]]
    canary: tuple[Template, ...]


@dataclass(frozen=True)
class Mix:
    """How often each kind of content occurs (``data/mix.yaml``)."""

    english_share: float
    labelled_share: float
    hard_negative_share: float
    second_sensitive_share: float
    label_weights: dict[str, float]


def _read_yaml(name: str) -> Any:
    path = resources.files("orchestration.sample_crm") / "data" / name
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_mix() -> Mix:
    raw = _read_yaml("mix.yaml")
    weights = {str(k): float(v) for k, v in raw["label_weights"].items()}
    unknown = sorted(set(weights) - set(LABELS))
    if unknown:
        raise ValueError(f"mix.yaml: unknown labels {unknown}")
    return Mix(
        english_share=float(raw["english_share"]),
        labelled_share=float(raw["labelled_share"]),
        hard_negative_share=float(raw["hard_negative_share"]),
        second_sensitive_share=float(raw["second_sensitive_share"]),
        label_weights=weights,
    )


def _by_source(raw: dict[str, list[str]] | None, where: str) -> dict[str, tuple[Template, ...]]:
    """Compile a ``{source|any: [templates]}`` mapping into per-source lists including ``any``."""
    raw = raw or {}
    unknown = sorted(set(raw) - {*SOURCES, "any"})
    if unknown:
        raise ValueError(f"{where}: unknown sources {unknown}")
    shared = [compile_template(t, f"{where}.any") for t in raw.get("any") or []]
    return {
        s: tuple([compile_template(t, f"{where}.{s}") for t in raw.get(s) or []] + shared)
        for s in SOURCES
    }


def load_phrases(lang: str, mix: Mix) -> LangPhrases:
    """Load and check ``data/phrases_<lang>.yaml``."""
    name = f"phrases_{lang}.yaml"
    raw = _read_yaml(name)
    vocab = {
        key: tuple(compile_template(str(v), f"{name}:vocab.{key}") for v in values)
        for key, values in raw["vocab"].items()
    }
    background = {
        s: {
            part: tuple(compile_template(t, f"{name}:background.{s}.{part}") for t in items)
            for part, items in (raw["background"].get(s) or {}).items()
        }
        for s in SOURCES
    }
    for s in SOURCES:
        if not background[s].get("body"):
            raise ValueError(f"{name}: background.{s}.body is empty")
    hard_negative = _by_source(raw.get("hard_negative"), f"{name}:hard_negative")
    by_label = {
        label: _by_source(raw["sensitive"].get(label), f"{name}:sensitive.{label}")
        for label in LABELS
    }
    unknown = sorted(set(raw["sensitive"]) - set(LABELS))
    if unknown:
        raise ValueError(f"{name}: unknown sensitive labels {unknown}")
    sensitive = {}
    for s in SOURCES:
        labels, templates, weights = [], [], []
        for label in LABELS:
            items = by_label[label][s]
            for t in items:
                labels.append(label)
                templates.append(t)
                weights.append(mix.label_weights.get(label, 0.0) / len(items))
        sensitive[s] = WeightedTemplates(
            tuple(labels), tuple(templates), tuple(accumulate(weights))
        )
    canary = tuple(compile_template(t, f"{name}:canary") for t in raw["canary"])
    phrases = LangPhrases(lang, vocab, background, hard_negative, sensitive, by_label, canary)
    _check_slots(phrases, name)
    for label, per_source in by_label.items():
        for templates in per_source.values():
            for t in templates:
                if label not in labels_of(t, vocab):
                    raise ValueError(f"{name}: template under {label} never yields it: {t!r}")
    return phrases


def labels_of(template: Template, vocab: dict[str, tuple[Template, ...]]) -> set[str]:
    """Labels a template can produce, following vocab slots (any item counts)."""
    found: set[str] = set()
    for tok in template:
        if isinstance(tok, tuple):
            if tok[0] == _OPEN:
                found.add(tok[1])
            elif tok[0] == _SLOT and tok[2] in vocab:
                for item in vocab[tok[2]]:
                    found |= labels_of(item, vocab)
    return found


def _all_templates(p: LangPhrases) -> list[Template]:
    out = [t for ts in p.vocab.values() for t in ts]
    out += [t for parts in p.background.values() for ts in parts.values() for t in ts]
    out += [t for ts in p.hard_negative.values() for t in ts]
    out += [t for w in p.sensitive.values() for t in w.templates]
    return out + list(p.canary)


def _check_slots(p: LangPhrases, name: str) -> None:
    known = set(p.vocab) | set(GENERATOR_SLOTS)
    for t in _all_templates(p):
        for slot in _slots_of(t):
            if slot not in known:
                raise ValueError(f"{name}: unknown slot {{{slot}}} in {t!r}")


class Renderer:
    """Turns templates into text and labelled spans for one language.

    All randomness comes from the shared ``rng`` (and the :class:`PiiMaker` built on it), so the
    output depends only on the export seed.
    """

    def __init__(self, phrases: LangPhrases, pii: PiiMaker, rng: random.Random) -> None:
        self.phrases = phrases
        self.pii = pii
        self.rng = rng
        self._r = rng.random
        self._gen: dict[str, Callable[[dict[str, Any]], str]] = self._generators(pii)

    def _generators(self, p: PiiMaker) -> dict[str, Callable[[dict[str, Any]], str]]:
        clock = p.clock
        rnd = self.rng

        def email(memo: dict[str, Any]) -> str:
            first = memo.get("first") or memo.get("f_first") or memo.get("m_first")
            return p.email_for(first or p.first(), memo.get("last") if first else p.last())

        return {
            "first": lambda m: p.first(),
            "m_first": lambda m: p.first("m"),
            "f_first": lambda m: p.first("f"),
            "last": lambda m: p.last(),
            "email": email,
            "role_email": lambda m: p.role_email(),
            "phone": lambda m: p.phone(),
            "phone_de": lambda m: p.phone_de(),
            "phone_uk": lambda m: p.phone_uk(),
            "iban": lambda m: p.iban(),
            "iban_de": lambda m: p.iban_de(),
            "iban_gb": lambda m: p.iban_gb(),
            "address": lambda m: p.address(),
            "street_line": lambda m: p.street_line(),
            "hn": lambda m: p.house_number(),
            "postcode": lambda m: p.postcode(),
            "city": lambda m: p.city(),
            "dob_child": lambda m: p.fmt_dob(p.birth_day(3, 14)),
            "dob_adult": lambda m: p.fmt_dob(p.birth_day(20, 85)),
            "bday": lambda m: p.fmt_day_month(p.birth_day(1, 80)),
            "age": lambda m: str(rnd.randrange(4, 13)),
            "num": lambda m: str(rnd.randrange(2, 10)),
            "amount": lambda m: p.amount(),
            "order_no": lambda m: str(rnd.randrange(10**7, 10**8)),
            "postnummer": lambda m: str(rnd.randrange(10**7, 10**10)),
            "voucher": lambda m: f"XMAS-{rnd.getrandbits(24):06X}",
            "year": lambda m: str(rnd.randrange(clock.start_year + 1, clock.end_year + 1)),
            "canary_email": lambda m: "canary@example.org",  # always preset by the caller
        }

    def pick(self, seq):  # type: ignore[no-untyped-def]
        return seq[int(self._r() * len(seq))]

    def render(
        self, template: Template, preset: dict[str, Any] | None = None
    ) -> tuple[str, list[Span]]:
        """Render one template; returns the text and its spans ``(start, end, label)``."""
        parts: list[str] = []
        spans: list[Span] = []
        state = [0, None, 0]  # position, open label, open start
        self._emit(template, parts, spans, dict(preset) if preset else {}, state)
        if state[1] is not None:
            raise ValueError(f"unclosed span while rendering {template!r}")
        return "".join(parts), spans

    def _emit(
        self,
        template: Template,
        parts: list[str],
        spans: list[Span],
        memo: dict[str, Any],
        state: list[Any],
    ) -> None:
        for tok in template:
            if type(tok) is str:
                parts.append(tok)
                state[0] += len(tok)
                continue
            kind = tok[0]
            if kind == _SLOT:
                value = memo.get(tok[1])
                if value is None:
                    choices = self.phrases.vocab.get(tok[2])
                    value = self.pick(choices) if choices else self._gen[tok[2]](memo)
                    memo[tok[1]] = value
                if type(value) is str:
                    parts.append(value)
                    state[0] += len(value)
                else:
                    self._emit(value, parts, spans, memo, state)
            elif kind == _OPEN:
                if state[1] is not None:
                    raise ValueError(f"nested span while rendering {template!r}")
                state[1], state[2] = tok[1], state[0]
            else:
                spans.append((state[2], state[0], state[1]))
                state[1] = None
