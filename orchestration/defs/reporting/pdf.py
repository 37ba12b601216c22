"""The DPO report as PDF, rendered by WeasyPrint from the same self-contained HTML.

Why WeasyPrint: it is a Python library (locked with uv) that lays out HTML and CSS for paged
media itself, so the PDF needs no browser and follows the report's ``@page``/``@media print``
rules (A4, running header, page numbers, page breaks before the larger sections). Its only
system prerequisites are Pango and a font (``scripts/ensure_test_system_packages.sh``).

Hermetic (DESIGN.md principle 6): the report references nothing outside itself, and the URL
fetcher below refuses every URL that is not a ``data:`` URL, so a future ``<img src="https://…">``
cannot make a nightly run reach the network; the note returned by ``write_pdf`` names it instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def render_document(html: str, refused: list[str] | None = None) -> Any:
    """Lay out ``html`` for print (a ``weasyprint.Document``); refused URLs go to ``refused``.

    Separate from ``write_pdf`` so the tests can inspect the very layout the PDF is made of
    (pages, boxes) without a second code path.
    """
    import weasyprint
    from weasyprint.urls import URLFetcher

    seen = refused if refused is not None else []

    class DataUrlsOnly(URLFetcher):  # type: ignore[misc]
        """Serve ``data:`` URLs only; remember and refuse everything else (http, file, ftp)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                seen.append(url[:80])
                raise ValueError(f"refused non-data URL in the report: {url[:80]}")
            return super().fetch(url, headers)

    fetcher = DataUrlsOnly(allowed_protocols=("data",), allow_redirects=False)
    # Soft hyphens help the browser fit German compounds into narrow columns; WeasyPrint,
    # though, stops breaking a line at its spaces once the line holds a soft hyphen, so a table
    # cell grew wider than the page (tests/reporting/test_report_pdf.py). The print layout has
    # room for whole words; it gets none.
    html = html.replace("\u00ad", "")
    # base_url=None: relative links stay in-document anchors; nothing resolves against a disk path.
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).render()


def write_pdf(html: str, path: Path) -> str:
    """Write ``html`` as a PDF to ``path``; return the path written, or why nothing was written.

    Returns a note rather than raising: the PDF is a convenience copy of the HTML report, and a
    machine without Pango should still produce the HTML (the asset metadata shows the reason).
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:  # OSError: WeasyPrint found no Pango library.
        return f"not written: WeasyPrint is unavailable ({type(error).__name__}: {error})"
    refused: list[str] = []
    render_document(html, refused).write_pdf(str(path))
    if refused:
        return f"{path} (refused {len(refused)} external URL(s): {', '.join(refused[:3])})"
    return str(path)
