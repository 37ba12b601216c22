"""The independent guard's own quality: recall, false alarms and the hold rate users feel.

Prints, for the stems in ``orchestration/lib/guard_stems.yaml`` (guard version shown):
  dev notes (/work/shared/eval/dev_notes.jsonl or --dev), RAW text:
      recall = notes with an Art. 9 label that have a guard hit, per labelled category too;
      false alarms = notes without an Art. 9 label that have a hit;
  sample CRM gold (generated with --customers/--seed, or --gold FILE), RAW text: the same;
  sample CRM, text as the scanner REDACTED it (scanned here, or --scanned FILE from
      ``pii_scanners scan``): the hold rate (share of all notes the guard holds: what users
      feel), how many notes still hold a gold Art. 9 phrase after redaction (the scanner's
      leaks) and how many of those the guard holds (containment of real leaks);
  HateCheck (external): share of cases naming an Art. 9 group with a hit (plain / spelling
      variants), and of benign cases with a hit, per language;
  GraSCCo (external, German clinical letters, all about health): share of letters held;
  with --warehouse W: the blocking check's full scan of every stored free-text value of a
      pipeline's warehouse (values, hits, seconds), as the quality check runs it.

    python benchmarks/guard_quality.py [--customers 2000 --seed 7] [--gold G --scanned S]
        [--warehouse W.duckdb]

Everything runs in an in-memory DuckDB with the same SQL the pipeline uses; prints counts only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orchestration.lib.guard import CATEGORY_ORDER, Guard, load_guard

ART9 = frozenset(CATEGORY_ORDER)
EVAL = Path("/work/shared/eval")


def read_jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def art9_labels(record: dict) -> set[str]:  # type: ignore[type-arg]
    return {s["label"] for s in record.get("spans", []) if s["label"] in ART9}


def hits(guard: Guard, con: duckdb.DuckDBPyConnection, texts: list[str]) -> dict[int, str]:
    return guard.suspected(con, texts)


def rate(part: int, whole: int) -> str:
    return f"{part / whole:.4f} ({part:,}/{whole:,})" if whole else "n/a (0)"


def labelled_quality(
    name: str, records: list[dict], guard: Guard, con: duckdb.DuckDBPyConnection
) -> None:  # type: ignore[type-arg]
    found = hits(guard, con, [r["text"] for r in records])
    positives = [i for i, r in enumerate(records) if art9_labels(r)]
    negatives = [i for i, r in enumerate(records) if not art9_labels(r)]
    recall_hits = sum(1 for i in positives if i in found)
    alarms = sum(1 for i in negatives if i in found)
    print(f"{name} (raw text): {len(records):,} notes")
    print(f"  recall (Art. 9 notes with a hit)      {rate(recall_hits, len(positives))}")
    print(f"  false alarms (notes without Art. 9)   {rate(alarms, len(negatives))}")
    per = Counter()
    per_hit = Counter()
    for i in positives:
        for label in art9_labels(records[i]):
            per[label] += 1
            per_hit[label] += i in found
    print(
        "  recall by labelled category: "
        + ", ".join(f"{c} {per_hit[c] / per[c]:.3f} ({per_hit[c]}/{per[c]})" for c in sorted(per))
    )


def redacted_quality(
    gold: list[dict], scanned: dict[str, str], guard: Guard, con: duckdb.DuckDBPyConnection
) -> None:  # type: ignore[type-arg]
    records = [r for r in gold if r["id"] in scanned]
    texts = [scanned[r["id"]] for r in records]
    started = time.perf_counter()
    found = hits(guard, con, texts)
    elapsed = time.perf_counter() - started
    leaked = [
        i
        for i, r in enumerate(records)
        if any(
            s["label"] in ART9 and r["text"][s["start"] : s["end"]] in texts[i]
            for s in r.get("spans", [])
        )
    ]
    held_leaks = sum(1 for i in leaked if i in found)
    print(f"sample CRM (scanner-redacted text): {len(records):,} notes, guard {elapsed:.2f} s")
    print(f"  hold rate (notes held for review)     {rate(len(found), len(records))}")
    print(f"  notes still holding a gold Art. 9 phrase after redaction: {len(leaked):,}")
    print(f"  of those held by the guard            {rate(held_leaks, len(leaked))}")
    by_category = Counter(found.values())
    print("  held by guard category: " + ", ".join(f"{c} {n}" for c, n in by_category.items()))
    false_holds = len(found) - held_leaks
    print(f"  held without a surviving gold phrase  {rate(false_holds, len(records))}")


def hatecheck(guard: Guard, con: duckdb.DuckDBPyConnection, path: Path) -> None:
    cases = read_jsonl(path)
    found = hits(guard, con, [c["text"] for c in cases])
    for lang in ("de", "en"):
        counts = Counter()
        for i, case in enumerate(cases):
            if case["lang"] != lang:
                continue
            if case["expect"]:
                kind = "spelling" if case["functionality"].startswith("spell_") else "plain"
            else:
                kind = "benign"
            counts[(kind, "n")] += 1
            counts[(kind, "hit")] += i in found
        print(
            f"HateCheck {lang}: Art. 9 groups, plain "
            f"{rate(counts[('plain', 'hit')], counts[('plain', 'n')])}; spelling variants "
            f"{rate(counts[('spelling', 'hit')], counts[('spelling', 'n')])}; benign with a hit "
            f"{rate(counts[('benign', 'hit')], counts[('benign', 'n')])}"
        )


def grascco(guard: Guard, con: duckdb.DuckDBPyConnection, path: Path) -> None:
    letters = read_jsonl(path)
    found = hits(guard, con, [r["text"] for r in letters])
    print(f"GraSCCo (clinical letters, all health): held {rate(len(found), len(letters))}")


def full_scan(path: Path) -> None:
    """Time the blocking check's full scan (guard over every stored value) on a real warehouse."""
    from expectations.suites.curated_free_text_suite import guard_counts
    from orchestration.lib.crm_schema import TABLES

    con = duckdb.connect(str(path), read_only=True)
    total_values = total_hits = 0
    started = time.perf_counter()
    for table in TABLES:
        if not table.free_text_columns:
            continue
        table_started = time.perf_counter()
        counts = guard_counts(con, table)
        hits_found = counts.suspected
        total_values += counts.values_checked
        total_hits += hits_found
        print(
            f"  {table.name}: {counts.values_checked:,} values, {hits_found:,} suspected, "
            f"{time.perf_counter() - table_started:.2f} s"
        )
    elapsed = time.perf_counter() - started
    print(
        f"full scan of {path.name}: {total_values:,} stored values, {total_hits:,} suspected, "
        f"{elapsed:.2f} s ({total_values / max(elapsed, 1e-9):,.0f} values/s)"
    )
    con.close()


