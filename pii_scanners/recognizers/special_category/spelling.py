"""Leetspeak inside words, undone for matching without moving any offset.

Why: abuse and evasive writing replace letters by look-alike digits ("Schw4rze", "Jud3n",
"tr4nnies"); Multilingual HateCheck's spelling variants measure it. A digit or symbol that
stands *between two letters* is read as the letter it imitates, one character for one
character, so every offset into the result is an offset into the note and findings stay exact.

Only runs between letters are changed: "BRCA1", "APOE4", "Covid-19", "2%" and phone numbers keep
their digits (a digit at a word's end or next to another digit is a number, not a disguise);
"@" is left alone, as e-mail addresses put it between letters.
The special-category matcher and the prefilter's trigger test both read the note through
``unleet``, so the prefilter contract ("a finding needs a trigger term in the lowered text")
holds for the text both of them see.
"""

from __future__ import annotations

import re

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
