"""Scoring rules of pii_scanners.evaluate on hand-made gold and predictions."""

from __future__ import annotations

import json

import pytest

from pii_scanners.evaluate import GoldNote, GoldSpan, load_gold, score
from pii_scanners.models import Finding


def _note(id: str, spans: list[tuple[int, int, str]], lang: str = "de") -> GoldNote:
    return GoldNote(id, lang, "x" * 100, tuple(GoldSpan(s, e, t) for s, e, t in spans))


def test_gold_labels_are_mapped_to_scanner_entity_types(tmp_path):
    path = tmp_path / "gold.jsonl"
    rec = {
        "id": "1",
        "lang": "en",
        "text": "a@b.de 0171",
        "spans": [
            {"start": 0, "end": 6, "label": "EMAIL"},
            {"start": 7, "end": 11, "label": "PHONE"},
        ],
    }
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    (note,) = load_gold([path])
    assert [s.entity_type for s in note.spans] == ["EMAIL_ADDRESS", "PHONE_NUMBER"]


def test_overlap_of_the_same_type_counts_for_recall_and_precision():
    notes = [_note("1", [(10, 20, "HEALTH"), (30, 40, "PERSON")])]
    preds = {"1": [Finding("HEALTH", 15, 25, 0.9, "r"), Finding("HEALTH", 30, 40, 0.9, "r")]}
    m = score(notes, preds)["entities"]
    assert m["HEALTH|all"]["recall"] == 1.0
    assert m["HEALTH|all"]["precision"] == 0.5
    assert m["PERSON|all"]["recall"] == 0.0


def test_redaction_coverage_counts_gold_characters_inside_any_predicted_span():
    notes = [_note("1", [(0, 10, "HEALTH")])]
    metrics = score(notes, {"1": [Finding("PERSON", 5, 20, 0.9, "r")]})
    assert metrics["redaction_char_coverage"] == pytest.approx(0.5)


def test_note_level_recall_needs_any_special_category_in_a_note_that_has_one():
    notes = [_note("1", [(0, 5, "RELIGION")]), _note("2", [(0, 5, "HEALTH")]), _note("3", [])]
    preds = {"1": [Finding("HEALTH", 50, 60, 0.9, "r")], "3": [Finding("HEALTH", 1, 2, 0.9, "r")]}
    nl = score(notes, preds)["note_level_special"]
    assert nl["recall"] == 0.5 and nl["falsely_flagged"] == 1


def test_groups_and_languages_are_reported_separately():
    notes = [_note("1", [(0, 5, "ADDRESS")], "de"), _note("2", [(0, 5, "IBAN_CODE")], "en")]
    m = score(notes, {"1": [Finding("ADDRESS", 0, 5, 1.0, "r")]})["entities"]
    assert m["PII (all)|all"]["recall"] == 0.5
    assert m["PII (all)|de"]["recall"] == 1.0 and m["PII (all)|en"]["recall"] == 0.0
