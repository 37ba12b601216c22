"""Lexicon-driven Presidio recognizer shared by all special-category families.

Why a custom ``EntityRecognizer`` and not a ``PatternRecognizer``: one Aho-Corasick pass over the
lowercased note serves all categories (see ``matcher.py``), German compounds need boundary
logic a ``\\b`` regex cannot express, and the findings must not depend on NER or lemmas (the
engine runs blank spaCy pipelines). Presidio still owns registration, thresholds and
de-duplication, so the engine treats these like any other recognizer.

Scores: each lexicon entry has a base score (0.85 unless the YAML says otherwise; weaker cues
such as colloquial forms are lower); a category context word within the file's
``context_window`` adds ``context_boost`` (default 0.1), capped at 1.0. All hard decisions
(required governor, exclusion, veto) are taken before a finding is emitted, so the score is a
ranking signal, not a gate: every emitted finding has a score of at least 0.5 and survives the
scanner's default threshold (0.4). Presidio's own context enhancer is not used (``context`` is
empty) so the boost is not applied twice.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_scanners.lexicons.loader import SPECIAL_CATEGORIES, lexicon_sha256

from .matcher import SpecialCategoryMatcher, get_matcher


@cache
def _lexicon_version() -> str:
    """Short digest of the lexicon files, read once per process (sixteen recognizers use it)."""
    return lexicon_sha256()[:12]


class LexiconRecognizer(EntityRecognizer):
    """Reports the findings of one category from the shared per-language matcher."""

    ENTITY: ClassVar[str] = ""
    LEGAL_REFERENCE: ClassVar[str] = ""

    def __init__(self, language: str, matcher: SpecialCategoryMatcher | None = None) -> None:
        if not self.ENTITY:
            raise TypeError(f"{type(self).__name__} must set ENTITY")
        if matcher is None:  # standalone use: the Art. 9 categories plus this one
            matcher = get_matcher(language, entities=frozenset(SPECIAL_CATEGORIES) | {self.ENTITY})
        self._matcher = matcher
        entities = {cat.lexicon.entity for cat in self._matcher.categories}
        if self.ENTITY not in entities:
            raise ValueError(
                f"{type(self).__name__}: no lexicon for {self.ENTITY} in language {language!r}"
            )
        super().__init__(
            supported_entities=[self.ENTITY],
            name=type(self).__name__,
            supported_language=language,
            version=_lexicon_version(),
            context=[],
        )

    def load(self) -> None:
        """Nothing to load: the matcher is built (once per language) in ``__init__``."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Findings of this recognizer's entity; the explanation names the lexicon entry only."""
        if entities and self.ENTITY not in entities:
            return []
        results = []
        for finding in self._matcher.find(text):
            if finding.entity_type != self.ENTITY:
                continue
            explanation = AnalysisExplanation(
                recognizer=self.name,
                original_score=finding.score,
                textual_explanation=f"lexicon {finding.ref}",
            )
            results.append(
                RecognizerResult(
                    entity_type=self.ENTITY,
                    start=finding.start,
                    end=finding.end,
                    score=finding.score,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
