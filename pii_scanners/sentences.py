"""Sentence boundaries: the scope of context words, vetoes and governors.

Why: a lexicon's context and veto words describe the sentence they stand in. Looked for in a
fixed character window, they reached into the next sentence, so appending an unrelated
sentence could veto a finding ("... her genetic test results. Toy safety certificate on
file." lost GENETIC to the gift/toy veto). The matcher clips every window to the sentence of
the hit; the scanner asks which language each sentence is in.

The rule is simple on purpose and lives, with its abbreviation list, in
``config/sentences.yaml``: a line break, "!", "?", ";" or "…" always ends a sentence; "."
ends one when whitespace or the end of the text follows, the next word does not start with a
lowercase letter, and the word before the dot is not a single letter, a listed abbreviation
or a number of one or two digits (an ordinal, "am 3. Mai"; but a date's last part, "am
14.02.", ends one). A dot inside a decimal or date ("3.5", "30.01.2013") never ends one (no
whitespace after it). A boundary missed keeps the old behaviour (a window reaches on); one
too many only shortens a window.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from pathlib import Path

import yaml

SENTENCES_FILE = Path(__file__).resolve().parent / "config" / "sentences.yaml"

#: Candidate sentence ends: a run of terminators or one dot. A plain character class lets the
#: regex engine skip ahead in C (an alternation with a lookahead or a word before the dot made
#: the scan ten times slower); the dot's conditions are checked in Python.
_CANDIDATE = re.compile(r"[\n\r!?;…]+|\.")
#: What may follow a sentence-ending dot right away: whitespace, a closing quote or bracket.
_AFTER_DOT = frozenset(" \t\n\r\f\v\u00a0\"'”“»)]")
#: The first non-space, non-quote character after a dot.
_NEXT_CHAR = re.compile(r"[\s\"'”“»)\]]*(\S)?")


@functools.lru_cache(maxsize=4)
def load_abbreviations(path: Path = SENTENCES_FILE) -> frozenset[str]:
    """All abbreviations (lowercase, without the dot) of every language in the file."""
    return _load(path)[0]


@functools.lru_cache(maxsize=4)
def load_abbreviation_endings(path: Path = SENTENCES_FILE) -> tuple[str, ...]:
    """Word endings that make a word an abbreviation ("Bahnhofstr.")."""
    return _load(path)[1]


def _load(path: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    lists = data.get("abbreviations") or {}
    if not isinstance(lists, dict):
        raise ValueError(f"{path}: abbreviations: must be a mapping of language to words")
    words: set[str] = set()
    for lang, values in lists.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"{path}: abbreviations.{lang}: must be a list of words")
        words.update(v.strip().lower().rstrip(".") for v in values)
    endings = data.get("abbreviation_endings") or []
    if not isinstance(endings, list) or not all(isinstance(v, str) and v for v in endings):
        raise ValueError(f"{path}: abbreviation_endings: must be a list of word endings")
    return frozenset(words), tuple(v.strip().lower().rstrip(".") for v in endings)


def sentence_ends(text: str, abbreviations: frozenset[str] | None = None) -> list[int]:
    """Sorted offsets where a sentence ends (exclusive ends; the last sentence ends at len)."""
    abbrevs = load_abbreviations() if abbreviations is None else abbreviations
    ends: list[int] = []
    n = len(text)
    for match in _CANDIDATE.finditer(text):
        dot = match.start()
        if text[dot] == "." and not _dot_ends_sentence(text, dot, n, abbrevs):
            continue
        ends.append(match.end())
    return ends


def _dot_ends_sentence(text: str, dot: int, n: int, abbrevs: frozenset[str]) -> bool:
    """The rule of the module docstring for the dot at ``dot``."""
    if dot + 1 < n and text[dot + 1] not in _AFTER_DOT:
        return False  # "3.5", "z.B.", "30.01.2013", "e.g"
    start = dot
    while start > 0 and dot - start < 40 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    word = text[start:dot]
    if word:
        if word.isdigit():
            if len(word) <= 2 and not (start > 0 and text[start - 1] == "."):
                return False  # an ordinal ("am 3. Mai"), not a date's end ("am 14.02.")
        else:
            lowered = word.lower()
            if len(word) == 1 or lowered in abbrevs:
                return False
            if lowered.endswith(load_abbreviation_endings()):
                return False
    following = _NEXT_CHAR.match(text, dot + 1).group(1)
    return following is None or not following.islower()


class Sentences:
    """The sentences of one note, computed on first use (most notes never need them)."""

    __slots__ = ("_ends", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._ends: list[int] | None = None

    def ends(self) -> list[int]:
        ends = self._ends
        if ends is None:
            ends = self._ends = sentence_ends(self._text)
        return ends

    def bounds(self, start: int, end: int | None = None) -> tuple[int, int]:
        """[first, last) of the sentence(s) holding [start, end): from the end of the sentence
        before ``start`` to the end of the sentence holding ``end - 1``."""
        ends = self.ends()
        if end is None or end <= start:
            end = start + 1
        lo_index = bisect_right(ends, start)
        lo = ends[lo_index - 1] if lo_index else 0
        hi_index = bisect_right(ends, end - 1)
        hi = ends[hi_index] if hi_index < len(ends) else len(self._text)
        return lo, hi

    def spans(self) -> list[tuple[int, int]]:
        """Every sentence as [start, end)."""
        bounds: list[tuple[int, int]] = []
        start = 0
        for end in self.ends():
            bounds.append((start, end))
            start = end
        if start < len(self._text) or not bounds:
            bounds.append((start, len(self._text)))
        return bounds
