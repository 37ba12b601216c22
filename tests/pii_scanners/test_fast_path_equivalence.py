"""The fast path gives exactly what the plain Presidio path gives.

Fast path: result memo for repeated texts, the prefilter, the direct special-category matcher,
the faster language detection and scan_parallel's compact wire format. Reference: every note
through ``AnalyzerEngine.analyze`` with every recognizer (``use_prefilter`` and ``use_memo``
off), one note at a time. Compared on the labelled dev notes and on a generated sample CRM
export (the benchmark's notes, with each record's known names), with the texts repeated under
other records' names so that the memo is both hit and (where a name occurs) bypassed:
language, every finding (type, start, end, score, recognizer) and the redacted text.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from conftest import dev_notes_path

from pii_scanners import language
from pii_scanners.memo import ResultMemo, names_in_text
from pii_scanners.models import ScanRequest, ScanResult
from pii_scanners.parallel import scan_parallel

REPO_ROOT = Path(__file__).resolve().parents[2]


def _reference(scanner, requests: list[ScanRequest]) -> list[ScanResult]:
    try:
        scanner.use_prefilter = False
        scanner.use_memo = False
        return scanner.scan_batch(requests)
    finally:
        scanner.use_prefilter = True
        scanner.use_memo = True


def _key(results: list[ScanResult]) -> list[tuple]:
    return [(r.id, r.lang, r.findings, r.redacted_text) for r in results]


def _assert_identical(scanner, requests: list[ScanRequest]) -> int:
    reference = _reference(scanner, requests)
    in_process = scanner.scan_batch(requests)  # repeated texts come from the memo
    assert len(scanner._memo) == 0  # kept for one batch only
    again = [scanner.scan_one(r) for r in requests]
    again = [scanner.scan_one(r) for r in requests]  # every memo-eligible note from the memo
    scanner._memo.clear()
    parallel = list(scan_parallel(requests, workers=2, batch_size=64, scanner=scanner))
    expected = _key(reference)
    for name, got in (("scan_batch", in_process), ("memo", again), ("parallel", parallel)):
        diff = [(e, g) for e, g in zip(expected, _key(got), strict=True) if e != g]
        assert not diff, (name, diff[:3])
    return sum(bool(r.findings) for r in reference)


def _with_repeats(requests: list[ScanRequest], names: list[tuple[str, ...]]) -> list[ScanRequest]:
    """Every text again under another record's names, and under a name that occurs in it."""
    rng = random.Random(5)
    out = list(requests)
    for i, r in enumerate(requests):
        out.append(ScanRequest(f"{r.id}/other", r.text, r.lang, rng.choice(names)))
        words = [w for w in r.text.split() if w[:1].isupper() and len(w) > 2]
        if words and i % 3 == 0:
            out.append(ScanRequest(f"{r.id}/named", r.text, r.lang, (rng.choice(words),)))
    return out


@pytest.fixture(scope="module")
def generated_export_notes(tmp_path_factory) -> list[ScanRequest]:
    """The benchmark's notes: a small generated sample CRM export, language detected."""
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    from scan_throughput import export_to_jsonl

    tmp = tmp_path_factory.mktemp("export")
    generate = ["-m", "orchestration.sample_crm", "--out", str(tmp / "export")]
    subprocess.run(
        [sys.executable, *generate, "--customers", "150", "--seed", "11"],
        check=True,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
    )
    export_to_jsonl(tmp / "export", tmp / "notes.jsonl")
    records = [json.loads(line) for line in (tmp / "notes.jsonl").read_text().splitlines()]
    return [ScanRequest(r["id"], r["text"], r["lang"], tuple(r["known_names"])) for r in records]


def test_fast_path_equals_presidio_on_the_dev_notes(scanner):
    from pii_scanners.evaluate import load_gold

    gold = load_gold([dev_notes_path()])
    names = [("Anna", "Krebs"), ("Lena",), ("Paul", "Meier-Schulz"), ()]
    requests = [ScanRequest(f"d{i}", n.text, None) for i, n in enumerate(gold)]
    requests += [ScanRequest(f"l{i}", n.text, n.lang) for i, n in enumerate(gold)]
    assert _assert_identical(scanner, _with_repeats(requests, names)) > 100


