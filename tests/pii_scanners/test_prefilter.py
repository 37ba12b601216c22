"""The prefilter is safe: it never drops a note in which the full analyzer finds something.

Compared on the same inputs with the prefilter on and off: the labelled dev notes, our own
cases, the special-category test table, every sentence of those notes on its own (a note is
often one sentence of a longer one), and generated benchmark notes.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from conftest import OWN_CASES, dev_notes_path

from pii_scanners.evaluate import load_gold
from pii_scanners.models import ScanRequest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _texts_from_gold(path: Path) -> list[tuple[str, str]]:
    return [(n.lang, n.text) for n in load_gold([path])]


def _special_category_table() -> list[tuple[str, str]]:
    try:
        import special_category_cases as cases
    except ImportError:  # pragma: no cover - the table belongs to the special-category tests
        return []
    return [(c.lang, c.text) for c in [*cases.POSITIVES, *getattr(cases, "NEGATIVES", [])]]


def _sentences(notes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for lang, text in notes:
        parts = [p.strip() for p in re.split(r"(?<=[.!?:])\s+|\n", text) if p.strip()]
        out += [(lang, p) for p in parts if len(parts) > 1]
    return out


def _generated(n: int) -> list[tuple[str, str]]:
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    from scan_throughput import synth_note

    rng = random.Random(3)
    return [(r["lang"], r["text"]) for r in (synth_note(i, rng, 200, 0.3) for i in range(n))]


def _assert_same_findings(scanner, notes: list[tuple[str, str]]) -> int:
    requests = [ScanRequest(str(i), text, lang) for i, (lang, text) in enumerate(notes)]
    try:
        scanner.use_prefilter = False
        full = scanner.scan_batch(requests)
    finally:
        scanner.use_prefilter = True
    filtered = scanner.scan_batch(requests)
    dropped = [
        (
            notes[int(f.id)][1],
            [(x.entity_type, notes[int(f.id)][1][x.start : x.end]) for x in a.findings],
        )
        for a, f in zip(full, filtered, strict=True)
        if a.findings != f.findings
    ]
    assert not dropped, dropped[:5]
    return sum(bool(r.findings) for r in full)


def test_prefilter_keeps_every_finding_on_the_labelled_dev_notes(scanner):
    notes = _texts_from_gold(dev_notes_path())
    assert _assert_same_findings(scanner, notes + _sentences(notes)) > 100


def test_prefilter_keeps_every_finding_on_our_own_cases(scanner):
    notes = _texts_from_gold(OWN_CASES)
    assert _assert_same_findings(scanner, notes + _sentences(notes)) > 20


def test_prefilter_keeps_every_finding_on_the_special_category_table(scanner):
    notes = _special_category_table()
    if not notes:
        pytest.skip("special-category case table not available")
    assert _assert_same_findings(scanner, notes + _sentences(notes)) > 50


def test_prefilter_keeps_every_finding_on_generated_notes(scanner):
    assert _assert_same_findings(scanner, _generated(400)) > 50


def test_prefilter_drops_ordinary_notes(scanner):
    ordinary = [
        "Karton war eingedrückt, Inhalt aber vollständig. Keine weiteren Schritte.",
        "Rechnung 4471220 korrigiert, Betrag jetzt 45 Euro inklusive Versand.",
        "Return received, goods undamaged, refund issued.",
        "Kunde fragt nach dem Lieferstatus, Sendung ist im Zustellzentrum.",
    ]
    assert not any(scanner.prefilter.is_candidate(t) for t in ordinary)


def test_fast_path_matches_full_analyzer_with_known_names_and_auto_language(scanner):
    """The direct special-category path and the known-names recognizer narrowed to the names
    that occur in the note give what the full analyzer gives (lang=auto, both languages)."""
    notes = _texts_from_gold(dev_notes_path())[:60] + _generated(60)
    names = [("Anna Krebs",), ("PAUL", "Meier-Schulz"), ("Lena",), ("Dr. Ömer Yılmaz",), ()]
    texts = [
        *(t for _, t in notes),
        "Rückruf an anna krebs, sie hat Krebs und ist katholisch.",
        "Paul meier-schulz war im Krankenhaus; PAUL ist Mitglied der IG Metall.",
        "Dear Lena, your order ships today. Lenas Bruder ist Diabetiker.",
        "Herr Yılmaz (ÖMER YILMAZ) ist Muslim.",
    ]
    requests = [
        ScanRequest(str(i), text, None, names[i % len(names)]) for i, text in enumerate(texts)
    ]
    try:
        scanner.use_prefilter = False
        full = scanner.scan_batch(requests)
    finally:
        scanner.use_prefilter = True
    fast = scanner.scan_batch(requests)
    assert [(r.lang, r.findings, r.redacted_text) for r in fast] == [
        (r.lang, r.findings, r.redacted_text) for r in full
    ]
    assert sum(bool(r.findings) for r in full) > 30
