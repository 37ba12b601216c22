"""Run an erasure through its phases, resuming where a killed attempt stopped.

Plain Python (no Dagster) so the same code runs in the Dagster asset, from the command line and
in a subprocess a test kills with SIGKILL. Every attempt appends a ``started`` (or ``resumed``)
entry to the audit log; the end appends one ``completed`` entry per execution (or ``failed``), so
the log shows interrupted attempts and that the re-run converged.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.defs.erasure.apply import AppliedErasure, apply_plan
from orchestration.defs.erasure.physical import (
    copy_to_fresh_file,
    replace_warehouse,
    work_directory,
)
from orchestration.defs.erasure.plan import ErasurePlan, plan_from_items
from orchestration.defs.erasure.state import ErasureState, StateFile, state_dir
from orchestration.defs.erasure.verify import Verification, verify_erasure
from orchestration.lib import audit_log
from orchestration.lib.actor import Actor, from_command_line
from orchestration.lib.deletion_manifest import (
    load_manifest,
    load_snapshot_items,
    snapshot_sha256,
)
from orchestration.lib.dsr_exports import erase_exports_of
from orchestration.lib.warehouse import connect

ACTION = "erasure"


class ErasureVerificationError(RuntimeError):
    """Erased data is still in the warehouse after the erasure (names tables, never values)."""


@dataclass(frozen=True)
class ErasureOutcome:
    manifest_id: str
    execution_id: str
    outcome: str
    attempts: int
    resumed: bool
    applied: AppliedErasure | None
    verification: Verification
    bytes_before: int
    bytes_after: int
    seconds: float
    audit_entry: dict[str, Any]


def execute_erasure(
    manifest_path: Path,
    warehouse: Path,
    data_dir: Path,
    run_id: str | None = None,
    launched_by: Actor | None = None,
) -> ErasureOutcome:
    """Apply, copy, replace, verify and record; safe to call again after any interruption.

    ``launched_by`` is who the audit log names (Dagster: the run's tags; CLI: ``--actor``).
    """
    clock_start = time.monotonic()
    manifest_id, manifest = load_manifest(manifest_path)
    plan = _plan(warehouse, manifest_id, manifest)
    audit_path = audit_log.audit_log_path(data_dir)
    states = StateFile(state_dir(data_dir, manifest_id))
    state = states.load() or ErasureState.new(manifest_id, warehouse.stat().st_size)
    common = {
        "action": ACTION,
        "manifest_id": manifest_id,
        "manifest_sha256": manifest_id,
        "manifest_as_of": manifest["as_of"],
        "execution_id": state.execution_id,
        **(launched_by or from_command_line(None)).fields(),
        "run_id": run_id,
    }
    if state.reached("recorded"):
        verification, applied = verify_erasure(warehouse, plan, state.execution_id)
        outcome = "already_applied" if verification.ok else "verification_failed"
        entry = audit_log.append_entry(
            audit_path,
            {
                **common,
                "event": "rerun",
                "outcome": outcome,
                "verification": verification.as_dict(),
            },
        )
        _sync_mirror(warehouse, audit_path)
        if not verification.ok:
            raise ErasureVerificationError(_describe(verification))
    else:
        resumed_from = state.phase if state.attempts else None
        state.attempts += 1
        states.save(state)
        audit_log.append_entry(
            audit_path,
            {
                **common,
                "event": "resumed" if resumed_from else "started",
                "attempt": state.attempts,
                "resumed_from_phase": resumed_from,
                "items": manifest["summary"]["items"],
            },
        )
        try:
            verification, applied = _run_phases(state, states, plan, warehouse)
        except BaseException as error:
            audit_log.append_entry(
                audit_path,
                {
                    **common,
                    "event": "failed",
                    "outcome": "failed",
                    "attempt": state.attempts,
                    "phase": state.phase,
                    "error": type(error).__name__,
                    "finished_at": _now(),
                },
            )
            raise
        # A kill between appending "completed" and saving the phase must not log it twice.
        done = audit_log.find_entries(
            audit_path, execution_id=state.execution_id, event="completed"
        )
        entry = (
            done[0]
            if done
            else audit_log.append_entry(
                audit_path,
                {**common, **_completed_fields(state, plan, applied, verification, warehouse)},
            )
        )
        _sync_mirror(warehouse, audit_path)
        states.advance(state, "recorded")
        outcome = "completed"
    # Art. 15 exports of an erased person hold their data too (idempotent: a re-run finds none).
    erase_exports_of(
        data_dir,
        (f"{t}:{i}" for t, i in plan.subjects),
        manifest_id=manifest_id,
        run_id=run_id,
        launched_by=launched_by or from_command_line(None),
    )
    return ErasureOutcome(
        manifest_id=manifest_id,
        execution_id=state.execution_id,
        outcome=outcome,
        attempts=state.attempts,
        resumed=state.attempts > 1 or outcome != "completed",
        applied=applied,
        verification=verification,
        bytes_before=state.warehouse_bytes_before,
        bytes_after=warehouse.stat().st_size,
        seconds=time.monotonic() - clock_start,
        audit_entry=entry,
    )


def _plan(warehouse: Path, manifest_id: str, manifest: dict[str, Any]) -> ErasurePlan:
    """The plan of the manifest's full item set: every item due, not only the day's diff.

    The items come from ``governance_ops.deletion_manifest_items``, proven against the file's
    ``snapshot.sha256`` (``orchestration/lib/deletion_manifest.py``); the erasure leaves that
    schema in place, so a resumed erasure reads the same set.
    """
    con = connect(warehouse)
    try:
        return plan_from_items(load_snapshot_items(con, manifest_id, snapshot_sha256(manifest)))
    finally:
        con.close()


def _run_phases(
    state: ErasureState, states: StateFile, plan: ErasurePlan, warehouse: Path
) -> tuple[Verification, AppliedErasure | None]:
    """The phases not yet reached, in order; each advances the state file when durable."""
    if not state.reached("applied"):
        con = connect(warehouse)
        try:
            applied = apply_plan(
                con,
                plan,
                state.execution_id,
                state.manifest_id,
                states.directory,
                dt.datetime.now(tz=dt.UTC),
            )
            con.execute("checkpoint")
        finally:
            con.close()
        state.counts = {"rows_deleted": applied.rows_deleted}
        states.advance(state, "applied")
    work_dir = work_directory(warehouse, state.manifest_id)
    if not state.reached("copied"):
        copy_to_fresh_file(warehouse, work_dir)
        states.advance(state, "copied")
    if not state.reached("replaced"):
        replace_warehouse(warehouse, work_dir)
        states.advance(state, "replaced")
    verification, applied_record = verify_erasure(warehouse, plan, state.execution_id)
    if not verification.ok:
        raise ErasureVerificationError(_describe(verification))
    if not state.reached("verified"):
        states.advance(state, "verified")
    return verification, applied_record


def _completed_fields(
    state: ErasureState,
    plan: ErasurePlan,
    applied: AppliedErasure | None,
    verification: Verification,
    warehouse: Path,
) -> dict[str, Any]:
    """The ``completed`` audit entry: what was done, per table, and that it was verified."""
    return {
        "event": "completed",
        "outcome": "completed",
        "attempts": state.attempts,
        "resumed": state.attempts > 1,
        "started_at": state.started_at,
        "finished_at": _now(),
        "counts": applied.counts if applied else {},
        "records_deleted": applied.records_planned if applied else 0,
        "fields_cleared_planned": applied.fields_planned if applied else 0,
        "records_skipped_legal_hold": len(applied.skipped_legal_hold) if applied else 0,
        "writeback_fields_for_crm": plan.writeback_fields,
        "records_restricted": len(plan.restricted),
        "verification": verification.as_dict(),
        "warehouse_bytes_before": state.warehouse_bytes_before,
        "warehouse_bytes_after": warehouse.stat().st_size,
    }


def _sync_mirror(warehouse: Path, audit_path: Path) -> None:
    con = connect(warehouse)
    try:
        audit_log.sync_mirror(con, audit_path)
        con.execute("checkpoint")
    finally:
        con.close()


def _describe(verification: Verification) -> str:
    parts = [
        f"{label}: {', '.join(f'{k} ({v})' for k, v in sorted(found.items()))}"
        for label, found in (
            ("records still present in", verification.remaining_records),
            ("fields still set in", verification.remaining_fields),
            ("erased subject keys found in", verification.remaining_keys),
        )
        if found
    ]
    return "erasure verification failed: " + "; ".join(parts)


def _now() -> str:
    return dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")
