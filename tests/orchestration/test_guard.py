"""The independent guard: its stem file is sound, it matches as documented, and tags never match."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.lib.guard import (
    CATEGORY_ORDER,
    MATCH_KINDS,
    STEMS_FILE,
    Guard,
    GuardConfigError,
    load_releases,
)
from pii_scanners.config import load_config


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard.from_files(STEMS_FILE, Path("/nonexistent/releases.yaml"))


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_every_art9_category_has_stems_and_no_stem_is_listed_twice_in_its_category() -> None:
    data = yaml.safe_load(STEMS_FILE.read_text(encoding="utf-8"))
    assert set(data["categories"]) == set(CATEGORY_ORDER)
    for category, block in data["categories"].items():
        for kind in MATCH_KINDS:
            entries = block.get(kind) or []
            duplicates = {e for e in entries if entries.count(e) > 1}
            assert not duplicates, (category, kind, duplicates)
        assert sum(len(block.get(kind) or []) for kind in MATCH_KINDS) >= 10, category


def test_no_redaction_tag_and_not_the_review_marker_is_ever_a_suspected_leak(
    guard: Guard, con: duckdb.DuckDBPyConnection
) -> None:
    config = load_config()
    entities = {*config.special_category_entities, *config.redaction, "PERSON", "ADDRESS"}
    tags = [f"<{e}>" for e in sorted(entities) if e != "default"] + [guard.marker]
    texts = [f"Kunde: {tag}, bitte {tag} beachten." for tag in tags]
    assert guard.suspected(con, texts) == {}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Tochter hat Typ-1-Diabetes, bitte zuckerfrei.", "HEALTH"),
        ("Sohn fährt seit dem Unfall einen Elektrorollstuhl.", "HEALTH"),
        ("Customer mentioned she is pregnant with twins.", "HEALTH"),
        ("Er ist Mitglied der IG Metall.", "TRADE_UNION"),
        ("Sie ist Ortsvorsitzende der SPD.", "POLITICAL_OPINION"),
        ("Die Familie gehört zu den Sinti.", "ETHNIC_ORIGIN"),
        ("Zugang nur per Fingerabdruckscanner.", "BIOMETRIC"),
        ("Ergebnis des Gentests liegt vor.", "GENETIC"),
        ("Er ist schwul und lebt mit seinem Partner.", "SEX_LIFE"),
        ("Geht jeden Freitag in die Moschee.", "RELIGION"),
        ("KUNDE IST JÜDISCH, KEIN SCHWEINEFLEISCH.", "RELIGION"),
    ],
)
def test_a_stem_is_found_in_upper_case_and_inside_compounds(
    guard: Guard, con: duckdb.DuckDBPyConnection, text: str, category: str
) -> None:
    assert guard.suspected(con, [text]) == {0: category}


@pytest.mark.parametrize(
    "text",
    [
        "Roman von Fontane als Geschenk verpacken.",  # "roma" is a whole-word stem
        "Rücksendung angenommen, Gutschrift erteilt.",  # "genom" sits at a word start only
        "Bitte umweltfreundlich verpacken.",
        "Den Rabatt hat sie sich verdient.",  # "verdi" is a whole-word stem
        "Would like an invite to the Christmas party.",
        "Lieferung kam pünktlich, alles gut.",
    ],
)
def test_whole_word_and_word_start_stems_do_not_fire_inside_ordinary_words(
    guard: Guard, con: duckdb.DuckDBPyConnection, text: str
) -> None:
    assert guard.suspected(con, [text]) == {}


def test_suspected_returns_positions_and_categories_only_and_skips_missing_values(
    guard: Guard, con: duckdb.DuckDBPyConnection
) -> None:
    found = guard.suspected(con, [None, "alles gut", "hat Asthma"])
    assert found == {2: "HEALTH"}


def test_a_changed_stem_list_or_release_changes_the_guard_version(tmp_path: Path) -> None:
    base = Guard.from_files(STEMS_FILE, tmp_path / "none.yaml")
    changed = tmp_path / "stems.yaml"
    changed.write_text(
        STEMS_FILE.read_text(encoding="utf-8").replace("      - diabet\n", "      - diabe\n"),
        encoding="utf-8",
    )
    releases = tmp_path / "releases.yaml"
    releases.write_text(
        "releases:\n  - {table: service_notes, column: note_text, record_id: S1, text_hmac: abc}\n",
        encoding="utf-8",
    )
    assert Guard.from_files(changed, tmp_path / "none.yaml").version != base.version
    released = Guard.from_files(STEMS_FILE, releases)
    assert released.version != base.version
    assert released.is_released("service_notes", "note_text", "S1", "abc")
    assert not released.is_released("service_notes", "note_text", "S1", "other text")


def test_a_malformed_stem_or_release_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    stems = tmp_path / "stems.yaml"
    stems.write_text(
        'marker: "<ZUR_PRÜFUNG>"\ncategories:\n  HEALTH:\n    substring: [Diabet]\n',
        encoding="utf-8",
    )
    with pytest.raises(GuardConfigError, match=r"stems.yaml: HEALTH.substring"):
        Guard.from_files(stems, tmp_path / "none.yaml")
    releases = tmp_path / "releases.yaml"
    releases.write_text("releases:\n  - {table: service_notes}\n", encoding="utf-8")
    with pytest.raises(GuardConfigError, match=r"releases.yaml: releases\[0\]"):
        load_releases(releases)
