"""Command line of the sample CRM generator (``python -m orchestration.sample_crm``)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from orchestration.lib.progress import Progress
from orchestration.sample_crm.generate import (
    DEFAULT_AS_OF,
    GeneratorConfig,
    generate_export,
    tty_progress,
)
from orchestration.sample_crm.gold import write_gold
from orchestration.sample_crm.writer import ENCODINGS

_DESCRIPTION = """\
Write a deterministic sample CRM export of Santa's workshop: one CSV per table of the export
contract (orchestration/lib/crm_schema.py), export.json (manifest with row counts and sha256),
labels.jsonl (ground truth of planted special-category and PII phrases: offsets and labels, no
text) and, with --canaries, canaries.txt. The same arguments give byte-identical files.

Subcommand:
  gold --export DIR --out FILE.jsonl   join labels and CSVs into evaluation records
                                       {"id","lang","source","text","spans"} for every
                                       non-empty free-text field
"""

_EPILOG = """\
examples:
  python -m orchestration.sample_crm --out data/crm_export --customers 1000 --seed 42
  python -m orchestration.sample_crm --out /tmp/x --customers 500 --seed 1 \\
      --canaries --encoding cp1252
  python -m orchestration.sample_crm gold --export data/crm_export --out data/gold.jsonl

About 5 free-text notes, 17 rows and 10% labelled notes per customer.
"""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _generate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m orchestration.sample_crm",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", required=True, type=Path, help="export directory (created if missing)")
    p.add_argument("--customers", required=True, type=_positive, help="number of customers N")
    p.add_argument("--seed", required=True, type=int, help="random seed")
    p.add_argument(
        "--as-of",
        type=_date,
        default=DEFAULT_AS_OF,
        help=f"export date; data spans the 12 years before it (default {DEFAULT_AS_OF})",
    )
    p.add_argument(
        "--canaries",
        action="store_true",
        help="plant canary e-mail addresses (canary-<12 hex>@example.org, labelled EMAIL) in "
        "free text and list the markers in canaries.txt",
    )
    p.add_argument(
        "--encoding",
        choices=ENCODINGS,
        default="utf-8",
        help="CSV encoding; cp1252 replaces unrepresentable characters with '?' (default utf-8)",
    )
    return p


def _gold_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m orchestration.sample_crm gold",
        description="Join an export's labels.jsonl with its CSVs into evaluation JSON Lines.",
    )
    p.add_argument("--export", required=True, type=Path, help="export directory")
    p.add_argument("--out", required=True, type=Path, help="output JSON Lines file")
    return p


def _stderr_line(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "gold":
        args = _gold_parser().parse_args(argv[1:])
        n = write_gold(args.export, args.out)
        print(f"wrote {n} gold notes to {args.out}", file=sys.stderr)
        return 0
    args = _generate_parser().parse_args(argv)
    cfg = GeneratorConfig(
        out_dir=args.out,
        customers=args.customers,
        seed=args.seed,
        as_of=args.as_of,
        canaries=args.canaries,
        encoding=args.encoding,
    )
    # A terminal gets a live one-line display; logs (CI, make) get timed progress lines.
    if sys.stderr.isatty():
        summary = generate_export(cfg, tty_progress)
    else:
        lines = Progress("sample CRM", cfg.customers, _stderr_line, unit="customers")
        summary = generate_export(cfg, lambda done, _total: lines.update(done))
    rows = sum(t["rows"] for t in summary.tables.values())
    print(
        f"wrote {summary.export_id} to {args.out}: {rows:,} rows, {summary.notes.notes:,} notes "
        f"({summary.notes.labelled:,} labelled)",
        file=sys.stderr,
    )
    return 0
