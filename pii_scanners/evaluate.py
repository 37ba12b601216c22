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

The external corpora (HateCheck, GraSCCo_PHI; ../shared/eval/external) are scored the way their
own ``score.py`` scores them, reimplemented here so the stored figures need nothing outside the
package. ``corpus_record`` and the two external scorers return what ``pii_scanners.evaluations``
stores per scanner version: counts and rates only, never a note's text or a matched string.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pii_scanners.lexicons.loader import ALL_CATEGORIES
from pii_scanners.models import Finding, ScanRequest

LABEL_TO_ENTITY = {"EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER", "IBAN": "IBAN_CODE"}
SPECIAL = ALL_CATEGORIES
#: The eight categories of Art. 9(1) GDPR the external scorers count (no CRIMINAL_OFFENCE).
ART9 = frozenset(SPECIAL[:8])
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


def predict(
    requests: Iterable[ScanRequest], scanner: Any, prefilter: bool = True
) -> dict[str, list[Finding]]:
    """Findings per request id from ``scanner`` (a pii_scanners.Scanner)."""
    previous = scanner.use_prefilter
    scanner.use_prefilter = prefilter
    try:
        results = scanner.scan_batch(requests)
    finally:
        scanner.use_prefilter = previous
    return {r.id: r.findings for r in results}


def gold_requests(notes: Iterable[GoldNote]) -> list[ScanRequest]:
    return [ScanRequest(n.id, n.text, n.lang, n.known_names) for n in notes]


def run(notes: Sequence[GoldNote], scanner: Any, prefilter: bool = True) -> dict[str, Any]:
    """Scan the gold notes with ``scanner`` (a pii_scanners.Scanner) and score them."""
    metrics = score(notes, predict(gold_requests(notes), scanner, prefilter))
    metrics["scanner_version"] = scanner.version
    return metrics


# --- what is stored per scanner version (pii_scanners.evaluations) ----------------------------


