"""Bar charts drawn on the server: they work on an intranet with no internet and need no
script; each bar links to the records behind it. Labels and numbers are page text, so
they read at the page's size on a phone; only the bars are drawn (SVG, as attributes the
content security policy allows)."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float
    url: str
    percent: float  # of the chart's scale, 0–100

    @property
    def rest(self) -> float:
        return 100 - self.percent


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(items) -> dict:
    """Bars, one per item (label, value, url), each a share of a round scale: drawn
    across for long Chinese labels (content areas) or upright for months."""
    peak = _nice_max(max((v for _, v, _ in items), default=0))
    bars = [Bar(label, value, url, round(100 * value / peak, 1)) for label, value, url in items]
    return {"bars": bars, "peak": peak}
