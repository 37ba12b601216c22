"""Person names found through the words around them (no NER model), German and English.

Legal relevance: a name identifies a natural person (Art. 4(1) GDPR); in CRM notes it ties a
special-category statement to a person (Art. 9 DSGVO), often a child (Art. 8) or a third party,
so names are redacted together with the sensitive phrase.

How: a cue, then one to three capitalised tokens. Cues: honorifics ("Herr", "Frau", "Hr.",
"Dr.", "Mr", "Mrs", "Ms", "Rev."), kinship words ("mein Sohn Paul", "Tante Ilse",
"my daughter Emma"), roles ("Kd.", "Kundin", "Ansprechpartnerin", "z. Hd.", "Contact",
"Account:"), self-introductions ("ich heiße", "my name is"), sign-offs ("Liebe Grüße Max",
"Thanks, Ethan", "Deine Clara") and a bare signature closing the note. The span never includes
the cue (honorifics and kinship words stay outside PERSON spans: eval README rule 6).

Accuracy note: precise after honorifics (a following German noun is only taken as a surname
when the first token is a known given name). Kinship and role cues accept a non-gazetteer word
only in weaker forms (two capitalised tokens, or the word closes the clause), because German
capitalises nouns ("Oma Geschenke"). A closing signature that is not a known given name scores
0.5 and is checked against a list of closing words ("Danke", "Vertraulich", "Updated").
Misses: names without any cue that are not in the gazetteer (see
common_person_name_gazetteer_recognizer), all-lowercase or all-caps names, names in
possessive forms ("Pauls Rad").
"""

from __future__ import annotations

import re as _stdlib_re
from collections.abc import Iterator
from pathlib import Path

import regex as re
from presidio_analyzer import EntityRecognizer, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_scanners.recognizers._names import (
    FICTIONAL,
    NAME_TOKEN,
    NOT_A_PERSON_BEFORE,
    NOT_A_SURNAME,
    is_given_name,
    name_tokens_at,
)
from pii_scanners.recognizers.first_names import DEFAULT_PATH, load_first_names

