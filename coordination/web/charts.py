"""Chart geometry for server-rendered SVG (no chart JavaScript): pure functions from figures to shapes.

Templates (components/chart_*.html) draw what these compute, with GOV.UK colours as SVG presentation
attributes (the CSP allows no inline styles). Each chart also gets a text alternative here, and the page
shows the same numbers in a table.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

BLUE = "#1d70b8"
GREEN = "#00703c"
RED = "#d4351c"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None        # percent within target; None when nothing completed
    x: float
    y: float
    width: float
    height: float
    text: str                  # what the bar says ("66.7% (2 of 3)" or "No completed clocks")
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Tick:
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    plot_left: float
    plot_top: float
    plot_width: float
    plot_height: float
    description: str


def percent_text(value: float | None, within: int, count: int) -> str:
    if value is None:
        return "No completed clocks"
    return f"{value:g}% ({within} of {count})"


def horizontal_bars(items: list[tuple[str, float | None, int, int]], *, width: float = 460, row: float = 60,
                    label_height: float = 22, left: float = 16, right: float = 130) -> Chart:
    """One horizontal bar per item (label, percent, within, count), 0–100% across `plot_width`.

    The label sits above its bar; the figure sits just right of the bar's end.
    """
    plot_width = width - left - right
    top = 8.0
    bars = []
    for i, (label, value, within, count) in enumerate(items):
        band_top = top + i * row
        bar_y = band_top + label_height + 4
        bar_h = row - label_height - 14
        length = 0.0 if value is None else plot_width * max(0.0, min(100.0, value)) / 100.0
        bars.append(Bar(label=label, value=value, x=left, y=bar_y, width=round(length, 2), height=bar_h,
                        text=percent_text(value, within, count), text_x=round(left + length + 6, 2),
                        text_y=bar_y + bar_h / 2 + 5))
    plot_height = row * max(len(items), 1)
    ticks = tuple(Tick(v, round(left + plot_width * v / 100, 2), top + plot_height + 16) for v in (0, 25, 50, 75, 100))
    description = "; ".join(f"{b.label}: {b.text}" for b in bars) or "No figures in this period"
    return Chart(width, top + plot_height + 24, tuple(bars), ticks, left, top, plot_width, plot_height,
                 description)


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month (YYYY-MM) from `first` to `last` inclusive."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_label(month: str) -> str:
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%b %Y")


def vertical_bars(points: list[tuple[str, float | None, int, int]], *, width: float = 460, height: float = 240,
                  left: float = 40, right: float = 8, top: float = 12, bottom: float = 44) -> Chart:
    """One vertical bar per month (month YYYY-MM, percent, within, count), 0–100% up the axis.

    A month with nothing completed has no bar (and says so in the description), not a zero bar.
    """
    plot_width = width - left - right
    plot_height = height - top - bottom
    slot = plot_width / max(len(points), 1)
    bar_w = max(2.0, slot * 0.7)
    bars = []
    for i, (month, value, within, count) in enumerate(points):
        h = 0.0 if value is None else plot_height * max(0.0, min(100.0, value)) / 100.0
        x = left + i * slot + (slot - bar_w) / 2
        bars.append(Bar(label=month_label(month), value=value, x=round(x, 2), y=round(top + plot_height - h, 2),
                        width=round(bar_w, 2), height=round(h, 2), text=percent_text(value, within, count),
                        text_x=round(x + bar_w / 2, 2), text_y=top + plot_height + 18))
    ticks = tuple(Tick(v, left - 6, round(top + plot_height - plot_height * v / 100, 2)) for v in (0, 25, 50, 75, 100))
    description = "; ".join(f"{b.label}: {b.text}" for b in bars) or "No months in this period"
    return Chart(width, height, tuple(bars), ticks, left, top, plot_width, plot_height, description)


def label_every(count: int, room: int = 7) -> int:
    """Label every n-th month so that at most `room` labels fit under the axis."""
    return max(1, -(-count // room))
