"""Containment at ingest: a suspected leak is held before it is written, and loads follow versions.

Real DuckDB files, the real scanner and the real guard. The warehouse is written with
``force_compression='uncompressed'`` (tests/conftest.py), so a byte search of the file can see
whether a canary string ever landed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations.suites.curated_free_text_suite import guard_counts
from orchestration.defs.crm.loader import load_table
from orchestration.defs.pii_scan.scanner_hook import ScannerHook, load_scanner
from orchestration.lib.crm_export import read_export
from orchestration.lib.crm_schema import CUSTOMERS, SERVICE_NOTES
from orchestration.lib.free_text import UnscannedHook
from orchestration.lib.guard import STEMS_FILE, Guard
from orchestration.lib.landing_tables import REVIEW_TABLE
from orchestration.lib.warehouse import connect
from pii_scanners import Scanner
from pii_scanners.config import DEFAULT_CONFIG_PATH
from tests.orchestration.test_free_text_scanning import write_export

KEY = bytes(range(32))
#: The scanner has no finding here (checked below); the guard's stem "corona-" still fires.
GUARD_ONLY_NOTE = "Bitte keine Corona-Infos mehr schicken, Kundennummer zz-canary-5521."
CANARY = "zz-canary-5521"
PLAIN_NOTE = "Lieferung kam pünktlich, alles gut, Paket zz-plain-9083."


@pytest.fixture(scope="module")
def hook() -> ScannerHook:
    return ScannerHook(load_scanner(), KEY)


def no_releases(tmp_path: Path) -> Guard:
    return Guard.from_files(STEMS_FILE, tmp_path / "no-releases.yaml")


def stored_notes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(
        con.execute("select service_note_id, note_text from landing.service_notes").fetchall()
    )


def test_the_scanner_misses_the_guard_only_note_so_only_the_guard_can_hold_it(
    hook: ScannerHook,
) -> None:
    from pii_scanners import ScanRequest

    (result,) = load_scanner().scan_batch([ScanRequest(id="S1", text=GUARD_ONLY_NOTE)])
    assert "Corona-Infos" in result.redacted_text, "the scanner now redacts it: pick another"


def test_a_suspected_leak_is_held_before_it_is_written_and_never_lands_in_the_file(
    tmp_path: Path, hook: ScannerHook
) -> None:
    export = read_export(
        write_export(tmp_path / "e1", "e1", [("S1", GUARD_ONLY_NOTE), ("S2", PLAIN_NOTE)])
    )
    path = tmp_path / "w.duckdb"
    con = connect(path)
    guard = no_releases(tmp_path)
    load_table(con, export, CUSTOMERS, hook, guard=guard)
    result = load_table(con, export, SERVICE_NOTES, hook, guard=guard)
    assert stored_notes(con) == {"S1": guard.marker, "S2": PLAIN_NOTE}
    review = con.execute(
        f"""select table_name, column_name, record_id, guard_category, guard_version, export_id,
                   text_hmac is not null
            from {REVIEW_TABLE}"""
    ).fetchall()
    assert review == [("service_notes", "note_text", "S1", "HEALTH", guard.version, "e1", True)]
    assert result.held_by_category == {"HEALTH": 1}
    # The blocking check's full scan finds nothing: every suspected value was held.
    counts = guard_counts(con, SERVICE_NOTES)
    assert counts.values_checked == 2 and counts.suspected == 0
    con.execute("checkpoint")
    con.close()
    data = b"".join(p.read_bytes() for p in tmp_path.glob("w.duckdb*"))
    assert b"zz-plain-9083" in data, "positive control: stored strings are visible to the search"
    assert CANARY.encode() not in data


def test_without_the_guard_the_full_scan_names_the_record_by_id_only(
    tmp_path: Path,
) -> None:
    export = read_export(write_export(tmp_path / "e1", "e1", [("S1", GUARD_ONLY_NOTE)]))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_table(con, export, CUSTOMERS, UnscannedHook(), guard=None)
    load_table(con, export, SERVICE_NOTES, UnscannedHook(), guard=None)
    details = guard_counts(con, SERVICE_NOTES).details()
    assert details == {
        "values_checked": 1,
        "suspected_leaks": 1,
        "suspected: service_notes.note_text HEALTH": 1,
        "first_record_ids": "S1",
    }
    assert CANARY not in repr(details)


def test_an_unchanged_export_is_scanned_again_when_the_scanner_version_changes(
    tmp_path: Path, hook: ScannerHook
) -> None:
    export = read_export(write_export(tmp_path / "e1", "e1", [("S2", PLAIN_NOTE)]))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    guard = no_releases(tmp_path)
    load_table(con, export, CUSTOMERS, hook, guard=guard)
    load_table(con, export, SERVICE_NOTES, hook, guard=guard)
    again = load_table(con, export, SERVICE_NOTES, hook, guard=guard)
    assert again.skipped_unchanged, "same file, same versions: nothing to do"

    # A changed scanner configuration is a new scanner version (it hashes config and lexicons).
    config = tmp_path / "scanner.yaml"
    config.write_bytes(DEFAULT_CONFIG_PATH.read_bytes() + b"\n# a DPO edited a rule\n")
    new_hook = ScannerHook(Scanner.from_config(config), KEY)
    assert new_hook.scanner_version != hook.scanner_version
    rescanned = load_table(con, export, SERVICE_NOTES, new_hook, guard=guard)
    assert not rescanned.skipped_unchanged
    assert rescanned.scan_statuses == {"scanned": 1}
    versions = con.execute(
        "select distinct scanner_version from landing.free_text_scan_status"
    ).fetchall()
    assert versions == [(new_hook.scanner_version,)]


def test_an_unchanged_export_is_guarded_again_when_the_guard_version_changes(
    tmp_path: Path, hook: ScannerHook
) -> None:
    export = read_export(write_export(tmp_path / "e1", "e1", [("S2", PLAIN_NOTE)]))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_table(con, export, CUSTOMERS, hook, guard=no_releases(tmp_path))
    load_table(con, export, SERVICE_NOTES, hook, guard=no_releases(tmp_path))
    stems = tmp_path / "stems.yaml"
    stems.write_text(
        STEMS_FILE.read_text(encoding="utf-8").replace(
            "      - diabet\n", "      - diabet\n      - pünktlich\n"
        ),
        encoding="utf-8",
    )
    stricter = Guard.from_files(stems, tmp_path / "no-releases.yaml")
    result = load_table(con, export, SERVICE_NOTES, hook, guard=stricter)
    assert not result.skipped_unchanged
    assert stored_notes(con) == {"S2": stricter.marker}


def test_a_released_value_is_stored_redacted_until_its_text_changes(
    tmp_path: Path, hook: ScannerHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = read_export(write_export(tmp_path / "e1", "e1", [("S1", GUARD_ONLY_NOTE)]))
    load_table(con, first, CUSTOMERS, hook, guard=no_releases(tmp_path))
    load_table(con, first, SERVICE_NOTES, hook, guard=no_releases(tmp_path))
    (digest,) = con.execute(f"select text_hmac from {REVIEW_TABLE}").fetchone()  # type: ignore[misc]

    releases = tmp_path / "guard_releases.yaml"
    releases.write_text(
        "releases:\n"
        f"  - {{table: service_notes, column: note_text, record_id: S1, text_hmac: {digest}}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CRM_GUARD_RELEASES", str(releases))
    released = Guard.from_files(STEMS_FILE, releases)
    load_table(con, first, SERVICE_NOTES, hook, guard=released)
    assert stored_notes(con) == {"S1": GUARD_ONLY_NOTE}
    assert con.execute(f"select count(*) from {REVIEW_TABLE}").fetchone() == (0,)
    # The blocking check honours the release while the text is unchanged.
    assert guard_counts(con, SERVICE_NOTES).suspected == 0

    changed = GUARD_ONLY_NOTE.replace("Kundennummer", "Kundennr.")
    second = read_export(write_export(tmp_path / "e2", "e2", [("S1", changed)]))
    load_table(con, second, SERVICE_NOTES, hook, guard=released)
    assert stored_notes(con) == {"S1": released.marker}, "a changed text is guarded again"
