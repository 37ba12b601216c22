"""The audit log's hash chain shows any changed, removed or reordered line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.lib.audit_log import (
    append_entry,
    read_entries,
    verify_audit_log,
)
from orchestration.lib.files import canonical_json


@pytest.fixture
def audit_file(tmp_path: Path) -> Path:
    path = tmp_path / "audit" / "audit_log.jsonl"
    for n in range(1, 5):
        append_entry(path, {"action": "erasure", "event": "completed", "counts": {"t": n}})
    return path


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def test_an_untouched_audit_log_verifies(audit_file: Path) -> None:
    result = verify_audit_log(audit_file)
    assert (result.ok, result.entries) == (True, 4)
    assert [e["seq"] for e in read_entries(audit_file)] == [1, 2, 3, 4]


def test_a_tampered_audit_log_line_is_detected(audit_file: Path) -> None:
    tampered = lines(audit_file)
    tampered[1] = tampered[1].replace(b'{"t":2}', b'{"t":0}')
    audit_file.write_bytes(b"\n".join(tampered) + b"\n")
    result = verify_audit_log(audit_file)
    assert (result.ok, result.bad_line) == (False, 2)
    assert "hash" in (result.problem or "")


def test_a_tampered_line_with_a_recomputed_own_hash_breaks_the_chain(audit_file: Path) -> None:
    from orchestration.lib.audit_log import _entry_hash

    tampered = lines(audit_file)
    entry = json.loads(tampered[1])
    entry["counts"] = {"t": 0}
    entry["entry_hash"] = _entry_hash(entry)
    tampered[1] = canonical_json(entry)
    audit_file.write_bytes(b"\n".join(tampered) + b"\n")
    result = verify_audit_log(audit_file)
    assert (result.ok, result.bad_line) == (False, 3)
    assert "chain" in (result.problem or "")


@pytest.mark.parametrize("change", ["remove", "swap"])
def test_a_removed_or_reordered_line_is_detected(audit_file: Path, change: str) -> None:
    original = lines(audit_file)
    changed = (
        original[:1] + original[2:]
        if change == "remove"
        else [original[0], original[2], original[1], original[3]]
    )
    audit_file.write_bytes(b"\n".join(changed) + b"\n")
    assert verify_audit_log(audit_file).ok is False


def test_appending_after_verification_continues_the_chain(audit_file: Path) -> None:
    entry = append_entry(audit_file, {"action": "dsr_export", "event": "completed"})
    assert entry["seq"] == 5
    assert verify_audit_log(audit_file).ok
