"""Streaming writers for the export files: one CSV per table, labels.jsonl, canaries, manifest.

Why streaming: an export with a million notes has millions of rows; holding them would make
memory grow with N. Rows go straight to ``csv.writer`` objects over buffered files, and the
manifest's row counts and checksums are computed from what was written.

File format (the contract the ingest relies on, see ``orchestration/lib/crm_schema.py``): header
row with the contract's column names, comma separated, RFC 4180 quoting (``csv.QUOTE_MINIMAL``),
``\\n`` line endings, empty string for NULL. ``cp1252`` exports replace characters that Windows-1252
cannot represent with ``?`` (one character for one, so label offsets stay valid).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from orchestration.lib.crm_schema import CANARIES_FILE, EXPORT_MANIFEST, LABELS_FILE, TABLES

ENCODINGS = ("utf-8", "cp1252")
_BUFFER = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(_BUFFER), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ExportWriter:
    """Opens every table's CSV and the labels file; closes them and reports counts and hashes."""

    def __init__(self, out_dir: Path, encoding: str = "utf-8") -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
        self.out_dir = out_dir
        self.encoding = encoding
        out_dir.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}
        errors = "replace" if encoding == "cp1252" else "strict"
        for table in TABLES:
            f = (out_dir / table.file_name).open(
                "w", encoding=encoding, errors=errors, newline="", buffering=_BUFFER
            )
            writer = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(table.column_names)
            self._files[table.name] = f
            self._writers[table.name] = writer.writerow
            self.rows[table.name] = 0
        self._labels = (out_dir / LABELS_FILE).open(
            "w", encoding="utf-8", newline="\n", buffering=_BUFFER
        )

    def write(self, table: str, row: Sequence[Any]) -> None:
        """Append one row (values in the contract's column order; ``None`` or ``""`` is NULL)."""
        self._writers[table](row)
        self.rows[table] += 1

    def label(
        self,
        table: str,
        record_id: str,
        column: str,
        lang: str,
        source: str,
        spans: list[tuple[int, int, str]],
    ) -> None:
        """Append the ground truth of one free-text field (no text, only offsets and labels)."""
        record = {
            "id": f"{table}:{record_id}:{column}",
            "table": table,
            "record_id": record_id,
            "column": column,
            "lang": lang,
            "source": source,
            "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
        }
        self._labels.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> dict[str, dict[str, Any]]:
        """Close all files; return the manifest's ``tables`` section."""
        for f in self._files.values():
            f.close()
        self._labels.close()
        return {
            t.name: {
                "file": t.file_name,
                "rows": self.rows[t.name],
                "sha256": sha256_file(self.out_dir / t.file_name),
            }
            for t in TABLES
        }

    def abort(self) -> None:
        for f in [*self._files.values(), self._labels]:
            f.close()

    def __enter__(self) -> ExportWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.abort()


def write_canaries(out_dir: Path, markers: list[str] | None) -> None:
    """Write ``canaries.txt``, or remove a stale one when canaries are off."""
    path = out_dir / CANARIES_FILE
    if markers is None:
        path.unlink(missing_ok=True)
        return
    path.write_text("".join(m + "\n" for m in markers), encoding="utf-8", newline="\n")


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    """Write ``export.json`` last, so its presence marks a complete export (sensors rely on it)."""
    tmp = out_dir / (EXPORT_MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8", newline="\n")
    tmp.replace(out_dir / EXPORT_MANIFEST)
