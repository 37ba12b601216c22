"""Freeze the scanner's output on a fixed note set: the reference for test_scan_equivalence.py.

Why: issue 16 made the per-candidate path cheaper (one pass for the PII patterns, fewer spaCy
runs). "Without losing a finding" is checked against what the scanner found BEFORE that work:
this script ran once with the code of commit 2a43a37 and wrote
``data/scan_equivalence.jsonl.gz``; the test scans the same notes with today's code and
compares every finding (entity, start, end, score, recognizer), the redacted text and the
detected language.

The note set (all deterministic):
- the 150 labelled dev notes (``/work/shared/eval/dev_notes.jsonl``), scanned twice: with
  their language and detected (lang=auto, as the pipeline scans); only their ids are stored
  (the texts stay in the shared folder; the test skips this part without it);
- 400 notes of the dense mix (``benchmarks/scan_throughput.py --dense``, seed 16), every third
  one with known names of the dev notes' people;
- the free-text values of a sample CRM export (``orchestration.sample_crm``, 300 customers,
  seed 3) with the record's known names, language detected: the first 600 distinct (text,
  names) pairs of the benchmark's shuffled order.

Rerun only to re-freeze deliberately (a documented change of findings):
    .venv/bin/python tests/pii_scanners/freeze_scan_findings.py
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from pii_scanners.models import ScanRequest  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "data" / "scan_equivalence.jsonl.gz"
DENSE_NOTES, DENSE_SEED = 400, 16
SAMPLE_CUSTOMERS, SAMPLE_SEED, SAMPLE_MAX = 300, 3, 600
#: people named in the dev notes, given as a record's known names to every third dense note
DENSE_NAMES = (("Kai",), ("Claudia", "Rahmani"), ("Moritz", "Keller"), ("Fletcher",))


def dev_requests(path: Path) -> Iterator[tuple[str, ScanRequest]]:
    """(set, request) for every dev note, with its language and detected."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                yield "dev", ScanRequest(f"{rec['id']}:{rec['lang']}", rec["text"], rec["lang"])
                yield "dev", ScanRequest(f"{rec['id']}:auto", rec["text"], None)


def dense_requests() -> Iterator[tuple[str, ScanRequest]]:
    import scan_throughput

    for i, r in enumerate(scan_throughput.dense_notes(DENSE_NOTES, DENSE_SEED)):
        names = DENSE_NAMES[(i // 3) % len(DENSE_NAMES)] if i % 3 == 0 else ()
        yield "dense", ScanRequest(r.id, r.text, r.lang, names)


def sample_requests(tmp: Path) -> Iterator[tuple[str, ScanRequest]]:
    import scan_throughput

    export = tmp / "export"
    size = ["--customers", str(SAMPLE_CUSTOMERS), "--seed", str(SAMPLE_SEED)]
    subprocess.run(
        [sys.executable, "-m", "orchestration.sample_crm", "--out", str(export), *size],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    notes = tmp / "notes.jsonl"
    scan_throughput.export_to_jsonl(export, notes)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    count = 0
    with open(notes, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            key = (rec["text"], tuple(rec["known_names"]))
            if key in seen:
                continue
            seen.add(key)
            yield "sample", ScanRequest(rec["id"], rec["text"], None, key[1])
            count += 1
            if count >= SAMPLE_MAX:
                return


def record(kind: str, request: ScanRequest, result: object) -> dict:
    rec: dict = {"set": kind, "id": request.id}
    if kind != "dev":  # dev note texts stay in the shared folder
        rec.update(text=request.text, lang=request.lang, known_names=list(request.known_names))
    rec["detected"] = result.lang
    rec["findings"] = [
        [f.entity_type, f.start, f.end, f.score, f.recognizer] for f in result.findings
    ]
    if kind == "dev":
        rec["redacted_sha256"] = hashlib.sha256(result.redacted_text.encode()).hexdigest()
    else:
        rec["redacted"] = result.redacted_text
    return rec


def main() -> None:
    from conftest import DEV_NOTES

    from pii_scanners.scanner import Scanner

    dev = DEV_NOTES
    if not dev.exists():
        dev = REPO.parents[1] / "shared" / "eval" / "dev_notes.jsonl"
    scanner = Scanner.from_config()
    scanner.use_memo = False
    with tempfile.TemporaryDirectory(prefix="freeze-") as tmp:
        requests = [*dev_requests(dev), *dense_requests(), *sample_requests(Path(tmp))]
    lines = []
    for kind, request in requests:
        lines.append(record(kind, request, scanner.scan_one(request)))
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in lines)
    with gzip.GzipFile(FIXTURE, "wb", mtime=0) as raw:
        raw.write(text.encode())
    findings = sum(len(r["findings"]) for r in lines)
    print(f"{len(lines)} notes, {findings} findings, scanner {scanner.version} -> {FIXTURE}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
