"""Who wrote the note: the writer's gender, for writer-aware SEX_LIFE entries.

Why: "meine Frau" or "my husband" reveals a same-sex partnership only when the writer is a woman
(or a man, respectively). Lexicon entries marked ``writer: female`` / ``writer: male`` count only
when this module can tell the writer's gender from the note itself:

1. the signature: the last short line of the note, or the words right after a closing
   ("Viele Grüße, Anna", "Love, Tom"), whose given name is in ``lexicons/writer_names.txt``
   (generated from Faker's gendered given-name lists, names of both genders left out), or a
   title there ("Frau Anna Berg", "Mr Tom Hale");
2. a self-description ("ich als Mutter", "as a mum", "I'm his wife").

When neither says anything, the gender is unknown and such entries do not count: a note
without a signature keeps "meine Frau" unreported, as the lexicon always did.

Cost: called only for hits of a writer-aware entry; cached for the last few texts.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

NAMES_FILE = Path(__file__).resolve().parents[2] / "lexicons" / "writer_names.txt"

_CLOSING = re.compile(
    r"(?i)\b(?:grüße|grüßen|gruß|grüsse|gruss|lg|vg|mfg|bis bald|danke|dein|deine|euer|eure|"
    r"regards|wishes|thanks|thank you|love|cheers|yours|best)\b[\s,!.:-]*"
    r"(?P<who>[^\W\d_][\w.-]*(?:[ \t]+[^\W\d_][\w.-]*){0,2})[\s.!]*\Z"
)
_LAST_LINE = re.compile(
    r"(?m)^[ \t\-–—]*(?P<who>[^\W\d_][\w.-]*(?:[ \t]+[^\W\d_][\w.-]*){0,2})[ \t.!]*\Z"
)
_TITLES = {
    "frau": "female",
    "fr.": "female",
    "mrs": "female",
    "mrs.": "female",
    "ms": "female",
    "ms.": "female",
    "miss": "female",
    "herr": "male",
    "hr.": "male",
    "mr": "male",
    "mr.": "male",
}
_SELF = re.compile(
    r"(?i)\b(?:ich als|ich bin (?:die|der|seine|ihre)|as (?:a|his|her|their)|i'm (?:his|her|a)|"
    r"i am (?:his|her|a))\s+(?P<role>\w+)"
)
_ROLES = {
    "female": {
        "mutter",
        "mama",
        "oma",
        "großmutter",
        "ehefrau",
        "frau",
        "tochter",
        "tante",
        "mother",
        "mum",
        "mom",
        "grandmother",
        "grandma",
        "wife",
        "woman",
        "daughter",
        "aunt",
        "girlfriend",
        "freundin",
    },
    "male": {
        "vater",
        "papa",
        "opa",
        "großvater",
        "ehemann",
        "mann",
        "sohn",
        "onkel",
        "father",
        "dad",
        "grandfather",
        "grandpa",
        "husband",
        "man",
        "son",
        "uncle",
        "boyfriend",
    },
}


@cache
def _names() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            gender, name = line.split(" ", 1)
            out[name] = "female" if gender == "f" else "male"
    return out


def _from_signature(who: str) -> str | None:
    words = who.split()
    if not words:
        return None
    title = _TITLES.get(words[0].lower())
    if title:
        return title
    return _names().get(words[0])


@lru_cache(maxsize=8)
def writer_gender(text: str) -> str | None:
    """ "female", "male" or None (unknown) for the writer of ``text``."""
    tail = text.rstrip()[-160:]
    closing = _CLOSING.search(tail)
    if closing:
        gender = _from_signature(closing.group("who"))
        if gender:
            return gender
    last = _LAST_LINE.search(tail)
    if last and "\n" in text.strip():
        gender = _from_signature(last.group("who"))
        if gender:
            return gender
    for match in _SELF.finditer(text):
        role = match.group("role").lower()
        for gender, roles in _ROLES.items():
            if role in roles:
                return gender
    return None
