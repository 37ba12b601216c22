"""Names the CRM already holds for the record (``known_names`` of a scan request).

Legal relevance: the strongest evidence for PERSON (Art. 4(1) GDPR): the CRM knows that this
string is the name of the data subject (or of the contact who wrote the note), so it is
redacted wherever it appears, even lowercase in a child's note or when the name is also a word.

How: a Presidio deny-list PatternRecognizer, built per request and passed to
``AnalyzerEngine.analyze(ad_hoc_recognizers=...)``. The list holds each full name and each of
its parts (given name, surname), longest first, matched case-insensitively on word boundaries.

Accuracy note: exact strings only: inflected forms ("Pauls"), nicknames and typos are missed;
a surname that is also a word ("Krebs", "Fuchs") is reported as PERSON wherever the word
appears (intended: the CRM says it is this person's name). Honorifics and one-letter parts are
dropped from the list.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex as re
from presidio_analyzer import PatternRecognizer

_DROP = frozenset(
    [
        "herr",
        "frau",
        "hr.",
        "fr.",
        "dr.",
        "prof.",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "von",
        "van",
        "de",
        "der",
        "den",
        "zu",
        "und",
        "and",
    ]
)


def name_variants(known_names: Iterable[str]) -> list[str]:
    """Full names and their parts, longest first (the regex alternation takes the first hit)."""
    out: set[str] = set()
    for raw in known_names:
        name = " ".join(str(raw).split())
        if len(name) < 2:
            continue
        out.add(name)
        for part in re.split(r"[\s,]+", name):
            if len(part) >= 2 and part.lower() not in _DROP:
                out.add(part)
    return sorted(out, key=lambda s: (-len(s), s))


def variants_in_text(variants: Iterable[str], text: str) -> list[str]:
    """The variants that can match in ``text`` (order kept).

    The deny-list regex is an ordered alternation matched case-insensitively; an alternative
    that occurs nowhere in the text cannot match at any position, so dropping it changes no
    match. ``casefold`` is a necessary condition for a case-insensitive match (characters
    equal under simple case folding have equal full case foldings), so nothing that could
    match is dropped. Why: compiling the alternation (the ``regex`` module's parser is pure
    Python) costs about a millisecond per note; most notes mention one name or none, and the
    short alternations repeat across records, so they can be cached.
    """
    folded = text.casefold()
    return [v for v in variants if v.casefold() in folded]


def known_names_recognizer(
    known_names: Iterable[str], supported_language: str, variants: list[str] | None = None
) -> PatternRecognizer | None:
    """Ad-hoc PERSON recognizer for one note, or None when there is nothing to look for.
    ``variants`` (from ``name_variants``, possibly narrowed by ``variants_in_text``) replaces
    the list derived from ``known_names``."""
    if variants is None:
        variants = name_variants(known_names)
    if not variants:
        return None
    return PatternRecognizer(
        supported_entity="PERSON",
        deny_list=variants,
        deny_list_score=0.9,
        supported_language=supported_language,
        name="KnownNamesRecognizer",
    )
