"""The scanner finds exactly what it found before issue 16's speed work, on a frozen note set.

``data/scan_equivalence.jsonl.gz`` was written by ``freeze_scan_findings.py`` with the scanner
of commit 2a43a37 (version 0.1.0+4dc20a9720ff): the dev notes (with their language and
detected), 400 dense-mix notes (some with known names) and 600 sample-CRM free-text values.
Every finding (entity, start, end, score, recognizer), the detected language and the redacted
text must be identical: a cheaper per-candidate path may not lose, move or add a finding.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from conftest import DATA_DIR, DEV_NOTES

from pii_scanners.models import ScanRequest

FIXTURE = DATA_DIR / "scan_equivalence.jsonl.gz"


def _frozen() -> list[dict]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _dev_texts() -> dict[str, tuple[str, str]]:
    if not DEV_NOTES.exists():
        return {}
    out = {}
    with open(DEV_NOTES, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                out[rec["id"]] = (rec["text"], rec["lang"])
    return out


def _request(rec: dict, dev: dict[str, tuple[str, str]]) -> ScanRequest | None:
    if rec["set"] != "dev":
        return ScanRequest(rec["id"], rec["text"], rec["lang"], tuple(rec["known_names"]))
    note_id, mode = rec["id"].rsplit(":", 1)
    if note_id not in dev:
        return None
    text, lang = dev[note_id]
    return ScanRequest(rec["id"], text, None if mode == "auto" else lang)


def _observed(scanner, request: ScanRequest, rec: dict) -> dict:
    result = scanner.scan_one(request)
    out = {
        "detected": result.lang,
        "findings": [
            [f.entity_type, f.start, f.end, f.score, f.recognizer] for f in result.findings
        ],
    }
    if "redacted_sha256" in rec:
        out["redacted_sha256"] = hashlib.sha256(result.redacted_text.encode()).hexdigest()
    else:
        out["redacted"] = result.redacted_text
    return out


def _expected(rec: dict) -> dict:
    keys = ("detected", "findings", "redacted_sha256", "redacted")
    return {k: rec[k] for k in keys if k in rec}


@pytest.mark.parametrize("kind", ["dev", "dense", "sample"])
def test_every_frozen_note_gets_exactly_the_findings_and_redaction_it_got_before(
    scanner, kind: str
) -> None:
    records = [r for r in _frozen() if r["set"] == kind]
    assert records, f"no {kind} notes in the fixture"
    dev = _dev_texts()
    if kind == "dev" and not dev:
        pytest.skip(f"labelled dev notes not found at {DEV_NOTES}")
    memo = scanner.use_memo
    scanner.use_memo = False
    try:
        differing = []
        for rec in records:
            request = _request(rec, dev)
            assert request is not None, f"dev note {rec['id']} missing from {DEV_NOTES}"
            if _observed(scanner, request, rec) != _expected(rec):
                differing.append(rec["id"])
    finally:
        scanner.use_memo = memo
    assert not differing, f"{len(differing)} of {len(records)} notes differ: {differing[:20]}"


def test_the_fixture_holds_findings_of_every_kind_it_guards() -> None:
    entities = {f[0] for r in _frozen() for f in r["findings"]}
    assert {"HEALTH", "RELIGION", "PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"} <= entities
    assert {"IBAN_CODE", "ADDRESS", "DATE_OF_BIRTH"} <= entities
