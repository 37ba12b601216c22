"""Warehouse access in one place: names, quoting, existence checks, reader and writer connections.

Every domain reaches the warehouse through this module, so another engine (Spark, the next issue)
implements one small interface, ``Warehouse``, instead of hunting ``duckdb.connect`` calls and
schema names through the domains. ``DuckDBWarehouse`` is the embedded default.

Why a thin subclass of dagster-duckdb's ``DuckDBResource``: it already owns connection handling;
we only add the settings every connection must carry (no extension downloads, DESIGN.md
"Offline switches") and the documented test-only switch ``CRM_DUCKDB_FORCE_COMPRESSION``: strings
in DuckDB are FSST/dictionary compressed, so the canary leak test must write them uncompressed
before a byte search of the file can prove anything (DESIGN.md "Compression hides strings").
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import duckdb
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from orchestration.lib import settings

#: Schema of the CRM tables as ingested (one table per CRM table, plus ingest bookkeeping).
LANDING_SCHEMA = "landing"
#: Schema of the governance bookkeeping tables (manifests, audit log, suppression list, evidence).
OPS_SCHEMA = "governance_ops"

# Governance bookkeeping tables that more than one domain (or the report) names.
AUDIT_LOG_TABLE = f"{OPS_SCHEMA}.audit_log"
DELETION_MANIFESTS_TABLE = f"{OPS_SCHEMA}.deletion_manifests"
DELETION_MANIFEST_ITEMS_TABLE = f"{OPS_SCHEMA}.deletion_manifest_items"
ERASURE_RUNS_TABLE = f"{OPS_SCHEMA}.erasure_runs"
QUALITY_CHECK_RESULTS_TABLE = f"{OPS_SCHEMA}.quality_check_results"
SUPPRESSION_LIST_TABLE = f"{OPS_SCHEMA}.suppression_list"
REQUEST_EVIDENCE_TABLE = f"{OPS_SCHEMA}.request_evidence_log"

#: Rows per Arrow batch when a caller streams a result (bounded memory whatever the table size).
DEFAULT_BATCH_ROWS = 100_000


def quote(identifier: str) -> str:
    """Quote a SQL identifier (names come from the contract, but quoting is cheap insurance)."""
    return '"' + identifier.replace('"', '""') + '"'


def qualified(schema: str, name: str) -> str:
    """``"schema"."name"``, both parts quoted."""
    return f"{quote(schema)}.{quote(name)}"


def landing_table(name: str) -> str:
    """The qualified name of ``landing.<name>`` (CRM table names are plain identifiers)."""
    return f"{LANDING_SCHEMA}.{quote(name)}"


#: Settings applied to every warehouse connection.
OFFLINE_CONNECTION_CONFIG: dict[str, object] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


#: DuckDB's buffer limit per process unless ``CRM_DUCKDB_MEMORY_LIMIT`` says otherwise. DuckDB's
#: own default is 80% of the machine's memory, so a big CRM grew the run until the machine ran
#: out; with a limit, joins, aggregates and sorts spill to ``<warehouse>.tmp/`` (inside the data
#: directory). dbt's profile reads the same variable.
DEFAULT_MEMORY_LIMIT = "1GB"


def memory_limit() -> str:
    """The DuckDB memory limit of every warehouse connection (dbt's included)."""
    return os.environ.get("CRM_DUCKDB_MEMORY_LIMIT", "").strip() or DEFAULT_MEMORY_LIMIT


def connection_config() -> dict[str, object]:
    """Connection settings, plus the test-only compression override when it is set."""
    config = dict(OFFLINE_CONNECTION_CONFIG)
    config["memory_limit"] = memory_limit()
    forced = os.environ.get("CRM_DUCKDB_FORCE_COMPRESSION", "").strip()
    if forced:
        config["force_compression"] = forced
    return config


class WarehouseResource(DuckDBResource):
    """Read-write access to the warehouse; only assets in the warehouse pool use it."""

    @classmethod
    def from_settings(cls) -> WarehouseResource:
        path = settings.warehouse_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(database=str(path), connection_config=connection_config())

    def engine(self) -> DuckDBWarehouse:
        """The same database as a ``Warehouse`` (for code that does not need Dagster)."""
        return DuckDBWarehouse(self.database)


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse outside Dagster (CLI summaries, tests) with the offline settings."""
    return duckdb.connect(str(path), read_only=read_only, config=connection_config())


@contextmanager
def read_only(path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection that is always closed (a lingering one blocks the next writer)."""
    con = connect(path, read_only=True)
    try:
        yield con
    finally:
        con.close()


def fetch_first(cursor: duckdb.DuckDBPyConnection) -> tuple | None:  # type: ignore[type-arg]
    """First row of a result, reading it to the end.

    DuckDB 2.0 refuses further statements on a connection while a result is unfinished, so a
    ``fetchone()`` that leaves rows behind would break the next statement.
    """
    rows = cursor.fetchall()
    return tuple(rows[0]) if rows else None


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """Whether ``schema.name`` exists (a first run, or a run that stopped early, lacks tables)."""
    row = fetch_first(
        con.execute(
            """select count(*) from information_schema.tables
               where table_schema = ? and table_name = ?""",
            [schema, name],
        )
    )
    return bool(row and row[0])


def has_table(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    """``table_exists`` for a ``schema.table`` name."""
    schema, name = qualified.split(".", 1)
    return table_exists(con, schema, name)


@runtime_checkable
class Warehouse(Protocol):
    """What a warehouse engine provides to the pipeline (DuckDB today; Spark implements the same).

    Connections are context managers so a reader never lingers (a lingering DuckDB reader blocks
    the next writer) and a writer is always closed. Results stream as Arrow batches: no caller
    needs a row set proportional to the data in Python (issue 16, contract C5).
    """

    def writer(self) -> AbstractContextManager[Any]:
        """The one read-write connection (DESIGN.md principle 5: one writer)."""
        ...

    def read_only(self) -> AbstractContextManager[Any]:
        """A connection that cannot change the warehouse (UI, CLI summaries, reports)."""
        ...

    def table_exists(self, schema: str, name: str) -> bool:
        """Whether ``schema.name`` exists (first runs and failed runs lack tables)."""
        ...

    def query_scalar(self, sql: str, params: Sequence[object] = ()) -> object:
        """The first column of the first row of a read-only query (``None`` when empty)."""
        ...

    def fetch_batches(
        self, sql: str, params: Sequence[object] = (), batch_rows: int = DEFAULT_BATCH_ROWS
    ) -> Iterator[pa.RecordBatch]:
        """A read-only query's result as Arrow record batches of at most ``batch_rows`` rows."""
        ...


class DuckDBWarehouse:
    """``Warehouse`` on one embedded DuckDB file, with the offline connection settings.

    ``table_exists``, ``query_scalar`` and ``fetch_batches`` open their own read-only connection,
    which DuckDB refuses while this process holds a writer on the file (DESIGN.md "One writer"):
    inside a writing step, use the writer's connection and the module functions instead.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(self.path)
        try:
            yield con
        finally:
            con.close()

    def read_only(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return read_only(self.path)

    def table_exists(self, schema: str, name: str) -> bool:
        with self.read_only() as con:
            return table_exists(con, schema, name)

    def query_scalar(self, sql: str, params: Sequence[object] = ()) -> object:
        with self.read_only() as con:
            row = fetch_first(con.execute(sql, list(params)))
        return row[0] if row else None

    def fetch_batches(
        self, sql: str, params: Sequence[object] = (), batch_rows: int = DEFAULT_BATCH_ROWS
    ) -> Iterator[pa.RecordBatch]:
        with self.read_only() as con:
            # ``sql(...).to_arrow_reader`` streams; ``execute(...)`` would copy the rows first.
            relation = con.sql(sql, params=list(params) or None)
            yield from relation.to_arrow_reader(batch_rows)
