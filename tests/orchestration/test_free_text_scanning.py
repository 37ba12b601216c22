"""Free text is scanned and redacted before it is written; unchanged text is not scanned again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.crm.loader import load_table
from orchestration.defs.pii_scan.notifications import refresh_outbox
from orchestration.defs.pii_scan.scanner_hook import ScannerHook, load_scanner
from orchestration.defs.pii_scan.writeback import write_writeback_manifest
from orchestration.lib.crm_export import read_export
from orchestration.lib.crm_schema import CUSTOMERS, SERVICE_NOTES

KEY = bytes(range(32))
SECRET_NOTE = "Frau Kowalski hat Diabetes Typ 1, bitte an zz-marker-7731@example.org schreiben."
PLAIN_NOTE = "Lieferung kam pünktlich, alles gut."


@pytest.fixture(scope="module")
def hook() -> ScannerHook:
    return ScannerHook(load_scanner(), KEY)


def write_export(directory: Path, export_id: str, notes: list[tuple[str, str]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "export.json").write_text(
        json.dumps(
            {"export_id": export_id, "source_system": "santa-crm", "exported_at": "2026-11-23"}
        )
    )
    customers = ",".join(CUSTOMERS.column_names) + "\n"
    values = dict.fromkeys(CUSTOMERS.column_names, "")
    values.update(
        customer_id="C1",
        first_name="Ewa",
        last_name="Kowalski",
        customer_since_date="2020-01-01",
        source_channel="order",
        preferred_language="de",
        created_at="2020-01-01 00:00:00",
        updated_at="2020-01-01 00:00:00",
    )
    customers += ",".join(values[c] for c in CUSTOMERS.column_names) + "\n"
    (directory / "customers.csv").write_text(customers, encoding="utf-8")
    lines = [",".join(SERVICE_NOTES.column_names)]
    lines += [f'{note_id},C1,A1,phone,"{text}",2026-01-01 10:00:00' for note_id, text in notes]
    (directory / "service_notes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_special_category_text_is_redacted_before_it_reaches_the_warehouse(
    tmp_path: Path, hook: ScannerHook
) -> None:
    export_dir = write_export(tmp_path / "e1", "e1", [("S1", SECRET_NOTE), ("S2", PLAIN_NOTE)])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    export = read_export(export_dir)
    load_table(con, export, CUSTOMERS, hook)
    result = load_table(con, export, SERVICE_NOTES, hook)
    stored = dict(
        con.execute("select service_note_id, note_text from landing.service_notes").fetchall()
    )
    assert "Diabetes" not in stored["S1"] and "zz-marker-7731" not in stored["S1"]
    assert "<HEALTH>" in stored["S1"] and "<EMAIL_ADDRESS>" in stored["S1"]
    assert "Kowalski" not in stored["S1"], "the customer's own surname is a known name"
    assert stored["S2"] == PLAIN_NOTE
    assert result.findings_by_type["HEALTH"] == 1
    findings = con.execute(
        """select record_id, entity_type, start_offset, end_offset, scanner_version
           from landing.note_findings where entity_type = 'HEALTH'"""
    ).fetchall()
    start = SECRET_NOTE.index("Diabetes")
    assert findings[0][:3] == ("S1", "HEALTH", start)
    assert findings[0][3] >= start + len("Diabetes")
    assert findings[0][4] == hook.scanner_version
    every_value = repr(con.execute("select * from landing.note_findings").fetchall())
    assert "Diabetes" not in every_value and "marker" not in every_value


def test_unchanged_text_is_not_scanned_again_and_keeps_its_first_finding_date(
    tmp_path: Path, hook: ScannerHook
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = read_export(write_export(tmp_path / "e1", "e1", [("S1", SECRET_NOTE)]))
    load_table(con, first, CUSTOMERS, hook)
    load_table(con, first, SERVICE_NOTES, hook)
    found_at = con.execute("select found_at from landing.note_findings limit 1").fetchall()
    second = read_export(
        write_export(tmp_path / "e2", "e2", [("S1", SECRET_NOTE), ("S2", "Er ist Diabetiker.")])
    )
    result = load_table(con, second, SERVICE_NOTES, hook)
    # S1's row is unchanged: it is neither scanned nor rewritten, its first scan stays recorded.
    assert result.rows_unchanged == 1
    assert result.scan_statuses == {"scanned": 1}
    statuses = dict(
        con.execute("select record_id, scan_status from landing.free_text_scan_status").fetchall()
    )
    assert statuses == {"S1": "scanned", "S2": "scanned"}
    assert (
        con.execute(
            "select found_at from landing.note_findings where record_id = 'S1' limit 1"
        ).fetchall()
        == found_at
    )
    assert (
        "<HEALTH>"
        in con.execute(
            "select note_text from landing.service_notes where service_note_id = 'S1'"
        ).fetchall()[0][0]
    )


def test_text_hash_is_keyed_so_a_plain_hash_of_a_guess_does_not_match(
    tmp_path: Path, hook: ScannerHook
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    export = read_export(write_export(tmp_path / "e1", "e1", [("S1", PLAIN_NOTE)]))
    load_table(con, export, SERVICE_NOTES, hook)
    stored = con.execute("select text_hmac from landing.free_text_scan_status").fetchall()[0][0]
    assert stored == hook.text_hmac(PLAIN_NOTE)
    assert stored != hashlib.sha256(PLAIN_NOTE.encode()).hexdigest()
    assert stored != ScannerHook(load_scanner(), bytes(32)).text_hmac(PLAIN_NOTE)


def test_outbox_and_writeback_name_the_field_and_categories_without_the_text(
    tmp_path: Path, hook: ScannerHook
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    export = read_export(
        write_export(tmp_path / "e1", "e1", [("S1", SECRET_NOTE), ("S2", PLAIN_NOTE)])
    )
    load_table(con, export, CUSTOMERS, hook)
    load_table(con, export, SERVICE_NOTES, hook)
    special = load_scanner().config.special_category_entities
    assert refresh_outbox(con, special) == 1
    assert refresh_outbox(con, special) == 0, "a re-run adds no duplicate notification"
    assert con.execute(
        """select subject_type, subject_id, record_table, record_id, column_name, categories,
                  notification_status from landing.redaction_notifications"""
    ).fetchall() == [("customer", "C1", "service_notes", "S1", "note_text", "HEALTH", "pending")]
    manifest = tmp_path / "writeback.jsonl"
    assert write_writeback_manifest(con, manifest) == 1
    line = json.loads(manifest.read_text(encoding="utf-8"))
    assert (line["table"], line["record_id"], line["column"]) == (
        "service_notes",
        "S1",
        "note_text",
    )
    assert "HEALTH" in line["categories"]
    assert "Diabetes" not in manifest.read_text(encoding="utf-8")
