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

Letter register (clinical letters, signature blocks): academic titles count as honorifics
("Prof. Dr. med.", "OA", "Priv.-Doz.": config/person_words.yaml), so the name after the last
one is taken; initials before a surname ("Dr. W. Fleischmann") and an initial alone after an
honorific ("Herrn W. empfohlen"), a particle before a surname ("Frau van Dijk"), and up to three
name tokens directly before a birth-date cue ("Quandt, Mirella, geb. 03.02.1961"). Rank nouns
after an honorific ("Frau Kollegin", "Herr Professor", inflected forms generated from the YAML)
are never a name; a name may follow them.

Accuracy note: precise after honorifics (a following German noun is only taken as a surname
when the first token is a known given name). Kinship and role cues accept a non-gazetteer word
only in weaker forms (two capitalised tokens, or the word closes the clause), because German
capitalises nouns ("Oma Geschenke"). A closing signature that is not a known given name scores
0.5 and is checked against a list of closing words ("Danke", "Vertraulich", "Updated").
A one-word closing that is a frequent English word ("Why?", "Help!", config/common_words_en.txt)
or a rank noun is no signature. Misses: names without any cue that are not in the gazetteer (see
common_person_name_gazetteer_recognizer), all-lowercase or all-caps names, names in
possessive forms ("Pauls Rad").
"""

from __future__ import annotations

import functools
import re as _stdlib_re
import sys
from array import array
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import regex as re
from presidio_analyzer import EntityRecognizer, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_scanners.recognizers._names import (
    FICTIONAL,
    NAME_TOKEN,
    NAME_TOKEN_RE,
    NOT_A_PERSON_BEFORE,
    NOT_A_SURNAME,
    is_given_name,
    name_tokens_at,
)
from pii_scanners.recognizers._person_words import (
    plural_honorifics,
    postnominal_degrees,
    role_nouns,
    titles,
)
from pii_scanners.recognizers.first_names import DEFAULT_PATH, load_common_words, load_first_names

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
    # Academic and professional titles (config/person_words.yaml): "Prof. Dr. med. Huber".
    *titles(),
]
# Rank and role nouns after an honorific are not a name ("Frau Kollegin", "Herr Professor").
ROLE_NOUNS = role_nouns()
# Frequent English words: a one-word closing segment such as "Why?" or "Help!" is no signature.
COMMON_WORDS = load_common_words()
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
    *["Patientin", "Patienten", "Pat.", "Schüler", "Schülerin", "Wunschliste", "Wunschzettel"],
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


def _first_word(phrase: str) -> str:
    """The letter run a cue phrase starts with, case-folded ("z. Hd." -> "z")."""
    return _WORD_START.match(phrase.lower()).group().casefold()


def _alternation_for(phrases: list[str], word: str) -> str | None:
    """``_alternation`` of the phrases that can start at a note word whose lowercase form is
    ``word`` (None when there are none).

    Why this keeps ``_CUE_RE``'s result: a phrase's first letter run is followed by a
    non-letter (or ends the phrase, and the separator follows), so it must match the whole
    note word, which even under (?i) needs the same case folding. Every phrase with that
    case-folded first run is kept (a superset), in the same longest-first order, and a
    dropped phrase fails at this word whatever follows."""
    key = word.casefold()
    kept = [p for p in phrases if _first_word(p) == key]
    return _alternation(kept) if kept else None


def _one_of(*alternatives: str | None) -> str:
    """The alternatives in order, absent ones dropped; ``(?!)`` (never matches) when none is
    left, so a named group that cannot match at this word stays in the pattern."""
    kept = [a for a in alternatives if a is not None]
    return "|".join(kept) if kept else "(?!)"


def _case_insensitive(alternation: str | None) -> str | None:
    return None if alternation is None else f"(?i:{alternation})"


_CUE_KINDS = ("hon", "kin", "role", "intro", "sign")
_GREETING_TAIL = r"(?:\s(?:von|aus\s\p{Lu}\p{Ll}+))?"
_CUE_END = (
    rf"(?:[ \t]*[,:!.]?[ \t]+|[ \t]*[,:!.]?\n)"
    rf"(?P<skip>(?:{_HONORIFIC}[ \t]+)*)"
    r"(?P<first>\p{L})"
)


def _cue_pattern_for(word: str) -> tuple[str, tuple[str, ...]]:
    """``_CUE_RE`` restricted to the cue phrases that can start at a note word whose lowercase
    form is ``word``: the same groups and the same order of alternatives, so its ``match`` at
    such a word returns what ``_CUE_RE.match`` returns there, but the engine tries a handful
    of phrases instead of some four hundred. Also the cue kinds (group names) that can match
    at all, in ``_CUE_KINDS`` order."""
    adjectives = _alternation_for(GREETING_ADJ, word)
    if adjectives is not None:  # "Liebe Grüße": after the adjective any greeting word
        greeting: str | None = f"(?:(?i:{adjectives})\\s)?{_alternation(GREETINGS)}{_GREETING_TAIL}"
    else:
        greetings = _alternation_for(GREETINGS, word)
        greeting = None if greetings is None else greetings + _GREETING_TAIL
    hon = _one_of(_alternation_for(HONORIFICS, word))
    kin = _one_of(_alternation_for(KIN_DE, word), _case_insensitive(_alternation_for(KIN_EN, word)))
    role = _one_of(
        _alternation_for(ROLES_DE, word), _case_insensitive(_alternation_for(ROLES_EN, word))
    )
    intro = _one_of(_case_insensitive(_alternation_for(SELF_INTRO, word)))
    sign = _one_of(greeting, _alternation_for(SIGN_OFFS, word))
    pattern = (
        rf"(?<![\p{{L}}\d-])(?:(?P<hon>{hon})|(?P<kin>{kin})|(?P<role>{role})"
        rf"|(?P<intro>{intro})|(?P<sign>(?:{sign})))" + _CUE_END
    )
    groups = dict(zip(_CUE_KINDS, (hon, kin, role, intro, sign), strict=True))
    return pattern, tuple(k for k in _CUE_KINDS if groups[k] != "(?!)")


# Compiled on first use (a note meets few of the ~200 cue words; compiling all would add
# about a second to the import).
_CUE_RE_BY_WORD: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] = {}
_CUE_WORD_FINDERS: dict[str, _stdlib_re.Pattern[str]] = {}


def _cue_re_for(word: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The compiled ``_cue_pattern_for(word)`` and the kinds that can match with it."""
    compiled = _CUE_RE_BY_WORD.get(word)
    if compiled is None:
        pattern, kinds = _cue_pattern_for(word)
        compiled = _CUE_RE_BY_WORD[word] = (re.compile(pattern), kinds)
    return compiled


