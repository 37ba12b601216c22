"""Word lists of the PERSON recognizers that are policy, read from config/person_words.yaml.

Why a YAML file: which rank nouns follow an honorific ("Frau Kollegin", "Herr Professor"),
which titles stand before a name ("Prof. Dr. med.") and which given names are also ordinary
words ("Mark", "Grace") are decisions a DPO or engineer reviews and extends without touching
the recognizers' code. The file is part of scanner.version (scanner.config_fingerprint).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from pii_scanners.recognizers.first_names import CONFIG_DIR

PERSON_WORDS_PATH = CONFIG_DIR / "person_words.yaml"


@lru_cache(maxsize=2)
def _load(path: Path = PERSON_WORDS_PATH) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def role_nouns(path: Path = PERSON_WORDS_PATH) -> frozenset[str]:
    """Every role noun of the YAML with every suffix applied ("Kollege" -> "Kollegen",
    "Kollegin", "Kolleginnen", ...): over-generating is harmless, a nonsense form never
    occurs in a note."""
    section = _load(path).get("role_nouns") or {}
    suffixes = section.get("suffixes") or [""]
    bases = [w for lang in ("de", "en") for w in section.get(lang) or []]
    forms = {base + suffix for base in bases for suffix in suffixes}
    # "Kollege" + "in" is "Kollegein": the feminine of a base ending in -e drops the -e.
    forms |= {base[:-1] + suffix for base in bases if base.endswith("e") for suffix in suffixes}
    return frozenset(forms)


def titles(path: Path = PERSON_WORDS_PATH) -> list[str]:
    """Academic and professional titles used like honorifics."""
    return [str(t) for t in _load(path).get("titles") or []]


def ambiguous_given_names(path: Path = PERSON_WORDS_PATH) -> frozenset[str]:
    """Given names that are also ordinary words ("Mark", "Grace", "Bill")."""
    return frozenset(str(n) for n in _load(path).get("ambiguous_given_names") or [])


def company_suffixes(path: Path = PERSON_WORDS_PATH) -> list[str]:
    """Legal-form suffixes that end a company name ("GmbH", "Ltd")."""
    return [str(w) for w in _load(path).get("company_suffixes") or []]


def postnominal_degrees(path: Path = PERSON_WORDS_PATH) -> list[str]:
    """Degrees written after a name ("MD", "PhD", "MBA")."""
    return [str(w) for w in _load(path).get("postnominal_degrees") or []]


def plural_honorifics(path: Path = PERSON_WORDS_PATH) -> list[str]:
    """Honorifics that introduce two names joined by "und"/"and"/"&"."""
    return [str(w) for w in _load(path).get("plural_honorifics") or []]
