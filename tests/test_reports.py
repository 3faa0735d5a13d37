"""Reports: notebooks executed on the cleaned sample, rendered to HTML and PDF, checked as a reader
would see them (no code, no tracebacks, Vietnamese text, key figures, provenance, suppression, the
English edition, commentary that survives regeneration)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from sxsh_analysis import build, disclosure, i18n, indicators, paths, report

pytestmark = pytest.mark.slow

JOBS = [
    build.Job("national", None, "vi"),
    build.Job("province", "75", "vi"),
    build.Job("province", "91", "vi"),
    build.Job("national", None, "en"),
    build.Job("province", "75", "en"),
    build.Job("unit", "79", "vi"),
    build.Job("province", "12", "vi"),
    build.Job("national", None, "vi", 2010),
]


@pytest.fixture(scope="module")
def built(cleaned_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    jobs = JOBS[:-1]
    summary = build.build(jobs, cleaned_dir, out, jobs_n=2)
    assert not summary.failed, [(r.job.id, r.error) for r in summary.failed]
    # the 2010 edition goes to its own folder (same paths as the 2014 one)
    out2010 = tmp_path_factory.mktemp("outputs2010")
    s2 = build.build(JOBS[-1:], cleaned_dir, out2010, jobs_n=1)
    assert not s2.failed, [(r.job.id, r.error) for r in s2.failed]
    return out, out2010


def text_of(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def pdf_text(path: Path) -> str:
    """The PDF's text with every run of white space (line breaks in table cells, no-break spaces)
    as one space."""
    return " ".join("\n".join(p.extract_text() for p in PdfReader(path).pages).split())


def pct(v, lang="vi") -> str:
    return " ".join(i18n.pct(v, lang).split())


def test_every_file_index_and_manifest(built):
    out, _ = built
    for stem in (
        "vi/national",
        "vi/provinces/75-dong-nai",
        "vi/provinces/91-kien-giang",
        "en/national",
        "en/provinces/75-dong-nai",
        "vi/units2025/79-ho-chi-minh",
    ):
        assert (out / f"{stem}.html").is_file() and (out / f"{stem}.pdf").is_file(), stem
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["reports"]) == 7
    for r in manifest["reports"]:
        for rec in r["files"].values():
            assert build.file_sha(out / rec["path"]) == rec["sha256"]
        assert r["provenance"]["code"]["commit"] and r["provenance"]["data_files"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr>") == 7 + 1
    for r in manifest["reports"]:
        assert (
            f'href="{r["files"]["html"]["path"]}"' in index
            and f'href="{r["files"]["pdf"]["path"]}"' in index
        )


def test_html_has_no_code_no_tracebacks_and_is_self_contained(built):
    out, _ = built
    for html_path in out.rglob("*.html"):
        if html_path.name == "index.html":
            continue
        html = html_path.read_text(encoding="utf-8")
        text = text_of(html)
        for bad in (
            "from sxsh_analysis",
            "Report(",
            "r.cover()",
            "Traceback",
            "Error:",
            "In [",
            "nan %",
            "NaN",
        ):
            assert bad not in text, (html_path, bad)
        assert not re.search(r"\b[A-Z]\w*(Warning|Error)\b", text), (
            html_path
        )  # Python warnings, exceptions
        assert not re.search(r'(src|href)="(https?:)?//', html), (
            html_path
        )  # nothing fetched from outside
        assert not re.search(r"<link(?![^>]*href=\"data:)", html)  # no linked files
        assert html.count("<svg") >= 4


def test_pdf_has_vietnamese_key_figures_and_provenance(built, cleaned_sample):
    out, out2010 = built
    text = pdf_text(out / "vi/national.pdf")
    for phrase in (
        "Đánh giá thực hiện Chiến lược sản xuất",
        "Các phát hiện chính",
        "Năng lực của các Sở Công Thương",
        "Thừa Thiên Huế",
        "Đồng bằng sông Cửu Long",
        "DỮ LIỆU MẪU",
        "Mục lục",
        "Nguồn gốc báo cáo",
    ):
        assert phrase in text, phrase
    e = cleaned_sample.tables["enterprises"]
    nat = indicators.enterprise_indicators(e[e["round"] == 2014], "national").iloc[0]
    assert pct(nat["aware_pct"]) in text  # e.g. "42,2 %"
    assert pct(nat["applied_pct"]) in text
    commit = report.code_version()["commit"][:10]
    assert commit in text and "SHA-256" in text
    assert re.search(r"Trang \d+ trên \d+", text)
    reader = PdfReader(out / "vi/national.pdf")
    titles = [o["/Title"] for o in reader.outline if isinstance(o, dict)]
    assert "Các phát hiện chính" in titles  # PDF bookmarks
    # the 2010 edition shows the published baseline: 27,7 % aware (2,509 of 9,050) and 11,4 % applying
    t2010 = pdf_text(out2010 / "vi/national.pdf")
    assert pct(100 * 2509 / 9050) == "27,7 %" and pct(100 * 1031 / 9050) == "11,4 %"
    assert "27,7 %" in t2010 and "11,4 %" in t2010 and "Năm gốc" in t2010


def test_provincial_pdf_key_figures(built, cleaned_sample):
    out, _ = built
    text = pdf_text(out / "vi/provinces/75-dong-nai.pdf")
    e = cleaned_sample.tables["enterprises"]
    dn = indicators.enterprise_indicators(
        e[(e["round"] == 2014) & (e["province_code"] == "75")], "national"
    ).iloc[0]
    assert pct(dn["aware_pct"]) in text
    assert (
        "1.198.085.000 đ" in text and "1.276.000.000 đ" in text
    )  # the budget that does not reconcile
    assert "Tổng kinh phí không khớp" in text
    kg = pdf_text(out / "vi/provinces/91-kien-giang.pdf")
    assert "78/KH-UBND" in kg  # its own plan targets are named


def test_english_edition_has_no_vietnamese_labels(built):
    out, _ = built
    vi_letters = re.compile("[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
    for name in ("en/national.html", "en/provinces/75-dong-nai.html"):
        html = (out / name).read_text(encoding="utf-8")
        html = re.sub(
            r'<table class="data files">.*?</table>', " ", html, flags=re.S
        )  # file and sheet names are data
        found = sorted({m.group(0) for m in vi_letters.finditer(text_of(html))})
        words = [w for w in text_of(html).split() if vi_letters.search(w)]
        assert not found, (name, words[:20])
    text = pdf_text(out / "en/national.pdf")
    assert "VND 1,198,085,000" in text
    assert "Key findings" in text and "SAMPLE DATA" in text and re.search(r"Page \d+ of \d+", text)


def test_small_cells_are_suppressed_in_the_rendered_report(built, cleaned_sample):
    out, _ = built
    e = cleaned_sample.tables["enterprises"]
    t = disclosure.indicator_table(e[e["round"] == 2014], "province,sector")
    lc = t[t["province_code"] == "12"]  # Lai Châu: few enterprises per sector in the sample
    assert lc["suppressed"].sum() >= 3
    html = (out / "vi/provinces/12-lai-chau.html").read_text(encoding="utf-8")
    for row in lc.itertuples():
        name = i18n.sector_name(row.sector, "vi")
        m = re.search(rf"<tr><td class=\"txt\">{re.escape(name)}</td>(.*?)</tr>", html)
        assert m, name
        cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(1))
        assert cells[0] == i18n.num(row.n, "vi")  # the number surveyed is shown
        if row.suppressed:
            assert cells[1:] == ["◆"] * (len(cells) - 1), (name, cells)
        else:
            assert "◆" not in cells[1:], (name, cells)
    assert "Số liệu không công bố vì dựa trên dưới 5 doanh nghiệp" in html


def test_commentary_survives_regeneration(built, cleaned_dir):
    out, _ = built
    path = paths.project_root() / "parameters" / "commentary" / "provinces" / "75.md"
    existed = path.read_text(encoding="utf-8") if path.exists() else None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "## Nhận định\n\nĐồng Nai cần tăng **kinh phí** <script>alert(1)</script>\n",
            encoding="utf-8",
        )
        jobs = [build.Job("province", "75", "vi")]
        s = build.build(jobs, cleaned_dir, out, jobs_n=1)
        assert s.count("built") == 1
        html = (out / "vi/provinces/75-dong-nai.html").read_text(encoding="utf-8")
        assert "Đồng Nai cần tăng <strong>kinh phí</strong>" in html
        assert "<script>alert" not in html and "&lt;script&gt;" in html
        assert path.read_text(encoding="utf-8").startswith(
            "## Nhận định"
        )  # the build never writes it
        assert build.build(jobs, cleaned_dir, out, jobs_n=1).count("skipped") == 1
    finally:
        if existed is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(existed, encoding="utf-8")


def test_2025_unit_report(built):
    out, _ = built
    text = pdf_text(out / "vi/units2025/79-ho-chi-minh.pdf")
    assert "Bình Dương" in text and "Bà Rịa - Vũng Tàu" in text


def raw_identifiers(sample_dir: Path) -> tuple[set[str], set[str]]:
    """Every enterprise identifier (tax code) and name in the raw sample files, as sent (read by the
    workbook's own reader, which finds the header however the file lays it out)."""
    from sxsh_analysis import ingest

    ids, names = set(), set()
    for p in sorted(sample_dir.glob("enterprises_*")):
        for t in ingest.read_file(p).tables:
            ids |= {v.strip() for v in t.column("enterprise_id").fillna("") if v.strip()}
            names |= {v.strip() for v in t.column("enterprise_name").fillna("") if v.strip()}
    return ids, names


def test_no_identifier_or_name_in_any_output(built, cleaned_dir, sample_dir, capsys):
    """Every built file (HTML, PDF text, index, manifest, state, logs), the cleaned data (every text
    cell of every table, the quarantine, the log) and the indicators export are searched for every
    enterprise identifier and name of the input."""
    from sxsh_analysis import cli

    ids, names = raw_identifiers(sample_dir)
    assert len(ids) > 10_000 and len(names) > 9_000  # a panel: the same enterprises each round
    # every sample name has this form, so searching for its stem finds any of them
    stem = "Công ty mẫu"
    assert all(n.startswith(stem) for n in names)
    texts: dict[str, str] = {}
    for root in built:
        for p in root.rglob("*"):
            if p.is_file():
                texts[str(p)] = pdf_text(p) if p.suffix == ".pdf" else p.read_text("utf-8")
    for p in cleaned_dir.iterdir():
        if p.suffix == ".parquet":
            df = pd.read_parquet(p)
            texts[str(p)] = df.astype(str).to_csv(index=False)
        else:
            texts[str(p)] = p.read_text(encoding="utf-8-sig")
    for level in ("province", "province,sector", "sector,size"):
        assert cli.main(["indicators", "--data", str(cleaned_dir), "--by", level]) == 0
        texts[f"indicators --by {level}"] = capsys.readouterr().out
    assert len([k for k in texts if k.endswith(".pdf")]) >= 6
    digit_runs = re.compile(r"\d{6,}")
    for where, text in texts.items():
        assert stem not in text, where
        leaked = set(digit_runs.findall(text)) & ids
        assert not leaked, (where, sorted(leaked)[:3])
