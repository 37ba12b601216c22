"""The one DuckDB warehouse resource and read-only access to it.

Why a thin subclass of dagster-duckdb's ``DuckDBResource``: it already owns connection handling;
we only add the settings every connection must carry (no extension downloads, DESIGN.md
"Offline switches") and the documented test-only switch ``CRM_DUCKDB_FORCE_COMPRESSION``: strings
in DuckDB are FSST/dictionary compressed, so the canary leak test must write them uncompressed
before a byte search of the file can prove anything (DESIGN.md "Compression hides strings").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster_duckdb import DuckDBResource

from orchestration.lib import settings

#: Schema of the governance bookkeeping tables (manifests, audit log, suppression list, evidence).
OPS_SCHEMA = "governance_ops"

#: Settings applied to every warehouse connection.
OFFLINE_CONNECTION_CONFIG: dict[str, object] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def connection_config() -> dict[str, object]:
    """Connection settings, plus the test-only compression override when it is set."""
    config = dict(OFFLINE_CONNECTION_CONFIG)
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
