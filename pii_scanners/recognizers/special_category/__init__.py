"""GDPR Art. 9(1) special-category recognizers (plus the optional Art. 10 one).

The single entry point for the engine is ``build_special_category_recognizers(language)``. The
lexicons behind it live in ``pii_scanners/lexicons/<lang>/<category>.yaml`` (policy as data);
``pii_scanners.lexicons.loader.trigger_terms(language)`` gives the prefilter its keys.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from .base import LexiconRecognizer
from .categories import (
    ART9_RECOGNIZERS,
    BiometricRecognizer,
    CriminalOffenceRecognizer,
    EthnicOriginRecognizer,
    GeneticRecognizer,
    HealthRecognizer,
    PoliticalOpinionRecognizer,
    ReligionRecognizer,
    SexLifeRecognizer,
    TradeUnionRecognizer,
)
from .matcher import get_matcher

__all__ = [
    "ART9_RECOGNIZERS",
    "BiometricRecognizer",
    "CriminalOffenceRecognizer",
    "EthnicOriginRecognizer",
    "GeneticRecognizer",
    "HealthRecognizer",
    "LexiconRecognizer",
    "PoliticalOpinionRecognizer",
    "ReligionRecognizer",
    "SexLifeRecognizer",
    "TradeUnionRecognizer",
    "build_special_category_recognizers",
]


def build_special_category_recognizers(
    language: str, *, include_criminal_offence: bool = False
) -> list[EntityRecognizer]:
    """One recognizer per Art. 9 category for ``language`` ("de" or "en"), sharing one matcher.

    Art. 10 criminal-offence data is optional in the requirements (R2) and off by default, so
    that enabling it is a visible configuration decision.
    """
    classes: list[type[LexiconRecognizer]] = list(ART9_RECOGNIZERS)
    if include_criminal_offence:
        classes.append(CriminalOffenceRecognizer)
    matcher = get_matcher(language, entities=frozenset(cls.ENTITY for cls in classes))
    return [cls(language, matcher=matcher) for cls in classes]
