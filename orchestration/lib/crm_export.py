"""Find a CRM export directory and read its ``export.json``.

An export directory holds one CSV per table (``orchestration.lib.crm_schema``) and an
``export.json`` written by the CRM: export id, source system, time of export, encoding and per-file
checksums. The checksum is what makes a re-run of the same export a no-op.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.crm_errors import CrmExportError
from orchestration.lib.crm_schema import EXPORT_MANIFEST

SUPPORTED_ENCODINGS = ("utf-8", "cp1252")


@dataclass(frozen=True)
class CrmExport:
    """One export directory and the facts its manifest states."""

    directory: Path
    export_id: str
    source_system: str
    exported_at: dt.datetime
    #: Declared encoding of every file; ``None`` means "detect per file".
    encoding: str | None
    #: Declared sha256 per table name, if the CRM wrote them.
    declared_sha256: dict[str, str]

    def path_of(self, file_name: str) -> Path:
        return self.directory / file_name


def read_export(directory: Path) -> CrmExport:
    """Read and validate ``export.json``; errors name the file and the key."""
    manifest_path = directory / EXPORT_MANIFEST
    if not directory.is_dir():
        raise CrmExportError(directory, "export directory does not exist")
    if not manifest_path.is_file():
        raise CrmExportError(manifest_path, "export manifest is missing")
    try:
        raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CrmExportError(
            manifest_path, f"not valid JSON ({exc.msg}, line {exc.lineno})"
        ) from exc
    for key in ("export_id", "source_system", "exported_at"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise CrmExportError(manifest_path, f"key {key!r} must be a non-empty string")
    try:
        exported_at = dt.datetime.fromisoformat(raw["exported_at"])
    except ValueError as exc:
        raise CrmExportError(manifest_path, "key 'exported_at' is not an ISO timestamp") from exc
    encoding = raw.get("encoding")
    if encoding is not None and normalise_encoding(encoding) is None:
        raise CrmExportError(
            manifest_path,
            f"encoding {encoding!r} is not supported (use one of {', '.join(SUPPORTED_ENCODINGS)})",
        )
    tables = raw.get("tables") or {}
    declared = {
        name: str(entry["sha256"])
        for name, entry in tables.items()
        if isinstance(entry, dict) and entry.get("sha256")
    }
    return CrmExport(
        directory=directory.resolve(),
        export_id=raw["export_id"],
        source_system=raw["source_system"],
        exported_at=exported_at,
        encoding=normalise_encoding(encoding) if encoding else None,
        declared_sha256=declared,
    )


def normalise_encoding(name: str) -> str | None:
    """Map the spellings CRMs use to the two encodings we read; ``None`` if unsupported."""
    key = name.strip().lower().replace("_", "-")
    if key in ("utf-8", "utf8", "utf-8-sig"):
        return "utf-8"
    if key in ("cp1252", "windows-1252", "win-1252", "latin-1", "latin1", "iso-8859-1"):
        # Windows-1252 is a superset of the printable Latin-1 range that exports use.
        return "cp1252"
    return None


def latest_export(root: Path) -> Path:
    """The newest export under ``root`` (by ``exported_at``, then directory name)."""
    candidates = list_exports(root)
    if not candidates:
        raise CrmExportError(root, f"no CRM export found (no sub-directory with {EXPORT_MANIFEST})")
    return max(candidates, key=lambda e: (e.exported_at, e.directory.name)).directory


def list_exports(root: Path) -> list[CrmExport]:
    """Every readable export directly under ``root``; unreadable ones raise with their path."""
    if not root.is_dir():
        return []
    return [read_export(d) for d in sorted(root.iterdir()) if (d / EXPORT_MANIFEST).is_file()]


def file_sha256(path: Path, chunk_size: int = 1 << 20) -> str:
    """Streaming sha256 of a file (exports can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def declared_rows(directory: Path, table_name: str) -> int | None:
    """Rows ``export.json`` declares for a table (optional in the contract; for progress only)."""
    try:
        raw = json.loads((directory / EXPORT_MANIFEST).read_text(encoding="utf-8"))
        rows = raw.get("tables", {}).get(table_name, {}).get("rows")
    except (OSError, ValueError, AttributeError):
        return None
    return rows if isinstance(rows, int) and rows >= 0 else None