def file_sha256(path: str | Path) -> str:
    """The corpus file's sha256: the stored figures say exactly which text they were measured on."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ratio(count: int, total: int) -> dict[str, int | float | None]:
    """A rate with the counts it comes from (a reader can check it; 4 decimals, deterministic)."""
    return {"count": count, "total": total, "rate": round(count / total, 4) if total else None}


def _entity_figures(metrics: dict[str, Any], key: str, lang: str = "all") -> dict[str, Any]:
    m = metrics["entities"].get(f"{key}|{lang}") or {"gold": 0, "found": 0, "predicted": 0}
    return {
        "recall": ratio(int(m["found"]), int(m["gold"])),
        "precision": ratio(int(m.get("correct", 0)), int(m["predicted"])),
    }


def labelled_record(notes: Sequence[GoldNote], metrics: dict[str, Any]) -> dict[str, Any]:
    """Figures of labelled notes (dev notes, a sample CRM's gold) as stored per scanner version."""
    keys = {k.split("|")[0] for k in metrics["entities"]}
    langs = sorted({n.lang for n in notes} - {"auto"})
    nl = metrics["note_level_special"]
    return {
        "kind": "labelled_notes",
        "notes": len(notes),
        "spans": sum(len(n.spans) for n in notes),
        "special": {
            lang: _entity_figures(metrics, "SPECIAL (all)", lang) for lang in ["all", *langs]
        },
        "special_by_category": {c: _entity_figures(metrics, c) for c in SPECIAL if c in keys},
        "note_level_special": {
            "recall": ratio(int(nl["flagged"]), int(nl["notes_with_special"])),
            "falsely_flagged": ratio(int(nl["falsely_flagged"]), int(nl["notes_without_special"])),
        },
        "pii": _entity_figures(metrics, "PII (all)"),
        "pii_by_entity": {e: _entity_figures(metrics, e) for e in ("PERSON", *PII) if e in keys},
    }


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def external_requests(records: Iterable[dict[str, Any]]) -> list[ScanRequest]:
    """Each case in its own language, as ``python -m pii_scanners scan`` would read it."""
    return [ScanRequest(str(r["id"]), r["text"], r.get("lang") or "auto") for r in records]


def score_hatecheck(
    cases: Sequence[dict[str, Any]], predictions: dict[str, list[Finding]]
) -> dict[str, Any]:
    """Identity-term coverage and benign false positives, as hatecheck/score.py counts them.

    coverage: cases naming a group that maps to an Art. 9 category, with a finding of that
    category anywhere in the case; plain wording and the ``spell_*`` variants apart.
    benign: cases naming no Art. 9 group with any Art. 9 finding. Per language; per group too.
    """
    cov: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    ben: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        labels = {f.entity_type for f in predictions.get(str(case["id"]), [])}
        lang = case["lang"]
        if case["expect"]:
            kind = "spelling" if case["functionality"].startswith("spell_") else "plain"
            hit = bool(labels & set(case["expect"]))
            for group in (case["target_ident"], "all"):
                cov[(lang, group, kind)][0] += hit
                cov[(lang, group, kind)][1] += 1
        else:
            ben[lang][0] += bool(labels & ART9)
            ben[lang][1] += 1
    coverage: dict[str, dict[str, dict[str, Any]]] = {}
    for (lang, group, kind), (hit, n) in sorted(cov.items()):
        coverage.setdefault(lang, {}).setdefault(group, {})[kind] = ratio(hit, n)
    return {
        "kind": "identity_term_coverage",
        "cases": len(cases),
        "coverage": coverage,
        "benign_false_positive": {lang: ratio(h, n) for lang, (h, n) in sorted(ben.items())},
    }


#: GraSCCo_PHI labels scored for recall (grascco_phi/score.py).
GRASCCO_SCORED = ("PERSON", "DATE_OF_BIRTH", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS")


def score_grascco(
    letters: Sequence[dict[str, Any]], predictions: dict[str, list[Finding]]
) -> dict[str, Any]:
    """PII recall by overlap, a PERSON precision proxy and note-level HEALTH on clinical letters.

    As grascco_phi/score.py: a gold span is found by an overlapping finding of its type; a
    PERSON finding overlapping no annotated PHI span at all counts against the precision proxy;
    every letter is about a patient's health, so letters with a HEALTH finding are the
    note-level HEALTH recall.
    """
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    person_all = person_fp = health_letters = date_as_dob = date_total = 0
    other_art9: Counter[str] = Counter()
    for letter in letters:
        fs = predictions.get(str(letter["id"]), [])
        spans = letter["spans"]
        for s in spans:
            if s["label"] == "DATE":
                date_total += 1
                date_as_dob += any(
                    f.entity_type == "DATE_OF_BIRTH"
                    and _overlaps(f.start, f.end, s["start"], s["end"])
                    for f in fs
                )
            if s["label"] not in GRASCCO_SCORED:
                continue
            total[s["label"]] += 1
            found[s["label"]] += any(
                f.entity_type == s["label"] and _overlaps(f.start, f.end, s["start"], s["end"])
                for f in fs
            )
        for f in fs:
            if f.entity_type == "PERSON":
                person_all += 1
                person_fp += not any(_overlaps(f.start, f.end, s["start"], s["end"]) for s in spans)
            elif f.entity_type in ART9 and f.entity_type != "HEALTH":
                other_art9[f.entity_type] += 1
        health_letters += any(f.entity_type == "HEALTH" for f in fs)
    return {
        "kind": "clinical_letters_phi",
        "letters": len(letters),
        "spans": sum(len(letter["spans"]) for letter in letters),
        "recall": {label: ratio(found[label], total[label]) for label in GRASCCO_SCORED},
        "pii_recall": ratio(sum(found.values()), sum(total.values())),
        "person_precision_proxy": ratio(person_all - person_fp, person_all),
        "health_note_level": ratio(health_letters, len(letters)),
        "other_dates_tagged_date_of_birth": ratio(date_as_dob, date_total),
        "other_art9_findings": dict(sorted(other_art9.items())),
    }


def corpus_record(record: dict[str, Any], path: str | Path, evaluated_on: str) -> dict[str, Any]:
    """A scorer's figures plus where they come from: file name, sha256 and the date."""
    return {
        **record,
        "file": Path(path).name,
        "sha256": file_sha256(path),
        "evaluated_on": evaluated_on,
    }


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


def _rate(r: dict[str, Any]) -> str:
    rate = "-" if r["rate"] is None else f"{r['rate']:.3f}"
    return f"{rate} ({r['count']}/{r['total']})"


def format_hatecheck(figures: dict[str, Any]) -> str:
    """The lines hatecheck/score.py prints (without its benign-hit terms: no matched text)."""
    rows = []
    for lang, groups in figures["coverage"].items():
        for group in [g for g in groups if g != "all"] + ["all"]:
            kinds = groups[group]
            rows.append(
                f"  {lang} {group:16s} coverage plain {_rate(kinds['plain'])}"
                f"  spelling variants {_rate(kinds['spelling'])}"
                if "plain" in kinds and "spelling" in kinds
                else f"  {lang} {group:16s} "
                + "  ".join(f"{k} {_rate(v)}" for k, v in kinds.items())
            )
        benign = figures["benign_false_positive"].get(lang)
        if benign:
            rows.append(f"  {lang} benign cases with any Art. 9 finding: {_rate(benign)}")
    return "hatecheck:\n" + "\n".join(rows)


def format_grascco(figures: dict[str, Any]) -> str:
    """The lines grascco_phi/score.py prints (without its missed strings: no matched text)."""
    rows = [
        f"  {label:14s} recall {_rate(r)}" for label, r in figures["recall"].items() if r["total"]
    ]
    rows += [
        "  other DATE spans tagged DATE_OF_BIRTH: "
        + _rate(figures["other_dates_tagged_date_of_birth"]),
        f"  PERSON precision proxy: {_rate(figures['person_precision_proxy'])}",
        f"  letters with >=1 HEALTH finding: {_rate(figures['health_note_level'])}",
        f"  other Art. 9 findings in clinical letters: {figures['other_art9_findings'] or 'none'}",
        f"  PII recall: {_rate(figures['pii_recall'])}",
    ]
    return "grascco_phi:\n" + "\n".join(rows)
