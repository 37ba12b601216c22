"""Tests of the deterministic sample CRM generator (``orchestration.sample_crm``).

The generator is run for real into ``tmp_path``; exports are shared per module so the whole file
stays well under 20 seconds.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.crm_schema import (
    CANARIES_FILE,
    EXPORT_MANIFEST,
    LABELS_FILE,
    TABLES,
    TABLES_BY_NAME,
)
from orchestration.sample_crm.cli import main
from orchestration.sample_crm.generate import GeneratorConfig, generate_export
from orchestration.sample_crm.gold import SOURCE_OF_COLUMN, guess_lang, iter_gold_notes
from orchestration.sample_crm.phrases import (
    LABELS,
    LANGS,
    PII_LABELS,
    SOURCES,
    SPECIAL_CATEGORIES,
    labels_of,
    load_mix,
    load_phrases,
)
from orchestration.sample_crm.pii import iban_is_valid

AS_OF = date(2026, 1, 15)
N = 500
SEED = 11
_EXPORT_FILES = [t.file_name for t in TABLES] + [EXPORT_MANIFEST, LABELS_FILE]


def _generate(out: Path, customers: int, seed: int, **kw: object) -> Path:
    generate_export(GeneratorConfig(out, customers, seed, AS_OF, **kw))  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N=500 with canaries: the export most tests inspect."""
    return _generate(tmp_path_factory.mktemp("crm") / "export", N, SEED, canaries=True)


@pytest.fixture(scope="module")
def gold(export: Path) -> list[dict]:
    return list(iter_gold_notes(export))


