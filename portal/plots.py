"""Plots drawn on the server as SVG, so a figure needs no script and lives with the strict
Content-Security-Policy: colours and sizes are SVG presentation attributes (never `style=`),
the rest comes from site.css (`.plot`). Every plot is labelled by its figure's caption
(`role="img"`, `aria-labelledby`); the table beside it carries the numbers as text.

Each function takes what it draws already counted (labels and numbers) and returns markup."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Okabe and Ito's palette: told apart with the common colour-vision deficiencies.
COLOURS = ("#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#000000")
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 36, 40
# The heat matrix: the light and dark ends of its scale, and the size of a cell.
HEAT_LOW, HEAT_HIGH = (0xEE, 0xF4, 0xFB), (0x08, 0x3D, 0x6E)
CELL_W, CELL_H, LABEL_W = 34, 20, 220


def _svg(width: int, height: int, labelled_by: str, body: str) -> SafeString:
    return format_html(
        '<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" '
        'height="{}" role="img" aria-labelledby="{}" font-family="system-ui, sans-serif" '
        'font-size="12">{}</svg>',
        width,
        height,
        width,
        height,
        labelled_by,
        mark_safe(body),  # nosec B308 B703 - its labels escaped, the rest numbers
    )


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round steps (1, 2 or 5 times a power of ten) from 0 to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and float(top).is_integer():
        step = 1  # counts: no half meetings
    return [round(step * i, 10) for i in range(math.ceil(top / step) + 1)]


def _at(coordinate: float) -> str:
    return f"{coordinate:.1f}"


def _short(label: str) -> str:
    """A label that fits left of the plot; the table beside it gives it whole."""
    return label if len(label) <= 30 else label[:28] + "…"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def _legend(names: Sequence[str], y: int = 16) -> str:
    if len(names) < 2:
        return ""
    x, parts = LEFT, []
    for index, name in enumerate(names):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="{}">{}</text>',
                x,
                y - 10,
                COLOURS[index % len(COLOURS)],
                x + 16,
                y,
                name,
            )
        )
        x += 28 + 7 * len(name)
    return "".join(parts)


def _axes(categories: Sequence[str], ticks: list[float], band: float) -> str:
    """The value axis with its grid lines and the category labels under the plot."""
    bottom, scale = HEIGHT - BOTTOM, (HEIGHT - TOP - BOTTOM) / ticks[-1]
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d7dde3"/>'
            '<text x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT,
            _at(bottom - tick * scale),
            WIDTH - RIGHT,
            _at(bottom - tick * scale),
            LEFT - 6,
            _at(bottom - tick * scale + 4),
            _number(tick),
        )
        for tick in ticks
    ]
    # Thin out the labels of a long series so they do not overlap.
    every = max(1, math.ceil(len(categories) * 40 / (WIDTH - LEFT - RIGHT)))
    parts += [
        format_html(
            '<text x="{}" y="{}" text-anchor="middle">{}</text>',
            _at(LEFT + band * (index + 0.5)),
            bottom + 16,
            label,
        )
        for index, label in enumerate(categories)
        if index % every == 0
    ]
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4f5963"/>',
            LEFT,
            bottom,
            WIDTH - RIGHT,
            bottom,
        )
    )
    return "".join(parts)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    labelled_by: str,
) -> SafeString:
    """Vertical bars side by side, a group per category (year), a colour per series."""
    ticks = nice_ticks(max([v for _, values in series for v in values] or [0]))
    band = (WIDTH - LEFT - RIGHT) / max(1, len(categories))
    scale, bottom = (HEIGHT - TOP - BOTTOM) / ticks[-1], HEIGHT - BOTTOM
    # Bars no wider than a thumb, however few the years; each group centred in its band.
    width = min(band * 0.8 / max(1, len(series)), 48)
    offset = (band - width * len(series)) / 2
    bars = []
    for index, category in enumerate(categories):
        for number, (name, values) in enumerate(series):
            height = values[index] * scale
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    _at(LEFT + band * index + offset + number * width),
                    _at(bottom - height),
                    _at(max(width - 1, 1)),
                    _at(height),
                    COLOURS[number % len(COLOURS)],
                    category,
                    _number(values[index]),
                    name,
                )
            )
    body = _axes(categories, ticks, band) + "".join(bars) + _legend([n for n, _ in series])
    return _svg(WIDTH, HEIGHT, labelled_by, body)


def line_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    labelled_by: str,
) -> SafeString:
    """A line per series over the categories (years), each point marked."""
    ticks = nice_ticks(max([v for _, values in series for v in values] or [0]))
    band = (WIDTH - LEFT - RIGHT) / max(1, len(categories))
    scale, bottom = (HEIGHT - TOP - BOTTOM) / ticks[-1], HEIGHT - BOTTOM
    lines = []
    for number, (name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = [
            (LEFT + band * (index + 0.5), bottom - value * scale)
            for index, value in enumerate(values)
        ]
        lines.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                colour,
            )
        )
        lines.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}: {} {}</title></circle>',
                (
                    (_at(x), _at(y), colour, categories[i], _number(values[i]), name)
                    for i, (x, y) in enumerate(points)
                ),
            )
        )
    body = _axes(categories, ticks, band) + "".join(lines) + _legend([n for n, _ in series])
    return _svg(WIDTH, HEIGHT, labelled_by, body)


def _heat(value: float, top: float) -> tuple[str, str]:
    """The cell's fill, and a text colour that reads on it."""
    share = value / top if top else 0
    rgb = [round(low + (high - low) * share) for low, high in zip(HEAT_LOW, HEAT_HIGH, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), "#ffffff" if share > 0.5 else "#1d2733"


def heat_matrix(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    labelled_by: str,
) -> SafeString:
    """A grid of rows (participants, roles) by columns (years, topics), each cell shaded by
    its number and showing it; an empty cell is blank. A busy dialogue's grid has thousands
    of cells: they are written with f-strings (numbers only; the labels escaped once), not
    through format_html."""
    top = max([v for row in values for v in row] or [0])
    header = 28 if all(len(c) <= 4 for c in columns) else 120
    width, height = LABEL_W + CELL_W * len(columns) + RIGHT, header + CELL_H * len(rows) + 4
    names = [escape(column) for column in columns]
    shades = {}  # a number's fill, ink and text, worked out once
    parts = []
    for j, column in enumerate(columns):
        x = LABEL_W + CELL_W * (j + 0.5)
        if header == 28:
            parts.append(f'<text x="{x:.1f}" y="18" text-anchor="middle">{names[j]}</text>')
        else:  # long labels (topics) stand upright
            parts.append(
                f'<text transform="translate({x + 4:.1f} {header - 6}) rotate(-60)">'
                f"{escape(column[:24])}</text>"
            )
    for i, label in enumerate(rows):
        y = header + CELL_H * i
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 14}" text-anchor="end">{escape(_short(label))}</text>'
        )
        for j, value in enumerate(values[i]):
            if not value:
                continue
            if value not in shades:
                shades[value] = (*_heat(value, top), _number(value))
            fill, ink, number = shades[value]
            x = LABEL_W + CELL_W * j
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W - 1}" height="{CELL_H - 1}" '
                f'fill="{fill}"/><text x="{x + CELL_W // 2}" y="{y + 14}" '
                f'text-anchor="middle" fill="{ink}">{number}</text>'
            )
    return _svg(width, height, labelled_by, "".join(parts))


def horizontal_bars(
    labels: Sequence[str], values: Sequence[float], *, labelled_by: str, unit: str = ""
) -> SafeString:
    """One bar per label, longest first as given, the number written at its end."""
    top = max(values or [0]) or 1
    span = WIDTH - LABEL_W - 110
    height = 8 + 24 * len(labels)
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + 24 * i
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="16" fill="{}"/>'
                '<text x="{}" y="{}">{} {}</text>',
                LABEL_W - 6,
                y + 13,
                _short(label),
                LABEL_W,
                y,
                _at(max(value / top * span, 1)),
                COLOURS[0],
                _at(LABEL_W + value / top * span + 6),
                y + 13,
                _number(value),
                unit,
            )
        )
    return _svg(WIDTH, height, labelled_by, "".join(parts))
