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
def test_malformed_line_is_reported_by_number_and_the_other_lines_are_still_scanned(
    tmp_path, capsys, bad_line, problem
):
    first = json.dumps({"id": "1", "text": "Alles gut."})
    third = json.dumps({"id": "3", "text": "Auch gut."})
    code, out = _scan(tmp_path, [first, bad_line, third])
    captured = capsys.readouterr()
    assert code == 2
    assert "line 2" in captured.err and problem in captured.err
    assert "Traceback" not in captured.err
    assert CANARY not in captured.err + captured.out
    assert [json.loads(r)["id"] for r in out.read_text().splitlines()] == ["1", "3"]
    assert not list(tmp_path.glob(".out.jsonl.*"))


@pytest.mark.parametrize(
    "bad_line",
    [
        '{"id": "2", "text": "' + CANARY + '"',
        '{"text": "' + CANARY + '"}',
        '["' + CANARY + '"]',
    ],
)
def test_strict_stops_at_the_first_malformed_line_and_writes_nothing(tmp_path, capsys, bad_line):
    good = json.dumps({"id": "1", "text": "Alles gut."})
    code, out = _scan(tmp_path, [good, bad_line, bad_line], "--strict")
    captured = capsys.readouterr()
    assert code == 2
    assert "line 2" in captured.err and "line 3" not in captured.err
    assert CANARY not in captured.err + captured.out
    assert not out.exists()
    assert not list(tmp_path.glob(".out.jsonl.*"))


def test_every_malformed_line_is_listed_with_its_number_and_a_total(tmp_path, capsys):
    lines = [
        json.dumps({"id": "1", "text": "Alles gut."}),
        "{" + CANARY,
        json.dumps({"id": "3", "text": "Gut."}),
        json.dumps({"id": "4"}),
        "",
        json.dumps({"id": "6", "text": CANARY, "lang": "fr"}),
        json.dumps({"id": "7", "text": "Gut."}),
    ]
    code, out = _scan(tmp_path, lines)
    err = capsys.readouterr().err
    assert code == 2
    reported = [line for line in err.splitlines() if ": line " in line]
    assert [line.split(": line ")[1].split(":")[0] for line in reported] == ["2", "4", "6"]
    assert "3 malformed line(s) skipped" in err
    assert CANARY not in err
    assert [json.loads(r)["id"] for r in out.read_text().splitlines()] == ["1", "3", "7"]


def test_a_line_of_invalid_utf8_is_reported_and_the_next_line_still_read(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": "1", "text": "ok"}\n{"id": "2", "text": "\xff\xfe Zebrafink"}\n'
        b'{"id": "3", "text": "ok"}\n'
    )
    out = tmp_path / "out.jsonl"
    args = ["scan", "--input", str(src), "--output", str(out), "--workers", "1"]
    code = main(args + (["--config", CONFIG] if CONFIG else []))
    err = capsys.readouterr().err
    assert code == 2 and "line 2: not valid UTF-8" in err and "Zebrafink" not in err
    assert [json.loads(r)["id"] for r in out.read_text().splitlines()] == ["1", "3"]


def test_a_duplicate_id_is_rejected_naming_both_lines_without_the_texts(tmp_path, capsys):
    lines = [
        json.dumps({"id": "a", "text": "Erste Notiz."}),
        json.dumps({"id": "b", "text": "Zweite Notiz."}),
        json.dumps({"id": "a", "text": CANARY}),
    ]
    code, out = _scan(tmp_path, lines)
    err = capsys.readouterr().err
    assert code == 2
    assert "line 3: duplicate id, already used on line 1" in err
    assert CANARY not in err
    assert [json.loads(r)["id"] for r in out.read_text().splitlines()] == ["a", "b"]
    code, _ = _scan(tmp_path, lines, "--strict")
    assert code == 2 and "line 3: duplicate id" in capsys.readouterr().err


def test_failed_strict_run_leaves_an_existing_output_file_untouched(tmp_path):
    (tmp_path / "out.jsonl").write_text("previous\n", encoding="utf-8")
    code, out = _scan(tmp_path, ['{"id": "1"}'], "--strict")
    assert code == 2 and out.read_text(encoding="utf-8") == "previous\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["scan", "--input", "{tmp}/missing.jsonl", "--output", "{tmp}/o.jsonl"], "not found"),
        (
            [
                "scan",
                "--input",
                "{tmp}/in.jsonl",
                "--output",
                "{tmp}/o.jsonl",
                "--config",
                "{tmp}/nope.yaml",
            ],
            "No such file or directory",
        ),
        (
            [
                "scan",
                "--input",
                "{tmp}/in.jsonl",
                "--output",
                "{tmp}/o.jsonl",
                "--config",
                "{tmp}/bad.yaml",
            ],
            "scanner configuration",
        ),
        (["evaluate", "--gold", "{tmp}/missing.jsonl"], "No such file or directory"),
        (["evaluate", "--gold", "{tmp}/broken.jsonl"], "invalid JSON"),
        (
            ["evaluate", "--gold", "{tmp}/in.jsonl", "--hatecheck", "{tmp}/in.jsonl"],
            "not a labelled JSON Lines file",
        ),
    ],
)
def test_user_errors_end_with_one_clear_line_and_no_traceback(tmp_path, capsys, args, expected):
    _write(tmp_path / "in.jsonl", [json.dumps({"id": "1", "text": CANARY, "lang": "de"})])
    _write(tmp_path / "broken.jsonl", ['{"id": "1", "text": "' + CANARY])
    _write(tmp_path / "bad.yaml", ["languages: [fr]"])
    code = main([a.replace("{tmp}", str(tmp_path)) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err and "Traceback" not in err and CANARY not in err
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1


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
