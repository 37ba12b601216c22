"""Hand-built inline SVG charts for the DPO report.

Why not matplotlib: it is not in the locked environment, and the report must render offline and
self-contained anyway; a horizontal bar chart and a small trend chart are a few lines of SVG. Each
chart carries a ``<title>`` and ``role="img"`` with an ``aria-label`` so it reads without sight.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#2f6f9f", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f", "#d4a017")
WIDTH = 640


def bar_chart(
    title: str, bars: Sequence[tuple[str, int]], *, color: str = PALETTE[0], href: str = ""
) -> str:
    """Horizontal bars, one per (label, value), value printed at the bar's end."""
    if not bars:
        return ""
    label_width, bar_height, gap = 230, 18, 6
    height = len(bars) * (bar_height + gap) + 10
    largest = max((v for _, v in bars), default=0) or 1
    span = WIDTH - label_width - 60
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(bars):
        y = 5 + index * (bar_height + gap)
        width = max(1.0, span * value / largest) if value else 0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar_height}" '
            f'fill="{color}"/>'
            f'<text x="{label_width + width + 6:.1f}" y="{y + 13}" font-size="12">{value:,}</text>'
        )
    parts.append("</svg>")
    svg = "".join(parts)
    return f'<a href="{escape(href)}">{svg}</a>' if href else svg


def trend_chart(title: str, points: Sequence[tuple[str, int]], *, color: str = PALETTE[1]) -> str:
    """Columns over runs (oldest left); with one run it is a single column, still honest."""
    if not points:
        return ""
    height, bottom, top = 180, 40, 20
    largest = max((v for _, v in points), default=0) or 1
    step = (WIDTH - 40) / max(len(points), 1)
    column = min(60.0, step * 0.6)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
        f'<line x1="20" y1="{height - bottom}" x2="{WIDTH - 20}" y2="{height - bottom}" '
        f'stroke="#999"/>'
    ]
    for index, (label, value) in enumerate(points):
        x = 20 + index * step + (step - column) / 2
        bar = (height - bottom - top) * value / largest
        y = height - bottom - bar
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{bar:.1f}" '
            f'fill="{color}"/>'
            f'<text x="{x + column / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="12">{value:,}</text>'
            f'<text x="{x + column / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11">{escape(label[-10:])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
