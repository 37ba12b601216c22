"""A minimal offline Presidio engine with only the special-category recognizers.

Why not ``pii_scanners.engine``: the special-category tests must not depend on the PII
recognizers or the registry YAML, and must never download a spaCy model. ``spacy.blank``
pipelines give Presidio tokens only, which is all these recognizers need.
"""

from __future__ import annotations

from functools import cache

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from pii_scanners.recognizers.special_category import build_special_category_recognizers

LANGUAGES = ("de", "en")


class BlankSpacyNlpEngine(SpacyNlpEngine):
    """SpacyNlpEngine over ``spacy.blank`` pipelines (no model, no download, no NER)."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        super().__init__(models=[{"lang_code": lang, "model_name": "blank"} for lang in languages])
        self.nlp = {lang: spacy.blank(lang) for lang in languages}

    def load(self) -> None:
        """Already loaded in ``__init__``; the parent would try to download a model."""


@cache
def special_category_engine(include_criminal_offence: bool = False) -> AnalyzerEngine:
    """An AnalyzerEngine whose registry holds only the special-category recognizers."""
    registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    for lang in LANGUAGES:
        for recognizer in build_special_category_recognizers(
            lang, include_criminal_offence=include_criminal_offence
        ):
            registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        nlp_engine=BlankSpacyNlpEngine(),
        registry=registry,
        supported_languages=list(LANGUAGES),
    )
