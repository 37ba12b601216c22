"""Check each row of an exported CSV without sorting the file: casts, problems, keys, row hash.

Why two passes instead of one sorted pass: finding repeated keys with a window over the whole
file (``row_number() over (partition by key order by row)``) made DuckDB sort every row, notes
included, before the first batch could stream. Instead:

1. ``scan_file`` runs one aggregate over the key column only (``group by key having count(*) >
   1``): the repeated keys (usually none) and, from the reader's ``reject_errors``, the lines it
   could not parse. Memory: DuckDB's hash table of keys, no row content.
2. ``stream_sql`` numbers rows with ``row_number() over ()`` (a streaming window: no sort), casts
   every cell, lists each row's problems as ``column|reason`` and computes ``_row_hash`` over the
   raw cells (``lib/landing_tables.py``). ``RowChecker.split`` turns each batch into rows to
   load and quarantine rows; of a repeated key, the first valid row in the file wins.

Messages name the file row and column, never the value.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.lib.crm_schema import Table
from orchestration.lib.landing_tables import quote, row_hash_sql

#: Session variables (of the reader cursor only) holding the HMAC pads of the row hash, so the
#: key never appears in query text.
INNER_PAD_VARIABLE = "crm_row_hash_inner_pad"
OUTER_PAD_VARIABLE = "crm_row_hash_outer_pad"
#: Name under which a query addresses the CSV (a virtual table of that query only: a named view
#: would be persisted in the warehouse and keep pointing at the raw export).
CSV_ROWS = "crm_csv_rows"


@dataclass(frozen=True)
class QuarantineRow:
    """One rejected cell or row: where it was and why, never what it held."""

    source_row: int | None
    column_name: str | None
    reason: str
    #: For a repeated key: the row that kept the key.
    first_row: int | None = None

    @property
    def message(self) -> str:
        if self.first_row is not None:
            return f"{self.reason} (first seen in row {self.first_row})"
        return self.reason


@dataclass(frozen=True)
class FileScan:
    """What the key-only pass found: repeated keys and lines the reader rejected."""

    repeated_keys: frozenset[str]
    #: Data rows (1-based, header excluded) the reader rejected, ascending.
    rejected_rows: tuple[int, ...]
    structural: tuple[QuarantineRow, ...]


def scan_file(
    relation: duckdb.DuckDBPyRelation, reader: duckdb.DuckDBPyConnection, table: Table
) -> FileScan:
    """The key-only pass over the file (see the module docstring)."""
    key = quote(table.primary_key)
    repeated = relation.query(
        CSV_ROWS,
        f"select {key} from {CSV_ROWS} where {key} is not null group by all having count(*) > 1",
    ).fetchall()
    structural = structural_rejects(reader)
    rejected = tuple(sorted({q.source_row for q in structural if q.source_row is not None}))
    return FileScan(frozenset(str(r[0]) for r in repeated), rejected, tuple(structural))


def structural_rejects(reader: duckdb.DuckDBPyConnection) -> list[QuarantineRow]:
    """Lines the CSV reader itself rejected (wrong number of fields, broken quoting).

    Only the line number, column and error kind are taken; ``csv_line`` and the message, which
    quote the raw line, are never read.
    """
    try:
        rows = reader.execute(
            "select line, any_value(column_name), min(error_type) from reject_errors"
            " group by line order by line"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    # One entry per line (a line with two surplus fields is reported twice). The reader's
    # ``line`` counts records with the header as line 1, so the data row is ``line - 1``.
    return [
        QuarantineRow(int(line) - 1, column, f"malformed row ({str(kind).lower()})")
        for line, column, kind in rows
    ]


def stream_sql(table: Table) -> str:
    """Number, cast and check every row, and hash its raw cells; file order, no sort."""
    checks = []
    casts = []
    for column in table.columns:
        name = quote(column.name)
        if not column.nullable:
            checks.append(
                f"case when {name} is null then '{column.name}|required value is missing' end"
            )
        if column.duckdb_type != "VARCHAR":
            reason = f"not a valid {column.duckdb_type} value"
            checks.append(
                f"case when {name} is not null"
                f" and try_cast({name} as {column.duckdb_type}) is null"
                f" then '{column.name}|{reason}' end"
            )
            casts.append(f"try_cast({name} as {column.duckdb_type}) as {name}")
        else:
            casts.append(name)
    all_checks = ", ".join(checks)
    problems = f"list_filter([{all_checks}], lambda p: p is not null)" if checks else "[]"
    row_hash = row_hash_sql(
        table.column_names,
        f"getvariable('{INNER_PAD_VARIABLE}')",
        f"getvariable('{OUTER_PAD_VARIABLE}')",
    )
    return f"""
        select
            row_number() over () as _row_number,
            {problems}::varchar[] as _problems,
            {row_hash} as _row_hash,
            {", ".join(casts)}
        from {CSV_ROWS}
    """


def set_row_hash_key(reader: duckdb.DuckDBPyConnection, pads: tuple[bytes, bytes]) -> None:
    reader.execute(f"set variable {INNER_PAD_VARIABLE} = ?::blob", [pads[0]])
    reader.execute(f"set variable {OUTER_PAD_VARIABLE} = ?::blob", [pads[1]])


@dataclass
class RowChecker:
    """Splits streamed batches into rows to load and quarantine rows, batch after batch."""

    table: Table
    scan: FileScan
    #: Of each repeated key, the file row of its first valid occurrence (few: repeats only).
    first_valid: dict[str, int] = field(default_factory=dict)
    _next_row: int = 1

    def split(self, batch: pa.RecordBatch) -> tuple[pa.Table, list[QuarantineRow]]:
        """Rows to load (``_row_number``: file row) and quarantine rows (bad cells, repeats)."""
        data = pa.Table.from_batches([batch])
        data = self._file_rows(data)
        bad = pc.greater(pc.list_value_length(data["_problems"]), 0)
        rejected: list[QuarantineRow] = []
        flagged = data.filter(bad)
        for row_number, problems in zip(
            flagged["_row_number"].to_pylist(), flagged["_problems"].to_pylist(), strict=True
        ):
            for problem in problems:
                column, reason = problem.split("|", 1)
                rejected.append(QuarantineRow(row_number, column, reason))
        good = data.filter(pc.invert(bad))
        if self.scan.repeated_keys and good.num_rows:
            good, repeats = self._drop_repeats(good)
            rejected.extend(repeats)
        return good.drop_columns(["_problems"]), rejected

    def _file_rows(self, data: pa.Table) -> pa.Table:
        """Check the stream is in file order, and renumber rows around the reader's rejects."""
        count = data.num_rows
        expected = pa.array(range(self._next_row, self._next_row + count), pa.int64())
        if count and not pc.all(pc.equal(data["_row_number"], expected)).as_py():
            raise RuntimeError(f"{self.table.file_name}: rows did not stream in file order")
        self._next_row += count
        rejected = self.scan.rejected_rows
        if not rejected or not count:
            return data
        # The reader numbers accepted rows only: the n-th accepted row is file row n + k, k the
        # rejected rows r_i (0-based i) with r_i - i <= n.
        shifted = [r - i for i, r in enumerate(rejected)]
        file_rows = [n + bisect_right(shifted, n) for n in expected.to_pylist()]
        index = data.schema.get_field_index("_row_number")
        return data.set_column(index, "_row_number", pa.array(file_rows, pa.int64()))

    def _drop_repeats(self, good: pa.Table) -> tuple[pa.Table, list[QuarantineRow]]:
        key_name = self.table.primary_key
        candidates = pc.is_in(good[key_name], value_set=pa.array(sorted(self.scan.repeated_keys)))
        positions = pc.indices_nonzero(candidates).to_pylist()
        if not positions:
            return good, []
        subset = good.take(positions).select([key_name, "_row_number"]).to_pylist()
        repeat = [False] * good.num_rows
        rejected = []
        for position, row in zip(positions, subset, strict=True):
            key, row_number = str(row[key_name]), row["_row_number"]
            first = self.first_valid.setdefault(key, row_number)
            if first != row_number:
                repeat[position] = True
                rejected.append(QuarantineRow(row_number, key_name, "duplicate key", first))
        if not rejected:
            return good, []
        return good.filter(pc.invert(pa.array(repeat))), rejected
