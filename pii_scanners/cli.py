"""Command line: ``python -m pii_scanners scan|evaluate|explain`` (contract in DESIGN.md).

scan:     JSON Lines in, JSON Lines out, streaming with bounded memory (batches through
          scan_parallel), written to a temporary file that replaces OUT only on success.
          Language: a line's own "lang" is used unless --lang is given explicitly, in which case
          --lang wins for every line (an operator who says --lang en means it); without either
          the language is detected per note ("auto").
explain:  for ONE text the caller supplies, which recognizer, lexicon entry and rule found,
          vetoed, merged or dropped each span (pii_scanners.explain). It prints that text and
          its matched terms to stdout on purpose (a developer / DPO tool); nothing is logged.
evaluate: span-level precision/recall per entity type and language against labelled notes, and
          the external corpora's figures (HateCheck, GraSCCo_PHI); ``--store`` keeps them per
          scanner version in pii_scanners/evaluations (read by the DPO report).

Malformed input: every malformed line (invalid UTF-8 or JSON, a missing or mistyped field, an id
already used on an earlier line) is reported with its line number and the problem, never the
line's content (the input is personal data; nothing sensitive in logs). By default the scan
continues with the valid lines, writes them, and exits 2; ``--strict`` stops at the first problem
and leaves OUT untouched. User errors (a missing file, an unreadable configuration) end with a
one-line message and exit 2, not a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pii_scanners.evaluations import EVALUATIONS_DIR
from pii_scanners.models import ScanRequest

EXIT_MALFORMED = 2
LANG_CHOICES = ("de", "en", "auto")
T = TypeVar("T")


class MalformedInput(ValueError):
    """A line of the input cannot be scanned; the message never contains the line's text."""


class UserError(ValueError):
    """Something the user can fix (a file, an option): one line on stderr, no traceback."""


def _load_labelled(path: str, loader: Callable[[str], T]) -> T:
    """Load a labelled or external corpus, naming the file (not its content) when it is broken."""
    try:
        return loader(path)
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: invalid JSON ({exc.msg})") from None
    except (KeyError, TypeError, AttributeError) as exc:
        problem = f"missing field {exc}" if isinstance(exc, KeyError) else "unexpected record"
        raise UserError(f"{path}: not a labelled JSON Lines file ({problem})") from None


def _check_line(line_no: int, raw: str, forced_lang: str | None) -> ScanRequest:
    try:
        rec = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            f"line {line_no}: invalid JSON ({exc.msg} at column {exc.colno})"
        ) from None
    if not isinstance(rec, dict):
        raise MalformedInput(f"line {line_no}: expected a JSON object")
    for key in ("id", "text"):
        if key not in rec:
            raise MalformedInput(f"line {line_no}: missing required field {key!r}")
        if not isinstance(rec[key], str):
            raise MalformedInput(
                f"line {line_no}: field {key!r} must be a string, not {type(rec[key]).__name__}"
            )
    lang = rec.get("lang")
    if lang is not None and lang not in LANG_CHOICES:
        raise MalformedInput(
            f"line {line_no}: field 'lang' must be one of {', '.join(LANG_CHOICES)}"
        )
    names = rec.get("known_names") or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise MalformedInput(f"line {line_no}: field 'known_names' must be a list of strings")
    return ScanRequest(
        id=rec["id"], text=rec["text"], lang=forced_lang or lang, known_names=tuple(names)
    )


class InputProblems:
    """Collects the malformed lines of one input, or raises at the first one (``strict``).

    Messages carry line numbers and the problem only, never a line's content.
    """

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.messages: list[str] = []

    def report(self, problem: MalformedInput) -> None:
        if self.strict:
            raise problem
        self.messages.append(str(problem))


def read_requests(
    path: Path, forced_lang: str | None, problems: InputProblems | None = None
) -> Iterator[ScanRequest]:
    """Lazily parse and validate the input; blank lines are skipped.

    Lines are decoded one by one, so a line of invalid UTF-8 is reported and the next line still
    read. An id used before is a problem of the later line (its output would be ambiguous). Without
    ``problems`` the first malformed line raises MalformedInput.
    """
    problems = problems or InputProblems(strict=True)
    first_line_of: dict[str, int] = {}
    with open(path, "rb") as fh:
        for line_no, raw_bytes in enumerate(fh, start=1):
            try:
                raw = raw_bytes.decode("utf-8")
            except UnicodeDecodeError:
                problems.report(MalformedInput(f"line {line_no}: not valid UTF-8"))
                continue
            if not raw.strip():
                continue
            try:
                request = _check_line(line_no, raw, forced_lang)
            except MalformedInput as exc:
                problems.report(exc)
                continue
            first = first_line_of.setdefault(request.id, line_no)
            if first != line_no:
                problems.report(
                    MalformedInput(
                        f"line {line_no}: duplicate id, already used on line {first} "
                        "(ids must be unique: each output line is matched to its note by id)"
                    )
                )
                continue
            yield request


