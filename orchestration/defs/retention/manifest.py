"""The deletion manifest document: build it, serialize it canonically, write JSON and CSV.

The manifest id is the sha256 of the canonical JSON bytes, which are exactly the bytes of the
JSON file, so ``sha256sum <id>.json`` proves a file is the manifest it claims to be. Nothing in
the document depends on the wall clock or the run: the same governance marts, policy and
``as_of`` give the same bytes (DESIGN.md principle 4).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.defs.retention.items import ACTIONS, ITEM_FIELDS
from orchestration.lib.files import (
    canonical_json,
    sha256_file,
    sha256_hex,
    write_atomically,
)

FORMAT = "deletion_manifest"
FORMAT_VERSION = 1
SCHEMA_PATH = (
    Path(__file__).resolve().parents[3] / "docs" / "schemas" / ("deletion_manifest.schema.json")
)
MANIFESTS_DIRNAME = "manifests"
LATEST_POINTER = "latest.json"


@dataclass(frozen=True)
class WrittenManifest:
    manifest_id: str
    json_path: Path
    csv_path: Path
    item_count: int


def summarize(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    by_action = Counter(i["action"] for i in items)
    return {
        "items": len(items),
        "by_action": {a: by_action.get(a, 0) for a in ACTIONS},
        "by_reason": dict(sorted(Counter(i["reason"] for i in items).items())),
        "by_reason_and_action": dict(
            sorted(Counter(f"{i['reason']}/{i['action']}" for i in items).items())
        ),
        "by_record_table": dict(sorted(Counter(i["record_table"] for i in items).items())),
    }


def build_manifest(
    as_of: dt.date,
    items: Sequence[dict[str, Any]],
    export_ids: Sequence[str],
    retention_rules: Sequence[Sequence[str | None]],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "as_of": as_of.isoformat(),
        "inputs": {
            "export_ids": sorted(export_ids),
            "retention_rules_sha256": sha256_hex(canonical_json(list(retention_rules))),
        },
        "summary": summarize(items),
        "items": list(items),
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return canonical_json(manifest)


def manifest_id(manifest: dict[str, Any]) -> str:
    return sha256_hex(manifest_bytes(manifest))


def csv_bytes(items: Sequence[dict[str, Any]]) -> bytes:
    """The items as CSV: fixed column order, ``\\n`` line ends, empty for null, true/false."""

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ITEM_FIELDS)
    for item in items:
        writer.writerow([cell(item[field]) for field in ITEM_FIELDS])
    return buffer.getvalue().encode("utf-8")


def manifests_root(data_dir: Path) -> Path:
    return data_dir / MANIFESTS_DIRNAME


def write_manifest(manifest: dict[str, Any], data_dir: Path) -> WrittenManifest:
    """Write ``<id>.json`` and ``<id>.csv`` under ``manifests/<as_of>/``, then the pointer.

    Content-addressed files are immutable: an existing file is left alone if its hash matches
    its name, and refused loudly if not (someone changed a manifest after it was written).
    """
    data = manifest_bytes(manifest)
    identifier = sha256_hex(data)
    directory = manifests_root(data_dir) / manifest["as_of"]
    json_path = directory / f"{identifier}.json"
    csv_path = directory / f"{identifier}.csv"
    if json_path.exists():
        if sha256_file(json_path) != identifier:
            raise RuntimeError(f"{json_path} does not match its content hash: it was modified")
    else:
        write_atomically(json_path, data)
    if not csv_path.exists():
        write_atomically(csv_path, csv_bytes(manifest["items"]))
    pointer = {"manifest_id": identifier, "json": json_path.name, "csv": csv_path.name}
    write_atomically(directory / LATEST_POINTER, canonical_json(pointer))
    return WrittenManifest(identifier, json_path, csv_path, len(manifest["items"]))


def latest_manifest_path(as_of: dt.date | str, data_dir: Path | None = None) -> Path | None:
    """The JSON file of the newest manifest written for ``as_of`` (None if there is none).

    For the nightly summary (``orchestration/run.py``) and for operators looking for the id
    to give the erasure job.
    """
    if data_dir is None:
        from orchestration.lib import settings

        data_dir = settings.data_dir()
    day = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of)
    pointer = manifests_root(data_dir) / day / LATEST_POINTER
    if not pointer.exists():
        return None
    return pointer.parent / json.loads(pointer.read_text(encoding="utf-8"))["json"]


def find_manifest(reference: str, data_dir: Path) -> Path:
    """Find a manifest file by its id, a unique id prefix of 12+ hex digits, or ``latest``."""
    root = manifests_root(data_dir)
    if reference == "latest":
        days = sorted(p.parent for p in root.glob(f"*/{LATEST_POINTER}"))
        if not days:
            raise FileNotFoundError(f"no deletion manifest under {root}")
        path = latest_manifest_path(days[-1].name, data_dir)
        assert path is not None
        return path
    reference = reference.strip().lower()
    if len(reference) < 12 or any(c not in "0123456789abcdef" for c in reference):
        raise ValueError("manifest id must be 12 to 64 hex digits (or 'latest')")
    matches = sorted(root.glob(f"*/{reference}*.json"))
    matches = [p for p in matches if p.name != LATEST_POINTER]
    if not matches:
        raise FileNotFoundError(f"no deletion manifest {reference} under {root}")
    if len({p.name for p in matches}) > 1:
        raise ValueError(f"manifest id prefix {reference} is ambiguous")
    return matches[0]


def load_manifest(path: Path) -> tuple[str, dict[str, Any]]:
    """Read a manifest file and prove it is the manifest its name says (sha256 = id)."""
    data = path.read_bytes()
    identifier = sha256_hex(data)
    if path.stem != identifier:
        raise ValueError(f"{path.name}: content hash {identifier[:12]}… does not match its name")
    manifest = json.loads(data)
    if canonical_json(manifest) != data:
        raise ValueError(f"{path.name} is not in canonical form")
    return identifier, manifest


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Validate against the published JSON Schema (``docs/schemas/``) when jsonschema exists."""
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - jsonschema ships with the locked environment
        return
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(manifest)
