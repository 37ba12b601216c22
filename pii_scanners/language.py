r"""Offline language detection for ``lang=auto``: German or English, by stop words and umlauts.

Why not a library: no language-ID model may be downloaded, and the choice is binary (de/en);
function words settle it in a sentence. Short or mixed notes get a small margin, and the
scanner then runs the recognizers of both languages (DESIGN: an English note in a German
CRM must still be scanned correctly).

The result is defined by the plain algorithm (``_plain_counts``): lowercase the note, find its
words with ``\p{L}+(?:['’]\p{L}+)?``, count those in ``GERMAN`` and ``ENGLISH``, and add half
a point for German per umlaut or ß (at most six). Detection runs once per note of an export
(about 100k notes), so most notes take a faster route to the very same counts
(``_latin1_counts``, which with ``_decide``'s cache makes detection three to four times
faster); tests/pii_scanners/test_language_fast_path.py holds the two to each other.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import regex


def _class_ranges(chars: Iterable[str]) -> str:
    r"""The inside of a regex character class matching exactly ``chars`` (ascending), with runs
    of consecutive code points as ranges and every character escaped as ``\UXXXXXXXX``, so
    that a class enumerated from the Unicode tables compiles small and stays exact."""
    runs: list[list[int]] = []
    for code in map(ord, chars):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(
        f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}"
        for first, last in runs
    )


def _tables() -> tuple[frozenset[str], str, str]:
    r"""Enumerated once per process over every code point (surrogates excluded), so that the
    two regex engines' classes are compared exactly: the code points on which the ``regex``
    module's ``\p{L}`` and the standard library's ``[^\W\d_]`` disagree; every character
    that ``[äöüß]`` matches ignoring case; and, as the inside of a character class, the code
    points from U+0100 to U+FFFF that are not ``\p{L}`` letters, except ’ (an apostrophe)."""
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, sys.maxunicode + 1)))
    letters = frozenset(regex.findall(r"\p{L}", every))
    different = letters.symmetric_difference(re.findall(r"[^\W\d_]", every))
    german = "".join(regex.findall(r"[äöüß]", every, regex.IGNORECASE))
    bmp = (chr(code) for code in range(0x100, 0x10000) if not 0xD800 <= code < 0xE000)
    non_letters = _class_ranges(c for c in bmp if c not in letters and c != "’")
    return different, german, non_letters


# The word pattern, ``\p{L}+(?:['’]\p{L}+)?``. The standard library's ``[^\W\d_]`` is the same
# letter class up to the code points in ``_DIFFERENT`` (superscript and other non-decimal
# numerals; letters newer than the standard library's Unicode tables), and about a third
# faster: ``_WORD`` is used for notes without any of them, ``_WORD_REGEX`` for the others.
_DIFFERENT, _GERMAN_CHARS, _NON_LETTERS_BEYOND_LATIN1 = _tables()
_WORD_REGEX = regex.compile(r"\p{L}+(?:['’]\p{L}+)?")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _latin1_fold() -> bytes:
    r"""The bytes.translate table that lowercases a Latin-1 letter (``\p{L}`` after
    lowercasing, as the word pattern sees it), keeps the ASCII apostrophe and turns every
    other byte into a space. Folding byte by byte is lowercasing only because every Latin-1
    character lowercases to one Latin-1 character; checked here, at import."""
    table = bytearray(b" " * 256)
    for byte in range(256):
        lowered = chr(byte).lower()
        if len(lowered) != 1 or lowered > "\xff":
            raise ValueError(f"U+{byte:04X} lowercases beyond one Latin-1 character")
        if regex.fullmatch(r"\p{L}", lowered):
            table[byte] = ord(lowered)
    table[ord("'")] = ord("'")
    return bytes(table)


# The fast route works on Latin-1 bytes. A note of ASCII and Latin-1 characters (nearly every
# German or English note) encodes to one byte per character, and ``_LATIN1_FOLD`` leaves
# lowercase letters, spaces and apostrophes only. Then ``bytes.split`` (in C, several times
# faster than the word pattern) finds the words, unless ``_ODD_APOSTROPHE`` finds an
# apostrophe that is not the only one between letters in its word (it's, don't): one at a
# word's edge separates, and in a'b'c one joins and one separates, so then ``_LATIN1_WORD``
# (the word pattern on these bytes) has to find them.
# Beyond Latin-1, the non-letters (dashes, typographic quotes, €, ...) are replaced by spaces
# first, which keeps every word; ’, letters and astral characters beyond Latin-1 stay, and
# then the note takes the plain algorithm. Astral non-letters (emoji) are not in
# ``_NON_LETTER_BEYOND_LATIN1``: they would add hundreds of ranges, which the engine walks
# for every character that is not in the class, i.e. for nearly every character.
_LATIN1_FOLD = _latin1_fold()
_LATIN1_WORD = re.compile(rb"[^ ']+(?:'[^ ']+)?")
_ODD_APOSTROPHE = re.compile(rb"'(?:(?<![^ ']')|(?![^ '])|[^ ']+')")
_NON_LETTER_BEYOND_LATIN1 = re.compile(f"[{_NON_LETTERS_BEYOND_LATIN1}]")
_BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")
# The umlauts and ß counted for German: ``bytes.translate`` deletes every other Latin-1 byte
# (one C pass instead of a str.count per character), ``_GERMAN_CHAR`` finds them in any str.
_NOT_GERMAN = bytes(byte for byte in range(256) if chr(byte) not in _GERMAN_CHARS)
_GERMAN_CHAR = re.compile(f"[{_class_ranges(sorted(_GERMAN_CHARS))}]")

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

# A note's score, the sum of its words' ``_CUE_SCORES``, is German cues + English cues *
# _ENGLISH_UNIT: one dict lookup per word instead of one per word and language. It splits
# back exactly while the German count (at most the number of words) is below the unit.
_ENGLISH_UNIT = 1 << 32


def _cue_scores() -> dict[bytes, int]:
    """Latin-1 cue word -> 1 if German, plus ``_ENGLISH_UNIT`` if English. A cue that Latin-1
    cannot encode can never be one of the fast route's words, and is left out."""
    scores: dict[bytes, int] = {}
    for cues, unit in ((GERMAN, 1), (ENGLISH, _ENGLISH_UNIT)):
        for word in cues:
            try:
                key = word.encode("latin-1")
            except UnicodeEncodeError:
                continue
            scores[key] = scores.get(key, 0) + unit
    return scores


