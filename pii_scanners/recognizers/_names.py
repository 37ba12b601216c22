"""Shared helpers for the PERSON recognizers: name-token shape, gazetteer lookup, span growth.

Why shared: the context recognizer and the gazetteer recognizer must agree on what a name
token is (capitalised word, optional hyphenated or apostrophe part, never part of a larger
compound such as "Iris-Scan"), otherwise they would report different spans for one name.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex as re

# A capitalised word not glued to letters, digits or hyphens on either side: "Anna",
# "Hans-Peter", "O'Brien", "McDonald", "Özdemir".
NAME_TOKEN = (
    r"(?:\p{Lu}['’]\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:['’]\p{Lu}\p{Ll}+)?)"
    r"(?:-\p{Lu}\p{Ll}+)*"
)
NAME_TOKEN_RE = re.compile(rf"(?<![\p{{L}}\d'’-]){NAME_TOKEN}(?![\p{{L}}\d'’-]|-\p{{L}})")
_FOLLOWING_TOKEN_RE = re.compile(
    rf"[ \t]((?:(?:von|van|de|da|di|del|zu|ten|ter)[ \t])?{NAME_TOKEN})(?![\p{{L}}\d'’-])"
)

# Capitalised words that follow a name but are not a surname, and figures that are not natural
# persons (eval README: Santa and the Christkind are not PERSON).
NOT_A_SURNAME = frozenset(
    [
        "Weihnachtsmann",
        "Christkind",
        "Santa",
        "Nikolaus",
        "Tel",
        "Telefon",
        "Phone",
        "Fax",
        "Mobil",
        "Handy",
        "Email",
        "E-Mail",
        "Mail",
        "IBAN",
        "Geb",
        "Gruß",
        "Grüße",
        "Danke",
        "Thanks",
        "Bitte",
        "Please",
        "Info",
        "Hinweis",
        "Kd",
        "Kunde",
        "Kundin",
        "Jahre",
        "Jahr",
        "Years",
        "Am",
        "Im",
        "In",
        "An",
        "Auf",
        "Für",
        "For",
        "The",
        "Der",
        "Die",
        "Das",
        "Und",
        "Ich",
        "Wir",
        "Er",
        "Sie",
        "Es",
        "Mama",
        "Papa",
        "Oma",
        "Opa",
        "Herr",
        "Frau",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Familie",
        "Family",
        "Lieber",
        "Liebe",
        "Liebes",
        "Dear",
        "Hallo",
        "Hello",
        "Hi",
    ]
)
FICTIONAL = frozenset(
    [
        "Weihnachtsmann",
        "Christkind",
        "Santa",
        "Nikolaus",
        "Rudolph",
        "Knecht",
        "Ruprecht",
        "Krampus",
    ]
)

# A given name right after these is part of a church, place, club or building name
# ("St. Paul", "Sankt Georg", "FC Liverpool"), not a person.
NOT_A_PERSON_BEFORE = re.compile(
    r"(?:\bSt\.|\bSankt|\bSaint|\bSan|\bSanta|\bFC|\bHotel|\bBad|\bVilla|\bCafé|"
    r"\bRestaurant|\bSchloss|\bKlinik|\bHaus|\bChristmas|\bUnion|\bYear's)[ \t]*$"
)


def is_given_name(token: str, first_names: frozenset[str]) -> bool:
    """True for a gazetteer given name; hyphenated names count when every part is one."""
    if token in first_names:
        return True
    parts = token.split("-")
    return len(parts) > 1 and all(p in first_names for p in parts)


def grow_surname(text: str, end: int, max_tokens: int = 2) -> int:
    """Extend a name ending at ``end`` over up to ``max_tokens`` directly following
    capitalised tokens on the same line ("Anna" -> "Anna Berger")."""
    for _ in range(max_tokens):
        m = _FOLLOWING_TOKEN_RE.match(text, end)
        if not m:
            break
        token = m.group(1).split()[-1]
        if token in NOT_A_SURNAME:
            break
        end = m.end(1)
    return end


def name_tokens_at(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """Name tokens starting exactly at ``pos`` and then separated by single spaces."""
    m = NAME_TOKEN_RE.match(text, pos)
    while m:
        yield m.start(), m.end()
        nxt = _FOLLOWING_TOKEN_RE.match(text, m.end())
        if not nxt:
            return
        m = NAME_TOKEN_RE.match(text, nxt.start(1) + nxt.group(1).rfind(" ") + 1)
