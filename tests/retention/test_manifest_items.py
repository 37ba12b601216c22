"""Unit tests of manifest items and the manifest document, on small marts in a real DuckDB."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import jsonschema
import pytest

from orchestration.defs.retention import items, manifest
from orchestration.lib.deletion_manifest import (
    ITEM_FIELDS,
    SCHEMA_PATH,
    find_manifest,
    latest_manifest_path,
    load_manifest,
    load_snapshot_items,
)
from orchestration.lib.files import canonical_json, sha256_file, sha256_hex
from tests.retention.marts import (
    add_writeback,
    candidate,
    create_marts,
    publish_day,
    set_candidates,
)

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    create_marts(connection)
    return connection


def day_items(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    rows = con.execute(f"select * from {items.ITEMS} order by item_id").fetchall()
    names = [d[0] for d in con.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in rows}


def schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_a_record_under_statutory_hold_is_restricted_even_if_the_mart_said_delete(
    con, tmp_path: Path
) -> None:
    row = candidate(
        "invoices:I1",
        AS_OF,
        record_type="invoice",
        subject_type="customer",
        data_subject_id="customer:C1",
        retention_status="restricted",
        reason="erasure_request_statutory_hold",
    )
    set_candidates(con, [row])
    publish_day(con, tmp_path, AS_OF)
    item = day_items(con)["restrict:invoices:I1"]
    assert (item["action"], item["reason"], item["subject_id"]) == (
        "restrict",
        "erasure_request_statutory_hold",
        "C1",
    )


def test_a_single_field_candidate_is_anonymized_not_deleted(con, tmp_path: Path) -> None:
    photo = {
        "record_type": "customer_photo",
        "subject_type": "customer",
        "data_subject_id": "customer:C1",
    }
    set_candidates(
        con,
        [
            candidate("customers:C1:photo_path", AS_OF, **photo),
            candidate(
                "customers:C2:photo_path", AS_OF, **{**photo, "data_subject_id": "customer:C2"}
            ),
        ],
    )
    con.execute(
        "insert into intermediate.int_consents_validated values "
        "('customer', 'C1', 'customer_photos', true)"
    )
    publish_day(con, tmp_path, AS_OF)
    found = day_items(con)
    withdrawn = found["anonymize:customers:C1:photo_path"]
    assert (withdrawn["action"], withdrawn["column_name"], withdrawn["anonymize_with"]) == (
        "anonymize",
        "photo_path",
        "null",
    )
    assert withdrawn["reason"] == "consent_withdrawn"
    assert not withdrawn["is_master_record"]
    assert found["anonymize:customers:C2:photo_path"]["reason"] == "photo_without_consent"


def test_the_manifest_bytes_do_not_depend_on_the_order_rows_arrive_in(con, tmp_path: Path) -> None:
    ids = [f"P{i}" for i in range(20)]
    first = publish_day(con, tmp_path / "a", AS_OF, ids)[0]
    other = duckdb.connect()
    create_marts(other)
    second = publish_day(other, tmp_path / "b", AS_OF, list(reversed(ids)))[0]
    assert first.manifest_id == second.manifest_id
    assert first.json_path.read_bytes() == second.json_path.read_bytes()
    assert first.csv_path.read_bytes() == second.csv_path.read_bytes()


def test_a_field_of_a_deleted_record_gets_no_writeback_item(con, tmp_path: Path) -> None:
    set_candidates(
        con,
        [
            candidate(
                "service_notes:SN1", AS_OF, record_type="service_note", subject_type="customer"
            )
        ],
    )
    add_writeback(con, "SN1", "C1")
    add_writeback(con, "SN2", "C1")
    publish_day(con, tmp_path, AS_OF)
    assert list(day_items(con)) == [
        "anonymize:service_notes:SN2:note_text",
        "delete:service_notes:SN1",
    ]
    writeback = day_items(con)["anonymize:service_notes:SN2:note_text"]
    assert (writeback["anonymize_with"], writeback["data_subject_id"], writeback["due_date"]) == (
        "redacted_text",
        "customer:C1",
        AS_OF,
    )


def test_a_duplicate_item_id_is_refused(con, tmp_path: Path) -> None:
    set_candidates(con, [candidate("prospects:P1", AS_OF), candidate("prospects:P1", AS_OF)])
    with pytest.raises(ValueError, match="appears twice"):
        publish_day(con, tmp_path, AS_OF)


def test_the_published_schema_accepts_manifests_and_rejects_deleting_a_held_record(
    con, tmp_path: Path
) -> None:
    written = publish_day(con, tmp_path, AS_OF, ["P1"])[0]
    document = json.loads(written.json_path.read_bytes())
    validator = schema_validator()
    validator.validate(document)
    broken = json.loads(json.dumps(document))
    delete = next(i for i in broken["items"] if i["action"] == "delete")
    delete["retention_status"] = "legal_hold"
    assert any("legal_hold" in e.message for e in validator.iter_errors(broken))


def test_the_streamed_hashes_equal_the_sha256_of_the_bytes_they_name(
    con, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 3 rows, so the stream crosses batch boundaries on 10 items.
    monkeypatch.setattr("orchestration.lib.canonical_stream.BATCH_ROWS", 3)
    monkeypatch.setattr("orchestration.lib.canonical_stream.row_batches.__defaults__", (3,))
    add_writeback(con, "SN9", "C9")
    written = publish_day(con, tmp_path, AS_OF, [f"P{i}" for i in range(9)])[0]
    data = written.json_path.read_bytes()
    assert sha256_file(written.json_path) == written.manifest_id == written.json_path.stem
    document = json.loads(data)
    assert canonical_json(document) == data, "the streamed file is the canonical form"
    assert document["snapshot"] == {
        "sha256": sha256_hex(canonical_json(document["items"])),
        "items": 10,
    }
    assert document["summary"]["items"] == len(document["items"]) == 10
    assert (
        load_snapshot_items(con, written.manifest_id, document["snapshot"]["sha256"])
        == (document["items"])
    )
    header = written.csv_path.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(ITEM_FIELDS)


def test_written_manifests_are_content_addressed_and_a_modified_file_is_refused(
    con, tmp_path: Path
) -> None:
    written = publish_day(con, tmp_path, AS_OF, ["P1", "P2"])[0]
    assert written.json_path.name == f"{written.manifest_id}.json"
    assert latest_manifest_path(AS_OF, tmp_path) == written.json_path
    assert find_manifest(written.manifest_id[:12], tmp_path) == written.json_path
    identifier, document = load_manifest(written.json_path)
    assert identifier == written.manifest_id
    assert [i["record_id"] for i in document["items"]] == ["P1", "P2"]
    assert publish_day(con, tmp_path, AS_OF)[0] == written  # same content: left alone

    written.json_path.write_bytes(written.json_path.read_bytes().replace(b"P2", b"P3"))
    with pytest.raises(ValueError, match="does not match its name"):
        load_manifest(written.json_path)
    with pytest.raises(RuntimeError, match="modified"):
        publish_day(con, tmp_path, AS_OF)
    assert not list(tmp_path.rglob(".*.tmp-*")), "no temporary file is left behind"


def test_changed_items_in_the_table_no_longer_match_the_snapshot(con, tmp_path: Path) -> None:
    written = publish_day(con, tmp_path, AS_OF, ["P1", "P2"])[0]
    snapshot = json.loads(written.json_path.read_bytes())["snapshot"]["sha256"]
    con.execute(
        "update governance_ops.deletion_manifest_items set action = 'restrict' "
        "where record_id = 'P2'"
    )
    with pytest.raises(ValueError, match="do not hash"):
        load_snapshot_items(con, written.manifest_id, snapshot)
    assert manifest.snapshot_sha256(con) == snapshot  # the day's items are unchanged
