"""Scoring rules of pii_scanners.evaluate on hand-made gold and predictions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, DEV_NOTES, OWN_CASES

from pii_scanners.evaluate import (
    GoldNote,
    GoldSpan,
    external_requests,
    load_gold,
    load_jsonl,
    predict,
    score,
    score_grascco,
    score_hatecheck,
)
from pii_scanners.evaluations import figure_at, load_evaluation, load_targets, store_evaluation
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


# --- external corpora and stored figures -------------------------------------------------------


def test_hatecheck_coverage_splits_plain_and_spelling_and_benign_counts_any_art9_finding():
    cases = [
        {"id": "1", "lang": "de", "functionality": "derog", "target_ident": "jews",
         "expect": ["RELIGION", "ETHNIC_ORIGIN"], "text": "x"},
        {"id": "2", "lang": "de", "functionality": "spell_leet", "target_ident": "jews",
         "expect": ["RELIGION"], "text": "x"},
        {"id": "3", "lang": "de", "functionality": "derog", "target_ident": "women",
         "expect": [], "text": "x"},
        {"id": "4", "lang": "en", "functionality": "derog", "target_ident": "",
         "expect": [], "text": "x"},
    ]  # fmt: skip
    preds = {
        "1": [Finding("ETHNIC_ORIGIN", 0, 1, 0.9, "r")],
        "2": [Finding("HEALTH", 0, 1, 0.9, "r")],  # the wrong category is no coverage
        "3": [Finding("PERSON", 0, 1, 0.9, "r")],  # PII is no benign false positive
        "4": [Finding("SEX_LIFE", 0, 1, 0.9, "r")],
    }
    figures = score_hatecheck(cases, preds)
    assert figures["coverage"]["de"]["jews"]["plain"] == {"count": 1, "total": 1, "rate": 1.0}
    assert figures["coverage"]["de"]["all"]["spelling"] == {"count": 0, "total": 1, "rate": 0.0}
    assert figures["benign_false_positive"]["de"]["count"] == 0
    assert figures["benign_false_positive"]["en"] == {"count": 1, "total": 1, "rate": 1.0}


def test_grascco_recall_uses_overlap_and_the_person_proxy_counts_findings_on_no_phi_span():
    letters = [
        {"id": "a", "lang": "de", "text": "x" * 60, "spans": [
            {"start": 0, "end": 10, "label": "PERSON"},
            {"start": 20, "end": 30, "label": "ADDRESS"},
            {"start": 40, "end": 45, "label": "OTHER"},
        ]},
        {"id": "b", "lang": "de", "text": "x" * 60, "spans": []},
    ]  # fmt: skip
    preds = {
        "a": [
            Finding("PERSON", 5, 12, 0.9, "r"),  # overlaps the gold name
            Finding("PERSON", 41, 44, 0.9, "r"),  # on an OTHER span: not against the proxy
            Finding("ADDRESS", 31, 35, 0.9, "r"),  # touches no gold address
            Finding("HEALTH", 50, 55, 0.9, "r"),
        ],
        "b": [Finding("PERSON", 0, 3, 0.9, "r")],
    }
    figures = score_grascco(letters, preds)
    assert figures["recall"]["PERSON"] == {"count": 1, "total": 1, "rate": 1.0}
    assert figures["recall"]["ADDRESS"]["count"] == 0
    assert figures["person_precision_proxy"] == {"count": 2, "total": 3, "rate": 0.6667}
    assert figures["health_note_level"] == {"count": 1, "total": 2, "rate": 0.5}


def _evaluate(tmp_path, *extra):

    from pii_scanners.cli import main

    args = ["evaluate", "--gold", str(OWN_CASES), *extra]
    return main(args + (["--config", CONFIG] if CONFIG else []))


def test_stored_evaluation_is_deterministic_and_holds_no_note_text(tmp_path, scanner):

    store = tmp_path / "evaluations"
    assert _evaluate(tmp_path, "--store", str(store), "--evaluated-on", "2026-12-07") == 0
    path = store / f"{scanner.version}.json"
    first = path.read_bytes()
    assert _evaluate(tmp_path, "--store", str(store), "--evaluated-on", "2026-12-07") == 0
    assert path.read_bytes() == first
    stored = load_evaluation(scanner.version, store)
    record = stored["corpora"][OWN_CASES.stem]
    assert record["sha256"] and record["evaluated_on"] == "2026-12-07"
    assert record["spans"] > 0 and record["pii"]["recall"]["total"] > 0
    text = first.decode("utf-8")
    for note in load_gold([OWN_CASES]):
        for span in note.spans:
            phrase = note.text[span.start : span.end]
            if len(phrase) >= 6 and not phrase.isdigit():
                assert json.dumps(phrase)[1:-1] not in text, "a matched string was stored"


def test_storing_one_corpus_keeps_the_figures_of_the_others(tmp_path, scanner):

    store = tmp_path / "evaluations"
    store_evaluation(scanner.version, {"hatecheck": {"kind": "identity_term_coverage"}}, store)
    assert _evaluate(tmp_path, "--store", str(store), "--evaluated-on", "2026-12-07") == 0
    assert set(load_evaluation(scanner.version, store)["corpora"]) == {"hatecheck", OWN_CASES.stem}


def test_store_without_an_evaluation_date_is_refused_and_writes_nothing(tmp_path):
    store = tmp_path / "evaluations"
    assert _evaluate(tmp_path, "--store", str(store)) == 2
    assert not store.exists()


KINDS = ("plain", "spelling")


def _eval_dir() -> Path:

    directory = Path(os.environ.get("PII_EVAL_DIR") or DEV_NOTES.parent)
    if not (directory / "external").is_dir():
        pytest.skip(f"shared eval corpora not found at {directory}")
    return directory


@pytest.mark.parametrize("corpus", ["hatecheck", "grascco_phi"])
def test_external_figures_equal_what_the_corpus_own_score_script_prints(corpus, tmp_path, scanner):
    """The reimplemented scorers count exactly like the corpora's score.py (run as a program)."""
    folder = _eval_dir() / "external" / corpus
    gold = folder / f"{corpus}.jsonl"
    cases = load_jsonl(gold)
    preds = predict(external_requests(cases), scanner)
    out = tmp_path / "out.jsonl"
    out.write_text(
        "".join(
            json.dumps({"id": c["id"], "findings": [f.to_dict() for f in preds.get(c["id"], [])]})
            + "\n"
            for c in cases
        ),
        encoding="utf-8",
    )
    printed = subprocess.run(
        [sys.executable, str(folder / "score.py"), str(gold), str(out)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counts = [tuple(map(int, m)) for m in re.findall(r"(\d+)/(\d+)", printed)]
    if corpus == "hatecheck":
        figures = score_hatecheck(cases, preds)
        ours = []
        for lang in ("de", "en"):
            groups = figures["coverage"][lang]
            for group in [*sorted(g for g in groups if g != "all"), "all"]:
                ours += [(groups[group][k]["count"], groups[group][k]["total"]) for k in KINDS]
            benign = figures["benign_false_positive"][lang]
            ours.append((benign["count"], benign["total"]))
    else:
        figures = score_grascco(cases, preds)
        ours = [(r["count"], r["total"]) for r in figures["recall"].values() if r["total"]]
        proxy = figures["person_precision_proxy"]
        assert f"{proxy['total'] - proxy['count']}/{proxy['total']}" in printed
        health = figures["health_note_level"]
        assert f"{health['count']}/{health['total']}" in printed
    assert counts[: len(ours)] == ours


def test_the_packaged_scanner_version_has_stored_figures_on_every_corpus(scanner):
    """A lexicon or rule change makes a new scanner version: its figures must be measured anew."""

    if CONFIG:
        pytest.skip("a test configuration is not the packaged scanner")
    stored = load_evaluation(scanner.version)
    assert stored is not None, (
        f"no stored evaluation for scanner version {scanner.version} "
        f"(pii_scanners/evaluations/{scanner.version}.json): the lexicons or the scanner "
        "configuration changed since the last measurement. Run `make evaluate` "
        "(EVAL_DIR=<the shared eval folder> if it is not at ../shared/eval) and commit the file."
    )
    assert {"dev_notes", "hatecheck", "grascco_phi"} <= set(stored["corpora"]), (
        "the stored evaluation lacks a corpus: run `make evaluate` and commit the file"
    )


def test_every_release_target_names_a_figure_of_the_stored_evaluation(scanner):
    """A typo in targets.yaml would silently drop a target from the report."""

    if CONFIG:
        pytest.skip("a test configuration is not the packaged scanner")
    stored = load_evaluation(scanner.version)
    if stored is None:
        pytest.skip("no stored evaluation (the test above says what to do)")
    targets = load_targets()
    assert targets
    for corpus, figures in targets.items():
        for path in figures:
            assert figure_at(stored["corpora"][corpus], path) is not None, f"{corpus}: {path}"


def test_a_target_with_both_bounds_is_refused(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text("dev_notes:\n  special.all.recall: {min: 0.9, max: 1.0}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="exactly one of min, max"):
        load_targets(path)


def test_evaluate_without_any_corpus_is_refused(capsys):
    from pii_scanners.cli import main

    assert main(["evaluate"]) == 2
    assert "--gold" in capsys.readouterr().err
