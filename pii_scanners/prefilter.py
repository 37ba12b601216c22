"""Cheap candidate test that decides which notes go to Presidio at all.

Why: Presidio costs about a millisecond per note (spaCy tokenizing, libphonenumber, every
recognizer), while most CRM notes contain nothing sensitive. DESIGN.md ("Presidio's cost")
measured ~13,000 notes/s per process with a cheap prefilter in front. Here: one Aho-Corasick
pass over the lowercased note finds every literal anchor at once (special-category trigger
terms, person cue words, street words, birth cues, phone words); a set lookup finds given
names; only notes with an anchor pay for a closer (still exact) test.

Safety: the prefilter must never drop a note in which the full analyzer would find something.
Every test below is a *necessary condition taken from the recognizer it protects*:
- special categories: the lexicon contract — a finding needs one of ``trigger_terms(lang)`` as a
  substring of the lowercased text;
- PERSON (gazetteer): a capitalised letter run that is in the given-name list (a superset of the
  recognizer's tokens); PERSON (context): ``PersonContextRecognizer.find_spans`` itself, run
  when a cue word occurs or for the closing signature; PERSON (known names): a part of a known
  name as a substring of the lowercased text;
- EMAIL needs "@"; IBAN two capitals + two digits; PHONE six digits and the phone recognizer's
  own gate ``phone_candidates``; ADDRESS an address anchor and the address recognizer's gate
  ``address_hint``; DATE_OF_BIRTH the date-of-birth recognizer's gate ``dob_hint``.
Each test names the entity types it guards, so a candidate note is analysed only by the
recognizers that could fire (a note with a trigger term but no digits never meets
libphonenumber). tests/pii_scanners/test_prefilter.py compares prefilter-on and -off findings
on the dev notes, our own cases, the special-category test phrases and generated notes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

import ahocorasick

from pii_scanners.recognizers.common_address_recognizer import (
    ADDRESS_ANCHORS,
    PREPOSITION_ANCHORS,
    address_hint,
)
from pii_scanners.recognizers.common_date_of_birth_recognizer import dob_hint
from pii_scanners.recognizers.common_person_context_recognizer import (
    NAME_BEFORE_ANCHORS,
    SELF_INTRO,
    PersonContextRecognizer,
    cue_phrases,
    signature_match,
)
from pii_scanners.recognizers.common_phone_recognizer import phone_candidates

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_IBAN_START = re.compile(r"[A-Z]{2}\d{2}")
# Every Unicode whitespace character becomes a plain space, so that anchors containing a space
# also match where the recognizers' regexes accept any whitespace (\s). Lengths do not change.
_SPACES = {i: " " for i in range(sys.maxunicode + 1) if chr(i).isspace()}
# The same mapping as one C-level substitution (``\s`` is ``str.isspace`` for str patterns);
# ``str.translate`` with a dict looks up every character in Python objects.
_SPACE_RE = re.compile(r"\s")
# Any preposition anchor as a substring, in one pass.
_PREPOSITION_RE = re.compile("|".join(map(re.escape, PREPOSITION_ANCHORS)))

TERM, CUE, ADDRESS, NAME_BEFORE = 0, 1, 2, 3


class Prefilter:
    """One Aho-Corasick pass + given-name set lookup + the recognizers' own gates."""

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
        anchors: dict[str, set[int]] = {}
        for term in trigger_terms:
            if term:
                anchors.setdefault(term.lower().translate(_SPACES), set()).add(TERM)
        self._intro_phrases = frozenset(p.lower() for p in SELF_INTRO)
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
        return text[pos].isupper() or (key in self._intro_phrases and text[pos].isalpha())

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
        if not lowered.isprintable():  # tabs, newlines, NBSP ...
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
        if dob_hint(text):
            found.add("DATE_OF_BIRTH")
        special = need_person = need_address = False
        for end, (key, kinds) in self._automaton.iter(lowered):
            if TERM in kinds:
                special = True
            start = end - len(key) + 1
            if CUE in kinds and not need_person and self._is_word_at(text, start, end + 1):
                need_person = self._cue_then_name(text, key, end + 1)
            if NAME_BEFORE in kinds and self._is_word_at(text, start, end + 1):
                need_person = True
            if ADDRESS in kinds and not need_address:
                need_address = self._address_anchor(text, key, start, end)
        if special:
            found |= self.special_entities
        digits = sum(map(text.count, "0123456789"))
        if digits >= 6:
            if _IBAN_START.search(text):
                found.add("IBAN_CODE")
            if phone_candidates(text):
                found.add("PHONE_NUMBER")
        if not need_address and digits:  # "Am Markt 3", "An der Kirche 5"
            spaced = text if text.isprintable() else _SPACE_RE.sub(" ", text)
            need_address = _PREPOSITION_RE.search(spaced) is not None
        if need_address and digits and address_hint(text):
            found.add("ADDRESS")
        if "PERSON" not in found and (
            not self.first_names.isdisjoint(_LETTER_RUN.findall(text))
            or (
                self.person_context is not None
                and (need_person or signature_match(text) is not None)
                and self.person_context.find_spans(text)
            )
        ):
            found.add("PERSON")
        return frozenset(found)

    def is_candidate(self, text: str, known_names: Iterable[str] = ()) -> bool:
        """True when any recognizer could possibly report something in ``text``."""
        entities = self.candidate_entities(text, known_names)
        return entities is None or bool(entities)
