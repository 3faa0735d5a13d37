"""Hostile text reaches nothing that runs: a survey file whose name and cells hold HTML and formulas
is cleaned and built into a report; the report and the index show the text, escaped."""

from __future__ import annotations

import shutil

import pytest

from sxsh_analysis import build, clean

from .conftest import ENTERPRISE_HEADER as H
from .conftest import SALT, enterprise_row, write_csv

pytestmark = pytest.mark.slow
HOSTILE_FILE = "<img src=x onerror=alert(1)>.csv"


def test_hostile_file_name_and_cells_are_shown_escaped(sample_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(sample_dir, raw)
    write_csv(
        raw / HOSTILE_FILE,
        H,
        [
            enterprise_row(0, round="2014", enterprise_name="<script>alert('x')</script>"),
            enterprise_row(1, round="2014", province="<script>alert(2)</script>"),
            enterprise_row(2, round="2014", sector='=HYPERLINK("http://evil.example")'),
        ],
    )
    result = clean.clean(sorted(p for p in raw.iterdir() if p.suffix in (".csv", ".xlsx")), SALT)
    cleaned = tmp_path / "cleaned"
    clean.write_outputs(result, cleaned)
    out = tmp_path / "out"
    s = build.build([build.Job("national", None, "vi")], cleaned, out, jobs_n=1, pdf=False)
    assert not s.failed, [(r.job.id, r.error) for r in s.failed]
    html = (out / "vi/national.html").read_text(encoding="utf-8")
    # the file is flagged in the data-quality section (2 of 3 rows quarantined), by its name, escaped
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in html
    for page in (html, (out / "index.html").read_text(encoding="utf-8")):
        assert "<img src=x" not in page and "<script>alert" not in page
        assert "onerror=alert(1)>" not in page
