"""Street addresses (German/Austrian/Swiss and UK forms), language-agnostic.

Legal relevance: a postal address identifies where a natural person lives (Art. 4(1) GDPR);
in free text it often belongs to a third party (a grandparent, a care home resident), and postal
advertising needs its own consent — so addresses are redacted from notes.

Accuracy note: regexes over the shape of an address, case-sensitive because capitalisation is
the main evidence. Found: a street word with a known suffix ("Musterstraße 12a",
"Karl-Marx-Str. 5", "Lindenweg 4"), two-word streets ("Berliner Straße 3"), preposition streets
("Am Markt 3", "An der Kirche 5"), UK forms ("221B Baker Street", "flat 3, 27 Mill Lane"), each
with a contiguous postcode + city when present ("12345 Berlin", "London NW1 6XE"). Missed:
streets without a known suffix and without a preposition ("Besenbinderhof" works through "hof",
"Zeil 5" does not), addresses without a house number, PO boxes, and Packstation numbers (not
an address by the labelling conventions). Letter layout: a street with a known suffix or
preposition directly followed by postcode and city counts without a house number ("Am
Hasenstall\n20223 Klein Haasbeck"), and any capitalised street word with a house number
directly followed by postcode and city is an address block whatever its spelling ("Kaiserstrße
33\nA-9011 Neustadt"); a dot after the street word is accepted ("Kantstraße. 21 a").
Preposition forms are weaker evidence ("Im Paket 2" would match), so they score lower unless a
postcode follows.
"""

from __future__ import annotations

import re as _stdlib_re

from presidio_analyzer import Pattern

from pii_scanners.recognizers._group_pattern import GroupPatternRecognizer


