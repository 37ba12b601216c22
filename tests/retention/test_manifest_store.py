"""The manifest tables: the diff against the previous manifest, and pruning of old items."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from orchestration.defs.retention import store
from orchestration.defs.retention.items import build_items, load_policy
from orchestration.defs.retention.manifest import build_manifest, write_manifest


def record(con: duckdb.DuckDBPyConnection, tmp_path: Path, as_of: dt.date, ids: list[str]) -> str:
    rows = [
        {
            "record_key": f"prospects:{i}",
            "record_table": "prospects",
            "record_id": i,
            "field_name": None,
            "record_type": "prospect",
            "subject_type": "prospect",
            "data_subject_id": f"prospect:{i}",
            "person_id": f"prospect:{i}",
            "action": "delete",
            "retention_status": "expired",
            "reason": "retention_period_expired",
            "rule_id": "prospect_24m",
            "legal_reference": "Art. 17 DSGVO",
            "deadline": as_of,
            "request_id": None,
            "due_date": as_of,
            "is_overdue": False,
            "as_of_date": as_of,
        }
        for i in ids
    ]
    manifest = build_manifest(
        as_of, build_items(rows, [], frozenset(), as_of, load_policy()), [], []
    )
    written = write_manifest(manifest, tmp_path)
    previous = store.previous_manifest_id(con, written.manifest_id, as_of)
    diff = store.diff_against(con, previous, [i["item_id"] for i in manifest["items"]])
    store.record_manifest(con, written, manifest, diff, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    return written.manifest_id


def test_the_diff_counts_new_carried_over_and_resolved_items(tmp_path: Path) -> None:
    con = duckdb.connect()
    store.ensure_tables(con)
    first = record(con, tmp_path, dt.date(2026, 11, 22), ["P1", "P2", "P3"])
    second = record(con, tmp_path, dt.date(2026, 11, 23), ["P2", "P3", "P4"])
    diff = store.recorded_diff(con, second)
    assert diff == store.ManifestDiff(first, new_items=1, carried_over_items=2, resolved_items=1)


def test_items_of_old_manifests_are_pruned_but_their_headers_stay(tmp_path: Path) -> None:
    con = duckdb.connect()
    store.ensure_tables(con)
    old = record(con, tmp_path, dt.date(2026, 1, 1), ["P1"])
    new = record(con, tmp_path, dt.date(2026, 11, 23), ["P2"])
    assert store.prune_items(con, dt.date(2026, 11, 23), keep_days=90) == 1
    kept = con.execute(
        "select distinct manifest_id from governance_ops.deletion_manifest_items"
    ).fetchall()
    assert kept == [(new,)]
    headers = con.execute("select count(*) from governance_ops.deletion_manifests").fetchall()
    assert headers == [(2,)] and old != new
