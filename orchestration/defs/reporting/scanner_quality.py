"""How far the DPO can trust the redaction: measured figures instead of an assurance.

The scanner redacts what it finds; what it misses is stored. So the report shows, for every
scanner version that produced the stored findings (``landing.free_text_scan_status`` and
``landing.note_findings``), the recall and precision measured for exactly that version
(``pii_scanners.evaluations``, written by ``make evaluate``) against the release targets
(``pii_scanners/evaluations/targets.yaml``) — or an amber "not evaluated" when no figures exist
for it. Beside it, the independent guard's suspected leaks and the values it holds back for review
(``landing.free_text_review``), or that the guard has not run.

Counts, rates, table and column names and record ids only (the report's policy: ids, never
text). Each block is built from landing tables, so it also renders when dbt never ran.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from orchestration.lib.warehouse import has_table
from pii_scanners.evaluate import SPECIAL
from pii_scanners.evaluations import figure_at, load_evaluation, load_targets

GREEN, AMBER = "green", "amber"
SCAN_STATUS = "landing.free_text_scan_status"
FINDINGS = "landing.note_findings"
REVIEW = "landing.free_text_review"
#: The DPO's own names of the categories (a seed), used where the report names a category.
CATEGORY_NAMES = "policy.special_categories"
#: The stored evaluations, listed in the report's sources appendix like a table.
EVALUATIONS = "pii_scanners.evaluations"

#: The figures the report shows per kind of stored corpus: (dotted path, text key).
FIGURES: dict[str, list[tuple[str, str]]] = {
    "labelled_notes": [
        ("special.all.recall", "m_special_recall"),
        ("special.all.precision", "m_special_precision"),
        ("note_level_special.recall", "m_note_recall"),
        *[(f"special_by_category.{c}.recall", f"cat_{c}") for c in SPECIAL],
        ("pii.recall", "m_pii_recall"),
        ("pii.precision", "m_pii_precision"),
        ("pii_by_entity.PERSON.recall", "m_person_recall"),
    ],
    "identity_term_coverage": [
        ("coverage.de.all.plain", "m_cov_de_plain"),
        ("coverage.de.all.spelling", "m_cov_de_spelling"),
        ("benign_false_positive.de", "m_benign_de"),
        ("coverage.en.all.plain", "m_cov_en_plain"),
        ("coverage.en.all.spelling", "m_cov_en_spelling"),
        ("benign_false_positive.en", "m_benign_en"),
    ],
    "clinical_letters_phi": [
        ("recall.PERSON", "m_person_recall"),
        ("person_precision_proxy", "m_person_precision_proxy"),
        ("recall.ADDRESS", "m_address_recall"),
        ("recall.DATE_OF_BIRTH", "m_dob_recall"),
        ("recall.PHONE_NUMBER", "m_phone_recall"),
        ("health_note_level", "m_health_letters"),
    ],
}


@dataclass(frozen=True)
class Figure:
    """One measured rate with its counts and, if the policy sets one, its target."""

    corpus: str
    path: str
    text_key: str
    count: int
    total: int
    bound: str | None = None  # "min" or "max"
    target: float | None = None

    @property
    def met(self) -> bool | None:
        if self.bound is None or self.target is None:
            return None
        rate = self.count / self.total
        return rate >= self.target if self.bound == "min" else rate <= self.target


@dataclass(frozen=True)
class VersionQuality:
    """A scanner version found in the warehouse, what it stored, and what was measured for it."""

    version: str | None  # None: values stored without a scan (no scanner ran)
    values: int
    findings: int
    special_findings: int
    evaluation: dict[str, Any] | None
    figures: list[Figure] = field(default_factory=list)

    @property
    def missed(self) -> list[Figure]:
        return [f for f in self.figures if f.met is False]

    @property
    def targets(self) -> list[Figure]:
        return [f for f in self.figures if f.met is not None]


@dataclass(frozen=True)
class Review:
    """``landing.free_text_review``: the guard's suspected leaks, held back for the DPO."""

    suspected: int
    held: int
    guard_versions: list[str]


@dataclass(frozen=True)
class ScannerQuality:
    versions: list[VersionQuality]
    #: None: the review table does not exist (the guard has not run on this warehouse).
    review: Review | None
    #: entity type -> {"de": name, "en": name} from the policy seed (empty before dbt ran).
    category_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def category(self, entity_type: str, t: dict[str, str], language: str) -> str:
        names = self.category_names.get(entity_type, {})
        return names.get(language) or t.get("cat_" + entity_type, entity_type)

    @property
    def unevaluated(self) -> list[VersionQuality]:
        return [v for v in self.versions if v.evaluation is None]

    @property
    def missed(self) -> int:
        return sum(len(v.missed) for v in self.versions)

    @property
    def status(self) -> str:
        """Amber unless every stored version was measured and met its targets and nothing is
        held: a figure below target or an unmeasured scanner is a reason to watch."""
        if self.unevaluated or self.missed or self.review is None or self.review.held:
            return AMBER
        return GREEN


def _figures(evaluation: dict[str, Any], targets: dict[str, dict[str, Any]]) -> list[Figure]:
    figures: list[Figure] = []
    for corpus, record in sorted(evaluation.get("corpora", {}).items()):
        for path, text_key in FIGURES.get(record.get("kind", ""), []):
            value = figure_at(record, path)
            if value is None or not value["total"]:
                continue
            ((bound, target),) = targets.get(corpus, {}).get(path, {None: None}).items()
            figures.append(
                Figure(
                    corpus, path, text_key, int(value["count"]), int(value["total"]), bound, target
                )
            )
    return figures