def _either_case(words: str) -> str:
    """'straße weg' -> '[Ss]traße|[Ww]eg': suffixes appear lowercase inside a compound and
    capitalised after a hyphen ("Karl-Marx-Straße")."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words.split())


_SUFFIX = _either_case(
    "straße strasse str\\. weg allee platz gasse ring damm ufer chaussee steig stieg pfad "
    "markt graben hof kamp wall promenade anger brücke berg tal feld garten park höhe zeile "
    "weide wiese grund winkel redder twiete bogen deich kai siedlung hang rain blick aue "
    "wende gässle gässchen"
)
_SUFFIX_NO_DOT = _SUFFIX.replace("|[Ss]tr\\.", "")
_WORD = r"\p{Lu}[\p{L}]*(?:-\p{L}+)*"
# Greedy word, then one look back for the suffix: ~10x faster than a lazy scan that tries every
# suffix at every letter. "Str." keeps its dot.
_STREET_COMPOUND = (
    rf"\p{{Lu}}[\p{{L}}-]*+(?<=\p{{L}})"
    rf"(?:(?<=[\p{{L}}-](?:{_SUFFIX_NO_DOT}))|(?<=[\p{{L}}-][Ss]tr)\.)"
)
# "Berliner Straße", "Alte Schönhauser Allee", "Hohe Str.": an adjective-like word (ending in
# -er/-e/-es/-en), optionally after Alte/Neue/Große/..., then a separate street word.
_STREET_TWO_WORDS = (
    r"(?:(?:Alte|Alter|Neue|Neuer|Große|Großer|Kleine|Kleiner|Hohe|Hoher|Lange|Langer|Obere|"
    r"Untere|Breite|Sankt|St\.)\s)?\p{Lu}\p{Ll}*(?:er|e|es|en)\s(?:Straße|Strasse|Str\.|Weg|"
    r"Allee|Platz|Ring|Damm|Gasse|Chaussee|Ufer|Markt|Steig|Pfad|Promenade|Brücke|Landstraße)"
)
_NOT_A_PLACE = (
    r"(?!(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Wochenende|"
    r"Sommer|Winter|Herbst|Frühling|Frühjahr|Jahr|Monat|Moment|Anfang|Ende|Abend|Morgen|"
    r"Mittag|Paket|Karton|Alter|Schnitt|Durchschnitt|Moment|Notfall|Zweifel)\b)"
)
_STREET_PREPOSITION = (
    r"(?:Am|Im|Zum|Zur|Beim|An\s+der|An\s+den|An\s+dem|Auf\s+der|Auf\s+dem|Auf\s+den|"
    r"In\s+der|In\s+den|Unter\s+den|Hinter\s+der|Hinter\s+dem|Vor\s+dem|Zu\s+den|Alte|Alter)"
    rf"\s+{_NOT_A_PLACE}\p{{Lu}}\p{{Ll}}+(?:[- ]\p{{Lu}}\p{{Ll}}+)?"
)
# House number: 1-3 digits, optional letter, optional range ("12-14", "3/1"); not a quantity,
# time or money amount ("12 Uhr", "3 Stück").
_HOUSE_NO = (
    r"\s\d{1,3}(?:\s?[a-zA-Z](?!\p{L}))?(?:\s?[-–/]\s?\d{1,3}[a-z]?)?(?![\d.,:]\d)"
    r"(?!\s*(?:Uhr|h\b|%|€|Euro|EUR|Jahre|Jahr|x\b|Stück|Stk|Tage|Wochen|Monate|Min|kg|cm|m\b))"
)
_CITY_WORD = r"\p{Lu}\p{L}*(?:[.-]\p{L}+)*"
_NOT_CITY = r"(?!(?:Tel|Telefon|Phone|Fax|Mobil|Handy|Bitte|Danke|E-Mail|Email|IBAN)\b)"
_DE_POSTCODE_CITY = (
    rf",?\s(?:D-|A-|CH-)?\d{{4,5}}\s{_CITY_WORD}"
    rf"(?:\s(?:am|an\sder|im|in\sder|ob\sder|bei)\s{_CITY_WORD}|\s{_NOT_CITY}{_CITY_WORD})?"
)
# Street suffixes of the USPS list (Publication 28, Appendix C1: primary street suffix names,
# singular and plural), as used in US and many international address formats, minus words
# that commonly follow a number and a capitalised word in orders ("4 Christmas Lights",
# "2 Race Track", "3 Niagara Falls"): Light(s), Key(s), Union(s), Well(s), Run, Rest, Pass,
# Loaf, Club, Mall, Station, Track, Course, Camp, Fall(s), Point(s), Port(s), Land.
_USPS_SUFFIXES = (
    "Alley", "Anex", "Arcade", "Bayou", "Beach", "Bend", "Bluff", "Bluffs", "Bottom", "Branch",
    "Brooks", "Burg", "Burgs", "Bypass", "Canyon", "Cape", "Causeway", "Center", "Centers",
    "Circle", "Circles", "Cliff", "Cliffs", "Commons", "Corner", "Corners", "Courts", "Cove",
    "Coves", "Creek", "Crest", "Crossing", "Crossroad", "Curve", "Dam", "Divide", "Drives",
    "Estates", "Expressway", "Extension", "Extensions", "Ferry", "Flat", "Flats", "Ford",
    "Fords", "Forest", "Forge", "Forges", "Fork", "Forks", "Fort", "Freeway", "Garden",
    "Gateway", "Glens", "Greens", "Groves", "Harbor", "Harbors", "Haven", "Highway", "Inlet",
    "Island", "Islands", "Isle", "Junction", "Junctions", "Knoll", "Knolls", "Lake", "Lakes",
    "Landing", "Lock", "Locks", "Manors", "Mission", "Motorway", "Mountain", "Mountains", "Neck",
    "Oval", "Overpass", "Parks", "Parkway", "Parkways", "Pike", "Pine", "Pines", "Plain",
    "Plains", "Prairie", "Radial", "Ramp", "Ranch", "Rapid", "Rapids", "Ridges", "Roads",
    "Route", "Rue", "Shoal", "Shoals", "Shore", "Shores", "Skyway", "Spring", "Spur", "Spurs",
    "Squares", "Stravenue", "Stream", "Streets", "Summit", "Throughway", "Trace", "Trafficway",
    "Trailer", "Tunnel", "Turnpike", "Underpass", "Valleys", "Via", "Viaduct", "Views",
    "Villages", "Ville", "Vista", "Walks", "Wall", "Ways",
)  # fmt: skip
_UK_SUFFIX = (
    r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Place|Pl|Court|Ct|Crescent|"
    r"Gardens|Grove|Terrace|Square|Sq|Row|Hill|Park|Mews|Walk|Parade|Green|Rise|View|"
    r"Boulevard|Mount|Wharf|Yard|Gate|Broadway|Bridge|River|Meadow|Meadows|Field|Fields|"
    r"Lodge|Mill|Mills|Heights|Vale|Valley|Wood|Woods|Village|Ridge|Common|Cross|Estate|Glen|"
    r"Hollow|Manor|Orchard|Path|Brook|End|Approach|Bank|Chase|Dale|Drove|Farm|Croft|Grange|"
    r"Fold|Garth|Quay|Circus|Embankment|Passage|Trail|Hills|Springs|Plaza|"
    + "|".join(_USPS_SUFFIXES)
    + r")\b\.?"
)
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
_UK_STREET = (
    r"(?:(?:[Ff]lat|Apartment|Apt\.?|Unit|Suite)\s\d{1,4}[A-Za-z]?,?\s)?"
    rf"\d{{1,4}}[A-Za-z]?,?\s(?:\p{{Lu}}[\p{{Ll}}'’]+\s){{1,3}}{_UK_SUFFIX}"
)
_UK_TAIL = (
    rf"(?:,?\s\p{{Lu}}\p{{Ll}}+(?:[ -]\p{{Lu}}\p{{Ll}}+)?(?=,?\s{_UK_POSTCODE}|\s*[,.;:)\n]|\s*$))?"
    rf"(?:,?\s{_UK_POSTCODE})?"
)

# Letters put the postcode line right under the street line, and a street may have no house
# number there ("Am Hasenstall\n20223 Klein Haasbeck", "Pettenkoferstraße, 10247 Freiburg").
_POSTCODE_NEXT = rf"(?:,[ \t]*|[ \t]*\n[ \t]*)(?:D-|A-|CH-)?\d{{4,5}}\s{_NOT_CITY}{_CITY_WORD}"
# An address block: a capitalised street word (any spelling, "Kaiserstrße"), a house number,
# then the postcode and city on the same or the next line: the layout itself is the evidence.
_NOT_STREET = (
    r"(?!(?:Tel|Telefon|Fax|Mobil|Handy|Zimmer|Raum|Station|Haus|Bett|Artikel|Bestellung|"
    r"Rechnung|Kunde|Kundin|Nummer|Nr|Seite|Jahr|Jahre|Woche|Tag|Tage|Dosis|Zyklus)\b)"
)
_ADDRESS_BLOCK = (
    rf"(?<![\p{{L}}\d.-]){_NOT_STREET}\p{{Lu}}\p{{Ll}}{{3,}}(?:-\p{{Lu}}?\p{{Ll}}+)*"
    r"[ \t]\d{1,3}(?:[ \t]?[a-z](?!\p{L}))?(?:[ \t]?[-–/][ \t]?\d{1,3}[a-z]?)?"
    # A comma or a line break before the postcode, or a blank and a country prefix ("Gutschein
    # 50 10000 Punkte" has neither).
    rf"(?P<pc>(?:(?:,[ \t]*|[ \t]*\n[ \t]*)(?:D-|A-|CH-)?|[ \t]+(?:D-|A-|CH-))\d{{4,5}}[ \t]"
    rf"{_NOT_CITY}"
    r"(?!(?:Euro|EUR|Stück|Stk|Mal|Einheiten|IE)\b)\p{Lu}\p{Ll}+)"
)
# The gate of the two forms above: "<letter>[,.]? <digits>" (house number or postcode) anywhere
# after a letter; the exact test is the pattern. Written for the stdlib engine on the raw text.
_ADDRESS_BLOCK_GATE = _stdlib_re.compile(
    r"[^\W\d_][ \t]*(?:\d{1,3}[ \t]?[a-z]?(?:[ \t]?[-–/][ \t]?\d{1,3}[a-z]?)?[ \t]*)?"
    r"(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)(?:D-|A-|CH-)?\d{4,5}\s"
)

_POSTCODE_SHAPE = _stdlib_re.compile(r"\d{4,5}\s")
#: ``_ADDRESS_BLOCK_GATE`` written backwards, for the reversed note: it matches somewhere in the
#: reversed note exactly when the block regex matches somewhere in the note (a regular
#: expression without look-arounds or back-references matches a string exactly when its
#: reversal matches the reversed string). Backwards it starts at the postcode's trailing
#: blank and digits, so the engine tries it at blanks and fails at once unless digits follow;
#: forwards it started at every letter of a note that had a postcode-shaped number anywhere.
_ADDRESS_BLOCK_GATE_REVERSED = _stdlib_re.compile(
    r"\s\d{4,5}(?:-D|-A|-HC)?(?:[ \t]*,|[ \t]*\n[ \t]*|[ \t]+)"
    r"(?:[ \t]*(?:[a-z]?\d{1,3}[ \t]?[-–/][ \t]?)?[a-z]?[ \t]?\d{1,3})?[ \t]*[^\W\d_]"
)


class _AddressBlockGate:
    """``search`` is true exactly when ``_ADDRESS_BLOCK_GATE.search`` is, after a C-level scan
    for a postcode-shaped run of digits; it searches the reversed note
    (``_ADDRESS_BLOCK_GATE_REVERSED``), so the match it returns is one in the reversed note:
    callers use it as a yes/no answer only."""

    @staticmethod
    def search(text: str) -> _stdlib_re.Match[str] | None:
        if _POSTCODE_SHAPE.search(text) is None:
            return None
        return _ADDRESS_BLOCK_GATE_REVERSED.search(text[::-1])


ADDRESS_BLOCK_GATE = _AddressBlockGate()

# A necessary condition of every pattern above, cheap enough for the prefilter: a word with a
# street suffix right before " <digit>", a street preposition with a digit within 70 characters,
# or the UK order "<digit> ... <street word>". It is this recognizer's gate and the prefilter's
# address test, so the two cannot disagree.
_SUFFIX_WORDS = tuple(
    w.lower()
    for w in [
        "straße",
        "strasse",
        "str",
        "weg",
        "allee",
        "platz",
        "gasse",
        "ring",
        "damm",
        "ufer",
        "chaussee",
        "steig",
        "stieg",
        "pfad",
        "markt",
        "graben",
        "hof",
        "kamp",
        "wall",
        "promenade",
        "anger",
        "brücke",
        "berg",
        "tal",
        "feld",
        "garten",
        "park",
        "höhe",
        "zeile",
        "weide",
        "wiese",
        "grund",
        "winkel",
        "redder",
        "twiete",
        "bogen",
        "deich",
        "kai",
        "siedlung",
        "hang",
        "rain",
        "blick",
        "aue",
        "wende",
        "gässle",
        "gässchen",
    ]
)
_PREPOSITIONS = (
    "Am", "Im", "Zum", "Zur", "Beim", "An", "Auf", "In", "Unter", "Hinter", "Vor", "Zu", "Alte",
    "Alter",
)  # fmt: skip
_UK_SUFFIX_WORDS = tuple(_stdlib_re.findall(r"[A-Z][a-z]+", _UK_SUFFIX))
# Literal anchors for the prefilter's Aho-Corasick pass (lowercase): an address needs one of
# them or a capitalised preposition (PREPOSITION_ANCHORS, checked as plain substrings). kind
# "suffix": a street suffix that must be followed by ".? <digit>"; kind "word": a UK street word
# after a blank, capitalised in the text.
ADDRESS_ANCHORS: dict[str, frozenset[str]] = {}
for _key, _kind in [
    *((w, "suffix") for w in _SUFFIX_WORDS),
    *((f" {w.lower()}", "word") for w in _UK_SUFFIX_WORDS),
]:
    ADDRESS_ANCHORS[_key] = ADDRESS_ANCHORS.get(_key, frozenset()) | {_kind}
PREPOSITION_ANCHORS = tuple(f"{p} " for p in _PREPOSITIONS)  # whitespace normalised to " "


_LETTER_BEFORE_NUMBER = _stdlib_re.compile(r"[^\W\d_]\.?\s\d")
_LAST_WORD = _stdlib_re.compile(r"[^\W\d_]+$")
_PREPOSITION_THEN_DIGIT = _stdlib_re.compile(
    rf"(?<![^\W\d_])(?:{'|'.join(_PREPOSITIONS)})\s"
    r"[\s\S]{1,70}?\s\d"
)
_UK_ORDER = _stdlib_re.compile(rf"\d[A-Za-z]?,?\s(?:[^\W\d_]\S*\s){{1,3}}{_UK_SUFFIX}")


def address_hint(text: str) -> bool:
    """True when some address pattern could match (a superset of the patterns)."""
    for m in _LETTER_BEFORE_NUMBER.finditer(text):
        word = _LAST_WORD.search(text, max(0, m.start() - 60), m.start() + 1)
        if word and word.group().lower().endswith(_SUFFIX_WORDS):
            return True
    return bool(
        _PREPOSITION_THEN_DIGIT.search(text)
        or _UK_ORDER.search(text)
        or ADDRESS_BLOCK_GATE.search(text)
    )


# The optional (?P<pc>...) group is the contiguous postcode + city; when it matched, the
# finding scores POSTCODE_SCORE (a street line with a postcode is an address beyond doubt).
POSTCODE_SCORE = 0.85
_PC = rf"(?P<pc>{_DE_POSTCODE_CITY})?"
PATTERNS = [
    Pattern("de_street", rf"\b(?:{_STREET_COMPOUND})\.?{_HOUSE_NO}{_PC}", 0.7),
    Pattern("de_street_words", rf"\b{_STREET_TWO_WORDS}{_HOUSE_NO}{_PC}", 0.7),
    Pattern("de_preposition", rf"\b{_STREET_PREPOSITION}{_HOUSE_NO}{_PC}", 0.5),
    Pattern("uk_street", rf"(?<![\w-]){_UK_STREET}{_UK_TAIL}", 0.75),
    Pattern(
        "de_street_postcode",
        rf"\b(?:{_STREET_COMPOUND}|{_STREET_TWO_WORDS}|{_STREET_PREPOSITION})(?P<pc>{_POSTCODE_NEXT})",
        0.7,
    ),
    Pattern("de_address_block", _ADDRESS_BLOCK, 0.7),
]


class StreetAddressRecognizer(GroupPatternRecognizer):
    """ADDRESS: street + house number, with contiguous postcode/city (DE/AT/CH and UK)."""

    def __init__(self, supported_language: str) -> None:
        super().__init__(
            supported_entity="ADDRESS",
            patterns=[Pattern(p.name, p.regex, p.score) for p in PATTERNS],
            supported_language=supported_language,
            name="StreetAddressRecognizer",
            bonus_group=("pc", POSTCODE_SCORE),
            gate=address_hint,
        )
