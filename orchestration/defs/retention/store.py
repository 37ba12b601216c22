"""The manifests as tables in the ``governance_ops`` schema, and the diff against the previous one.

``governance_ops`` belongs to the Python side of the pipeline (dbt never writes it): manifests,
their items and the erasure audit mirror. It holds ids, codes, dates and counts, never names,
contact data or text; it is the evidence of what was planned and done (Art. 5(2) GDPR), so the
erasure job deliberately leaves it in place.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from orchestration.defs.retention.manifest import WrittenManifest
from orchestration.lib.warehouse import OPS_SCHEMA

#: Days of manifests whose items stay in the table (by as_of). The JSON/CSV files are the
#: immutable record; the table serves the diff, the report and access exports, and would
#: otherwise grow by every held record every day. ``CRM_MANIFEST_ITEMS_KEEP_DAYS`` overrides.
DEFAULT_ITEMS_KEEP_DAYS = 90

DDL = (
    f"create schema if not exists {OPS_SCHEMA}",
    f"""create table if not exists {OPS_SCHEMA}.deletion_manifests (
        manifest_id varchar not null,
        as_of date not null,
        item_count integer not null,
        delete_items integer not null,
        anonymize_items integer not null,
        restrict_items integer not null,
        json_path varchar not null,
        csv_path varchar not null,
        previous_manifest_id varchar,
        new_items integer not null,
        carried_over_items integer not null,
        resolved_items integer not null,
        first_written_at timestamp not null
    )""",
    f"""create table if not exists {OPS_SCHEMA}.deletion_manifest_items (
        manifest_id varchar not null,
        item_id varchar not null,
        action varchar not null,
        reason varchar not null,
        rule_id varchar,
        legal_reference varchar,
        due_date date,
        is_overdue boolean,
        deadline date,
        request_id varchar,
        retention_status varchar,
        subject_type varchar,
        subject_id varchar,
        data_subject_id varchar,
        person_id varchar,
        record_table varchar not null,
        record_id varchar not null,
        record_key varchar not null,
        record_type varchar,
        column_name varchar,
        is_master_record boolean not null,
        anonymize_with varchar
    )""",
)


@dataclass(frozen=True)
class ManifestDiff:
    previous_manifest_id: str | None
    new_items: int
    carried_over_items: int
    resolved_items: int


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def previous_manifest_id(
    con: duckdb.DuckDBPyConnection, current_id: str, as_of: dt.date
) -> str | None:
    """The newest other manifest on or before ``as_of`` (the one the DPO saw last)."""
    rows = con.execute(
        f"""select manifest_id from {OPS_SCHEMA}.deletion_manifests
            where manifest_id <> ? and as_of <= ?
            order by as_of desc, first_written_at desc limit 1""",
        [current_id, as_of],
    ).fetchall()
    return rows[0][0] if rows else None


def recorded_diff(con: duckdb.DuckDBPyConnection, manifest_id: str) -> ManifestDiff | None:
    """The diff stored when the manifest was first recorded (a re-run reports the same)."""
    rows = con.execute(
        f"""select previous_manifest_id, new_items, carried_over_items, resolved_items
            from {OPS_SCHEMA}.deletion_manifests where manifest_id = ?""",
        [manifest_id],
    ).fetchall()
    return ManifestDiff(*rows[0]) if rows else None


def diff_against(
    con: duckdb.DuckDBPyConnection, previous_id: str | None, item_ids: Sequence[str]
) -> ManifestDiff:
    """New, carried over and resolved items, compared by item id (action + record key)."""
    current = set(item_ids)
    if previous_id is None:
        return ManifestDiff(None, len(current), 0, 0)
    rows = con.execute(
        f"select item_id from {OPS_SCHEMA}.deletion_manifest_items where manifest_id = ?",
        [previous_id],
    ).fetchall()
    previous = {r[0] for r in rows}
    return ManifestDiff(
        previous_id,
        new_items=len(current - previous),
        carried_over_items=len(current & previous),
        resolved_items=len(previous - current),
    )


def record_manifest(
    con: duckdb.DuckDBPyConnection,
    written: WrittenManifest,
    manifest: dict[str, Any],
    diff: ManifestDiff,
    now: dt.datetime,
) -> bool:
    """Insert the manifest and its items once (in one transaction); False if already there."""
    exists = con.execute(
        f"select count(*) from {OPS_SCHEMA}.deletion_manifests where manifest_id = ?",
        [written.manifest_id],
    ).fetchall()[0][0]
    if exists:
        return False
    by_action = manifest["summary"]["by_action"]
    con.execute("begin transaction")
    try:
        con.execute(
            f"insert into {OPS_SCHEMA}.deletion_manifests values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                written.manifest_id,
                manifest["as_of"],
                written.item_count,
                by_action["delete"],
                by_action["anonymize"],
                by_action["restrict"],
                str(written.json_path),
                str(written.csv_path),
                diff.previous_manifest_id,
                diff.new_items,
                diff.carried_over_items,
                diff.resolved_items,
                now.replace(tzinfo=None),
            ],
        )
        _insert_items(con, written.manifest_id, str(written.csv_path))
        stored = con.execute(
            f"select count(*) from {OPS_SCHEMA}.deletion_manifest_items where manifest_id = ?",
            [written.manifest_id],
        ).fetchall()[0][0]
        if stored != written.item_count:
            raise RuntimeError(f"stored {stored} manifest items, expected {written.item_count}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return True


def _insert_items(con: duckdb.DuckDBPyConnection, manifest_id: str, csv_path: str) -> None:
    """Bulk insert from the manifest's own CSV (row-by-row ``executemany`` takes seconds)."""
    con.execute(
        f"""insert into {OPS_SCHEMA}.deletion_manifest_items
            select ?, item_id, action, reason, rule_id, legal_reference,
                   cast(due_date as date), cast(is_overdue as boolean), cast(deadline as date),
                   request_id, retention_status, subject_type, subject_id, data_subject_id,
                   person_id, record_table, record_id, record_key, record_type, "column",
                   cast(is_master_record as boolean), anonymize_with
            from read_csv(?, header = true, all_varchar = true, quote = '"', escape = '"')""",
        [manifest_id, csv_path],
    )


def items_keep_days() -> int:
    return int(os.environ.get("CRM_MANIFEST_ITEMS_KEEP_DAYS", DEFAULT_ITEMS_KEEP_DAYS))


def prune_items(con: duckdb.DuckDBPyConnection, as_of: dt.date, keep_days: int) -> int:
    """Drop items of manifests older than ``keep_days`` before ``as_of``; headers stay.

    The ``delete`` items of a manifest an erasure executed stay: they are the record of what was
    erased (ids only), and the staging foreign-key tests read them to tell a child the erasure
    left behind on purpose from a real orphan (dbt macro ``erased_record_ids``).
    """
    cutoff = as_of - dt.timedelta(days=keep_days)
    executed = (
        f"""and not (action = 'delete' and manifest_id in
                    (select manifest_id from {OPS_SCHEMA}.erasure_runs))"""
        if _has_table(con, "erasure_runs")
        else ""
    )
    rows = con.execute(
        f"""delete from {OPS_SCHEMA}.deletion_manifest_items
            where manifest_id in (
                select manifest_id from {OPS_SCHEMA}.deletion_manifests where as_of < ?)
            {executed}""",
        [cutoff],
    ).fetchall()
    return int(rows[0][0])


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [OPS_SCHEMA, table],
        ).fetchall()[0][0]
    )
