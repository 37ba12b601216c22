"""Given-name gazetteer for the PERSON recognizers, and the offline script that builds it.

Why a gazetteer: no spaCy NER model may be downloaded (DESIGN.md, hermetic), yet most names in
CRM free text are bare given names (a child signing a wish list, "Tante Ilse"). A list of given
names recognises them without context words.

Where it comes from: the given-name lists that Faker ships for the locales a German CRM meets
(DACH, UK/IE/US, and the largest immigrant communities), filtered so that a name that is also a
frequent lowercase word in German or English ("Will", "Hope", "Summer", "Ernst") or a
capitalised German/English noun, month or place ("Juni", "Tor", "Paris", "Jude") is left out —
those would produce false positives in every other note. The word frequencies are
spacy-lookups-data's lexeme probability tables. The result is a plain text file next to the
scanner configuration so that a DPO can read and edit it; the scanner never imports Faker.

Regenerate with ``python -m pii_scanners.recognizers.first_names`` (needs faker and
spacy-lookups-data, both locked dependencies of the project).
"""

from __future__ import annotations

import gzip
import importlib
import json
import re
from functools import lru_cache
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEFAULT_PATH = CONFIG_DIR / "first_names.txt"
COMMON_WORDS_PATH = CONFIG_DIR / "common_words_en.txt"
FREQUENT_NOUNS_PATH = CONFIG_DIR / "frequent_nouns_de.txt"
# A capitalised German word more frequent than this is a noun first ("Geschenke", "Bücher"):
# a surname guessed by the gazetteer ("für Paul Geschenke") is not spread over the note.
FREQUENT_NOUN_LOGPROB = -11.6

LOCALES = [
    "de_DE",
    "de_AT",
    "de_CH",
    "en_GB",
    "en_US",
    "en_IE",
    "en_IN",
    "en_NZ",
    "tr_TR",
    "pl_PL",
    "it_IT",
    "es_ES",
    "fr_FR",
    "nl_NL",
    "hr_HR",
    "cs_CZ",
    "pt_PT",
    "sv_SE",
    "da_DK",
    "ro_RO",
    "hu_HU",
]

# A lowercase form more frequent than this (natural-log probability in the lexeme tables,
# about 1 in 22,000 tokens) is an ordinary word first and a name second.
LOWERCASE_WORD_LOGPROB = -10.0

# A closing word that is not a known given name is only taken for a signature when its lowercase
# form is rarer than this in English text (about 1 in 22,000 tokens): "Why?", "Help!" close a
# note as words, not as names (common_words_en.txt).
COMMON_WORD_LOGPROB = -10.0

# Capitalised words that are names in some locale but in German/English CRM text are mostly a
# month, a noun, a place, a religion word or a fictional figure (PERSON excludes Santa and the
# Christkind: eval README). Found by reviewing the names whose capitalised form is frequent.
NOT_NAMES = frozenset(
    [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
        "January",
        "February",
        "March",
        "June",
        "July",
        "October",
        "December",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Tage",
        "Forum",
        "Lage",
        "Tor",
        "Tore",
        "Roman",
        "Romane",
        "Israel",
        "Paris",
        "German",
        "India",
        "Jena",
        "Bergen",
        "Sydney",
        "Austin",
        "Jordan",
        "Mercedes",
        "Phoenix",
        "Marine",
        "Eimer",
        "Gabel",
        "Kick",
        "Urban",
        "Aura",
        "Junior",
        "Pastor",
        "Van",
        "Don",
        "Lupe",
        "Wille",
        "Rudolph",
        "Kader",
        "Nazi",
        "Angel",
        "Jesus",
        "Christian",
        "Christ",
        "Jude",
        "Nikolaus",
        "Klaus-Nikolaus",
        "Silvester",
        "Hunter",
        "Rose",
        "Flora",
        "Wolf",
        "Santa",
        "Christkind",
        "Engel",
        "Herr",
        "Frau",
        "Ehe",
        "Liebe",
        "Lieber",
        "Liebes",
        "Dear",
        "Baby",
        "Bella",
        "Ali",
        "Mohammed",
        "Muhammad",
        "Mohammad",
        "Gay",
        "Virgin",
        "Madonna",
        "Pride",
        "Holly",
        "Ivy",
        "Nuss",
        "Tag",
        "Ostern",
        "Pfingsten",
        "Ramadan",
        "Noel",
        "Krishna",
        "Trinity",
        "Asia",
        "Georgia",
        "Alexa",
        "Siri",
        "Lourdes",
        "Medina",
        "Zion",
        "Mekka",
        "Sinai",
        "Rosa",
        "Lila",
        "Oliva",
        "Olive",
        "Amber",
        "Coral",
        "Jade",
        "Ruby",
        "Pink",
    ]
)

