"""The DPO report in a real browser: headless Chromium measures what a reader would see.

Debian's ``chromium`` and ``chromium-driver`` are installed by ``make test``
(``scripts/ensure_test_system_packages.sh``); where they cannot be installed the module is
skipped with the reason. The checks run as JavaScript in the page (``report_browser.py``): no
element wider than its box, its container or the viewport; no word broken mid-word; every chart
rendered with a size; every SVG label inside its chart's viewBox and clear of the others. The
chart labels are also compared with the warehouse, because a cut label ("Religiöse oder
weltanschauliche Üb") is a fault no geometry shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestration.defs.reporting.charts import bar_chart, trend_chart
from orchestration.defs.reporting.render import CSS
from orchestration.defs.reporting.texts import TEXTS
from orchestration.lib.warehouse import read_only
from tests.reporting.report_browser import (
    headless_chromium,
    layout_report,
    open_report,
    set_viewport,
    unavailable_reason,
)

REASON = unavailable_reason()  # shown by `-ra` in the summary when the tests skip
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

#: A desktop window, and a narrow one (a laptop with the report beside another window).
WIDTHS = (1280, 800)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless_chromium(WIDTHS[0]) as driver:
        yield driver


@pytest.fixture(scope="module")
def reports(german_report_path: Path, english_report_path: Path) -> dict[str, Path]:
    return {"de": german_report_path, "en": english_report_path}


def _measure(browser: Any, page: Path, width: int) -> dict[str, Any]:
    set_viewport(browser, width, 900)
    open_report(browser, page)
    return layout_report(browser)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["de", "en"])
def test_report_has_no_overflow_cut_word_or_clipped_chart_label(
    browser: Any, reports: dict[str, Path], language: str, width: int
) -> None:
    measured = _measure(browser, reports[language], width)
    assert measured["viewport"] == width
    # Six charts in the sample (categories, retention, consent, provenance and two trends),
    # each with labels: "no problems" must mean "measured and fine".
    assert measured["charts"] >= 6
    assert measured["labels"] >= 30
    assert measured["problems"] == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_chart_labels_are_complete(
    browser: Any, reports: dict[str, Path], pipeline_run: Any, language: str
) -> None:
    """Every category name and export id appears in full in its chart (once cut at 34/10 chars)."""
    t = TEXTS[language]
    name = "category_name_de" if language == "de" else "category_name_en"
    with read_only(pipeline_run.warehouse_path) as con:
        categories = [
            r[0]
            for r in con.execute(
                f"select distinct {name} from governance.special_category_findings"
            ).fetchall()
        ]
        exports = [
            r[0]
            for r in con.execute(
                "select distinct export_id from intermediate.int_note_findings_resolved "
                "where is_special_category"
            ).fetchall()
        ]
        statuses = [
            r[0]
            for r in con.execute(
                "select distinct retention_status from governance.record_retention_statuses"
            ).fetchall()
        ]
    labels = {
        chart["title"]: chart["labels"]
        for chart in _measure(browser, reports[language], WIDTHS[0])["chartLabels"]
    }
    assert categories and exports and statuses
    assert sorted(categories) == sorted(
        label for label in labels[t["chart_by_category"]] if not label[0].isdigit()
    )
    assert set(exports) <= set(labels[t["chart_trend"]])
    assert {t.get("rs_" + s, s) for s in statuses} <= set(labels[t["chart_retention"]])


def test_charts_with_many_runs_and_long_labels_keep_every_label_readable(
    browser: Any, tmp_path: Path
) -> None:
    """The sample has one export; a year of nightly runs and long names must fit as well."""
    runs = [
        (f"santa-crm-2026-{1 + i // 28:02d}-{1 + i % 28:02d}-s7-n2000", 900 + i) for i in range(30)
    ]
    long_names = [
        ("Daten über Gesundheit, Sexualleben und sexuelle Orientierung einer Person", 12345),
        ("Religiöse oder weltanschauliche Überzeugungen", 108),
        ("x", 0),
    ]
    page = tmp_path / "charts.html"
    page.write_text(
        f"<!DOCTYPE html><html lang=de><head><meta charset=utf-8><style>{CSS}</style></head>"
        f"<body>{bar_chart('lang', long_names)}{trend_chart('viele', runs)}"
        f"{trend_chart('wenige', runs[:3])}{trend_chart('einer', runs[:1])}</body></html>",
        encoding="utf-8",
    )
    for width in WIDTHS:
        measured = _measure(browser, page, width)
        assert measured["charts"] == 4
        assert measured["problems"] == []
    labels = {c["title"]: c["labels"] for c in measured["chartLabels"]}
    assert long_names[0][0] in labels["lang"]
    assert runs[0][0] in labels["viele"] and set(labels["wenige"]) >= {r for r, _ in runs[:3]}


def test_layout_checks_catch_the_faults_they_are_for(browser: Any, tmp_path: Path) -> None:
    """The measurements must be able to fail: a page with each known fault, planted."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="de"><body style="margin:0">'
        # the old manifest table: narrow columns with overflow-wrap:anywhere
        '<table style="width:300px"><tr><td style="overflow-wrap:anywhere">Maßnahme</td>'
        f"<td>{'Rechtsgrundlage ' * 12}</td></tr></table>"
        # an unbreakable identifier wider than its box
        '<div style="width:120px"><span style="white-space:nowrap">'
        "governance_ops.deletion_manifest_items</span></div>"
        # a bar label pushed out of the viewBox (the old long retention label), two labels
        # on top of each other (an old trend axis) and an image that did not load
        '<svg class="chart" aria-label="broken" viewBox="0 0 200 40" width="200" height="40">'
        '<text x="60" y="15" text-anchor="end" font-size="12">eingeschränkt (Aufbewahrung)</text>'
        '<text x="100" y="30" font-size="12">2026-11-23</text>'
        '<text x="104" y="31" font-size="12">2026-11-24</text></svg>'
        '<img alt="" src="data:image/png;base64,bm90IGEgcG5n" width="10" height="10">'
        "</body></html>",
        encoding="utf-8",
    )
    problems = "\n".join(_measure(browser, page, 800)["problems"])
    assert 'word "Maßnahme" broken mid-word' in problems
    assert "sticks out of div" in problems and "governance_ops" in problems
    assert 'label "eingeschränkt (Aufbewahrung)"' in problems and "outside viewBox" in problems
    assert 'labels "2026-11-23" and "2026-11-24" overlap' in problems
    assert "image did not load" in problems