def sample(customers: int, seed: int, work: Path) -> tuple[Path, Path]:
    export = work / "export"
    gold = work / "gold.jsonl"
    scanned = work / "scanned.jsonl"
    python = sys.executable
    subprocess.run(
        [python, "-m", "orchestration.sample_crm", "--out", str(export),
         "--customers", str(customers), "--seed", str(seed)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    subprocess.run(
        [python, "-m", "orchestration.sample_crm", "gold", "--export", str(export),
         "--out", str(gold)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    subprocess.run(
        [python, "-m", "pii_scanners", "scan", "--input", str(gold), "--output", str(scanned)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return gold, scanned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=EVAL / "dev_notes.jsonl")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gold", type=Path, help="sample CRM gold (sample_crm gold)")
    parser.add_argument("--scanned", type=Path, help="pii_scanners scan output of --gold")
    parser.add_argument("--external", type=Path, default=EVAL / "external")
    parser.add_argument("--warehouse", type=Path, help="time the full scan of this warehouse")
    args = parser.parse_args()
    if args.warehouse:
        full_scan(args.warehouse)
        return

    guard = load_guard()
    con = duckdb.connect()
    print(f"guard {guard.version}: stems per category "
          + ", ".join(f"{s.category} {len(s.substring) + len(s.word_start) + len(s.word)}"
                      for s in guard.stems))  # fmt: skip
    if args.dev.is_file():
        labelled_quality("dev notes", read_jsonl(args.dev), guard, con)
    with tempfile.TemporaryDirectory(prefix="guard-quality-") as work:
        if args.gold and args.scanned:
            gold_path, scanned_path = args.gold, args.scanned
        else:
            print(f"(generating the sample CRM: {args.customers:,} customers, seed {args.seed})")
            gold_path, scanned_path = sample(args.customers, args.seed, Path(work))
        gold = read_jsonl(gold_path)
        labelled_quality("sample CRM gold", gold, guard, con)
        scanned = {r["id"]: r["redacted_text"] for r in read_jsonl(scanned_path)}
        redacted_quality(gold, scanned, guard, con)
    hatecheck_path = args.external / "hatecheck" / "hatecheck.jsonl"
    if hatecheck_path.is_file():
        hatecheck(guard, con, hatecheck_path)
    grascco_path = args.external / "grascco_phi" / "grascco_phi.jsonl"
    if grascco_path.is_file():
        grascco(guard, con, grascco_path)


if __name__ == "__main__":
    main()
