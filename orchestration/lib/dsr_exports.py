"""Art. 15 export folders and zips are personal data too: kept for a period, erased with the person.

An export is written for the person who asked; once delivered, a copy kept forever would be
storage without purpose (Art. 5(1)(e) GDPR). So every export (folder and zip under
``$CRM_DATA_DIR/exports_dsr``) is kept ``CRM_DSR_EXPORT_RETENTION_DAYS`` days (default 30),
measured from when it was written (the file's modification time), and then pruned by the nightly
run and by the next export. An erasure that removes a person's master record also removes every
export that holds that person. Both append to the audit log: request labels and counts only.

Why in ``lib``: the DSR domain writes and prunes these folders, the erasure removes them; the
folder layout is the contract between the two.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib import audit_log, settings
from orchestration.lib.actor import Actor

#: Folder under the data directory holding every Art. 15 export (folder and zip per request).
EXPORTS_DIRNAME = "exports_dsr"
ACTION = "dsr_export_retention"


@dataclass(frozen=True)
class StoredExport:
    request_label: str
    folder: Path | None
    zip_path: Path | None
    written_at: dt.datetime

    def paths(self) -> list[Path]:
        return [p for p in (self.folder, self.zip_path) if p is not None]

    def data_subject_ids(self) -> set[str]:
        """The subjects the export is about (its ``subject_data.json``; empty if unreadable)."""
        document = self.folder / "subject_data.json" if self.folder else None
        if document is None or not document.exists():
            return set()
        try:
            data = json.loads(document.read_text(encoding="utf-8"))
        except ValueError:
            return set()
        return set(data.get("request", {}).get("data_subject_ids", []))


def stored_exports(data_dir: Path) -> list[StoredExport]:
    """Every finished export (temporary ``.``-names are skipped), by request label."""
    root = data_dir / EXPORTS_DIRNAME
    if not root.is_dir():
        return []
    labels: dict[str, dict[str, Path]] = {}
    for path in root.iterdir():
        if path.name.startswith("."):
            continue
        if path.is_dir():
            labels.setdefault(path.name, {})["folder"] = path
        elif path.suffix == ".zip":
            labels.setdefault(path.stem, {})["zip"] = path
    exports = []
    for label, found in sorted(labels.items()):
        newest = max(p.stat().st_mtime for p in found.values())
        written = dt.datetime.fromtimestamp(newest, tz=dt.UTC)
        exports.append(StoredExport(label, found.get("folder"), found.get("zip"), written))
    return exports


def _remove(export: StoredExport) -> None:
    for path in export.paths():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def prune_expired_exports(
    data_dir: Path,
    *,
    now: dt.datetime | None = None,
    retention_days: int | None = None,
    run_id: str | None = None,
    launched_by: Actor | None = None,
) -> list[str]:
    """Remove exports older than the retention period; returns their request labels."""
    days = settings.dsr_export_retention_days() if retention_days is None else retention_days
    cutoff = (now or dt.datetime.now(tz=dt.UTC)) - dt.timedelta(days=days)
    expired = [e for e in stored_exports(data_dir) if e.written_at < cutoff]
    why = {"event": "pruned", "reason": "retention_expired", "retention_days": days}
    return _remove_and_log(data_dir, expired, why, run_id, launched_by)


def erase_exports_of(
    data_dir: Path,
    data_subject_ids: Iterable[str],
    *,
    manifest_id: str | None = None,
    run_id: str | None = None,
    launched_by: Actor | None = None,
) -> list[str]:
    """Remove every export about one of ``data_subject_ids`` (``type:id``); returns labels."""
    erased = set(data_subject_ids)
    matching = [e for e in stored_exports(data_dir) if e.data_subject_ids() & erased]
    why = {"event": "erased", "reason": "subject_erased", "manifest_id": manifest_id}
    return _remove_and_log(data_dir, matching, why, run_id, launched_by)


def _remove_and_log(
    data_dir: Path,
    exports: list[StoredExport],
    why: dict[str, object],
    run_id: str | None,
    launched_by: Actor | None,
) -> list[str]:
    """Remove ``exports`` and write one audit entry (request labels and counts only)."""
    for export in exports:
        _remove(export)
    labels = [e.request_label for e in exports]
    if labels:
        audit_log.append_entry(
            audit_log.audit_log_path(data_dir),
            {
                "action": ACTION,
                "outcome": "completed",
                **why,
                "request_labels": labels,
                "exports_removed": len(labels),
                "run_id": run_id,
                **(launched_by.fields() if launched_by else {}),
            },
        )
    return labels
