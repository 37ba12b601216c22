"""The nightly run writes the notification file the CRM sends from (ids and categories only)."""

from __future__ import annotations

import json

from orchestration.lib.warehouse import read_only


def test_the_notification_file_lists_pending_redactions_and_completed_requests(
    pipeline_run,
) -> None:
    directory = pipeline_run.data_dir / "outputs" / "notifications" / pipeline_run.as_of.isoformat()
    lines = (directory / "notifications.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    with read_only(pipeline_run.warehouse_path) as con:
        pending = con.execute(
            """select count(*) from landing.redaction_notifications
               where notification_status = 'pending'"""
        ).fetchall()[0][0]
        completed = con.execute(
            """select count(*) from governance.data_subject_requests
               where completed_date is not null and request_status <> 'rejected'"""
        ).fetchall()[0][0]
    kinds = [r["kind"] for r in records]
    assert (kinds.count("redaction"), kinds.count("request_completed")) == (pending, completed)
    assert pending > 0
    ids = [r["notification_id"] for r in records]
    assert ids == sorted(set(ids)), "ids are unique and stable (sorted) for the CRM to dedupe"
    csv_lines = (directory / "notifications.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_lines) == len(records) + 1
    assert "@" not in "\n".join(lines), "no contact data: the CRM looks it up by subject id"
