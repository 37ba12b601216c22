"""The command-line contract of DESIGN.md: python -m pii_scanners scan|evaluate.

In process through ``pii_scanners.cli.main`` (one scanner for all tests); the real
``python -m pii_scanners`` entry point runs in a fresh interpreter in test_offline_network.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CONFIG, OWN_CASES

from pii_scanners.cli import main

CANARY = "Zebrafink-Geheimnis-4711"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _scan(tmp_path: Path, lines: list[str], *extra: str) -> tuple[int, Path]:
    src = _write(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    args = ["scan", "--input", str(src), "--output", str(out), "--workers", "1", *extra]
    if CONFIG:
        args += ["--config", CONFIG]
    return main(args), out


def test_scan_writes_one_output_line_per_input_line_with_the_contract_schema(tmp_path):
    notes = [
        {"id": "a", "text": "Herr Brandt, Tel. 0171 2345678.", "lang": "de"},
        {"id": "b", "text": "Please call Mrs Hughes on 020 7946 0018."},
        {"id": "c", "text": "Karton war eingedrückt.", "known_names": ["Eva Roth"]},
    ]
    code, out = _scan(tmp_path, [json.dumps(n, ensure_ascii=False) for n in notes])
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    for note, row in zip(notes, rows, strict=True):
        assert set(row) == {"id", "findings", "redacted_text"}
        for f in row["findings"]:
            assert set(f) == {"entity_type", "start", "end", "score", "recognizer"}
            assert 0 <= f["start"] < f["end"] <= len(note["text"])
            assert isinstance(f["score"], float) and isinstance(f["recognizer"], str)
    assert rows[0]["redacted_text"] == "Herr <PERSON>, Tel. <PHONE_NUMBER>."
    assert rows[2] == {"id": "c", "findings": [], "redacted_text": "Karton war eingedrückt."}


def test_explicit_lang_option_overrides_the_line_language(tmp_path):
    line = json.dumps({"id": "x", "text": "Customer asked about the parcel.", "lang": "de"})
    code, out = _scan(tmp_path, [line], "--lang", "en")
    assert code == 0 and json.loads(out.read_text())["id"] == "x"


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ('{"id": "2", "text": "' + CANARY + '"', "invalid JSON"),
        ('{"id": "2"}', "missing required field 'text'"),
        ('{"text": "' + CANARY + '"}', "missing required field 'id'"),
        ('{"id": 2, "text": "' + CANARY + '"}', "field 'id' must be a string"),
        ('{"id": "2", "text": ["' + CANARY + '"]}', "field 'text' must be a string"),
        ('{"id": "2", "text": "' + CANARY + '", "lang": "fr"}', "field 'lang'"),
        ('["' + CANARY + '"]', "expected a JSON object"),
    ],
)
def test_malformed_line_exits_2_naming_the_line_without_printing_its_text(
    tmp_path, capsys, bad_line, problem
):
    good = json.dumps({"id": "1", "text": "Alles gut."})
    code, out = _scan(tmp_path, [good, bad_line, good])
    captured = capsys.readouterr()
    assert code == 2
    assert "line 2" in captured.err and problem in captured.err
    assert CANARY not in captured.err + captured.out
    assert not out.exists()
    assert not list(tmp_path.glob(".out.jsonl.*"))


def test_failed_run_leaves_an_existing_output_file_untouched(tmp_path):
    (tmp_path / "out.jsonl").write_text("previous\n", encoding="utf-8")
    code, out = _scan(tmp_path, ['{"id": "1"}'])
    assert code == 2 and out.read_text(encoding="utf-8") == "previous\n"


def test_scan_streams_a_few_thousand_lines_through_two_workers(tmp_path):
    texts = [
        "Herr Brandt, Tel. 0171 2345678.",
        "Karton war eingedrückt.",
        "Dear Santa, a bike. Ava",
    ]
    lines = [json.dumps({"id": f"n{i}", "text": texts[i % 3]}) for i in range(3000)]
    src = _write(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    args = [
        "scan",
        "--input",
        str(src),
        "--output",
        str(out),
        "--workers",
        "2",
        "--batch-size",
        "100",
    ]
    assert main(args + (["--config", CONFIG] if CONFIG else [])) == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3000
    assert [json.loads(r)["id"] for r in rows[:5]] == ["n0", "n1", "n2", "n3", "n4"]
    assert json.loads(rows[2999])["redacted_text"] == "Dear Santa, a bike. <PERSON>"


def test_evaluate_command_prints_a_table_and_writes_json(tmp_path, capsys):
    json_out = tmp_path / "metrics.json"
    args = ["evaluate", "--gold", str(OWN_CASES), "--json", str(json_out)]
    assert main(args + (["--config", CONFIG] if CONFIG else [])) == 0
    table = capsys.readouterr().out
    assert "PERSON" in table and "note-level special-category recall" in table
    metrics = json.loads(json_out.read_text(encoding="utf-8"))
    assert metrics["entities"]["PII (all)|all"]["gold"] > 0
