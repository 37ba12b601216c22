"""Span-level evaluation of the scanner against labelled notes (eval/README.md format).

Why these measures: a DPO needs to know how much sensitive text survives redaction (recall,
and the share of gold characters covered by any redaction), how much harmless text is lost
(precision), and whether a note with Art. 9 data is flagged at all (note-level recall: that is
what triggers the customer notification). Matching is by overlap because span boundaries are
a convention (eval README) that a regex can miss by a word without leaking anything.

- a gold span is found when a predicted span of the same type overlaps it (recall);
- a predicted span is correct when it overlaps a gold span of the same type (precision);
- coverage: share of gold characters inside any predicted span, whatever its type;
- note recall: share of notes with a gold special category where any special category is found.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pii_scanners.models import Finding, ScanRequest

LABEL_TO_ENTITY = {"EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER", "IBAN": "IBAN_CODE"}
SPECIAL = (
    "HEALTH",
    "RELIGION",
    "ETHNIC_ORIGIN",
    "POLITICAL_OPINION",
    "TRADE_UNION",
    "SEX_LIFE",
    "GENETIC",
    "BIOMETRIC",
    "CRIMINAL_OFFENCE",
)
PII = ("EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "ADDRESS", "DATE_OF_BIRTH")
GROUPS = {"SPECIAL (all)": SPECIAL, "PII (all)": PII}


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    entity_type: str


@dataclass(frozen=True)
class GoldNote:
    id: str
    lang: str
    text: str
    spans: tuple[GoldSpan, ...]
    known_names: tuple[str, ...] = ()


def load_gold(paths: Iterable[str | Path]) -> list[GoldNote]:
    """Read gold JSONL files; label names are mapped to the scanner's entity types."""
    notes: list[GoldNote] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                rec = json.loads(line)
                spans = tuple(
                    GoldSpan(s["start"], s["end"], LABEL_TO_ENTITY.get(s["label"], s["label"]))
                    for s in rec.get("spans", [])
                )
                notes.append(
                    GoldNote(
                        id=str(rec["id"]),
                        lang=rec.get("lang") or "auto",
                        text=rec["text"],
                        spans=spans,
                        known_names=tuple(rec.get("known_names") or ()),
                    )
                )
    return notes


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass
class Counts:
    gold: int = 0
    gold_found: int = 0
    pred: int = 0
    pred_correct: int = 0

    def as_dict(self) -> dict[str, float | int | None]:
        p = self.pred_correct / self.pred if self.pred else None
        r = self.gold_found / self.gold if self.gold else None
        f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return {
            "gold": self.gold,
            "found": self.gold_found,
            "predicted": self.pred,
            "correct": self.pred_correct,
            "precision": p,
            "recall": r,
            "f1": f1,
        }


def score(notes: Sequence[GoldNote], predictions: dict[str, list[Finding]]) -> dict[str, Any]:
    """Compute the metrics dict for gold notes and their predicted findings (by note id)."""
    counts: dict[tuple[str, str], Counts] = defaultdict(Counts)
    gold_chars = covered_chars = 0
    notes_special = notes_special_found = notes_clean = notes_clean_flagged = 0
    for note in notes:
        preds = predictions.get(note.id, [])
        for lang in (note.lang, "all"):
            for g in note.spans:
                found = any(
                    p.entity_type == g.entity_type and _overlaps(p.start, p.end, g.start, g.end)
                    for p in preds
                )
                for key in _keys(g.entity_type):
                    c = counts[(key, lang)]
                    c.gold += 1
                    c.gold_found += found
            for p in preds:
                correct = any(
                    p.entity_type == g.entity_type and _overlaps(p.start, p.end, g.start, g.end)
                    for g in note.spans
                )
                for key in _keys(p.entity_type):
                    c = counts[(key, lang)]
                    c.pred += 1
                    c.pred_correct += correct
        for g in note.spans:
            gold_chars += g.end - g.start
            covered_chars += sum(
                1 for i in range(g.start, g.end) if any(p.start <= i < p.end for p in preds)
            )
        has_special = any(g.entity_type in SPECIAL for g in note.spans)
        flagged = any(p.entity_type in SPECIAL for p in preds)
        if has_special:
            notes_special += 1
            notes_special_found += flagged
        else:
            notes_clean += 1
            notes_clean_flagged += flagged
    return {
        "entities": {f"{key}|{lang}": c.as_dict() for (key, lang), c in sorted(counts.items())},
        "redaction_char_coverage": covered_chars / gold_chars if gold_chars else None,
        "note_level_special": {
            "notes_with_special": notes_special,
            "flagged": notes_special_found,
            "recall": notes_special_found / notes_special if notes_special else None,
            "notes_without_special": notes_clean,
            "falsely_flagged": notes_clean_flagged,
        },
        "notes": len(notes),
    }


def _keys(entity_type: str) -> list[str]:
    keys = [entity_type]
    keys += [group for group, members in GROUPS.items() if entity_type in members]
    return keys


def run(notes: Sequence[GoldNote], scanner: Any, prefilter: bool = True) -> dict[str, Any]:
    """Scan the gold notes with ``scanner`` (a pii_scanners.Scanner) and score them."""
    previous = scanner.use_prefilter
    scanner.use_prefilter = prefilter
    try:
        results = scanner.scan_batch(
            ScanRequest(n.id, n.text, n.lang, n.known_names) for n in notes
        )
    finally:
        scanner.use_prefilter = previous
    metrics = score(notes, {r.id: r.findings for r in results})
    metrics["scanner_version"] = scanner.version
    return metrics


def format_table(metrics: dict[str, Any]) -> str:
    """Readable table: one row per entity type (and group) and language."""
    rows = [
        f"{'entity':<20}{'lang':<5}{'gold':>6}{'found':>7}{'pred':>6}{'prec':>7}{'rec':>7}{'F1':>7}"
    ]

    def fmt(x: float | None) -> str:
        return "   -  " if x is None else f"{x:6.3f}"

    entities = metrics["entities"]
    order = [*SPECIAL, "PERSON", *PII, *GROUPS]
    seen = {k.split("|")[0] for k in entities}
    for key in [k for k in order if k in seen] + sorted(seen - set(order)):
        for lang in ("all", "de", "en"):
            m = entities.get(f"{key}|{lang}")
            if not m:
                continue
            rows.append(
                f"{key:<20}{lang:<5}{m['gold']:>6}{m['found']:>7}{m['predicted']:>6}"
                f" {fmt(m['precision'])} {fmt(m['recall'])} {fmt(m['f1'])}"
            )
    nl = metrics["note_level_special"]
    rows.append("")
    rows.append(f"notes: {metrics['notes']}")
    cov = metrics["redaction_char_coverage"]
    rows.append(f"gold characters covered by redaction: {fmt(cov).strip()}")
    rows.append(
        f"note-level special-category recall: {nl['flagged']}/{nl['notes_with_special']}"
        f" = {fmt(nl['recall']).strip()}; notes without special category flagged:"
        f" {nl['falsely_flagged']}/{nl['notes_without_special']}"
    )
    if "scanner_version" in metrics:
        rows.append(f"scanner version: {metrics['scanner_version']}")
    return "\n".join(rows)
