"""The scanner: a pure function from a batch of notes to findings and redacted text.

Why a pure batch function: the scale path (DESIGN.md) runs the same code in a Dagster step, a
process pool or a Spark ``mapInArrow`` UDF, so nothing here knows about Dagster, DuckDB or files
other than the configuration. Per note: resolve the language, ask the prefilter, run Presidio
only for candidates, keep findings above their entity's threshold, make spans non-overlapping,
and redact from the findings.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from presidio_analyzer import RecognizerResult

from pii_scanners.anonymize import Redactor
from pii_scanners.config import ScannerConfig, load_config
from pii_scanners.engine import build_analyzer
from pii_scanners.language import detect_language
from pii_scanners.models import Finding, ScanRequest, ScanResult
from pii_scanners.prefilter import Prefilter
from pii_scanners.recognizers.common_known_names_recognizer import known_names_recognizer
from pii_scanners.recognizers.common_person_context_recognizer import PersonContextRecognizer
from pii_scanners.recognizers.first_names import load_first_names

PACKAGE_DIR = Path(__file__).resolve().parent
LEXICON_DIR = PACKAGE_DIR / "lexicons"


def package_version() -> str:
    try:
        return metadata.version("crm-governance")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def trigger_terms(lang: str) -> list[str]:
    """Special-category trigger terms from the lexicon loader ([] if it is not installed)."""
    try:
        loader = importlib.import_module("pii_scanners.lexicons.loader")
    except ModuleNotFoundError:
        return []
    return list(loader.trigger_terms(lang))


def config_fingerprint(config: ScannerConfig) -> str:
    """sha256 over the YAML, the given-name list and every lexicon file (sorted by path)."""
    digest = hashlib.sha256()
    digest.update(config.raw_bytes)
    digest.update(config.first_names_file.read_bytes())
    if LEXICON_DIR.is_dir():
        for path in sorted(p for p in LEXICON_DIR.rglob("*") if p.suffix in {".yaml", ".yml"}):
            digest.update(str(path.relative_to(LEXICON_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def resolve_overlaps(findings: Iterable[Finding], special: frozenset[str]) -> list[Finding]:
    """Non-overlapping spans: higher score first, then the longer span; on a tie a special
    category wins over PERSON (a surname like "Krebs" must not hide a diagnosis)."""

    def priority(f: Finding) -> tuple[float, int, int, int]:
        return (f.score, f.end - f.start, 1 if f.entity_type in special else 0, -f.start)

    kept: list[Finding] = []
    for f in sorted(findings, key=priority, reverse=True):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end))


class Scanner:
    """Offline special-category + PII scanner for German and English notes."""

    def __init__(self, config: ScannerConfig) -> None:
        self.config = config
        self.analyzer = build_analyzer(config)
        self.redactor = Redactor(config.redaction)
        terms: set[str] = set()
        for lang in config.languages:
            if "special_categories" in config.recognizers[lang]:
                terms.update(trigger_terms(lang))
        names = (
            load_first_names(config.first_names_file)
            if any("person_first_name" in config.recognizers[lang] for lang in config.languages)
            else frozenset()
        )
        person_context = next(
            (
                r
                for r in self.analyzer.registry.recognizers
                if isinstance(r, PersonContextRecognizer)
            ),
            None,
        )
        self.prefilter = Prefilter(
            terms, names, person_context, special_entities=config.special_category_entities
        )
        self._supported = {
            lang: frozenset(self.analyzer.get_supported_entities(lang)) for lang in config.languages
        }
        self.use_prefilter = True
        self.version = f"{package_version()}+{config_fingerprint(config)[:12]}"

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> Scanner:
        """Build a scanner from scanner.yaml (default: the packaged one)."""
        return cls(load_config(path))

    def languages_for(self, request: ScanRequest) -> tuple[str, tuple[str, ...]]:
        """The note's language, and the languages whose recognizers run on it."""
        lang = (request.lang or "auto").lower()
        if lang in self.config.languages:
            return lang, (lang,)
        if lang != "auto":
            raise ValueError(f"unsupported language {request.lang!r} for note {request.id!r}")
        det = detect_language(request.text, self.config.detection_default)
        if det.margin < self.config.detection_min_margin:
            others = tuple(x for x in self.config.languages if x != det.lang)
            return det.lang, (det.lang, *others)
        return det.lang, (det.lang,)

    def analyze(
        self,
        request: ScanRequest,
        languages: Sequence[str],
        entities: frozenset[str] | None = None,
    ) -> list[Finding]:
        """Findings for one note, thresholds applied, overlaps resolved. ``entities`` (from the
        prefilter) limits which recognizers run; None runs all of them."""
        raw: list[RecognizerResult] = []
        for lang in languages:
            adhoc = known_names_recognizer(request.known_names, lang)
            wanted = None
            if entities is not None:
                wanted = sorted(entities & (self._supported[lang] | {"PERSON"}))
                if not wanted:
                    continue
            raw.extend(
                self.analyzer.analyze(
                    text=request.text,
                    language=lang,
                    entities=wanted,
                    ad_hoc_recognizers=[adhoc] if adhoc else None,
                )
            )
        findings = [
            Finding(
                entity_type=r.entity_type,
                start=r.start,
                end=r.end,
                score=round(float(r.score), 4),
                recognizer=str(
                    (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
                ),
            )
            for r in raw
            if r.score >= self.config.threshold(r.entity_type) and r.end > r.start
        ]
        return resolve_overlaps(findings, self.config.special_category_entities)

    def scan_one(self, request: ScanRequest) -> ScanResult:
        lang, languages = self.languages_for(request)
        entities = None
        if self.use_prefilter:
            entities = self.prefilter.candidate_entities(request.text, request.known_names)
            if entities is not None and not entities:
                return ScanResult(request.id, lang, [], request.text)
        findings = self.analyze(request, languages, entities)
        return ScanResult(request.id, lang, findings, self.redactor.redact(request.text, findings))

    def scan_batch(self, requests: Iterable[ScanRequest]) -> list[ScanResult]:
        """Scan a batch; results are in input order, one per request."""
        return [self.scan_one(r) for r in requests]
