"""A Presidio PatternRecognizer whose finding is one named group of the match.

Why: the labelling conventions (eval README) keep context words outside the span — "geb." is
not part of a date of birth, "Herr" is not part of a name — but the context is what makes the
match trustworthy. The pattern matches context + value; the finding covers only ``(?P<span>)``.
Patterns stay ordinary Presidio ``Pattern`` objects, so the recognizer serialises, registers and
context-enhances like any other PatternRecognizer.
"""

from __future__ import annotations

from collections.abc import Callable

import regex as re
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

# Case-sensitive on purpose: capitalisation is evidence for names and street names.
CASE_SENSITIVE = re.DOTALL | re.MULTILINE


class GroupPatternRecognizer(PatternRecognizer):
    """PatternRecognizer that reports the ``span`` group (or the whole match without one)."""

    def __init__(
        self,
        supported_entity: str,
        patterns: list[Pattern],
        supported_language: str,
        name: str,
        context: list[str] | None = None,
        bonus_group: tuple[str, float] | None = None,
        gate: Callable[[str], bool] | None = None,
    ) -> None:
        # bonus_group: (group name, score) raising the score when that optional group matched.
        # gate: a cheap test that must hold before any pattern runs (e.g. "there is a birth
        # cue"); it must be a necessary condition of every pattern. The prefilter uses it too.
        self.bonus_group = bonus_group
        self.gate = gate
        super().__init__(
            supported_entity=supported_entity,
            patterns=patterns,
            supported_language=supported_language,
            name=name,
            context=context,
            global_regex_flags=CASE_SENSITIVE,
        )

    def is_valid_span(self, text: str, start: int, end: int) -> bool:
        """Hook for subclasses: reject a candidate span after the regex matched."""
        return True

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        if self.gate is not None and not self.gate(text):
            return results
        for pattern in self.patterns:
            if pattern.compiled_regex is None:
                pattern.compiled_regex = re.compile(pattern.regex, flags=CASE_SENSITIVE)
                pattern.compiled_with_flags = CASE_SENSITIVE
            for match in pattern.compiled_regex.finditer(text):
                group = "span" if "span" in match.groupdict() else 0
                start, end = match.span(group)
                if start < 0 or start == end or not self.is_valid_span(text, start, end):
                    continue
                score = pattern.score
                if self.bonus_group and match.groupdict().get(self.bonus_group[0]) is not None:
                    score = max(score, self.bonus_group[1])
                results.append(
                    RecognizerResult(
                        entity_type=self.supported_entities[0],
                        start=start,
                        end=end,
                        score=score,
                        # The context enhancer writes the supporting word into this.
                        analysis_explanation=AnalysisExplanation(
                            recognizer=self.name,
                            original_score=score,
                            pattern_name=pattern.name,
                        ),
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return EntityRecognizer.remove_duplicates(results)
