"""Phone and fax numbers: Presidio's PhoneRecognizer (Google libphonenumber) for DACH and UK.

Legal relevance: a phone number is personal data (Art. 4(1) GDPR) and a direct marketing
channel that needs its own consent (§7 UWG); it must not survive in redacted free text.

Accuracy note: libphonenumber validates numbering plans for the regions in scanner.yaml
(default DE, AT, CH, GB; each region is one more pass, DESIGN.md measured PhoneRecognizer at a
quarter of Presidio's cost with 8 regions). Numbers of other countries are only found in
international form (+33 ...). On top of Presidio we require what a dialable number in a note
looks like: at least six digits, and either a leading "+", "00", "0", "(0" or a phone word
("Tel.", "Handy", "Fax", "phone", "call") just before it. libphonenumber alone accepts digit
runs inside order numbers (a 4-6 digit German local number is "valid"), which in CRM notes are
order, article or tracking numbers. Right after a phone word we also accept numbers that
libphonenumber only calls "possible" (unallocated or fictional ranges such as 07700 900xxx),
unless they are shaped like a date. Missed: local numbers without area code and without a phone
word, unallocated numbers without a phone word, numbers split by unusual separators or words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumberMatch
from phonenumbers import phonenumbermatcher as _libmatcher
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

MIN_DIGITS = 6
CONTEXT = [
    "phone", "telephone", "tel", "mobile", "cell", "call", "fax", "number",
    "telefon", "telefonnummer", "handy", "handynummer", "mobil", "rückruf", "anrufen",
    "erreichbar", "nummer", "festnetz",
]  # fmt: skip
# A dialable number: six or more digits (separators allowed) that start with "+", "00", "0" or
# "(0", or that follow a phone word ("Tel.", "Handy", "phone", "call") within 15 characters
# ("Tel. 4412 3300"). ``phone_candidates`` is the gate of this recognizer and the prefilter's
# phone test (prefilter.py), so a note the prefilter drops can never contain a phone finding.
_DIGITS6 = re.compile(r"\d(?:[\s./()\-–]{0,3}\d){5,}")
_PHONE_WORD_BEFORE = re.compile(
    r"(?<![^\W\d_])(?i:tel|telefon\w*|fon|phone|mobil\w*|handy\w*|fax\w*|call\w*|ring|rang|"
    r"rufnummer|ruf|anruf\w*|rückruf\w*|erreichbar|cell|whatsapp|durchwahl|ext|festnetz\w*)"
    r"\b[^\d\n]{0,15}$"
)
# Every phone word above contains one of these stems (see _every_number_after_a_phone_word_taken).
_PHONE_WORD_STEM = re.compile(
    r"(?i:tel|fon|phone|mobil|handy|fax|call|ring|rang|ruf|erreichbar|cell|whatsapp|"
    r"durchwahl|ext|festnetz)"
)
_WORD_RUN = re.compile(r"\w*")
_DIGIT = re.compile(r"\d")

_DATE_SHAPE = re.compile(r"\d{1,2}[./]\d{1,2}[./](?:\d{2}|\d{4})")


def phone_candidates(text: str) -> list[tuple[int, int]]:
    """Spans of digit runs that could be a dialable phone number (see above)."""
    spans = []
    for m in _DIGITS6.finditer(text):
        start = m.start()
        if (
            text[start] == "0"
            or text[max(0, start - 2) : start].endswith(("+", "(", "+ ", "( "))
            or _PHONE_WORD_BEFORE.search(text, max(0, start - 40), start)
        ):
            spans.append((max(0, start - 2), m.end()))
    return spans


#: libphonenumber's candidate expression (``PhoneNumberMatcher`` searches the text with it) and
#: where one of its matches can begin: a lead character ("(", "[", "+") or a digit.
_LIB_CANDIDATE = _libmatcher._PATTERN
_LIB_START = re.compile(r"[(\[（［+＋]|\d", re.UNICODE)


def scan_window(text: str, candidates: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """(start index, stop) for libphonenumber's scan of ``text``: the matches that can overlap
    a candidate span are exactly those the full scan finds that start before ``stop``, and the
    scan finds them when it starts at ``start index`` instead of 0.

    Why: libphonenumber parses every digit run of the note once per region (order numbers,
    prices, dates: most of the phone recognizer's cost on dense notes), and every match that
    overlaps no candidate is thrown away (``_keep``). Why this is exact: the matcher walks the
    text left to right; each step searches ``_LIB_CANDIDATE`` from its index, examines that
    match (or a part of it), and moves its index to a point inside or at the end of that
    match. The start index X is the last position at or before the first candidate at which
    no match of ``_LIB_CANDIDATE`` that begins before X ends after X; then every step before
    X examines text before X only and leaves the index at or before X, and the first search
    from an index at or before X that finds a match at or after X finds the same match as a
    search from X (the expression has no look-behind). So the walk from X is the tail of the
    walk from 0, and matches before X overlap no candidate. Matches come in order of their
    start, and one that starts at or after the last candidate's end overlaps none, so the
    caller stops there (``stop``).
    """
    first = min(c[0] for c in candidates)
    stop = max(c[1] for c in candidates)
    cut = reach = 0
    for lead in _LIB_START.finditer(text, 0, first):
        q = lead.start()
        if reach <= q:
            cut = q  # nothing that begins before q reaches beyond q
        m = _LIB_CANDIDATE.match(text, q)
        if m is not None and m.end() > reach:
            reach = m.end()
    if reach <= first:
        cut = first
    return cut, stop


class _WindowMatcher(phonenumbers.PhoneNumberMatcher):
    """``PhoneNumberMatcher`` whose walk starts at the window's start and ends at the first
    candidate that starts at or after its stop (``scan_window``). ``_find`` is the library's
    (phonenumbers 9.0.x) with that one early return; test_phone_window.py fails when the
    library's method changes."""

    def __init__(self, text: str, region: str, leniency: int, window: tuple[int, int]) -> None:
        super().__init__(text, region, leniency=leniency)
        self._search_index = window[0]
        self._stop = window[1]

    def _find(self, index: int) -> PhoneNumberMatch | None:
        match = _LIB_CANDIDATE.search(self.text, index)
        while self._max_tries > 0 and match is not None:
            start = match.start()
            if start >= self._stop:  # the window's end: every later match overlaps no candidate
                return None
            candidate = self.text[start : match.end()]
            candidate = self._trim_after_first_match(
                _libmatcher._SECOND_NUMBER_START_PATTERN, candidate
            )
            candidate_len = len(candidate)
            if candidate_len >= self._min_candidate_length:
                match = self._extract_match(candidate, start)
                if match is not None:
                    return match
                self._max_tries -= 1
            index = start + candidate_len
            match = _LIB_CANDIDATE.search(self.text, index)
        return None


def _windowed_matches(
    text: str, region: str, leniency: int, window: tuple[int, int]
) -> Iterator[PhoneNumberMatch]:
    """``PhoneNumberMatcher(text, region, leniency)``'s matches that start before the
    window's stop, the walk started at the window's start (``scan_window``)."""
    for match in _WindowMatcher(text, region, leniency, window):
        if match.start >= window[1]:  # an inner match of a candidate that began before stop
            return
        yield match


def _every_number_after_a_phone_word_taken(text: str, taken: Sequence[RecognizerResult]) -> bool:
    r"""True when no "possible" number can be accepted after a phone word, so the four extra
    libphonenumber passes can be skipped without changing any result.

    Why this is exact: a possible number is accepted only when ``_PHONE_WORD_BEFORE`` finds a
    phone word W ending at e with only non-digits between e and the number, so the first digit
    at or after e lies inside the number; and only when the number overlaps no valid number
    already taken. W starts after a non-letter and consists of word characters, so the
    non-overlapping stem matches below find a stem inside every W, and e lies between the
    stem's end and the end of its word run (e is inside the run only when the number starts
    right there, where ``\b`` holds at the search's end position). If every digit in that
    rest of the run, and the first digit after the run, lies inside a taken number, every
    candidate would overlap a taken number and be rejected.
    """
    for stem in _PHONE_WORD_STEM.finditer(text):
        run_end = _WORD_RUN.match(text, stem.end()).end()
        digits = [m.start() for m in _DIGIT.finditer(text, stem.end(), run_end)]
        next_digit = _DIGIT.search(text, run_end)
        if next_digit:
            digits.append(next_digit.start())
        for position in digits:
            if not any(r.start <= position < r.end for r in taken):
                return False
    return True


class DachUkPhoneRecognizer(PhoneRecognizer):
    """PhoneRecognizer restricted to the configured regions, German context words, and the
    shape rule above."""

    def __init__(self, supported_language: str, regions: Sequence[str], leniency: int = 1) -> None:
        super().__init__(
            context=CONTEXT,
            supported_language=supported_language,
            supported_regions=tuple(regions),
            leniency=leniency,
            name="DachUkPhoneRecognizer",
        )

    def _keep(self, text: str, start: int, end: int, candidates: list[tuple[int, int]]) -> bool:
        return (
            sum(ch.isdigit() for ch in text[start:end]) >= MIN_DIGITS
            and not _DATE_SHAPE.fullmatch(text[start:end])
            and any(c_start < end and start < c_end for c_start, c_end in candidates)
            and not (start > 0 and text[start - 1].isdigit())
            and not (end < len(text) and text[end].isdigit())
        )

    def _possible_after_phone_word(
        self, text: str, candidates: list[tuple[int, int]], taken: list[RecognizerResult]
    ) -> list[RecognizerResult]:
        """Numbers that libphonenumber calls *possible* but not *valid* (unallocated or
        fictional ranges such as 07700 900xxx), accepted only right after a phone word and
        never when shaped like a date."""
        if _every_number_after_a_phone_word_taken(text, taken):
            return []  # also when the note has no phone word at all
        return self._possible_numbers(text, candidates, taken)

    def _possible_numbers(
        self, text: str, candidates: list[tuple[int, int]], taken: list[RecognizerResult]
    ) -> list[RecognizerResult]:
        """The four "possible number" passes themselves (the equivalence test calls them
        directly)."""
        found: list[RecognizerResult] = []
        window = scan_window(text, candidates)
        for region in self.supported_regions:
            for match in _windowed_matches(text, region, Leniency.POSSIBLE, window):
                start, end = match.start, match.end
                if (
                    any(r.start < end and start < r.end for r in taken + found)
                    or not _PHONE_WORD_BEFORE.search(text, max(0, start - 40), start)
                    or not self._keep(text, start, end, candidates)
                ):
                    continue
                found.append(self._get_recognizer_result(match, text, region, None))
        return found

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        candidates = phone_candidates(text)
        if not candidates:
            return []  # libphonenumber is the most expensive step: skip it when it cannot hit
        results = [
            r
            for r in self._presidio_analyze(text, candidates, nlp_artifacts)
            if self._keep(text, r.start, r.end, candidates)
        ]
        return results + self._possible_after_phone_word(text, candidates, results)

    def _presidio_analyze(
        self,
        text: str,
        candidates: list[tuple[int, int]],
        nlp_artifacts: NlpArtifacts | None,
    ) -> list[RecognizerResult]:
        """``PhoneRecognizer.analyze`` (presidio-analyzer 2.2) restricted to the matches that
        can overlap a candidate (``scan_window``); the others never pass ``_keep``, and none
        of them can remove one that does in ``remove_duplicates`` (a span that contains one
        overlapping a candidate overlaps it too). Line for line Presidio's loop otherwise,
        including its reuse of ``region`` for the explanation text."""
        window = scan_window(text, candidates)
        results = []
        for region in self.supported_regions:
            for match in _windowed_matches(text, region, self.leniency, window):
                try:
                    parsed_number = phonenumbers.parse(text[match.start : match.end])
                    region = phonenumbers.region_code_for_number(parsed_number)
                    results += [self._get_recognizer_result(match, text, region, nlp_artifacts)]
                except NumberParseException:
                    results += [self._get_recognizer_result(match, text, region, nlp_artifacts)]
        return EntityRecognizer.remove_duplicates(results)
