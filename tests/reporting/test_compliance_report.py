"""The DPO report rendered by the nightly run (German) and on demand (English).

Real warehouse of the shared run, read-only; the English rendering goes to a temporary directory
(``conftest.py``). The PDFs beside both HTML files are read back with pypdf.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from orchestration.defs.reporting.texts import TEXTS

SECTIONS = (
    "verdict",
    "special",
    "notifications",
    "retention",
    "consent",
    "requests",
    "quality",
    "activities",
    "provenance",
    "sources",
)


def _nightly_report(pipeline_run) -> str:  # type: ignore[no-untyped-def]
    path = pipeline_run.data_dir / "reports" / pipeline_run.as_of.isoformat()
    return (path / "compliance_report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def english_report(english_report_path: Path) -> str:
    return english_report_path.read_text(encoding="utf-8")


def test_nightly_run_writes_the_german_report_with_every_section(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    html = _nightly_report(pipeline_run)
    assert '<html lang="de">' in html
    assert "Gesamturteil" in html and "Verzeichnis von Verarbeitungstätigkeiten" in html
    for section in SECTIONS:
        assert f'id="sec-{section}"' in html, section


def test_english_report_has_every_section(english_report: str) -> None:
    assert '<html lang="en">' in english_report
    assert "Verdict" in english_report and "Record of processing activities" in english_report
    for section in SECTIONS:
        assert f'id="sec-{section}"' in english_report, section


def test_report_is_self_contained_with_inline_svg_charts(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    html = _nightly_report(pipeline_run)
    assert html.count("<svg") >= 4
    assert "<script" not in html and "<link" not in html and "<img" not in html
    without_svg_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in without_svg_namespace and "https://" not in without_svg_namespace


def test_every_number_links_to_an_existing_source(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    html = _nightly_report(pipeline_run)
    ids = set(re.findall(r'id="([^"]+)"', html))
    targets = re.findall(r'href="#([^"]+)"', html)
    assert targets
    assert sorted(set(targets) - ids) == []
    assert html.count('class="num"') >= 50


def test_report_shows_this_runs_quality_results_and_the_failed_consent_check(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    html = _nightly_report(pipeline_run)
    assert pipeline_run.summary.run_id in html
    assert 'id="chk-int_marketing_sends_validated__sent_with_valid_consent"' in html
    assert 'id="chk-service_notes__no_unredacted_special_category"' in html


def test_no_canary_appears_in_either_language(pipeline_run, english_report: str) -> None:  # type: ignore[no-untyped-def]
    canaries = (pipeline_run.export_dir / "canaries.txt").read_text(encoding="utf-8").split()
    assert canaries
    for html in (_nightly_report(pipeline_run), english_report):
        assert [c for c in canaries if c in html] == []


def _pdf_text(path: Path) -> str:
    """The PDF's text as pypdf extracts it, whitespace collapsed (headings may wrap)."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize("language", ["de", "en"])
def test_pdf_is_written_when_weasyprint_is_installed(
    language: str, german_report_path: Path, english_report_path: Path
) -> None:
    """WeasyPrint is locked now: the PDF beside each HTML must exist and hold every section."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # Pango is a system library (scripts/ensure_test_system_packages.sh)
        pytest.skip(f"WeasyPrint cannot load Pango: {error}")
    html = german_report_path if language == "de" else english_report_path
    pdf = html.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    # A4 is 595 x 842 pt.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = _pdf_text(pdf)
    for section in SECTIONS:
        heading = " ".join(TEXTS[language]["sec_" + section].split())
        assert heading in text, f"section {section!r} ({heading!r}) missing from {pdf.name}"
    # The verdict's list repeats area names, so compare the headings' last occurrences in order.
    last = [text.rindex(" ".join(TEXTS[language]["sec_" + s].split())) for s in SECTIONS]
    assert last == sorted(last), "sections out of order in the PDF"
    assert TEXTS[language]["title"] in text


def test_open_requests_are_named_in_the_page_language(pipeline_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The DPO reads "Auskunft" and "in Bearbeitung", not the CRM's codes.

    The small test sample has no open request left, so a copy of its warehouse reopens them all.
    """
    import shutil

    import duckdb

    from orchestration.defs.reporting.assets import render_to
    from orchestration.lib.warehouse import connection_config

    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        reopened = con.execute(
            """update governance.data_subject_requests
               set is_open = true, request_status = 'in_progress'
               returning request_type"""
        ).fetchall()
        path, _, _ = render_to(con, tmp_path, as_of=pipeline_run.as_of, run_id="t", language="de")
        names = dict(
            con.execute("select request_type, name_de from policy.request_types").fetchall()
        )
    finally:
        con.close()
    assert reopened, "the sample must hold requests for this test to mean much"
    html = path.read_text(encoding="utf-8")
    start = html.index('id="sec-requests"')
    section = html[start : html.index("</section>", start)]
    for request_type in {t for (t,) in reopened}:
        assert f">{names[request_type]}<" in section
    assert TEXTS["de"]["rqs_in_progress"] in section
    assert ">in_progress" not in section