_NAME_SHAPE = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]{2,})?")


def _faker_given_names() -> set[str]:
    names: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            values = getattr(provider, attr, None)
            if values:
                names.update(values)
    return {n for n in names if _NAME_SHAPE.fullmatch(n) and n[0].isupper()}


def build_first_names() -> list[str]:
    """Return the filtered, sorted gazetteer (offline; reads Faker and spaCy lookup tables)."""
    import spacy_lookups_data

    data_dir = Path(spacy_lookups_data.__file__).parent / "data"
    probs: list[dict[str, float]] = []
    for lang in ("de", "en"):
        with gzip.open(data_dir / f"{lang}_lexeme_prob.json.gz", "rt", encoding="utf-8") as fh:
            probs.append(json.load(fh))

    def lowercase_logprob(name: str) -> float:
        return max(table.get(name.lower(), -99.0) for table in probs)

    return sorted(
        n
        for n in _faker_given_names()
        if n not in NOT_NAMES and lowercase_logprob(n) <= LOWERCASE_WORD_LOGPROB
    )


def build_common_words() -> list[str]:
    """Frequent lowercase English words (offline; spaCy lookup tables): the words a note may
    end with that are not a signature ("Why?", "Help!")."""
    import spacy_lookups_data

    data_dir = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(data_dir / "en_lexeme_prob.json.gz", "rt", encoding="utf-8") as fh:
        probs: dict[str, float] = json.load(fh)
    return sorted(
        w
        for w, p in probs.items()
        if p > COMMON_WORD_LOGPROB and w.isalpha() and w.islower() and len(w) > 1
    )


def build_frequent_nouns() -> list[str]:
    """Frequent capitalised German words (offline; spaCy lookup tables)."""
    import spacy_lookups_data

    data_dir = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(data_dir / "de_lexeme_prob.json.gz", "rt", encoding="utf-8") as fh:
        probs: dict[str, float] = json.load(fh)
    return sorted(
        w
        for w, p in probs.items()
        if p > FREQUENT_NOUN_LOGPROB and w.isalpha() and w[0].isupper() and w[1:].islower()
    )


@lru_cache(maxsize=2)
def load_common_words(path: str | Path = COMMON_WORDS_PATH) -> frozenset[str]:
    """Read the common-word list (one lowercase word per line, '#' comments)."""
    return load_first_names(path)


@lru_cache(maxsize=4)
def load_first_names(path: str | Path = DEFAULT_PATH) -> frozenset[str]:
    """Read the gazetteer file (one name per line, '#' comments)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(s for line in lines if (s := line.strip()) and not s.startswith("#"))


def main() -> None:
    names = build_first_names()
    header = (
        "# Given names for PERSON detection; generated by "
        "`python -m pii_scanners.recognizers.first_names`.\n"
        "# Source: Faker given-name lists, minus frequent words (see first_names.py).\n"
    )
    DEFAULT_PATH.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {DEFAULT_PATH}")
    words = build_common_words()
    header = (
        "# Frequent lowercase English words (log probability > "
        f"{COMMON_WORD_LOGPROB}); generated by\n"
        "# `python -m pii_scanners.recognizers.first_names`. Source: spacy-lookups-data\n"
        "# en_lexeme_prob (MIT licence). A one-word note ending in one of these is no signature.\n"
    )
    COMMON_WORDS_PATH.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {COMMON_WORDS_PATH}")
    nouns = build_frequent_nouns()
    header = (
        "# Frequent capitalised German words (log probability > "
        f"{FREQUENT_NOUN_LOGPROB}); generated by\n"
        "# `python -m pii_scanners.recognizers.first_names`. Source: spacy-lookups-data\n"
        "# de_lexeme_prob (MIT licence). A gazetteer-guessed surname in this list is not spread.\n"
    )
    FREQUENT_NOUNS_PATH.write_text(header + "\n".join(nouns) + "\n", encoding="utf-8")
    print(f"wrote {len(nouns)} words to {FREQUENT_NOUNS_PATH}")


if __name__ == "__main__":
    main()
