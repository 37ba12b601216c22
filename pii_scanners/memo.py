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
dropped is simply stored again on its next occurrence).
"""

from __future__ import annotations

from collections.abc import Iterable

from pii_scanners.models import Finding

#: (text, requested language) -> (language, findings, redacted text)
MemoKey = tuple[str, str | None]
MemoValue = tuple[str, tuple[Finding, ...], str]

DEFAULT_SIZE = 32768


def names_in_text(text: str, names: Iterable[str]) -> bool:
    """True when some part of a known name occurs in ``text`` (then the names may matter).

    A superset of both known-name tests of the scanner: the prefilter's (a whitespace-separated
    part, lowercased, as a substring of the lowercased text) and ``variants_in_text`` (a full
    name or a part split at blanks and commas, casefolded, in the casefolded text). Every such
    part or name contains one of the parts tested here, and lowercasing and casefolding map
    character by character, so a substring stays a substring.
    """
    lowered = folded = ""
    for name in names:
        parts = str(name).replace(",", " ").split()
        if not parts and str(name).strip():
            return True  # only commas: "," itself would be a variant; do not reason about it
        for part in parts:
            if not lowered:
                lowered, folded = text.lower(), text.casefold()
            if part.lower() in lowered or part.casefold() in folded:
                return True
    return False


class ResultMemo:
    """FIFO-bounded dict of scan results; safe to share between threads (worst case a miss)."""

    __slots__ = ("_entries", "size")

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: dict[MemoKey, MemoValue] = {}

    def get(self, key: MemoKey) -> MemoValue | None:
        return self._entries.get(key)

    def put(self, key: MemoKey, value: MemoValue) -> None:
        if self.size <= 0:
            return
        entries = self._entries
        if len(entries) >= self.size:
            try:  # drop the oldest entry; a concurrent change just empties the memo
                entries.pop(next(iter(entries)), None)
            except (RuntimeError, StopIteration):
                entries.clear()
        entries[key] = value

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
