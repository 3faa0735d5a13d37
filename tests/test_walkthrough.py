"""The user guide's path, end to end, in a fresh copy of the project: the template, filled as a province
would fill it, validated, dropped into data/raw/, cleaned and built, gives reports of that data and not
of the sample."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def sxsh(root: Path, *args):
    env = {**os.environ, "SXSH_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "sxsh_analysis.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )


def fill(template: Path, out: Path) -> int:
    """The template filled with two rounds of 20 enterprises in each province and a DoIT row per
    province and year; returns the number of enterprise rows."""
    wb = openpyxl.load_workbook(template)
    lists = wb["Danh mục"]
    provinces = [c.value for c in lists["A"][1:] if c.value]
    sectors = [c.value for c in lists["B"][1:] if c.value]
    ws = wb["Doanh nghiệp"]
    sizes, owners = ["Siêu nhỏ", "Nhỏ", "Vừa", "Lớn"], ["Nhà nước", "Ngoài nhà nước", "FDI"]
    r = 2
    for rnd, aware_every in ((2012, 3), (2016, 2)):
        for p, prov in enumerate(provinces):
            for i in range(20):
                k = p * 20 + i
                aware = k % aware_every == 0
                applied = aware and k % 4 == 0
                row = [rnd, f"{400000000 + k:010d}", f"Công ty {k}", prov, sectors[k % 14]]
                row += [sizes[k % 4], owners[k % 3], 10 + k % 300]
                row += ["Có" if aware else "Không", "Có" if applied else "Không"]
                row += ["Có" if k % 5 == 0 and sizes[k % 4] in ("Vừa", "Lớn") else "Không"]
                row += [4 + k % 7 if applied else None, None]
                for j, v in enumerate(row, start=1):
                    ws.cell(r, j, v)
                r += 1
    d = wb["Sở Công Thương"]
    for year in (2012, 2016):
        for p, prov in enumerate(provinces):
            d.append([year, prov, "Có", "Có" if p % 2 else "Không", "Không", 1 + p % 3, 0])
    wb.save(out)
    return r - 2


def test_from_the_template_to_reports_of_your_own_data(tmp_path):
    root = tmp_path / "workbook"
    for folder in ("parameters", "notebooks"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data" / "raw").mkdir(parents=True)

    tpl = tmp_path / "mau_nhap_lieu_sxsh.xlsx"
    assert sxsh(root, "template", "--out", tpl).returncode == 0
    filled = tmp_path / "returns" / "tinh_gui_ve.xlsx"
    filled.parent.mkdir()
    n = fill(tpl, filled)
    assert n == 2 * 63 * 20

    v = sxsh(root, "validate", filled.parent)
    assert v.returncode == 0, v.stdout + v.stderr
    assert f"total: {n + 2 * 63} rows read, {n + 2 * 63} cleaned, 0 quarantined" in v.stdout

    shutil.copy(filled, root / "data" / "raw")
    c = sxsh(root, "clean")
    assert c.returncode == 0, c.stderr
    assert "SAMPLE" not in c.stdout
    assert (root / "data" / "cleaned" / "enterprises.parquet").is_file()

    b = sxsh(root, "build", "--only", "national,75", "--no-pdf", "--jobs", "2")
    assert b.returncode == 0, b.stdout + b.stderr
    html = (root / "outputs/vi/provinces/75-dong-nai.html").read_text(encoding="utf-8")
    assert "Đồng Nai" in html and "Vòng khảo sát 2016" in html
    assert "DỮ LIỆU MẪU" not in html  # not the sample, and not labelled as such
    national = (root / "outputs/vi/national.html").read_text(encoding="utf-8")
    assert "1.260 doanh nghiệp năm 2012; 1.260 doanh nghiệp năm 2016" in national
    manifest = json.loads((root / "outputs/manifest.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in manifest["reports"]} == {"vi/national", "vi/province/75"}
    assert not any(r["provenance"]["sample"] for r in manifest["reports"])
