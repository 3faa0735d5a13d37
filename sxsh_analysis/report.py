"""The content of the reports: each method returns one piece (a heading, a numbered figure or table,
narrative) as HTML for a notebook cell to display. Figures and tables are numbered in order and carry
their source; suppressed cells print the configured symbol; text comes from :mod:`i18n`.

Notebooks create one :class:`Report` from their parameters and call its sections in order; the
renderer (:mod:`render`) turns the executed notebook's outputs into HTML and PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from functools import lru_cache
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from . import (
    __version__,
    charts,
    config,
    disclosure,
    i18n,
    indicators,
    load,
    paths,
    quality,
    reference,
)
from .errors import SxshError
from .tables import Col, fmt_int, fmt_pct, html_table

META_MIME = "application/vnd.sxsh.report+json"
_TABLES: dict[tuple, pd.DataFrame] = {}  # whole-round indicator tables, by data version
KEY_INDICATORS = ["awareness", "application", "saving_met", "cp_unit"]
VALUE_COL = {
    "awareness": "aware_pct",
    "application": "applied_pct",
    "saving_met": "saving_met_pct",
    "cp_unit": "cp_unit_pct",
    "saving": "saving_median",
}
FLAG_COL = {
    "awareness": "suppressed",
    "application": "suppressed",
    "saving_met": "suppressed",
    "cp_unit": "cp_unit_suppressed",
    "saving": "saving_suppressed",
}


class Html:
    """HTML for a notebook to display (``_repr_html_``), and for tests to read (``str``)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


class Meta:
    """The report's metadata as a notebook output of its own type, read by the renderer."""

    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {META_MIME: self.data, "text/plain": "report metadata"}


@lru_cache(maxsize=1)
def code_version() -> dict:
    """The git commit of the project and whether the work tree has changes (cached per process)."""
    root = paths.project_root()
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        )
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", False
    return {"commit": commit or "unknown", "dirty": dirty, "sxsh_version": __version__}


