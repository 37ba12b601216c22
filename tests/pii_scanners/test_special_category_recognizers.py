"""Special-category recognizers through a real (offline) Presidio AnalyzerEngine.

One parametrized table of positives (exact spans, span boundary conventions of the eval
README) and hard negatives per language and category family lives in
``special_category_cases.py``; the tests here run it through Presidio and check the contracts
the engine relies on (entity names, recognizer names, scores, no overlaps).
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
from _engine_for_tests import special_category_engine
from presidio_analyzer import RecognizerResult
from special_category_cases import NEGATIVES, POSITIVES, Case

from pii_scanners.lexicons.loader import SPECIAL_CATEGORIES
from pii_scanners.recognizers.special_category import (
    ART9_RECOGNIZERS,
    build_special_category_recognizers,
)

ALL_ENTITIES = [*SPECIAL_CATEGORIES, "CRIMINAL_OFFENCE"]


def analyze(case: Case) -> list[RecognizerResult]:
    return special_category_engine().analyze(case.text, language=case.lang)


def spans(results: list[RecognizerResult]) -> list[tuple[str, int, int]]:
    return sorted(((r.entity_type, r.start, r.end) for r in results), key=lambda s: s[1])


@pytest.mark.parametrize("case", POSITIVES, ids=lambda c: c.id)
def test_positive_notes_produce_exactly_the_expected_spans(case: Case) -> None:
    assert spans(analyze(case)) == case.offsets(), case.text


@pytest.mark.parametrize("case", NEGATIVES, ids=lambda c: c.id)
def test_hard_negatives_produce_no_special_category_finding(case: Case) -> None:
    found = [(r.entity_type, case.text[r.start : r.end]) for r in analyze(case)]
    assert found == [], case.text


def test_every_category_and_language_has_enough_positives_and_negatives() -> None:
    entity_prefix = {
        "HEALTH": "health",
        "RELIGION": "religion",
        "ETHNIC_ORIGIN": "ethnic",
        "POLITICAL_OPINION": "political",
        "TRADE_UNION": "union",
        "SEX_LIFE": "sex",
        "GENETIC": "genetic",
        "BIOMETRIC": "biometric",
    }
    for lang in ("de", "en"):
        for entity, prefix in entity_prefix.items():
            tag = f"{lang}-{prefix}-"
            positives = [c for c in POSITIVES if c.id.startswith(tag)]
            negatives = [c for c in NEGATIVES if c.id.startswith(tag)]
            assert len(positives) >= 8, (lang, entity, len(positives))
            assert len(negatives) >= 5, (lang, entity, len(negatives))
            assert all(any(s[0] == entity for s in c.spans) for c in positives), (lang, entity)


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in POSITIVES + NEGATIVES]
    assert len(ids) == len(set(ids))


def test_findings_name_the_recognizer_class_and_carry_a_usable_score() -> None:
    case = Case("mixed", "de", "Er ist Diabetiker, Muslim und Mitglied der IG Metall.")
    results = analyze(case)
    by_entity = {r.entity_type: r for r in results}
    assert set(by_entity) == {"HEALTH", "RELIGION", "TRADE_UNION"}
    assert by_entity["HEALTH"].recognition_metadata["recognizer_name"] == "HealthRecognizer"
    assert by_entity["RELIGION"].recognition_metadata["recognizer_name"] == "ReligionRecognizer"
    assert (
        by_entity["TRADE_UNION"].recognition_metadata["recognizer_name"] == "TradeUnionRecognizer"
    )
    # The scanner's default threshold is 0.4; every emitted finding must clear it.
    assert all(0.5 <= r.score <= 1.0 for r in results)


def test_a_context_word_nearby_raises_the_score() -> None:
    plain = analyze(Case("p", "de", "Sie hat Migräne."))
    with_context = analyze(Case("c", "de", "Laut Arzt hat sie Migräne."))
    assert with_context[0].score > plain[0].score


def test_explanations_never_contain_the_matched_text() -> None:
    text = "Die Kundin hat Leukämie und ist Zeugin Jehovas."
    results = special_category_engine().analyze(text, language="de", return_decision_process=True)
    assert results
    for result in results:
        explanation = result.analysis_explanation.to_dict()
        assert text[result.start : result.end] not in str(explanation)


def test_spans_are_disjoint_or_identical_even_across_categories() -> None:
    text = (
        "Sie erfuhr über einen DNA-Test, dass sie aschkenasisch-jüdischer Abstammung ist, "
        "und ist seitdem in der jüdischen Gemeinde aktiv; ihr Bruder hat Brustkrebs-Therapie."
    )
    found = sorted({(s, e) for _, s, e in spans(special_category_engine().analyze(text, "de"))})
    assert found
    for (_, first_end), (second_start, _) in itertools.pairwise(found):
        assert first_end <= second_start


def test_the_builder_returns_one_recognizer_per_article_9_category_for_each_language() -> None:
    for lang in ("de", "en"):
        recognizers = build_special_category_recognizers(lang)
        assert [type(r) for r in recognizers] == list(ART9_RECOGNIZERS)
        assert sorted(e for r in recognizers for e in r.supported_entities) == sorted(
            SPECIAL_CATEGORIES
        )
        assert {r.supported_language for r in recognizers} == {lang}
        assert all(r.name == type(r).__name__ for r in recognizers)


def test_criminal_offence_is_only_reported_when_switched_on() -> None:
    text = "Der Lieferant ist vorbestraft und war in Haft."
    assert special_category_engine().analyze(text, language="de") == []
    with_art10 = special_category_engine(include_criminal_offence=True)
    found = {r.entity_type for r in with_art10.analyze(text, language="de")}
    assert found == {"CRIMINAL_OFFENCE"}


def test_every_recognizer_documents_its_legal_basis() -> None:
    for cls in ART9_RECOGNIZERS:
        assert "Art. 9(1)" in (cls.__doc__ or ""), cls.__name__
        assert cls.LEGAL_REFERENCE.startswith("Art. 9(1)"), cls.__name__


def test_requested_entities_limit_the_findings() -> None:
    text = "Er ist Diabetiker und Muslim."
    results = special_category_engine().analyze(text, language="de", entities=["RELIGION"])
    assert [r.entity_type for r in results] == ["RELIGION"]


def test_turkish_dotted_capital_i_keeps_offsets_aligned() -> None:
    # "İ".lower() has two characters; offsets after it must still point into the original.
    text = "İZMİR: Die Kundin hat Diabetes."
    (result,) = special_category_engine().analyze(text, language="de")
    assert text[result.start : result.end] == "Diabetes"


def test_the_recognizers_cost_well_under_100_microseconds_per_note() -> None:
    recognizers = build_special_category_recognizers("de")
    entities = [r.supported_entities[0] for r in recognizers]
    base = (
        "Kundin bittet um Rückruf, ihr Mann hat Diabetes und nimmt Blutverdünner. Sie ist "
        "katholisch und Mitglied der IG Metall. Lieferung an Lindenweg 4, 12345 Berlin, bitte "
        "nicht vor 10 Uhr, da sie nachts arbeitet und tagsüber schläft. Danke und viele Grüße. "
    )
    notes = [f"{base}#{i}" for i in range(300)]
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for note in notes:
            for recognizer in recognizers:
                recognizer.analyze(note, entities, None)
        best = min(best, (time.process_time() - start) / len(notes))
    # Measured at 50–100 µs (CPU) on a loaded 2-core machine; the bound leaves room for slow CI.
    assert best < 400e-6, f"{best * 1e6:.0f} µs per note"


NOTES_FILE = Path(__file__).resolve().parent / "data" / "special_category_notes.jsonl"


def test_notes_written_for_these_tests_keep_their_recall_and_precision() -> None:
    """210 notes written for these tests (never the dev phrasing), special categories only.

    They were first used blind to estimate generalisation (recall 0.69-0.87 before the lexicons
    were extended); now they guard against regressions. Overlap scoring as in the eval README.
    """
    engine = special_category_engine()
    found_gold = gold_total = right_pred = pred_total = flagged = notes_with_gold = 0
    for line in NOTES_FILE.read_text(encoding="utf-8").splitlines():
        note = json.loads(line)
        gold = [(s["label"], s["start"], s["end"]) for s in note["spans"]]
        pred = spans(engine.analyze(note["text"], language=note["lang"]))

        def hit(a: tuple[str, int, int], others: list[tuple[str, int, int]]) -> bool:
            return any(a[0] == b[0] and a[1] < b[2] and b[1] < a[2] for b in others)

        gold_total += len(gold)
        found_gold += sum(hit(g, pred) for g in gold)
        pred_total += len(pred)
        right_pred += sum(hit(p, gold) for p in pred)
        if gold:
            notes_with_gold += 1
            flagged += bool(pred)
    assert found_gold / gold_total >= 0.95
    assert right_pred / pred_total >= 0.95
    assert flagged / notes_with_gold >= 0.98