def _cue_word_finder(word: str) -> _stdlib_re.Pattern[str]:
    """``word`` as a whole letter run (the runs of ``_WORD_START``). The literal comes first
    and the boundary before it is tested behind it, so the engine can scan for the literal."""
    pattern = _CUE_WORD_FINDERS.get(word)
    if pattern is None:
        literal = _stdlib_re.escape(word)
        pattern = _CUE_WORD_FINDERS[word] = _stdlib_re.compile(
            rf"{literal}(?<![^\W\d_]{literal})(?![^\W\d_])"
        )
    return pattern


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
# Part of every _THE_FAMILY_RE match, same engine and case folding: one literal search instead
# of the full pattern at every word boundary; before it, substring tests on the lowercased note
# (``_FAMILY_HINTS``).
_FAMILY_WORD = re.compile(r"(?i:family|household)")
# Tests in _span_after_cue, precompiled and matched at an offset of the whole text (none of
# them looks behind, and "$" is the end of the text either way, as it was with a tail slice).
_LETTERS2 = re.compile(r"\p{L}{2,}")
_CLOSES_CLAUSE = re.compile(r"[ \t]*(?:[,;:.!?)\]\"“”\n]|$|[ \t]\p{Ll})")
_AT_END = re.compile(r"[\s.!?)\]\"“”]*$|\s(?:and|und|&)\s\p{Lu}")
# Letter register (clinical letters, signature blocks): initials before a surname ("Dr. W.
# Fleischmann", "Prof. K. O. von Hausen", "Patientin M. Boeck"), an initial alone after an
# honorific ("Herrn W. empfohlen"), a surname particle after an honorific ("Frau de
# Beauharnais"), a surname in capitals after initials ("Dr. H. BLASENSTEIN").
_INITIALS = re.compile(r"(?:\p{Lu}\p{Ll}?\.(?:[ \t](?=\p{Lu}\p{Ll}?\.)|(?=[ \t\n,;:!?)]|$))){1,3}")
_NOT_INITIALS = frozenset(
    ["Dr.", "Fr.", "Hr.", "St.", "Nr.", "Co.", "Ca.", "Mr.", "Ms.", "Mx.", "Hd.", "Kd."]
)
_PARTICLES = r"(?:von|van|de|da|di|del|della|ten|ter|du|dos)"
_SURNAME_AFTER_INITIALS = re.compile(
    rf"[ \t]*(?:(?:{_PARTICLES}[ \t]+){{0,2}})(?:{NAME_TOKEN}|\p{{Lu}}{{2,}}(?:-\p{{Lu}}{{2,}})*)"
    r"(?![\p{L}\d'’-])"
)
_INITIAL_ALONE = re.compile(r"(?=[ \t]+\p{Ll}|[ \t]*(?:[,;:!?)\n]|$))")
_PARTICLE_NAME = re.compile(
    rf"{_PARTICLES}(?:[ \t]+(?:der|den|dem|la|le))?[ \t]+{NAME_TOKEN}(?![\p{{L}}\d'’-])"
)
# A capitalised token followed by a house number (or a street word and a house number) is a
# street ("Herr Dr. Öhler Kaiserweg 3", "Dr. Steffen Schlauberger Kärntner Straße 33").
_HOUSE_NUMBER_NEXT = re.compile(
    r"[ \t]+(?:\d{1,4}(?!\d)|(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm)[ \t]+\d)"
)
# A second unknown token ends the line or the clause: "Dr. med. Jodok Jaffé-Lichtenstein".
_LINE_END = re.compile(r"[ \t]*(?:[,;\n]|$)")
_HONORIFIC_SKIP = re.compile(rf"(?:[ \t]+{_HONORIFIC})*[ \t]+(?=\p{{L}})")


