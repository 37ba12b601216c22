"""The seam between the ingest and the suppression list: which rows of a load are not loaded.

The ingest (``defs/crm``) must keep rows of erased subjects out of the warehouse, but the list of
erased subjects, its hashing and its exceptions belong to the suppression domain
(``defs/suppression/ingest.py``). The ingest only knows these two protocols; the composition root
(``orchestration/defs/resources.py``) hands it the implementation. So the two domains do not
import each other, and a test can pass a load no suppression at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import duckdb
import pyarrow as pa

from orchestration.lib.crm_schema import Table

#: Quarantine reason of a row kept out because its subject was erased (contract with the report).
ERASED_SUBJECT = "erased_subject"


class TableSuppression(Protocol):
    """Suppression for one table load, prepared once per load."""

    def split(
        self, con: duckdb.DuckDBPyConnection, good: pa.Table, recorded_at: dt.datetime
    ) -> tuple[pa.Table, list[int]]:
        """Rows to load, and the ``_row_number`` of each row kept out (``ERASED_SUBJECT``)."""
        ...


class IngestSuppressor(Protocol):
    """What the ingest asks the suppression domain, per table load."""

    def version(self, con: duckdb.DuckDBPyConnection, table: Table) -> str | None:
        """A digest of the list state a load of ``table`` depends on (``None``: none).

        An unchanged file is loaded again (by key) when this changes, so a subject erased since
        the last load is quarantined from the re-delivered rows.
        """
        ...

    def prepare(self, con: duckdb.DuckDBPyConnection, table: Table) -> TableSuppression | None:
        """The suppression of one load; ``None`` when nothing can match."""
        ...
