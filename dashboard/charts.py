"""Bar charts drawn on the server as SVG: they work on an intranet with no internet, need
no script, and each bar links to the records behind it."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float
    url: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def column_chart(items, *, width=960, height=200, bottom=24, top=18):
    """Vertical bars, one per item (label, value, url): for values over months."""
    peak = _nice_max(max((v for _, v, _ in items), default=0))
    slot = width / max(len(items), 1)
    plot = height - bottom - top
    bars = []
    for index, (label, value, url) in enumerate(items):
        bar_height = plot * value / peak
        x = index * slot + slot * 0.15
        bars.append(
            Bar(
                label,
                value,
                url,
                x,
                top + plot - bar_height,
                slot * 0.7,
                bar_height,
                x + slot * 0.35,
                top + plot - bar_height - 4,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "label_y": height - 8,
        "axis_y": top + plot,
        "peak": peak,
    }


def bar_chart(items, *, width=640, row=30, label_width=190):
    """Horizontal bars, one per item (label, value, url): for long Chinese labels."""
    peak = _nice_max(max((v for _, v, _ in items), default=0))
    plot = width - label_width - 50
    bars = []
    for index, (label, value, url) in enumerate(items):
        y = index * row + 4
        length = plot * value / peak
        bars.append(
            Bar(
                label,
                value,
                url,
                label_width,
                y,
                length,
                row - 10,
                label_width + length + 6,
                y + row / 2,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": len(items) * row + 8,
        "label_x": label_width - 8,
        "peak": peak,
    }
