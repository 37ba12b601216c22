"""The manifest tables: the daily diff against the previous manifest, and retention pruning."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.retention import pruning, store
from orchestration.lib.audit_log import audit_log_path, find_entries, verify_audit_log
from orchestration.lib.deletion_manifest import (
    RETENTION_ENV,
    load_manifest,
    load_snapshot_items,
    retention_days,
)
from tests.retention.marts import candidate, create_marts, publish_day, set_candidates

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    create_marts(connection)
    return connection


def test_the_diff_manifest_lists_exactly_the_added_removed_and_status_changed_items(
    con, tmp_path: Path
) -> None:
    day1 = dt.date(2026, 11, 22)
    day2 = dt.date(2026, 11, 23)
    first = publish_day(con, tmp_path, day1, ["P1", "P2", "P3", "P4"])[0]
    set_candidates(
        con,
        [
            candidate("prospects:P2", day2),
            candidate("prospects:P3", day2, is_overdue=False),  # status changed
            candidate("prospects:P4", day2),
            candidate("prospects:P5", day2),  # added; P1 removed
        ],
    )
    written, summary, diff, inserted = publish_day(con, tmp_path, day2)
    assert inserted
    assert diff == store.ManifestDiff(
        first.manifest_id,
        new_items=1,
        carried_over_items=3,
        resolved_items=1,
        status_changed_items=1,
    )
    _, document = load_manifest(written.json_path)
    assert [i["item_id"] for i in document["items"]] == [
        "delete:prospects:P3",
        "delete:prospects:P5",
    ]
    assert document["changes"] == {
        "previous_manifest_id": first.manifest_id,
        "added": 1,
        "status_changed": 1,
        "removed": ["delete:prospects:P1"],
    }
    assert summary["items"] == document["snapshot"]["items"] == 4
    # The full set stays queryable, and is what the erasure of the day-2 manifest reads.
    full = load_snapshot_items(con, written.manifest_id, document["snapshot"]["sha256"])
    assert [i["record_id"] for i in full] == ["P2", "P3", "P4", "P5"]
    assert written.json_path.stat().st_size < first.json_path.stat().st_size
    assert written.csv_path.read_text("utf-8").count("\n") == 1 + 2


def test_a_rerun_of_the_same_day_gives_the_same_bytes_and_diff(con, tmp_path: Path) -> None:
    day1, day2 = dt.date(2026, 11, 22), dt.date(2026, 11, 23)
    publish_day(con, tmp_path, day1, ["P1", "P2"])
    first = publish_day(con, tmp_path, day2, ["P2", "P3"])
    data = first[0].json_path.read_bytes()
    again = publish_day(con, tmp_path, day2)
    assert again[0] == first[0] and again[2] == first[2] and not again[3]
    assert again[0].json_path.read_bytes() == data
    headers = con.execute("select count(*) from governance_ops.deletion_manifests").fetchall()
    assert headers == [(2,)]


def test_pruning_removes_old_files_and_rows_and_writes_an_audit_event(con, tmp_path: Path) -> None:
    old = publish_day(con, tmp_path, dt.date(2026, 1, 1), ["P1"])[0]
    pending = publish_day(con, tmp_path, dt.date(2026, 1, 2), ["P1", "P2"])[0]
    new = publish_day(con, tmp_path, dt.date(2026, 11, 23), ["P3"])[0]
    # An erasure of the second manifest started and was interrupted: it must stay.
    state = tmp_path / "erasure" / pending.manifest_id / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"phase": "applied"}), encoding="utf-8")

    pruned = pruning.prune_manifests(con, tmp_path, dt.date(2026, 11, 23), 90, NOW)

    assert pruned == pruning.Pruned(manifests=1, item_rows=1, files=2, kept_for_pending_erasure=1)
    assert not old.json_path.exists() and not old.csv_path.exists()
    assert not old.json_path.parent.exists(), "the emptied day folder goes too"
    assert pending.json_path.exists() and new.json_path.exists()
    kept = con.execute(
        "select distinct manifest_id from governance_ops.deletion_manifest_items order by 1"
    ).fetchall()
    assert sorted(r[0] for r in kept) == sorted([pending.manifest_id, new.manifest_id])
    headers = con.execute(
        "select manifest_id, pruned_at is not null from governance_ops.deletion_manifests"
    ).fetchall()
    assert len(headers) == 3 and (old.manifest_id, True) in headers
    events = find_entries(audit_log_path(tmp_path), action="manifest_retention")
    assert [(e["event"], e["manifest_id"], e["item_rows_removed"]) for e in events] == [
        ("pruned", old.manifest_id, 1)
    ]
    assert verify_audit_log(audit_log_path(tmp_path)).ok
    # A second run prunes nothing more and logs nothing more.
    assert pruning.prune_manifests(con, tmp_path, dt.date(2026, 11, 23), 90, NOW).manifests == 0
    assert len(find_entries(audit_log_path(tmp_path), action="manifest_retention")) == 1


def test_the_next_diff_skips_a_pruned_previous_manifest(con, tmp_path: Path) -> None:
    publish_day(con, tmp_path, dt.date(2026, 1, 1), ["P1"])
    pruning.prune_manifests(con, tmp_path, dt.date(2026, 11, 23), 90, NOW)
    diff = publish_day(con, tmp_path, dt.date(2026, 11, 23), ["P1"])[2]
    assert diff.previous_manifest_id is None and diff.new_items == 1


def test_the_retention_setting_defaults_to_90_days_and_refuses_zero(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(RETENTION_ENV, raising=False)
    assert retention_days() == 90
    monkeypatch.setenv(RETENTION_ENV, "30")
    assert retention_days() == 30
    monkeypatch.setenv(RETENTION_ENV, "0")
    with pytest.raises(ValueError, match="at least 1"):
        retention_days()
