"""Phase ``applied``: delete the manifest's records from every table, in one transaction.

The counts, and the ids of the persons the erasure removes completely (needed by the later
verification, which runs after the marts that know them were changed), are written to
``governance_ops.erasure_runs`` inside the same transaction, so a kill leaves either nothing or
everything, and a re-run finds what the first attempt did instead of counting zero. The same
transaction puts the keyed hashes of the erased subjects' identifiers on the suppression list and
their requests in the evidence log (``lib/suppression_list/erased.py``), read before the delete.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.defs.erasure.plan import ErasurePlan
from orchestration.defs.erasure.state import pause_point
from orchestration.lib.deletion_manifest import legally_held
from orchestration.lib.secrets import scan_hmac_key
from orchestration.lib.suppression_list.erased import remember_erased_subjects
from orchestration.lib.table_keys import (
    KeyTables,
    create_key_tables,
    discover_tables,
    field_statements,
    fill_key_table,
    record_condition,
)
from orchestration.lib.warehouse import ERASURE_RUNS_TABLE, OPS_SCHEMA, table_exists

KEY_PREFIX = "_erasure"

RUNS_DDL = (
    f"create schema if not exists {OPS_SCHEMA}",
    f"""create table if not exists {ERASURE_RUNS_TABLE} (
        execution_id varchar not null,
        manifest_id varchar not null,
        applied_at timestamp not null,
        counts_json varchar not null,
        records_planned integer not null,
        fields_planned integer not null,
        skipped_legal_hold_json varchar not null,
        erased_subject_ids_json varchar not null
    )""",
)


@dataclass(frozen=True)
class AppliedErasure:
    #: ``{"schema.table": {"rows_deleted": n, "fields_cleared": n}}``, tables with changes only.
    counts: dict[str, dict[str, int]]
    records_planned: int
    fields_planned: int
    #: ``[record_table, record_id]`` of records left alone because of an active legal hold.
    skipped_legal_hold: list[list[str]]
    #: Subject ids of persons with no record left after the erasure (for the key scan).
    erased_subject_ids: list[str]

    @property
    def rows_deleted(self) -> int:
        return sum(c.get("rows_deleted", 0) for c in self.counts.values())

    @property
    def fields_cleared(self) -> int:
        return sum(c.get("fields_cleared", 0) for c in self.counts.values())


def ensure_runs_table(con: duckdb.DuckDBPyConnection) -> None:
    for statement in RUNS_DDL:
        con.execute(statement)


def recorded_run(con: duckdb.DuckDBPyConnection, execution_id: str) -> AppliedErasure | None:
    if not table_exists(con, OPS_SCHEMA, "erasure_runs"):
        return None
    rows = con.execute(
        f"""select counts_json, records_planned, fields_planned, skipped_legal_hold_json,
                   erased_subject_ids_json
            from {ERASURE_RUNS_TABLE} where execution_id = ?""",
        [execution_id],
    ).fetchall()
    if not rows:
        return None
    counts, records, fields, skipped, subject_ids = rows[0]
    return AppliedErasure(
        json.loads(counts), records, fields, json.loads(skipped), json.loads(subject_ids)
    )


def fully_erased_persons(
    con: duckdb.DuckDBPyConnection, keys: KeyTables
) -> tuple[list[str], list[str]]:
    """Subject ids of persons none of whose records survive the erasure.

    A person whose master record goes can still have records kept for their own reasons (a
    recipient log, a consent proof): their ids legitimately stay, so only persons with nothing
    left are scanned for in every column afterwards. Read from the governance marts before the
    erasure changes them; without the marts, nobody qualifies (the record checks still run).
    Returns their subject ids and person ids.
    """
    if not (
        table_exists(con, "governance", "data_subjects")
        and table_exists(con, "governance", "record_retention_statuses")
    ):
        return [], []
    rows = con.execute(
        f"""with candidate_persons as (
                select person_id from governance.data_subjects
                group by person_id
                having bool_and(data_subject_id in (select data_subject_id from {keys.subjects}))
            ),
            surviving as (
                select distinct r.person_id from governance.record_retention_statuses r
                where r.person_id in (select person_id from candidate_persons)
                  and (r.record_table, r.record_id) not in
                      (select record_table, record_id from {keys.records})
            )
            select s.subject_id, s.person_id from governance.data_subjects s
            where s.person_id in (select person_id from candidate_persons)
              and s.person_id not in (select person_id from surviving)
            order by 1, 2"""
    ).fetchall()
    return sorted({r[0] for r in rows}), sorted({r[1] for r in rows})


def delete_planned(
    con: duckdb.DuckDBPyConnection, effective: ErasurePlan, key_prefix: str
) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Run the plan's deletes and field clearings in the open transaction.

    Returns ``({"schema.table": {"rows_deleted": n, "fields_cleared": n}}, erased subject
    ids)``. The erasure commits what this does; the dry run (``dry_run.py``) rolls it back, so
    what the dry run reports is by construction what the erasure would change.
    """
    keys = create_key_tables(
        con, effective.records, effective.fields, effective.subjects, [], key_prefix
    )
    subject_ids, person_ids = fully_erased_persons(con, keys)
    fill_key_table(con, keys.persons, ("person_id",), ((p,) for p in person_ids))
    counts: dict[str, dict[str, int]] = {}
    for table in discover_tables(con):
        change: dict[str, int] = {}
        condition = record_condition(table, keys)
        if condition:
            deleted = con.execute(f"delete from {table.qualified} where {condition}")
            change["rows_deleted"] = int(deleted.fetchall()[0][0])
        for statement in field_statements(table, keys, effective.field_columns):
            changed = int(con.execute(statement.sql).fetchall()[0][0])
            kind = "fields_cleared" if statement.kind == "update" else "rows_deleted"
            change[kind] = change.get(kind, 0) + changed
        if any(change.values()):
            counts[table.label] = {k: v for k, v in sorted(change.items()) if v}
    return counts, subject_ids


def apply_plan(
    con: duckdb.DuckDBPyConnection,
    plan: ErasurePlan,
    execution_id: str,
    manifest_id: str,
    pause_directory: Path,
    now: dt.datetime,
) -> AppliedErasure:
    """Delete and clear everything the plan names, once per execution id."""
    ensure_runs_table(con)
    done = recorded_run(con, execution_id)
    if done is not None:
        return done
    held = legally_held(con, now.replace(tzinfo=None))
    effective = plan.without(held)
    planned = {*plan.records, *((t, r) for t, r, _ in plan.fields)}
    skipped = sorted([t, r] for t, r in planned & held)
    key = scan_hmac_key()
    con.execute("begin transaction")
    try:
        # Before the delete: the suppression list keeps re-delivered copies out (Art. 17(1) GDPR).
        remember_erased_subjects(con, key, effective.subjects, manifest_id, now)
        counts, subject_ids = delete_planned(con, effective, KEY_PREFIX)
        result = AppliedErasure(
            counts, len(effective.records), len(effective.fields), skipped, subject_ids
        )
        con.execute(
            f"insert into {ERASURE_RUNS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                execution_id,
                manifest_id,
                now.replace(tzinfo=None),
                json.dumps(counts, sort_keys=True),
                result.records_planned,
                result.fields_planned,
                json.dumps(skipped),
                json.dumps(subject_ids),
            ],
        )
        pause_point(pause_directory, "before_commit")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    pause_point(pause_directory, "after_commit")
    return result
