"""What was done: erasure runs and DSR exports from the hash-chained audit log.

The audit log file (``<data dir>/audit/audit_log.jsonl``) is the record of deletions and exports;
its mirror ``governance_ops.audit_log`` is the copy in the warehouse. The report reads the mirror
(so it renders from the warehouse alone, like every other section) and verifies the file's hash
chain when the file is there. A request is shown as fulfilled when a completed erasure run
carried out a manifest with items for it, or a completed export carries its id as label: the
request table of the CRM export says "in progress" until the CRM is told, the log says what the
pipeline did. A restriction request counts as fulfilled when the run restricted its records.
Which requests that are is counted in SQL (``queries.requests``) from the manifests and labels
named here: the number of requests can grow with the data, the number of runs cannot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from orchestration.defs.reporting.suppressed import suppressed_rows
from orchestration.lib.audit_log import audit_log_path, verify_audit_log
from orchestration.lib.warehouse import has_table

AUDIT_TABLE = "governance_ops.audit_log"
ERASURE_RUNS = "governance_ops.erasure_runs"
#: The quarantine reason of rows dropped at ingest because their subject was erased.


@dataclass
class ErasureRun:
    execution_id: str
    manifest_id: str
    finished_at: str
    records_deleted: int
    fields_cleared: int
    records_restricted: int
    skipped_legal_hold: int
    verified: bool
    attempts: int


@dataclass
class Export:
    request_label: str
    finished_at: str
    records: int


@dataclass
class Executed:
    """Executed erasures and exports, the audit chain's state, rows suppressed at re-ingest."""

    erasures: list[ErasureRun] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    #: Entries in the warehouse mirror of the audit log.
    audit_entries: int = 0
    #: True/False when the audit log file was checked; None when the file is not on this machine.
    chain_ok: bool | None = None
    chain_entries: int = 0
    chain_problem: str = ""
    suppressed_rows: int = 0

    @property
    def erased_manifests(self) -> list[str]:
        """Manifests a completed erasure run carried out: their requests' items are done."""
        return sorted({e.manifest_id for e in self.erasures})

    @property
    def export_labels(self) -> list[str]:
        """Request ids completed exports carry as label (the request is fulfilled)."""
        return sorted({e.request_label for e in self.exports})


def _entries(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    if not has_table(con, AUDIT_TABLE):
        return []
    return [
        json.loads(raw)
        for (raw,) in con.execute(f"select entry_json from {AUDIT_TABLE} order by seq").fetchall()
    ]


def query_executed(con: duckdb.DuckDBPyConnection, data_dir: Path | None) -> Executed:
    """Read the audit mirror, verify the file's chain, count suppressed rows."""
    out = Executed()
    entries = _entries(con)
    out.audit_entries = len(entries)
    for entry in entries:
        if entry.get("event") != "completed":
            continue
        if entry.get("action") == "erasure":
            verification = entry.get("verification") or {}
            out.erasures.append(
                ErasureRun(
                    execution_id=str(entry.get("execution_id", "")),
                    manifest_id=str(entry.get("manifest_id", "")),
                    finished_at=str(entry.get("finished_at") or entry.get("recorded_at", "")),
                    records_deleted=int(entry.get("records_deleted") or 0),
                    fields_cleared=int(entry.get("fields_cleared_planned") or 0),
                    records_restricted=int(entry.get("records_restricted") or 0),
                    skipped_legal_hold=int(entry.get("records_skipped_legal_hold") or 0),
                    verified=bool(verification.get("ok", False)),
                    attempts=int(entry.get("attempts") or 1),
                )
            )
        elif entry.get("action") == "dsr_export":
            out.exports.append(
                Export(
                    request_label=str(entry.get("request_label", "")),
                    finished_at=str(entry.get("recorded_at", "")),
                    records=int(entry.get("records") or 0),
                )
            )
    if data_dir is not None and audit_log_path(data_dir).exists():
        result = verify_audit_log(audit_log_path(data_dir))
        out.chain_ok, out.chain_entries = result.ok, result.entries
        out.chain_problem = "" if result.ok else f"line {result.bad_line}: {result.problem}"
    # The latest load of each table only: an export delivered again every night must not add
    # the same suppressed rows up night after night.
    out.suppressed_rows = sum(n for _, n in suppressed_rows(con))
    return out