def test_fast_path_equals_presidio_on_a_generated_sample_export(scanner, generated_export_notes):
    notes = generated_export_notes
    assert len(notes) > 500
    names = [r.known_names for r in notes[:50]]
    assert _assert_identical(scanner, _with_repeats(notes, names)) > 50


def test_language_detection_equals_the_regex_module_reference():
    """The standard-library word pattern (used when the note has none of the code points on
    which the two engines' letter classes differ) and the umlaut count by str.count give the
    detector's former results: \\p{L} words of the ``regex`` module, [äöüß] ignoring case."""
    word = regex.compile(r"\p{L}+(?:['’]\p{L}+)?")
    umlaut = regex.compile(r"[äöüß]", regex.IGNORECASE)

    def reference(text: str, default: str = "de") -> language.Detection:
        de = en = 0.0
        for w in word.findall(text.lower()):
            de += w in language.GERMAN
            en += w in language.ENGLISH
        de += 0.5 * min(len(umlaut.findall(text)), 6)
        total = de + en
        if total == 0:
            return language.Detection(default, 0.0)
        lang = "de" if de > en else "en" if en > de else default
        return language.Detection(lang, round(abs(de - en) / total * min(1.0, total / 3), 3))

    from pii_scanners.evaluate import load_gold

    texts = [n.text for n in load_gold([dev_notes_path()])]
    odd = [*sorted(language._DIFFERENT)[::97], "İ", "ẞ", "’", "'", "²", "Ⅻ", "①"]
    rng = random.Random(1)
    for _ in range(300):  # the odd characters inside, between and around cue words
        parts = [rng.choice(["die", "the", "Straße", "don't", "isn’t", "für", "und"]) for _ in "xx"]
        texts.append(rng.choice(odd).join(parts) + rng.choice(odd) + " ist")
    texts += ["Über die Grüße", "DON'T STOP", "x²die", "Ⅻund", "ÄÖÜẞ the the", ""]
    for text in texts:
        assert language.detect_language(text) == reference(text), text
    # The fast pattern is only used where both letter classes agree, on every code point.
    every = "".join(
        chr(c)
        for c in range(0x30000)
        if not 0xD800 <= c < 0xE000 and chr(c) not in language._DIFFERENT
    )
    assert language._WORD.findall(every) == word.findall(every)


def test_names_in_text_covers_both_known_name_tests(scanner):
    from pii_scanners.recognizers.common_known_names_recognizer import (
        name_variants,
        variants_in_text,
    )

    cases = [
        ("Rückruf an Anna", ("Anna Krebs",)),
        ("rückruf an ANNA", ("anna",)),
        ("Herr Meier-Schulz rief an", ("Paul", "Meier-Schulz")),
        ("Straße 5", ("STRASSE",)),
        ("Karte ohne Preis", ("Paul", "Meier")),
        ("Karte ohne Preis", ("A",)),
        ("Mit Grüßen, Ömer", ("Dr. Ömer Yılmaz",)),
        ("Smith,John war da", ("Smith,John",)),
        ("Hallo,, wie geht's", (",,",)),
    ]
    for text, names in cases:
        prefilter_test = any(
            len(p) >= 2 and p in text.lower() for n in names for p in n.lower().split()
        )
        variants_test = bool(variants_in_text(name_variants(names), text))
        if prefilter_test or variants_test:
            assert names_in_text(text, names), (text, names)
    assert not names_in_text("Karte ohne Preis", ("Paul", "Meier"))
    assert not names_in_text("Karte ohne Preis", ())


def _names_in_text_reference(text: str, names) -> bool:
    """``names_in_text`` as first written (per note, no cached name parts)."""
    lowered = folded = ""
    for name in names:
        parts = str(name).replace(",", " ").split()
        if not parts and str(name).strip():
            return True
        for part in parts:
            if not lowered:
                lowered, folded = text.lower(), text.casefold()
            if part.lower() in lowered or part.casefold() in folded:
                return True
    return False