@pytest.fixture(scope="module")
def plain_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small export without canaries, written through the command line."""
    out = tmp_path_factory.mktemp("crm") / "plain"
    main(["--out", str(out), "--customers", "150", "--seed", "3", "--as-of", AS_OF.isoformat()])
    return out


def _read_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def _bytes(d: Path) -> dict[str, bytes]:
    return {name: (d / name).read_bytes() for name in _EXPORT_FILES}


def test_same_arguments_give_byte_identical_files(plain_export: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    main(["--out", str(again), "--customers", "150", "--seed", "3", "--as-of", AS_OF.isoformat()])
    assert _bytes(again) == _bytes(plain_export)


def test_a_different_seed_gives_different_files(plain_export: Path, tmp_path: Path) -> None:
    other = _generate(tmp_path / "other", 150, 4)
    a, b = _bytes(plain_export), _bytes(other)
    assert all(a[t.file_name] != b[t.file_name] for t in TABLES if t.name != "legal_holds")


def test_every_csv_header_is_exactly_the_contract_column_list(export: Path) -> None:
    for table in TABLES:
        with (export / table.file_name).open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == table.column_names, table.name


def test_manifest_row_counts_and_checksums_match_the_files(export: Path) -> None:
    manifest = json.loads((export / EXPORT_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["export_id"] == f"santa-crm-{AS_OF}-s{SEED}-n{N}"
    assert manifest["source_system"] == "santa-crm"
    assert manifest["exported_at"] == f"{AS_OF} 01:00:00"
    assert manifest["as_of"] == AS_OF.isoformat()
    assert manifest["encoding"] == "utf-8"
    assert manifest["generator"] == {"customers": N, "seed": SEED}
    assert list(manifest["tables"]) == [t.name for t in TABLES]
    for table in TABLES:
        entry = manifest["tables"][table.name]
        path = export / entry["file"]
        assert entry["file"] == table.file_name
        assert entry["rows"] == len(_read_rows(path)), table.name
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_files_use_lf_line_endings_and_quote_free_text_with_newlines(export: Path) -> None:
    raw = (export / "service_notes.csv").read_bytes()
    assert b"\r\n" not in raw
    texts = [r["note_text"] for r in _read_rows(export / "service_notes.csv")]
    assert any("\n" in t for t in texts)
    assert any('"' in r["order_comment"] for r in _read_rows(export / "orders.csv"))


def test_every_table_loads_in_duckdb_with_the_contract_types(export: Path) -> None:
    con = duckdb.connect()
    for table in TABLES:
        cols = {c.name: c.duckdb_type for c in table.columns}
        con.execute(
            f"create table {table.name} as select * from read_csv('{export / table.file_name}', "
            f"header=true, columns={cols!r}, quote='\"', escape='\"', nullstr='', "
            "strict_mode=true)"
        )
        assert con.execute(f"select count(*) from {table.name}").fetchone()[0] > 0, table.name
        for c in table.columns:
            if not c.nullable:
                sql = f"select count(*) from {table.name} where {c.name} is null"
                assert con.execute(sql).fetchone()[0] == 0, f"{table.name}.{c.name}"
        sql = f"select count(*) - count(distinct {table.primary_key}) from {table.name}"
        assert con.execute(sql).fetchone()[0] == 0, table.name


def test_label_spans_lie_inside_the_text_on_word_boundaries(gold: list[dict]) -> None:
    def word_char(ch: str) -> bool:
        return ch.isalnum() or ch == "-"

    checked = 0
    for note in gold:
        text, previous_end = note["text"], 0
        for span in note["spans"]:
            start, end = span["start"], span["end"]
            phrase = text[start:end]
            assert 0 <= start < end <= len(text), note["id"]
            assert start >= previous_end, f"overlapping spans in {note['id']}"
            assert phrase == phrase.strip(), (note["id"], phrase)
            assert start == 0 or not word_char(text[start - 1]), (note["id"], phrase)
            assert end == len(text) or not word_char(text[end]), (note["id"], phrase)
            assert phrase[-1] not in ",;:!?\"'(", (note["id"], phrase)
            assert span["label"] in LABELS
            previous_end = end
            checked += 1
    assert checked > 200


def test_labels_file_holds_offsets_and_labels_but_never_text(
    export: Path, gold: list[dict]
) -> None:
    lines = (export / LABELS_FILE).read_text(encoding="utf-8").splitlines()
    texts = {n["id"]: n["text"] for n in gold}
    for line in lines:
        rec = json.loads(line)
        assert set(rec) == {"id", "table", "record_id", "column", "lang", "source", "spans"}
        assert rec["id"] == f"{rec['table']}:{rec['record_id']}:{rec['column']}"
        assert rec["source"] == SOURCE_OF_COLUMN[(rec["table"], rec["column"])]
        assert rec["spans"] and all(set(s) == {"start", "end", "label"} for s in rec["spans"])
        phrase = texts[rec["id"]][rec["spans"][0]["start"] : rec["spans"][0]["end"]]
        assert phrase not in line


def test_gold_notes_cover_every_non_empty_free_text_field(export: Path, gold: list[dict]) -> None:
    expected = 0
    for (table, column), _source in SOURCE_OF_COLUMN.items():
        expected += sum(1 for r in _read_rows(export / f"{table}.csv") if r[column])
    labelled = len((export / LABELS_FILE).read_text(encoding="utf-8").splitlines())
    assert len(gold) == expected
    assert sum(1 for n in gold if n["spans"]) == labelled
    assert {n["source"] for n in gold} == set(SOURCES)
    assert all(n["lang"] in LANGS for n in gold)
    assert len(gold) / N == pytest.approx(5, rel=0.15)  # about five notes per customer


def test_about_ten_percent_of_free_text_fields_are_labelled(gold: list[dict]) -> None:
    share = sum(1 for n in gold if n["spans"]) / len(gold)
    assert 0.05 <= share <= 0.20


def test_language_guess_for_unlabelled_fields_agrees_with_known_languages(
    gold: list[dict],
) -> None:
    labelled = [n for n in gold if n["spans"]]
    agree = sum(1 for n in labelled if guess_lang(n["text"]) == n["lang"])
    assert agree / len(labelled) >= 0.98


def test_about_thirty_percent_of_free_text_is_english(gold: list[dict]) -> None:
    share = sum(1 for n in gold if n["lang"] == "en") / len(gold)
    assert 0.20 <= share <= 0.40
    for source in SOURCES:
        assert {n["lang"] for n in gold if n["source"] == source} == {"de", "en"}, source


def test_all_special_categories_and_pii_labels_appear_at_500_customers(gold: list[dict]) -> None:
    seen = Counter(s["label"] for n in gold for s in n["spans"])
    assert set(SPECIAL_CATEGORIES) <= set(seen), seen
    assert set(PII_LABELS) <= set(seen), seen
    by_lang = {lang: {s["label"] for n in gold if n["lang"] == lang for s in n["spans"]}
               for lang in LANGS}  # fmt: skip
    assert "HEALTH" in by_lang["de"] and "HEALTH" in by_lang["en"]


def test_planted_ibans_have_valid_checksums_spaced_and_unspaced(gold: list[dict]) -> None:
    ibans = [n["text"][s["start"] : s["end"]] for n in gold for s in n["spans"]
             if s["label"] == "IBAN"]  # fmt: skip
    assert ibans and all(iban_is_valid(i) for i in ibans)
    assert any(" " in i for i in ibans) and any(" " not in i for i in ibans)


def test_hard_negatives_appear_unlabelled(gold: list[dict]) -> None:
    text = "\n".join(n["text"] for n in gold if not n["spans"])
    found = [p for p in ("Sternzeichen Krebs", "Union Berlin", "Lego Krankenhaus", "MS Office",
                         "sick skateboard", "Labour Day", "Pride and Prejudice", "Elternzeit")
             if p in text]  # fmt: skip
    assert len(found) >= 3, found


def test_dates_span_about_twelve_years_before_as_of(export: Path) -> None:
    days = [date.fromisoformat(r["invoice_date"]) for r in _read_rows(export / "invoices.csv")]
    assert max(days) < AS_OF
    assert (AS_OF - min(days)).days > 11 * 365
    ordered = [r["ordered_at"] for r in _read_rows(export / "orders.csv")]
    assert max(ordered) < f"{AS_OF} 00:00:00"


def test_retention_deadlines_have_records_on_both_sides(export: Path) -> None:
    invoices = [date.fromisoformat(r["invoice_date"]) for r in _read_rows(export / "invoices.csv")]
    for years in (8, 10):  # counted from the end of the calendar year (§147(4) AO)
        expired = [d for d in invoices if date(d.year + years, 12, 31) < AS_OF]
        assert 0 < len(expired) < len(invoices), years
    prospects = _read_rows(export / "prospects.csv")
    cutoff = f"{AS_OF.year - 2}-{AS_OF.month:02d}-{AS_OF.day:02d}"
    quiet = [p for p in prospects if (p["last_contact_at"] or p["captured_at"]) < cutoff]
    assert 0 < len(quiet) < len(prospects)
    wishes = _read_rows(export / "wishlist_submissions.csv")
    past = [w for w in wishes if date(int(w["season_year"]) + 1, 1, 31) < AS_OF]
    assert 0 < len(past) < len(wishes)
    assert any(w["resulting_order_id"] for w in past)
    consents = _read_rows(export / "consents.csv")
    withdrawn = [c["withdrawn_at"] for c in consents if c["withdrawn_at"]]
    three_years = f"{AS_OF.year - 3}-{AS_OF.month:02d}-{AS_OF.day:02d}"
    assert any(w < three_years for w in withdrawn) and any(w >= three_years for w in withdrawn)
    photo_consent = {c["subject_id"] for c in consents if c["purpose_id"] == "customer_photos"}
    photos = [c["customer_id"] for c in _read_rows(export / "customers.csv") if c["photo_path"]]
    assert any(p in photo_consent for p in photos) and any(p not in photo_consent for p in photos)


def test_consent_and_request_edge_cases_are_present(export: Path) -> None:
    consents = _read_rows(export / "consents.csv")
    assert any(c["channel"] == "email" and not c["confirmed_at"] for c in consents)
    assert any(c["is_bundled_with_contract"] == "true" for c in consents)
    assert any(c["has_parental_consent"] == "true" for c in consents)
    wishes = _read_rows(export / "wishlist_submissions.csv")
    assert any(
        w["has_parental_consent"] == "false" and w["sender_birth_date"] > "2011" for w in wishes
    )
    requests = _read_rows(export / "data_subject_requests.csv")
    assert {r["request_type"] for r in requests} >= {"access", "erasure", "objection"}
    assert any(r["completed_at"] for r in requests) and any(not r["completed_at"] for r in requests)
    assert _read_rows(export / "legal_holds.csv")


def test_canaries_sit_inside_email_spans_across_all_four_columns(
    export: Path, gold: list[dict]
) -> None:
    markers = (export / CANARIES_FILE).read_text(encoding="utf-8").splitlines()
    assert len(markers) >= 20 and len(set(markers)) == len(markers)
    assert all(re.fullmatch(r"canary-[0-9a-f]{12}", m) for m in markers)
    sources = set()
    for marker in markers:
        hits = [n for n in gold if marker in n["text"]]
        assert len(hits) == 1, marker
        note = hits[0]
        at = note["text"].index(marker)
        assert any(s["label"] == "EMAIL" and s["start"] <= at and at + len(marker) < s["end"]
                   for s in note["spans"]), marker  # fmt: skip
        sources.add(note["source"])
    assert sources == set(SOURCES)


def test_no_canaries_without_the_flag(plain_export: Path) -> None:
    assert not (plain_export / CANARIES_FILE).exists()
    for table in TABLES:
        assert b"canary-" not in (plain_export / table.file_name).read_bytes()


def test_cp1252_export_decodes_as_cp1252_but_not_as_utf8_and_has_umlauts(tmp_path: Path) -> None:
    out = _generate(tmp_path / "win", 60, 2, encoding="cp1252", canaries=True)
    raw = (out / "customers.csv").read_bytes() + (out / "service_notes.csv").read_bytes()
    text = raw.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert any(ch in text for ch in "äöüÄÖÜß")
    manifest = json.loads((out / EXPORT_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["encoding"] == "cp1252"
    # Offsets stay valid: every labelled phrase is still non-blank text in the decoded CSV.
    for note in iter_gold_notes(out):
        for s in note["spans"]:
            assert note["text"][s["start"] : s["end"]].strip()


def test_phrase_files_cover_every_label_in_both_languages() -> None:
    mix = load_mix()
    for lang in LANGS:
        phrases = load_phrases(lang, mix)
        for label in LABELS:
            templates = [t for ts in phrases.sensitive_by_label[label].values() for t in ts]
            assert templates, (lang, label)
            assert all(label in labels_of(t, phrases.vocab) for t in templates)
        for source in SOURCES:
            assert phrases.background[source]["body"] and phrases.hard_negative[source]


def test_gold_subcommand_writes_one_json_line_per_note(plain_export: Path, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    assert main(["gold", "--export", str(plain_export), "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and all(set(r) == {"id", "lang", "source", "text", "spans"} for r in lines)
    assert lines == list(iter_gold_notes(plain_export))


def test_help_documents_the_options_and_the_gold_subcommand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--out", "--customers", "--seed", "--as-of", "--canaries", "--encoding", "gold"):
        assert option in text


def test_rerun_without_canaries_removes_a_stale_canary_list(tmp_path: Path) -> None:
    out = _generate(tmp_path / "x", 40, 1, canaries=True)
    assert (out / CANARIES_FILE).exists()
    _generate(out, 40, 1)
    assert not (out / CANARIES_FILE).exists()
    assert TABLES_BY_NAME["customers"].file_name in {p.name for p in out.iterdir()}
