"""Open one exported CSV as a DuckDB relation, after checking what can be checked up front.

DuckDB's own CSV reader does the parsing (DESIGN.md principle 7). Two things it cannot do for us:
- Windows-1252 exports: DuckDB reads UTF-8, UTF-16 and Latin-1 natively, and cp1252 only through
  the ``encodings`` extension, which needs a download. Such files are transcoded on the fly into
  the reader through a streaming file object, so no transcoded copy is ever written to disk.
- A clear error for missing or extra columns, naming the file and the columns: DuckDB maps
  columns by position, so the header is compared with the contract before reading.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb

from orchestration.lib.crm_errors import CrmExportError
from orchestration.lib.crm_schema import Table

_CHUNK = 1 << 20


@dataclass(frozen=True)
class CsvFile:
    """A checked CSV file: its encoding and the header in file order."""

    path: Path
    encoding: str
    header: list[str]


def check_csv(path: Path, table: Table, declared_encoding: str | None) -> CsvFile:
    """Fail with file and column names if the file is missing, empty or has the wrong columns."""
    if not path.is_file():
        raise CrmExportError(path, f"file for table {table.name!r} is missing from the export")
    if path.stat().st_size == 0:
        raise CrmExportError(path, "file is empty (expected at least a header row)")
    encoding = declared_encoding or detect_encoding(path)
    header = _read_header(path, encoding)
    expected = table.column_names
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected columns: {', '.join(extra)}")
    if duplicated:
        problems.append(f"duplicated columns: {', '.join(duplicated)}")
    if problems:
        raise CrmExportError(
            path, "; ".join(problems) + f" (expected: {', '.join(expected)})", row=1
        )
    return CsvFile(path=path, encoding=encoding, header=header)


def detect_encoding(path: Path) -> str:
    """UTF-8 if the whole file decodes as UTF-8, else Windows-1252 (the usual CRM export)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _read_header(path: Path, encoding: str) -> list[str]:
    with path.open("r", encoding=_python_codec(encoding), newline="") as handle:
        try:
            header = next(csv.reader(handle))
        except StopIteration:
            raise CrmExportError(path, "file is empty (expected at least a header row)") from None
        except UnicodeDecodeError as exc:
            raise CrmExportError(path, f"header is not valid {encoding}", row=1) from exc
    return [h.strip() for h in header]


def _python_codec(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8" else encoding


class _TranscodingReader(io.RawIOBase):
    """Streams a file's bytes re-encoded from ``encoding`` to UTF-8, chunk by chunk."""

    def __init__(self, path: Path, encoding: str) -> None:
        self._source = path.open("rb")
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._pending = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while len(self._pending) < len(buffer) and not self._eof:
            chunk = self._source.read(_CHUNK)
            self._eof = not chunk
            self._pending += self._decoder.decode(chunk, final=self._eof).encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._source.close()
        super().close()


def open_relation(con: duckdb.DuckDBPyConnection, csv_file: CsvFile) -> duckdb.DuckDBPyRelation:
    """All columns as VARCHAR in file order; casting happens in SQL so bad cells can be named.

    Rows with the wrong number of fields are rejected by the reader into its (temporary)
    ``reject_errors`` table; the loader turns them into quarantine rows.
    """
    source: str | BinaryIO
    if csv_file.encoding == "utf-8":
        source = str(csv_file.path)
    else:
        source = io.BufferedReader(_TranscodingReader(csv_file.path, csv_file.encoding), _CHUNK)
    return con.read_csv(
        source,
        header=True,
        columns={name: "VARCHAR" for name in csv_file.header},
        delimiter=",",
        quotechar='"',
        escapechar='"',
        store_rejects=True,
        # Keep file order so the row number is the record's position in the file.
        parallel=False,
    )