def test_names_in_text_with_cached_parts_answers_as_before():
    rng = random.Random(5)
    words = ["Anna", "anna", "STRASSE", "Straße", "Ömer", "Yılmaz", "İpek", "ß", ",", ",,", "",
             " ", "Meier-Schulz", "K", "ﬃ", "Dr.", "Krebs", "o'Neill", "ǅ", "ẞ"]  # fmt: skip
    texts = ["Rückruf an Anna", "strasse 5", "Straße", "İPEK war da", "ffi", "Karte", "",
             "Mit Grüßen, ömer", "yilmaz", "O'NEILL", "ǆ", "ss", "Meier-schulz"]  # fmt: skip
    compared = hits = 0
    for _ in range(3000):
        names = tuple(
            " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(0, 3))
        )
        text = " ".join(rng.choice(texts) for _ in range(rng.randint(1, 3)))
        expected = _names_in_text_reference(text, names)
        assert names_in_text(text, names) == expected, (text, names)
        assert names_in_text(text, list(names)) == expected, (text, names)
        compared += 1
        hits += expected
    assert 300 < hits < compared - 300  # both answers occur often


def test_result_memo_is_bounded():
    memo = ResultMemo(size=3)
    for i in range(10):
        memo.put((str(i), None), ("de", (), str(i)))
    assert len(memo) == 3
    assert memo.get(("9", None)) is not None
    assert memo.get(("0", None)) is None
    memo.put(("9", None), ("en", (), "9"))  # a known key is updated, nothing dropped
    assert len(memo) == 3 and memo.get(("7", None)) is not None
    assert memo.get(("9", None)) == ("en", (), "9")
    memo.put(("10", None), ("de", (), "10"))  # the oldest ("7") goes
    assert memo.get(("7", None)) is None and len(memo) == 3
    memo.clear()
    assert len(memo) == 0
    memo.put(("a", None), ("de", (), "a"))
    assert len(memo) == 1


def test_long_texts_are_not_remembered_and_scan_as_before(scanner):
    from pii_scanners.memo import MAX_TEXT_CHARS

    long_text = ("Bitte Rückruf unter 0171 2345678. " * 40)[: MAX_TEXT_CHARS + 1]
    short_text = long_text[:MAX_TEXT_CHARS]
    requests = [ScanRequest(str(i), t, "de") for i, t in enumerate([long_text, short_text] * 3)]
    try:
        results = [scanner.scan_one(r) for r in requests]
        assert len(scanner._memo) == 1  # the short text only
    finally:
        scanner._memo.clear()
    assert results == _reference(scanner, requests)
    parallel = list(scan_parallel(requests, workers=2, batch_size=2, scanner=scanner))
    assert parallel == results
    assert all(r.findings for r in results)


def test_tag_redaction_equals_presidio_anonymizer(scanner):
    """The direct "<TYPE>" replacement equals presidio-anonymizer on non-overlapping findings,
    including blank-separated neighbours of one type (merged into one tag by Presidio)."""
    from pii_scanners.models import Finding

    redactor = scanner.redactor
    assert redactor._tags_only
    rng = random.Random(9)
    types = ["PERSON", "PERSON", "HEALTH", "ADDRESS"]
    gaps = ["", " ", "  ", " \n", "\n", " , ", "x", " \t ", "   \n"]
    for _ in range(3000):
        text, findings = "", []
        for _ in range(rng.randint(0, 5)):
            text += rng.choice(gaps)
            start = len(text)
            text += "".join(rng.choice("ab ") for _ in range(rng.randint(1, 6)))
            findings.append(Finding(rng.choice(types), start, len(text), 0.8, "r"))
        text += rng.choice(gaps)
        rng.shuffle(findings)
        assert redactor.redact(text, findings) == redactor.redact_with_presidio(text, findings)
