"""The incremental ingest against real DuckDB files and the real scanner (issue 16, C1-C3).

A generated sample export is loaded, then a copy of it with a few notes edited, rows removed or a
subject erased; the warehouse must end as a fresh full load of the copy would, having scanned
only what changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.crm.loader import LoadResult, load_table
from orchestration.defs.pii_scan import scanner_hook
from orchestration.defs.pii_scan.scanner_hook import ScannerHook, load_scanner
from orchestration.defs.suppression.ingest import ErasedSubjectSuppression
from orchestration.lib.crm_export import read_export
from orchestration.lib.crm_schema import CUSTOMERS, SERVICE_NOTES, Table
from orchestration.lib.landing_tables import row_hash
from orchestration.lib.secrets import scan_hmac_key
from orchestration.lib.suppression_list.identifiers import SUBJECT_ID, hash_identifier
from orchestration.lib.suppression_list.store import ERASED, SuppressionEntry, add_entries

TABLES = (CUSTOMERS, SERVICE_NOTES)
FIRST_LOAD = dt.datetime(2026, 11, 23, 2, 0, 0)
SECOND_LOAD = dt.datetime(2026, 11, 24, 2, 0, 0)
EDIT = " Rückruf am Telefon vereinbart."


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "export"
    arguments = ["--out", str(out), "--customers", "120", "--seed", "5", "--as-of", "2026-11-23"]
    subprocess.run(
        [sys.executable, "-m", "orchestration.sample_crm", *arguments],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def hook() -> ScannerHook:
    return ScannerHook(load_scanner(), scan_hmac_key(), workers=1)


def derive(
    sample: Path,
    target: Path,
    export_id: str,
    edit: Callable[[list[dict[str, str]]], list[dict[str, str]]] | None = None,
) -> Path:
    """Copy the export under a new id; ``edit`` rewrites the service notes' rows."""
    shutil.copytree(sample, target)
    manifest = json.loads((target / "export.json").read_text(encoding="utf-8"))
    manifest["export_id"] = export_id
    if edit is not None:
        path = target / SERVICE_NOTES.file_name
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        rows = edit(rows)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, SERVICE_NOTES.column_names, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        entry = manifest["tables"][SERVICE_NOTES.name]
        entry["rows"] = len(rows)
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (target / "export.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def load_all(
    con: duckdb.DuckDBPyConnection,
    export_dir: Path,
    hook: ScannerHook,
    at: dt.datetime,
) -> dict[str, LoadResult]:
    export = read_export(export_dir)
    return {
        table.name: load_table(
            con,
            export,
            table,
            hook,
            suppression=ErasedSubjectSuppression(),
            now=lambda: at,
        )
        for table in TABLES
    }


def landing(con: duckdb.DuckDBPyConnection, table: Table) -> set[tuple]:
    """Rows of a landing table without the columns that describe the load that wrote them."""
    return set(
        con.execute(
            f"select * exclude (_loaded_at, _export_id) from landing.{table.name}"
        ).fetchall()
    )


