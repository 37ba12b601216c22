"""The CRM ingest against a real DuckDB file: error paths, quarantine, encodings, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.crm.loader import load_table
from orchestration.lib.crm_errors import CrmExportError
from orchestration.lib.crm_export import read_export
from orchestration.lib.crm_schema import CUSTOMERS, SERVICE_NOTES, Table
from orchestration.lib.free_text import UnscannedHook

SERVICE_HEADER = ",".join(SERVICE_NOTES.column_names)


def write_export(directory: Path, files: dict[str, bytes], encoding: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {
        "export_id": "test-export-1",
        "source_system": "santa-crm",
        "exported_at": "2026-11-23 01:00:00",
    }
    if encoding:
        manifest["encoding"] = encoding
    (directory / "export.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name, content in files.items():
        (directory / name).write_bytes(content)
    return directory


def load(
    tmp_path: Path, table: Table, export_dir: Path
) -> tuple[duckdb.DuckDBPyConnection, object]:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    result = load_table(con, read_export(export_dir), table, UnscannedHook())
    return con, result


def service_notes_csv(*rows: str) -> bytes:
    return ("\n".join([SERVICE_HEADER, *rows]) + "\n").encode("utf-8")


def quarantine_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select table_name, source_row, column_name, reason from landing.quarantine order by 2, 3"
    ).fetchall()


def test_missing_file_error_names_the_file(tmp_path: Path) -> None:
    export_dir = write_export(tmp_path / "export", {})
    with pytest.raises(
        CrmExportError, match=r"service_notes\.csv: file for table 'service_notes' is missing"
    ):
        load(tmp_path, SERVICE_NOTES, export_dir)


def test_empty_file_error_names_the_file(tmp_path: Path) -> None:
    export_dir = write_export(tmp_path / "export", {"service_notes.csv": b""})
    with pytest.raises(CrmExportError, match=r"service_notes\.csv: file is empty"):
        load(tmp_path, SERVICE_NOTES, export_dir)


def test_extra_and_missing_columns_are_named_with_file_and_header_row(tmp_path: Path) -> None:
    header = SERVICE_HEADER.replace("agent_id", "agent_name") + ",mood"
    export_dir = write_export(tmp_path / "export", {"service_notes.csv": (header + "\n").encode()})
    with pytest.raises(CrmExportError) as error:
        load(tmp_path, SERVICE_NOTES, export_dir)
    message = str(error.value)
    assert "service_notes.csv, row 1" in message
    assert "missing columns: agent_id" in message
    assert "unexpected columns: agent_name, mood" in message


def test_bad_date_is_quarantined_with_row_and_column_and_without_the_value(tmp_path: Path) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {
            "service_notes.csv": service_notes_csv(
                "S1,C1,A1,phone,Kunde ruft wegen Lieferung an,2026-01-01 10:00:00",
                "S2,C1,A1,phone,secret-note-text,31.02.2026 kaputt",
            )
        },
    )
    con, result = load(tmp_path, SERVICE_NOTES, export_dir)
    assert result.rows_loaded == 1
    assert result.rows_quarantined == 1
    assert quarantine_rows(con) == [
        ("service_notes", 2, "created_at", "not a valid TIMESTAMP value")
    ]
    stored = con.execute("select * from landing.quarantine").fetchall()
    assert "secret-note-text" not in repr(stored)
    assert "31.02.2026" not in repr(stored)


def test_duplicate_key_keeps_the_first_row_and_quarantines_the_repeat(tmp_path: Path) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {
            "service_notes.csv": service_notes_csv(
                "S1,C1,A1,phone,first,2026-01-01 10:00:00",
                "S2,C1,A1,email,second,2026-01-02 10:00:00",
                "S1,C2,A2,phone,repeat,2026-01-03 10:00:00",
            )
        },
    )
    con, result = load(tmp_path, SERVICE_NOTES, export_dir)
    assert result.rows_loaded == 2
    assert quarantine_rows(con) == [
        ("service_notes", 3, "service_note_id", "duplicate key (first seen in row 1)")
    ]
    assert con.execute(
        "select customer_id, _row_number from landing.service_notes where service_note_id = 'S1'"
    ).fetchall() == [("C1", 1)]


def test_missing_required_value_and_malformed_row_are_quarantined_with_file_row_numbers(
    tmp_path: Path,
) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {
            "service_notes.csv": service_notes_csv(
                'S1,C1,A1,phone,"zwei\nZeilen",2026-01-01 10:00:00',
                "S2,C1,A1,phone,too,many,fields,2026-01-01 10:00:00",
                "S3,,A1,email,ok,2026-01-02 10:00:00",
                "S4,C4,A1,email,ok,2026-01-02 10:00:00",
            )
        },
    )
    con, result = load(tmp_path, SERVICE_NOTES, export_dir)
    assert result.rows_loaded == 2
    assert quarantine_rows(con) == [
        ("service_notes", 2, None, "malformed row (too many columns)"),
        ("service_notes", 3, "customer_id", "required value is missing"),
    ]
    assert con.execute(
        "select service_note_id, _row_number from landing.service_notes order by 2"
    ).fetchall() == [("S1", 1), ("S4", 4)]


def test_windows_1252_export_keeps_umlauts_and_typographic_quotes(tmp_path: Path) -> None:
    text = "Frau Müller wünscht „Weißbier-Gläser“ für 20 €"
    content = service_notes_csv(f"S1,C1,A1,phone,{text},2026-01-01 10:00:00").decode()
    export_dir = write_export(tmp_path / "export", {"service_notes.csv": content.encode("cp1252")})
    con, result = load(tmp_path, SERVICE_NOTES, export_dir)
    assert result.encoding == "cp1252"
    assert con.execute("select note_text from landing.service_notes").fetchone() == (text,)


def test_declared_cp1252_encoding_is_used_without_detection(tmp_path: Path) -> None:
    content = service_notes_csv("S1,C1,A1,phone,Größe,2026-01-01 10:00:00").decode()
    export_dir = write_export(
        tmp_path / "export", {"service_notes.csv": content.encode("cp1252")}, encoding="cp1252"
    )
    con, _result = load(tmp_path, SERVICE_NOTES, export_dir)
    assert con.execute("select note_text from landing.service_notes").fetchone() == ("Größe",)


def test_columns_in_another_order_are_mapped_by_name(tmp_path: Path) -> None:
    columns = list(reversed(SERVICE_NOTES.column_names))
    values = {
        "service_note_id": "S1",
        "customer_id": "C1",
        "agent_id": "A1",
        "contact_channel": "phone",
        "note_text": "hallo",
        "created_at": "2026-01-01 10:00:00",
    }
    content = ",".join(columns) + "\n" + ",".join(values[c] for c in columns) + "\n"
    export_dir = write_export(tmp_path / "export", {"service_notes.csv": content.encode()})
    con, _ = load(tmp_path, SERVICE_NOTES, export_dir)
    assert con.execute(
        "select service_note_id, customer_id, note_text from landing.service_notes"
    ).fetchall() == [("S1", "C1", "hallo")]


def test_rerunning_the_same_export_changes_nothing(tmp_path: Path) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {"service_notes.csv": service_notes_csv("S1,C1,A1,phone,x,2026-01-01 10:00:00")},
    )
    con, first = load(tmp_path, SERVICE_NOTES, export_dir)
    snapshot = {
        t: con.execute(f"select * from landing.{t} order by all").fetchall()
        for t in ("service_notes", "quarantine", "free_text_scan_status", "ingest_log")
    }
    second = load_table(con, read_export(export_dir), SERVICE_NOTES, UnscannedHook())
    assert not first.skipped_unchanged
    assert second.skipped_unchanged
    assert second.rows_loaded == 1
    for table, rows in snapshot.items():
        assert con.execute(f"select * from landing.{table} order by all").fetchall() == rows


def test_free_text_passes_the_scanner_seam_and_is_recorded_as_unscanned(tmp_path: Path) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {
            "service_notes.csv": service_notes_csv(
                "S1,C1,A1,phone,Text,2026-01-01 10:00:00", "S2,C1,A1,phone,,2026-01-01 10:00:00"
            )
        },
    )
    con, result = load(tmp_path, SERVICE_NOTES, export_dir)
    assert result.free_text_values == 1
    assert con.execute(
        "select table_name, column_name, record_id, scan_status from landing.free_text_scan_status"
    ).fetchall() == [("service_notes", "note_text", "S1", "unscanned")]


def test_checksum_mismatch_with_export_manifest_is_an_error(tmp_path: Path) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {"customers.csv": (",".join(CUSTOMERS.column_names) + "\n").encode()},
    )
    manifest = json.loads((export_dir / "export.json").read_text())
    manifest["tables"] = {"customers": {"file": "customers.csv", "sha256": "0" * 64}}
    (export_dir / "export.json").write_text(json.dumps(manifest))
    with pytest.raises(CrmExportError, match=r"sha256 differs from export\.json"):
        load(tmp_path, CUSTOMERS, export_dir)


def test_header_only_file_loads_an_empty_table(tmp_path: Path) -> None:
    export_dir = write_export(
        tmp_path / "export", {"customers.csv": (",".join(CUSTOMERS.column_names) + "\n").encode()}
    )
    con, result = load(tmp_path, CUSTOMERS, export_dir)
    assert result.rows_loaded == 0
    assert con.execute("select count(*) from landing.customers").fetchone() == (0,)


def test_ingest_leaves_no_view_over_the_raw_export_in_the_warehouse(tmp_path: Path) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {"service_notes.csv": service_notes_csv("S1,C1,A1,phone,x,2026-01-01 10:00:00")},
    )
    con, _ = load(tmp_path, SERVICE_NOTES, export_dir)
    con.close()
    reopened = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    assert (
        reopened.execute("select view_name from duckdb_views() where not internal").fetchall() == []
    )


def test_repeated_keys_and_malformed_rows_are_found_across_batches_without_a_sort(
    tmp_path: Path,
) -> None:
    export_dir = write_export(
        tmp_path / "export",
        {
            "service_notes.csv": service_notes_csv(
                "S1,C1,A1,phone,first,2026-01-01 10:00:00",
                "S2,C1,A1,phone,too,many,fields,2026-01-01 10:00:00",
                "S3,,A1,email,invalid S3 does not count,2026-01-02 10:00:00",
                "S3,C1,A1,email,first valid S3,2026-01-02 10:00:00",
                "S5,C1,A1,email,ok,2026-01-02 10:00:00",
                "S1,C2,A2,phone,repeat of S1,2026-01-03 10:00:00",
                "S3,C3,A1,email,repeat of S3,2026-01-02 10:00:00",
            )
        },
    )
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    result = load_table(con, read_export(export_dir), SERVICE_NOTES, UnscannedHook(), batch_rows=2)
    assert result.rows_loaded == 3
    assert quarantine_rows(con) == [
        ("service_notes", 2, None, "malformed row (too many columns)"),
        ("service_notes", 3, "customer_id", "required value is missing"),
        ("service_notes", 6, "service_note_id", "duplicate key (first seen in row 1)"),
        ("service_notes", 7, "service_note_id", "duplicate key (first seen in row 4)"),
    ]
    assert con.execute(
        "select service_note_id, customer_id, _row_number from landing.service_notes order by 3"
    ).fetchall() == [("S1", "C1", 1), ("S3", "C1", 4), ("S5", "C1", 5)]
