"""The prefilter's fast path and the faster ``find_spans`` give exactly what the rules give.

``Prefilter.candidate_entities`` decides with C-level superset regexes and runs the defining
per-hit tests (``_anchor_tests``) only when an expensive test already said yes;
``PersonContextRecognizer.could_find_spans`` rejects notes before ``find_spans`` runs;
``find_spans`` itself tries per-word cue patterns. Here the straight, slow evaluation of the
same rules (the code before these changes, kept below as the reference) is compared with the
fast path on the labelled dev notes, our own cases, the special-category notes and phrases,
generated notes and adversarial strings (lowercase names, cues at the end, tabs, NBSP, newlines,
upper case, case-changing characters such as "İ", "ſ" or the Kelvin sign, digits, e-mails,
IBANs). The Unicode premises of the superset regexes are checked against the running Python
and regex module, so an upgrade that breaks one fails here.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import random
import re as stdlib_re
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import regex
from conftest import DATA_DIR, OWN_CASES, dev_notes_path

from pii_scanners.prefilter import (
    _ADDRESS_WORD_GATE,
    _SUFFIX_GATE,
    ADDRESS,
    CUE,
    NAME_BEFORE,
    TERM,
    Prefilter,
)
from pii_scanners.recognizers import common_date_of_birth_recognizer as dob
from pii_scanners.recognizers import common_person_context_recognizer as pc
from pii_scanners.recognizers._names import (
    FICTIONAL,
    NOT_A_PERSON_BEFORE,
    NOT_A_SURNAME,
    is_given_name,
    name_tokens_at,
)
from pii_scanners.recognizers.common_address_recognizer import (
    ADDRESS_ANCHORS,
    ADDRESS_BLOCK_GATE,
    PREPOSITION_ANCHORS,
    address_hint,
)
from pii_scanners.recognizers.common_phone_recognizer import phone_candidates

# --- The reference: the rules evaluated as they were written before the fast path ----------


def ref_cue_matches(text: str) -> Iterator[regex.Match[str]]:
    if pc._CUE_ANCHORS.isdisjoint(pc._WORD_START.findall(text.lower())):
        return
    for w in pc._WORD_START.finditer(text):
        if w.group().lower() in pc._CUE_ANCHORS:
            m = pc._CUE_RE.match(text, w.start())
            if m:
                yield m


def ref_signature_match(text: str) -> regex.Match[str] | None:
    end = len(text.rstrip(pc._TRAILING))
    if end == 0:
        return None
    window = max(0, end - pc.SIGNATURE_MAX_CHARS - 2)
    last = pc._LAST_BOUNDARY.match(text, window, end)
    cut = last.end() - 1 if last else 0
    if cut < 0 and window > 0:
        return None
    start = cut + 1
    while start < end and text[start].isspace():
        start += 1
    if start >= end or end - start > pc.SIGNATURE_MAX_CHARS or not text[start].isupper():
        return None
    return pc._SIGNATURE_RE.match(text, start)


def ref_span_after_cue(names: frozenset[str], text: str, kind: str, pos: int, depth: int = 0):
    if kind == "intro" and text[pos].islower():
        if not pc._LOWERCASE_NAME_INTRO.search(text, max(0, pos - 20), pos):
            return None
        m = regex.match(r"\p{L}{2,}", text[pos:])
        return (pos, pos + m.end(), 0.7) if m else None
    if kind in ("hon", "role"):
        span = pc.initials_span(text, pos, alone=kind == "hon")
        if span:
            return span[0], span[1], 0.85 if kind == "hon" else 0.8
        if kind == "hon":
            caps = pc._CAPS_INVERTED.match(text, pos)
            if caps:
                return pos, caps.end(), 0.85
        if kind == "hon" and depth == 0 and text[pos].islower():
            m = pc._PARTICLE_NAME.match(text, pos)
            return (pos, m.end(), 0.85) if m else None
    tokens = list(name_tokens_at(text, pos))
    if not tokens:
        return None
    words = [text[s:e] for s, e in tokens]
    if words[0] in FICTIONAL or words[0] in NOT_A_SURNAME:
        return None
    if kind == "hon" and words[0] in pc.ROLE_NOUNS:
        skip = pc._HONORIFIC_SKIP.match(text, tokens[0][1])
        if skip is None or depth > 2:
            return None
        return ref_span_after_cue(names, text, "hon", skip.end(), depth + 1)
    given = is_given_name(words[0], names)
    closes_clause = regex.match(r"[ \t]*(?:[,;:.!?)\]\"“”\n]|$|[ \t]\p{Ll})", text[tokens[0][1] :])

    def before_house_number(n: int) -> int:
        after = text[tokens[n - 1][1] :]
        return n - 1 if n > 1 and pc._HOUSE_NUMBER_NEXT.match(after) else n

    if kind in ("hon", "intro"):
        if not given and words[0] in pc.CLOSING_WORDS:
            return None
        n = min(len(tokens), 3 if given else 1)
        if (
            not given
            and kind == "hon"
            and len(tokens) > 1
            and regex.match(r"[ \t]*(?:[,;\n]|$)", text[tokens[1][1] :])
            and pc._plausible_unknown_name(words[1])
            and words[1] not in pc.ROLE_NOUNS
        ):
            n = 2
        if given and n > 1 and words[n - 1] in NOT_A_SURNAME:
            n -= 1
        return tokens[0][0], tokens[before_house_number(n) - 1][1], 0.85
    if kind == "kin":
        if given:
            return tokens[0][0], tokens[before_house_number(min(len(tokens), 2)) - 1][1], 0.8
        if closes_clause and pc._plausible_unknown_name(words[0]):
            return tokens[0][0], tokens[0][1], 0.5
        return None
    if kind == "role":
        if given:
            return tokens[0][0], tokens[before_house_number(min(len(tokens), 3)) - 1][1], 0.8
        if len(tokens) >= 2 and all(pc._plausible_unknown_name(w) for w in words[:2]):
            return tokens[0][0], tokens[1][1], 0.6
        return None
    if given:
        return tokens[0][0], tokens[before_house_number(min(len(tokens), 2)) - 1][1], 0.85
    at_end = regex.match(r"[\s.!?)\]\"“”]*$|\s(?:and|und|&)\s\p{Lu}", text[tokens[0][1] :])
    if at_end and pc._plausible_unknown_name(words[0]) and words[0].lower() not in pc.COMMON_WORDS:
        return tokens[0][0], tokens[0][1], 0.6
    return None


def ref_find_spans(names: frozenset[str], text: str) -> list[tuple[int, int, float]]:
    spans = []
    for m in ref_cue_matches(text):
        kind = next(k for k in ("hon", "kin", "role", "intro", "sign") if m.group(k))
        gap = text[m.end(kind) : m.start("first")]
        if m.group("skip"):
            kind = "hon"
        elif kind in ("hon", "kin", "role") and any(ch in gap for ch in "\n.!"):
            continue
        span = ref_span_after_cue(names, text, kind, m.start("first"))
        if span:
            spans.append(span)
    for m in pc._THE_FAMILY_RE.finditer(text):
        spans.append((m.start("name"), m.end("name"), 0.8))
    sig = ref_signature_match(text)
    if sig and not NOT_A_PERSON_BEFORE.search(text, 0, sig.start("name")):
        tokens = list(name_tokens_at(text, sig.start("name")))
        words = [text[s:e] for s, e in tokens]
        if tokens and is_given_name(words[0], names):
            spans.append((tokens[0][0], tokens[-1][1], 0.7))
        elif (
            len(tokens) == 1
            and pc._plausible_unknown_name(words[0])
            and words[0].lower() not in pc.COMMON_WORDS
            and words[0] not in pc.ROLE_NOUNS
        ):
            spans.append((tokens[0][0], tokens[0][1], 0.5))
    spans.extend(pc.birth_anchored_spans(text, names))
    spans.extend(pc.degree_anchored_spans(text, names))
    spans.extend(pc.second_names(text, spans))
    return spans


def ref_dob_hint(text: str) -> bool:
    lowered = text.lower()
    if any(literal in lowered for literal in dob._CUE_LITERALS):
        return True
    if "wird" in lowered or "turn" in lowered or "feiert" in lowered or "*" in text:
        return bool(dob._COUNTED_CUE.search(text))
    return False


_SPACES = {i: " " for i in range(sys.maxunicode + 1) if chr(i).isspace()}
_SPACE_RE = stdlib_re.compile(r"\s")
_LETTER_RUN = stdlib_re.compile(r"[^\W\d_]+")
_IBAN_START = stdlib_re.compile(r"[A-Z]{2}\d{2}")
_PREPOSITION_RE = stdlib_re.compile("|".join(map(stdlib_re.escape, PREPOSITION_ANCHORS)))


class ReferencePrefilter:
    """``Prefilter.candidate_entities`` as it was: one Aho-Corasick pass, Python per hit."""

    def __init__(self, fast: Prefilter, trigger_terms: Iterable[str]) -> None:
        import ahocorasick

        self.fast = fast  # for the per-hit helpers, which did not change
        self.names = fast.first_names
        anchors: dict[str, set[int]] = {}
        for term in trigger_terms:
            if term:
                anchors.setdefault(term.lower().translate(_SPACES), set()).add(TERM)
        if fast.person_context is not None:
            for phrase in pc.cue_phrases():
                anchors.setdefault(phrase, set()).add(CUE)
            for word in pc.NAME_BEFORE_ANCHORS:
                anchors.setdefault(word, set()).add(NAME_BEFORE)
        for key in ADDRESS_ANCHORS:
            anchors.setdefault(key, set()).add(ADDRESS)
        self.automaton = ahocorasick.Automaton()
        for key, kinds in anchors.items():
            self.automaton.add_word(key, (key, frozenset(kinds)))
        self.automaton.make_automaton()

    def candidate_entities(self, text: str, known_names: Iterable[str] = ()):
        fast = self.fast
        if not text:
            return frozenset()
        lowered = text.lower()
        if len(lowered) != len(text):
            return None
        if not lowered.isprintable():
            lowered = _SPACE_RE.sub(" ", lowered)
        found: set[str] = set()
        if any(
            len(part) >= 2 and part in lowered
            for name in known_names
            for part in str(name).lower().split()
        ):
            found.add("PERSON")
        if "@" in text:
            found.add("EMAIL_ADDRESS")
        if ref_dob_hint(text):
            found.add("DATE_OF_BIRTH")
        special = need_person = need_address = False
        for end, (key, kinds) in self.automaton.iter(lowered):
            if TERM in kinds:
                special = True
            start = end - len(key) + 1
            if CUE in kinds and not need_person and fast._is_word_at(text, start, end + 1):
                need_person = fast._cue_then_name(text, key, end + 1)
            if NAME_BEFORE in kinds and fast._is_word_at(text, start, end + 1):
                need_person = True
            if ADDRESS in kinds and not need_address:
                need_address = fast._address_anchor(text, key, start, end)
        if special:
            found |= fast.special_entities
        digits = sum(map(text.count, "0123456789"))
        if digits >= 6:
            if _IBAN_START.search(text):
                found.add("IBAN_CODE")
            if phone_candidates(text):
                found.add("PHONE_NUMBER")
        if not need_address and digits:
            spaced = text if text.isprintable() else _SPACE_RE.sub(" ", text)
            need_address = _PREPOSITION_RE.search(spaced) is not None
        if (need_address and digits and address_hint(text)) or ADDRESS_BLOCK_GATE.search(text):
            found.add("ADDRESS")
        if "PERSON" not in found and (
            not self.names.isdisjoint(_LETTER_RUN.findall(text))
            or (
                fast.person_context is not None
                and (need_person or ref_signature_match(text) is not None or pc.letter_hint(text))
                and ref_find_spans(fast.person_context.first_names, text)
            )
        ):
            found.add("PERSON")
        return frozenset(found)


# --- Inputs ---------------------------------------------------------------------------------


def _jsonl_texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


def _real_texts() -> list[str]:
    texts = _jsonl_texts(OWN_CASES) + _jsonl_texts(DATA_DIR / "special_category_notes.jsonl")
    with contextlib.suppress(pytest.skip.Exception):  # no dev notes: the rest still counts
        texts += _jsonl_texts(dev_notes_path())
    try:
        import special_category_cases as cases

        texts += [c.text for c in [*cases.POSITIVES, *getattr(cases, "NEGATIVES", [])]]
    except ImportError:  # pragma: no cover - the table belongs to the special-category tests
        pass
    sentences = [p.strip() for t in texts for p in stdlib_re.split(r"(?<=[.!?:])\s+|\n", t)]
    return list(dict.fromkeys(texts + [s for s in sentences if s]))


_ODD = ["İ", "ſ", "\u212a", "ß", "ẞ", "\U0001df95", "ı", "Σ", "ǅ", "ﬁ", "\u00a0", "\t", "\u2028"]
_WORDS = [
    "Anna", "Meier", "Paul", "lena", "ANNA", "Kai", "Rees", "Özdemir", "O'Brien", "Hans-Peter",
    "Christmas", "Santa", "Dezember", "Kunde", "Danke", "Herr", "family", "household", "the",
    "St.", "Sankt", "Hauptstraße", "Str.", "Street", "Rd", "Am", "Markt", "An der", "Kirche",
    "geb.", "geboren", "wird", "turns", "*", "30.01.2013", "0171 2345678", "Tel.", "a@b.de",
    "DE89370400440532013000", "7", "12", "3a", "12345", "Berlin", "NW1 6XE", "heiße", "ich",
    "my name is", "hier ist", "Liebe Grüße", "Grüße aus Bonn", "Viele Grüße von", "Kd.",
    "z. Hd.", "Grüße von", "aus Köln", "Thank you", *_ODD,
]  # fmt: skip
_SEPARATORS = [" ", " ", " ", ", ", ". ", "! ", ": ", "\n", "\n\n", "  ", "\t", " - ", "; ", "? "]


def _adversarial(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    phrases = [*pc.cue_phrases(), *pc.HONORIFICS, *pc.SIGN_OFFS, *pc.KIN_DE, *pc.KIN_EN]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 10)):
            word = rng.choice(phrases if rng.random() < 0.4 else _WORDS)
            word = rng.choice([word, word, word, word.lower(), word.upper(), word.title()])
            if rng.random() < 0.05:
                i = rng.randrange(len(word) + 1)
                word = word[:i] + rng.choice(_ODD) + word[i:]
            parts += [word, rng.choice(_SEPARATORS)]
        text = "".join(parts)
        out.append(text.rstrip() if rng.random() < 0.5 else text)
    return out


def _mutations(texts: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    tails = ["\nViele Grüße\nAnna Meier", "\nLG Max", " Danke.", "\nAnna", " Frau", " my sister",
             " ich heiße lena", "\n\nMama Claudia", "\nthe Rees family", ", Anna, 7", "\nİlse",
             "\nThanks, Ethan", "\u00a0Anna", " z. Hd. Frau Meier", "\nXAnna"]  # fmt: skip
    out = []
    for text in texts:
        out += [text.lower(), text.upper(), text.replace(" ", "\t"), text.replace(" ", "\u00a0")]
        out += [text + rng.choice(tails), rng.choice(tails).lstrip() + " " + text]
        cut = rng.randrange(len(text) + 1)
        out += [text[:cut], text[:cut] + rng.choice(_ODD) + text[cut:]]
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    real = _real_texts()
    return list(dict.fromkeys(real + _mutations(real, 1) + _adversarial(2, 4000) + [""]))


# --- Equivalence ----------------------------------------------------------------------------


def test_find_spans_is_unchanged(scanner, texts):
    recognizer = scanner.prefilter.person_context
    names = recognizer.first_names
    differing = [t for t in texts if recognizer._find_spans(t) != ref_find_spans(names, t)]
    assert not differing, differing[:5]


def test_could_find_spans_is_true_whenever_find_spans_finds_something(scanner, texts):
    recognizer = scanner.prefilter.person_context
    missed = [t for t in texts if recognizer._find_spans(t) and not recognizer.could_find_spans(t)]
    assert not missed, missed[:5]
    # ... and it is worth calling: most notes without a span are rejected.
    without = [t for t in texts if not recognizer._find_spans(t)]
    assert sum(map(recognizer.could_find_spans, without)) < len(without) / 2


def test_candidate_entities_is_unchanged(scanner, texts):
    fast = scanner.prefilter
    reference = ReferencePrefilter(fast, ())
    names = [(), ("Anna Meier",), ("PAUL", "Meier-Schulz"), ("lena", "x"), ("Σίσυφος ΣΑΣ",)]
    differing = [
        (t, n)
        for i, t in enumerate(texts)
        for n in (names[i % len(names)], ())
        if fast.candidate_entities(t, n) != reference.candidate_entities(t, n)
    ]
    assert not differing, differing[:5]


def test_candidate_entities_with_trigger_terms_is_unchanged(scanner, texts):
    """Special-category trigger terms (a configuration without the direct matcher)."""
    terms = ["krebs", "multiple sklerose", "in\tder klinik", "herr", "katholisch", "str"]
    base = scanner.prefilter
    fast = Prefilter(terms, base.first_names, base.person_context, ["HEALTH", "RELIGION"])
    reference = ReferencePrefilter(fast, terms)
    differing = [
        t for t in texts[::3] if fast.candidate_entities(t) != reference.candidate_entities(t)
    ]
    assert not differing, differing[:5]


def test_signature_match_is_unchanged(texts):
    def span(m):
        return None if m is None else m.span("name")

    assert [span(pc.signature_match(t)) for t in texts] == [
        span(ref_signature_match(t)) for t in texts
    ]


def test_candidate_entities_without_person_recognizers_is_unchanged(texts):
    """No gazetteer and no context recognizer configured."""
    fast = Prefilter((), (), None)
    reference = ReferencePrefilter(fast, ())
    differing = [
        t for t in texts[::3] if fast.candidate_entities(t) != reference.candidate_entities(t)
    ]
    assert not differing, differing[:5]


def test_dob_hint_is_unchanged(texts):
    assert [dob.dob_hint(t) for t in texts] == [ref_dob_hint(t) for t in texts]


def test_address_gates_accept_every_address_anchor(scanner, texts):
    fast = scanner.prefilter
    missed = [
        t
        for t in texts
        if len(t.lower()) == len(t)  # else candidate_entities returns None first
        and fast._anchor_tests(t, t.lower())[1]
        and not (_ADDRESS_WORD_GATE.search(t) or _SUFFIX_GATE.search(t[::-1]))
    ]
    assert not missed, missed[:5]


@pytest.mark.parametrize(
    "text",
    ["\t" * 20000 + "Anna", "Herr Anna " * 5000, "Grüße aus Bonn " * 5000, "Ab " * 20000],
)
def test_long_runs_stay_linear(scanner, text):
    """Blank runs and chains of names cost linear time (both once took seconds at 50 kB)."""
    started = time.process_time()
    scanner.prefilter.candidate_entities(text)
    scanner.prefilter.person_context._find_spans(text)
    assert time.process_time() - started < 2.0


def test_the_fast_path_can_fail(scanner):
    """The comparison above notices a wrong gate: a gate that drops cue names differs."""
    fast = scanner.prefilter
    reference = ReferencePrefilter(fast, ())
    note = "Rückruf an Frau Xylander."
    assert reference.candidate_entities(note) == frozenset({"PERSON"})
    original = fast.person_context.could_find_spans
    try:
        fast.person_context.could_find_spans = lambda text, lowered=None: False
        assert fast.candidate_entities(note) != reference.candidate_entities(note)
    finally:
        fast.person_context.could_find_spans = original


# --- Unicode premises of the superset regexes -------------------------------------------------


@functools.cache
def _all_code_points() -> str:
    return "".join(map(chr, range(sys.maxunicode + 1)))


def test_lowercase_preimages_are_complete():
    """``lowercase_preimages`` (upper and title case plus a short written-out list) is every
    character whose lowercase is the given Latin character."""
    preimages: dict[str, list[str]] = {}
    for ch in _all_code_points():
        lowered = ch.lower()
        if len(lowered) == 1 and ord(lowered) < 0x250:
            preimages.setdefault(lowered, []).append(ch)
    for target in map(chr, range(0x250)):
        if target.lower() == target:
            assert sorted(pc.lowercase_preimages(target)) == sorted(preimages[target]), target


def test_fold_only_characters_match_the_regex_module():
    """Every character that the regex module's (?i) equates with a cue letter either
    lowercases to it or is listed in _FOLD_ONLY (and nothing else is listed)."""
    everything = _all_code_points()
    for letter in sorted(pc._PHRASE_LETTERS):
        folds = set(regex.findall(f"(?i){regex.escape(letter)}", everything))
        assert {ch for ch in folds if ch.lower() != letter} == set(pc._FOLD_ONLY.get(letter, ""))


def test_hints_are_in_every_form_of_their_words():
    """Each word contains a hint; a hint letter with a fold-only equivalent ("s": "ſ") would
    miss that spelling, so the equivalent must be a hint itself ("i" excepted: "İ" lowercases
    to two characters, which the callers check)."""
    for words, hints in (
        (pc._NAMING_INTRO_WORDS, pc._NAMING_INTRO_HINTS),
        (pc._FAMILY_WORDS, pc._FAMILY_HINTS),
    ):
        for word in words:
            assert any(h in word for h in hints), word
        for letter, others in pc._FOLD_ONLY.items():
            if letter != "i" and any(letter in h for h in hints):
                assert all(o in hints for o in others), (letter, hints)


def test_could_find_spans_tests_every_hint():
    """``could_find_spans`` spells the hint tuples out as substring tests."""
    source = inspect.getsource(pc.PersonContextRecognizer.could_find_spans)
    for hint in (*pc._FAMILY_HINTS, *pc._NAMING_INTRO_HINTS):
        spellings = {hint, hint.encode("unicode_escape").decode()}
        assert any(f'"{spelt}" in lowered' in source for spelt in spellings), hint


def test_whitespace_and_letter_classes_agree_between_engines():
    everything = _all_code_points()
    # signature superset: the regex module's \s is whitespace for str.split, letters are not
    assert all(ch.isspace() for ch in regex.findall(r"\s", everything))
    assert not any(ch.isspace() for ch in regex.findall(r"\p{L}", everything))
    upper = stdlib_re.compile(pc._UPPER)
    small = stdlib_re.compile(pc._SMALL_OR_APOSTROPHE)
    assert all(upper.match(ch) for ch in regex.findall(r"\p{Lu}", everything))
    assert all(upper.match(ch) for ch in everything if ch.isupper())
    assert all(small.match(ch) for ch in regex.findall(r"\p{Ll}", everything))
    digit = stdlib_re.compile(pc._DIGIT)
    assert all(digit.match(ch) for ch in regex.findall(r"\d", everything))
    word = stdlib_re.compile(pc._SURE_WORD_CHAR)
    assert all(regex.match(r"[\p{L}\d-]", ch) for ch in everything if word.match(ch))