def findings(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(
        con.execute(
            """select record_id, column_name, entity_type, start_offset, end_offset, score,
                      recognizer, scanner_version
               from landing.note_findings where record_table = 'service_notes'"""
        ).fetchall()
    )


def rescanned(con: duckdb.DuckDBPyConnection, at: dt.datetime) -> set[str]:
    """Notes the scanner saw in the load at ``at`` (its scan status rows carry that time)."""
    return {
        r[0]
        for r in con.execute(
            """select record_id from landing.free_text_scan_status
               where table_name = 'service_notes' and scan_status = 'scanned'
                 and scanned_at = ?""",
            [at],
        ).fetchall()
    }


def every_nth_note_edited(n: int) -> Callable[[list[dict[str, str]]], list[dict[str, str]]]:
    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for index, row in enumerate(rows):
            if index % n == 0 and row["note_text"]:
                row["note_text"] += EDIT
        return rows

    return edit


def test_an_unchanged_file_is_not_loaded_again_under_a_new_export_id(
    sample: Path, tmp_path: Path, hook: ScannerHook
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_all(con, sample, hook, FIRST_LOAD)
    before = {t.name: landing(con, t) for t in TABLES}
    log_rows = con.execute("select count(*) from landing.ingest_log").fetchall()
    again = load_all(con, derive(sample, tmp_path / "next", "next-night"), hook, SECOND_LOAD)
    assert all(result.skipped_unchanged for result in again.values())
    assert con.execute("select count(*) from landing.ingest_log").fetchall() == log_rows
    assert {t.name: landing(con, t) for t in TABLES} == before
    assert con.execute(
        "select count(*) from landing.service_notes where _loaded_at <> ?", [FIRST_LOAD]
    ).fetchall() == [(0,)]


def test_a_few_changed_notes_are_the_only_ones_scanned_and_landing_equals_a_fresh_load(
    sample: Path, tmp_path: Path, hook: ScannerHook
) -> None:
    changed_export = derive(sample, tmp_path / "changed", "changed", every_nth_note_edited(25))
    with changed_export.joinpath(SERVICE_NOTES.file_name).open(encoding="utf-8") as handle:
        edited = {r["service_note_id"] for r in csv.DictReader(handle) if EDIT in r["note_text"]}
    assert edited

    con = duckdb.connect(str(tmp_path / "incremental.duckdb"))
    load_all(con, sample, hook, FIRST_LOAD)
    results = load_all(con, changed_export, hook, SECOND_LOAD)

    notes = results[SERVICE_NOTES.name]
    assert results[CUSTOMERS.name].skipped_unchanged
    assert not notes.full_reload
    assert (notes.rows_written, notes.rows_deleted) == (len(edited), 0)
    assert notes.rows_unchanged == notes.rows_loaded - len(edited)
    assert rescanned(con, SECOND_LOAD) == edited
    assert {
        r[0]
        for r in con.execute(
            "select service_note_id from landing.service_notes where _loaded_at = ?",
            [SECOND_LOAD],
        ).fetchall()
    } == edited

    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    load_all(fresh, changed_export, hook, SECOND_LOAD)
    for table in TABLES:
        assert landing(con, table) == landing(fresh, table), table.name
    assert findings(con) == findings(fresh)


def test_a_row_whose_note_did_not_change_keeps_its_scan_when_another_column_changes(
    sample: Path, tmp_path: Path, hook: ScannerHook
) -> None:
    def move_channel(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        rows[0]["contact_channel"] = "letter" if rows[0]["contact_channel"] != "letter" else "fax"
        return rows

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_all(con, sample, hook, FIRST_LOAD)
    notes = load_all(con, derive(sample, tmp_path / "e2", "e2", move_channel), hook, SECOND_LOAD)
    result = notes[SERVICE_NOTES.name]
    assert result.rows_written == 1
    assert result.scan_statuses == {"unchanged": 1}
    assert rescanned(con, SECOND_LOAD) == set()


def test_deleted_rows_vanish_with_their_findings_and_scan_statuses(
    sample: Path, tmp_path: Path, hook: ScannerHook
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_all(con, sample, hook, FIRST_LOAD)
    with_findings = sorted({r[0] for r in findings(con)})
    gone = set(with_findings[:3])
    assert len(gone) == 3

    def drop(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [r for r in rows if r["service_note_id"] not in gone]

    result = load_all(con, derive(sample, tmp_path / "e2", "e2", drop), hook, SECOND_LOAD)
    assert result[SERVICE_NOTES.name].rows_deleted == 3
    assert result[SERVICE_NOTES.name].rows_written == 0
    for query in (
        "select service_note_id from landing.service_notes",
        "select record_id from landing.note_findings where record_table = 'service_notes'",
        "select record_id from landing.free_text_scan_status where table_name = 'service_notes'",
    ):
        assert not gone & {r[0] for r in con.execute(query).fetchall()}, query


def test_rows_of_an_erased_subject_in_a_changed_file_are_still_quarantined(
    sample: Path, tmp_path: Path, hook: ScannerHook
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_all(con, sample, hook, FIRST_LOAD)
    (customer,) = con.execute(
        """select customer_id from landing.service_notes
           group by 1 order by count(*) desc, 1 limit 1"""
    ).fetchone()  # type: ignore[misc]
    notes_of_customer = con.execute(
        "select count(*) from landing.service_notes where customer_id = ?", [customer]
    ).fetchone()[0]  # type: ignore[index]
    # What the erasure does: list the subject, then delete its rows from landing.
    digest = hash_identifier(scan_hmac_key(), SUBJECT_ID, f"customer:{customer}")
    add_entries(con, [SuppressionEntry(ERASED, SUBJECT_ID, digest, "DSR1", FIRST_LOAD.date())])
    for table in TABLES:
        con.execute(f"delete from landing.{table.name} where customer_id = ?", [customer])

    changed = derive(sample, tmp_path / "e2", "e2", every_nth_note_edited(40))
    results = load_all(con, changed, hook, SECOND_LOAD)
    notes = results[SERVICE_NOTES.name]
    assert not notes.full_reload
    assert notes.quarantine_reasons["erased_subject"] == notes_of_customer
    # The unchanged customers file is loaded again by key: the suppression list changed.
    assert not results[CUSTOMERS.name].skipped_unchanged
    assert results[CUSTOMERS.name].quarantine_reasons["erased_subject"] == 1
    for table in TABLES:
        assert con.execute(
            f"select count(*) from landing.{table.name} where customer_id = ?", [customer]
        ).fetchall() == [(0,)]
    assert con.execute(
        """select count(*) from landing.quarantine
           where export_id = 'e2' and reason = 'erased_subject'"""
    ).fetchall() == [(notes_of_customer + 1,)]


def test_the_row_hash_is_the_keyed_hash_of_the_raw_row(
    sample: Path, tmp_path: Path, hook: ScannerHook
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_all(con, sample, hook, FIRST_LOAD)
    with sample.joinpath(CUSTOMERS.file_name).open(newline="", encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    raw = [first[c] or None for c in CUSTOMERS.column_names]
    stored = con.execute(
        "select _row_hash from landing.customers where customer_id = ?", [first["customer_id"]]
    ).fetchone()
    assert stored == (row_hash(scan_hmac_key(), raw),)
    assert stored != (row_hash(bytes(32), raw),)


def test_two_scan_workers_give_the_same_landing_as_one(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sample is small: lower the threshold so its batches really go to forked workers.
    monkeypatch.setattr(scanner_hook, "PARALLEL_MIN_NOTES", 10)
    outcomes = []
    for workers in (1, 2):
        con = duckdb.connect(str(tmp_path / f"w{workers}.duckdb"))
        hook = ScannerHook(load_scanner(), scan_hmac_key(), workers=workers)
        load_all(con, sample, hook, FIRST_LOAD)
        outcomes.append((landing(con, SERVICE_NOTES), findings(con)))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1], "the sample has findings to compare"


def test_automatic_scan_workers_are_the_cores_and_explicit_ones_are_kept() -> None:
    assert ScannerHook(load_scanner(), bytes(32), workers=None).workers == scanner_hook.cpu_cores()
    assert ScannerHook(load_scanner(), bytes(32), workers=3).workers == 3
    with pytest.raises(ValueError, match="at least 1"):
        ScannerHook(load_scanner(), bytes(32), workers=0)
