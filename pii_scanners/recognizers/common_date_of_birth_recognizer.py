"""Dates of birth: a date that the text states as a birth date or birthday (German and English).

Legal relevance: a date of birth is personal data (Art. 4(1) GDPR) and, with a name, a strong
identifier; for wish-list senders it also reveals that the subject is a child (Art. 8 GDPR:
consent of a child under 16 needs the parent), so it must not survive in redacted text.

Accuracy note: only dates next to a birth cue count (the labelling conventions exclude delivery
and wedding dates): a cue before the date within 40 characters of the same sentence ("geb.",
"geboren am", "Geburtsdatum", "Geburtstag am", "DOB:", "date of birth", "born on",
"birthday on", "turning 7 on", "*"), or after it ("... hat sie Geburtstag", "... wird er 7").
The span is the date alone, cue excluded. Date forms: 30.01.2013, 30.1.13, 30/01/2013,
2013-01-30, "3. März (2013)", "3 May 1990", "May 3rd, 1990". Missed: a birthday stated in a
separate sentence from its date, dates written out in words ("dritter März"), and years alone
("Jahrgang 1970") which are not dates.
"""

from __future__ import annotations

import re as _stdlib_re

import ahocorasick
from presidio_analyzer import Pattern

from pii_scanners.recognizers._group_pattern import GroupPatternRecognizer

_DE_MONTH = (
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez)\.?"
)
_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NO = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19\d\d|20\d\d|\d\d)"
_DATE = (
    r"(?:"
    rf"{_DAY}\.\s?{_MONTH_NO}\.(?:\s?{_YEAR})?(?!\d)"  # 30.01.2013 / 30.1. / 30. 1. 13
    rf"|{_DAY}/{_MONTH_NO}/{_YEAR}(?!\d)"  # 30/01/2013 (UK order)
    rf"|(?:19|20)\d\d-{_MONTH_NO}-{_DAY}(?!\d)"  # ISO
    rf"|{_DAY}\.\s?{_DE_MONTH}(?:\s(?:19|20)\d\d)?"  # 3. März 2013
    rf"|{_DAY}(?:st|nd|rd|th)?\s(?:of\s)?{_EN_MONTH}(?:,?\s(?:19|20)\d\d)?"  # 3 May 1990
    rf"|{_EN_MONTH}\s{_DAY}(?:st|nd|rd|th)?(?:,?\s(?:19|20)\d\d)?"  # May 3rd, 1990
    r")"
)
_CUE_BEFORE = (
    r"(?i:geb\.|geboren|geburtsdatum|geb\.-?datum|geburtstag|geburtstags|wiegenfest|"
    r"dob|d\.o\.b\.|date\sof\sbirth|birth\sdate|birthdate|born|birthday|"
    r"wird\s\d{1,3}\s(?:jahre\s)?am|turn(?:s|ing)?\s\d{1,3}\s(?:on|am)|"
    r"feiert\s(?:seinen|ihren)\s\d{1,3}\.)"
)
# Between cue and date: same sentence, no delivery/order wording that would make it a
# different date ("Geburtstag, Lieferung bis 12.12.").
_GAP = (
    r"(?:(?!(?i:liefer|versand|zustell|deliver|ship|bis\b|until|by\b|order|bestell|termin))"
    r"[^.!?\n;]|\.(?=\s?\d)|(?<=geb)\.){0,40}?"
)
_CUE_AFTER = (
    r"(?i:geburtstag|birthday|geboren|born|jahre\salt|years\sold|"
    r"wird\s(?:er|sie)\s\d{1,3}|turns\s\d{1,3})"
)

PATTERNS = [
    Pattern("birth_cue_then_date", rf"{_CUE_BEFORE}{_GAP}(?<![\d.])(?P<span>{_DATE})", 0.85),
    Pattern("star_then_date", rf"(?:^|[\s(])\*\s?(?P<span>{_DATE})", 0.6),
    Pattern(
        "date_then_birth_cue",
        rf"(?<![\d.])(?P<span>{_DATE})(?:(?!(?i:liefer|deliver))[^.!?\n;]){{0,25}}?{_CUE_AFTER}",
        0.7,
    ),
]
# Every pattern needs a birth cue (or the "*" birth mark). Each cue above contains one of these
# lowercase literals or matches _COUNTED_CUE, so this test is a necessary condition: it is the
# recognizer's gate and the prefilter's date-of-birth test.
_CUE_LITERALS = (
    "geb.",
    "geboren",
    "geburt",
    "wiegenfest",
    "dob",
    "d.o.b",
    "birth",
    "born",
    "jahre alt",
    "years old",
)
_COUNTED_CUE = _stdlib_re.compile(
    r"(?i:wird\s(?:er\s|sie\s)?\d|turn(?:s|ing)?\s\d|feiert\s(?:seinen|ihren)\s\d)|\*\s?\d"
)
# The counted cues need one of these words (or "*"). The literals and these words in one
# Aho-Corasick pass over the lowercased note (this runs on every note; one C-level pass is
# cheaper than the regex alternation plus four substring tests): True for a literal.
_COUNTED_WORDS = ("wird", "turn", "feiert", "*")
_CUE_WORDS = ahocorasick.Automaton()
for _word in _CUE_LITERALS:
    _CUE_WORDS.add_word(_word, True)
for _word in _COUNTED_WORDS:
    _CUE_WORDS.add_word(_word, False)
_CUE_WORDS.make_automaton()


def dob_hint(text: str, lowered: str | None = None) -> bool:
    """True when a birth cue is present (a superset of the patterns' cues): a literal cue in
    the lowercased note, or a counted one ("wird 7", "turns 7", "* 3.5."). ``lowered`` is
    ``text.lower()`` when the caller has it already (the prefilter), to save a copy."""
    if lowered is None:
        lowered = text.lower()
    counted = False
    for _end, literal in _CUE_WORDS.iter(lowered):
        if literal:
            return True
        counted = True
    # "*" is in ``lowered`` exactly when it is in ``text`` (no other character lowercases to
    # it), so ``counted`` is the test on "wird", "turn", "feiert" and "*" it always was.
    return counted and _COUNTED_CUE.search(text) is not None


class DateOfBirthRecognizer(GroupPatternRecognizer):
    """DATE_OF_BIRTH: a date with a birth cue in the same sentence; span = the date only."""

    def __init__(self, supported_language: str) -> None:
        super().__init__(
            supported_entity="DATE_OF_BIRTH",
            patterns=[Pattern(p.name, p.regex, p.score) for p in PATTERNS],
            supported_language=supported_language,
            name="DateOfBirthRecognizer",
            gate=dob_hint,
        )
