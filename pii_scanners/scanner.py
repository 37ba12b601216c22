"""The scanner: a pure function from a batch of notes to findings and redacted text.

Why a pure batch function: the scale path (DESIGN.md) runs the same code in a Dagster step, a
process pool or a Spark ``mapInArrow`` UDF, so nothing here knows about Dagster, DuckDB or files
other than the configuration. Per note: resolve the language, run the special-category matcher
directly (exactly what its Presidio recognizers would report), ask the prefilter which PII
recognizers could fire, run Presidio only for those, keep findings above their entity's
threshold, resolve overlapping spans to their union (``resolve_overlaps``: redact more, never
less), and redact from the findings. A text seen before in the same batch (or, in a
scan_parallel worker, the same run) is answered from a bounded memo when the record's known
names do not occur in it (pii_scanners.memo). With ``use_prefilter``
off every recognizer runs through Presidio and the memo is bypassed: the reference the
prefilter and fast-path tests compare against.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from pii_scanners.anonymize import Redactor
from pii_scanners.config import ScannerConfig, load_config
from pii_scanners.engine import build_analyzer
from pii_scanners.language import detect_language
from pii_scanners.lexicons.loader import ALL_CATEGORIES
from pii_scanners.memo import ResultMemo, names_in_text, remembers
from pii_scanners.models import Finding, ScanRequest, ScanResult
from pii_scanners.prefilter import Prefilter
from pii_scanners.recognizers.common_known_names_recognizer import (
    known_names_recognizer,
    name_variants,
    variants_in_text,
)
from pii_scanners.recognizers.common_person_context_recognizer import PersonContextRecognizer
from pii_scanners.recognizers.first_names import load_first_names
from pii_scanners.recognizers.special_category.base import LexiconRecognizer
from pii_scanners.recognizers.special_category.matcher import SpecialCategoryMatcher
from pii_scanners.recognizers.surname_repeats import PERSON_WORD_FILES, add_name_repeats
from pii_scanners.sentences import SENTENCES_FILE, Sentences

_KNOWN_NAMES_CACHE_SIZE = 1024


class _SpecialDirect:
    """The special-category recognizers of one language, run without Presidio.

    Why: the eight ``LexiconRecognizer``s of a language only report the findings of one shared
    ``SpecialCategoryMatcher`` (Aho-Corasick + Python checks), filtered by entity; they have no
    context words (Presidio's enhancer skips them) and their spans are disjoint or identical
    (one per category), so Presidio's de-duplication keeps them all. Calling the matcher
    directly and applying the same score threshold gives exactly the findings
    ``AnalyzerEngine.analyze`` would return for these entities, for a fraction of the cost (no
    registry lookup, no artifacts, no per-call setup).
    """

    __slots__ = ("matcher", "names", "thresholds")

    def __init__(
        self, matcher: SpecialCategoryMatcher, names: dict[str, str], thresholds: dict[str, float]
    ) -> None:
        self.matcher = matcher
        self.names = names  # entity -> recognizer name
        self.thresholds = thresholds  # entity -> Presidio's score threshold for it

    def findings(self, text: str, entities: frozenset[str] | None) -> list[Finding]:
        return [
            Finding(
                f.entity_type, f.start, f.end, round(float(f.score), 4), self.names[f.entity_type]
            )
            for f in self.matcher.find(text)
            if f.entity_type in self.names
            and (entities is None or f.entity_type in entities)
            and f.score >= self.thresholds[f.entity_type]
            and f.end > f.start
        ]


def _special_direct(analyzer: object, lang: str) -> _SpecialDirect | None:
    """The direct path for ``lang``, or None when the registry's special-category recognizers
    do not all share one matcher (then Presidio runs them as usual)."""
    recognizers = [
        r
        for r in analyzer.registry.recognizers  # type: ignore[attr-defined]
        if isinstance(r, LexiconRecognizer) and r.supported_language == lang
    ]
    if not recognizers:
        return None
    if len({id(r._matcher) for r in recognizers}) != 1:
        return None
    if any(type(r).analyze is not LexiconRecognizer.analyze for r in recognizers):
        return None
    default = analyzer.default_score_threshold  # type: ignore[attr-defined]
    names: dict[str, str] = {}
    thresholds: dict[str, float] = {}
    for r in recognizers:
        if r.ENTITY in names:
            return None
        names[r.ENTITY] = r.name
        own = r.score_thresholds
        thresholds[r.ENTITY] = own.get(r.ENTITY, own.get("default", default))
    return _SpecialDirect(recognizers[0]._matcher, names, thresholds)


class _PiiDirect:
    """The PII recognizers of one language, run the way ``AnalyzerEngine.analyze`` runs them,
    without its per-call overhead.

    Why: for a candidate note Presidio spends much of its time around the recognizers, not in
    them: registry selection, a deep copy of every result for the context enhancer, result
    metadata. ``analyze`` is: each selected recognizer's ``analyze``, the recognizer id and name
    in the result metadata, the context step (``AnalyzerEngine._enhance_using_context``), the
    per-recognizer score threshold, and ``EntityRecognizer.remove_duplicates``. Here the same
    steps run, Presidio's own functions where they exist, and the context step only when a
    selected recognizer has context words or its own context hook: Presidio's
    ``LemmaContextAwareEnhancer`` leaves every other result as it is (only the phone recognizer
    has context words here). tests/pii_scanners/test_fast_path_equivalence.py compares the
    results with plain ``AnalyzerEngine.analyze``.
    """

    __slots__ = ("analyzer", "recognizers")

    def __init__(self, analyzer: AnalyzerEngine, language: str) -> None:
        self.analyzer = analyzer
        self.recognizers = [
            r
            for r in analyzer.registry.recognizers
            if r.supported_language == language and not isinstance(r, LexiconRecognizer)
        ]

    def results(
        self,
        text: str,
        language: str,
        wanted: list[str],
        adhoc: EntityRecognizer | None,
    ) -> list[RecognizerResult]:
        """What ``analyzer.analyze(text, language, wanted, ad_hoc_recognizers=[adhoc])``
        returns, up to the order of results with equal scores."""
        wanted_set = set(wanted)
        selected = [r for r in self.recognizers if not wanted_set.isdisjoint(r.supported_entities)]
        if adhoc is not None and not wanted_set.isdisjoint(adhoc.supported_entities):
            selected.append(adhoc)
        # Lazy: spaCy runs only if the context step reads tokens (a phone finding).
        artifacts = self.analyzer.nlp_engine.process_text(text, language)
        results: list[RecognizerResult] = []
        for recognizer in selected:
            if not recognizer.is_loaded:
                recognizer.load()
                recognizer.is_loaded = True
            current = recognizer.analyze(text=text, entities=wanted, nlp_artifacts=artifacts)
            for result in current or ():
                meta = result.recognition_metadata
                if not meta:
                    meta = result.recognition_metadata = {}
                meta.setdefault(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, recognizer.id)
                meta.setdefault(RecognizerResult.RECOGNIZER_NAME_KEY, recognizer.name)
                results.append(result)
        if results and any(r.context or not _plain_context_hook(r) for r in selected):
            results = self.analyzer._enhance_using_context(text, results, artifacts, selected)
        default = self.analyzer.default_score_threshold
        thresholds = {r.id: r.score_thresholds for r in selected}
        kept = []
        for result in results:
            meta = result.recognition_metadata or {}
            own = thresholds.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY), {})
            if result.score >= own.get(result.entity_type, own.get("default", default)):
                kept.append(result)
        return EntityRecognizer.remove_duplicates(kept)


def _plain_context_hook(recognizer: EntityRecognizer) -> bool:
    """True when the recognizer keeps Presidio's no-op per-recognizer context hook."""
    return type(recognizer).enhance_using_context is EntityRecognizer.enhance_using_context


def _pii_direct(analyzer: AnalyzerEngine) -> bool:
    """Can ``_PiiDirect`` stand in for ``analyze`` on this engine? Only with Presidio's lemma
    context enhancer (which skips recognizers without context words) and no decision log."""
    return (
        type(analyzer.context_aware_enhancer) is LemmaContextAwareEnhancer
        and not analyzer.log_decision_process
    )


@functools.lru_cache(maxsize=8192)
def _name_variants(names: tuple[str, ...]) -> tuple[str, ...]:
    """``name_variants``, cached: a record's names recur on all of its notes, and splitting
    them costs more than the rest of the known-names test."""
    return tuple(name_variants(names))


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
    """sha256 over the YAML, the given-name list, the sentence rule and every lexicon file
    (sorted by path)."""
    digest = hashlib.sha256()
    digest.update(config.raw_bytes)
    digest.update(config.first_names_file.read_bytes())
    digest.update(SENTENCES_FILE.read_bytes())  # sentence rule: the scope of context and vetoes
    for path in PERSON_WORD_FILES:  # PERSON policy lists
        digest.update(path.read_bytes())
    if LEXICON_DIR.is_dir():
        for path in sorted(p for p in LEXICON_DIR.rglob("*") if p.suffix in {".yaml", ".yml"}):
            digest.update(str(path.relative_to(LEXICON_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


#: Tie order of special categories on one span (the lexicon README's resolution order).
_CATEGORY_ORDER = ALL_CATEGORIES


def resolve_overlaps(findings: Iterable[Finding], special: frozenset[str]) -> list[Finding]:
    """Overlapping findings resolve to their union: redact more, never less.

    Why: dropping the loser of an overlap revealed the characters only it covered, and a PII
    finding (PERSON "Krebs", a gazetteer hit) could hide a special category. Now a group of
    (transitively) overlapping findings becomes one span, the union of the group:
    - with special categories in it: one finding per special category of the group, each with
      the union span, its best score and recognizer; the PII findings of the group are covered
      by the union and not reported (a special category outranks any PII type); a special
      finding strictly inside a longer one of another category adds no category (the
      matcher's rule: "trade [unionist]");
    - without: one finding of the group's best PII type (higher score, then longer span) on
      the union span, plus one per other PII type that reaches beyond the winner's span.
    Output spans are therefore disjoint or identical; identical spans come best first
    (longest member, then score, then the order of ``special``), and the redactor tags the
    span with the first (``anonymize.union_spans``).
    """
    ordered = sorted(findings, key=lambda f: (f.start, -f.end))
    if not ordered:
        return []
    rank = {entity: i for i, entity in enumerate(_CATEGORY_ORDER)}
    groups: list[list[Finding]] = []
    end = -1
    for f in ordered:
        if groups and f.start < end:
            groups[-1].append(f)
            end = max(end, f.end)
        else:
            groups.append([f])
            end = f.end
    out: list[Finding] = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        start = min(f.start for f in group)
        stop = max(f.end for f in group)
        specials = [f for f in group if f.entity_type in special]
        specials = [
            f
            for f in specials
            if not any(
                o.entity_type != f.entity_type
                and o.start <= f.start
                and f.end <= o.end
                and o.end - o.start > f.end - f.start
                for o in specials
            )
        ]
        if specials:
            best: dict[str, Finding] = {}
            top: dict[str, float] = {}
            for f in specials:
                kept = best.get(f.entity_type)
                if kept is None or (f.end - f.start, f.score) > (kept.end - kept.start, kept.score):
                    best[f.entity_type] = f
                top[f.entity_type] = max(top.get(f.entity_type, 0.0), f.score)
            chosen = sorted(
                best.values(),
                key=lambda f: (
                    -(f.end - f.start),
                    -top[f.entity_type],
                    rank.get(f.entity_type, len(rank)),
                    f.entity_type,
                ),
            )
            out.extend(
                Finding(f.entity_type, start, stop, top[f.entity_type], f.recognizer)
                for f in chosen
            )
        else:
            # The best PII type names the union; another type is reported on it too when it
            # reaches beyond the winner's span (a name before an address stays a PERSON
            # finding), not when it lies inside it (a street word the gazetteer took for a name).
            ranked = sorted(group, key=lambda f: (-f.score, -(f.end - f.start), f.start))
            winner = ranked[0]
            best_pii = {winner.entity_type: winner}
            for f in ranked[1:]:
                if f.start < winner.start or f.end > winner.end:
                    best_pii.setdefault(f.entity_type, f)
            out.extend(
                Finding(f.entity_type, start, stop, f.score, f.recognizer)
                for f in best_pii.values()
            )
    return out


class Scanner:
    """Offline special-category + PII scanner for German and English notes."""

    def __init__(self, config: ScannerConfig) -> None:
        self.config = config
        self.analyzer = build_analyzer(config)
        self.redactor = Redactor(config.redaction)
        self._special = {lang: _special_direct(self.analyzer, lang) for lang in config.languages}
        if any(
            "special_categories" in config.recognizers[lang] and self._special[lang] is None
            for lang in config.languages
        ):  # all or nothing: the prefilter's trigger terms then guard every language
            self._special = dict.fromkeys(config.languages)
        self._special_types = frozenset(
            e for d in self._special.values() if d is not None for e in d.names
        )
        self._pii = (
            {lang: _PiiDirect(self.analyzer, lang) for lang in config.languages}
            if _pii_direct(self.analyzer)
            else {}
        )
        terms: set[str] = set()
        for lang in config.languages:
            # Languages served by the direct special-category path need no trigger terms in the
            # prefilter: the matcher itself decides (an exact test, not a substring one).
            if "special_categories" in config.recognizers[lang] and self._special[lang] is None:
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
        # Repeated texts reuse an earlier result (pii_scanners.memo); off for the reference path.
        self.use_memo = True
        self._memo = ResultMemo()
        self._known_cache: dict[tuple[tuple[str, ...], str], object] = {}
        self.version = f"{package_version()}+{config_fingerprint(config)[:12]}"

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> Scanner:
        """Build a scanner from scanner.yaml (default: the packaged one)."""
        return cls(load_config(path))

    def languages_for(self, request: ScanRequest) -> tuple[str, tuple[str, ...]]:
        """The note's language, and the languages whose recognizers run on it."""
        lang, languages, _ = self._languages(request)
        return lang, languages

    def _languages(self, request: ScanRequest) -> tuple[str, tuple[str, ...], float]:
        """``languages_for`` and the detector's margin (1.0 for an explicit language)."""
        lang = (request.lang or "auto").lower()
        if lang in self.config.languages:
            return lang, (lang,), 1.0
        if lang != "auto":
            raise ValueError(f"unsupported language {request.lang!r} for note {request.id!r}")
        det = detect_language(request.text, self.config.detection_default)
        if det.margin < self.config.detection_min_margin:
            others = tuple(x for x in self.config.languages if x != det.lang)
            return det.lang, (det.lang, *others), det.margin
        return det.lang, (det.lang,), det.margin

    def analyze(
        self,
        request: ScanRequest,
        languages: Sequence[str],
        entities: frozenset[str] | None = None,
    ) -> list[Finding]:
        """Findings for one note, thresholds applied, overlaps resolved. ``entities`` (from the
        prefilter) limits which recognizers run; None runs all of them."""
        resolved = resolve_overlaps(
            self._presidio_findings(request, languages, entities),
            self.config.special_category_entities,
        )
        return add_name_repeats(request.text, resolved)  # surname-only mentions (H3)

    def _presidio_findings(
        self,
        request: ScanRequest,
        languages: Sequence[str],
        entities: frozenset[str] | None,
    ) -> list[Finding]:
        """Presidio's findings above their thresholds, overlaps not yet resolved."""
        raw: list[RecognizerResult] = []
        for lang in languages:
            wanted = None
            if entities is not None:
                wanted = sorted(entities & (self._supported[lang] | {"PERSON"}))
                if not wanted:
                    continue
            # Presidio selects ad-hoc recognizers by entity too: without PERSON it is unused.
            adhoc = (
                self._known_names(request.known_names, request.text, lang)
                if wanted is None or "PERSON" in wanted
                else None
            )
            direct = self._pii.get(lang) if wanted is not None else None
            if direct is not None:
                found = direct.results(request.text, lang, wanted, adhoc)
            else:
                found = self.analyzer.analyze(
                    text=request.text,
                    language=lang,
                    entities=wanted,
                    ad_hoc_recognizers=[adhoc] if adhoc else None,
                )
            raw.extend(found)
        return [
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

    def _known_names(self, names: Iterable[str], text: str, lang: str) -> object:
        """The ad-hoc known-names recognizer for the name variants that occur in the text
        (the others cannot match), cached: building one compiles a regex (~1 ms)."""
        variants = tuple(variants_in_text(_name_variants(tuple(names)), text))
        if not variants:
            return None
        key = (variants, lang)
        cache = self._known_cache
        if key in cache:
            return cache[key]
        recognizer = known_names_recognizer((), lang, list(variants))
        if len(cache) >= _KNOWN_NAMES_CACHE_SIZE:
            try:  # drop the oldest entry; a concurrent change just empties the cache
                cache.pop(next(iter(cache)), None)
            except (RuntimeError, StopIteration):
                cache.clear()
        cache[key] = recognizer
        return recognizer

    def scan_one(self, request: ScanRequest) -> ScanResult:
        lang, findings, redacted = self.scan_text(
            request.id, request.text, request.lang, request.known_names
        )
        return ScanResult(request.id, lang, findings, redacted)

    def scan_text(
        self,
        note_id: str,
        text: str,
        lang: str | None = None,
        known_names: tuple[str, ...] = (),
    ) -> tuple[str, list[Finding], str]:
        """(language, findings, redacted text) of one note: ``scan_one`` without the request
        and result objects (scan_parallel's workers call this when the parent does not answer
        repeats itself, ``scan_fresh`` when it does). Repeated texts come from the memo when
        the record's names do not occur in them (pii_scanners.memo)."""
        if not (self.use_memo and self.use_prefilter and remembers(text)) or (
            known_names and names_in_text(text, known_names)
        ):
            return self.scan_fresh(note_id, text, lang, known_names)
        key = (text, lang)
        hit = self._memo.get(key)
        if hit is not None:
            return hit[0], list(hit[1]), hit[2]
        out = self.scan_fresh(note_id, text, lang)
        self._memo.put(key, (out[0], tuple(out[1]), out[2]))
        return out

    def scan_fresh(
        self,
        note_id: str,
        text: str,
        lang: str | None = None,
        known_names: tuple[str, ...] = (),
    ) -> tuple[str, list[Finding], str]:
        """``scan_text`` without the memo: scan_parallel's workers call this when the parent
        answers repeated texts itself (and has already left out names that cannot matter)."""
        return self._scan_uncached(ScanRequest(note_id, text, lang, known_names))

    def other_language_findings(
        self, request: ScanRequest, languages: Sequence[str], margin: float | None = None
    ) -> list[Finding]:
        """Special categories of the configured languages not in ``languages``, kept only in
        sentences that are (or may be) in that language. Only for detected languages
        (``lang`` auto): an explicit language is the operator's word.

        Why: detection decides per note, so one English sentence appended to a German note
        (or the reverse) was scanned with the other language's lexicons only, and its
        special categories vanished. The other matchers cost one automaton pass each; only
        a hit costs the sentence's detection, and a hit in a sentence clearly in the note's
        language is dropped (English lexicon terms inside German sentences: precision). A note
        whose detection margin is 1.0 (three or more cue words, all of one language: no
        sentence in it reads as the other language) skips the other matchers: half the
        sample CRM's notes. ``margin``: the note's detection margin, if already known.
        """
        if (request.lang or "auto").lower() != "auto":
            return []
        if margin is None:
            margin = detect_language(request.text, self.config.detection_default).margin
        if margin >= 1.0:
            return []
        out: list[Finding] = []
        sentences: Sentences | None = None
        verdicts: dict[tuple[int, int], str] = {}
        margin = self.config.detection_min_margin
        for other in self.config.languages:
            direct = self._special.get(other)
            if other in languages or direct is None:
                continue
            found = [
                f
                for f in direct.findings(request.text, None)
                if f.score >= self.config.threshold(f.entity_type)
            ]
            for f in found:
                if sentences is None:
                    sentences = Sentences(request.text)
                bounds = sentences.bounds(f.start, f.end)
                verdict = verdicts.get(bounds)
                if verdict is None:
                    det = detect_language(
                        request.text[bounds[0] : bounds[1]], self.config.detection_default
                    )
                    verdict = verdicts[bounds] = "" if det.margin < margin else det.lang
                if verdict in ("", other):
                    out.append(f)
        return out

    def _scan_uncached(self, request: ScanRequest) -> tuple[str, list[Finding], str]:
        lang, languages, margin = self._languages(request)
        # Cheap (an automaton pass per other language) and only for detected languages.
        crossed = self.other_language_findings(request, languages, margin)
        if not self.use_prefilter:
            findings = self.analyze(request, languages, None)
            if crossed:
                findings = resolve_overlaps(
                    [*findings, *crossed], self.config.special_category_entities
                )
            return lang, findings, self.redactor.redact(request.text, findings)
        entities = self.prefilter.candidate_entities(request.text, request.known_names)
        special: list[Finding] = []
        if entities is not None:
            # Special categories straight from the matcher; Presidio only for the rest.
            for language in languages:
                direct = self._special[language]
                if direct is not None:
                    special.extend(
                        f
                        for f in direct.findings(request.text, None)
                        if f.score >= self.config.threshold(f.entity_type)
                    )
            entities = entities - self._special_types
            if not entities and not special and not crossed:
                return lang, [], request.text
        raw = self._presidio_findings(request, languages, entities) if entities != set() else []
        findings = resolve_overlaps(
            [*raw, *special, *crossed], self.config.special_category_entities
        )
        findings = add_name_repeats(request.text, findings)  # surname-only mentions
        return lang, findings, self.redactor.redact(request.text, findings)

    def is_candidate(self, request: ScanRequest) -> bool:
        """Does the note need more than the cheap tests (Presidio or a special-category span)?"""
        _, languages, margin = self._languages(request)
        entities = self.prefilter.candidate_entities(request.text, request.known_names)
        if entities is None or entities - self._special_types:
            return True
        return any(
            self._special[x] is not None and self._special[x].findings(request.text, None)
            for x in languages
        ) or bool(self.other_language_findings(request, languages, margin))

    def scan_batch(self, requests: Iterable[ScanRequest]) -> list[ScanResult]:
        """Scan a batch; results are in input order, one per request. The memo of repeated
        texts lives for the batch only: a long-lived process keeps no note text after it."""
        try:
            return [self.scan_one(r) for r in requests]
        finally:
            self._memo.clear()
