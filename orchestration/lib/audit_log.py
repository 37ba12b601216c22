"""The audit log of deletions and exports: append-only JSON Lines with a hash chain.

REQUIREMENTS.md R7 asks for an audit log of pipeline actions (who, what, when) for deletions and
exports; issue 5 asks that tampering shows. Each line is the canonical JSON of one entry that
carries ``prev_hash``, the sha256 of the previous line's bytes, and ``entry_hash``, the sha256 of
the entry without ``entry_hash``. Changing, removing or reordering any line breaks the chain at
that line; ``verify_audit_log`` says which. (Someone able to rewrite the whole file can rebuild
the chain; the mirror table in ``governance_ops`` and backups of the file are the anchor.)

Entries hold ids, hashes, counts and times, never names, contact data or text.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration.lib.files import canonical_json, sha256_hex
from orchestration.lib.warehouse import OPS_SCHEMA

AUDIT_DIRNAME = "audit"
AUDIT_FILENAME = "audit_log.jsonl"
GENESIS_HASH = "0" * 64

MIRROR_DDL = (
    f"create schema if not exists {OPS_SCHEMA}",
    f"""create table if not exists {OPS_SCHEMA}.audit_log (
        seq bigint not null,
        recorded_at timestamp not null,
        action varchar not null,
        event varchar not null,
        execution_id varchar,
        manifest_id varchar,
        outcome varchar,
        prev_hash varchar not null,
        entry_hash varchar not null,
        entry_json varchar not null
    )""",
)


def audit_log_path(data_dir: Path) -> Path:
    return data_dir / AUDIT_DIRNAME / AUDIT_FILENAME


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries: int
    #: 1-based line number of the first line that breaks the chain, if any.
    bad_line: int | None = None
    problem: str | None = None


def _entry_hash(entry: Mapping[str, Any]) -> str:
    return sha256_hex(canonical_json({k: v for k, v in entry.items() if k != "entry_hash"}))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One appender at a time, even across processes (the chain needs the true last line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f".{path.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_entries(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def _last_line(path: Path) -> bytes | None:
    if not path.exists():
        return None
    lines = [line for line in path.read_bytes().splitlines() if line.strip()]
    return lines[-1] if lines else None


def append_entry(path: Path, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Append one entry (``fields`` plus seq, time and hashes); returns the entry written."""
    with _locked(path):
        last = _last_line(path)
        previous = json.loads(last) if last else None
        entry = dict(fields)
        entry["seq"] = (previous["seq"] + 1) if previous else 1
        entry["recorded_at"] = dt.datetime.now(tz=dt.UTC).isoformat(timespec="microseconds")
        entry["prev_hash"] = sha256_hex(last) if last else GENESIS_HASH
        entry["entry_hash"] = _entry_hash(entry)
        with path.open("ab") as handle:
            handle.write(canonical_json(entry) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        return entry


def verify_audit_log(path: Path) -> AuditVerification:
    """Check every line: valid canonical JSON, own hash, link to the previous line, sequence."""
    if not path.exists():
        return AuditVerification(True, 0)
    previous_line: bytes | None = None
    count = 0
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        count += 1
        try:
            entry = json.loads(line)
        except ValueError:
            return AuditVerification(False, count, number, "not valid JSON")
        if canonical_json(entry) != line:
            return AuditVerification(False, count, number, "not in canonical form")
        if entry.get("entry_hash") != _entry_hash(entry):
            return AuditVerification(False, count, number, "entry hash does not match its content")
        expected_prev = sha256_hex(previous_line) if previous_line else GENESIS_HASH
        if entry.get("prev_hash") != expected_prev:
            return AuditVerification(False, count, number, "does not chain to the previous line")
        if entry.get("seq") != count:
            return AuditVerification(False, count, number, "sequence number out of order")
        previous_line = line
    return AuditVerification(True, count)


def find_entries(path: Path, **criteria: object) -> list[dict[str, Any]]:
    return [e for e in read_entries(path) if all(e.get(k) == v for k, v in criteria.items())]


def sync_mirror(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Copy entries the mirror table lacks into ``governance_ops.audit_log``; returns how many."""
    for statement in MIRROR_DDL:
        con.execute(statement)
    last_seq = con.execute(f"select coalesce(max(seq), 0) from {OPS_SCHEMA}.audit_log").fetchall()
    missing = [e for e in read_entries(path) if e["seq"] > last_seq[0][0]]
    for entry in missing:
        con.execute(
            f"insert into {OPS_SCHEMA}.audit_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry["seq"],
                dt.datetime.fromisoformat(entry["recorded_at"]).replace(tzinfo=None),
                entry.get("action", ""),
                entry.get("event", ""),
                entry.get("execution_id"),
                entry.get("manifest_id"),
                entry.get("outcome"),
                entry["prev_hash"],
                entry["entry_hash"],
                canonical_json(entry).decode("utf-8"),
            ],
        )
    return len(missing)
