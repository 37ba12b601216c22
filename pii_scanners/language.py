"""Offline language detection for ``lang=auto``: German or English, by stop words and umlauts.

Why not a library: no language-ID model may be downloaded, and the choice is binary (de/en);
function words settle it in a sentence. Short or mixed notes get a small margin, and the
scanner then runs the recognizers of both languages (DESIGN: an English note in a German
CRM must still be scanned correctly).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import regex


def _tables() -> tuple[frozenset[str], str]:
    r"""Enumerated once per process over every code point (surrogates excluded), so that the
    two regex engines' classes are compared exactly: the code points on which the ``regex``
    module's ``\p{L}`` and the standard library's ``[^\W\d_]`` disagree, and every
    character that ``[äöüß]`` matches ignoring case."""
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, sys.maxunicode + 1)))
    letters = frozenset(regex.findall(r"\p{L}", every))
    different = letters.symmetric_difference(re.findall(r"[^\W\d_]", every))
    return different, "".join(regex.findall(r"[äöüß]", every, regex.IGNORECASE))


# The word pattern, ``\p{L}+(?:['’]\p{L}+)?``, runs on every note. The standard library's
# ``[^\W\d_]`` is the same letter class up to the code points in ``_DIFFERENT`` (superscript
# and other non-decimal numerals; letters newer than the standard library's Unicode tables),
# and about a third faster: it is used for notes without any of them. ``_GERMAN_CHARS`` are
# counted with str.count instead of a regex pass.
_DIFFERENT, _GERMAN_CHARS = _tables()
_WORD_REGEX = regex.compile(r"\p{L}+(?:['’]\p{L}+)?")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

GERMAN = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "und",
        "oder",
        "aber",
        "nicht",
        "kein",
        "keine",
        "ist",
        "sind",
        "war",
        "waren",
        "bin",
        "bist",
        "hat",
        "haben",
        "hatte",
        "wird",
        "werden",
        "wurde",
        "mit",
        "für",
        "von",
        "zu",
        "zum",
        "zur",
        "auf",
        "aus",
        "bei",
        "nach",
        "über",
        "unter",
        "vor",
        "im",
        "in",
        "am",
        "an",
        "ich",
        "du",
        "er",
        "sie",
        "es",
        "wir",
        "ihr",
        "mein",
        "meine",
        "dein",
        "deine",
        "sein",
        "seine",
        "bitte",
        "danke",
        "auch",
        "noch",
        "schon",
        "nur",
        "sehr",
        "wie",
        "was",
        "wenn",
        "weil",
        "dass",
        "ob",
        "hallo",
        "liebe",
        "lieber",
        "liebes",
        "wünsche",
        "möchte",
        "gerne",
        "kann",
        "soll",
        "muss",
        "uns",
        "euch",
        "mir",
        "mich",
        "dir",
        "dich",
        "ihm",
        "ihn",
        "ihnen",
        "sich",
        "hier",
        "jetzt",
        "heute",
        "morgen",
        "immer",
        "wieder",
        "kd",
        "kunde",
        "kundin",
        "herr",
        "frau",
        "gruß",
        "grüße",
        "weihnachtsmann",
    ]
)
ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "not",
        "no",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "with",
        "for",
        "of",
        "to",
        "on",
        "at",
        "from",
        "by",
        "in",
        "into",
        "about",
        "my",
        "your",
        "his",
        "her",
        "our",
        "their",
        "its",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "me",
        "him",
        "us",
        "them",
        "this",
        "that",
        "these",
        "those",
        "please",
        "thanks",
        "thank",
        "dear",
        "hi",
        "hello",
        "what",
        "when",
        "if",
        "because",
        "so",
        "very",
        "just",
        "also",
        "only",
        "some",
        "any",
        "would",
        "like",
        "want",
        "wants",
        "customer",
        "called",
        "said",
        "asked",
        "mum",
        "dad",
        "santa",
        "christmas",
        "wish",
        "list",
        "her's",
        "isn't",
        "don't",
        "can't",
        "i'm",
        "it's",
        "she's",
        "he's",
    ]
)


@dataclass(frozen=True)
class Detection:
    """The detected language, and how sure: margin 1.0 = only one language's cues."""

    lang: str
    margin: float


def detect_language(text: str, default: str = "de") -> Detection:
    """Return the more likely of de/en with a margin in [0, 1]; ``default`` without cues."""
    lowered = text.lower()
    fast = lowered.isascii() or _DIFFERENT.isdisjoint(lowered)
    words = (_WORD if fast else _WORD_REGEX).findall(lowered)
    en = float(sum(map(ENGLISH.__contains__, words)))
    umlauts = sum(map(text.count, _GERMAN_CHARS))
    de = sum(map(GERMAN.__contains__, words)) + 0.5 * min(umlauts, 6)
    total = de + en
    if total == 0:
        return Detection(default, 0.0)
    lang = "de" if de > en else "en" if en > de else default
    # Fewer than ~3 cues is weak evidence whatever the ratio.
    margin = abs(de - en) / total * min(1.0, total / 3)
    return Detection(lang, round(margin, 3))