@lru_cache(maxsize=64)
def _sha256(path: str, mtime: float, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_hashes(files: list[Path]) -> dict[str, str]:
    """SHA-256 of each file, by name."""
    return {p.name: _sha256(str(p), p.stat().st_mtime, p.stat().st_size) for p in files}


def library_versions() -> dict[str, str]:
    import matplotlib
    import pyarrow

    out = {
        "python": ".".join(map(str, __import__("sys").version_info[:3])),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "pyarrow": pyarrow.__version__,
        "matplotlib": matplotlib.__version__,
    }
    try:
        import weasyprint

        out["weasyprint"] = weasyprint.__version__
    except ImportError:  # the renderer may run elsewhere; the notebook does not need it
        pass
    return out


def markdown(text: str) -> str:
    """Consultant Markdown to HTML, with any HTML in it escaped (nothing a consultant or a data file
    writes can run in a reader's browser)."""
    import mistune

    return mistune.create_markdown(escape=True)(text)


def slug(text: str) -> str:
    from .text import fold

    return fold(text).replace(" ", "-")


class Report:
    """One report's context: its parameters, data, numbering and language.

    ``kind`` is "national", "province" (``code`` an old province code) or "unit" (``code`` a 2025 unit
    code). Refuses (SxshError) an unknown code, round or language before reading any data."""

    def __init__(
        self,
        kind: str = "national",
        code: str | None = None,
        round: int | None = None,
        lang: str = "vi",
        data_dir: str | Path | None = None,
        parameters_dir: str | Path | None = None,
    ):
        if kind not in ("national", "province", "unit"):
            raise SxshError(f"unknown report kind '{kind}' (national, province, unit)")
        if lang not in i18n.LANGS:
            raise SxshError(f"unknown language '{lang}' (languages: {', '.join(i18n.LANGS)})")
        self.kind, self.lang = kind, lang
        self.params_dir = Path(parameters_dir) if parameters_dir else paths.parameters_dir()
        self.cfg = config.load_build_config(self.params_dir / "build.yaml")
        if kind == "province":
            code = str(code).zfill(2)
            if code not in set(reference.provinces()["code"]):
                raise SxshError(f"unknown province code '{code}'")
            self.members = [code]
        elif kind == "unit":
            code = str(code).zfill(2)
            if code not in set(reference.units_2025()["code"]):
                raise SxshError(f"unknown 2025 unit code '{code}'")
            self.members = [c for c, u in reference.crosswalk_2025().items() if u == code]
        else:
            self.members = list(reference.provinces()["code"])
        self.code = code
        self.data_dir = data_dir
        self.enterprises = load.enterprises(data_dir=data_dir)
        available = sorted(int(r) for r in self.enterprises["round"].unique())
        self.round = (
            int(round)
            if round
            else (
                self.cfg.headline_round if self.cfg.headline_round in available else available[-1]
            )
        )
        if self.round not in available:
            raise SxshError(f"round {self.round} is not in the cleaned data (rounds: {available})")
        self.rounds = available
        self.baseline = available[0]
        self.doit = _optional(lambda: load.doit(data_dir=data_dir))
        self.programme = _optional(lambda: load.programme(data_dir))
        self.log = _optional(lambda: load.cleaning_log(data_dir)) or {}
        self.sample = bool(self.log.get("sample", False))
        self.k = self.cfg.disclosure.min_cell
        self.symbol = self.cfg.disclosure.symbol
        self.fig_no = 0
        self.tab_no = 0
        self.phase = indicators.phase_of(self.round)
        self.province_targets = load.province_targets(self.params_dir)
        self._cur = self.enterprises[self.enterprises["round"] == self.round]

    # --- small helpers -----------------------------------------------------------------------------
    def t(self, key: str, **kw) -> str:
        return i18n.t(self.lang, key, **kw)

    def pct(self, v, digits=1) -> str:
        return i18n.pct(v, self.lang, digits)

    def num(self, v, digits=0) -> str:
        return i18n.num(v, self.lang, digits)

    @property
    def name(self) -> str:
        if self.kind == "province":
            return i18n.province_name(self.code, self.lang)
        if self.kind == "unit":
            return i18n.unit_name(self.code, self.lang)
        return self.t("col.national")

    def heading(self, key: str, level: int = 2) -> Html:
        """A numbered-in-the-contents section heading."""
        text = self.t(f"section.{key}")
        return Html(f'<h{level} id="sec-{escape(key)}">{escape(text)}</h{level}>')

    def para(self, text: str) -> str:
        return f"<p>{escape(text)}</p>"

    def figure(self, svg: str, caption: str, source: str, css: str = "") -> str:
        """A numbered figure with its caption and source (``css``: "narrow" for tall charts)."""
        self.fig_no += 1
        n = self.fig_no
        return (
            f'<figure class="chart {escape(css)}" id="fig-{n}">{svg}<figcaption><span class="num-label">'
            f"{escape(self.t('report.figure'))} {n}.</span> {escape(caption)}"
            f'<span class="source">{escape(self.t("report.source"))}: {escape(source)}</span>'
            f"</figcaption></figure>"
        )

    def table(self, html: str, caption: str, source: str, note: str | None = None) -> str:
        self.tab_no += 1
        n = self.tab_no
        foot = f'<p class="table-note">{escape(note)}</p>' if note else ""
        return (
            f'<figure class="table" id="tab-{n}"><figcaption><span class="num-label">'
            f"{escape(self.t('report.table'))} {n}.</span> {escape(caption)}</figcaption>{html}"
            f'<p class="source">{escape(self.t("report.source"))}: {escape(source)}</p>{foot}</figure>'
        )

    def suppressed_note(self) -> str:
        return self.t("report.suppressed_note", symbol=self.symbol, k=self.k)

    def src_survey(self) -> str:
        return self.t("sources.survey", rounds=", ".join(map(str, self.rounds)))

    def src_doit(self) -> str:
        years = sorted(self.doit["year"].unique()) if self.doit is not None else []
        span = f"{years[0]}-{years[-1]}" if years else ""
        return self.t("sources.doit", years=span)

    def geo_name(self, code: str) -> str:
        return i18n.province_name(code, self.lang)

    def indicator_table(
        self,
        levels,
        rnd: int | None = None,
        frame: pd.DataFrame | None = None,
        shared: tuple | None = None,
    ) -> pd.DataFrame:
        """A protected indicator table of one round (default: the report's), over all enterprises or
        over ``frame``. Whole-round tables are the same for every report of a build, and so is a frame
        named by ``shared`` (a region, the nation), so they are kept per data version in this process
        (a warm kernel builds many reports)."""
        conf = self.cfg.indicators.confidence
        if frame is not None and shared is None:
            return disclosure.indicator_table(frame, levels, min_cell=self.k, confidence=conf)
        rnd = rnd or self.round
        key = (self._data_version(), rnd, str(levels), self.k, conf, shared)
        if key not in _TABLES:
            if len(_TABLES) > 256:
                _TABLES.clear()
            df = self.enterprises[self.enterprises["round"] == rnd] if frame is None else frame
            _TABLES[key] = disclosure.indicator_table(df, levels, min_cell=self.k, confidence=conf)
        return _TABLES[key].copy()

    def _data_version(self) -> str:
        if not hasattr(self, "_dv"):
            self._dv = "|".join(sorted(file_hashes(load.data_files(self.data_dir)).values()))
        return self._dv

    # --- metadata ----------------------------------------------------------------------------------
    def key_figures(self) -> dict:
        """The figures the index page lists for this report (None where suppressed)."""
        frame = self._cur[self._cur["province_code"].isin(self.members)]
        row = self.indicator_table("national", frame=frame, shared=self._area).iloc[0]
        out = {"n": int(row["n"])}
        for ind in KEY_INDICATORS:
            v = row[VALUE_COL[ind]]
            out[ind] = None if bool(row[FLAG_COL[ind]]) or pd.isna(v) else round(float(v), 1)
        return out

    def meta(self) -> Meta:
        """The report's metadata for the renderer and the index: title, running header, language,
        sample flag, key figures, provenance."""
        subtitle = self.t(f"report.{self.kind}")
        return Meta(
            {
                "kind": self.kind,
                "code": self.code,
                "lang": self.lang,
                "round": self.round,
                "name": self.name,
                "title": self.t("report.title"),
                "subtitle": subtitle,
                "running_header": f"{subtitle} – {self.name}"
                if self.kind != "national"
                else subtitle,
                "sample": self.sample,
                "sample_banner": self.t("report.sample_banner"),
                "contents": self.t("report.contents"),
                "page": self.t("report.page"),
                "of": self.t("report.of"),
                "key": self.key_figures(),
                "provenance": self.provenance_data(),
            }
        )

    def provenance_data(self) -> dict:
        """Data hashes, code version, parameters, build time and library versions; computed once per
        report, so the metadata, the footer line and the provenance block agree to the second."""
        if not hasattr(self, "_provenance"):
            self._provenance = self._compute_provenance()
        return self._provenance

    def _compute_provenance(self) -> dict:
        files = load.data_files(self.data_dir)
        return {
            "data_files": file_hashes(
                [f for f in files if f.suffix in (".parquet", ".json", ".csv")]
            ),
            "code": code_version(),
            "parameters": {
                "kind": self.kind,
                "code": self.code,
                "round": self.round,
                "lang": self.lang,
                "data_dir": str(self.data_dir or "data/cleaned"),
                "min_cell": self.k,
                "geography": "2025" if self.kind == "unit" else "2010",
            },
            "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "libraries": library_versions(),
            "sample": self.sample,
        }

    # --- shared sections ---------------------------------------------------------------------------
    def cover(self) -> Html:
        date = i18n.date(dt.date.today(), self.lang)
        parts = [
            '<section class="cover">',
            f'<p class="cover-kicker">{escape(self.t("report.prepared_for"))}</p>',
            f'<h1 class="cover-title">{escape(self.t("report.title"))}</h1>',
            f'<p class="cover-strategy">{escape(self.t("report.strategy"))}</p>',
            f'<p class="cover-subtitle">{escape(self.t(f"report.{self.kind}"))}</p>',
        ]
        if self.kind != "national":
            parts.append(f'<p class="cover-name">{escape(self.name)}</p>')
            parts.append(f'<p class="cover-meta">{escape(self._place_line())}</p>')
        parts.append(
            f'<p class="cover-round">{escape(self.t("report.round", round=self.round))}</p>'
        )
        parts.append(f'<p class="cover-date">{escape(self.t("report.built_on", date=date))}</p>')
        if self.sample:
            parts.append(f'<p class="cover-sample">{escape(self.t("report.sample_banner"))}</p>')
            parts.append(f'<p class="cover-sample-note">{escape(self.t("report.sample_note"))}</p>')
        parts.append("</section>")
        return Html("".join(parts))

    def _place_line(self) -> str:
        if self.kind == "province":
            p = reference.provinces().set_index("code").loc[self.code]
            return (
                f"{self.t('report.code')} {self.code} · {self.t('report.region')}: "
                f"{i18n.region_name(p['region'], self.lang)} · {self.t('report.unit2025')}: "
                f"{i18n.unit_name(p['unit2025'], self.lang)}"
            )
        names = ", ".join(self.geo_name(c) for c in self.members)
        return f"{self.t('report.code')} {self.code} · {names}"

    def commentary(self) -> Html:
        """Consultant text from parameters/commentary/ (never written by a build)."""
        rel = self.commentary_path()
        path = self.params_dir.parent / rel if not Path(rel).is_absolute() else Path(rel)
        key = "conclusions" if self.kind == "national" else "commentary"
        head = str(self.heading(key))
        if path.is_file() and path.read_text(encoding="utf-8").strip():
            body = markdown(path.read_text(encoding="utf-8"))
            return Html(head + f'<div class="commentary">{body}</div>')
        return Html(
            head
            + f'<p class="commentary-missing">{escape(self.t("report.commentary_missing", path=rel))}</p>'
        )

    def commentary_path(self) -> str:
        return self.commentary_path_for(self.kind, self.code, self.lang)

    @staticmethod
    def commentary_path_for(kind: str, code: str | None, lang: str) -> str:
        """The commentary file of a report, relative to the project: parameters/commentary/
        national.md, provinces/<code>.md or units2025/<code>.md; English text in <name>.en.md."""
        suffix = ".md" if lang == "vi" else f".{lang}.md"
        name = {
            "national": "national",
            "province": f"provinces/{code}",
            "unit": f"units2025/{code}",
        }
        return f"parameters/commentary/{name[kind]}{suffix}"

    def provenance(self) -> Html:
        p = self.provenance_data()
        code = p["code"]
        rows = [
            (
                self.t("provenance.code_version"),
                f"{code['commit'][:12]} (sxsh {code['sxsh_version']}) {self.t('provenance.modified') if code['dirty'] else ''}",
            ),
            (
                self.t("provenance.parameters"),
                ", ".join(f"{k}={v}" for k, v in p["parameters"].items()),
            ),
            (self.t("provenance.built"), p["built"]),
            (
                self.t("provenance.libraries"),
                ", ".join(f"{k} {v}" for k, v in p["libraries"].items()),
            ),
            (self.t("provenance.sample"), self.t("col.yes") if p["sample"] else self.t("col.no")),
        ]
        files = "".join(
            f"<li><code>{escape(n)}</code> <code class='hash'>{escape(h)}</code></li>"
            for n, h in p["data_files"].items()
        )
        dl = "".join(f"<dt>{escape(a)}</dt><dd>{escape(b)}</dd>" for a, b in rows)
        return Html(
            str(self.heading("provenance"))
            + f'<section class="provenance"><p>{escape(self.t("provenance.intro"))}</p>'
            f"<dl>{dl}<dt>{escape(self.t('provenance.data_files'))}</dt><dd><ul>{files}</ul></dd></dl></section>"
        )

    # --- national sections -------------------------------------------------------------------------
    def _status_rows(
        self, frame: pd.DataFrame, targets: pd.DataFrame, shared: tuple | None = None
    ) -> pd.DataFrame:
        trend = pd.concat(
            [
                self.indicator_table("national", r, frame[frame["round"] == r], shared)
                for r in self.rounds
            ],
            ignore_index=True,
        )
        trend["saving_met"] = trend["saving_met_pct"]
        g = indicators.gaps(trend, targets, self.cfg.indicators.at_risk_progress, self.baseline)
        return g[g["round"] == self.round]

    def _target_text(self, r) -> str:
        """A target as text: "50,0 %", or a range "5,0 %–8,0 %"; "" without one."""
        if r is None:
            return ""
        hi = r["target_high"]
        return self.pct(r["target"]) + ("" if pd.isna(hi) else f"–{self.pct(hi)}")

    def _key_table(
        self, frame: pd.DataFrame, targets: pd.DataFrame, shared: tuple | None = None
    ) -> str:
        g = self._status_rows(frame, targets, shared)
        rows = []
        for ind in ("awareness", "application", "saving", "cp_unit"):
            sub = g[g["indicator"] == ind].set_index("phase")
            if sub.empty:
                continue
            r15 = sub.loc[2015] if 2015 in sub.index else None
            r20 = sub.loc[2020] if 2020 in sub.index else None
            base = r20 if r20 is not None else r15
            # every key indicator, the saving included, is a percentage
            interval = (
                "" if np.isnan(base["lo"]) else f"{self.pct(base['lo'])} – {self.pct(base['hi'])}"
            )

            rows.append(
                {
                    "indicator": self.t(f"indicator.{ind}"),
                    "value": self.pct(base["value"]),
                    "interval": interval,
                    "t15": self._target_text(r15),
                    "s15": self.t(f"status.{r15['status']}") if r15 is not None else "",
                    "t20": self._target_text(r20),
                    "s20": self.t(f"status.{r20['status']}") if r20 is not None else "",
                }
            )
        df = pd.DataFrame(rows)
        cols = [
            Col("indicator", self.t("col.indicator"), numeric=False),
            Col("value", self.t("col.value")),
            Col("interval", self.t("col.interval")),
            Col("t15", self.t("col.target_2015")),
            Col("s15", self.t("col.status_2015"), numeric=False),
            Col("t20", self.t("col.target_2020")),
            Col("s20", self.t("col.status_2020"), numeric=False),
        ]
        return html_table(df, cols, symbol=self.symbol, css="key")

    def key_findings(self) -> Html:
        targets = indicators.targets_for()
        nat = self.indicator_table("national").iloc[0]
        out = [
            str(self.heading("key_findings")),
            self.para(self.t("text.key_intro", round=self.round, baseline=self.baseline)),
        ]
        bullets = []
        g = self._status_rows(self.enterprises, targets, ("nation",))
        for ind in ("awareness", "application"):
            r = g[(g["indicator"] == ind) & (g["phase"] == self.phase)].iloc[0]
            bullets.append(
                self.t(
                    "text.finding",
                    indicator=self.t(f"indicator.{ind}"),
                    value=self.pct(r["value"]),
                    round=self.round,
                    lo=self.pct(r["lo"]),
                    hi=self.pct(r["hi"]),
                    target=self.pct(r["target"]),
                    target_year=int(r["phase"]),
                    status=self.t(f"status.{r['status']}").lower(),
                )
            )
        out.append(
            "<ul class='findings'>" + "".join(f"<li>{escape(b)}</li>" for b in bullets) + "</ul>"
        )
        out.append(
            self.table(
                self._key_table(self.enterprises, targets, ("nation",)),
                self.t("section.key_findings"),
                self.src_survey() + "; " + self.t("sources.targets"),
            )
        )
        t = reference.targets().set_index(["indicator", "phase"])
        cats = [self.t(f"short.{i}") for i in ("awareness", "application", "cp_unit")]
        vals = [nat["aware_pct"], nat["applied_pct"], nat["cp_unit_pct"]]
        t15 = [t.loc[("awareness", 2015), "value"], t.loc[("application", 2015), "value"], np.nan]
        t20 = [
            t.loc[("awareness", 2020), "value"],
            t.loc[("application", 2020), "value"],
            t.loc[("cp_unit", 2020), "value"],
        ]
        svg = charts.grouped_bars(
            cats,
            {
                str(self.round): vals,
                f"{self.t('col.target')} 2015": t15,
                f"{self.t('col.target')} 2020": t20,
            },
            ylabel="%",
            fmt=lambda v: self.pct(v, 0),
        )
        out.append(
            self.figure(
                svg,
                f"{self.t('section.key_findings')} ({self.round})",
                self.src_survey() + "; " + self.t("sources.targets"),
            )
        )
        return Html("".join(out))

    def method(self) -> Html:
        counts = self.enterprises.groupby("round").size()
        n_text = "; ".join(
            self.t("text.method_n", n=self.num(v), round=int(r)) for r, v in counts.items()
        )
        years = sorted(self.doit["year"].unique()) if self.doit is not None else []
        thr = indicators.saving_threshold(self.phase)
        paras = [
            self.t(
                "text.method_sources",
                rounds=", ".join(map(str, self.rounds)),
                n_text=n_text,
                doit_years=f"{years[0]}-{years[-1]}" if years else "–",
            ),
            self.t("text.method_definitions", threshold=self.pct(thr, 0)),
            self.t("text.method_intervals"),
            self.t("text.method_suppression", k=self.k, symbol=self.symbol),
            self.t("text.method_status"),
        ]
        if self.sample:
            paras.insert(0, self.t("report.sample_note"))
        return Html(str(self.heading("method")) + "".join(self.para(p) for p in paras))

    def _share_cols(self, keycol: Col) -> list[Col]:
        return [
            keycol,
            Col("n", self.t("col.n"), fmt_int(self.lang)),
            Col("aware_pct", self.t("col.aware"), fmt_pct(self.lang), suppressed_by="suppressed"),
            Col(
                "applied_pct", self.t("col.applied"), fmt_pct(self.lang), suppressed_by="suppressed"
            ),
            Col(
                "saving_met_pct",
                self.t("col.saving_met"),
                fmt_pct(self.lang),
                suppressed_by="suppressed",
            ),
        ]

    def by_region(self) -> Html:
        t = self.indicator_table("region")
        order = reference.regions().set_index("code")["order"]
        t = t.assign(_o=t["region"].map(order)).sort_values("_o")
        t["region_name"] = [i18n.region_name(c, self.lang) for c in t["region"]]
        svg = charts.grouped_bars(
            list(t["region_name"]),
            {
                self.t("short.awareness"): t["aware_pct"],
                self.t("short.application"): t["applied_pct"],
            },
            ylabel="%",
            fmt=lambda v: self.pct(v, 0),
            height=2.8,
        )
        tab = html_table(
            t,
            self._share_cols(Col("region_name", self.t("col.region"), numeric=False)),
            symbol=self.symbol,
        )
        return Html(
            str(self.heading("regions"))
            + self.figure(
                svg,
                f"{self.t('short.awareness')}, {self.t('short.application')} – "
                f"{self.t('section.regions')} ({self.round})",
                self.src_survey(),
            )
            + self.table(tab, f"{self.t('section.regions')} ({self.round})", self.src_survey())
        )

    def by_province(self) -> Html:
        t = self.indicator_table("province").sort_values(
            "aware_pct", ascending=False, na_position="last"
        )
        names = [self.geo_name(c) for c in t["province_code"]]
        nat = self.indicator_table("national").iloc[0]
        ranked = charts.hbars(
            names,
            t["aware_pct"],
            xlabel="%",
            highlight=list(t["aware_pct"] > 50),
            refs={
                f"{self.t('col.national')} {self.pct(nat['aware_pct'], 0)}": nat["aware_pct"],
                "50 %" if self.lang == "vi" else "50%": 50,
            },
            fmt=lambda v: self.pct(v, 0),
            missing=self.symbol,
            xmax=100,
            row=0.125,
        )
        tiles = reference.tiles()
        values = {
            c: (None if s else v)
            for c, v, s in zip(t["province_code"], t["aware_pct"], t["suppressed"])
        }
        tile = charts.tile_map(
            {r.code: (r.row, r.col) for r in tiles.itertuples()},
            values,
            dict(zip(tiles["code"], tiles["abbr"])),
            legend=self.t("indicator.awareness") + " (%)",
            fmt=lambda v: f"{v:.0f}",
        )
        cap = f"{self.t('indicator.awareness')} ({self.round})"
        return Html(
            str(self.heading("provinces"))
            + self.figure(ranked, cap, self.src_survey())
            + self.figure(tile, cap, self.src_survey(), css="narrow")
        )

    def by_sector(self) -> Html:
        t = self.indicator_table("sector").sort_values("aware_n", ascending=False)
        t["sector_name"] = [i18n.sector_name(c, self.lang) for c in t["sector"]]
        svg = charts.hbars(
            list(t["sector_name"]),
            t["aware_pct"],
            xlabel="%",
            fmt=lambda v: self.pct(v, 0),
            missing=self.symbol,
            xmax=100,
            row=0.2,
        )
        cols = [
            Col("sector_name", self.t("col.sector"), numeric=False),
            Col("n", self.t("col.n"), fmt_int(self.lang)),
            Col("aware_n", self.t("col.aware"), fmt_int(self.lang), suppressed_by="suppressed"),
            Col("aware_pct", "%", fmt_pct(self.lang), suppressed_by="suppressed"),
            Col("applied_n", self.t("col.applied"), fmt_int(self.lang), suppressed_by="suppressed"),
            Col(
                "saving_met_n",
                self.t("col.saving_met"),
                fmt_int(self.lang),
                suppressed_by="suppressed",
            ),
            Col(
                "saving_median",
                self.t("col.saving_median"),
                fmt_pct(self.lang),
                suppressed_by="saving_suppressed",
            ),
        ]
        return Html(
            str(self.heading("sectors"))
            + self.figure(
                svg,
                f"{self.t('indicator.awareness')} – {self.t('section.sectors')} ({self.round})",
                self.src_survey(),
            )
            + self.table(
                html_table(t, cols, symbol=self.symbol),
                f"{self.t('section.sectors')} ({self.round})",
                self.src_survey(),
                self.suppressed_note(),
            )
        )

    def trends(self) -> Html:
        tr = pd.concat(
            [self.indicator_table("national", r) for r in self.rounds], ignore_index=True
        )
        t = reference.targets().set_index(["indicator", "phase"])
        svg = charts.lines(
            self.rounds,
            {
                self.t("short.awareness"): tr["aware_pct"],
                self.t("short.application"): tr["applied_pct"],
                self.t("short.saving_met"): tr["saving_met_pct"],
            },
            ylabel="%",
            fmt=lambda v: self.pct(v, 0),
            targets={
                f"{self.t('short.awareness')} 2015": (2015, t.loc[("awareness", 2015), "value"]),
                f"{self.t('short.application')} 2015": (
                    2015,
                    t.loc[("application", 2015), "value"],
                ),
            },
        )
        return Html(
            str(self.heading("trends"))
            + self.figure(
                svg, self.t("section.trends"), self.src_survey() + "; " + self.t("sources.targets")
            )
        )

    def doit_capacity(self) -> Html:
        if self.doit is None or self.doit.empty:
            return Html("")
        d = indicators.doit_indicators(self.doit)
        last = d.iloc[-1]
        t = reference.targets().set_index(["indicator", "phase"])
        svg = charts.lines(
            list(d["year"]),
            {
                self.t(f"indicator.{k}"): d[f"{k}_pct"]
                for k in ("focal_unit", "plan_2015", "plan_2020", "doit_staff")
            },
            ylabel="%",
            ymax=100,
            fmt=lambda v: self.pct(v, 0),
            targets={
                f"{self.t('col.target')} 2015": (2015, t.loc[("doit_staff", 2015), "value"]),
                f"{self.t('col.target')} 2020": (2020, t.loc[("doit_staff", 2020), "value"]),
            },
        )
        cols = [
            Col("year", self.t("col.year"), str),
            Col("provinces", self.t("col.provinces"), fmt_int(self.lang)),
            Col("focal_unit_n", self.t("indicator.focal_unit"), fmt_int(self.lang)),
            Col("plan_2015_n", self.t("indicator.plan_2015"), fmt_int(self.lang)),
            Col("plan_2020_n", self.t("indicator.plan_2020"), fmt_int(self.lang)),
            Col("doit_staff_pct", self.t("indicator.doit_staff"), fmt_pct(self.lang)),
            Col("budget_sources", self.t("col.budget_total"), lambda v: i18n.vnd(v, self.lang)),
            Col("trainings", self.t("col.trainings"), fmt_int(self.lang)),
            Col("participants", self.t("col.participants"), fmt_int(self.lang)),
        ]
        intro = self.t(
            "text.doit_intro",
            year=int(last["year"]),
            focal=int(last["focal_unit_n"]),
            provinces=int(last["provinces"]),
            plan15=int(last["plan_2015_n"]),
            plan20=int(last["plan_2020_n"]),
        )
        return Html(
            str(self.heading("doit"))
            + self.para(intro)
            + self.figure(
                svg, self.t("section.doit"), self.src_doit() + "; " + self.t("sources.targets")
            )
            + self.table(
                html_table(d, cols, symbol=self.symbol), self.t("section.doit"), self.src_doit()
            )
        )

    def programme_outputs(self) -> Html:
        if self.programme is None or self.programme.empty:
            return Html("")
        cmp_ = indicators.programme_vs_published(self.programme)
        lang = self.lang
        cmp_["project_name"] = [f"{p}. {self.t(f'project.{p}')}" for p in cmp_["project"]]
        cmp_["measure_name"] = [self.t(f"measure.{m}") for m in cmp_["measure"]]
        cmp_["level_name"] = [self.t(f"level.{v}") for v in cmp_["level"]]
        fmt_v = lambda row_v, m: i18n.vnd(row_v, lang) if m == "funding" else i18n.num(row_v, lang)  # noqa: E731
        cmp_["published_text"] = [
            f"{self.t(f'qualifier.{q}')} {fmt_v(v, m)}"
            for q, v, m in zip(cmp_["qualifier"], cmp_["value"], cmp_["measure"])
        ]
        cmp_["data_text"] = [fmt_v(v, m) for v, m in zip(cmp_["data_value"], cmp_["measure"])]
        cmp_["agrees"] = [self.t("col.yes") if m else self.t("col.no") for m in cmp_["meets"]]
        cols = [
            Col("project_name", self.t("col.project"), numeric=False),
            Col("measure_name", self.t("col.measure"), numeric=False),
            Col("level_name", self.t("col.level"), numeric=False),
            Col("year", self.t("col.to_year"), str),
            Col("published_text", self.t("col.published")),
            Col("data_text", self.t("col.data")),
            Col("agrees", self.t("col.agrees"), numeric=False),
        ]
        cum = indicators.programme_cumulative(self.programme)
        svg = charts.lines(
            list(cum["year"]),
            {
                self.t("measure.quick_assessments"): cum["quick_assessments_cum"],
                self.t("measure.detailed_assessments"): cum["detailed_assessments_cum"],
                self.t("measure.models"): cum["models_cum"],
            },
            fmt=lambda v: self.num(v),
        )
        src = self.t("sources.programme")
        return Html(
            str(self.heading("programme"))
            + self.figure(svg, self.t("section.programme"), src)
            + self.table(
                html_table(cmp_, cols, symbol=self.symbol), self.t("section.programme"), src
            )
        )

    def data_quality(self) -> Html:
        out = [str(self.heading("quality"))]
        tot = self.log.get("totals", {})
        if tot:
            out.append(
                self.para(
                    self.t(
                        "text.quality_intro",
                        read=self.num(tot["rows_read"]),
                        cleaned=self.num(tot["rows_cleaned"]),
                        quarantined=self.num(tot["rows_quarantined"]),
                    )
                )
            )
            files = pd.DataFrame(self.log["files"])
            files["corrected"] = [sum(c.values()) for c in files["corrections"]]
            cols = [
                Col("source", self.t("col.file"), numeric=False),
                Col("table", self.t("col.table_name"), numeric=False),
                Col("rows_read", self.t("col.read"), fmt_int(self.lang)),
                Col("rows_cleaned", self.t("col.cleaned"), fmt_int(self.lang)),
                Col("corrected", self.t("col.corrected"), fmt_int(self.lang)),
                Col("rows_quarantined", self.t("col.quarantined"), fmt_int(self.lang)),
            ]
            out.append(
                self.table(
                    html_table(files, cols, css="files"),
                    self.t("section.quality"),
                    self.t("sources.cleaning"),
                )
            )
            reasons: dict[str, int] = {}
            for f in self.log["files"]:
                for k, v in f["quarantined"].items():
                    reasons[k] = reasons.get(k, 0) + v
            if reasons:
                r = pd.DataFrame(
                    {
                        "reason": [self.t(f"reason.{k}") for k in reasons],
                        "rows": list(reasons.values()),
                    }
                )
                out.append(
                    self.table(
                        html_table(
                            r,
                            [
                                Col("reason", self.t("col.reason"), numeric=False),
                                Col("rows", self.t("col.rows"), fmt_int(self.lang)),
                            ],
                        ),
                        self.t("col.quarantined"),
                        self.t("sources.cleaning"),
                    )
                )
        out.append(self._flags_table(self.quality_flags()))
        return Html("".join(out))

    def quality_flags(self) -> pd.DataFrame:
        """Data-quality flags: all of them in the national report; the report's provinces' otherwise."""
        if self.kind == "national":
            return quality.flags(
                self.enterprises,
                self.doit,
                self.log,
                self.cfg.quality.jump_pp,
                self.cfg.quality.size_change,
            )
        doit = (
            self.doit[self.doit["province_code"].isin(self.members)]
            if self.doit is not None
            else None
        )
        return quality.flags(None, doit, None, provinces=self.members)

    def _flags_table(self, f: pd.DataFrame) -> str:
        if f.empty:
            return self.para(self.t("text.no_flags"))
        f = f.copy()
        f["check_name"] = [self.t(f"check.{c}") for c in f["check"]]
        f["severity_name"] = [self.t(f"severity.{s}") for s in f["severity"]]
        f["where"] = [self.geo_name(c) if c else "" for c in f["province_code"]]
        f["message_text"] = [self._flag_message(r) for r in f.itertuples()]
        cols = [
            Col("severity_name", self.t("col.severity"), numeric=False),
            Col("check_name", self.t("col.check"), numeric=False),
            Col("where", self.t("col.province"), numeric=False),
            Col("period", self.t("col.period"), numeric=False),
            Col("message_text", self.t("col.message"), numeric=False),
        ]
        return self.table(
            html_table(f, cols),
            self.t("section.quality"),
            self.src_doit() + "; " + self.src_survey(),
        )

    def _flag_message(self, r) -> str:
        # messages are built in English by quality.py; the figures are reformatted for Vietnamese
        if self.lang == "vi" and r.check == "budget_total_mismatch":
            import re

            nums = re.findall(r"[\d.]+ đ", r.message)
            if len(nums) == 3:
                return (
                    f"Tổng báo cáo {nums[0]} không khớp với tổng các nguồn của năm ({nums[1]}) "
                    f"cũng như tổng các nguồn đến năm đó ({nums[2]})"
                )
        if self.lang == "vi" and r.check == "province_missing":
            return f"Không có báo cáo năm {r.period}"
        if self.lang == "en" and r.check == "budget_total_mismatch":
            import re

            return re.sub(
                r"(\d{1,3}(?:\.\d{3})+) đ",
                lambda m: "VND " + m.group(1).replace(".", ","),
                r.message,
            )
        return r.message

    def annex(self) -> Html:
        t = self.indicator_table("province")
        t["province_name"] = [self.geo_name(c) for c in t["province_code"]]
        t["region_name"] = [
            i18n.region_name(reference.provinces().set_index("code").loc[c, "region"], self.lang)
            for c in t["province_code"]
        ]
        cols = [
            Col("province_code", self.t("report.code"), numeric=False),
            Col("province_name", self.t("col.province"), numeric=False),
            Col("region_name", self.t("col.region"), numeric=False),
        ] + self._share_cols(Col("n", ""))[1:]
        cols.append(
            Col(
                "cp_unit_pct",
                self.t("short.cp_unit"),
                fmt_pct(self.lang),
                suppressed_by="cp_unit_suppressed",
            )
        )
        return Html(
            str(self.heading("annex"))
            + self.table(
                html_table(t, cols, symbol=self.symbol, css="annex"),
                f"{self.t('section.annex')} ({self.round})",
                self.src_survey(),
                self.suppressed_note(),
            )
        )

    # --- provincial sections -----------------------------------------------------------------------
    def intro(self) -> Html:
        frame = self._cur[self._cur["province_code"].isin(self.members)]
        if self.kind == "province":
            p = reference.provinces().set_index("code").loc[self.code]
            text = self.t(
                "text.province_intro",
                province=self.name,
                region=i18n.region_name(p["region"], self.lang),
                unit=i18n.unit_name(p["unit2025"], self.lang),
                round=self.round,
                n=self.num(len(frame)),
            )
        else:
            text = self._place_line()
        own = self.province_targets.get(self.code) if self.kind == "province" else None
        extra = self.para(self.t("text.own_targets", plan=own["plan"])) if own else ""
        return Html(self.para(text) + extra)

    @property
    def _area(self) -> tuple:
        """The cache name of this report's own area (its provinces) for :meth:`indicator_table`."""
        return ("area", tuple(sorted(self.members)))

    def _compare_frames(self) -> dict[str, tuple[pd.DataFrame, tuple | None]]:
        """This report's area, its region (a province's) and the nation, for the current round, each
        with its cache name for :meth:`indicator_table`."""
        out = {self.name: (self._cur[self._cur["province_code"].isin(self.members)], self._area)}
        regions = reference.provinces().set_index("code").loc[self.members, "region"].unique()
        if len(regions) == 1:
            codes = reference.provinces().query("region == @regions[0]")["code"]
            out[i18n.region_name(regions[0], self.lang)] = (
                self._cur[self._cur["province_code"].isin(codes)],
                ("region", regions[0]),
            )
        out[self.t("col.national")] = (self._cur, ("nation",))
        return out

    def local_key_figures(self) -> Html:
        frames = self._compare_frames()
        tabs = {
            k: self.indicator_table("national", frame=v, shared=name).iloc[0]
            for k, (v, name) in frames.items()
        }
        targets = indicators.targets_for(
            self.code if self.kind == "province" else None, self.province_targets
        )
        mine = self.enterprises[self.enterprises["province_code"].isin(self.members)]
        g = self._status_rows(mine, targets, self._area)
        rows = []
        for ind in ("awareness", "application", "saving_met", "cp_unit", "saving"):
            row = {"indicator": self.t(f"indicator.{ind}")}
            for name, r in tabs.items():
                v = r[VALUE_COL[ind]]
                row[name] = self.symbol if bool(r[FLAG_COL[ind]]) else self.pct(v)
            st = g[(g["indicator"] == ind) & (g["phase"] == self.phase)]
            if not st.empty:
                s = st.iloc[0]
                row["target"] = self._target_text(s)
                row["status"] = (
                    self.t(f"status.{s['status']}")
                    if not bool(tabs[self.name][FLAG_COL[ind]])
                    else self.symbol
                )
            else:
                row["target"], row["status"] = "", ""
            rows.append(row)
        df = pd.DataFrame(rows)
        cols = (
            [Col("indicator", self.t("col.indicator"), numeric=False)]
            + [Col(k, k) for k in tabs]
            + [
                Col("target", f"{self.t('col.target')} {self.phase}"),
                Col("status", self.t("col.status"), numeric=False),
            ]
        )
        cats = [self.t(f"short.{i}") for i in KEY_INDICATORS]
        series = {
            k: [None if bool(r[FLAG_COL[i]]) else r[VALUE_COL[i]] for i in KEY_INDICATORS]
            for k, r in tabs.items()
        }
        tv = targets.set_index(["indicator", "phase"])
        tgt = [
            tv.loc[(i, self.phase), "value"] if (i, self.phase) in tv.index else np.nan
            for i in KEY_INDICATORS
        ]
        svg = charts.grouped_bars(
            cats,
            series,
            ylabel="%",
            targets=tgt,
            target_label=f"{self.t('col.target')} {self.phase}",
            fmt=lambda v: self.pct(v, 0),
        )
        src = (
            self.src_survey()
            + "; "
            + (
                self.t("sources.province_plan", source=self.province_targets[self.code]["source"])
                if self.kind == "province" and self.code in self.province_targets
                else self.t("sources.targets")
            )
        )
        return Html(
            str(self.heading("key_figures"))
            + self.table(
                html_table(df, cols, symbol=self.symbol, css="key"),
                f"{self.t('section.key_figures')} – {self.name} ({self.round})",
                src,
                self.suppressed_note(),
            )
            + self.figure(svg, f"{self.name}: {self.t('section.key_figures')} ({self.round})", src)
        )

    def rank(self) -> Html:
        level = "province" if self.kind == "province" else "unit2025"
        idcol = "province_code" if level == "province" else "unit2025_code"
        t = self.indicator_table(level)
        ok = t[~t["suppressed"]]
        ra = ok["aware_pct"].rank(ascending=False, method="min")
        rp = ok["applied_pct"].rank(ascending=False, method="min")
        mine = ok[idcol] == self.code
        if not mine.any():
            return Html(str(self.heading("rank")) + self.para(self.suppressed_note()))
        text = self.t(
            "text.rank_text",
            province=self.name,
            rank_aware=int(ra[mine].iloc[0]),
            rank_applied=int(rp[mine].iloc[0]),
            total=len(t),
        )
        return Html(str(self.heading("rank")) + self.para(text))

    def local_sectors(self) -> Html:
        level = "province" if self.kind == "province" else "unit2025"
        idcol = "province_code" if level == "province" else "unit2025_code"
        t = self.indicator_table(f"{level},sector")
        t = t[t[idcol] == self.code].sort_values("n", ascending=False).copy()
        t["sector_name"] = [i18n.sector_name(c, self.lang) for c in t["sector"]]
        cols = [
            Col("sector_name", self.t("col.sector"), numeric=False),
            Col("n", self.t("col.n"), fmt_int(self.lang)),
            Col("aware_pct", self.t("col.aware"), fmt_pct(self.lang), suppressed_by="suppressed"),
            Col(
                "applied_pct", self.t("col.applied"), fmt_pct(self.lang), suppressed_by="suppressed"
            ),
            Col(
                "saving_met_n",
                self.t("col.saving_met"),
                fmt_int(self.lang),
                suppressed_by="suppressed",
            ),
        ]
        svg = charts.hbars(
            list(t["sector_name"]),
            [None if s else v for v, s in zip(t["aware_pct"], t["suppressed"])],
            xlabel="%",
            fmt=lambda v: self.pct(v, 0),
            missing=self.symbol,
            xmax=100,
            row=0.2,
        )
        cap = f"{self.t('section.province_sectors')} – {self.name} ({self.round})"
        return Html(
            str(self.heading("province_sectors"))
            + self.figure(
                svg,
                f"{self.t('indicator.awareness')} – {self.name} ({self.round})",
                self.src_survey(),
            )
            + self.table(
                html_table(t, cols, symbol=self.symbol),
                cap,
                self.src_survey(),
                self.suppressed_note(),
            )
        )

    def local_trend(self) -> Html:
        mine = self.enterprises[self.enterprises["province_code"].isin(self.members)]
        series = {}
        for name, frame, shared in (
            (self.name, mine, self._area),
            (self.t("col.national"), self.enterprises, ("nation",)),
        ):
            rows = [
                self.indicator_table("national", r, frame[frame["round"] == r], shared).iloc[0]
                for r in self.rounds
                if (frame["round"] == r).any()
            ]
            series[f"{self.t('short.awareness')} – {name}"] = [
                None if r["suppressed"] else r["aware_pct"] for r in rows
            ]
            series[f"{self.t('short.application')} – {name}"] = [
                None if r["suppressed"] else r["applied_pct"] for r in rows
            ]
        svg = charts.lines(self.rounds, series, ylabel="%", fmt=lambda v: self.pct(v, 0))
        return Html(
            str(self.heading("province_trend"))
            + self.figure(
                svg, f"{self.t('section.province_trend')} – {self.name}", self.src_survey()
            )
        )

    def local_doit(self) -> Html:
        if self.doit is None:
            return Html("")
        d = self.doit[self.doit["province_code"].isin(self.members)]
        if d.empty:
            return Html(str(self.heading("province_doit")) + self.para(self.t("text.no_flags")))
        g = d.groupby("year", as_index=False).agg(
            focal_unit=("focal_unit", "sum"),
            plan_2015=("plan_2015", "sum"),
            plan_2020=("plan_2020", "sum"),
            cp_staff=("cp_staff", "sum"),
            budget_central=("budget_central", "sum"),
            budget_local=("budget_local", "sum"),
            budget_other=("budget_other", "sum"),
            budget_total=("budget_total", lambda s: s.sum(min_count=1)),
            trainings=("trainings", "sum"),
            participants=("participants", "sum"),
            quick_assessments=("quick_assessments", "sum"),
            detailed_assessments=("detailed_assessments", "sum"),
            models=("models", "sum"),
        )
        yn = (
            (lambda v: self.t("col.yes") if v else self.t("col.no"))
            if len(self.members) == 1
            else fmt_int(self.lang)
        )
        money = lambda v: i18n.vnd(v, self.lang)  # noqa: E731
        cols = [
            Col("year", self.t("col.year"), str),
            Col("focal_unit", self.t("indicator.focal_unit"), yn),
            Col("plan_2015", self.t("indicator.plan_2015"), yn),
            Col("plan_2020", self.t("indicator.plan_2020"), yn),
            Col("cp_staff", self.t("col.cp_staff"), fmt_int(self.lang)),
            Col("budget_central", self.t("col.budget_central"), money),
            Col("budget_local", self.t("col.budget_local"), money),
            Col("budget_total", self.t("col.budget_total"), money),
            Col("trainings", self.t("col.trainings"), fmt_int(self.lang)),
            Col("participants", self.t("col.participants"), fmt_int(self.lang)),
            Col("quick_assessments", self.t("col.quick"), fmt_int(self.lang)),
            Col("detailed_assessments", self.t("col.detailed"), fmt_int(self.lang)),
        ]
        svg = charts.stacked_bars(
            list(g["year"]),
            {
                self.t("col.budget_central"): g["budget_central"],
                self.t("col.budget_local"): g["budget_local"],
                self.t("col.budget_other"): g["budget_other"],
            },
            ylabel="triệu đồng" if self.lang == "vi" else "VND million",
            scale=1e6,
        )
        return Html(
            str(self.heading("province_doit"))
            + self.table(
                html_table(g, cols, symbol=self.symbol, css="doit"),
                f"{self.t('section.province_doit')} – {self.name}",
                self.src_doit(),
            )
            + self.figure(svg, f"{self.t('col.budget_total')} – {self.name}", self.src_doit())
            + self._flags_table(self.quality_flags())
        )

    def unit_2025(self) -> Html:
        unit = (
            reference.provinces().set_index("code").loc[self.code, "unit2025"]
            if self.kind == "province"
            else self.code
        )
        members = [c for c, u in reference.crosswalk_2025().items() if u == unit]
        t = self.indicator_table("province")
        t = t[t["province_code"].isin(members)].copy()
        t["name"] = [self.geo_name(c) for c in t["province_code"]]
        total = self.indicator_table(
            "national", frame=self._cur[self._cur["province_code"].isin(members)]
        ).iloc[0]
        uname = i18n.unit_name(unit, self.lang)
        if len(members) == 1:
            text = self.t("text.unit_text_same", unit=uname)
        else:
            text = self.t(
                "text.unit_text",
                province=self.name,
                unit=uname,
                members=", ".join(self.geo_name(c) for c in members),
            )
        total_row = pd.DataFrame([{**total.to_dict(), "name": uname}])
        both = pd.concat([t, total_row], ignore_index=True)
        cols = self._share_cols(Col("name", self.t("col.unit_member"), numeric=False))
        svg = charts.hbars(
            list(both["name"]),
            [None if s else v for v, s in zip(both["aware_pct"], both["suppressed"])],
            xlabel="%",
            highlight=[
                c == self.code or n == uname
                for c, n in zip(both.get("province_code", []), both["name"])
            ],
            fmt=lambda v: self.pct(v, 0),
            missing=self.symbol,
            xmax=100,
            row=0.28,
        )
        return Html(
            str(self.heading("unit2025"))
            + self.para(text)
            + self.table(
                html_table(both, cols, symbol=self.symbol),
                f"{uname} ({self.round})",
                self.src_survey(),
                self.suppressed_note(),
            )
            + self.figure(
                svg, f"{self.t('indicator.awareness')} – {uname} ({self.round})", self.src_survey()
            )
        )


def _optional(fn):
    try:
        return fn()
    except SxshError:
        return None
