"""The public batch API: Scanner.from_config, version, scan_batch, scan_parallel."""

from __future__ import annotations

import dataclasses
import itertools
import random
import re

from pii_scanners import Finding, Scanner, ScanRequest, ScanResult, scan_parallel
from pii_scanners.scanner import resolve_overlaps

NOTE_DE = "Herr Brandt, Tel. 0171 2345678, wohnt Lindenweg 4, 34117 Kassel."
NOTE_EN = "Please call Mrs Hughes on 020 7946 0018 about the parcel."
CLEAN = "Karton war eingedrückt, Inhalt aber vollständig."


def test_scanner_version_is_package_version_plus_config_hash(scanner):
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{12}", scanner.version)


def test_scan_batch_returns_one_result_per_request_in_input_order(scanner):
    requests = [ScanRequest(str(i), t, "de") for i, t in enumerate([NOTE_DE, CLEAN, NOTE_EN] * 3)]
    results = scanner.scan_batch(requests)
    assert [r.id for r in results] == [r.id for r in requests]
    assert all(isinstance(r, ScanResult) for r in results)


def test_findings_carry_offsets_and_no_matched_text(scanner):
    fields = {f.name for f in dataclasses.fields(Finding)}
    assert fields == {"entity_type", "start", "end", "score", "recognizer"}
    result = scanner.scan_batch([ScanRequest("1", NOTE_DE, "de")])[0]
    assert {f.entity_type for f in result.findings} >= {"PERSON", "PHONE_NUMBER", "ADDRESS"}
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(NOTE_DE)
        assert f.recognizer
        assert NOTE_DE[f.start : f.end] not in repr(f)


def test_output_spans_are_disjoint_or_identical(scanner):
    text = "Hr. Krebs hat Krebs. Frau Anna Berger, Annastraße 5, Tel. 030 1234567"
    findings = scanner.scan_batch([ScanRequest("1", text, "de")])[0].findings
    for a, b in itertools.pairwise(findings):
        assert a.end <= b.start or (a.start, a.end) == (b.start, b.end)


def test_overlapping_findings_resolve_to_their_union_and_keep_the_special_category():
    special = frozenset({"HEALTH", "GENETIC"})
    higher_pii = resolve_overlaps(
        [Finding("PERSON", 0, 5, 0.9, "p"), Finding("HEALTH", 3, 9, 0.8, "h")], special
    )
    assert [(f.entity_type, f.start, f.end) for f in higher_pii] == [("HEALTH", 0, 9)]
    pii_only = resolve_overlaps(
        [Finding("ADDRESS", 0, 20, 0.7, "a"), Finding("PERSON", 15, 25, 0.7, "p")], special
    )
    assert [(f.entity_type, f.start, f.end) for f in pii_only] == [
        ("ADDRESS", 0, 25),
        ("PERSON", 0, 25),
    ]
    pii_inside = resolve_overlaps(
        [Finding("ADDRESS", 0, 20, 0.8, "a"), Finding("PERSON", 0, 11, 0.6, "p")], special
    )
    assert [(f.entity_type, f.start, f.end) for f in pii_inside] == [("ADDRESS", 0, 20)]
    two_categories = resolve_overlaps(
        [Finding("HEALTH", 4, 12, 0.85, "h"), Finding("GENETIC", 8, 20, 0.9, "g")], special
    )
    assert [(f.entity_type, f.start, f.end) for f in two_categories] == [
        ("GENETIC", 4, 20),
        ("HEALTH", 4, 20),
    ]


def test_a_special_category_inside_a_longer_one_of_another_category_adds_no_category():
    special = frozenset({"TRADE_UNION", "POLITICAL_OPINION"})
    found = resolve_overlaps(
        [Finding("TRADE_UNION", 0, 14, 0.85, "t"), Finding("POLITICAL_OPINION", 6, 14, 0.9, "p")],
        special,
    )
    assert [(f.entity_type, f.start, f.end) for f in found] == [("TRADE_UNION", 0, 14)]


def test_note_without_candidate_gets_no_findings_and_unchanged_text(scanner):
    result = scanner.scan_batch([ScanRequest("c", CLEAN, "de")])[0]
    assert result.findings == [] and result.redacted_text == CLEAN


def test_empty_text_is_scanned_without_error(scanner):
    result = scanner.scan_batch([ScanRequest("e", "", None)])[0]
    assert result.findings == [] and result.redacted_text == ""


def test_scan_parallel_with_two_workers_yields_results_in_input_order(scanner):
    requests = [ScanRequest(str(i), [NOTE_DE, CLEAN, NOTE_EN][i % 3], None) for i in range(300)]
    serial = scanner.scan_batch(requests)
    parallel = list(scan_parallel(requests, workers=2, batch_size=16, scanner=scanner))
    assert [r.id for r in parallel] == [r.id for r in requests]
    assert parallel == serial


def test_scan_parallel_answers_repeats_in_the_parent_exactly_as_scan_batch(scanner, monkeypatch):
    """Repeats across batches, under names that occur in the text (scanned again) or not
    (answered from the first occurrence), with a repeat memo small enough to drop texts."""
    from pii_scanners import parallel

    monkeypatch.setattr(parallel, "_REPEAT_MEMO_SIZE", 1)  # then 2 x inflight x batch + 1 = 33
    kinds: list[int] = []
    encode = parallel._encode

    def counting_encode(chunk, repeats):
        batch, chunk_kinds, answered = encode(chunk, repeats)
        kinds.extend(chunk_kinds)
        return batch, chunk_kinds, answered

    monkeypatch.setattr(parallel, "_encode", counting_encode)
    rng = random.Random(3)
    texts = [f"{t} Vorgang {i}." for i in range(20) for t in (NOTE_DE, CLEAN, NOTE_EN)]
    names = [(), ("Brandt",), ("Hughes", "Mary"), ("Paul", "Meier")]
    requests = [
        ScanRequest(str(i), rng.choice(texts), rng.choice([None, "de"]), rng.choice(names))
        for i in range(1500)
    ]
    expected = scanner.scan_batch(requests)
    got = list(scan_parallel(requests, workers=2, batch_size=8, scanner=scanner, max_inflight=2))
    assert got == expected
    assert sum(bool(r.findings) for r in got) > 500
    # Names occur in the text / first occurrence / answered by the parent at once or once its
    # first occurrence is back. With 120 keys (text, language) and at most 33 remembered, keys
    # are dropped and sent again.
    scanned, first = kinds.count(parallel._SCANNED), kinds.count(parallel._FIRST)
    answered, awaited = kinds.count(parallel._ANSWERED), kinds.count(parallel._AWAITED)
    assert scanned > 100 and first > 120 and answered > 100 and awaited > 50, kinds


def test_scan_parallel_streams_an_endless_input_lazily(scanner):
    consumed = 0

    def endless():
        nonlocal consumed
        for i in itertools.count():
            consumed += 1
            yield ScanRequest(str(i), CLEAN, "de")

    results = scan_parallel(endless(), workers=2, batch_size=10, scanner=scanner, max_inflight=4)
    first = list(itertools.islice(results, 25))
    results.close()
    assert [r.id for r in first] == [str(i) for i in range(25)]
    assert consumed <= 10 * (4 + 3)  # bounded read-ahead: at most max_inflight batches ahead


def test_public_api_names_are_importable_from_the_package():
    import pii_scanners

    assert {"Scanner", "ScanRequest", "ScanResult", "Finding", "scan_parallel"} <= set(
        pii_scanners.__all__
    )
    assert pii_scanners.Scanner is Scanner
