"""The erasure's phase file: where a killed erasure stands, so a re-run resumes instead of guessing.

Phases run strictly forward; each is idempotent, and the file is written atomically after a
phase is durable (DuckDB commit, fsynced copy, rename):

``planned`` → ``applied`` (rows deleted in one transaction) → ``copied`` (fresh database file
written and row counts checked) → ``replaced`` (file swapped, old WAL removed) → ``verified``
(no erased key left) → ``recorded`` (audit entry appended). DuckDB's own guarantee (a kill during
a transaction leaves the old or the new state, DESIGN.md "Crashes") covers the inside of
``applied``; the file covers the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from orchestration.lib.deletion_manifest import ERASURE_DONE_PHASE, ERASURE_STATE_DIRNAME
from orchestration.lib.files import canonical_json, write_atomically

PHASES = ("planned", "applied", "copied", "replaced", "verified", "recorded")
STATE_DIRNAME = ERASURE_STATE_DIRNAME
assert PHASES[-1] == ERASURE_DONE_PHASE  # manifest pruning keeps manifests of pending erasures
#: Test-only: a phase boundary (or ``before_commit``/``after_commit`` of the deletion transaction)
#: at which the erasure stops and sleeps, so a test can kill it there with SIGKILL (issue 5).
PAUSE_ENV = "CRM_ERASURE_PAUSE_AT"
PAUSED_MARKER = "paused-at-{phase}"


def state_dir(data_dir: Path, manifest_id: str) -> Path:
    return data_dir / STATE_DIRNAME / manifest_id


@dataclass
class ErasureState:
    manifest_id: str
    execution_id: str
    phase: str
    attempts: int
    started_at: str
    warehouse_bytes_before: int
    counts: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def new(cls, manifest_id: str, warehouse_bytes: int) -> ErasureState:
        now = dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")
        return cls(manifest_id, str(uuid.uuid4()), "planned", 0, now, warehouse_bytes)

    def reached(self, phase: str) -> bool:
        return PHASES.index(self.phase) >= PHASES.index(phase)


class StateFile:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "state.json"

    def load(self) -> ErasureState | None:
        if not self.path.exists():
            return None
        return ErasureState(**json.loads(self.path.read_text(encoding="utf-8")))

    def save(self, state: ErasureState) -> None:
        write_atomically(self.path, canonical_json(asdict(state)))

    def advance(self, state: ErasureState, phase: str) -> None:
        state.phase = phase
        state.history.append(
            {"phase": phase, "at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")}
        )
        self.save(state)
        pause_point(self.directory, phase)


def pause_point(directory: Path, phase: str) -> None:
    """Sleep for good at ``phase`` when the test-only pause variable names it."""
    if os.environ.get(PAUSE_ENV, "") != phase:
        return
    (directory / PAUSED_MARKER.format(phase=phase)).touch()
    while True:  # pragma: no cover - killed by the test
        time.sleep(60)
