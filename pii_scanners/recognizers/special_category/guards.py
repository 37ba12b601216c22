"""Guards against lexicon hits that are really another word: proper nouns, homographs and
short terms glued into an unrelated longer word.

Why a module of its own: the matcher accepts a term with an inflection ending ("Christin" +
"e") or at the end of a compound ("Herz" + "operation"). Those two freedoms also produce words
that merely contain a term: "Christine" (a given name), "Roman" (a novel: "Roma" + "n"),
"Kooperation" ("Ko" + "operation"). Each guard below is a rule about word shape, not a phrase
list, so it generalises to forms nobody listed; the word lists it uses are policy kept in data
files (``lexicons/<lang>/_language.yaml: homographs``, ``config/first_names.txt``).

The guards run only for hits that survived the matcher's cheap boundary checks, so their cost
is per candidate, not per note.
"""

from __future__ import annotations

from pii_scanners.recognizers.first_names import load_first_names

#: A compound's first part shorter than this is a prefix ("Ko-", "Re-", "Ex-"), not a word
#: that could make the term a compound about a person ("Herz" + "operation").
MIN_COMPOUND_PART = 3


class TokenGuard:
    """Rejects a hit whose whole word is a homograph, a given name, or a prefix + term."""

    __slots__ = ("_first_names", "_homographs")

    def __init__(self, homographs: tuple[str, ...]) -> None:
        self._homographs = frozenset(homographs)
        self._first_names = load_first_names()

    def rejects(
        self, text: str, low: str, tok_start: int, tok_end: int, core_start: int, core_end: int
    ) -> bool:
        """Is the word [tok_start, tok_end) around the term core another word?

        ``low`` is the lowercased ``text``; the core is the term's matched (span) part.
        """
        if tok_start == core_start and tok_end == core_end:
            return False  # the term itself, exactly as listed
        token = low[tok_start:tok_end]
        if token in self._homographs:
            return True
        left = low[tok_start:core_start]
        if 0 < len(left) < MIN_COMPOUND_PART and left.isalpha():
            return True
        # An inflected term that is a capitalised given name: "Christine", not "Christin" + "e".
        return (
            tok_end > core_end
            and text[tok_start].isupper()
            and text[tok_start:tok_end] in self._first_names
        )