# Cue vocabularies as literal phrases: the regexes are built from them, and so is the set of
# first words that tells where a cue can start (``_CUE_ANCHORS``). Case-sensitive lists hold
# German nouns and abbreviations; the (?i) lists hold English words written in any case.
HONORIFICS = [
    "Herr",
    "Herrn",
    "Frau",
    "Hr.",
    "Hrn.",
    "Fr.",
    "Fam.",
    "Familie",
    "Dr.",
    "Prof.",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Miss",
    "Mx",
    "Mx.",
    "Rev.",
    "Reverend",
    "Pfarrer",
    "Pfarrerin",
    "Pastor",
    "Pastorin",
    "Sir",
    "Dame",
]
KIN_DE = [
    "Mama",
    "Mami",
    "Mutti",
    "Mutter",
    "Papa",
    "Papi",
    "Vati",
    "Vater",
    "Oma",
    "Omi",
    "Opa",
    "Opi",
    "Tante",
    "Onkel",
    "Bruder",
    "Schwester",
    "Sohn",
    "Tochter",
    "Cousin",
    "Cousine",
    "Neffe",
    "Nichte",
    "Enkel",
    "Enkelin",
    "Enkelsohn",
    "Enkeltochter",
    "Freund",
    "Freundin",
    "Kollege",
    "Kollegen",
    "Kollegin",
    "Nachbar",
    "Nachbarn",
    "Nachbarin",
    "Ehemann",
    "Ehefrau",
    "Mann",
    "Partner",
    "Partnerin",
    "Lebensgefährte",
    "Lebensgefährtin",
    "Patenkind",
    "Patensohn",
    "Patentochter",
    "Pate",
    "Patin",
    "Schwager",
    "Schwägerin",
    "Schwiegermutter",
    "Schwiegervater",
    "Stiefsohn",
    "Stieftochter",
    "Zwillingsbruder",
    "Zwillingsschwester",
    "Baby",
    "Urenkel",
    "Uroma",
    "Uropa",
]
KIN_EN = [
    "mum",
    "mom",
    "mummy",
    "mommy",
    "mother",
    "dad",
    "daddy",
    "father",
    "granny",
    "grandma",
    "grandmother",
    "grandpa",
    "grandad",
    "granddad",
    "grandfather",
    "nan",
    "nana",
    "nanna",
    "auntie",
    "aunty",
    "aunt",
    "uncle",
    "brother",
    "sister",
    "son",
    "daughter",
    "cousin",
    "nephew",
    "niece",
    "grandson",
    "granddaughter",
    "friend",
    "colleague",
    "neighbour",
    "neighbor",
    "husband",
    "wife",
    "partner",
    "godson",
    "goddaughter",
    "godchild",
    "stepson",
    "stepdaughter",
    "boyfriend",
    "girlfriend",
    "fiancé",
    "fiancée",
    "baby",
    "twin",
]
ROLES_DE = [
    *[
        "Kd.",
        "Kdin.",
        "Kunde",
        "Kundin",
        "Kontakt",
        "Kontaktperson",
        "Ansprechpartner",
        "Ansprechpartnerin",
    ],
    *[
        "Ansprechperson",
        "Inhaber",
        "Inhaberin",
        "Geschäftsführer",
        "Geschäftsführerin",
        "Kontoinhaber",
    ],
    *[
        "Kontoinhaberin",
        "Betreuer",
        "Betreuerin",
        "Sachbearbeiter",
        "Sachbearbeiterin",
        "Vertreter",
    ],
    *[
        "Vertreterin",
        "Empfänger",
        "Empfängerin",
        "Absender",
        "Absenderin",
        "Bewohner",
        "Bewohnerin",
        "Patient",
    ],
    *["Patientin", "Schüler", "Schülerin", "Wunschliste", "Wunschzettel"],
    "z. Hd.",
    "z.Hd.",
    "z. Hd",
    "zu Händen",
    "zu Händen von",
]
ROLES_EN = [
    *[
        "contact",
        "customer",
        "account",
        "cover",
        "attn",
        "attn.",
        "fao",
        "c/o",
        "owner",
        "agent",
        "caller",
        "resident",
    ],
    *["tenant", "pupil", "name", "signed", "named", "called"],
    "account holder",
    "new name",
    "neuer name",
    "wish list from",
]
SELF_INTRO = [
    "ich heiße",
    "ich heisse",
    "mein name ist",
    "my name is",
    "my name's",
    "i am called",
    "i'm called",
    "call me",
    "this is",
    "hier ist",
    "hier schreibt",
]
GREETING_ADJ = ["liebe", "viele", "beste", "herzliche", "freundliche", "schöne", "sonnige"]
GREETINGS = ["Grüße", "Grüßen", "Gruß", "Grüsse", "Gruss"]
SIGN_OFFS = [
    *[
        "LG",
        "VG",
        "MfG",
        "Danke",
        "Tschüss",
        "Tschüs",
        "Dein",
        "Deine",
        "Euer",
        "Eure",
        "Thanks",
        "Thx",
        "Cheers",
        "Love",
        "love",
    ],
    *[
        "Best",
        "Regards",
        "Yours",
        "xoxo",
        "XOXO",
        "Bye",
        "Ciao",
        "Servus",
        "Grüezi",
        "Hugs",
        "From",
    ],
    "Danke schön",
    "Vielen Dank",
    "Bis bald",
    "Thank you",
    "Kind regards",
    "Best wishes",
    "Many thanks",
]


