"""The manifests as tables in the ``governance_ops`` schema, and the diff against the previous one.

``governance_ops`` belongs to the Python side of the pipeline (dbt never writes it): manifests,
their items and the erasure audit mirror. It holds ids, codes, dates and counts, never names,
contact data or text; it is the evidence of what was planned and done (Art. 5(2) GDPR), so the
erasure job deliberately leaves it in place.

``deletion_manifest_items`` holds each manifest's *full* item set (the erasure, the report and
access exports read it), for ``CRM_MANIFEST_RETENTION_DAYS`` (``pruning.py``). The diff is computed
here, in SQL, against the newest earlier manifest whose items are still in the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from orchestration.defs.retention.items import ITEMS
from orchestration.lib.deletion_manifest import ITEM_FIELDS, ITEMS_TABLE, MANIFESTS_TABLE
from orchestration.lib.warehouse import OPS_SCHEMA

#: Temporary tables of the day's diff: added or status-changed item ids, and removed item ids.
CHANGED = "_manifest_changed"
REMOVED = "_manifest_removed"

#: Fields whose change makes a carried-over item "status changed". ``due_date`` is left out: the
#: write-back items are due at each run's as_of, and a retention item's due date follows its
#: ``deadline``, which is compared.
STATUS_FIELDS = (
    "reason",
    "rule_id",
    "legal_reference",
    "is_overdue",
    "deadline",
    "request_id",
    "retention_status",
    "anonymize_with",
)

DDL = (
    f"create schema if not exists {OPS_SCHEMA}",
    f"""create table if not exists {MANIFESTS_TABLE} (
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
    # Added by issue 16 (existing warehouses get them on the next run).
    f"alter table {MANIFESTS_TABLE} add column if not exists snapshot_sha256 varchar",
    f"alter table {MANIFESTS_TABLE} add column if not exists status_changed_items integer",
    f"alter table {MANIFESTS_TABLE} add column if not exists pruned_at timestamp",
    f"""create table if not exists {ITEMS_TABLE} (
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

ITEM_COLUMNS = ", ".join("column_name" if f == "column" else f for f in ITEM_FIELDS)


@dataclass(frozen=True)
class ManifestDiff:
    previous_manifest_id: str | None
    new_items: int
    carried_over_items: int
    resolved_items: int
    status_changed_items: int = 0


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def same_snapshot(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, snapshot_sha256: str
) -> tuple[str, str | None] | None:
    """``(manifest_id, previous_manifest_id)`` of a manifest already recorded for this as_of and
    full item set: a re-run, which must diff against the same previous manifest (same bytes)."""
    rows = con.execute(
        f"""select manifest_id, previous_manifest_id from {MANIFESTS_TABLE}
            where as_of = ? and snapshot_sha256 = ?
            order by first_written_at, manifest_id limit 1""",
        [as_of, snapshot_sha256],
    ).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def previous_manifest_id(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> str | None:
    """The newest manifest on or before ``as_of`` whose items are still kept (the DPO saw it)."""
    rows = con.execute(
        f"""select manifest_id from {MANIFESTS_TABLE}
            where as_of <= ? and pruned_at is null
            order by as_of desc, first_written_at desc, manifest_id desc limit 1""",
        [as_of],
    ).fetchall()
    return rows[0][0] if rows else None


def stage_diff(con: duckdb.DuckDBPyConnection, previous_id: str | None) -> ManifestDiff:
    """Fill ``CHANGED`` (item id, ``added``/``status_changed``) and ``REMOVED`` in SQL."""
    changed = " or ".join(f"p.{f} is distinct from c.{f}" for f in STATUS_FIELDS)
    con.execute(
        f"""create or replace temp table {CHANGED} as
            select c.item_id, case when p.item_id is null then 'added' else 'status_changed' end
                   as change
            from {ITEMS} c
            left join (select * from {ITEMS_TABLE} where manifest_id = $previous) p
              on p.item_id = c.item_id
            where p.item_id is null or {changed}
            order by c.item_id""",
        {"previous": previous_id},
    )
    con.execute(
        f"""create or replace temp table {REMOVED} as
            select p.item_id from {ITEMS_TABLE} p
            where p.manifest_id = $previous
              and p.item_id not in (select item_id from {ITEMS})
            order by p.item_id""",
        {"previous": previous_id},
    )
    rows = con.execute(
        f"""select (select count(*) from {CHANGED} where change = 'added'),
                   (select count(*) from {CHANGED} where change = 'status_changed'),
                   (select count(*) from {REMOVED}),
                   (select count(*) from {ITEMS})"""
    ).fetchall()
    added, status_changed, removed, total = rows[0]
    return ManifestDiff(
        previous_id,
        new_items=int(added),
        carried_over_items=int(total) - int(added),
        resolved_items=int(removed),
        status_changed_items=int(status_changed),
    )


def recorded_diff(con: duckdb.DuckDBPyConnection, manifest_id: str) -> ManifestDiff | None:
    """The diff stored when the manifest was first recorded (a re-run reports the same)."""
    rows = con.execute(
        f"""select previous_manifest_id, new_items, carried_over_items, resolved_items,
                   coalesce(status_changed_items, 0)
            from {MANIFESTS_TABLE} where manifest_id = ?""",
        [manifest_id],
    ).fetchall()
    return ManifestDiff(*rows[0]) if rows else None


def record_manifest(
    con: duckdb.DuckDBPyConnection,
    header: dict[str, object],
    diff: ManifestDiff,
    now: dt.datetime,
) -> bool:
    """Insert the manifest and its full item set once (one transaction); False if already there.

    ``header``: manifest_id, as_of, item_count, by_action, json_path, csv_path, snapshot_sha256.
    """
    manifest_id = str(header["manifest_id"])
    exists = con.execute(
        f"select count(*) from {MANIFESTS_TABLE} where manifest_id = ?", [manifest_id]
    ).fetchall()[0][0]
    if exists:
        return False
    by_action: dict[str, int] = header["by_action"]  # type: ignore[assignment]
    con.execute("begin transaction")
    try:
        con.execute(
            f"""insert into {MANIFESTS_TABLE} (manifest_id, as_of, item_count, delete_items,
                    anonymize_items, restrict_items, json_path, csv_path, previous_manifest_id,
                    new_items, carried_over_items, resolved_items, first_written_at,
                    snapshot_sha256, status_changed_items)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                manifest_id,
                header["as_of"],
                header["item_count"],
                by_action["delete"],
                by_action["anonymize"],
                by_action["restrict"],
                header["json_path"],
                header["csv_path"],
                diff.previous_manifest_id,
                diff.new_items,
                diff.carried_over_items,
                diff.resolved_items,
                now.replace(tzinfo=None),
                header["snapshot_sha256"],
                diff.status_changed_items,
            ],
        )
        con.execute(
            f"""insert into {ITEMS_TABLE} (manifest_id, {ITEM_COLUMNS})
                select ?, {ITEM_COLUMNS} from {ITEMS} order by item_id""",
            [manifest_id],
        )
        stored = con.execute(
            f"select count(*) from {ITEMS_TABLE} where manifest_id = ?", [manifest_id]
        ).fetchall()[0][0]
        if stored != header["item_count"]:
            raise RuntimeError(f"stored {stored} manifest items, expected {header['item_count']}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return True
