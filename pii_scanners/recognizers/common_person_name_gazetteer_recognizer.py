"""Person names found through a given-name gazetteer, German and English.

Legal relevance: a name identifies a natural person (Art. 4(1) GDPR) and ties special-category
statements to them (Art. 9 DSGVO); wish-list notes are mostly signed with a child's given name.

How: every capitalised token that is a known given name (config/first_names.txt, built from
Faker's name lists minus frequent words, see first_names.py) is a PERSON, extended over
directly following capitalised tokens as surname ("Greg Wilson", "Hans-Peter Schmitt").

Accuracy note: recall depends on the list: common DACH/UK/US/Turkish/Polish/Italian/Spanish/
French/Dutch/Indian given names are in it, rare or newly fashionable names are not. Names
that are also frequent words were removed on purpose ("Will", "Hope", "Summer", "Ernst",
"Rose", "Jude") and so are missed without a cue. A token glued into a compound ("Iris-Scan")
or after "St."/"Sankt"/"Saint" (church and place names) is not a name. In German a capitalised
noun directly after a given name is taken as its surname ("für Paul Geschenke"), a rare
over-extension. Product and character names that are given names ("Elsa" dolls) and cited
authors are false positives: the labelling conventions exclude them, the gazetteer cannot.
"""

from __future__ import annotations

from pathlib import Path

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_scanners.recognizers._names import (
    NAME_TOKEN_RE,
    NOT_A_PERSON_BEFORE,
    grow_surname,
    is_given_name,
)
from pii_scanners.recognizers.first_names import DEFAULT_PATH, load_first_names


class FirstNameGazetteerRecognizer(LocalRecognizer):
    """PERSON: known given names (+ directly following surname tokens)."""

    SCORE = 0.6

    def __init__(self, supported_language: str, first_names_file: str | Path = DEFAULT_PATH):
        self.first_names = load_first_names(first_names_file)
        super().__init__(
            supported_entities=["PERSON"],
            supported_language=supported_language,
            name="FirstNameGazetteerRecognizer",
        )

    def load(self) -> None:
        """Nothing to load: the gazetteer is read in __init__."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        pos = 0
        for m in NAME_TOKEN_RE.finditer(text):
            if m.start() < pos or not is_given_name(m.group(), self.first_names):
                continue
            if NOT_A_PERSON_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            end = grow_surname(text, m.end())
            pos = end
            results.append(
                RecognizerResult(
                    entity_type="PERSON",
                    start=m.start(),
                    end=end,
                    score=self.SCORE,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