def _alternation(phrases: list[str]) -> str:
    """Longest first, spaces as any whitespace, everything else literal."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace("\\ ", r"\s") for p in ordered) + ")"


_HONORIFIC = _alternation(HONORIFICS)
_KIN_DE = _alternation(KIN_DE)
_KIN_EN = f"(?i:{_alternation(KIN_EN)})"
_ROLE = f"(?:{_alternation(ROLES_DE)}|(?i:{_alternation(ROLES_EN)}))"
_SELF_INTRO = f"(?i:{_alternation(SELF_INTRO)})"
_SIGN_OFF = (
    f"(?:(?:(?i:{_alternation(GREETING_ADJ)})\\s)?{_alternation(GREETINGS)}"
    r"(?:\s(?:von|aus\s\p{Lu}\p{Ll}+))?"
    f"|{_alternation(SIGN_OFFS)})"
)

_CUE_RE = re.compile(
    rf"(?<![\p{{L}}\d-])(?:(?P<hon>{_HONORIFIC})|(?P<kin>{_KIN_DE}|{_KIN_EN})|(?P<role>{_ROLE})"
    rf"|(?P<intro>{_SELF_INTRO})|(?P<sign>{_SIGN_OFF}))"
    rf"(?:[ \t]*[,:!.]?[ \t]+|[ \t]*[,:!.]?\n)"
    rf"(?P<skip>(?:{_HONORIFIC}[ \t]+)*)"
    r"(?P<first>\p{L})"
)
_WORD_START = _stdlib_re.compile(r"[^\W\d_]+")
# Where a cue can start: the first letter run of every cue phrase, lowercased. A word of the
# note that is not in this set cannot start a cue match, so the regex is tried only there.
_CUE_ANCHORS = frozenset(
    _WORD_START.match(p.lower()).group()
    for p in (
        *HONORIFICS, *KIN_DE, *KIN_EN, *ROLES_DE, *ROLES_EN, *SELF_INTRO, *GREETING_ADJ,
        *GREETINGS, *SIGN_OFFS,
    )
)  # fmt: skip
# A note that ends with a bare name (wish lists are signed this way), optionally followed by
# an age or an address after a comma: matched on the last segment of the note only.
_SIGNATURE_RE = re.compile(
    rf"(?P<name>{NAME_TOKEN}(?:[ \t]{NAME_TOKEN}){{0,2}})"
    r"(?:,[ \t]*(?:\d|\p{Lu}[\p{L}.-]+[ \t]\d)[^\n]*)?[\s.!?:)\]\"“”]*$"
)
# After these introductions a lowercase word is still a name ("ich heiße lena"); after
# "hier ist" / "this is" it is usually not ("hier ist wieder mein Wunschzettel").
_LOWERCASE_NAME_INTRO = re.compile(r"(?i:heiße|heisse|name\sist|name\sis|name's|called)\s+$")
_THE_FAMILY_RE = re.compile(rf"\b(?i:the)\s(?P<name>{NAME_TOKEN})\s(?i:family|household)\b")
_SEGMENT_DELIMITERS = '.!?:;)]"“”\n'
_LAST_BOUNDARY = _stdlib_re.compile(r'(?s:.*)(?:[.!?:;)\]"“”\n]|  )')
_TRAILING = ' \t\r\n.!?:)]"“”'
# A signature line is short.
SIGNATURE_MAX_CHARS = 80


# Words that the prefilter must treat as person anchors although they follow the name
# ("the Rees family").
NAME_BEFORE_ANCHORS = ("family", "household")


def cue_phrases() -> list[str]:
    """Every cue phrase, lowercased (for the prefilter's Aho-Corasick anchors)."""
    return sorted(
        {
            p.lower()
            for p in (
                *HONORIFICS, *KIN_DE, *KIN_EN, *ROLES_DE, *ROLES_EN, *SELF_INTRO,
                *GREETING_ADJ, *GREETINGS, *SIGN_OFFS,
            )
        }
    )  # fmt: skip


def cue_matches(text: str) -> Iterator[re.Match[str]]:
    """All matches of the cue expression, tried at each word that could start a cue."""
    if _CUE_ANCHORS.isdisjoint(_WORD_START.findall(text.lower())):
        return
    for w in _WORD_START.finditer(text):
        if w.group().lower() in _CUE_ANCHORS:
            m = _CUE_RE.match(text, w.start())
            if m:
                yield m


def signature_match(text: str) -> re.Match[str] | None:
    """The closing-signature candidate, if any: the last segment of the note (after the last
    sentence mark, bracket, quote, newline or double space) is a capitalised name of one to
    three tokens, optionally followed by ", <age or address>". String scans first, the regex
    only on that short segment."""
    end = len(text.rstrip(_TRAILING))
    if end == 0:
        return None
    window = max(0, end - SIGNATURE_MAX_CHARS - 2)
    # The last segment delimiter, or the second blank of the last double blank, in
    # [window, end): the rightmost match of _LAST_BOUNDARY (one C-level scan instead of an
    # rfind per delimiter). Without either, ``cut`` is 0, as ``rfind("  ") + 1`` gave.
    last = _LAST_BOUNDARY.match(text, window, end)
    cut = last.end() - 1 if last else 0
    if cut < 0 and window > 0:
        return None  # no segment boundary near the end: the last segment is too long
    start = cut + 1
    while start < end and text[start].isspace():
        start += 1
    if start >= end or end - start > SIGNATURE_MAX_CHARS or not text[start].isupper():
        return None
    return _SIGNATURE_RE.match(text, start)


CLOSING_WORDS = frozenset(
    [
        "Danke",
        "Bitte",
        "Vertraulich",
        "Dringend",
        "Erledigt",
        "Fertig",
        "Ende",
        "Okay",
        "Ok",
        "Info",
        "Hinweis",
        "Achtung",
        "Wichtig",
        "Grüße",
        "Gruß",
        "Tschüss",
        "Tschüs",
        "Ciao",
        "Servus",
        "Hallo",
        "Thanks",
        "Thank",
        "Thx",
        "Cheers",
        "Sorry",
        "Done",
        "Updated",
        "Resolved",
        "Closed",
        "Pending",
        "Urgent",
        "Confidential",
        "Note",
        "Regards",
        "Bye",
        "Merci",
        "Gracias",
        "Amen",
        "Yes",
        "No",
        "Ja",
        "Nein",
        "Gut",
        "Super",
        "Toll",
        "Prima",
        "Cool",
        "Perfekt",
        "Perfect",
        "Great",
        "Fine",
        "Hi",
        "Hey",
        "Weihnachten",
        "Christmas",
        "Xmas",
        "Ostern",
        "Easter",
        "Geburtstag",
        "Birthday",
        "Frohe",
        "Merry",
        "Happy",
        "Alles",
        "Liebe",
        "Love",
        "Best",
        "Gracias",
        "Storniert",
        "Cancelled",
        "Canceled",
        "Gutschrift",
        "Refund",
        "Refunded",
        "Erstattet",
        "Geliefert",
        "Delivered",
        "Ok",
        "Kunde",
        "Kundin",
        "Customer",
        "Lieferant",
        "Supplier",
        "Zoll",
        "Einkauf",
        "Vertrieb",
        "Buchhaltung",
        "Nature",
        "Day",
        "Earth",
        "Unterschrift",
        "Signature",
        "Rückruf",
        "Callback",
        "Ausnahme",
        "Versand",
        "Lieferung",
    ]
)
_NOT_A_NAME_SUFFIX = re.compile(
    r"(?:lich|ig|isch|ung|heit|keit|schaft|tion|sion|ment|ness|ity|ed|ing|ly|bar|los|voll|"
    r"weise|chen|ismus|ist|t|en|er)$"
)


def _plausible_unknown_name(token: str) -> bool:
    """A capitalised token that is not a known given name may still be one — unless it is a
    closing word or has the suffix of an ordinary German/English word."""
    return (
        token not in CLOSING_WORDS
        and token not in NOT_A_SURNAME
        and token not in FICTIONAL
        and not _NOT_A_NAME_SUFFIX.search(token.lower())
    )


class PersonContextRecognizer(LocalRecognizer):
    """PERSON: capitalised tokens after an honorific, kinship, role, self-introduction or
    sign-off cue, or a bare signature closing the note."""

    def __init__(self, supported_language: str, first_names_file: str | Path = DEFAULT_PATH):
        self.first_names = load_first_names(first_names_file)
        self._last_spans: tuple[str, tuple[tuple[int, int, float], ...]] | None = None
        super().__init__(
            supported_entities=["PERSON"],
            supported_language=supported_language,
            name="PersonContextRecognizer",
        )

    def load(self) -> None:
        """Nothing to load: the gazetteer is read in __init__."""

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type="PERSON",
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )

    def _span_after_cue(self, text: str, kind: str, pos: int) -> tuple[int, int, float] | None:
        if kind == "intro" and text[pos].islower():
            if not _LOWERCASE_NAME_INTRO.search(text, max(0, pos - 20), pos):
                return None
            m = re.match(r"\p{L}{2,}", text[pos:])
            return (pos, pos + m.end(), 0.7) if m else None
        tokens = list(name_tokens_at(text, pos))
        if not tokens:
            return None
        words = [text[s:e] for s, e in tokens]
        if words[0] in FICTIONAL or words[0] in NOT_A_SURNAME:
            return None
        given = is_given_name(words[0], self.first_names)
        closes_clause = re.match(r"[ \t]*(?:[,;:.!?)\]\"“”\n]|$|[ \t]\p{Ll})", text[tokens[0][1] :])
        if kind in ("hon", "intro"):
            if not given and words[0] in CLOSING_WORDS:
                return None
            n = min(len(tokens), 3 if given else 1)
            if given and n > 1 and words[n - 1] in NOT_A_SURNAME:
                n -= 1
            return tokens[0][0], tokens[n - 1][1], 0.85
        if kind == "kin":
            if given:
                return tokens[0][0], tokens[min(len(tokens), 2) - 1][1], 0.8
            if closes_clause and _plausible_unknown_name(words[0]):
                return tokens[0][0], tokens[0][1], 0.5
            return None
        if kind == "role":
            if given:
                return tokens[0][0], tokens[min(len(tokens), 3) - 1][1], 0.8
            if len(tokens) >= 2 and all(_plausible_unknown_name(w) for w in words[:2]):
                return tokens[0][0], tokens[1][1], 0.6
            return None
        # sign-off
        if given:
            return tokens[0][0], tokens[min(len(tokens), 2) - 1][1], 0.85
        at_end = re.match(r"[\s.!?)\]\"“”]*$|\s(?:and|und|&)\s\p{Lu}", text[tokens[0][1] :])
        if at_end and _plausible_unknown_name(words[0]):
            return tokens[0][0], tokens[0][1], 0.6
        return None

    def find_spans(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, score) of every name this recognizer reports; the prefilter calls this
        too, so both apply exactly the same rules. The last text's result is kept: the
        prefilter and then Presidio ask for the same note one after the other."""
        cached = self._last_spans
        if cached is not None and (cached[0] is text or cached[0] == text):
            return list(cached[1])
        spans = self._find_spans(text)
        self._last_spans = (text, tuple(spans))
        return spans

    def _find_spans(self, text: str) -> list[tuple[int, int, float]]:
        spans: list[tuple[int, int, float]] = []
        for m in cue_matches(text):
            kind = next(k for k in ("hon", "kin", "role", "intro", "sign") if m.group(k))
            gap = text[m.end(kind) : m.start("first")]
            if m.group("skip"):
                kind = "hon"  # "Ansprechpartner Herr Kaiser": the honorific decides
            elif kind in ("hon", "kin", "role") and any(ch in gap for ch in "\n.!"):
                # A sentence ends between the cue and the capitalised word ("... my sister.
                # Safe travels", "Anrede in Frau. Lieferadresse"): not a name.
                continue
            span = self._span_after_cue(text, kind, m.start("first"))
            if span:
                spans.append(span)
        for m in _THE_FAMILY_RE.finditer(text):  # "the Rees family", "die Familie Rees" is a cue
            spans.append((m.start("name"), m.end("name"), 0.8))
        sig = signature_match(text)
        if sig and not NOT_A_PERSON_BEFORE.search(text, 0, sig.start("name")):
            tokens = list(name_tokens_at(text, sig.start("name")))
            words = [text[s:e] for s, e in tokens]
            if tokens and is_given_name(words[0], self.first_names):
                spans.append((tokens[0][0], tokens[-1][1], 0.7))
            elif len(tokens) == 1 and _plausible_unknown_name(words[0]):
                spans.append((tokens[0][0], tokens[0][1], 0.5))
        return spans

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = [self._result(*span) for span in self.find_spans(text)]
        return EntityRecognizer.remove_duplicates(results)
