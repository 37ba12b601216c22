"""Cheap candidate test that decides which notes go to Presidio at all.

Why: Presidio costs about a millisecond per note (spaCy tokenizing, libphonenumber, every
recognizer), while most CRM notes contain nothing sensitive. DESIGN.md ("Presidio's cost")
measured ~13,000 notes/s per process with a cheap prefilter in front.

Safety: the prefilter must never drop a note in which the full analyzer would find something.
Every test below is a *necessary condition taken from the recognizer it protects*:
- special categories: the lexicon contract — a finding needs one of ``trigger_terms(lang)`` as a
  substring of the lowercased text;
- PERSON (gazetteer): a letter run that is in the given-name list (a superset of the
  recognizer's tokens); PERSON (context): ``PersonContextRecognizer.find_spans`` itself, run
  when a cue word is followed by a capitalised word (or a self-introduction by any word), for
  "the ... family" or for the closing signature; PERSON (known names): a part of a known name
  as a substring of the lowercased text;
- EMAIL needs "@"; IBAN two capitals + two digits; PHONE six digits and the phone recognizer's
  own gate ``phone_candidates``; ADDRESS an address anchor and the address recognizer's gate
  ``address_hint``; DATE_OF_BIRTH the date-of-birth recognizer's gate ``dob_hint``.
Each test names the entity types it guards, so a candidate note is analysed only by the
recognizers that could fire (a note with a trigger term but no digits never meets
libphonenumber). tests/pii_scanners/test_prefilter.py compares prefilter-on and -off findings
on the dev notes, our own cases, the special-category test phrases and generated notes.

Speed (it runs once per note, ~100k notes per export): every test is a C-level string or regex
scan, cheapest first, and Python-level work per hit happens only where an expensive test has
already said yes. Two tests are a conjunction "anchor test and expensive test": PERSON
(context) is "a cue or closing signature (``_anchor_tests``) and ``find_spans``", ADDRESS is
"an address anchor (a preposition or ``_anchor_tests``) and ``address_hint``". The anchor tests
are defined by one Aho-Corasick pass over the lowercased note with a few lines of Python per
hit. The conjunction is evaluated as "gate and expensive test and anchor test", where the gate
is a C-level regex that is true whenever the conjunction can be: for ADDRESS a superset of the
anchor test (``_ADDRESS_WORD_GATE``, ``_SUFFIX_GATE``: the same per-hit conditions, written as
regexes), for PERSON a necessary condition of a non-empty ``find_spans``
(``PersonContextRecognizer.could_find_spans``, kept next to the rules it summarises). So the
answer is the same for every input; the gates only decide when the exact tests run, and
``_anchor_tests`` runs in about one note in fifty. tests/pii_scanners/test_prefilter_fast_path.py
compares the gates with what they summarise and the whole answer with a straight evaluation of
the rules (the code before the gates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

from pii_scanners.recognizers.common_address_recognizer import (
    ADDRESS_ANCHORS,
    ADDRESS_BLOCK_GATE,
    PREPOSITION_ANCHORS,
    address_hint,
)
from pii_scanners.recognizers.common_date_of_birth_recognizer import dob_hint
from pii_scanners.recognizers.common_person_context_recognizer import (
    NAME_BEFORE_ANCHORS,
    SELF_INTRO,
    PersonContextRecognizer,
    case_variants,
    char_class,
    cue_phrases,
    letter_hint,
    lowercase_preimages,
    phrase_trie,
    signature_match,
)
from pii_scanners.recognizers.common_phone_recognizer import phone_candidates
from pii_scanners.recognizers.special_category.spelling import spaced_runs, unleet

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_IBAN_START = re.compile(r"[A-Z][A-Z]\d\d")  # not [A-Z]{2}: a class first lets the engine scan in C
# Every Unicode whitespace character becomes a plain space, so that anchors containing a space
# also match where the recognizers' regexes accept any whitespace (\s). Lengths do not change.
# One C-level substitution (``\s`` is ``str.isspace`` for str patterns), for notes and terms.
_SPACE_RE = re.compile(r"\s")
# A preposition anchor ("Am ", "An ") where the note may have any whitespace: the same test
# as a substring search in the note with whitespace made plain spaces.
_PREPOSITION_RE = re.compile(
    "(?:" + "|".join(re.escape(p.rstrip(" ")) for p in PREPOSITION_ANCHORS) + r")\s"
)

TERM, CUE, ADDRESS, NAME_BEFORE = 0, 1, 2, 3
_NOTHING: frozenset[str] = frozenset()


_INTRO_PHRASES = frozenset(p.lower() for p in SELF_INTRO)
# Characters that may be a digit (every BMP character with ``str.isdigit`` and all above the
# BMP, see ``char_class``), and characters that surely are letters (the Latin ones: a small
# class, and rejecting fewer accepts more).
_DIGIT = char_class(filter(str.isdigit, map(chr, range(0x10000))), supplementary=True)
_SURE_ALPHA = char_class(ch for ch in map(chr, range(0x250)) if ch.isalpha())
# Regexes that accept at least every note in which ``_anchor_tests`` finds an address anchor
# (see the module docstring). Each anchor letter matches exactly the characters whose
# lowercase it is, so they ask on the note what the anchor test asks on its lowercase copy.
# A street suffix before ".? <digit>" (on the reversed note, so that the engine scans for
# digits), or a capitalised UK street word after a blank.
_SUFFIX_KEYS = sorted(k for k, kinds in ADDRESS_ANCHORS.items() if "suffix" in kinds)
_UK_WORDS = sorted(k[1:] for k, kinds in ADDRESS_ANCHORS.items() if "word" in kinds)
_VARIANTS = case_variants({ch for key in ADDRESS_ANCHORS for ch in key if ch != " "})
_SUFFIX_GATE = re.compile(
    f"{_DIGIT}\\s\\.?(?:{phrase_trie((k[::-1] for k in _SUFFIX_KEYS), _VARIANTS)})"
)


def _address_word_gate(prepositions: Iterable[str], words: list[str]) -> re.Pattern[str]:
    """A preposition anchor ("Am" then whitespace; exact), or a blank, one of ``words`` with
    an upper-case first character (the rest in any case) and no letter after it (a superset
    of the UK street-word anchor). Every branch starts with a literal capital and looks back
    for the blank behind it, so the engine scans for those capitals in C and skips the other
    branches in C."""
    initials = {w[0] for w in words}
    capitals = {c: [ch for ch in lowercase_preimages(c) if ch.isupper()] for c in initials}
    street_words = "|".join(
        f"{re.escape(cap)}(?<=\\s{re.escape(cap)})"
        + f"(?:{phrase_trie([w[1:] for w in words if w[0] == c], _VARIANTS)})(?!{_SURE_ALPHA})"
        for c in sorted(initials)
        for cap in capitals[c]
    )
    # Flat: the engine's C scan needs every top-level branch to start with a literal.
    preposition = "|".join(re.escape(p.rstrip(" ")) + r"\s" for p in prepositions)
    return re.compile(f"{preposition}|{street_words}")


_ADDRESS_WORD_GATE = _address_word_gate(PREPOSITION_ANCHORS, _UK_WORDS)


class Prefilter:
    """Known names, the recognizers' gates and anchor tests, cheapest first."""

    def __init__(
        self,
        trigger_terms: Iterable[str],
        first_names: Iterable[str],
        person_context: PersonContextRecognizer | None = None,
        special_entities: Iterable[str] = (),
    ) -> None:
        self.first_names = frozenset(first_names)
        self.special_entities = frozenset(special_entities)
        self.person_context = person_context
        # A given name is a whole letter run, so only runs with the first letter, the other
        # letters and the length of some name can be one: the regex returns just those (the
        # boundary is tested behind the first letter, so the engine scans for those letters
        # in C; a longer run or one with another letter fails at the closing look-ahead).
        runs = [n for n in self.first_names if _LETTER_RUN.fullmatch(n)]
        self._name_runs: re.Pattern[str] | None = None
        if runs:
            first = char_class(n[0] for n in runs)
            rest = {ch for n in runs for ch in n[1:]}
            shortest, longest = min(map(len, runs)) - 1, max(map(len, runs)) - 1
            tail = f"{char_class(rest)}{{{shortest},{longest}}}+" if rest else ""
            self._name_runs = re.compile(rf"{first}(?<![^\W\d_]{first}){tail}(?![^\W\d_])")
        terms = {_SPACE_RE.sub(" ", t.lower()) for t in trigger_terms if t}
        self._terms: ahocorasick.Automaton | None = None
        if terms:
            self._terms = ahocorasick.Automaton()
            for key in terms:
                self._terms.add_word(key, key)
            self._terms.make_automaton()
        anchors: dict[str, set[int]] = {}
        if person_context is not None:
            for phrase in cue_phrases():
                anchors.setdefault(phrase, set()).add(CUE)
            for word in NAME_BEFORE_ANCHORS:
                anchors.setdefault(word, set()).add(NAME_BEFORE)
        for key in ADDRESS_ANCHORS:
            anchors.setdefault(key, set()).add(ADDRESS)
        self._automaton = ahocorasick.Automaton()
        for key, kinds in anchors.items():
            self._automaton.add_word(key, (key, frozenset(kinds)))
        self._automaton.make_automaton()

    @staticmethod
    def _is_word_at(text: str, start: int, end: int) -> bool:
        return (start == 0 or not text[start - 1].isalpha()) and (
            end >= len(text) or not text[end].isalpha()
        )

    def _cue_then_name(self, text: str, key: str, pos: int) -> bool:
        """After a cue the recognizer needs blanks (one punctuation mark allowed) and then a
        capital letter (honorifics and names are capitalised) — any letter after a
        self-introduction ("ich heiße lena"). Checked loosely (a superset)."""
        n, start = len(text), pos
        while pos < n and (text[pos].isspace() or text[pos] in ",:!."):
            pos += 1
        if pos >= n or not any(ch.isspace() for ch in text[start:pos]):
            return False
        return text[pos].isupper() or (key in _INTRO_PHRASES and text[pos].isalpha())

    def _address_anchor(self, text: str, key: str, start: int, end: int) -> bool:
        kinds = ADDRESS_ANCHORS[key]
        if "suffix" in kinds:  # "...straße 12", "...str. 5": suffix, optional dot, space, digit
            j = end + 1
            if j < len(text) and text[j] == ".":
                j += 1
            if j + 1 < len(text) and text[j].isspace() and text[j + 1].isdigit():
                return True
        # " Street", " Rd": a capitalised UK street word after a blank
        return (
            "word" in kinds
            and text[start + 1].isupper()
            and self._is_word_at(text, start + 1, end + 1)
        )

    def _anchor_tests(self, text: str, lowered: str) -> tuple[bool, bool]:
        """(a person anchor, an address anchor): the defining form of the anchor tests, one
        Aho-Corasick pass over ``lowered`` (``text.lower()``, same length) with Python per hit.
        ``candidate_entities`` calls it only after a superset regex and the expensive test it
        guards both said yes."""
        if not lowered.isprintable():  # tabs, newlines, NBSP ...
            lowered = _SPACE_RE.sub(" ", lowered)
        need_person = need_address = False
        for end, (key, kinds) in self._automaton.iter(lowered):
            start = end - len(key) + 1
            if CUE in kinds and not need_person and self._is_word_at(text, start, end + 1):
                need_person = self._cue_then_name(text, key, end + 1)
            if NAME_BEFORE in kinds and self._is_word_at(text, start, end + 1):
                need_person = True
            if ADDRESS in kinds and not need_address:
                need_address = self._address_anchor(text, key, start, end)
        return need_person, need_address

    def candidate_entities(
        self, text: str, known_names: Iterable[str] = ()
    ) -> frozenset[str] | None:
        """Entity types that some recognizer could report in ``text``: an empty set means
        none (the note skips Presidio), None means any (run every recognizer). Presidio then
        runs only the recognizers of these types."""
        if not text:
            return frozenset()
        lowered = text.lower()
        if len(lowered) != len(text):
            return None  # a case mapping changed offsets; let the analyzer decide
        found: list[str] = []
        # A known-name part has no whitespace, so finding it in ``lowered`` is finding it in
        # the whitespace-normalised copy. The names are joined by a blank first (one lower
        # and split in C; a blank is neither cased nor case-ignorable, so each name lowercases
        # as it would alone).
        person = False
        if known_names:
            for part in " ".join(map(str, known_names)).lower().split():
                if len(part) >= 2 and part in lowered:
                    person = True
                    break
        if "@" in text:
            found.append("EMAIL_ADDRESS")
        if dob_hint(text, lowered):
            found.append("DATE_OF_BIRTH")
        if self._terms is not None:
            spaced = lowered if lowered.isprintable() else _SPACE_RE.sub(" ", lowered)
            # The matcher reads look-alike digits as letters ("Schw4rze") and joins letter-spaced
            # words ("b l a c k"): so does this test.
            if next(self._terms.iter(unleet(spaced)), None) is not None or any(
                next(self._terms.iter(word), None) is not None for _, word in spaced_runs(spaced)
            ):
                found.extend(self.special_entities)
        # ASCII digits counted in C: UTF-8 keeps them as single bytes that no other character
        # contains.
        encoded = text.encode("utf-8", "surrogatepass")
        digits = len(encoded) - len(encoded.translate(None, b"0123456789"))
        if digits:
            if digits >= 6:
                if _IBAN_START.search(text):
                    found.append("IBAN_CODE")
                if phone_candidates(text):
                    found.append("PHONE_NUMBER")
            # An address anchor is a preposition ("Am Markt 3", exact) or a street word
            # (``_anchor_tests``, confirmed once the gates and the recognizer's gate said yes).
            # Or the layout of a letter's address block (street line, postcode line), whose
            # gate ``ADDRESS_BLOCK_GATE`` is part of ``address_hint``.
            if (
                (_ADDRESS_WORD_GATE.search(text) or _SUFFIX_GATE.search(text[::-1]))
                and address_hint(text)
                and (_PREPOSITION_RE.search(text) or self._anchor_tests(text, lowered)[1])
            ) or ADDRESS_BLOCK_GATE.search(text):
                found.append("ADDRESS")
        if not person and self._name_runs is not None:
            person = not self.first_names.isdisjoint(self._name_runs.findall(text))
        if not person and self.person_context is not None:
            # Context names: the cue/signature anchor test and find_spans, the exact anchor
            # test last (it matters only when find_spans found something).
            person = (
                self.person_context.could_find_spans(text, lowered)
                and bool(self.person_context.find_spans(text))
                and (
                    self._anchor_tests(text, lowered)[0]
                    or signature_match(text) is not None
                    or letter_hint(text)
                )
            )
        if person:
            found.append("PERSON")
        return frozenset(found) if found else _NOTHING

    def is_candidate(self, text: str, known_names: Iterable[str] = ()) -> bool:
        """True when any recognizer could possibly report something in ``text``."""
        entities = self.candidate_entities(text, known_names)
        return entities is None or bool(entities)
