"""Audit a warehouse against the sample CRM's gold: which labelled Art. 9 phrases were stored?

Joins each gold note (``python -m orchestration.sample_crm gold``: id ``<table>:<record id>:
<column>``, text, spans) to the text the pipeline stored for that record and column. A phrase
SURVIVES when the stored value is not the guard's review marker and still contains the gold
phrase as often as the raw text does (no occurrence was redacted: the scanner missed it and the
guard did not hold the value; a plain substring test would count "Frau" as surviving when the
labelled "ihre Frau" became <SEX_LIFE> but "Frau <PERSON>" stays, so that looser count is printed
beside it). Prints
counts per category, the notes held for review, and the ids (never the text) of the first notes
with a surviving phrase.

    python benchmarks/warehouse_leak_audit.py --warehouse W.duckdb --gold gold.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orchestration.lib.crm_schema import TABLES
from orchestration.lib.guard import CATEGORY_ORDER, load_guard

ART9 = frozenset(CATEGORY_ORDER)
FIRST_IDS = 20


def stored_texts(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """``<table>:<record id>:<column>`` -> stored text, for every free-text column."""
    texts: dict[str, str | None] = {}
    for table in TABLES:
        for column in table.free_text_columns:
            rows = con.execute(
                f'select cast("{table.primary_key}" as varchar), "{column}" '
                f'from landing."{table.name}"'
            ).fetchall()
            texts.update({f"{table.name}:{rid}:{column}": text for rid, text in rows})
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--gold", type=Path, required=True)
    args = parser.parse_args()

    marker = load_guard().marker
    con = duckdb.connect(str(args.warehouse), read_only=True)
    stored = stored_texts(con)
    con.close()

    notes = phrases = notes_with_art9 = held = held_with_art9 = missing = 0
    surviving_notes: list[str] = []
    substring_survivals = 0
    surviving_by_category: Counter[str] = Counter()
    phrases_by_category: Counter[str] = Counter()
    with args.gold.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            notes += 1
            spans = [s for s in record.get("spans", []) if s["label"] in ART9]
            if record["id"] not in stored:
                missing += 1
                continue
            text = stored[record["id"]]
            is_held = text == marker
            held += is_held
            if not spans:
                continue
            notes_with_art9 += 1
            held_with_art9 += is_held
            survived = False
            for span in spans:
                phrases += 1
                phrases_by_category[span["label"]] += 1
                phrase = record["text"][span["start"] : span["end"]]
                if is_held or text is None or phrase not in text:
                    continue
                substring_survivals += 1
                if text.count(phrase) >= record["text"].count(phrase):
                    surviving_by_category[span["label"]] += 1
                    survived = True
            if survived:
                surviving_notes.append(record["id"])

    print(f"warehouse {args.warehouse} vs gold {args.gold}")
    print(f"  gold notes {notes:,} ({missing:,} not found in the warehouse, e.g. quarantined)")
    print(f"  notes with an Art. 9 label {notes_with_art9:,}, labelled phrases {phrases:,}")
    print(f"  values held for review {held:,} (of them with an Art. 9 label {held_with_art9:,})")
    print(f"  Art. 9 phrases stored in clear: {sum(surviving_by_category.values()):,} "
          f"in {len(surviving_notes):,} notes (phrase still present as a substring somewhere: "
          f"{substring_survivals:,})")  # fmt: skip
    for category in CATEGORY_ORDER:
        if phrases_by_category[category]:
            print(
                f"    {category:18s} {surviving_by_category[category]:5,} of "
                f"{phrases_by_category[category]:6,} phrases"
            )
    if surviving_notes:
        print("  first note ids: " + ", ".join(sorted(surviving_notes)[:FIRST_IDS]))


if __name__ == "__main__":
    main()