def output_record(result: Any) -> dict[str, Any]:
    """The DESIGN.md output line: id, findings (no matched text), redacted_text."""
    return {
        "id": result.id,
        "findings": [f.to_dict() for f in result.findings],
        "redacted_text": result.redacted_text,
    }


@lru_cache(maxsize=2)
def get_scanner(config: str | None) -> Any:
    """One scanner per configuration and process (building one takes seconds)."""
    from pii_scanners.scanner import Scanner

    return Scanner.from_config(config)


def cmd_scan(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from pii_scanners.parallel import scan_parallel

    in_path, out_path = Path(args.input), Path(args.output)
    if not in_path.is_file():
        print(f"error: input file not found: {in_path}", file=sys.stderr)
        return EXIT_MALFORMED
    forced = args.lang  # None: each line's own "lang", else detected per note
    scanner = get_scanner(args.config)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    problems = InputProblems(strict=args.strict)
    count = 0
    try:
        with (
            os.fdopen(fd, "w", encoding="utf-8") as out,
            tqdm(
                desc="scanning", unit=" notes", file=sys.stderr, disable=not sys.stderr.isatty()
            ) as bar,
        ):
            results = scan_parallel(
                read_requests(in_path, forced, problems),
                workers=args.workers,
                batch_size=args.batch_size,
                scanner=scanner,
            )
            for result in results:
                out.write(json.dumps(output_record(result), ensure_ascii=False) + "\n")
                count += 1
                bar.update(1)
        os.replace(tmp_name, out_path)
    except MalformedInput as exc:
        Path(tmp_name).unlink(missing_ok=True)
        print(f"error: {in_path.name}: {exc}", file=sys.stderr)
        print(
            f"error: stopped at the first malformed line (--strict); {out_path} not written",
            file=sys.stderr,
        )
        return EXIT_MALFORMED
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    for message in problems.messages:
        print(f"error: {in_path.name}: {message}", file=sys.stderr)
    print(f"scanned {count} notes -> {out_path} (scanner {scanner.version})", file=sys.stderr)
    if problems.messages:
        print(
            f"error: {len(problems.messages)} malformed line(s) skipped, listed above; "
            "fix them and scan again, or use --strict to stop at the first",
            file=sys.stderr,
        )
        return EXIT_MALFORMED
    return 0


def _score_external(
    ev: Any, path: str, scorer: Callable[..., Any], scanner: Any, prefilter: bool
) -> Any:
    """Load an external corpus and score the scanner on it (its records must carry its fields)."""
    cases = ev.load_jsonl(path)
    return scorer(cases, ev.predict(ev.external_requests(cases), scanner, prefilter))


def cmd_evaluate(args: argparse.Namespace) -> int:
    import datetime as dt

    from pii_scanners import evaluate as ev
    from pii_scanners.evaluations import store_evaluation

    if not (args.gold or args.hatecheck or args.grascco):
        print("error: give at least one of --gold, --hatecheck, --grascco", file=sys.stderr)
        return EXIT_MALFORMED
    if args.store is not None:
        try:
            dt.date.fromisoformat(args.evaluated_on or "")
        except ValueError:
            print("error: --store needs --evaluated-on YYYY-MM-DD", file=sys.stderr)
            return EXIT_MALFORMED
    scanner = get_scanner(args.config)
    prefilter = not args.no_prefilter
    records: dict[str, dict[str, Any]] = {}
    if args.gold:
        per_file = [(path, _load_labelled(path, lambda p: ev.load_gold([p]))) for path in args.gold]
        predictions: dict[str, Any] = {}
        for path, notes in per_file:
            found = ev.predict(ev.gold_requests(notes), scanner, prefilter)
            predictions.update(found)
            records[Path(path).stem] = ev.corpus_record(
                ev.labelled_record(notes, ev.score(notes, found)), path, args.evaluated_on
            )
        notes = [n for _, file_notes in per_file for n in file_notes]
        metrics = ev.score(notes, predictions)
        metrics["scanner_version"] = scanner.version
        print(ev.format_table(metrics))
        if args.json:
            Path(args.json).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    for path, scorer, fmt in (
        (args.hatecheck, ev.score_hatecheck, ev.format_hatecheck),
        (args.grascco, ev.score_grascco, ev.format_grascco),
    ):
        if path:
            figures = _load_labelled(
                path,
                lambda p, score=scorer: _score_external(ev, p, score, scanner, prefilter),
            )
            print(fmt(figures))
            records[Path(path).stem] = ev.corpus_record(figures, path, args.evaluated_on)
    if args.store is not None:
        stored = store_evaluation(scanner.version, records, Path(args.store))
        print(f"stored {', '.join(sorted(records))} for scanner {scanner.version} -> {stored}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from pii_scanners.explain import explain, format_explanation

    if (args.text is None) == (args.input is None):
        print("error: give exactly one of --text or --input", file=sys.stderr)
        return EXIT_MALFORMED
    forced = args.lang  # as in scan: an explicit --lang (auto too) wins over the line's
    if args.text is not None:
        request = ScanRequest(id="explain", text=args.text, lang=forced)
    else:
        path = Path(args.input)
        if not path.is_file():
            print(f"error: input file not found: {path}", file=sys.stderr)
            return EXIT_MALFORMED
        try:
            requests = list(read_requests(path, forced))
        except MalformedInput as exc:
            print(f"error: {path.name}: {exc}", file=sys.stderr)
            return EXIT_MALFORMED
        if len(requests) != 1:
            print(
                f"error: {path.name}: expected exactly one JSON line, found {len(requests)}",
                file=sys.stderr,
            )
            return EXIT_MALFORMED
        request = requests[0]
    scanner = get_scanner(args.config)
    result = explain(scanner, request.text, request.lang, request.known_names)
    print(format_explanation(result, scanner))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pii_scanners",
        description="Find and redact personal data and special categories of personal data "
        "(Art. 9 GDPR) in free-text notes, offline; measure and explain the scanner.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    scan = sub.add_parser("scan", help="scan and redact a JSON Lines file")
    scan.add_argument("--input", required=True, help="input JSONL: {id, text, lang?, known_names?}")
    scan.add_argument("--output", required=True, help="output JSONL: {id, findings, redacted_text}")
    scan.add_argument(
        "--lang",
        choices=LANG_CHOICES,
        default=None,
        help="force the language of every line (default: the line's own 'lang', else auto)",
    )
    scan.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    scan.add_argument("--batch-size", type=int, default=None, help="notes per worker task")
    scan.add_argument("--config", default=None, help="scanner.yaml (default: packaged)")
    scan.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first malformed line and write nothing (default: report every "
        "malformed line with its number, scan the others, exit 2)",
    )
    scan.set_defaults(func=cmd_scan)

    ev = sub.add_parser("evaluate", help="measure the scanner against labelled notes")
    ev.add_argument("--gold", action="append", default=[], help="labelled JSONL (repeatable)")
    ev.add_argument("--hatecheck", default=None, help="HateCheck JSONL (identity-term coverage)")
    ev.add_argument("--grascco", default=None, help="GraSCCo_PHI JSONL (clinical letters)")
    ev.add_argument("--json", default=None, help="also write the --gold metrics as JSON here")
    ev.add_argument(
        "--store",
        nargs="?",
        const=str(EVALUATIONS_DIR),
        default=None,
        metavar="DIR",
        help="store the figures per corpus under the scanner version "
        "(DIR/<version>.json; default DIR: the packaged pii_scanners/evaluations)",
    )
    ev.add_argument(
        "--evaluated-on", default=None, help="date stored with the figures (YYYY-MM-DD)"
    )
    ev.add_argument("--config", default=None, help="scanner.yaml (default: packaged)")
    ev.add_argument("--no-prefilter", action="store_true", help="send every note to Presidio")
    ev.set_defaults(func=cmd_evaluate)

    ex = sub.add_parser(
        "explain",
        help="why each span of one text was found, vetoed, merged or dropped",
        description=(
            "Explain one scan: which recognizer, lexicon entry (file#entries[i]) and rule found, "
            "vetoed, merged or dropped each span, the PII recognizers' findings and the overlap "
            "resolution. PRINTS THE TEXT YOU GIVE AND ITS MATCHED TERMS TO STDOUT: run it on "
            "text you may see; nothing is written to a log."
        ),
    )
    ex.add_argument("--text", default=None, help="the text to explain")
    ex.add_argument(
        "--input", default=None, help="a JSONL file with exactly one line {id, text, lang?}"
    )
    ex.add_argument(
        "--lang",
        choices=LANG_CHOICES,
        default=None,
        help="de, en, or auto (default: the line's own 'lang', else auto as the pipeline scans)",
    )
    ex.add_argument("--config", default=None, help="scanner.yaml (default: packaged)")
    ex.set_defaults(func=cmd_explain)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; user errors become a one-line message and exit 2, not a traceback."""
    import yaml

    from pii_scanners.config import ConfigError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except (ConfigError, yaml.YAMLError) as exc:
        print(f"error: scanner configuration: {exc}", file=sys.stderr)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        print(f"error: {exc.strerror or type(exc).__name__}: {exc.filename}", file=sys.stderr)
    return EXIT_MALFORMED
