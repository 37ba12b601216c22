"""What an erasure would delete, per warehouse table, without deleting anything.

Why run the real statements inside a transaction that is rolled back, rather than count with
separate queries: the counts are then exactly what ``apply.apply_plan`` would change (same key
tables, same table discovery, same legal-hold exclusion), and cannot drift from it. Nothing is
committed, the warehouse file is not copied and no audit entry or state file is written.

Reports table names, counts and the manifest id only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from orchestration.defs.erasure.apply import delete_planned
from orchestration.defs.erasure.plan import plan_from_items
from orchestration.lib.deletion_manifest import (
    legally_held,
    load_manifest,
    load_snapshot_items,
    snapshot_sha256,
)
from orchestration.lib.warehouse import connect

KEY_PREFIX = "_erasure_dry_run"


@dataclass(frozen=True)
class DryRun:
    manifest_id: str
    records_planned: int
    fields_planned: int
    records_restricted: int
    records_skipped_legal_hold: int
    #: ``{"schema.table": {"rows_deleted": n, "fields_cleared": n}}``, tables with changes only.
    counts: dict[str, dict[str, int]]

    @property
    def rows_deleted(self) -> int:
        return sum(c.get("rows_deleted", 0) for c in self.counts.values())

    @property
    def fields_cleared(self) -> int:
        return sum(c.get("fields_cleared", 0) for c in self.counts.values())

    def lines(self) -> list[str]:
        """Log lines: the manifest, the totals, then one line per table (counts only)."""
        head = [
            f"dry run of manifest {self.manifest_id}: nothing was deleted",
            f"would delete {self.rows_deleted:,} rows and clear {self.fields_cleared:,} fields "
            f"({self.records_planned:,} records planned, {self.records_restricted:,} restricted "
            f"and kept, {self.records_skipped_legal_hold:,} skipped for a legal hold)",
        ]
        return head + [
            f"  {table}: " + ", ".join(f"{kind} {n:,}" for kind, n in change.items())
            for table, change in sorted(self.counts.items())
        ]


def dry_run_erasure(manifest_path: Path, warehouse: Path) -> DryRun:
    """Count what ``execute_erasure`` would change; always rolls back."""
    manifest_id, manifest = load_manifest(manifest_path)
    con = connect(warehouse)
    try:
        plan = plan_from_items(load_snapshot_items(con, manifest_id, snapshot_sha256(manifest)))
        held = legally_held(con, dt.datetime.now(tz=dt.UTC).replace(tzinfo=None))
        effective = plan.without(held)
        planned = {*plan.records, *((t, r) for t, r, _ in plan.fields)}
        con.execute("begin transaction")
        try:
            counts, _ = delete_planned(con, effective, KEY_PREFIX)
        finally:
            con.execute("rollback")
    finally:
        con.close()
    return DryRun(
        manifest_id=manifest_id,
        records_planned=len(effective.records),
        fields_planned=len(effective.fields),
        records_restricted=len(plan.restricted),
        records_skipped_legal_hold=len(planned & held),
        counts=counts,
    )
