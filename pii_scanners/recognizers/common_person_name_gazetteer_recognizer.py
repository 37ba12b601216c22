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

import regex as re
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_scanners.recognizers._names import (
    NAME_TOKEN_RE,
    NOT_A_PERSON_BEFORE,
    grow_surname,
    is_given_name,
)
from pii_scanners.recognizers._person_words import ambiguous_given_names
from pii_scanners.recognizers.first_names import DEFAULT_PATH, load_first_names

# A given name right after a number is a unit or abbreviation ("4,00 Mio/µl", "17 Uli" for
# U/l); a given name glued to a period and followed by a lowercase word or a colon is an
# abbreviation ("Li. betontes Herz", "Li.: 1,0"); after an English article it names a thing
# ("the Toy Fair"; not "an", a German preposition).
_NUMBER_BEFORE = re.compile(r"\d[ \t]*$")
_ABBREVIATION_AFTER = re.compile(r"\.(?:[ \t]*\p{Ll}|:)")
_ARTICLE_BEFORE = re.compile(r"(?<![\p{L}])(?:the|The|THE)[ \t]+$")
# Where a sentence starts: the note start, a line start, or after ".", "!", "?" and blanks.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n])[\s\"“”'(]*$")


class FirstNameGazetteerRecognizer(LocalRecognizer):
    """PERSON: known given names (+ directly following surname tokens)."""

    SCORE = 0.6

    def __init__(self, supported_language: str, first_names_file: str | Path = DEFAULT_PATH):
        self.first_names = load_first_names(first_names_file)
        self.ambiguous = ambiguous_given_names()
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
            if self._not_a_name_here(text, m.start(), m.end()):
                continue
            end = grow_surname(text, m.end())
            if end == m.end() and m.group() in self.ambiguous:
                # "Mark my words", "Grace period": a word that is also a name, at the start
                # of a sentence or after an article, with no surname after it.
                before = text[max(0, m.start() - 8) : m.start()]
                if _SENTENCE_START.search(before) or _ARTICLE_BEFORE.search(before):
                    continue
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

    @staticmethod
    def _not_a_name_here(text: str, start: int, end: int) -> bool:
        """A unit after a number, an abbreviation before a period, a thing after "the"."""
        return bool(
            _NUMBER_BEFORE.search(text, max(0, start - 3), start)
            or _ABBREVIATION_AFTER.match(text, end)
            or _ARTICLE_BEFORE.search(text, max(0, start - 5), start)
        )
