"""Offline language detection for ``lang=auto``: German or English, by stop words and umlauts.

Why not a library: no language-ID model may be downloaded, and the choice is binary (de/en);
function words settle it in a sentence. Short or mixed notes get a small margin, and the
scanner then runs the recognizers of both languages (DESIGN: an English note in a German
CRM must still be scanned correctly).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

_WORD = re.compile(r"\p{L}+(?:['’]\p{L}+)?")

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
_GERMAN_CHARS = re.compile(r"[äöüß]", re.IGNORECASE)


@dataclass(frozen=True)
class Detection:
    """The detected language, and how sure: margin 1.0 = only one language's cues."""

    lang: str
    margin: float


def detect_language(text: str, default: str = "de") -> Detection:
    """Return the more likely of de/en with a margin in [0, 1]; ``default`` without cues."""
    de = en = 0.0
    for word in _WORD.findall(text.lower()):
        if word in GERMAN:
            de += 1
        if word in ENGLISH:
            en += 1
    de += 0.5 * min(len(_GERMAN_CHARS.findall(text)), 6)
    total = de + en
    if total == 0:
        return Detection(default, 0.0)
    lang = "de" if de > en else "en" if en > de else default
    # Fewer than ~3 cues is weak evidence whatever the ratio.
    margin = abs(de - en) / total * min(1.0, total / 3)
    return Detection(lang, round(margin, 3))
