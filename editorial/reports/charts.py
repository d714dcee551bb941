"""Server-rendered SVG line charts: no script, no CDN, readable by screen readers.

Each chart carries a `<title>` and a `<desc>` summarising every series, points
at the table beside it (`aria-describedby`), and tells series apart by dash
pattern and marker as well as by colour.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48
# (colour, dash pattern): readable in greyscale and for colour-blind readers.
STYLES = [
    ("#1b4f72", ""),
    ("#b9770e", "6 3"),
    ("#1e8449", "2 3"),
    ("#943126", "8 3 2 3"),
    ("#6c3483", "1 5"),
]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(
    *, chart_id: str, title: str, x_labels: list[str], series: list[tuple[str, list]], unit: str, table_id: str
) -> str:
    """An SVG line chart of `series` [(name, values)] over `x_labels`; None values leave a gap."""
    values = [v for _, points in series for v in points if v is not None]
    top = _nice_max(max(values) if values else 0)
    n = max(len(x_labels), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = []
    for tick in range(5):
        value = top * tick / 4
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
                LEFT,
                _fmt(y(value)),
                WIDTH - RIGHT,
                _fmt(y(value)),
                LEFT - 6,
                _fmt(y(value) + 4),
                _fmt(value),
            )
        )
    every = max(1, n // 8)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                    _fmt(x(i)),
                    HEIGHT - BOTTOM + 16,
                    label,
                )
            )
    legend = []
    for index, (name, points) in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        runs, current = [], []
        for i, v in enumerate(points):
            if v is None:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append(f"{_fmt(x(i))},{_fmt(y(v))}")
        if current:
            runs.append(current)
        for run in runs:
            parts.append(
                format_html(
                    '<polyline fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}" points="{}"/>',
                    colour,
                    dash,
                    " ".join(run),
                )
            )
            for point in run:
                px, py = point.split(",")
                parts.append(format_html('<circle cx="{}" cy="{}" r="2.5" fill="{}"/>', px, py, colour))
        lx = LEFT + index * (plot_w / max(len(series), 1))
        legend.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                _fmt(lx),
                HEIGHT - 12,
                _fmt(lx + 18),
                HEIGHT - 12,
                colour,
                dash,
                _fmt(lx + 22),
                HEIGHT - 8,
                name,
            )
        )

    description = describe(x_labels=x_labels, series=series, unit=unit)
    return format_html(
        '<svg id="{id}" class="report-chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{id}-title {id}-desc" aria-describedby="{table}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#555"/>{body}{legend}</svg>',
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        table=table_id,
        title=title,
        desc=description,
        left=LEFT,
        right=WIDTH - RIGHT,
        base=HEIGHT - BOTTOM,
        body=mark_safe("".join(parts)),
        legend=mark_safe("".join(legend)),
    )


def describe(*, x_labels: list[str], series: list[tuple[str, list]], unit: str) -> str:
    """The chart in words: range, and each series' total or low/high."""
    if not x_labels:
        return "No data in this range."
    sentences = [f"From {x_labels[0]} to {x_labels[-1]}, {len(x_labels)} points."]
    for name, points in series:
        known = [v for v in points if v is not None]
        if not known:
            sentences.append(f"{name}: no data.")
            continue
        low, high = min(known), max(known)
        sentences.append(f"{name}: lowest {_fmt(low)} {unit}, highest {_fmt(high)} {unit}, latest {_fmt(known[-1])}.")
    return " ".join(sentences)
