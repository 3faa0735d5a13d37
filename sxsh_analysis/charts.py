"""Charts in the house style: data in, SVG text out. Vector, so print is crisp at any size; text stays
text (selectable, searchable, in the report's font). Computes nothing: callers pass indicator tables.

Colours: one blue for values, grey for comparisons, a dark red line for targets; status colours for
the tile map legend are not used (the map is a sequential scale of the indicator).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402

BLUE = "#1f5f99"
LIGHT = "#9dbbd6"
GREY = "#9a9a9a"
TARGET = "#a4262c"
ORANGE = "#d9822b"
SEQUENTIAL = LinearSegmentedColormap.from_list("sxsh", ["#e8f0f7", "#9dbbd6", "#1f5f99", "#0b2e4f"])

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#666666",
        "axes.titlesize": 9,
        "legend.frameon": False,
        "svg.fonttype": "none",  # text as text
        "svg.hashsalt": "sxsh",  # stable element ids: the same data gives the same SVG
    }
)


def to_svg(fig) -> str:
    """The figure as an SVG element (no XML prolog), and the figure closed."""
    buf = io.StringIO()
    # the tight box measured once with the Agg renderer: bbox_inches="tight" draws the whole figure
    # twice (a dry run, then the SVG), which made the charts about 40% slower
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.1)
    fig.savefig(buf, format="svg", bbox_inches=box, metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # scale with the page: drop the fixed size, keep the viewBox
    svg = re.sub(r'(<svg[^>]*?) width="[^"]+" height="[^"]+"', r"\1", svg, count=1)
    # fewer elements for the browser and the PDF renderer: no RDF metadata, no one-path wrapper groups,
    # no line breaks (whitespace is not significant in matplotlib's SVG)
    svg = _METADATA.sub("", svg)
    svg = _PATCH_GROUP.sub(r"\1", svg)
    return _BREAKS.sub(" ", svg)


_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_PATCH_GROUP = re.compile(r'<g id="patch_\d+">\s*(<path[^>]*/>)\s*</g>')
_BREAKS = re.compile(r"\s*\n\s*")


def hbars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    xlabel: str = "",
    highlight: Sequence[bool] | None = None,
    refs: dict[str, float] | None = None,
    fmt=None,
    width: float = 6.3,
    row: float = 0.17,
    xmax: float | None = None,
    missing: str = "",
) -> str:
    """Horizontal bars, in the order given (top first); ``highlight`` bars in a darker colour; ``refs``
    draws labelled vertical lines (targets, the national value); ``fmt`` labels each bar."""
    vals = np.array([np.nan if v is None else float(v) for v in values])
    n = len(labels)
    fig, ax = plt.subplots(figsize=(width, max(1.2, 0.45 + row * n)))
    y = np.arange(n)[::-1]
    colours = [BLUE if (highlight is not None and highlight[i]) else LIGHT for i in range(n)]
    ax.barh(y, np.nan_to_num(vals), color=colours, height=0.72)
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", length=0)
    top = (
        xmax
        or max(np.nanmax(vals) if np.isfinite(vals).any() else 1, *(refs or {}).values(), 1) * 1.15
    )
    ax.set_xlim(0, top)
    for i, v in enumerate(vals):
        text = missing if np.isnan(v) else (fmt(v) if fmt else f"{v:.1f}")
        ax.text(
            (0 if np.isnan(v) else v) + top * 0.01,
            y[i],
            text,
            va="center",
            fontsize=7,
            color="#333333",
        )
    for i, (name, v) in enumerate((refs or {}).items()):
        ax.axvline(v, color=GREY if i == 0 else TARGET, lw=1, ls="--")
        # labels alternate sides of their line so that two close lines stay readable
        ax.text(
            v,
            n - 0.35,
            f" {name} ",
            fontsize=7,
            color="#333333",
            va="bottom",
            ha="right" if i == 0 else "left",
        )
    ax.set_xlabel(xlabel)
    ax.set_ylim(-0.6, n - 0.1 + (0.5 if refs else 0))
    return to_svg(fig)


def _wrap(label: str, inches: float) -> str:
    """A tick label broken into lines that fit ``inches`` at the tick font size (about 10 characters
    an inch); line breaks already in the label are kept."""
    chars = max(8, int(inches * 10))
    return "\n".join(textwrap.fill(line, chars) for line in label.split("\n"))


def grouped_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    ylabel: str = "",
    targets: Sequence[float] | None = None,
    target_label: str = "",
    fmt=None,
    width: float = 6.3,
    height: float = 2.6,
) -> str:
    """Vertical bars grouped by category, one colour per series; optional target markers."""
    k = len(series)
    x = np.arange(len(categories))
    w = 0.8 / max(k, 1)
    palette = [BLUE, LIGHT, GREY, ORANGE]
    fig, ax = plt.subplots(figsize=(width, height))
    for j, (name, vals) in enumerate(series.items()):
        v = np.array([np.nan if s is None else float(s) for s in vals])
        pos = x - 0.4 + w * (j + 0.5)
        ax.bar(pos, np.nan_to_num(v), width=w * 0.92, color=palette[j % 4], label=name)
        for p, val in zip(pos, v):
            if np.isfinite(val):
                ax.text(
                    p,
                    val,
                    fmt(val) if fmt else f"{val:.0f}",
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                )
    if targets is not None:
        for i, tv in enumerate(targets):
            if tv is not None and np.isfinite(tv):
                ax.hlines(tv, i - 0.45, i + 0.45, colors=TARGET, lw=1.6)
        ax.plot([], [], color=TARGET, lw=1.6, label=target_label)
    ax.set_xticks(x, [_wrap(c, width / len(categories)) for c in categories])
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7, ncol=min(k + 1, 4), loc="upper left", bbox_to_anchor=(0, 1.18))
    ax.set_ylim(0, max(100 if ylabel == "%" else 0, ax.get_ylim()[1]))
    return to_svg(fig)


def lines(
    x: Sequence[int],
    series: dict[str, Sequence[float]],
    *,
    ylabel: str = "",
    targets: dict[str, tuple[int, float]] | None = None,
    width: float = 6.3,
    height: float = 2.5,
    ymax: float | None = None,
    fmt=None,
) -> str:
    """Lines over years, one per series, with end labels; ``targets`` marks (year, value) points."""
    palette = [BLUE, ORANGE, GREY, "#4c9a5b", "#7a5195"]
    fig, ax = plt.subplots(figsize=(width, height))
    for j, (name, vals) in enumerate(series.items()):
        v = np.array([np.nan if s is None else float(s) for s in vals])
        ax.plot(x, v, marker="o", ms=3, lw=1.6, color=palette[j % 5], label=name)
        if fmt and np.isfinite(v[-1]):
            ax.text(x[-1], v[-1], " " + fmt(v[-1]), fontsize=6.5, va="center", color=palette[j % 5])
    for name, (year, value) in (targets or {}).items():
        ax.plot([year], [value], marker="D", ms=4, color=TARGET)
        ax.text(year, value, f" {name}", fontsize=6.5, color=TARGET, va="center")
    years = list(x) + [y for y, _ in (targets or {}).values()]
    ax.set_xticks(sorted(set(years)))
    ax.set_xlim(min(years) - 0.5, max(years) + 1.5)
    ax.set_ylim(0, ymax or max(ax.get_ylim()[1], 1))
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7, ncol=min(len(series), 3), loc="upper left", bbox_to_anchor=(0, 1.2))
    return to_svg(fig)


def stacked_bars(
    x: Sequence,
    series: dict[str, Sequence[float]],
    *,
    ylabel: str = "",
    width: float = 6.3,
    height: float = 2.4,
    scale: float = 1.0,
) -> str:
    """Stacked vertical bars (budgets by source); values divided by ``scale`` for the axis."""
    palette = [BLUE, LIGHT, GREY, ORANGE]
    fig, ax = plt.subplots(figsize=(width, height))
    bottom = np.zeros(len(x))
    for j, (name, vals) in enumerate(series.items()):
        v = np.nan_to_num(np.array([np.nan if s is None else float(s) for s in vals])) / scale
        ax.bar([str(i) for i in x], v, bottom=bottom, color=palette[j % 4], label=name, width=0.7)
        bottom += v
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7, ncol=len(series), loc="upper left", bbox_to_anchor=(0, 1.18))
    return to_svg(fig)


def tile_map(
    tiles: dict[str, tuple[int, int]],
    values: dict[str, float],
    labels: dict[str, str],
    *,
    vmin: float = 0,
    vmax: float = 100,
    legend: str = "",
    fmt=None,
    highlight: str | None = None,
    width: float = 3.4,
) -> str:
    """One square per province at (row, column), coloured by its value; grey where there is none."""
    rows = max(r for r, _ in tiles.values()) + 1
    cols = max(c for _, c in tiles.values()) + 1
    fig, ax = plt.subplots(figsize=(width, width * rows / cols * 0.62))
    for code, (r, c) in tiles.items():
        v = values.get(code)
        ok = v is not None and np.isfinite(v)
        colour = SEQUENTIAL((v - vmin) / (vmax - vmin)) if ok else "#dddddd"
        ax.add_patch(
            plt.Rectangle(
                (c, -r),
                0.94,
                0.94,
                color=colour,
                ec=TARGET if code == highlight else "white",
                lw=1.5 if code == highlight else 0.5,
            )
        )
        dark = ok and (v - vmin) / (vmax - vmin) > 0.5
        ax.text(
            c + 0.47,
            -r + 0.6,
            labels.get(code, code),
            ha="center",
            va="center",
            fontsize=4.3,
            color="white" if dark else "#222222",
        )
        if ok and fmt:
            ax.text(
                c + 0.47,
                -r + 0.27,
                fmt(v),
                ha="center",
                va="center",
                fontsize=4.3,
                color="white" if dark else "#222222",
            )
    ax.set_xlim(-0.1, cols + 0.1)
    ax.set_ylim(-rows + 0.8, 1.05)
    ax.set_aspect(0.62)
    ax.axis("off")
    sm = plt.cm.ScalarMappable(cmap=SEQUENTIAL, norm=plt.Normalize(vmin, vmax))
    cb = fig.colorbar(sm, ax=ax, orientation="horizontal", fraction=0.025, pad=0.01, aspect=30)
    cb.set_label(legend, fontsize=6.5)
    cb.ax.tick_params(labelsize=6)
    return to_svg(fig)
