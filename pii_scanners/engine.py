"""Build the offline Presidio AnalyzerEngine for German and English from scanner.yaml.

Why this module exists: Presidio's defaults reach for the network twice — ``AnalyzerEngine()``
downloads a spaCy model, and the e-mail recognizer's tldextract fetches the public suffix list
(DESIGN.md, "Offline switches"). Here the NLP engine is built from ``spacy.blank`` pipelines
(tokenizer, sentencizer, lookup lemmatizer from spacy-lookups-data) and the registry holds only
the recognizers named in the YAML, which keeps the analyzer offline and slim (every recognizer
costs time on every candidate note).
"""

from __future__ import annotations

# tldextract's offline switch is set in pii_scanners/__init__.py: here would be too late when
# pii_scanners.scanner (which imports presidio_analyzer first) is the first module imported.
import importlib
import logging
from collections.abc import Callable

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import (
    NerModelConfiguration,
    NlpArtifacts,
    SpacyNlpEngine,
)

from pii_scanners.config import ScannerConfig
from pii_scanners.recognizers.common_address_recognizer import (
    StreetAddressRecognizer,
)
from pii_scanners.recognizers.common_date_of_birth_recognizer import (
    DateOfBirthRecognizer,
)
from pii_scanners.recognizers.common_email_recognizer import OfflineEmailRecognizer
from pii_scanners.recognizers.common_iban_recognizer import ChecksumIbanRecognizer
from pii_scanners.recognizers.common_person_context_recognizer import (
    PersonContextRecognizer,
)
from pii_scanners.recognizers.common_person_name_gazetteer_recognizer import (
    FirstNameGazetteerRecognizer,
)
from pii_scanners.recognizers.common_phone_recognizer import DachUkPhoneRecognizer

logger = logging.getLogger(__name__)

# The special-category recognizers are maintained separately (issue 3); the module may be a
# single file or a package.
SPECIAL_CATEGORY_MODULES = (
    "pii_scanners.recognizers.special_category",
    "pii_scanners.recognizers.special_category_recognizer",
)


class LazyNlpArtifacts(NlpArtifacts):
    """NlpArtifacts that run the spaCy pipeline only when something reads them.

    Why: in this registry only Presidio's context enhancer reads tokens and lemmas, and only
    for a finding of a recognizer with context words (e-mail, phone, IBAN, address). A note
    that reaches Presidio for a special-category trigger term alone never needs spaCy, which
    is most of the per-note cost (tokenizer, lemmatizer, Presidio's keyword list). Whatever
    reads an attribute gets exactly what the eager pipeline would have produced.
    """

    def __init__(self, engine: BlankSpacyNlpEngine, text: str, language: str) -> None:
        self.__dict__["_pending"] = (engine, text, language)

    def __getattr__(self, name: str) -> object:  # called only for attributes not yet set
        pending = self.__dict__.pop("_pending", None)
        if pending is None:
            raise AttributeError(name)
        engine, text, language = pending
        self.__dict__.update(engine.process_text_eagerly(text, language).__dict__)
        return getattr(self, name)


class BlankSpacyNlpEngine(SpacyNlpEngine):
    """SpacyNlpEngine over ``spacy.blank`` pipelines: tokens, sentences, lookup lemmas.

    No NER: the PERSON recognizers here do not need one, and loading a trained model would
    mean a download (not allowed) and 10-50x the per-note cost.
    """

    def __init__(self, pipelines: dict[str, dict[str, bool]]) -> None:
        super().__init__(
            models=[{"lang_code": lang, "model_name": f"blank:{lang}"} for lang in pipelines],
            ner_model_configuration=NerModelConfiguration(labels_to_ignore=[]),
        )
        self._pipelines = pipelines

    def load(self) -> None:
        self.nlp = {
            lang: build_blank_pipeline(lang, **opts) for lang, opts in self._pipelines.items()
        }

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """Deferred: the pipeline runs when the artifacts are first read (LazyNlpArtifacts)."""
        return LazyNlpArtifacts(self, text, language)

    def process_text_eagerly(self, text: str, language: str) -> NlpArtifacts:
        return super().process_text(text, language)


def build_blank_pipeline(
    lang: str, sentencizer: bool = True, lemmatizer: bool = True
) -> spacy.language.Language:
    """spacy.blank(lang) + sentencizer + lookup lemmatizer when spacy-lookups-data has a table."""
    nlp = spacy.blank(lang)
    if sentencizer:
        nlp.add_pipe("sentencizer")
    if lemmatizer:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        try:
            nlp.initialize()
        except (ValueError, OSError) as exc:  # no lookup table for this language
            logger.warning("no lookup lemmatizer for %s: %s", lang, exc)
            nlp.remove_pipe("lemmatizer")
    return nlp


def special_category_builder() -> Callable[[str], list[EntityRecognizer]] | None:
    """The other team's ``build_special_category_recognizers``, wherever it lives."""
    for name in SPECIAL_CATEGORY_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        builder = getattr(module, "build_special_category_recognizers", None)
        if builder is not None:
            return builder
    return None


def build_pii_recognizers(config: ScannerConfig, lang: str) -> list[EntityRecognizer]:
    """The PII recognizer families listed for ``lang`` in the YAML."""
    families = config.recognizers[lang]
    factories: dict[str, Callable[[], EntityRecognizer]] = {
        "email": lambda: OfflineEmailRecognizer(supported_language=lang),
        "iban": lambda: ChecksumIbanRecognizer(supported_language=lang),
        "phone": lambda: DachUkPhoneRecognizer(
            supported_language=lang, regions=config.phone_regions, leniency=config.phone_leniency
        ),
        "address": lambda: StreetAddressRecognizer(supported_language=lang),
        "date_of_birth": lambda: DateOfBirthRecognizer(supported_language=lang),
        "person_context": lambda: PersonContextRecognizer(lang, config.first_names_file),
        "person_first_name": lambda: FirstNameGazetteerRecognizer(lang, config.first_names_file),
    }
    return [factories[f]() for f in families if f in factories]


def build_registry(config: ScannerConfig) -> RecognizerRegistry:
    """Registry with exactly the configured recognizers (no Presidio predefined ones)."""
    registry = RecognizerRegistry(supported_languages=list(config.languages))
    builder = special_category_builder()
    for lang in config.languages:
        for recognizer in build_pii_recognizers(config, lang):
            registry.add_recognizer(recognizer)
        if "special_categories" in config.recognizers[lang]:
            if builder is None:
                if config.require_special_categories:
                    raise RuntimeError(
                        "special-category recognizers not found (looked for "
                        f"{', '.join(SPECIAL_CATEGORY_MODULES)}); refusing to build a scanner "
                        "that cannot see Art. 9 data"
                    )
                logger.warning("special-category recognizers missing; scanning PII only")
                continue
            for recognizer in builder(lang):
                registry.add_recognizer(recognizer)
    return registry


def build_analyzer(config: ScannerConfig) -> AnalyzerEngine:
    """Offline AnalyzerEngine: blank spaCy pipelines + the configured registry."""
    nlp_engine = BlankSpacyNlpEngine({lang: config.nlp.get(lang, {}) for lang in config.languages})
    nlp_engine.load()
    return AnalyzerEngine(
        registry=build_registry(config),
        nlp_engine=nlp_engine,
        supported_languages=list(config.languages),
        default_score_threshold=min(config.thresholds.values()),
    )
