"""Findings are never lost: an unrelated sentence appended to a note never removes a
special-category finding from the note, and the note's own part is never redacted less.

Metamorphic tests (issue 13, "What to build" 1): no gold labels needed, only the scanner run
twice. The appended sentences are benign, written for this test in German and English, and
hold exactly what once dropped findings elsewhere in a note: veto and context words of the
lexicons (toy, Spielzeug, Roman, can't, Tierarzt, Sensor, Geschenk ...), given names from the
first-name list and words taken for names ("Toy", "Roman", "Christine", "Iris"), the
abbreviation "MS", and a sentence in the other language (language detection is per note).
Notes are scanned as the pipeline scans them: language detected (lang=auto).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from conftest import DEV_NOTES

from pii_scanners.models import Finding, ScanRequest

REPO = Path(__file__).resolve().parents[2]

#: Benign sentences, none about a person's health, beliefs, origin, politics, union, sex life,
#: genes or biometrics; each carries words that veto, support or look like a finding.
APPENDED = (
    "Toy safety certificate (EN 71) on file.",
    "Roman asked about the delivery date of the novel.",
    "Customer can't find the invoice; please resend it with the gift card.",
    "The fingerprint sensor lock for the kids' play set was out of stock.",
    "Christine from MS Logistics will call back on Monday.",
    "Iris and Toy picked up the parcel at the collection point.",
    "The vet practice ordered a book and a detective game for the children.",
    "Spielzeug-Sicherheitszertifikat liegt vor, Lieferung am Montag.",
    "Roman hat den Krimi als Geschenk bestellt.",
    "Christine fragt nach dem Gutschein und dem Rabatt für die Bestellung.",
    "Der Tierarzt hat die Rechnung für den Hund nicht bezahlt.",
    "Das Handy mit Sensor und App-Update kam nicht an, bitte nicht erneut schicken.",
    "Toy und Iris holen das Paket ab; Herr MS Müller ist nicht erreichbar.",
    "Kein Interesse an der Buchreihe, keine weiteren Kataloge senden.",
    "Please send the replacement by Friday.",
    "Bitte die Ersatzlieferung bis Freitag schicken.",
)


def _dev_notes() -> Path:
    """The shared dev notes beside the repository; a worktree one level deeper looks one
    directory further up (``../shared`` from the main checkout, ``../../shared`` from
    ``wt/<name>``)."""
    for candidate in (DEV_NOTES, REPO.parents[1] / "shared" / "eval" / "dev_notes.jsonl"):
        if candidate.exists():
            return candidate
    pytest.skip(f"labelled dev notes not found at {DEV_NOTES}")


def appended(text: str, sentence: str) -> str:
    """``text`` with ``sentence`` after it, separated as a writer would: a blank after a
    sentence end, else ". " (the note's own characters stay where they are)."""
    stripped = text.rstrip()
    if not stripped:
        return sentence
    separator = " " if stripped[-1] in ".!?;:)\"'”" else ". "
    return text + separator + sentence


def _covered(findings: Iterable[Finding], limit: int) -> set[int]:
    return {i for f in findings for i in range(f.start, min(f.end, limit))}


def closes_the_note(text: str, finding: Finding) -> bool:
    """Is ``finding`` a PERSON that closes the note (a bare signature, "... Alfie")? The
    PERSON recognizer finds a bare closing signature only at the very end of a note, by
    design; with a sentence after it, it is no longer closing (see the xfail test below)."""
    return finding.entity_type == "PERSON" and not text[finding.end :].strip(" \t\n.!,;:")


def lost_findings(
    scanner: object, texts: Sequence[str], sentences: Sequence[str] = APPENDED
) -> list[tuple[int, int, str]]:
    """(text index, sentence index, what was lost) for every text x sentence pair where the
    longer note lost a special-category finding of the original text, or redacted fewer of
    its characters. Kind: "finding" (no finding of the category covers the original span any
    more) or "redaction" (an original character is no longer redacted; the characters of a
    closing signature, ``closes_the_note``, are left out)."""
    special = scanner.config.special_category_entities  # type: ignore[attr-defined]
    originals = scanner.scan_batch(  # type: ignore[attr-defined]
        [ScanRequest(str(i), t, None) for i, t in enumerate(texts)]
    )
    requests = [
        ScanRequest(f"{i}/{j}", appended(t, s), None)
        for i, t in enumerate(texts)
        for j, s in enumerate(sentences)
    ]
    longer = scanner.scan_batch(requests)  # type: ignore[attr-defined]
    lost: list[tuple[int, int, str]] = []
    for request, result in zip(requests, longer, strict=True):
        i, j = (int(x) for x in request.id.split("/"))
        before = originals[i].findings
        n = len(texts[i])
        for f in before:
            if f.entity_type in special and not any(
                g.entity_type == f.entity_type and g.start <= f.start and f.end <= g.end
                for g in result.findings
            ):
                lost.append((i, j, "finding"))
        own = [f for f in before if not closes_the_note(texts[i], f)]
        if not _covered(own, n) <= _covered(result.findings, n):
            lost.append((i, j, "redaction"))
    return lost


@pytest.fixture(scope="module")
def sample_notes(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The labelled special-category notes of a small generated sample CRM."""
    out = tmp_path_factory.mktemp("sample-crm")
    export = out / "export"
    gold = out / "gold.jsonl"
    run = [sys.executable, "-m", "orchestration.sample_crm"]
    subprocess.run(
        [*run, "--out", str(export), "--customers", "300", "--seed", "11"],
        check=True,
        cwd=REPO,
        capture_output=True,
    )
    subprocess.run(
        [*run, "gold", "--export", str(export), "--out", str(gold)],
        check=True,
        cwd=REPO,
        capture_output=True,
    )
    with gold.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    special = {"HEALTH", "RELIGION", "ETHNIC_ORIGIN", "POLITICAL_OPINION", "TRADE_UNION"}
    special |= {"SEX_LIFE", "GENETIC", "BIOMETRIC"}
    notes = [r["text"] for r in records if any(s["label"] in special for s in r["spans"])]
    assert notes, "the sample CRM has no labelled special-category notes"
    return notes[:150]


def test_the_toy_sentence_no_longer_vetoes_a_genetic_test_in_the_sentence_before(scanner):
    text = "Ms Craig reduced her hours after her genetic test results."
    longer = appended(text, "Toy safety certificate (EN 71) on file.")
    result = scanner.scan_batch([ScanRequest("toy", longer, None)])[0]
    genetic = [f for f in result.findings if f.entity_type == "GENETIC"]
    assert [longer[f.start : f.end] for f in genetic] == ["genetic test"]


def test_a_veto_word_in_the_same_sentence_still_vetoes(scanner):
    text = "She bought a genetic test kit as a toy for her nephew."
    result = scanner.scan_batch([ScanRequest("toy", text, "en")])[0]
    assert "GENETIC" not in {f.entity_type for f in result.findings}


def test_an_english_sentence_appended_to_a_german_note_keeps_its_special_category(scanner):
    german = (
        "Die Kundin bestellt regelmäßig und zahlt pünktlich per Rechnung, "
        "die Lieferung soll immer an die Packstation gehen."
    )
    english = "She is a practising Muslim."
    result = scanner.scan_batch([ScanRequest("mixed", appended(german, english), None)])[0]
    assert result.lang == "de"
    assert "RELIGION" in {f.entity_type for f in result.findings}


def test_a_german_sentence_appended_to_an_english_note_keeps_its_special_category(scanner):
    english = (
        "The customer ordered the usual items and asked for the parcel to be left with "
        "the neighbour if nobody is at home."
    )
    german = "Er ist Mitglied der IG Metall."
    result = scanner.scan_batch([ScanRequest("mixed", appended(english, german), None)])[0]
    assert result.lang == "en"
    assert "TRADE_UNION" in {f.entity_type for f in result.findings}


def test_an_appended_unrelated_sentence_never_removes_a_finding_from_a_dev_note(scanner):
    with _dev_notes().open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    assert lost_findings(scanner, texts) == []


def test_an_appended_unrelated_sentence_never_removes_a_finding_from_a_sample_crm_note(
    scanner, sample_notes
):
    assert lost_findings(scanner, sample_notes) == []


@pytest.mark.xfail(
    strict=True,
    reason="the PERSON recognizer's bare closing signature is positional: a sentence after the "
    "name hides it (64 of 2,400 dev-note pairs); owned by the PERSON recognizers",
)
def test_a_closing_signature_stays_redacted_when_a_sentence_follows(scanner):
    text = "Please can I have the ambulance with lights. I want to be a paramedic! Alfie"
    before = scanner.scan_batch([ScanRequest("sig", text, None)])[0]
    assert any(closes_the_note(text, f) for f in before.findings)
    after = scanner.scan_batch([ScanRequest("sig", appended(text, APPENDED[-2]), None)])[0]
    assert _covered(before.findings, len(text)) <= _covered(after.findings, len(text))


def _tiny_lexicons(root: Path) -> Path:
    """Two English categories whose terms overlap ("gene panel" / "panel result"), and a
    third whose term lies strictly inside a longer one ("unionist" in "trade unionist")."""
    lang = root / "en"
    lang.mkdir(parents=True)
    (lang / "_language.yaml").write_text(
        "language: en\ninflections: [s]\nmedia_words: [book]\n", encoding="utf-8"
    )
    files = {
        "health.yaml": ("HEALTH", "[panel result]"),
        "genetic.yaml": ("GENETIC", "[gene panel]"),
        "trade_union.yaml": ("TRADE_UNION", "[trade unionist]"),
        "political_opinion.yaml": ("POLITICAL_OPINION", "[unionist]"),
    }
    for name, (entity, terms) in files.items():
        (lang / name).write_text(
            f"entity: {entity}\nlanguage: en\nlegal_reference: test\n"
            f"entries:\n  - terms: {terms}\n",
            encoding="utf-8",
        )
    return root


def test_overlapping_hits_of_two_categories_keep_both_categories_on_their_union(tmp_path):
    from pii_scanners.recognizers.special_category.matcher import SpecialCategoryMatcher

    matcher = SpecialCategoryMatcher("en", _tiny_lexicons(tmp_path))
    text = "Her gene panel result came back."
    found = [(f.entity_type, text[f.start : f.end]) for f in matcher.find(text)]
    assert sorted(found) == [("GENETIC", "gene panel result"), ("HEALTH", "gene panel result")]


def test_a_hit_strictly_inside_a_longer_hit_of_another_category_adds_no_category(tmp_path):
    from pii_scanners.recognizers.special_category.matcher import SpecialCategoryMatcher

    matcher = SpecialCategoryMatcher("en", _tiny_lexicons(tmp_path))
    text = "A lifelong trade unionist. A staunch unionist."
    found = [(f.entity_type, text[f.start : f.end]) for f in matcher.find(text)]
    assert found == [("TRADE_UNION", "trade unionist"), ("POLITICAL_OPINION", "unionist")]


def test_the_redactor_redacts_the_union_of_overlapping_findings(scanner):
    text = "abc Krebs-Therapie xyz"
    findings = [Finding("PERSON", 4, 9, 0.9, "p"), Finding("HEALTH", 6, 18, 0.85, "h")]
    assert scanner.redactor.redact(text, findings) == "abc <PERSON> xyz"
    assert scanner.redactor.redact_with_presidio(text, findings) == "abc <PERSON> xyz"