# A name right before a birth date ("Beate Albers (* 4.4.1997)", "Fuss, Flora, geb. 28.05.2028",
# "Helmfried Koenig * 13.09.1955"): the birth date says the tokens before it name a person.
_BIRTH_CUE = re.compile(
    r"(?:[ \t]*,[ \t]*|[ \t]+|[ \t]*\([ \t]*)(?:geb\.|geboren|\*)[ \t]*(?:am[ \t]+)?\d"
)
_BIRTH_GATE = _stdlib_re.compile(r"(?:geb\.|geboren|\*)[ \t]*(?:am[ \t]+)?\d")
_SEGMENT_TOKEN = re.compile(r"[^\s,()]+")
_NAMEISH = re.compile(rf"(?:{NAME_TOKEN}|\p{{Lu}}{{2,}}(?:-\p{{Lu}}{{2,}})*|\p{{Lu}}\p{{Ll}}?\.)")
_ABSTRACT_NOUN = re.compile(r"(?:ung|heit|keit|schaft|tion|sion|ismus|tät|nis|ment)$")
BIRTH_NAME_MAX_TOKENS = 3


# Degrees after a name ("Yorgos Kokiniakis MD PhD"): config/person_words.yaml.
_DEGREES = "|".join(
    _stdlib_re.escape(d) for d in sorted(postnominal_degrees(), key=len, reverse=True)
)
# Not a measurement ("RA MD 4.97": mean deviation): no number follows.
_DEGREE_CUE = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]+)(?:{_DEGREES})(?![\p{{L}}\d])(?![ \t]*[-+]?\d)")
_DEGREE_GATE = _stdlib_re.compile(rf"(?:{_DEGREES})(?![^\W\d_]|\d)")


def birth_anchored_spans(text: str, first_names: frozenset[str]) -> list[tuple[int, int, float]]:
    """Names directly before a birth-date cue on the same line (up to three tokens, separated
    by blanks or a comma: "Surname, Given" is a common inverted form in letters)."""
    return _anchored_spans(text, _BIRTH_CUE, first_names)


def degree_anchored_spans(text: str, first_names: frozenset[str]) -> list[tuple[int, int, float]]:
    """Names directly before a postnominal degree on the same line ("Huber MBA")."""
    return _anchored_spans(text, _DEGREE_CUE, first_names)


def _anchored_spans(
    text: str, cue: re.Pattern[str], first_names: frozenset[str]
) -> list[tuple[int, int, float]]:
    spans: list[tuple[int, int, float]] = []
    for m in cue.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        parts = list(_SEGMENT_TOKEN.finditer(text, max(line_start, m.start() - 80), m.start()))
        if not parts or parts[-1].end() != m.start():
            continue
        taken: list[re.Match[str]] = []
        for part in reversed(parts[-BIRTH_NAME_MAX_TOKENS:]):
            word = part.group()
            if not _NAMEISH.fullmatch(word) or not _birth_name_word(word, first_names):
                break
            taken.append(part)
        # At least one written word (not only initials; after a degree not only capitals).
        if any(
            not w.group().endswith(".") and (cue is _BIRTH_CUE or not w.group().isupper())
            for w in taken
        ):
            spans.append((taken[-1].start(), taken[0].end(), 0.7))
    return spans


def _birth_name_word(word: str, first_names: frozenset[str]) -> bool:
    if is_given_name(word, first_names):
        return True
    return not (
        word in _NOT_BIRTH_NAMES
        or word in ROLE_NOUNS
        or word.lower() in COMMON_WORDS
        or _ABSTRACT_NOUN.search(word.lower())
    )


# ``letter_hint``: a necessary condition of the letter-register spans above, for
# ``could_find_spans`` and the prefilter (whose cue anchor test needs a capital after the cue).
# Initials follow an honorific, a role cue or (in ``_span_after_cue``'s rank-noun step) a
# capitalised rank noun directly; a particle follows an honorific (a skipped honorific chain
# ends with one); a birth-date name needs ``_BIRTH_GATE``.
# Stage one of each gate is a C-level scan of the stdlib engine: an initial-shaped word after a
# blank (every cue and skipped title ends with blanks) that is not one of ``_NOT_INITIALS``
# (``initials_span`` rejects those at the start), "geb"/"*" for birth dates; a particle after
# an honorific is one stdlib trie (``_HONORIFIC_LETTER_GATE``, compiled below ``phrase_trie``).
_INITIAL_SHAPE = _stdlib_re.compile(
    r"[^\W\d_a-zäöüß](?<=\s.)[^\W\d_]?\."
    + "".join(f"(?<!{_stdlib_re.escape(w)})" for w in sorted(_NOT_INITIALS))
)
_INITIAL_CUE_GATE = re.compile(
    rf"(?:{_HONORIFIC}|{_ROLE}|\p{{Lu}}\p{{Ll}}+)[ \t]*[,:!.]?\s+\p{{Lu}}\p{{Ll}}?\."
)


# "Drs. Seiler und Wantzer": after a plural honorific the name after "und"/"and"/"&" too.
_PLURAL_HONORIFIC_BEFORE = re.compile(
    "(?:" + "|".join(re.escape(h) for h in plural_honorifics()) + r")[ \t]+$"
)
_AND_NAME = re.compile(rf"[ \t]+(?:und|and|&)[ \t]+({NAME_TOKEN})(?![\p{{L}}\d'’-])")


