"""Hand-built inline SVG charts for the DPO report.

Why not matplotlib: it is not in the locked environment, and the report must render offline and
self-contained anyway; a horizontal bar chart and a small trend chart are a few lines of SVG. Each
chart carries a ``<title>`` and ``role="img"`` with an ``aria-label`` so it reads without sight.

SVG does not wrap or measure text, so the layout is computed here from an estimate of each
label's width (``text_width``) that errs on the wide side: labels are wrapped at word boundaries,
never truncated, and the label column and margins grow to fit them. A cut-off category name (the
old ``label[:34]``) or a label pushed outside the ``viewBox`` (SVG clips it silently) is the fault
the browser test in ``tests/reporting/test_report_in_browser.py`` measures with ``getBBox()``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

PALETTE = ("#2f6f9f", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f", "#d4a017")
#: Width of every chart's viewBox; also its natural width in CSS pixels, so labels keep their
#: font size on screen (print CSS scales the chart to the page width).
WIDTH = 640
FONT_SIZE = 13
LINE_HEIGHT = 15
#: A label line wider than this wraps; the label column never takes more than ~45% of the chart.
MAX_LABEL_WIDTH = 280

# Advance widths in em, upper bounds of DejaVu Sans (the widest common sans-serif and the only
# font on a bare Debian; Segoe UI, Roboto or Helvetica are narrower), so estimates err wide.
_NARROW = frozenset("ijlIJ .,;:/f-t()r|'!")
_WIDE = frozenset("mwMW&OQÖDGHN%@")


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimated rendered width of ``text`` in user units: never less than the real width."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.41
        elif char in _WIDE:
            em += 1.0
        elif char.isupper():
            em += 0.77
        else:
            em += 0.64
    return em * font_size


def wrap(label: str, limit: float = MAX_LABEL_WIDTH) -> list[str]:
    """Split a label at spaces into lines no wider than ``limit`` (a longer word keeps its line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and text_width(f"{lines[-1]} {word}") <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def default_number(value: int) -> str:
    return f"{value:,}"


def _svg_open(title: str, height: float, css: str = "chart") -> str:
    return (
        f'<svg class="{css}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" '
        f'height="{height:.0f}" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
    )


def _text_lines(lines: Sequence[str], x: float, first_baseline: float, anchor: str) -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first_baseline + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" font-size="{FONT_SIZE}">{spans}</text>'


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, int]],
    *,
    color: str = PALETTE[0],
    colors: Sequence[str] = (),
    href: str = "",
    number: Callable[[int], str] = default_number,
) -> str:
    """Horizontal bars, one per (label, value), value printed at the bar's end.

    ``colors`` gives each bar its own colour (statuses: "expired" must not share the green of
    "active"); without it every bar has ``color``.

    Labels are wrapped, not cut: the DPO must read "Religiöse oder weltanschauliche
    Überzeugungen", not "Religiöse oder weltanschauliche Üb".
    """
    if not bars:
        return ""
    wrapped = [wrap(label) for label, _ in bars]
    pad, bar_height, gap = 8, 20, 8
    label_width = max(text_width(line) for lines in wrapped for line in lines) + 2 * pad
    value_width = max(text_width(number(v)) for _, v in bars) + pad
    span = WIDTH - label_width - value_width
    largest = max((v for _, v in bars), default=0) or 1
    parts: list[str] = []
    y = gap / 2
    fills = list(colors) if colors else [color] * len(bars)
    for lines, (label, value), fill in zip(wrapped, bars, fills, strict=True):
        row = max(bar_height, len(lines) * LINE_HEIGHT)
        bar_y = y + (row - bar_height) / 2
        # A 13px line's baseline sits ~4.5px below its middle.
        first = y + row / 2 - (len(lines) - 1) * LINE_HEIGHT / 2 + 4.5
        width = max(1.0, span * value / largest) if value else 0.0
        parts.append(
            _text_lines(lines, label_width - pad, first, "end")
            + f'<rect x="{label_width:.1f}" y="{bar_y:.1f}" width="{width:.1f}" '
            f'height="{bar_height}" fill="{fill}"><title>{escape(label)}: '
            f"{number(value)}</title></rect>"
            + _text_lines([number(value)], label_width + width + 6, y + row / 2 + 4.5, "start")
        )
        y += row + gap
    svg = _svg_open(title, y + gap / 2) + "".join(parts) + "</svg>"
    return f'<a class="chart-link" href="{escape(href)}">{svg}</a>' if href else svg


def trend_chart(
    title: str,
    points: Sequence[tuple[str, int]],
    *,
    color: str = PALETTE[1],
    number: Callable[[int], str] = default_number,
) -> str:
    """Columns over runs (oldest left); with one run it is a single column, still honest.

    Axis labels are printed in full (an export id such as ``santa-crm-2026-11-23-s7-n2000``);
    when they are wider than a column's slot they are slanted, and the bottom margin grows to
    hold them. With many runs only every k-th label (and value) is printed, each column keeps
    its value in a tooltip.
    """
    if not points:
        return ""
    angle = math.radians(40)
    widest = max(text_width(label, FONT_SIZE - 1) for label, _ in points)
    step = (WIDTH - 40) / len(points)
    slanted = widest > step - 6
    # Slanted labels hang left of their column by up to widest·cos(angle).
    left = max(20.0, widest * math.cos(angle) - step / 2 + 6) if slanted else 20.0
    step = (WIDTH - left - 20) / len(points)
    every = max(1, math.ceil(LINE_HEIGHT / math.sin(angle) / step)) if slanted else 1
    bottom = (widest * math.sin(angle) + FONT_SIZE + 10) if slanted else LINE_HEIGHT + 12
    top, plot = 22, 120
    height = top + plot + bottom
    axis_y = top + plot
    largest = max((v for _, v in points), default=0) or 1
    column = min(60.0, step * 0.6)
    widest_value = max(text_width(number(v)) for _, v in points) + 4
    every_value = max(1, math.ceil(widest_value / step))
    parts = [
        _svg_open(title, height),
        f'<line x1="{left:.1f}" y1="{axis_y}" x2="{WIDTH - 20}" y2="{axis_y}" stroke="#999"/>',
    ]
    for index, (label, value) in enumerate(points):
        x = left + index * step + (step - column) / 2
        centre = x + column / 2
        bar = plot * value / largest
        y = axis_y - bar
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{bar:.1f}" '
            f'fill="{color}"><title>{escape(label)}: {number(value)}</title></rect>'
        )
        if index % every_value == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="{FONT_SIZE}">{number(value)}</text>'
            )
        if index % every:
            continue
        if slanted:
            parts.append(
                f'<text x="{centre:.1f}" y="{axis_y + 14}" text-anchor="end" '
                f'font-size="{FONT_SIZE - 1}" transform="rotate(-40 {centre:.1f} {axis_y + 14})">'
                f"{escape(label)}</text>"
            )
        else:
            parts.append(
                f'<text x="{centre:.1f}" y="{axis_y + 16}" text-anchor="middle" '
                f'font-size="{FONT_SIZE - 1}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
