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
#: A run of look-alikes with a letter on both sides and two on one of them ("schw4rze",
#: "b3h1nderte"); a three-character code such as "T1D" (type 1 diabetes) stays as written.
_LEET_RUN = re.compile(
    r"(?<=[^\W\d_]{2})[431057$]+(?=[^\W\d_])|(?<=[^\W\d_])[431057$]+(?=[^\W\d_]{2})"
)


def unleet(low: str) -> str:
    """``low`` with look-alike digits between letters read as letters; same length."""
    if _LEET_RUN.search(low) is None:
        return low
    return _LEET_RUN.sub(lambda m: m.group(0).translate(_LEET), low)
