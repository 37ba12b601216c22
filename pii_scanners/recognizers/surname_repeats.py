"""PERSON for later (and earlier) mentions of a name the note itself introduces.

Legal relevance: once a note says "Frau Beate Albers" or "Fuss, Flora, geb. ...", every bare
"Albers" or "Flora" elsewhere in the same note names the same person (Art. 4(1) GDPR); left in
clear it re-identifies the redacted mention. News and letters mention people by surname after
the first full mention, which is where context-only recognizers miss most.

How: a post-pass over the resolved findings of one note. Seeds are the PERSON findings with
contextual evidence (an honorific, kinship or role cue, a birth date, a signature with a known
given name, a name the CRM holds: score >= ``MIN_SEED_SCORE``); the plain gazetteer (0.6) and
the weak unknown-word rules are not seeds, except a gazetteer name with a following surname
("Olaf Scholz" in news), whose surname is not spread when it is a frequent German noun
(config/frequent_nouns_de.txt: "für Paul Geschenke"). Every name token of a seed (three letters
or more, not a rank noun such as "Kollegin", an honorific, a closing word or a frequent English
word) is then found as a whole capitalised word, with a possessive "s" ("Marijas"), wherever no
other finding already covers it, unless a company's legal form follows ("Baumann Elektrotechnik
GmbH"). Names the CRM holds for the record are handled by the known-names recognizer (every
part of the name, anywhere, case-insensitive); this pass covers names the note introduces.

Accuracy note: a surname that is also a word ("Koch", "Krebs") is tagged wherever it appears
capitalised in the same note once a cue introduced it as a name; that is the intended bias
(redact more). Inflected forms other than the possessive "s" and nicknames are missed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex as re

from pii_scanners.models import Finding
from pii_scanners.recognizers._names import FICTIONAL, NOT_A_SURNAME
from pii_scanners.recognizers._person_words import PERSON_WORDS_PATH, company_suffixes
from pii_scanners.recognizers.common_person_context_recognizer import (
    CLOSING_WORDS,
    COMMON_WORDS,
    HONORIFICS,
    ROLE_NOUNS,
)
from pii_scanners.recognizers.first_names import (
    COMMON_WORDS_PATH,
    FREQUENT_NOUNS_PATH,
    load_common_words,
)

# The PERSON policy files besides the given-name list: part of scanner.version.
PERSON_WORD_FILES = (PERSON_WORDS_PATH, COMMON_WORDS_PATH, FREQUENT_NOUNS_PATH)
# A surname guessed by the gazetteer that is a frequent German noun is not spread.
FREQUENT_NOUNS = load_common_words(FREQUENT_NOUNS_PATH)

RECOGNIZER_NAME = "NameRepeatRecognizer"
# Contextual evidence only: honorific 0.85, kin/role with a known given name 0.8, birth date and
# signature 0.7, known names 0.9. Not the gazetteer alone (0.6) or an unknown word after a
# kinship word (0.5).
MIN_SEED_SCORE = 0.7
REPEAT_SCORE = 0.7
GAZETTEER = "FirstNameGazetteerRecognizer"
MIN_TOKEN_CHARS = 3

_SEED_TOKEN = re.compile(r"\p{Lu}[\p{L}'’]*(?:-\p{Lu}[\p{L}'’]*)*")
# "Baumann Elektrotechnik GmbH": a name followed (within three words) by a legal form is the
# company's name.
_COMPANY_AFTER = re.compile(
    r"(?:[ \t]+[\p{L}&.'’-]+){0,3}?[ \t]+(?:"
    + "|".join(re.escape(w) for w in sorted(company_suffixes(), key=len, reverse=True))
    + r")(?![\p{L}])"
)
_NOT_A_NAME = frozenset([*HONORIFICS, *CLOSING_WORDS, *NOT_A_SURNAME, *FICTIONAL]) | ROLE_NOUNS


def _is_seed(text: str, f: Finding) -> bool:
    """Contextual evidence, or a known given name with a surname after it ("Olaf Scholz"):
    the gazetteer's two-token spans; its single given names are found everywhere anyway."""
    if f.score >= MIN_SEED_SCORE:
        return True
    return f.recognizer == GAZETTEER and any(ch.isspace() for ch in text[f.start : f.end])


def name_tokens(text: str, findings: Sequence[Finding]) -> set[str]:
    """The name tokens of the seed findings (see the module docstring)."""
    tokens: set[str] = set()
    for f in findings:
        if f.entity_type != "PERSON" or not _is_seed(text, f):
            continue
        guessed = f.score < MIN_SEED_SCORE  # a gazetteer name with a following word
        for m in _SEED_TOKEN.finditer(text, f.start, f.end):
            word = m.group()
            if (
                len(word) >= MIN_TOKEN_CHARS
                and word not in _NOT_A_NAME
                and word.lower() not in COMMON_WORDS
                and not (guessed and word in FREQUENT_NOUNS)
            ):
                tokens.add(word)
    return tokens


_POSSESSIVE = ("s", "'s", "’s")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def _mentions(text: str, token: str) -> Iterator[tuple[int, int]]:
    """Whole-word occurrences of ``token`` (a letter, digit, "_", apostrophe or hyphen on
    neither side), with a possessive "s" when one follows. Plain ``str.find``: the tokens
    differ from note to note, and compiling a pattern per note would cost more than the scan."""
    pos = text.find(token)
    while pos >= 0:
        end = pos + len(token)
        if pos == 0 or not _is_word_char(text[pos - 1]):
            for tail in _POSSESSIVE:
                if text.startswith(tail, end) and (
                    end + len(tail) >= len(text) or not _is_word_char(text[end + len(tail)])
                ):
                    end += len(tail)
                    break
            if end >= len(text) or not _is_word_char(text[end]):
                yield pos, end
        pos = text.find(token, pos + 1)


def add_name_repeats(text: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` plus a PERSON finding for every other mention of a seed's name token that
    no finding covers yet, in text order (the input list is returned when nothing is added).
    The added spans overlap nothing, so the overlap resolution stays valid."""
    tokens = name_tokens(text, findings)
    if not tokens:
        return findings
    covered = [(f.start, f.end) for f in findings]
    added: list[Finding] = []
    for token in sorted(tokens, key=lambda t: (-len(t), t)):  # longest first
        for start, end in _mentions(text, token):
            if any(s < end and start < e for s, e in covered):
                continue
            if _COMPANY_AFTER.match(text, end):
                continue
            covered.append((start, end))
            added.append(Finding("PERSON", start, end, REPEAT_SCORE, RECOGNIZER_NAME))
    if not added:
        return findings
    return sorted([*findings, *added], key=lambda f: (f.start, f.end))
