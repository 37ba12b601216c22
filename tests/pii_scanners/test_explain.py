"""``python -m pii_scanners explain``: which entry and rule found, vetoed or merged each span.

The explanation must name what a lexicon author changes: the entry (file and index), the
rule that vetoed a hit (and the word that triggered it), and how overlapping spans became one.
Tracing must not change what the matcher finds.
"""

from __future__ import annotations

import json

from special_category_cases import NEGATIVES, POSITIVES

from pii_scanners.cli import main
from pii_scanners.explain import explain, format_explanation
from pii_scanners.recognizers.special_category.matcher import get_matcher


def _explained(scanner, text: str, lang: str | None = None) -> str:
    return format_explanation(explain(scanner, text, lang), scanner)


def test_explain_names_the_veto_word_and_rule_that_dropped_a_hit_in_the_same_sentence(scanner):
    out = _explained(scanner, "She bought a genetic test kit as a toy for her nephew.", "en")
    vetoed = [line for line in out.splitlines() if "vetoed: GENETIC" in line]
    assert len(vetoed) == 1
    assert "en/genetic.yaml#entries[0]" in vetoed[0]
    assert "rule veto_context" in vetoed[0]
    assert any(word in vetoed[0] for word in ("'bought'", "'kit'", "'toy'"))


def test_explain_names_the_lexicon_entry_that_found_a_term(scanner):
    text = "Ms Craig reduced her hours after her genetic test results."
    out = _explained(scanner, text, "en")
    found = [line for line in out.splitlines() if "candidate: GENETIC" in line]
    assert found and "term 'genetic test'" in found[0]
    assert "entry en/genetic.yaml#entries[0]" in found[0]
    assert "GENETIC [37:49] 'genetic test'" in out


def test_explain_shows_how_overlapping_findings_merge_into_their_union(scanner):
    out = _explained(scanner, "Frau Anna Krebs-Therapie kam.", "de")
    merged = [line for line in out.splitlines() if line.strip().startswith("merged: PERSON")]
    assert merged, out
    assert "-> HEALTH [5:24] 'Anna Krebs-Therapie'" in merged[0]
    assert "redacted: Frau <HEALTH> kam." in out


def test_explain_shows_a_same_category_merge_inside_the_matcher(scanner):
    out = _explained(scanner, "Sie hat Brustkrebs-Therapie zur Kur.", "de")
    assert "same category, separated only by blanks: one phrase" in out


def test_explain_shows_why_an_other_language_finding_is_dropped(scanner):
    out = _explained(scanner, "Please call back. Mr Krebs from Krebs & Sohn phoned twice.")
    assert "dropped: HEALTH 'Krebs'" in out
    assert "reads as en" in out


def test_tracing_never_changes_what_the_matcher_finds():
    for lang in ("de", "en"):
        matcher = get_matcher(lang)
        for case in [*POSITIVES, *NEGATIVES]:
            if case.lang != lang:
                continue
            traced, _ = matcher.find_traced(case.text)
            assert traced == matcher._find(case.text), case.id


def test_the_explain_command_reads_one_json_line_and_prints_the_explanation(
    tmp_path, capsys, scanner
):
    line = {"id": "n1", "text": "Kunde hat Diabetes.", "lang": "de"}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert main(["explain", "--input", str(path)]) == 0
    out = capsys.readouterr().out
    assert "candidate: HEALTH term 'Diabetes'" in out
    assert "redacted: Kunde hat <HEALTH>." in out


def test_the_explain_command_refuses_two_lines_and_names_no_text(tmp_path, capsys, scanner):
    path = tmp_path / "two.jsonl"
    secret = "Kunde hat Diabetes."
    lines = [json.dumps({"id": str(i), "text": secret}) for i in range(2)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["explain", "--input", str(path)]) == 2
    err = capsys.readouterr().err
    assert "exactly one JSON line" in err and secret not in err
    assert main(["explain"]) == 2
