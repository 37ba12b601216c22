"""A bounded memo of scan results for repeated note texts.

Why: CRM free text repeats a lot ("Bitte als Geschenk verpacken", "Rechnung an die Firma"),
and a note's findings and redacted text are a pure function of (text, requested language,
known names, configuration). The known names are the only per-record input, and they can only
change a result when one of them occurs in the text (the prefilter's known-name test and
``variants_in_text`` both need a name part as a substring). So a result computed for a text in
which no part of the record's names occurs is the result for every record with that text whose
names do not occur in it either: ``names_in_text`` decides, and only such results are stored
or reused. The scanner's configuration is fixed for its lifetime, so it is not part of the key.

Memory stays bounded: at most ``size`` entries, oldest dropped first (a popular text that gets
dropped is simply stored again on its next occurrence), and only texts of at most
``MAX_TEXT_CHARS`` characters (``remembers``): long notes rarely repeat word for word (in the
sample CRM every repeated text is under 200 characters), and the bound keeps a full memo near
``DEFAULT_SIZE`` x 2 x ``MAX_TEXT_CHARS`` characters (text and redacted copy) at worst.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable

from pii_scanners.models import Finding

#: (text, requested language) -> (language, findings, redacted text)
MemoKey = tuple[str, str | None]
MemoValue = tuple[str, tuple[Finding, ...], str]

DEFAULT_SIZE = 32768
MAX_TEXT_CHARS = 1000


def remembers(text: str) -> bool:
    """Is ``text`` short enough to be kept for its repeats (see the module docstring)?"""
    return len(text) <= MAX_TEXT_CHARS


def names_in_text(text: str, names: Iterable[str]) -> bool:
    """True when some part of a known name occurs in ``text`` (then the names may matter).

    A superset of both known-name tests of the scanner: the prefilter's (a whitespace-separated
    part, lowercased, as a substring of the lowercased text) and ``variants_in_text`` (a full
    name or a part split at blanks and commas, casefolded, in the casefolded text). Every such
    part or name contains one of the parts tested here, and lowercasing and casefolding map
    character by character, so a substring stays a substring.
    """
    try:
        parts = _name_parts(names if type(names) is tuple else tuple(names))
    except TypeError:  # an unhashable name: the same rule, uncached
        parts = _name_parts.__wrapped__(tuple(names))
    if parts is None:
        return True  # only commas: "," itself would be a variant; do not reason about it
    lowered_parts, folded_parts = parts
    if not lowered_parts:
        return False
    lowered = text.lower()
    for part in lowered_parts:
        if part in lowered:
            return True
    # An ASCII text casefolds as it lowercases (a part may still fold to ASCII: "ß" -> "ss").
    folded = lowered if text.isascii() else text.casefold()
    return any(part in folded for part in folded_parts)


@functools.lru_cache(maxsize=32768)
def _name_parts(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The parts ``names_in_text`` looks for, lowercased and casefolded; None when a name is
    only commas. Cached: a record's names recur on all of its notes, and the memo asks for
    every note (32768 entries: the sample CRM's 20,000 customers, notes in any order)."""
    lowered: list[str] = []
    folded: list[str] = []
    for name in map(str, names):
        parts = name.replace(",", " ").split()
        if not parts and name.strip():
            return None
        lowered.extend(part.lower() for part in parts)
        folded.extend(part.casefold() for part in parts)
    return tuple(lowered), tuple(folded)


class ResultMemo:
    """FIFO-bounded dict of scan results; safe to share between threads (worst case a miss).

    The insertion order lives in a deque: dropping the oldest entry is O(1). (Taking the first
    key of the dict instead walks over every slot deleted since the dict last resized, several
    thousand once the memo is full.)"""

    __slots__ = ("_entries", "_order", "size")

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: dict[MemoKey, MemoValue] = {}
        self._order: deque[MemoKey] = deque()

    def get(self, key: MemoKey) -> MemoValue | None:
        return self._entries.get(key)

    def put(self, key: MemoKey, value: MemoValue) -> None:
        if self.size <= 0:
            return
        entries = self._entries
        if key not in entries:
            # A key put twice by two threads at once is queued twice; dropping it the second
            # time is a no-op, and the deque (hence the dict) never exceeds ``size``.
            try:
                while len(self._order) >= self.size:
                    entries.pop(self._order.popleft(), None)
            except IndexError:  # another thread emptied it meanwhile
                pass
            self._order.append(key)
        entries[key] = value

    def clear(self) -> None:
        self._entries.clear()
        self._order.clear()

    def __len__(self) -> int:
        return len(self._entries)
