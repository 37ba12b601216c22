"""Canonical JSON written piece by piece, hashed while it is written, in bounded memory.

Why: a deletion manifest at 200k customers holds about two million items; building the whole
document as one Python string took 1.5 GB (issue 16). The bytes must still be exactly
``canonical_json(document)`` (``orchestration.lib.files``), because the manifest id is their sha256.
A document is therefore serialized once with a placeholder string per streamed list, split at the
placeholders, and each list is written from an iterator of row batches: every batch is encoded by
the same ``canonical_json`` as a list, and its brackets are dropped. The sha256 is updated with
exactly the bytes written, so no second read of the file is needed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import duckdb

from orchestration.lib.files import canonical_json, fsync_directory

#: Rows per ``fetchmany`` batch: about 10 MB of item dicts at most, whatever the data size.
BATCH_ROWS = 20_000

Sink = Callable[[bytes], None]


def placeholder(name: str) -> str:
    """The marker a streamed list stands in for while the rest of the document is serialized."""
    return f"\u2063stream:{name}\u2063"


def row_batches(
    relation: duckdb.DuckDBPyRelation, batch_rows: int = BATCH_ROWS
) -> Iterator[list[dict[str, Any]]]:
    """The relation's rows as dicts keyed by column name, ``batch_rows`` at a time.

    An Arrow record-batch reader, because DuckDB then streams the result: ``execute`` +
    ``fetchmany`` would first materialize all of it inside DuckDB. Read it to its end before the
    connection runs another statement.
    """
    for batch in relation.to_arrow_reader(batch_rows):
        yield batch.to_pylist()


def write_list(batches: Iterable[Sequence[Any]], sink: Sink) -> int:
    """Write ``[v1,v2,...]`` exactly as ``canonical_json`` would; returns the number of values."""
    count = 0
    sink(b"[")
    for batch in batches:
        if not batch:
            continue
        body = canonical_json(list(batch))[1:-1]
        sink(b"," + body if count else body)
        count += len(batch)
    sink(b"]")
    return count


def write_document(
    document: Mapping[str, Any],
    streams: Mapping[str, Iterable[Sequence[Any]]],
    sink: Sink,
) -> dict[str, int]:
    """Write ``canonical_json(document)`` where ``document[...] == placeholder(name)`` values are
    replaced by the lists ``streams[name]`` yields, in document order. Returns counts per list."""
    encoded = canonical_json(document)
    counts: dict[str, int] = {}
    markers = sorted((encoded.index(canonical_json(placeholder(name))), name) for name in streams)
    position = 0
    for offset, name in markers:
        sink(encoded[position:offset])
        counts[name] = write_list(streams[name], sink)
        position = offset + len(canonical_json(placeholder(name)))
    sink(encoded[position:])
    return counts


class HashingFile:
    """A file written under a temporary name, hashed as it is written, renamed when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.digest = hashlib.sha256()
        self.size = 0
        self._handle: BinaryIO | None = None

    def __enter__(self) -> HashingFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.temporary.open("wb")
        return self

    def write(self, data: bytes) -> None:
        assert self._handle is not None
        self._handle.write(data)
        self.digest.update(data)
        self.size += len(data)

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        assert self._handle is not None
        handle, self._handle = self._handle, None
        if kind is not None:
            handle.close()
            self.temporary.unlink(missing_ok=True)
            return
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()

    def publish(self, path: Path | None = None) -> Path:
        """Rename the complete file into place (to ``path``, e.g. named by its hash)."""
        target = path or self.path
        os.replace(self.temporary, target)
        fsync_directory(target.parent)
        return target

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


class HashingSink:
    """A sink that only hashes (for a content hash of data that is not written to a file)."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()

    def __call__(self, data: bytes) -> None:
        self.digest.update(data)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()
