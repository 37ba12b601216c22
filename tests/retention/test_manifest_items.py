"""Unit tests of manifest items and the manifest document (no pipeline run needed)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import jsonschema
import pytest

from orchestration.defs.retention.items import build_items, candidate_item, load_policy
from orchestration.defs.retention.manifest import (
    SCHEMA_PATH,
    build_manifest,
    csv_bytes,
    find_manifest,
    latest_manifest_path,
    load_manifest,
    manifest_id,
    write_manifest,
)
from orchestration.defs.retention.sources import WritebackField

AS_OF = dt.date(2026, 11, 23)


def candidate(record_key: str, **overrides: object) -> dict[str, object]:
    table, record_id, *field = record_key.split(":")
    row: dict[str, object] = {
        "record_key": record_key,
        "record_table": table,
        "record_id": record_id,
        "field_name": field[0] if field else None,
        "record_type": "prospect",
        "subject_type": "prospect",
        "data_subject_id": f"prospect:{record_id}",
        "person_id": f"prospect:{record_id}",
        "action": "delete",
        "retention_status": "expired",
        "reason": "retention_period_expired",
        "rule_id": "prospect_24m",
        "legal_reference": "Art. 17 DSGVO",
        "deadline": dt.date(2026, 1, 31),
        "request_id": None,
        "due_date": dt.date(2026, 2, 1),
        "is_overdue": True,
        "as_of_date": AS_OF,
    }
    row.update(overrides)
    return row


def schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def sample_manifest(candidates: list[dict[str, object]]) -> dict[str, object]:
    writeback = [WritebackField("service_notes", "SN1", "note_text", "customer", "C1")]
    items = build_items(candidates, writeback, frozenset(), AS_OF, load_policy())
    return build_manifest(AS_OF, items, ["export-1"], [["rule", "1"]])


def test_a_record_under_statutory_hold_is_restricted_even_if_the_mart_said_delete() -> None:
    row = candidate(
        "invoices:I1",
        record_type="invoice",
        subject_type="customer",
        data_subject_id="customer:C1",
        retention_status="restricted",
        reason="erasure_request_statutory_hold",
    )
    item = candidate_item(row, frozenset())
    assert item["action"] == "restrict"
    assert item["reason"] == "erasure_request_statutory_hold"


def test_a_single_field_candidate_is_anonymized_not_deleted() -> None:
    row = candidate(
        "customers:C1:photo_path",
        record_type="customer_photo",
        subject_type="customer",
        data_subject_id="customer:C1",
    )
    item = candidate_item(row, frozenset({"C1"}))
    assert (item["action"], item["column"], item["anonymize_with"]) == (
        "anonymize",
        "photo_path",
        "null",
    )
    assert item["reason"] == "consent_withdrawn"
    assert candidate_item(row, frozenset())["reason"] == "photo_without_consent"


def test_the_manifest_bytes_do_not_depend_on_the_order_rows_arrive_in() -> None:
    rows = [candidate(f"prospects:P{i}") for i in range(20)]
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    assert manifest_id(sample_manifest(rows)) == manifest_id(sample_manifest(shuffled))


def test_a_field_of_a_deleted_record_gets_no_writeback_item() -> None:
    rows = [candidate("service_notes:SN1", record_type="service_note", subject_type="customer")]
    items = sample_manifest(rows)["items"]
    assert [i["item_id"] for i in items] == ["delete:service_notes:SN1"]


def test_the_published_schema_accepts_manifests_and_rejects_deleting_a_held_record() -> None:
    manifest = sample_manifest([candidate("prospects:P1")])
    validator = schema_validator()
    validator.validate(manifest)
    broken = json.loads(json.dumps(manifest))
    delete = next(i for i in broken["items"] if i["action"] == "delete")
    delete["retention_status"] = "legal_hold"
    assert any("legal_hold" in e.message for e in validator.iter_errors(broken))


def test_written_manifests_are_content_addressed_and_a_modified_file_is_refused(
    tmp_path: Path,
) -> None:
    manifest = sample_manifest([candidate("prospects:P1"), candidate("prospects:P2")])
    written = write_manifest(manifest, tmp_path)
    assert written.json_path.name == f"{written.manifest_id}.json"
    assert written.csv_path.read_bytes() == csv_bytes(manifest["items"])
    assert latest_manifest_path(AS_OF, tmp_path) == written.json_path
    assert find_manifest(written.manifest_id[:12], tmp_path) == written.json_path
    assert load_manifest(written.json_path) == (written.manifest_id, manifest)
    assert write_manifest(manifest, tmp_path) == written  # same content: left alone

    written.json_path.write_bytes(written.json_path.read_bytes().replace(b"P2", b"P3"))
    with pytest.raises(ValueError, match="does not match its name"):
        load_manifest(written.json_path)
    with pytest.raises(RuntimeError, match="modified"):
        write_manifest(manifest, tmp_path)
    assert not list(tmp_path.rglob(".*.tmp-*")), "no temporary file is left behind"
