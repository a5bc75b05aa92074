"""Charts drawn on the server as SVG: no script, no external service; colours come from site.css. Pure."""

import math
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 34, 28
LABEL_EVERY = 5


def _nice_max(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at least `value` (and at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** int(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _legend(series: dict[str, list[int]]) -> list[str]:
    parts = []
    for n, name in enumerate(series):
        x = LEFT + n * 170
        parts.append(f'<rect class="chart-series-{n}" x="{x}" y="8" width="12" height="12"/>'
                     f'<text class="chart-label" x="{x + 18}" y="19">{escape(name)}</text>')
    return parts


def _axis(top: int, plot_height: float) -> list[str]:
    parts = []
    for value in (0, top / 2, top):
        y = TOP + plot_height - plot_height * value / top
        label = f"{value:g}"
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="chart-label" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    return parts


def _day_label(day: str, i: int, count: int, step: float) -> str:
    """MM-DD under its bar; the first and last ones kept inside the picture."""
    anchor, x = ("start", LEFT + i * step) if i == 0 else (
        ("end", LEFT + (i + 1) * step) if i == count - 1 else ("middle", LEFT + (i + 0.5) * step))
    return f'<text class="chart-label" x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">{escape(day[5:])}</text>'


def daily_bars(title: str, days: list[str], series: dict[str, list[int]]) -> str:
    """Bars per day for each series (side by side), `days` as YYYY-MM-DD, oldest first."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max((v for values in series.values() for v in values), default=0))
    step = plot_width / max(1, len(days))
    bar = step * 0.8 / max(1, len(series))
    parts = [*_legend(series), *_axis(top, plot_height)]
    for i, day in enumerate(days):
        for n, (name, values) in enumerate(series.items()):
            h = plot_height * values[i] / top
            x, y = LEFT + i * step + step * 0.1 + n * bar, TOP + plot_height - h
            parts.append(f'<rect class="chart-series-{n}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}"><title>{escape(day)}: {values[i]} {escape(name.lower())}</title></rect>')
        if (i % LABEL_EVERY == 0 and i < len(days) - 3) or i == len(days) - 1:   # the last one never crowded
            parts.append(_day_label(day, i, len(days), step))
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(title)} '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')
