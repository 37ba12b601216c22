"""Full-page screenshots of the DPO report (German and English) for ``docs/images``.

Why a script and not the test: the pictures in the docs should show the bundled sample (``make
demo``, 2,000 customers), while the test suite runs on a smaller sample; and a test should not
write into the source tree. It renders both languages from an existing warehouse into a
temporary directory, opens them in the same headless Chromium the browser test uses, prints the
layout problems that test would report, and writes ``compliance_report_sample_<lang>.png``.

    .venv/bin/python scripts/report_screenshots.py \
        [--warehouse data/warehouse.duckdb] [--as-of 2026-11-23] [--out docs/images]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from orchestration.defs.reporting.assets import render_to  # noqa: E402
from orchestration.lib.warehouse import read_only  # noqa: E402
from tests.reporting.report_browser import (  # noqa: E402
    full_page_png,
    headless_chromium,
    layout_report,
    open_report,
    pdf_page_png,
    unavailable_reason,
)


def latest_run(con) -> tuple[str, dt.date]:  # type: ignore[no-untyped-def]
    """The run id and as_of of the newest stored quality results (what the nightly run wrote)."""
    row = con.execute(
        "select run_id, as_of from governance_ops.quality_check_results "
        "order by checked_at desc limit 1"
    ).fetchone()
    if row is None:
        raise SystemExit("no pipeline run in this warehouse; run `make demo` first")
    return str(row[0]), row[1]


def save_small_png(png: bytes, target: Path) -> None:
    """A 128-colour palette PNG: the page is flat colours and text, and the repository keeps
    every version of the picture (about a third of the size of the browser's RGB PNG)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=128, dither=Image.Dither.NONE).save(target, optimize=True)


def art30_page(pdf: Path, language: str) -> int:
    """The 1-based number of the PDF page with the end of the Art. 30 table, the third-country
    transfers and the TOMs."""
    from pypdf import PdfReader

    from orchestration.defs.reporting.texts import TEXTS

    heading = " ".join(TEXTS[language]["h_transfers"].split())[:30]
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        if heading in " ".join(page.extract_text().split()):
            return number
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=REPO_ROOT / "data/warehouse.duckdb")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs/images")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    if reason := unavailable_reason():
        raise SystemExit(reason)

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, read_only(args.warehouse) as con:
        run_id, as_of = latest_run(con)
        pages = {
            language: render_to(con, Path(tmp), as_of=as_of, run_id=run_id, language=language)[0]
            for language in ("de", "en")
        }
        problems = 0
        with headless_chromium(args.width) as driver:
            for language, page in pages.items():
                open_report(driver, page)
                found = layout_report(driver)["problems"]
                problems += len(found)
                for problem in found:
                    print(f"{language}: {problem}")
                target = args.out / f"compliance_report_sample_{language}.png"
                save_small_png(full_page_png(driver, args.width), target)
                print(f"{target} ({len(found)} layout problems)")
                # The PDF (WeasyPrint) in Chromium's viewer: the first page and the Art. 30 page.
                pdf = page.with_suffix(".pdf")
                for name, number in (("p1", 1), ("art30", art30_page(pdf, language))):
                    shot = args.out / f"compliance_report_sample_{language}_pdf_{name}.png"
                    save_small_png(pdf_page_png(driver, pdf, number), shot)
                    print(shot)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
