"""Retention of old deletion manifests: files and item rows older than the window go.

``CRM_MANIFEST_RETENTION_DAYS`` (default 90, ``orchestration/lib/deletion_manifest.py``) is the
window, counted back from the run's ``as_of``. Each nightly run prunes manifests whose ``as_of``
is before it: their JSON and CSV files and their rows in ``deletion_manifest_items``. What stays:

- the header row in ``deletion_manifests`` (ids, counts, ``pruned_at``): the record that a
  manifest existed and what it counted (Art. 5(2) GDPR);
- the ``delete`` items of a manifest an erasure executed: they are the record of what was erased
  (ids only), and the staging foreign-key tests read them (dbt macro ``erased_record_ids``);
- everything of a manifest an erasure has started and not finished (its phase file under
  ``data/erasure/``): the re-run needs the items.

Each pruned manifest is one ``manifest_retention``/``pruned`` entry in the audit log (ids and
counts only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib import audit_log
from orchestration.lib.deletion_manifest import (
    ITEMS_TABLE,
    LATEST_POINTER,
    MANIFESTS_TABLE,
    pending_erasure_manifest_ids,
)
from orchestration.lib.warehouse import OPS_SCHEMA, table_exists

AUDIT_ACTION = "manifest_retention"


@dataclass(frozen=True)
class Pruned:
    manifests: int
    item_rows: int
    files: int
    kept_for_pending_erasure: int


def prune_manifests(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    as_of: dt.date,
    keep_days: int,
    now: dt.datetime,
) -> Pruned:
    """Prune manifests older than ``keep_days`` before ``as_of``; one audit entry per manifest."""
    cutoff = as_of - dt.timedelta(days=keep_days)
    due = con.execute(
        f"""select manifest_id, as_of, json_path, csv_path from {MANIFESTS_TABLE}
            where as_of < ? and pruned_at is null order by as_of, manifest_id""",
        [cutoff],
    ).fetchall()
    pending = pending_erasure_manifest_ids(data_dir)
    executed = (
        f"""and not (action = 'delete' and manifest_id in
                    (select manifest_id from {OPS_SCHEMA}.erasure_runs))"""
        if table_exists(con, OPS_SCHEMA, "erasure_runs")
        else ""
    )
    audit_path = audit_log.audit_log_path(data_dir)
    manifests = rows_total = files_total = 0
    for manifest_id, manifest_as_of, json_path, csv_path in due:
        if manifest_id in pending:
            continue
        rows = con.execute(
            f"delete from {ITEMS_TABLE} where manifest_id = ? {executed}", [manifest_id]
        ).fetchall()[0][0]
        files = _remove_files(Path(json_path), Path(csv_path))
        con.execute(
            f"update {MANIFESTS_TABLE} set pruned_at = ? where manifest_id = ?",
            [now.replace(tzinfo=None), manifest_id],
        )
        audit_log.append_entry(
            audit_path,
            {
                "action": AUDIT_ACTION,
                "event": "pruned",
                "outcome": "pruned",
                "manifest_id": manifest_id,
                "manifest_as_of": manifest_as_of.isoformat(),
                "run_as_of": as_of.isoformat(),
                "retention_days": keep_days,
                "item_rows_removed": int(rows),
                "files_removed": files,
            },
        )
        manifests += 1
        rows_total += int(rows)
        files_total += files
    return Pruned(manifests, rows_total, files_total, len({m for m, *_ in due} & pending))


def _remove_files(json_path: Path, csv_path: Path) -> int:
    """Remove the manifest's files, its day's pointer if it named it, and the day if empty."""
    removed = 0
    for path in (json_path, csv_path):
        if path.exists():
            path.unlink()
            removed += 1
    pointer = json_path.parent / LATEST_POINTER
    if pointer.exists() and json_path.name.encode() in pointer.read_bytes():
        pointer.unlink()
    if json_path.parent.exists() and not any(json_path.parent.iterdir()):
        json_path.parent.rmdir()
    return removed
