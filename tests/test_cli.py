"""The sxsh command: exit codes and one-line messages for whole-file problems, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from sxsh_analysis import cli

from .conftest import ENTERPRISE_HEADER, enterprise_row, write_csv


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "sxsh_analysis.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty file (0 bytes)"),
        (b"\x00\x01\x02\x03" * 50, "binary content, not a CSV or XLSX file"),
        (b"a,b\n1,2\n", "unknown format: no survey table recognised (columns found: 'a', 'b')"),
        (
            b"round,enterprise_id,sector\n2010,1,13\n",
            "missing required columns for the enterprises table: province (Tỉnh/Thành phố); columns found: 'round', 'enterprise_id', 'sector'",
        ),
    ],
)
def test_clean_whole_file_problem_is_one_line_exit_2_and_writes_nothing(tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    out = tmp_path / "out"
    r = run("clean", bad, "--out", out, "--salt-file", tmp_path / "salt")
    assert r.returncode == 2
    assert r.stderr.strip() == f"sxsh: error: bad.csv: {message}"
    assert "Traceback" not in r.stderr + r.stdout
    assert not out.exists()


def test_several_bad_files_are_each_named(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.xlsx"
    a.write_bytes(b"")
    b.write_bytes(b"PK\x03\x04broken")
    r = run("validate", a, b)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines == [
        "sxsh: error: a.csv: empty file (0 bytes)",
        "sxsh: error: b.xlsx: broken zip/XLSX file (cannot be opened)",
    ]


def test_validate_exit_codes_and_writes_nothing(tmp_path):
    good = write_csv(tmp_path / "good.csv", ENTERPRISE_HEADER, [enterprise_row(1)])
    r = run("validate", good)
    assert r.returncode == 0 and "no problems found" in r.stdout
    bad = write_csv(
        tmp_path / "bad.csv",
        ENTERPRISE_HEADER,
        [enterprise_row(1), enterprise_row(2, province="Hà Tây")],
    )
    r = run("validate", bad)
    assert r.returncode == 1
    assert "bad.csv row 3: unknown_province: province 'Hà Tây': unknown province" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "good.csv"]


def test_clean_writes_the_outputs(tmp_path):
    src = write_csv(
        tmp_path / "e.csv", ENTERPRISE_HEADER, [enterprise_row(1), enterprise_row(2, employees="x")]
    )
    out = tmp_path / "out"
    r = run("clean", src, "--out", out, "--salt-file", tmp_path / "salt")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "cleaning_log.json",
        "enterprises.parquet",
        "quarantine.csv",
    ]
    log = json.loads((out / "cleaning_log.json").read_text(encoding="utf-8"))
    assert log["totals"] == {
        "rows_read": 2,
        "rows_cleaned": 1,
        "rows_quarantined": 1,
        "blank_rows": 0,
    }
    assert "total: 2 rows read, 1 cleaned, 1 quarantined" in r.stdout


def test_missing_file_and_bad_arguments(tmp_path):
    r = run("clean", tmp_path / "nope.csv", "--out", tmp_path / "o")
    assert r.returncode == 2 and r.stderr.strip() == "sxsh: error: nope.csv: no such file"
    r = run("frobnicate")
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_template_fills_and_cleans_without_quarantine(tmp_path):
    tpl = tmp_path / "mau.xlsx"
    assert run("template", "--out", tpl).returncode == 0
    wb = openpyxl.load_workbook(tpl)
    assert wb.sheetnames == ["Hướng dẫn", "Danh mục", "Doanh nghiệp", "Sở Công Thương"]
    lists = wb["Danh mục"]
    provinces = [c.value for c in lists["A"][1:] if c.value]
    sectors = [c.value for c in lists["B"][1:] if c.value]
    assert len(provinces) == 63 and len(sectors) == 14
    ws = wb["Doanh nghiệp"]
    assert ws.data_validations.dataValidation, "drop-downs and number checks"
    assert ws["B2"].number_format == "@"  # tax codes keep leading zeros
    sizes, owners = ["Siêu nhỏ", "Nhỏ", "Vừa", "Lớn"], ["Nhà nước", "Ngoài nhà nước", "FDI"]
    for i, prov in enumerate(provinces):
        applied = i % 3 == 0
        row = [
            2014,
            f"0{300000000 + i}",
            f"Công ty {i}",
            prov,
            sectors[i % 14],
            sizes[i % 4],
            owners[i % 3],
            10 + i,
            "Có",
            "Có" if applied else "Không",
            "Không",
            6.5 if applied else None,
            None,
        ]
        for j, v in enumerate(row, start=1):
            ws.cell(2 + i, j, v)
    d = wb["Sở Công Thương"]
    d.append(
        [
            2015,
            provinces[0],
            "Có",
            "Có",
            "Không",
            2,
            0,
            150_000_000,
            0,
            150_000_000,
            3,
            120,
            2,
            1,
            0,
        ]
    )
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    r = run("validate", filled)
    assert r.returncode == 0, r.stdout
    assert "total: 64 rows read, 64 cleaned, 0 quarantined" in r.stdout


def test_unfilled_template_is_refused_as_empty(tmp_path):
    tpl = tmp_path / "mau.xlsx"
    run("template", "--out", tpl)
    r = run("validate", tpl)
    assert r.returncode == 2
    assert (
        "no data rows under the header (sheet 'Doanh nghiệp' row 1, sheet 'Sở Công Thương' row 1)"
        in r.stderr
    )


def test_internal_errors_are_one_line(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(cli, "cmd_template", boom)
    assert cli.main(["template", "--out", "x.xlsx"]) == 3
    err = capsys.readouterr().err
    assert (
        err.strip()
        == "sxsh: internal error: RuntimeError: unexpected (set SXSH_DEBUG=1 for details)"
    )
