"""At ingest: rows of erased subjects are not loaded, they are quarantined as ``erased_subject``.

Per Arrow batch (the loader streams), each identifier column is hashed and looked up in the
``erased`` hashes (one set per load, as large as the list, not the table). A matching row goes
to ``landing.quarantine`` with its row number and reason only, before the scanner sees it.

Two exceptions, both decided here:
- A matching row whose record the warehouse still holds (the erasure kept it for its own
  reason: a legal hold, a consent proof, an invoice under §147 AO) is loaded: the erasure
  decided on it, and re-ingest must not delete what the erasure kept.
- A request row (``data_subject_requests``) of an erased subject is evidence: it goes to the
  minimal evidence log (hashed subject, dates, outcome) and is quarantined in clear, so the
  plain subject id does not come back with every export.
With an empty list nothing is hashed: the check costs nothing until someone is erased.

The ingest reaches this module only through the seam ``orchestration/lib/ingest_suppression.py``
(``ErasedSubjectSuppression`` is wired in ``orchestration/defs/resources.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.lib.crm_schema import Table
from orchestration.lib.ingest_suppression import ERASED_SUBJECT
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.secrets import scan_hmac_key
from orchestration.lib.suppression_list.evidence import REQUEST_COLUMNS, record_requests
from orchestration.lib.suppression_list.identifiers import digest_identifier
from orchestration.lib.suppression_list.store import (
    ERASED,
    SUPPRESSION_TABLE,
    ensure_tables,
    hashes,
)
from orchestration.lib.suppression_list.subjects import (
    IDENTIFIER_COLUMNS,
    REQUESTS_TABLE,
    IdentifierColumn,
)
from orchestration.lib.warehouse import fetch_first, table_exists

__all__ = ["ERASED_SUBJECT", "ErasedSubjectSuppression", "IngestSuppression"]


class ErasedSubjectSuppression:
    """The ``IngestSuppressor`` of the ingest seam: rows of erased subjects stay out."""

    def version(self, con: duckdb.DuckDBPyConnection, table: Table) -> str | None:
        """Digest of the erased hashes (``None`` for a table without identifier columns)."""
        if not IDENTIFIER_COLUMNS.get(table.name):
            return None
        ensure_tables(con)
        row = fetch_first(
            con.execute(
                f"""select count(*), sha256(coalesce(string_agg(h, ',' order by h), ''))
                    from (select distinct identifier_hash as h from {SUPPRESSION_TABLE}
                          where kind = ?)""",
                [ERASED],
            )
        )
        count, digest = row if row else (0, "")
        return f"erased-{count}-{str(digest)[:16]}"

    def prepare(self, con: duckdb.DuckDBPyConnection, table: Table) -> IngestSuppression | None:
        return IngestSuppression.prepare(con, table)


@dataclass
class IngestSuppression:
    """The erased hashes and the state one table load needs to suppress its rows."""

    table: Table
    key: bytes
    #: Raw HMAC digests of the ``erased`` entries.
    erased: frozenset[bytes]
    columns: tuple[IdentifierColumn, ...]

    @classmethod
    def prepare(cls, con: duckdb.DuckDBPyConnection, table: Table) -> IngestSuppression | None:
        """None when nothing can match (no identifier columns, or nobody erased)."""
        columns = IDENTIFIER_COLUMNS.get(table.name, ())
        if not columns:
            return None
        erased = frozenset(bytes.fromhex(h) for h in hashes(con, ERASED))
        if not erased:
            return None
        return cls(table, scan_hmac_key(), erased, columns)

    def split(
        self, con: duckdb.DuckDBPyConnection, good: pa.Table, recorded_at: dt.datetime
    ) -> tuple[pa.Table, list[int]]:
        """Rows to load, and the row numbers of rows suppressed (requests: logged first)."""
        matched = self._matches(good)
        if not any(matched):
            return good, []
        candidates = good.filter(pa.array(matched))
        if self.table.name == REQUESTS_TABLE:
            record_requests(
                con, self.key, candidates.select(list(REQUEST_COLUMNS)).to_pylist(), recorded_at
            )
            kept: set[str] = set()
        else:
            kept = self._still_held(con, candidates[self.table.primary_key].to_pylist())
        keys = good[self.table.primary_key].to_pylist()
        suppress = [m and k not in kept for m, k in zip(matched, keys, strict=True)]
        if not any(suppress):
            return good, []
        mask = pa.array(suppress)
        rows = good.filter(mask)["_row_number"].to_pylist()
        return good.filter(pc.invert(mask)), rows

    def _matches(self, good: pa.Table) -> list[bool]:
        """Per row: does any identifier column hash to an erased entry?

        Only the distinct values of a column are hashed (an order file repeats each customer id
        many times); the row mask is then built by Arrow's ``is_in``.
        """
        matched = pa.array([False] * good.num_rows)
        for column in self.columns:
            values = good[column.column]
            if column.type_column:
                values = pc.binary_join_element_wise(good[column.type_column], values, ":")
            hits = []
            for value in pc.unique(values).to_pylist():
                if value is None:
                    continue
                raw = f"{column.subject_type}:{value}" if column.subject_type else value
                if digest_identifier(self.key, column.identifier_kind, raw) in self.erased:
                    hits.append(value)
            if hits:
                found = pc.is_in(values, value_set=pa.array(hits, pa.string()))
                matched = pc.or_(matched, pc.fill_null(found, False))
        return matched.to_pylist()

    def _still_held(self, con: duckdb.DuckDBPyConnection, record_ids: list[str]) -> set[str]:
        """Of these records, those the current landing table holds (kept by the erasure)."""
        if not table_exists(con, LANDING_SCHEMA, self.table.name):
            return set()
        key = quote(self.table.primary_key)
        rows = con.execute(
            f"""select {key} from {LANDING_SCHEMA}.{quote(self.table.name)}
                where {key} in (select unnest(?::varchar[]))""",
            [record_ids],
        ).fetchall()
        return {r[0] for r in rows}