def second_names(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The second name of "Drs. Seiler und Wantzer" for each span after a plural honorific."""
    out = []
    for start, end, score in spans:
        if _PLURAL_HONORIFIC_BEFORE.search(text, max(0, start - 16), start):
            m = _AND_NAME.match(text, end)
            if m and m.group(1) not in NOT_A_SURNAME:
                out.append((m.start(1), m.end(1), score))
    return out


# An inverted name with the surname in capitals after an honorific ("Frau DAMARIS, Dyonisia").
_CAPS_INVERTED = re.compile(
    rf"\p{{Lu}}{{3,}}(?:-\p{{Lu}}{{2,}})*,[ \t]*{NAME_TOKEN}(?![\p{{L}}\d'’-])"
)


def letter_hint(text: str) -> bool:
    """False only if the letter-register rules (initials, particles, birth-date names) can
    find nothing in ``text``."""
    return bool(
        (("geb" in text or "*" in text) and _BIRTH_GATE.search(text))
        or (_INITIAL_SHAPE.search(text) and _INITIAL_CUE_GATE.search(text))
        or _HONORIFIC_LETTER_GATE.search(text)
        or _DEGREE_GATE.search(text)
    )


def initials_span(text: str, pos: int, alone: bool) -> tuple[int, int] | None:
    """(start, end) of initials at ``pos`` with the surname after them ("W. Fleischmann",
    "K. O. von Hausen"), or — with ``alone`` (after an honorific) — of the initials by
    themselves when a lowercase word or the clause end follows ("Herrn W. empfohlen")."""
    m = _INITIALS.match(text, pos)
    if not m or text[pos : pos + 3] in _NOT_INITIALS:
        return None
    surname = _SURNAME_AFTER_INITIALS.match(text, m.end())
    if surname:
        return pos, surname.end()
    if alone and _INITIAL_ALONE.match(text, m.end()):
        return pos, m.end()
    return None


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
    for m, _kinds in _cue_matches(text, text.lower()):
        yield m


def _cue_matches(text: str, lowered: str) -> Iterator[tuple[re.Match[str], tuple[str, ...]]]:
    """``cue_matches`` with, for each match, the kinds whose group can be the one that matched
    (``lowered`` is ``text.lower()``).

    Fast path: the letter runs of ``text.lower()`` are those of ``text`` at the same offsets,
    each the lowercase of the original run, whenever lowercasing keeps the length (only "İ"
    grows; lowercasing never turns a letter into a non-letter or back, and the one
    context-dependent mapping, final sigma, cannot make or break a Latin cue word). So the
    cue words present are one set intersection, their offsets a literal search each, and
    at each offset a regex with only that word's phrases runs (``_cue_pattern_for``)."""
    if len(lowered) != len(text):
        for m in _cue_matches_by_word(text, lowered):
            yield m, _CUE_KINDS
        return
    present = _CUE_ANCHORS.intersection(_WORD_START.findall(lowered))
    if not present:
        return
    if len(present) == 1:
        (word,) = present
        starts = [(w.start(), word) for w in _cue_word_finder(word).finditer(lowered)]
    else:
        starts = sorted(
            (w.start(), word) for word in present for w in _cue_word_finder(word).finditer(lowered)
        )
    for start, word in starts:
        pattern, kinds = _cue_re_for(word)
        m = pattern.match(text, start)
        if m:
            yield m, kinds


def _cue_matches_by_word(text: str, lowered: str) -> Iterator[re.Match[str]]:
    """The general form of ``cue_matches`` (any text, e.g. with "İ"): every letter run of
    ``text`` whose lowercase form is a cue word, after a whole-note test on ``lowered``."""
    if _CUE_ANCHORS.isdisjoint(_WORD_START.findall(lowered)):
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
    # Cheap necessary condition: before the first comma (or the end) the segment holds one to
    # three names separated by single blanks, then only whitespace (a comma starts the age or
    # address; every other trailing mark is a segment delimiter). Names contain no character
    # that ``str.split`` splits on, and every ``\s`` of the regex engine is one it splits on.
    comma = text.find(",", start, end)
    if len(text[start : end if comma < 0 else comma].split(None, 3)) > 3:
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
# Cue words and closing words are never the name before a birth date ("Sohn, geb. 2019").
_NOT_BIRTH_NAMES = frozenset(
    [
        *HONORIFICS,
        *KIN_DE,
        *ROLES_DE,
        *CLOSING_WORDS,
        *NOT_A_SURNAME,
        *FICTIONAL,
        *postnominal_degrees(),
    ]
) | frozenset(w.capitalize() for w in KIN_EN)
_NOT_A_NAME_SUFFIX = re.compile(
    r"(?:lich|ig|isch|ung|heit|keit|schaft|tion|sion|ment|ness|ity|ed|ing|ly|bar|los|voll|"
    r"weise|chen|ismus|ist|t|en|er)$"
)


def _before_house_number(text: str, tokens: list[tuple[int, int]], n: int) -> int:
    """``n``, less one when the n-th token is followed by a house number (a street name)."""
    if n > 1 and _HOUSE_NUMBER_NEXT.match(text, tokens[n - 1][1]):
        return n - 1
    return n


def _plausible_unknown_name(token: str) -> bool:
    """A capitalised token that is not a known given name may still be one — unless it is a
    closing word or has the suffix of an ordinary German/English word."""
    return (
        token not in CLOSING_WORDS
        and token not in NOT_A_SURNAME
        and token not in FICTIONAL
        and not _NOT_A_NAME_SUFFIX.search(token.lower())
    )


# --- A cheap necessary condition of a non-empty ``find_spans`` (``could_find_spans``) -------
#
# Why: the prefilter would run ``find_spans`` on every note with a cue word followed by a
# capital, one note in six in CRM notes and wish lists ("Dear Father Christmas", "Kd. wollte
# ...", "hier ist wieder mein Wunschzettel"), while about one in eighty has a span. This test
# rejects most of those in C and is true whenever ``find_spans`` reports anything, because:
# - a cue span needs a ``_CUE_RE`` match whose ``first`` letter starts a NAME_TOKEN (a capital,
#   then a small letter or an apostrophe) — except after a self-introduction followed by a
#   small letter, which needs ``_LOWERCASE_NAME_INTRO`` (``_NAMING_INTRO`` below). The gap
#   before ``first`` holds no "\n", "." or "!" unless the cue is a sign-off or introduction or
#   honorifics were skipped; a skipped honorific is itself a cue before ``first`` with a plain
#   gap, so that case needs no branch of its own. The token is not fictional, not in
#   NOT_A_SURNAME, and not a closing word unless it is a given name (``_could_be_name``);
# - a family span needs "family" or "household";
# - a signature span needs ``signature_match``, of which ``_MAYBE_SIGNATURE`` is a superset.
# The cue structure is one stdlib regex on the reversed note: it starts at the capital, so the
# engine scans for capitals in C and tries the cue phrases only behind them. Phrases of the
# case-sensitive lists are literal; a letter of a (?i) phrase matches every character whose
# lowercase is that letter and every character the regex engine's (?i) equates with it ("ſ"
# with "s", ``_FOLD_ONLY``). The substring tests on the lowercased note use parts of words
# without such letters, or test for the equivalent itself. A note whose lowercase copy has
# another length ("İ") goes to ``find_spans`` unconditionally. Classes standing for \p{Lu},
# \p{Ll} or ``str.isupper`` take every such BMP character of either Unicode table (the regex
# module's is newer than Python's) and all code points above the BMP; the cue's look-behind is
# only approximated from the safe side (Latin letters, digits and "-" reject). The fast-path
# test checks these premises against both engines.


@functools.cache
def _bmp_code_points() -> str:
    """Every BMP code point once, as one string (surrogates included), for C-level class
    scans while the tables below are built (the cache is cleared after them)."""
    return array("H", range(0x10000)).tobytes().decode("utf-16-le", "surrogatepass")


def char_class(chars: Iterable[str], supplementary: bool = False, negate: bool = False) -> str:
    """A stdlib regex class of ``chars`` (or, ``negate``, of all others); with ``supplementary``
    all code points above the BMP instead of those among ``chars``. Why: the engine looks BMP
    members up in a table but tests the ranges above the BMP one by one (ten times slower for a
    big set such as all capitals), so a class that may accept more uses one range there."""
    points = sorted({ord(ch) for ch in chars if not supplementary or ord(ch) < 0x10000})
    ranges: list[list[int]] = []
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    if supplementary:
        ranges.append([0x10000, sys.maxunicode])
    esc = _stdlib_re.escape
    return (
        ("[^" if negate else "[")
        + "".join(esc(chr(a)) if a == b else f"{esc(chr(a))}-{esc(chr(b))}" for a, b in ranges)
        + "]"
    )


# The characters whose lowercase is a Latin letter although they are neither its upper- nor
# its title-case form, and the characters that the regex engine's case-insensitive matching
# equates with a cue letter although their lowercase is another character. Both are results
# of a scan over all of Unicode (0.1 s at import), so they are written out here and the
# fast-path test repeats the scans against the running Python and regex module.
_OTHER_LOWERCASE_PREIMAGES = {"k": "\u212a", "å": "\u212b", "ß": "\u1e9e"}
_FOLD_ONLY = {"i": "\u0130", "s": "\u017f", "ß": "\U0001df95"}


def lowercase_preimages(ch: str) -> list[str]:
    """The characters whose ``str.lower()`` is ``ch``, a Latin character that is its own
    lowercase ("k": K, k and the Kelvin sign)."""
    same = dict.fromkeys(x for x in (ch, ch.upper(), ch.title()) if len(x) == 1)
    return [x for x in same if x.lower() == ch] + list(_OTHER_LOWERCASE_PREIMAGES.get(ch, ""))


def case_variants(chars: Iterable[str], extra: dict[str, str] | None = None) -> dict[str, str]:
    """For each lowercase (Latin) character, a stdlib regex matching exactly the characters
    whose ``str.lower()`` is that character, and those in ``extra[ch]``. A regex built from
    these asks on the original text what comparing ``text.lower()`` with a lowercase phrase
    asks."""
    variants = {}
    for ch in set(chars):
        same = lowercase_preimages(ch) + list((extra or {}).get(ch, ""))
        variants[ch] = _stdlib_re.escape(same[0]) if len(same) == 1 else char_class(same)
    return variants


def phrase_trie(phrases: Iterable[str], variants: dict[str, str] | None = None) -> str:
    r"""One stdlib alternation of literal phrases, factored by common prefix: the engine tests
    the next character against a few branches instead of trying every phrase, and skips a
    branch in C when its first character does not fit. With ``variants`` a letter matches
    every character whose lowercase it is (``case_variants``); a space stands for any
    whitespace (``\s``, as in the cue expression)."""
    root: dict[str, dict] = {}
    for phrase in phrases:
        node = root
        for ch in phrase:
            node = node.setdefault(ch.lower() if variants else ch, {})
        node[""] = {}

    def token(ch: str) -> str:
        if ch == " ":
            return r"\s"
        return variants[ch] if variants and ch in variants else _stdlib_re.escape(ch)

    def emit(node: dict[str, dict]) -> str:
        branches = [token(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        return f"(?:{body})?" if "" in node else body

    return emit(root)


# ``letter_hint``'s honorific tests in one scan: an honorific (the phrases literally, as in
# ``_HONORIFIC``), the cue separator, then a surname particle, or three capitals and a comma
# later (a letter class that may hold a capital stands for \p{Lu}).
_HONORIFIC_LETTER_GATE = _stdlib_re.compile(
    f"(?:{phrase_trie(HONORIFICS)})[ \\t]*[,:!.]?\\s+"
    f"(?:{_PARTICLES}[ \\t]|[^\\W\\d_a-zäöüß]{{3,}}[^\\s,]*,)"
)
# The words _THE_FAMILY_RE and _LOWERCASE_NAME_INTRO need (under (?i)).
_FAMILY_WORDS = ("family", "household")
_NAMING_INTRO_WORDS = ("heiße", "heisse", "name ist", "name is", "name's", "called")
_PHRASE_LETTERS = {
    ch
    for phrase in (
        *HONORIFICS, *KIN_DE, *KIN_EN, *ROLES_DE, *ROLES_EN, *SELF_INTRO, *GREETING_ADJ,
        *GREETINGS, *SIGN_OFFS, "von", "aus", *_FAMILY_WORDS, *_NAMING_INTRO_WORDS,
    )
    for ch in phrase.lower()
    if ch.isalpha()
}  # fmt: skip
assert set(_FOLD_ONLY) <= _PHRASE_LETTERS
_CASE_VARIANTS = case_variants(_PHRASE_LETTERS, _FOLD_ONLY)
# Substrings of the lowercased note that those words need, in any case and with every
# equivalent of the regex engine: a part without a letter that has a _FOLD_ONLY equivalent,
# or else that equivalent itself ("ſ" for "s", U+1DF95 for "ß"); "i" needs none, because its
# one ("İ") lowercases to two characters (callers check the length).
_FAMILY_HINTS = ("family", "ehold")
_NAMING_INTRO_HINTS = ("eiße", "eisse", "name", "called", "ſ", "\U0001df95")
# _LOWERCASE_NAME_INTRO's words on the lowercased note, with those equivalents.
_NAMING_INTRO = _stdlib_re.compile(
    phrase_trie(
        _NAMING_INTRO_WORDS, {c: char_class(c + more) for c, more in _FOLD_ONLY.items() if more}
    )
    + r"\s"
)


def _reversed_trie(phrases: Iterable[str], ignore_case: bool) -> str:
    """Phrases reversed, as in the cue expression: literal, or under (?i) ``ignore_case``."""
    return phrase_trie((p[::-1] for p in phrases), _CASE_VARIANTS if ignore_case else None)


def _bmp_class(*, regex_property: str = "", predicate: str = "", extra: str = "") -> set[str]:
    r"""The BMP characters with the regex engine's ``\p{regex_property}`` or with
    ``str.predicate``, plus ``extra``."""
    bmp = _bmp_code_points()
    chars = set(extra)
    if regex_property:
        chars.update(re.findall(rf"\p{{{regex_property}}}", bmp))
    if predicate:
        chars.update(filter(getattr(str, predicate), bmp))
    return chars


# Capitals (\p{Lu} of the regex engine, and ``str.isupper`` for ``signature_match``) and what
# follows the capital of a NAME_TOKEN (\p{Ll} or an apostrophe): every such character. What
# surely precedes no cue (``(?<![\p{L}\d-])``): Latin letters, ASCII digits and "-" (a small
# class; rejecting fewer accepts more).
_UPPER = char_class(_bmp_class(regex_property="Lu", predicate="isupper"), supplementary=True)
_SMALL_OR_APOSTROPHE = char_class(_bmp_class(regex_property="Ll", extra="'’"), True)
_SURE_WORD_CHAR = char_class(
    {ch for ch in map(chr, range(0x250)) if ch.isalpha() and re.match(r"\p{L}", ch)}
    | set("0123456789-")
)


def _cues_back(case_sensitive: list[str], case_insensitive: list[str]) -> str:
    """The cue phrases reversed, with ``_SIGN_OFF``'s greeting branch ("[Liebe ]Grüße[ von|aus
    Bonn]") and the cue expression's look-behind (in the reversed note: look-ahead)."""
    # "\s(?:von|aus\s\p{Lu}\p{Ll}+)" read backwards; the look-ahead (the town has no blank)
    # spares trying the town's letters behind every capital.
    aus = _reversed_trie(["aus"], False)
    tail = (
        rf"(?:(?:{_reversed_trie(['von'], False)}"
        rf"|(?=\S*+\s{aus}\s){_SMALL_OR_APOSTROPHE}+{_UPPER}\s{aus})\s)?"
    )
    greeting = (
        f"{tail}{_reversed_trie(GREETINGS, False)}"
        rf"(?:\s{_reversed_trie(GREETING_ADJ, True)})?"
    )
    return (
        f"(?:{_reversed_trie(case_sensitive, False)}|{_reversed_trie(case_insensitive, True)}"
        f"|{greeting})(?!{_SURE_WORD_CHAR})"
    )


# Reversed, the separator between cue and name (``_CUE_END``) is blanks, then at most one of
# ",:" — or of ".!", or a newline, then only after a sign-off or self-introduction — then
# blanks.
_ANY_CUE_BACK = _cues_back(
    [*HONORIFICS, *KIN_DE, *ROLES_DE, *SIGN_OFFS], [*KIN_EN, *ROLES_EN, *SELF_INTRO]
)
_SIGN_OR_INTRO_BACK = _cues_back(SIGN_OFFS, SELF_INTRO)
# Possessive: no cue phrase ends with a blank, "," or ":" (and no sign-off or introduction with
# "." or "!"), so each run of blanks is taken whole, and long runs cost linear time.
_CUE_BEFORE_NAME = _stdlib_re.compile(
    f"{_UPPER}(?<={_SMALL_OR_APOSTROPHE}.)(?:"
    rf"[ \t]++(?:(?:[,:][ \t]*+)?{_ANY_CUE_BACK}|[.!][ \t]*+{_SIGN_OR_INTRO_BACK})"
    rf"|\n[,:!.]?[ \t]*+{_SIGN_OR_INTRO_BACK})"
)
# ``signature_match`` is not None only if, from the end of the note backwards: the stripped
# trailing marks; whitespace, or an ", <age or address>" tail without segment delimiters
# (", 7", ", Hauptstraße 5"); one to three NAME_TOKEN-like words (a capital, then a small
# letter or an apostrophe, no blank, delimiter or comma) separated by single blanks; then
# whitespace and a segment delimiter or double blank, or whitespace and the first character
# of the note (which ``signature_match`` skips when it finds no delimiter).
_NAME_CHAR = r'[^\s,.!?:;)\]"“”]'
_NAME_BACK = f"{_NAME_CHAR}*{_SMALL_OR_APOSTROPHE}{_UPPER}"
_DIGITS = _bmp_class(regex_property="Nd", predicate="isdecimal")
_DIGIT = char_class(_DIGITS, supplementary=True)
# Up to a digit within the segment (one pass): the tail needs one (a look-ahead that saves
# searching the segment for a comma with a digit after it in most notes).
_TO_DIGIT = char_class(_DIGITS | set('\n.!?:;)]"“”'), supplementary=True, negate=True)
_MAYBE_SIGNATURE = _stdlib_re.compile(
    r'[ \t\r\n.!?:)\]"“”]*+(?:\s*|(?=' + _TO_DIGIT + "*+" + _DIGIT + r')[^\n.!?:;)\]"“”]*'
    rf"(?:{_DIGIT}|{_DIGIT}[ \t]{_NAME_CHAR}+{_UPPER})[ \t]*,)"
    rf"(?:{_NAME_BACK}[ \t]){{0,2}}{_NAME_BACK}"
    r'(?:\s*[.!?:;)\]"“”\n]|\s*(?s:.)\Z|\s\s)'
)
_bmp_code_points.cache_clear()


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

    def _span_after_cue(
        self, text: str, kind: str, pos: int, depth: int = 0
    ) -> tuple[int, int, float] | None:
        if kind == "intro" and text[pos].islower():
            if not _LOWERCASE_NAME_INTRO.search(text, max(0, pos - 20), pos):
                return None
            m = _LETTERS2.match(text, pos)
            return (pos, m.end(), 0.7) if m else None
        if kind in ("hon", "role"):
            span = initials_span(text, pos, alone=kind == "hon")
            if span:
                return span[0], span[1], 0.85 if kind == "hon" else 0.8
            if kind == "hon":
                caps = _CAPS_INVERTED.match(text, pos)
                if caps:
                    return pos, caps.end(), 0.85
            if kind == "hon" and depth == 0 and text[pos].islower():
                m = _PARTICLE_NAME.match(text, pos)
                return (pos, m.end(), 0.85) if m else None
        # Every rule below looks at the first three tokens at most (and at ``len`` only up to
        # three): stopping there keeps "Herr Anna Herr Anna ..." linear.
        tokens = list(islice(name_tokens_at(text, pos), 3))
        if not tokens:
            return None
        words = [text[s:e] for s, e in tokens]
        if words[0] in FICTIONAL or words[0] in NOT_A_SURNAME:
            return None
        if kind == "hon" and words[0] in ROLE_NOUNS:
            # "Frau Kollegin", "Herr Professor Huber": the rank noun is no name; a name may
            # follow it on the same line (after more titles).
            skip = _HONORIFIC_SKIP.match(text, tokens[0][1])
            if skip is None or depth > 2:
                return None
            return self._span_after_cue(text, "hon", skip.end(), depth + 1)
        given = is_given_name(words[0], self.first_names)
        if kind in ("hon", "intro"):
            if not given and words[0] in CLOSING_WORDS:
                return None
            n = min(len(tokens), 3 if given else 1)
            if (
                not given
                and kind == "hon"
                and len(tokens) > 1
                and _LINE_END.match(text, tokens[1][1])
                and _plausible_unknown_name(words[1])
                and words[1] not in ROLE_NOUNS
            ):
                n = 2  # "Dr. med. Jodok Jaffé-Lichtenstein" closing its line
            if given and n > 1 and words[n - 1] in NOT_A_SURNAME:
                n -= 1
            return tokens[0][0], tokens[_before_house_number(text, tokens, n) - 1][1], 0.85
        if kind == "kin":
            if given:
                n = _before_house_number(text, tokens, min(len(tokens), 2))
                return tokens[0][0], tokens[n - 1][1], 0.8
            if _CLOSES_CLAUSE.match(text, tokens[0][1]) and _plausible_unknown_name(words[0]):
                return tokens[0][0], tokens[0][1], 0.5
            return None
        if kind == "role":
            if given:
                n = _before_house_number(text, tokens, min(len(tokens), 3))
                return tokens[0][0], tokens[n - 1][1], 0.8
            if len(tokens) >= 2 and all(_plausible_unknown_name(w) for w in words[:2]):
                return tokens[0][0], tokens[1][1], 0.6
            return None
        # sign-off
        if given:
            n = _before_house_number(text, tokens, min(len(tokens), 2))
            return tokens[0][0], tokens[n - 1][1], 0.85
        if (
            _AT_END.match(text, tokens[0][1])
            and _plausible_unknown_name(words[0])
            and words[0].lower() not in COMMON_WORDS
        ):
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
        lowered = text.lower()
        for m, kinds in _cue_matches(text, lowered):
            kind = kinds[0] if len(kinds) == 1 else next(k for k in kinds if m.group(k))
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
        if (
            len(lowered) != len(text) or "family" in lowered or "ehold" in lowered
        ) and _FAMILY_WORD.search(text):  # _FAMILY_HINTS
            for m in _THE_FAMILY_RE.finditer(text):  # "the Rees family" ("die Familie Rees": a cue)
                spans.append((m.start("name"), m.end("name"), 0.8))
        sig = self._signature_span(text)
        if sig is not None:
            spans.append(sig)
        if ("geb" in text or "*" in text) and _BIRTH_GATE.search(text):
            spans.extend(birth_anchored_spans(text, self.first_names))
        if _DEGREE_GATE.search(text):
            spans.extend(degree_anchored_spans(text, self.first_names))
        spans.extend(second_names(text, spans))
        return spans

    def _signature_span(self, text: str) -> tuple[int, int, float] | None:
        """The closing signature's span, if any."""
        sig = signature_match(text)
        if sig and not NOT_A_PERSON_BEFORE.search(text, 0, sig.start("name")):
            tokens = list(name_tokens_at(text, sig.start("name")))
            words = [text[s:e] for s, e in tokens]
            if tokens and is_given_name(words[0], self.first_names):
                return tokens[0][0], tokens[-1][1], 0.7
            if (
                len(tokens) == 1
                and _plausible_unknown_name(words[0])
                and words[0].lower() not in COMMON_WORDS
                and words[0] not in ROLE_NOUNS
            ):
                return tokens[0][0], tokens[0][1], 0.5
        return None

    def could_find_spans(self, text: str, lowered: str | None = None) -> bool:
        """False only if ``find_spans(text)`` is empty (see ``_CUE_BEFORE_NAME``); the
        prefilter asks this first. ``lowered`` is ``text.lower()`` if the caller has it."""
        if lowered is None:
            lowered = text.lower()
        if len(lowered) != len(text) or letter_hint(text):
            return True  # "İ": the lowercase copy is no stand-in for (?i), see above
        backwards = text[::-1]
        last = len(text) - 1
        m = _CUE_BEFORE_NAME.search(backwards)
        while m is not None:
            token = NAME_TOKEN_RE.match(text, last - m.start())
            if token and self._could_be_name(token.group()):
                return True
            m = _CUE_BEFORE_NAME.search(backwards, m.start() + 1)
        # _FAMILY_HINTS and _NAMING_INTRO_HINTS spelt out (cheaper than a loop).
        return (
            (
                _MAYBE_SIGNATURE.match(backwards) is not None
                and self._signature_span(text) is not None
            )
            or "family" in lowered
            or "ehold" in lowered
            or (
                (
                    "eiße" in lowered
                    or "eisse" in lowered
                    or "name" in lowered
                    or "called" in lowered
                    or "ſ" in lowered
                    or "\U0001df95" in lowered
                )
                and _NAMING_INTRO.search(lowered) is not None
            )
        )

    def _could_be_name(self, word: str) -> bool:
        """The first name token after a cue can start a span (``_span_after_cue`` rejects it
        for every kind of cue otherwise)."""
        if word in FICTIONAL or word in NOT_A_SURNAME:
            return False
        return word not in CLOSING_WORDS or is_given_name(word, self.first_names)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = [self._result(*span) for span in self.find_spans(text)]
        return EntityRecognizer.remove_duplicates(results)
