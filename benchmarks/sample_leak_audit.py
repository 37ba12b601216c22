"""Which labelled Art. 9 phrases of a gold file would reach the warehouse, per category.

Why: span recall on a few hundred hand-written notes hides what a sample of 250k generated notes
shows: how many notes keep a special-category phrase in clear. This script joins a gold JSONL
(``orchestration.sample_crm gold``, or any ``{"id", "spans"}`` file) with a scan output JSONL
(``pii_scanners scan``: ``{"id", "findings"}``) and counts, per category, the notes with a
labelled Art. 9 span that

* no finding of the same category overlaps (``missed_same_category``), and
* no finding of any category overlaps (``missed_any_redaction``: the phrase is stored in clear),
* is not fully covered by the union of all findings (``partly_exposed``: some of its
  non-space characters stay in clear).

Only ids, counts and categories are printed, never note text (R2).

Usage: python benchmarks/sample_leak_audit.py GOLD.jsonl SCAN_OUT.jsonl [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_scanners.lexicons.loader import SPECIAL_CATEGORIES

ART9 = SPECIAL_CATEGORIES


def _overlaps(span: dict, findings: list[dict]) -> bool:
    return any(f["start"] < span["end"] and span["start"] < f["end"] for f in findings)


def _fully_covered(span: dict, findings: list[dict], text: str | None) -> bool:
    covered = [False] * (span["end"] - span["start"])
    for f in findings:
        for i in range(max(f["start"], span["start"]), min(f["end"], span["end"])):
            covered[i - span["start"]] = True
    for i, ok in enumerate(covered):
        if not ok and (text is None or not text[span["start"] + i].isspace()):
            return False
    return True


def audit(gold_path: Path, scan_path: Path) -> dict:
    """Per-category counts of notes whose labelled Art. 9 phrase escapes redaction."""
    findings: dict[str, list[dict]] = {}
    with scan_path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            findings[rec["id"]] = rec.get("findings", [])
    labelled = Counter()
    missed_same = Counter()
    missed_any = Counter()
    partly = Counter()
    notes = notes_with_art9 = 0
    notes_missed_same: set[str] = set()
    notes_missed_any: set[str] = set()
    unscanned = 0
    with gold_path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            notes += 1
            spans = [s for s in rec.get("spans", []) if s["label"] in ART9]
            if not spans:
                continue
            notes_with_art9 += 1
            if rec["id"] not in findings:
                unscanned += 1
            found = findings.get(rec["id"], [])
            text = rec.get("text")
            per_note_same: set[str] = set()
            per_note_any: set[str] = set()
            per_note_partly: set[str] = set()
            for span in spans:
                label = span["label"]
                labelled[label] += 1
                same = [f for f in found if f["entity_type"] == label]
                if not _overlaps(span, same):
                    per_note_same.add(label)
                if not _overlaps(span, found):
                    per_note_any.add(label)
                if not _fully_covered(span, found, text):
                    per_note_partly.add(label)
            for label in per_note_same:
                missed_same[label] += 1
            for label in per_note_any:
                missed_any[label] += 1
            for label in per_note_partly:
                partly[label] += 1
            if per_note_same:
                notes_missed_same.add(rec["id"])
            if per_note_any:
                notes_missed_any.add(rec["id"])
    return {
        "notes": notes,
        "notes_with_art9": notes_with_art9,
        "notes_not_in_scan_output": unscanned,
        "notes_missed_same_category": len(notes_missed_same),
        "notes_missed_any_redaction": len(notes_missed_any),
        "labelled_spans": dict(labelled),
        "missed_same_category": dict(missed_same),
        "missed_any_redaction": dict(missed_any),
        "partly_exposed": dict(partly),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("scan", type=Path)
    parser.add_argument("--json", type=Path, help="also write the counts here")
    args = parser.parse_args(argv)
    result = audit(args.gold, args.scan)
    print(
        f"notes {result['notes']}, with Art. 9 labels {result['notes_with_art9']}; "
        f"missed (no same-category finding) {result['notes_missed_same_category']}, "
        f"in clear (no finding at all) {result['notes_missed_any_redaction']}"
    )
    print(f"{'category':18s} {'spans':>7s} {'notes missed':>13s} {'in clear':>9s} {'partly':>7s}")
    for label in ART9:
        n = result["labelled_spans"].get(label, 0)
        if not n:
            continue
        print(
            f"{label:18s} {n:7d} {result['missed_same_category'].get(label, 0):13d} "
            f"{result['missed_any_redaction'].get(label, 0):9d} "
            f"{result['partly_exposed'].get(label, 0):7d}"
        )
    if result["notes_not_in_scan_output"]:
        missing = result["notes_not_in_scan_output"]
        print(f"warning: {missing} labelled notes not in the scan output")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
