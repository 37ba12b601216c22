"""Leetspeak inside words, undone for matching without moving any offset.

Why: abuse and evasive writing replace letters by look-alike digits ("Schw4rze", "Jud3n",
"tr4nnies"); Multilingual HateCheck's spelling variants measure it. A digit or symbol that
stands *between two letters* is read as the letter it imitates, one character for one
character, so every offset into the result is an offset into the note and findings stay exact.

Only runs between letters are changed: "BRCA1", "APOE4", "Covid-19", "2%" and phone numbers keep
their digits (a digit at a word's end or next to another digit is a number, not a disguise);
"@" is left alone, as e-mail addresses put it between letters. Words spelled with spaces
between their letters ("b l a c k") are joined and matched as words (``spaced_term_hits``); the
offsets of each letter are known (every second character), so spans stay exact too.
The special-category matcher and the prefilter's trigger test both read the note through
``unleet``, so the prefilter contract ("a finding needs a trigger term in the lowered text")
holds for the text both of them see.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

#: Look-alike characters and the letter each imitates.
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "$": "s"})
#: Look-alike runs; whether one stands between letters is tested in Python (a regex with
#: letter look-arounds costs 6-17 us per note, this search about 3 us plus a few per run).
_LEET_RUN = re.compile(r"[431057$]+")


def unleet(low: str) -> str:
    """``low`` with look-alike digits between letters read as letters; same length.

    A run is read as letters when a letter stands on both sides and two letters on one of
    them ("schw4rze", "beh1nderte"); a three-character code such as "T1D" (type 1 diabetes)
    stays as written. Returns ``low`` itself when nothing changes.
    """
    chars: list[str] | None = None
    n = len(low)
    for match in _LEET_RUN.finditer(low):
        start, end = match.span()
        if start == 0 or end >= n or not (low[start - 1].isalpha() and low[end].isalpha()):
            continue
        if not (
            (start >= 2 and low[start - 2].isalpha()) or (end + 1 < n and low[end + 1].isalpha())
        ):
            continue
        if chars is None:
            chars = list(low)
        chars[start:end] = match.group().translate(_LEET)
    return low if chars is None else "".join(chars)


#: Cheap pre-check for a word written with spaces between its letters ("b l a c k").
_SPACED_HINT = re.compile(r" \w \w ")
_SPACED_RUN = re.compile(r"(?<![^\W_])[^\W\d_](?: [^\W\d_]){3,}(?![^\W_])")


def spaced_runs(low: str) -> list[tuple[int, str]]:
    """Words spelled with a space between letters ("m u s l i m s"): (start, joined word).

    Letter ``j`` of the joined word stands at ``start + 2 * j`` in ``low``.
    """
    if _SPACED_HINT.search(low) is None:
        return []
    return [(m.start(), m.group().replace(" ", "")) for m in _SPACED_RUN.finditer(low)]


def spaced_term_hits(
    automaton: Any, low: str, inflections: frozenset[str]
) -> list[tuple[int, int, Any]]:
    """Term hits inside letter-spaced words, as (start, end, key) with offsets into ``low``.

    The joined word is matched like a word of the note: a term must start it (unless it may end
    a compound) and end it (unless it may start one, or an inflection ending follows). Exact-case
    and multi-word terms are left out. Each key is copied with its span core stretched over the
    spaced letters, so the matcher's checks and the reported span cover "b l a c k".
    """
    hits: list[tuple[int, int, Any]] = []
    for run_start, joined in spaced_runs(low):
        n = len(joined)
        for end_index, (length, keys, _exclusions) in automaton.iter(joined):
            end = end_index + 1
            start = end - length
            for key in keys:
                if key.exact_core is not None or key.core_start or key.core_end != length:
                    continue
                if start > 0 and not key.free_left:
                    continue
                if (
                    end < n
                    and not key.free_right
                    and not (key.inflect and joined[end:] in inflections)
                ):
                    continue
                orig_start = run_start + 2 * start
                orig_end = run_start + 2 * (end - 1) + 1
                core = replace(key, core_start=0, core_end=orig_end - orig_start)
                hits.append((orig_start, orig_end, core))
    return hits
