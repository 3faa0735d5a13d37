"""Tables in the house style: a DataFrame and column specs in, an HTML table out, numbers formatted by
locale, suppressed cells printed as the configured symbol. Every value is HTML-escaped, so nothing
from the data can run in a reader's browser. Computes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

from . import i18n


@dataclass(frozen=True)
class Col:
    """One column: the frame's column, its header, a formatter (value -> text), right alignment, and
    the name of a boolean column that marks the cell as suppressed."""

    key: str
    header: str
    fmt: Callable[[object], str] | None = None
    numeric: bool = True
    suppressed_by: str | None = None


def fmt_int(lang):
    return lambda v: i18n.num(v, lang)


def fmt_pct(lang, digits=1):
    return lambda v: i18n.pct(v, lang, digits)


def fmt_num(lang, digits=1):
    return lambda v: i18n.num(v, lang, digits)


def html_table(
    df: pd.DataFrame,
    cols: Sequence[Col],
    *,
    symbol: str = "◆",
    css: str = "",
    row_class: Callable[[pd.Series], str] | None = None,
) -> str:
    """The rows of ``df`` as an HTML ``<table>`` (no caption: the report numbers and captions it)."""
    head = "".join(
        f'<th class="{"num" if c.numeric else "txt"}">{escape(c.header)}</th>' for c in cols
    )
    body = []
    for _, row in df.iterrows():
        cells = []
        for c in cols:
            value = row.get(c.key)
            if c.suppressed_by and bool(row.get(c.suppressed_by, False)):
                text, cls = symbol, "num sup"
            else:
                text = "" if i18n.is_missing(value) else (c.fmt(value) if c.fmt else str(value))
                cls = "num" if c.numeric else "txt"
            cells.append(f'<td class="{cls}">{escape(text)}</td>')
        rc = f' class="{escape(row_class(row))}"' if row_class else ""
        body.append(f"<tr{rc}>{''.join(cells)}</tr>")
    return (
        f'<table class="data {escape(css)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