def _stored(version: str, evaluations_dir: Path | None) -> dict[str, Any] | None:
    """The stored figures, or None: an unreadable file counts as not evaluated (the report must
    render, and it must not show figures it cannot vouch for)."""
    try:
        return load_evaluation(version, evaluations_dir)
    except (ValueError, OSError):  # json.JSONDecodeError is a ValueError
        return None


def query_scanner_quality(
    con: duckdb.DuckDBPyConnection,
    evaluations_dir: Path | None = None,
    targets_file: Path | None = None,
) -> ScannerQuality:
    """Scanner versions of the stored values and findings, their stored figures, the review."""
    targets = load_targets(targets_file)
    per_version: dict[str | None, list[int]] = {}
    if has_table(con, SCAN_STATUS):
        for version, n in con.execute(
            f"select scanner_version, count(*) from {SCAN_STATUS} group by 1"
        ).fetchall():
            per_version.setdefault(version, [0, 0, 0])[0] = int(n)
    if has_table(con, FINDINGS):
        special = ", ".join(f"'{c}'" for c in SPECIAL)
        for version, n, s in con.execute(
            f"""select scanner_version, count(*),
                       count(*) filter (where entity_type in ({special}))
                from {FINDINGS} group by 1"""
        ).fetchall():
            row = per_version.setdefault(version, [0, 0, 0])
            row[1], row[2] = int(n), int(s)
    versions = []
    for version, (values, findings, special_findings) in sorted(
        per_version.items(), key=lambda kv: (kv[0] is None, kv[0] or "")
    ):
        evaluation = _stored(version, evaluations_dir) if version else None
        versions.append(
            VersionQuality(
                version,
                values,
                findings,
                special_findings,
                evaluation,
                _figures(evaluation, targets) if evaluation else [],
            )
        )
    names: dict[str, dict[str, str]] = {}
    if has_table(con, CATEGORY_NAMES):
        for entity, de, en in con.execute(
            f"select entity_type, name_de, name_en from {CATEGORY_NAMES}"
        ).fetchall():
            names[entity] = {"de": de, "en": en}
    return ScannerQuality(versions, _review(con), names)


def _review(con: duckdb.DuckDBPyConnection) -> Review | None:
    if not has_table(con, REVIEW):
        return None
    suspected, held = con.execute(
        f"select count(*), count(distinct (table_name, column_name, record_id)) from {REVIEW}"
    ).fetchone()  # type: ignore[misc]
    guard_versions = [
        v
        for (v,) in con.execute(
            f"select distinct guard_version from {REVIEW} where guard_version is not null "
            "order by 1"
        ).fetchall()
    ]
    return Review(int(suspected), int(held), guard_versions)


def percent(count: int, total: int, decimal: str) -> str:
    """``84/85`` as ``98,8 %`` (German) or ``98.8%`` (English)."""
    value = f"{100 * count / total:.1f}"
    return f"{value.replace('.', ',')}\u00a0%" if decimal == "," else f"{value}%"


def quality_view(quality: ScannerQuality, t: dict[str, str], language: str) -> dict[str, Any]:
    """What ``templates/sections/scanner_quality.html.j2`` shows: plain values, no markup.

    Per version a row of the versions table; per evaluated version its figures (label, measured
    share, counts, target and result, the corpus named once per run of rows) and its corpora;
    then the guard's summary.
    """
    decimal = "," if t["thousands"] == "." else "."
    details = []
    for v in quality.versions:
        if v.version is None:
            continue
        if v.evaluation is None:
            details.append({"version": v.version, "evaluated": False})
            continue
        details.append(
            {
                "version": v.version,
                "evaluated": True,
                "figures": _figure_rows(
                    v, t, decimal, partial(quality.category, t=t, language=language)
                ),
                "corpora": _corpus_rows(v.evaluation, t),
            }
        )
    return {
        "versions": quality.versions,
        "details": details,
        "review": quality.review,
        "sources": {
            "scan_status": SCAN_STATUS,
            "findings": FINDINGS,
            "evaluations": EVALUATIONS,
            "review": REVIEW,
        },
    }


def _figure_rows(
    v: VersionQuality, t: dict[str, str], decimal: str, category: Callable[[str], str]
) -> list[dict[str, Any]]:
    rows = []
    for i, f in enumerate(v.figures):
        label = (
            t[f.text_key]
            if f.text_key.startswith("m_")
            else t["m_category"].format(category=category(f.text_key.removeprefix("cat_")))
        )
        target = (
            ""
            if f.target is None
            else ("≥\u00a0" if f.bound == "min" else "≤\u00a0")
            + percent(round(f.target * 10000), 10000, decimal)
        )
        # The corpus names its rows once (rowspan): the figures of one corpus stay together.
        first = i == 0 or v.figures[i - 1].corpus != f.corpus
        rows.append(
            {
                "key": f"{f.corpus}:{f.path}",
                "corpus": t.get("corpus_" + f.corpus, f.corpus),
                "rowspan": sum(1 for g in v.figures if g.corpus == f.corpus) if first else 0,
                "label": label,
                "measured": percent(f.count, f.total, decimal),
                "count": f.count,
                "total": f.total,
                "target": target,
                "met": f.met,
            }
        )
    return rows


def _corpus_rows(evaluation: dict[str, Any], t: dict[str, str]) -> list[dict[str, str]]:
    return [
        {
            "name": t.get("corpus_" + name, name),
            "about": t.get("about_" + record.get("kind", ""), ""),
            "file": str(record.get("file", "")),
            "sha": str(record.get("sha256", ""))[:12],
            "date": str(record.get("evaluated_on", "")),
        }
        for name, record in sorted(evaluation.get("corpora", {}).items())
    ]
