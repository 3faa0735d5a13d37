"""From an executed report notebook to a self-contained HTML file and a PDF.

The HTML holds only the notebook's outputs (no code, no prompts; editor notes in Markdown cells are
left out), styles inline and charts as inline SVG, so it opens offline from an email. The PDF is
WeasyPrint's rendering of the same HTML with the print rules of ``templates/report.css``: A4, a cover
page, running header, "page x of y", a contents page with page numbers, bookmarks from the headings,
DejaVu Sans (shipped with matplotlib, so always present) for Vietnamese.

A notebook with an error output, or with output on stderr (a warning), is refused: a committee must
never read a traceback or a warning.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import re
from functools import lru_cache
from html import unescape
from pathlib import Path

import jinja2

from .errors import SxshError
from .paths import PACKAGE_DIR
from .report import META_MIME
from .safe_export import write_atomic

TEMPLATES = PACKAGE_DIR / "templates"
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


class RenderError(SxshError):
    """A notebook whose outputs cannot make a report: the cell and the last error line."""

    def __init__(self, message: str, cell: int | None = None):
        self.cell = cell
        super().__init__(message)


def collect(nb) -> tuple[dict, str, str]:
    """The report metadata, the cover HTML and the body HTML from an executed notebook's outputs.
    Refuses (RenderError, naming the cell) error outputs, stderr output and a missing metadata output."""
    meta, parts = None, []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                raise RenderError(f"cell {i}: {out.get('ename')}: {out.get('evalue')}", i)
            if kind == "stream":
                if out.get("name") == "stderr" and out.get("text", "").strip():
                    last = out["text"].strip().splitlines()[-1]
                    raise RenderError(f"cell {i} wrote to stderr: {last}", i)
                continue
            data = out.get("data", {})
            if META_MIME in data:
                meta = data[META_MIME]
            elif "text/html" in data:
                html = data["text/html"]
                parts.append("".join(html) if isinstance(html, list) else html)
            elif "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                parts.append("".join(svg) if isinstance(svg, list) else svg)
            elif "image/png" in data:
                parts.append(f'<img alt="" src="data:image/png;base64,{data["image/png"]}">')
    if meta is None:
        raise RenderError("the notebook did not output its report metadata (r.meta())")
    cover = parts.pop(0) if parts and 'class="cover"' in parts[0] else ""
    return meta, cover, "\n".join(parts)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("report.html.j2")


@lru_cache(maxsize=1)
def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def prov_line(meta: dict) -> str:
    """One line for every page: the data (a digest of the data files' hashes), the code version and the
    parameters that produced the report."""
    p = meta["provenance"]
    data = hashlib.sha256("".join(sorted(p["data_files"].values())).encode()).hexdigest()[:12]
    code = p["code"]["commit"][:10] + ("+" if p["code"]["dirty"] else "")
    params = " ".join(f"{k}={v}" for k, v in p["parameters"].items() if k != "data_dir")
    return f"data {data} · code {code} · {params} · {p['built']}"


def html_document(meta: dict, cover: str, body: str) -> str:
    """The whole HTML file: template, inline CSS, contents from the body's section headings."""
    toc = [(m.group(1), unescape(re.sub("<[^>]+>", "", m.group(2)))) for m in _H2.finditer(body)]
    return _template().render(
        meta=meta,
        lang=meta["lang"],
        css=jinja2.utils.markupsafe.Markup(_css()),
        cover=jinja2.utils.markupsafe.Markup(cover),
        body=jinja2.utils.markupsafe.Markup(body),
        toc=toc,
        prov_line=prov_line(meta),
    )


@lru_cache(maxsize=1)
def _print_css():
    """Font faces for print, from the DejaVu fonts matplotlib ships (so every machine has them), and
    the font configuration that loads them (WeasyPrint ignores @font-face without one); both made
    once per process and shared by every PDF it renders."""
    import matplotlib
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = []
    for weight, style, name in (
        ("normal", "normal", "DejaVuSans.ttf"),
        ("bold", "normal", "DejaVuSans-Bold.ttf"),
        ("normal", "italic", "DejaVuSans-Oblique.ttf"),
        ("bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ):
        faces.append(
            f'@font-face {{ font-family: "DejaVu Sans"; src: url("{(ttf / name).as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    fonts = FontConfiguration()
    return CSS(string="\n".join(faces), font_config=fonts), fonts


_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def _svg_as_image(m: re.Match) -> str:
    data = base64.b64encode(m.group(0).encode("utf-8")).decode("ascii")
    return f'<img class="svg" alt="" src="data:image/svg+xml;base64,{data}">'


def pdf_bytes(html: str) -> bytes:
    """The PDF of an HTML document (WeasyPrint, print styles, PDF bookmarks from the headings).

    Charts go to WeasyPrint as SVG images rather than inline SVG: the same vector drawing and text, but
    their elements skip the HTML style cascade, which made a provincial PDF about 30% slower. (Data text
    is escaped, so every literal ``<svg`` in a report is a chart.)"""
    from weasyprint import HTML

    html = _INLINE_SVG.sub(_svg_as_image, html)
    # WeasyPrint makes hundreds of thousands of small objects, and the cyclic garbage collector kept
    # scanning them (a quarter of the time of a provincial PDF); reference counting frees them anyway,
    # and the collector resumes afterwards
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        css, fonts = _print_css()
        return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
            stylesheets=[css], font_config=fonts
        )
    finally:
        if was_enabled:
            gc.enable()


def render(nb, html_path: Path, pdf_path: Path | None = None) -> dict:
    """Render an executed notebook to ``html_path`` (and ``pdf_path``), atomically. Returns the
    report metadata. Refuses (RenderError) a notebook with errors or warnings in its outputs."""
    meta, cover, body = collect(nb)
    html = html_document(meta, cover, body)
    write_atomic(Path(html_path), html.encode("utf-8"))
    if pdf_path is not None:
        write_atomic(Path(pdf_path), pdf_bytes(html))
    return meta
