"""The corpus of broken and hostile survey files (issue 7). Each case is a file as an office might send
it, cleaned with `sxsh clean FILE --out DIR`, and its exact outcome: exit code, the message naming the
file and the problem, rows read, cleaned and quarantined, and nothing half-written.

The files are made here rather than stored, so each case shows exactly what is in it; CASES is the
table the closing note of issue 7 reproduces."""

from __future__ import annotations

import csv
import errno
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sxsh_analysis import cli

from .conftest import ENTERPRISE_HEADER as H
from .conftest import enterprise_row, write_csv

THREE = [enterprise_row(i, province=p) for i, p in enumerate(["Hà Nội", "Đồng Nai", "Huế"])]


def xlsx_title_merged(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Doanh nghiệp"
    ws["A1"] = "ĐIỀU TRA SẢN XUẤT SẠCH HƠN NĂM 2010 - SỞ CÔNG THƯƠNG ĐỒNG NAI"
    ws.merge_cells("A1:L1")
    ws.merge_cells("A2:L2")  # an empty merged band under the title
    for j, h in enumerate(H, 1):
        ws.cell(3, j, h)
    for i, row in enumerate(THREE):
        for j, v in enumerate(row, 1):
            ws.cell(4 + i, j, v)
    wb.save(path)


def xlsx_several_sheets(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Ghi chú"
    wb.active["A1"] = "Số liệu sơ bộ, chưa kiểm tra"
    for title, rows in (
        ("DN 2010", THREE),
        ("DN 2012", [enterprise_row(10 + i, round="2012") for i in range(2)]),
    ):
        ws = wb.create_sheet(title)
        ws.append(H)
        for r in rows:
            ws.append(r)
    wb.save(path)


def xlsx_formula_cells(path: Path) -> None:
    """Cells that are spreadsheet formulas, as typed in Excel (stored as formulas, no cached value)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Doanh nghiệp"
    ws.append(H)
    ws.append(enterprise_row(0, enterprise_name='=HYPERLINK("http://evil.example/x","Bấm")'))
    ws.append(enterprise_row(1, province="=cmd|' /C calc'!A0"))
    ws.append(enterprise_row(2))
    wb.save(path)


@dataclass
class Case:
    name: str
    file: str
    make: object  # callable(path)
    exit: int
    message: str = ""  # in the output (stderr for exit 2, stdout otherwise)
    read: int | None = None
    cleaned: int | None = None
    quarantined: int | None = None
    reasons: dict = field(default_factory=dict)


CASES = [
    Case(
        "empty file",
        "empty.csv",
        lambda p: p.write_bytes(b""),
        2,
        "empty.csv: empty file (0 bytes)",
    ),
    Case(
        "binary file renamed .csv",
        "anh.csv",
        lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        2,
        "anh.csv: binary content, not a CSV or XLSX file",
    ),
    Case(
        "CSV in Windows-1258",
        "cp1258.csv",
        lambda p: write_csv(p, H, THREE, encoding="cp1258"),
        0,
        read=3,
        cleaned=3,
        quarantined=0,
    ),
    Case(
        "CSV in UTF-8 with a byte-order mark",
        "bom.csv",
        lambda p: write_csv(p, H, THREE, encoding="utf-8-sig"),
        0,
        read=3,
        cleaned=3,
        quarantined=0,
    ),
    Case(
        "semicolon-separated CSV",
        "semicolon.csv",
        lambda p: write_csv(p, H, THREE, sep=";"),
        0,
        read=3,
        cleaned=3,
        quarantined=0,
    ),
    Case(
        "XLSX, headers on row 3 under a title and merged cells",
        "title.xlsx",
        xlsx_title_merged,
        0,
        read=3,
        cleaned=3,
        quarantined=0,
    ),
    Case(
        "XLSX with several sheets (a notes sheet and two data sheets)",
        "sheets.xlsx",
        xlsx_several_sheets,
        0,
        read=5,
        cleaned=5,
        quarantined=0,
    ),
    Case(
        "duplicated header",
        "dup.csv",
        lambda p: write_csv(
            p, H[:4] + ["province"] + H[4:], [r[:4] + ["Huế"] + r[4:] for r in THREE]
        ),
        2,
        "dup.csv: column 'province' appears twice (columns D 'province' and E 'province'); keep one",
    ),
    Case(
        "missing header",
        "missing.csv",
        lambda p: write_csv(p, [h for h in H if h != "province"], [r[:3] + r[4:] for r in THREE]),
        2,
        "missing.csv: missing required columns for the enterprises table: province (Tỉnh/Thành phố)",
    ),
    Case(
        "text in number columns",
        "text.csv",
        lambda p: write_csv(
            p,
            H,
            [
                enterprise_row(0, employees="năm mươi"),
                enterprise_row(1, aware="Có", applied="Có", saving_pct="abc"),
                enterprise_row(2),
            ],
        ),
        0,
        "text.csv row 3: invalid_value: saving_pct 'abc': not a number",
        read=3,
        cleaned=1,
        quarantined=2,
        reasons={"invalid_value": 2},
    ),
    Case(
        "numbers of 20 digits",
        "digits.csv",
        lambda p: write_csv(
            p,
            H,
            [
                enterprise_row(0, employees="12345678901234567890"),
                enterprise_row(1, enterprise_id="12345678901234567890"),  # an identifier: text
                enterprise_row(2, aware="Có", applied="Có", saving_pct="12345678901234567890"),
            ],
        ),
        0,
        "digits.csv row 2: invalid_value: employees '12345678901234567890': too many digits",
        read=3,
        cleaned=1,
        quarantined=2,
        reasons={"invalid_value": 2},
    ),
    Case(
        "dates where years belong",
        "dates.csv",
        lambda p: write_csv(
            p,
            H,
            [enterprise_row(0, round="15/03/2010"), enterprise_row(1, round="2010-03-15")]
            + [enterprise_row(2)],
        ),
        0,
        "dates.csv row 2: invalid_value: round '15/03/2010': a date, not a year",
        read=3,
        cleaned=1,
        quarantined=2,
        reasons={"invalid_value": 2},
    ),
    Case(
        "formulas in cells (CSV): =HYPERLINK in a name, =cmd| in a province, @ in a sector, 1+1",
        "formulas.csv",
        lambda p: write_csv(
            p,
            H,
            [
                enterprise_row(0, enterprise_name='=HYPERLINK("http://evil.example/x","Bấm")'),
                enterprise_row(1, province="=cmd|' /C calc'!A0"),
                enterprise_row(2, sector="@SUM(1+1)*cmd|' /C calc'!A0"),
                enterprise_row(3, province="+1+1", enterprise_id="-2+3"),
            ],
        ),
        0,
        "formulas.csv row 5: unknown_province: province '+1+1': not a province code",
        read=4,
        cleaned=1,
        quarantined=3,
        reasons={"unknown_province": 2, "unknown_sector": 1},
    ),
    Case(
        "formulas in cells (XLSX, stored as formulas)",
        "formulas.xlsx",
        xlsx_formula_cells,
        0,
        # a formula is never evaluated: its saved value is read, and these have none (blank)
        "formulas.xlsx [Doanh nghiệp] row 3: missing_value: province: blank",
        read=3,
        cleaned=2,
        quarantined=1,
        reasons={"missing_value": 1},
    ),
    Case(
        "HTML and script in names and places",
        "html.csv",
        lambda p: write_csv(
            p,
            H,
            [
                enterprise_row(0, enterprise_name="<script>alert('x')</script>"),
                enterprise_row(1, province="<img src=x onerror=alert(1)>"),
                enterprise_row(2),
            ],
        ),
        0,
        "html.csv row 3: unknown_province: province '<img src=x onerror=alert(1)>': unknown province",
        read=3,
        cleaned=2,
        quarantined=1,
        reasons={"unknown_province": 1},
    ),
]


def clean(tmp_path: Path, *files: Path, capsys) -> tuple[int, str, str, Path]:
    salt = tmp_path / "salt"
    salt.write_text("corpus-salt\n")
    out = tmp_path / "cleaned"
    args = ["clean", *map(str, files), "--out", str(out), "--salt-file", str(salt)]
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err, out


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_corpus_case(case: Case, tmp_path, capsys):
    src = tmp_path / "in" / case.file
    src.parent.mkdir()
    case.make(src)
    code, out, err, cleaned = clean(tmp_path, src, capsys=capsys)
    assert code == case.exit, out + err
    assert "Traceback" not in out + err
    if case.exit == 2:
        assert err.startswith("sxsh: error: ") and case.message in err
        assert len(err.strip().splitlines()) == 1
        assert not cleaned.exists()  # nothing written, not even a temporary folder
        assert {p.name for p in tmp_path.iterdir()} == {"in", "salt"}
        return
    if case.message:
        # the message names the file and row; `validate` prints the same lines
        assert cli.main(["validate", str(src)]) == (1 if case.quarantined else 0)
        assert case.message in capsys.readouterr().out
    assert (
        f"total: {case.read} rows read, {case.cleaned} cleaned, {case.quarantined} quarantined"
        in out + err
    )
    log = json.loads((cleaned / "cleaning_log.json").read_text(encoding="utf-8"))
    assert sum(f["rows_read"] for f in log["files"]) == case.read
    q = pd.read_csv(cleaned / "quarantine.csv", dtype=str, keep_default_na=False)
    assert len(q) == case.quarantined
    assert q["reason"].value_counts().to_dict() == case.reasons
    assert len(pd.read_parquet(cleaned / "enterprises.parquet")) == case.cleaned
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cleaned")]


def test_exported_quarantine_cannot_run_in_a_spreadsheet(tmp_path, capsys):
    """Every cell of the exported quarantine that starts with = + - @ is neutralised with a leading
    apostrophe, and names are withheld, identifiers hashed."""
    src = tmp_path / "formulas.csv"
    next(c for c in CASES if c.file == "formulas.csv").make(src)
    code, _, _, cleaned = clean(tmp_path, src, capsys=capsys)
    assert code == 0
    with open(cleaned / "quarantine.csv", encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert "'+1+1" in cells
    assert not [c for c in cells if "HYPERLINK" in c or "-2+3" in c]  # names withheld, ids hashed


def test_several_files_one_broken_writes_nothing(tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    write_csv(good, H, THREE)
    bad.write_bytes(b"")
    code, _, err, cleaned = clean(tmp_path, good, bad, capsys=capsys)
    assert code == 2 and "bad.csv: empty file (0 bytes)" in err and not cleaned.exists()


def test_unwritable_output_folder_is_a_clear_error(tmp_path, capsys):
    src = tmp_path / "ok.csv"
    write_csv(src, H, THREE)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should go")
    salt = tmp_path / "salt"
    salt.write_text("s\n")
    code = cli.main(
        ["clean", str(src), "--out", str(blocker / "cleaned"), "--salt-file", str(salt)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert (
        err
        == f"sxsh: error: cannot write {tmp_path / 'not-a-folder'}: {blocker} is a file, not a folder\n"
    )


def test_full_disk_keeps_the_previous_cleaned_data(tmp_path, capsys, monkeypatch):
    src = tmp_path / "ok.csv"
    write_csv(src, H, THREE)
    code, _, _, cleaned = clean(tmp_path, src, capsys=capsys)
    assert code == 0
    before = {p.name: p.read_bytes() for p in cleaned.iterdir()}

    def full(self, path, *a, **k):
        Path(path).write_bytes(b"PAR1 half a file")  # the disk fills up halfway through
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    write_csv(src, H, THREE[:1])
    code, _, err, _ = clean(tmp_path, src, capsys=capsys)
    assert code == 2
    assert (
        err
        == f"sxsh: error: cannot write {cleaned}: No space left on device; nothing was changed there\n"
    )
    assert {p.name: p.read_bytes() for p in cleaned.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cleaned", "ok.csv", "salt"]


@pytest.mark.slow
def test_a_million_row_file(tmp_path, capsys):
    """1,000,000 enterprises in one CSV, one row in a thousand with text where a count belongs."""
    n = 1_000_000
    i = np.arange(n)
    provinces = np.array(["Hà Nội", "Đồng Nai", "TP. Hồ Chí Minh", "Cần Thơ", "Lào Cai"])
    sectors = np.array(["Dệt may", "Xi măng - gạch - gốm", "Thủy sản", "Giấy"])
    df = pd.DataFrame(
        {
            "round": "2014",
            "enterprise_id": np.char.zfill((3_000_000_000 + i).astype(str), 10),
            "enterprise_name": np.char.add("Công ty ", i.astype(str)),
            "province": provinces[i % 5],
            "sector": sectors[i % 4],
            "size": "Nhỏ",
            "ownership": "FDI",
            "employees": np.where(i % 1000 == 7, "nhiều", (10 + i % 500).astype(str)),
            "aware": np.where(i % 3 == 0, "Có", "Không"),
            "applied": "Không",
            "cp_unit": "Không",
            "saving_pct": "",
        }
    )
    src = tmp_path / "million.csv"
    df.to_csv(src, index=False)
    code, out, err, cleaned = clean(tmp_path, src, capsys=capsys)
    assert code == 0, err
    assert "total: 1000000 rows read, 999000 cleaned, 1000 quarantined" in out + err
    assert len(pd.read_parquet(cleaned / "enterprises.parquet", columns=["round"])) == 999_000
    q = pd.read_csv(cleaned / "quarantine.csv", dtype=str, keep_default_na=False)
    assert len(q) == 1000 and set(q["reason"]) == {"invalid_value"}
    assert q["source_row"].astype(int).tolist()[:2] == [9, 1009]  # header is row 1
