"""The PDF's layout, measured in WeasyPrint's own box tree, and its refusal to fetch anything.

pypdf can say which words are in a PDF but not whether a table column cut a word in half or a
cell's text ran over its border; WeasyPrint's laid-out pages can. ``render_document`` is the
layout ``write_pdf`` writes, so these measurements are of the real PDF.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from orchestration.defs.reporting.pdf import render_document, write_pdf

try:
    from weasyprint.formatting_structure import boxes
except OSError as error:  # WeasyPrint is locked, but Pango is a system library
    pytest.skip(
        f"WeasyPrint cannot load Pango ({error}); run scripts/ensure_test_system_packages.sh",
        allow_module_level=True,
    )

#: A line may end inside a "word" only after these: <wbr> (WeasyPrint renders it as U+200B),
#: a hyphen, the hyphen WeasyPrint prints for a soft hyphen (U+2010), or a slash.
BREAKS = ("\u200b", "-", "\u2010", "\u00ad", "/")
_WORDS = re.compile(r"\s+|(?<=[-/\u2010\u00ad])")


def pdf_layout_problems(document: Any) -> list[str]:
    """Text sticking out of its table cell or the page, and words broken over two lines."""
    problems: list[str] = []
    page_right = 0.0

    def walk(box: Any, bounds: tuple[float, float], page: int) -> None:
        if isinstance(box, boxes.TableBox) and box.position_x + box.width > page_right + 0.5:
            problems.append(
                f"page {page}: table wider than the page "
                f"({box.position_x + box.width:.0f} > {page_right:.0f})"
            )
        if isinstance(box, boxes.TableCellBox):
            bounds = (box.content_box_x(), box.content_box_x() + box.width)
        if isinstance(box, boxes.TextBox):
            left, right = box.position_x, box.position_x + box.width
            if left < bounds[0] - 0.5 or right > bounds[1] + 0.5:
                problems.append(
                    f"page {page}: {box.text[:40]!r} at {left:.0f}..{right:.0f} sticks out of "
                    f"{bounds[0]:.0f}..{bounds[1]:.0f}"
                )
        lines = [c for c in getattr(box, "children", []) if isinstance(c, boxes.LineBox)]
        if len(lines) > 1 and box.element is not None:
            # A line ending in a whole word of the source text ended at a space.
            # Pieces of text are joined with and without a space: "<a>0</a>; next" holds the
            # word "0;" and a cell's "<br>"-separated lines hold separate words.
            pieces = list(box.element.itertext())
            words = set(_WORDS.split(" ".join(pieces))) | set(_WORDS.split("".join(pieces)))
            texts = [
                "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
                for line in lines
            ]
            for this, following in pairwise(texts):
                if not this.strip() or this.endswith(BREAKS):
                    continue
                last = _WORDS.split(this)[-1]
                if last not in words:
                    problems.append(
                        f"page {page}: word broken: {last!r} | {following[:20].strip()!r}"
                    )
        for child in getattr(box, "children", []):
            walk(child, bounds, page)

    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        left = page_box.content_box_x()
        page_right = left + page_box.width
        walk(page_box, (left, page_right), number)
    return problems


@pytest.mark.parametrize("language", ["de", "en"])
def test_pdf_keeps_every_word_and_table_inside_the_page(
    language: str, german_report_path: Path, english_report_path: Path
) -> None:
    html = (german_report_path if language == "de" else english_report_path).read_text("utf-8")
    refused: list[str] = []
    document = render_document(html, refused)
    assert refused == []
    assert pdf_layout_problems(document) == []
    # No forced page breaks any more (they left pages mostly blank); many more pages than this
    # would mean tables split row by row.
    assert 6 <= len(document.pages) <= 20
    assert mostly_blank_pages(document) == []


def mostly_blank_pages(document: Any, least: float = 0.5) -> list[str]:
    """Pages, except the last, whose content ends before ``least`` of the page's height."""
    found = []
    for number, page in enumerate(document.pages[:-1], 1):
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        bottoms = [
            box.position_y + box.height
            for box in page_box.descendants()
            if isinstance(box, boxes.TextBox | boxes.ReplacedBox | boxes.InlineReplacedBox)
            or box.element_tag == "svg"
        ]
        used = (max(bottoms, default=top) - top) / height
        if used < least:
            found.append(f"page {number}: {used:.0%} used")
    return found


def test_blank_page_check_finds_a_page_a_forced_break_left_mostly_empty() -> None:
    html = "<style>@page{size:A6}h2{break-before:page}</style><p>x</p><h2>y</h2><p>z</p>"
    found = mostly_blank_pages(render_document(html))
    assert len(found) == 1 and found[0].startswith("page 1:"), found


def test_pdf_layout_check_finds_a_cut_word_and_an_overflowing_cell() -> None:
    """The measurement above must be able to fail: the report's old CSS broke words mid-word."""
    html = (
        "<style>@page{size:A6}td{border:1px solid}</style><table style='width:100%'><tr>"
        "<td style='overflow-wrap:anywhere'>Aufbewahrungspflicht</td>"
        f"<td>{'Rechtsgrundlage ' * 12}</td></tr></table>"
        "<table style='width:100%;table-layout:fixed'><tr><td style='white-space:nowrap'>"
        "governance_ops.deletion_manifest_items</td><td>x</td></tr></table>"
    )
    problems = pdf_layout_problems(render_document(html))
    # WeasyPrint squeezes an overflow-wrap:anywhere column to a few letters per line.
    assert any(p.startswith("page 1: word broken: 'A'") for p in problems), problems
    assert any("sticks out" in p and "governance_ops" in p for p in problems), problems


def test_pdf_refuses_external_urls_without_touching_the_network(tmp_path: Path) -> None:
    """The network guard would fail the session on an attempt; the note names the URL."""
    html = (
        '<p>x</p><img src="https://example.org/logo.png">'
        '<img src="file:///etc/hostname"><img src="data:image/svg+xml,'
        "%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E\">"
    )
    note = write_pdf(html, tmp_path / "report.pdf")
    assert note.startswith(str(tmp_path / "report.pdf"))
    assert "refused 2 external URL(s)" in note and "https://example.org/logo.png" in note
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
