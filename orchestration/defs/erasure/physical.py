"""Phases ``copied`` and ``replaced``: make the deletion physical.

DuckDB keeps deleted rows' bytes in the file (freed blocks are not zeroed, deleted rows stay in
live blocks) and changed strings in the WAL until a checkpoint; neither CHECKPOINT nor VACUUM
removes them (DESIGN.md "DuckDB keeps old bytes"). What does: write the database to a fresh file
with ``COPY FROM DATABASE`` (schemas, tables, views, constraints, comments), check the row count
of every table, close every connection, atomically replace the old file, and delete the old WAL.

The fresh file is written beside the warehouse (same file system, so the rename is atomic) under
the warehouse's own file name inside a work directory: the database's catalog name comes from
the file name, and views refer to it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.files import fsync_directory
from orchestration.lib.warehouse import connect, quote

SOURCE_ALIAS = "erasure_source"


@dataclass(frozen=True)
class CopyResult:
    path: Path
    tables: int
    views: int
    rows: int


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def work_directory(warehouse: Path, manifest_id: str) -> Path:
    return warehouse.parent / f".{warehouse.stem}.erasure-{manifest_id[:16]}"


def checkpoint_away_wal(warehouse: Path) -> None:
    """Fold a leftover WAL into the file (a clean open + CHECKPOINT + close removes it)."""
    if wal_path(warehouse).exists():
        con = connect(warehouse)
        try:
            con.execute("checkpoint")
        finally:
            con.close()
    if wal_path(warehouse).exists():
        raise RuntimeError(f"{wal_path(warehouse).name} survived a checkpoint; is it open?")


def _table_counts(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    tables = con.execute(
        """select schema_name, table_name from duckdb_tables()
           where database_name = ? order by 1, 2""",
        [catalog],
    ).fetchall()
    counts = {}
    for schema, name in tables:
        qualified = f"{quote(catalog)}.{quote(schema)}.{quote(name)}"
        counts[f"{schema}.{name}"] = int(
            con.execute(f"select count(*) from {qualified}").fetchall()[0][0]
        )
    return counts


def _view_names(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    rows = con.execute(
        """select schema_name, view_name from duckdb_views()
           where database_name = ? and not internal""",
        [catalog],
    ).fetchall()
    return {f"{s}.{v}" for s, v in rows}


def copy_to_fresh_file(warehouse: Path, work_dir: Path) -> CopyResult:
    """Write the whole database to ``work_dir/<warehouse name>`` and check it matches."""
    checkpoint_away_wal(warehouse)
    shutil.rmtree(work_dir, ignore_errors=True)  # a half-written copy of a killed attempt
    work_dir.mkdir(parents=True)
    fresh = work_dir / warehouse.name
    con = connect(fresh)
    try:
        target = con.execute("select current_database()").fetchall()[0][0]
        source = str(warehouse).replace("'", "''")
        con.execute(f"attach '{source}' as {SOURCE_ALIAS} (read_only)")
        con.execute(f"copy from database {SOURCE_ALIAS} to {quote(target)}")
        source_counts = _table_counts(con, SOURCE_ALIAS)
        fresh_counts = _table_counts(con, target)
        if source_counts != fresh_counts:
            differing = sorted(
                k
                for k in source_counts.keys() | fresh_counts.keys()
                if source_counts.get(k) != fresh_counts.get(k)
            )
            raise RuntimeError(f"copy differs from the warehouse in tables {differing}")
        views = _view_names(con, SOURCE_ALIAS)
        if views != _view_names(con, target):
            raise RuntimeError("copy does not have the same views as the warehouse")
        con.execute(f"detach {SOURCE_ALIAS}")
        con.execute("checkpoint")
    finally:
        con.close()
    if wal_path(fresh).exists():
        raise RuntimeError("the fresh copy kept a WAL after closing")
    with fresh.open("rb") as handle:
        os.fsync(handle.fileno())
    fsync_directory(work_dir)
    return CopyResult(fresh, len(fresh_counts), len(views), sum(fresh_counts.values()))


def replace_warehouse(warehouse: Path, work_dir: Path) -> None:
    """Atomically put the fresh copy in place of the warehouse and remove the old WAL.

    The old file was checkpointed and closed before the copy, so it has no WAL of its own; a
    ``.wal`` beside the warehouse now could only be stale and must not be replayed onto the new
    file.
    """
    fresh = work_dir / warehouse.name
    if fresh.exists():
        os.replace(fresh, warehouse)
    elif not warehouse.exists():
        raise RuntimeError(f"neither {warehouse} nor its fresh copy exists")
    wal = wal_path(warehouse)
    if wal.exists():
        wal.unlink()
    fsync_directory(warehouse.parent)
    shutil.rmtree(work_dir, ignore_errors=True)
