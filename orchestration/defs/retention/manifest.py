"""The deletion manifest document: summarize in SQL, stream the canonical JSON, COPY the CSV.

The manifest id is the sha256 of the canonical JSON bytes, which are exactly the bytes of the
JSON file, so ``sha256sum <id>.json`` proves a file is the manifest it claims to be. Nothing in
the document depends on the wall clock or the run: the same governance marts, policy, ``as_of``
and previous manifest give the same bytes (DESIGN.md principle 4).

Issue 16: the file is the day's diff (``orchestration/lib/deletion_manifest.py`` describes the
format) and is never held in memory: the items leave DuckDB in batches of
``canonical_stream.BATCH_ROWS`` rows, are encoded and hashed as they are written, and the CSV is
written by DuckDB itself (``COPY``). Python memory stays flat in the number of items.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration.defs.retention.items import ITEMS
from orchestration.defs.retention.store import CHANGED, REMOVED, ManifestDiff
from orchestration.lib.canonical_stream import (
    HashingFile,
    HashingSink,
    placeholder,
    row_batches,
    write_document,
    write_list,
)
from orchestration.lib.deletion_manifest import (  # noqa: F401  (the last four: re-exported)
    ACTIONS,
    FORMAT,
    FORMAT_VERSION,
    ITEM_FIELDS,
    ITEM_SELECT,
    LATEST_POINTER,
    SCHEMA_PATH,
    find_manifest,
    latest_manifest_path,
    load_manifest,
    manifests_root,
)
from orchestration.lib.files import (
    canonical_json,
    fsync_directory,
    sha256_file,
    sha256_hex,
    write_atomically,
)


@dataclass(frozen=True)
class WrittenManifest:
    manifest_id: str
    json_path: Path
    csv_path: Path
    #: Items in the file (the diff); the full set's count is in the summary.
    item_count: int
    json_bytes: int
    csv_bytes: int


def summarize(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Counts of the full item set, by SQL (the ``summary`` of the document)."""

    def counts(expression: str) -> dict[str, int]:
        rows = con.execute(
            f"select {expression} as k, count(*) from {ITEMS} group by k order by k"
        ).fetchall()
        return {str(k): int(n) for k, n in rows}

    by_action = counts("action")
    return {
        "items": sum(by_action.values()),
        "by_action": {a: by_action.get(a, 0) for a in ACTIONS},
        "by_reason": counts("reason"),
        "by_reason_and_action": counts("reason || '/' || action"),
        "by_record_table": counts("record_table"),
    }


def _items(con: duckdb.DuckDBPyConnection, only_changed: bool) -> Iterator[list[dict[str, Any]]]:
    where = f"where item_id in (select item_id from {CHANGED})" if only_changed else ""
    # A generator: the query runs when the list is reached (one open result per connection).
    yield from row_batches(con.sql(f"select {ITEM_SELECT} from {ITEMS} {where} order by item_id"))


def _removed(con: duckdb.DuckDBPyConnection) -> Iterator[list[str]]:
    for batch in row_batches(con.sql(f"select item_id from {REMOVED} order by item_id")):
        yield [row["item_id"] for row in batch]


def snapshot_sha256(con: duckdb.DuckDBPyConnection) -> str:
    """sha256 of the canonical JSON array of the full item set, computed while streaming."""
    sink = HashingSink()
    write_list(_items(con, only_changed=False), sink)
    return sink.hexdigest()


def document_header(
    as_of: dt.date,
    export_ids: Sequence[str],
    retention_rules: Sequence[Sequence[str | None]],
    summary: dict[str, Any],
    snapshot: str,
    diff: ManifestDiff,
) -> dict[str, Any]:
    """The document with placeholders where the item and removed-id lists are streamed in."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "as_of": as_of.isoformat(),
        "inputs": {
            "export_ids": sorted(export_ids),
            "retention_rules_sha256": sha256_hex(canonical_json(list(retention_rules))),
        },
        "snapshot": {"sha256": snapshot, "items": summary["items"]},
        "changes": {
            "previous_manifest_id": diff.previous_manifest_id,
            "added": diff.new_items,
            "status_changed": diff.status_changed_items,
            "removed": placeholder("removed"),
        },
        "summary": summary,
        "items": placeholder("items"),
    }


def write_manifest(
    con: duckdb.DuckDBPyConnection, document: dict[str, Any], data_dir: Path
) -> WrittenManifest:
    """Write ``<id>.json`` and ``<id>.csv`` under ``manifests/<as_of>/``, then the pointer.

    Content-addressed files are immutable: an existing file is left alone if its hash matches
    its name, and refused loudly if not (someone changed a manifest after it was written).
    """
    directory = manifests_root(data_dir) / document["as_of"]
    staging = HashingFile(directory / "manifest.json")
    with staging:
        counts = write_document(
            document, {"removed": _removed(con), "items": _items(con, True)}, staging.write
        )
    identifier = staging.hexdigest()
    json_path = directory / f"{identifier}.json"
    csv_path = directory / f"{identifier}.csv"
    if json_path.exists():
        staging.discard()
        if sha256_file(json_path) != identifier:
            raise RuntimeError(f"{json_path} does not match its content hash: it was modified")
    else:
        staging.publish(json_path)
    if not csv_path.exists():
        _copy_csv(con, csv_path)
    pointer = {"manifest_id": identifier, "json": json_path.name, "csv": csv_path.name}
    write_atomically(directory / LATEST_POINTER, canonical_json(pointer))
    return WrittenManifest(
        identifier,
        json_path,
        csv_path,
        counts["items"],
        json_path.stat().st_size,
        csv_path.stat().st_size,
    )


def _copy_csv(con: duckdb.DuckDBPyConnection, csv_path: Path) -> None:
    """The file's items as CSV, written by DuckDB: header, ``\\n`` line ends, empty for null."""
    columns = ", ".join(f'{"column_name" if f == "column" else f} as "{f}"' for f in ITEM_FIELDS)
    temporary = csv_path.with_name(f".{csv_path.name}.tmp-{os.getpid()}")
    target = str(temporary).replace("'", "''")
    con.execute(
        f"""copy (select {columns} from {ITEMS}
                  where item_id in (select item_id from {CHANGED}) order by item_id)
            to '{target}' (format csv, header true, delimiter ',', quote '"',
                              new_line '\\n', dateformat '%Y-%m-%d')"""
    )
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, csv_path)
    fsync_directory(csv_path.parent)