_CUE_SCORES = _cue_scores()


@dataclass(frozen=True)
class Detection:
    """The detected language, and how sure: margin 1.0 = only one language's cues."""

    lang: str
    margin: float


def _plain_counts(text: str) -> tuple[int, int, int]:
    """German cue words, English cue words, umlauts: the plain algorithm, for any note."""
    lowered = text.lower()
    fast = lowered.isascii() or _DIFFERENT.isdisjoint(lowered)
    words = (_WORD if fast else _WORD_REGEX).findall(lowered)
    german = sum(map(GERMAN.__contains__, words))
    english = sum(map(ENGLISH.__contains__, words))
    return german, english, sum(map(text.count, _GERMAN_CHARS))


def _latin1_counts(text: str) -> tuple[int, int, int] | None:
    """``_plain_counts`` by the fast route, or None for a note that keeps ’ or a letter or
    astral character beyond Latin-1 (it needs the word pattern)."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        plain = _NON_LETTER_BEYOND_LATIN1.sub(" ", text.lower())
        if _BEYOND_LATIN1.search(plain):
            return None
        data = plain.encode("latin-1")  # lowercase already; folding it again changes nothing
        umlauts = len(_GERMAN_CHAR.findall(text))
    else:
        # _GERMAN_CHARS are all non-ASCII, so an ASCII note has none.
        umlauts = 0 if data.isascii() else len(data.translate(None, _NOT_GERMAN))
    folded = data.translate(_LATIN1_FOLD)
    words = _LATIN1_WORD.findall(folded) if _ODD_APOSTROPHE.search(folded) else folded.split()
    if len(words) >= _ENGLISH_UNIT:  # (4 GiB of words) the score could not be split back
        return None
    english, german = divmod(sum(filter(None, map(_CUE_SCORES.get, words))), _ENGLISH_UNIT)
    return german, english, umlauts


@functools.lru_cache(maxsize=4096)
def _decide(german: int, english: int, umlauts: int, default: str) -> Detection:
    """The detection for the counts (umlauts already capped at 6). Cached because notes repeat
    a few small counts, and the arithmetic, ``round`` and building a frozen dataclass would
    cost a quarter of a note's detection; Detection is frozen, so sharing one is safe."""
    en = float(english)
    de = german + 0.5 * umlauts
    total = de + en
    if total == 0:
        return Detection(default, 0.0)
    lang = "de" if de > en else "en" if en > de else default
    # Fewer than ~3 cues is weak evidence whatever the ratio.
    margin = abs(de - en) / total * min(1.0, total / 3)
    return Detection(lang, round(margin, 3))


def detect_language(text: str, default: str = "de") -> Detection:
    """Return the more likely of de/en with a margin in [0, 1]; ``default`` without cues."""
    german, english, umlauts = _latin1_counts(text) or _plain_counts(text)
    return _decide(german, english, min(umlauts, 6), default)
