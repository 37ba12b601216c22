"""The matcher's fast path gives exactly what the plain algorithm gives.

``SpecialCategoryMatcher._find`` applies the key-local boundary rules inside its scan loop
(with facts precomputed per key), collects exclusions and context/veto words only when a hit
survives, and resolves a single candidate without the overlap machinery. The reference below
is the plain algorithm those shortcuts replace: every hit collected first, exclusions and
context words computed eagerly, the boundary rules read straight from the lexicon ``Entry``,
and the general overlap resolution. Both must agree on every finding (type, span, score,
lexicon reference) and its order, on the labelled dev notes, the case table, and generated
notes built from lexicon words with awkward case, separators and compounds.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from conftest import DEV_NOTES
from special_category_cases import NEGATIVES, POSITIVES

from pii_scanners.lexicons.loader import Governor, load_language
from pii_scanners.recognizers.special_category.matcher import (
    REDACTION_TAG,
    Finding,
    SpecialCategoryMatcher,
    _CompiledEntry,
    _is_word,
    _Key,
    get_matcher,
    lower_preserving_offsets,
)
from pii_scanners.recognizers.special_category.spelling import spaced_term_hits, unleet
from pii_scanners.sentences import Sentences

LANGS = ("de", "en")
GENERATED_PER_LANGUAGE = 4000

_Candidate = tuple[int, int, float, int, _CompiledEntry]


class _EagerWords:
    """Context/veto word hits computed up front, as the matcher once did for every candidate."""

    def __init__(self, matcher: SpecialCategoryMatcher, low: str) -> None:
        self._found = matcher._words.hits(low)

    def starts(self, set_id: int) -> list[int] | None:
        return self._found.get(set_id)


def _boundaries_ok(
    matcher: SpecialCategoryMatcher, text: str, low: str, hit: tuple[int, int, _Key]
) -> bool:
    """Exact case, left boundary and right ending, read from the entry itself."""
    start, end, key = hit
    entry = matcher._entries[key.entry].entry
    core = unleet(text)[start + key.core_start : start + key.core_end]  # as the matcher reads
    if key.exact_core is not None and core != key.exact_core:
        return False
    if (
        start > 0
        and _is_word(low[start - 1])
        and _is_word(low[start])
        and entry.compound not in ("suffix", "any")
    ):
        return False
    if end >= len(low) or not _is_word(low[end]) or not _is_word(low[end - 1]):
        return True
    if entry.compound in ("prefix", "any"):
        return True
    if not entry.inflect:
        return False
    stop = end
    while stop < len(low) and low[stop].isalpha():
        stop += 1
    if stop < len(low) and low[stop].isdigit():
        return False
    return low[end:stop] in matcher.settings.inflections


def _resolve(
    matcher: SpecialCategoryMatcher, low: str, candidates: list[_Candidate]
) -> tuple[Finding, ...]:
    """Overlap resolution without the one-candidate shortcut: the union of every group of
    overlapping candidates, once per category, candidates strictly inside a longer one of
    another category left out; blank-separated neighbours with the same categories merge."""
    inside = [
        c
        for c in candidates
        if any(
            o[3] != c[3] and o[0] <= c[0] and c[1] <= o[1] and o[1] - o[0] > c[1] - c[0]
            for o in candidates
        )
    ]
    remaining = [c for c in candidates if c not in inside]
    groups: list[tuple[int, int, list[_Candidate]]] = []
    for cand in sorted(remaining, key=lambda c: c[0]):
        if groups and cand[0] < groups[-1][1]:
            start, end, members = groups.pop()
            groups.append((start, max(end, cand[1]), [*members, cand]))
        else:
            groups.append((cand[0], cand[1], [cand]))
    merged: list[tuple[int, int, list[_Candidate]]] = []
    for start, end, members in groups:
        if (
            merged
            and {c[3] for c in merged[-1][2]} == {c[3] for c in members}
            and start > merged[-1][1]
            and low[merged[-1][1] : start].strip(" \t") == ""
        ):
            first, _, before = merged.pop()
            merged.append((first, end, [*before, *members]))
        else:
            merged.append((start, end, members))
    findings = []
    for start, end, members in merged:
        per_category = []
        for cat in {c[3] for c in members}:
            own = [c for c in members if c[3] == cat]
            best = max(own, key=lambda c: (c[1] - c[0], c[2]))
            score = max(c[2] for c in own)
            per_category.append((-(best[1] - best[0]), -score, cat, best[4].ref, score))
        for _, _, cat, ref, score in sorted(per_category):
            findings.append(Finding(matcher.categories[cat].lexicon.entity, start, end, score, ref))
    return tuple(findings)


def reference_find(matcher: SpecialCategoryMatcher, text: str) -> tuple[Finding, ...]:
    """The plain algorithm: collect every hit, then check each one with everything at hand."""
    low = unleet(lower_preserving_offsets(text))  # look-alike digits read as letters
    term_hits = []
    excluded = []
    for end_index, (length, keys, exclusions) in matcher._automaton.iter(low):
        end = end_index + 1
        start = end - length
        term_hits.extend((start, end, key) for key in keys)
        for cat, prefix_only in exclusions:
            if matcher._bounded(low, start, end, right=not prefix_only):
                excluded.append((cat, start, end))
    spaced = spaced_term_hits(matcher._automaton, low, frozenset(matcher.settings.inflections))
    term_hits += spaced  # letter-spaced words ("b l a c k"), bounded in the joined word
    tags = [m.span() for m in REDACTION_TAG.finditer(text)]
    term_hits = [h for h in term_hits if not any(s <= h[0] and h[1] <= e for s, e in tags)]
    if not term_hits:
        return ()
    words = _EagerWords(matcher, low)
    candidates = []
    for hit in term_hits:
        if hit not in spaced and not _boundaries_ok(matcher, text, low, hit):
            continue
        cand = matcher._check(text, low, *hit, excluded, words, Sentences(text))  # type: ignore[arg-type]
        if cand is not None:
            candidates.append(cand)
    return _resolve(matcher, low, candidates)


# ------------------------------------------------------------------------------ inputs

_SEPARATORS = [" "] * 10 + [
    "",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "-",
    "\u2010",
    "\u2011",
    ", ",
    ". ",
    ' "',
    '" ',
    " „",
    "“ ",
    "(",
    ") ",
    "'",
    "\u2019",
    " <HEALTH> ",
    "<",
    ": ",
]


def _lexicon_words(lang: str) -> tuple[list[str], list[str], tuple[str, ...]]:
    """Term keys and exclusions; governor, head, context and media words; inflections."""
    settings, lexicons = load_language(lang)
    terms: list[str] = []
    other: list[str] = list(settings.media_words)

    def governor(g: Governor | None) -> None:
        if g is not None:
            other.extend(g.words)

    for lex in lexicons:
        terms.extend(e.rstrip("*") for e in lex.exclusions)
        other.extend(w.strip("*") for w in lex.context_words + lex.veto_context)
        governor(lex.veto_before)
        for entry in lex.entries:
            terms.extend(t.replace("[", "").replace("]", "") for t in entry.terms)
            other.extend(entry.heads + entry.veto_heads)
            other.extend(w.strip("*") for w in entry.context + entry.veto_context)
            for g in (*entry.before, *entry.after, entry.veto_before, entry.veto_after):
                governor(g)
    return terms, other, settings.inflections


def _spelling(rng: random.Random, word: str) -> str:
    roll = rng.random()
    if roll < 0.55:
        return word
    if roll < 0.7:
        return word.capitalize()
    if roll < 0.8:
        return word.upper()
    if roll < 0.88:
        return word.replace("ss", "ß").replace("ß", "ẞ" if roll < 0.84 else "ß")
    if roll < 0.94:
        return word.replace("i", "İ", 1)
    return "".join(c.upper() if rng.random() < 0.5 else c for c in word)


def _generated(lang: str) -> Iterator[str]:
    """Notes of lexicon words with case changes, odd separators, compounds and endings."""
    rng = random.Random(f"matcher-fast-path-{lang}")
    terms, other, inflections = _lexicon_words(lang)
    filler = ["Kunde", "Paket", "bitte", "the", "order", "und", "Geschenk", "x", "2024"]
    for _ in range(GENERATED_PER_LANGUAGE):
        parts = []
        for _ in range(rng.randint(1, 12)):
            roll = rng.random()
            word = rng.choice(terms if roll < 0.4 else other if roll < 0.75 else filler)
            if rng.random() < 0.15:
                word += rng.choice(inflections)
            if rng.random() < 0.05:
                word = rng.choice(filler) + word
            parts += [_spelling(rng, word), rng.choice(_SEPARATORS)]
        yield "".join(parts[: -1 if rng.random() < 0.5 else None])
    for _ in range(GENERATED_PER_LANGUAGE // 4):
        term = rng.choice(terms)
        yield rng.choice([term + term, f"{term} {term}", term[:-1] + term, f"{term}-{term}"])


_EDGE_CASES = [
    "",
    " ",
    "İ",
    "ẞ",
    "<HEALTH>",
    "<RELIGION> Kirche",
    "İch war im Krankenhaus",
    "KRANKENHAUS",
    "im\u00a0Krankenhaus",
    "im\tKrankenhaus\n",
    "Brustkrebs-Therapie",
    "Er ist Diabetiker.",
    "Diabetikerin",
    "Diabetikern2",
    "Sie hat MS",
    "sie hat ms",
    "wählt CDU, wählt CDU, wählt CDU",
    "Buch „Die Therapie“ als Geschenk",
    'Hörbuch "Die Therapie" bestellt',
    "He has diabetes",
    "he can’t walk, he can't walk",
    "member of the union",
]


def _notes(lang: str) -> list[str]:
    cases = [c.text for c in (*POSITIVES, *NEGATIVES) if c.lang == lang]
    dev = []
    if DEV_NOTES.exists():
        with DEV_NOTES.open(encoding="utf-8") as handle:
            dev = [json.loads(line)["text"] for line in handle]
    return [*_EDGE_CASES, *cases, *dev, *(t.upper() for t in cases), *_generated(lang)]


# ------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("lang", LANGS)
def test_the_fast_path_finds_exactly_what_the_plain_algorithm_finds(lang: str) -> None:
    matcher = get_matcher(lang)
    notes = _notes(lang)
    mismatches = []
    with_findings = 0
    for text in notes:
        expected = reference_find(matcher, text)
        got = matcher.find(text)
        with_findings += bool(expected)
        if got != expected:
            mismatches.append((text, expected, got))
    assert not mismatches, mismatches[:3]
    # The comparison must not be vacuous: many notes do produce findings.
    assert with_findings > len(notes) // 5


def test_a_wrong_precomputed_key_fact_is_noticed() -> None:
    """Guards the test itself: a key that forgets it may not sit inside a word must differ."""
    matcher = SpecialCategoryMatcher("de")
    # "Bluter" and "Fieber" are whole words only; "Diabetiker" may sit in a compound.
    text = "Der Kunde ist Diabetiker. Bluterguss, Fieberthermometer bestellt."
    assert [f.start for f in matcher.find(text)] == [14]
    assert matcher.find(text) == reference_find(matcher, text)
    for key in matcher._keys:
        object.__setattr__(key, "free_left", True)
        object.__setattr__(key, "free_right", True)
    matcher._cache = None
    assert matcher.find(text) != reference_find(matcher, text)


def test_the_last_result_is_reused_for_an_equal_text() -> None:
    matcher = get_matcher("de")
    first = matcher.find("Er liegt im Krankenhaus.")
    assert first
    assert matcher.find("".join(["Er liegt im ", "Krankenhaus."])) is first
