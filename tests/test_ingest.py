"""Reading CSV and XLSX files: encodings, separators, header rows, sheets, whole-file refusals."""

from __future__ import annotations

import openpyxl
import pytest

from sxsh_analysis.errors import FileProblem
from sxsh_analysis.ingest import read_file

from .conftest import ENTERPRISE_HEADER, enterprise_row, write_csv

VI_HEADER = [
    "Năm điều tra",
    "Mã doanh nghiệp",
    "Tên doanh nghiệp",
    "Tỉnh/Thành phố",
    "Ngành",
    "Quy mô",
    "Loại hình sở hữu",
    "Số lao động",
    "Nhận thức về SXSH",
    "Áp dụng SXSH",
    "Có bộ phận chuyên trách SXSH",
    "Mức giảm tiêu hao (%)",
]


def test_canonical_and_vietnamese_headers_in_any_case_and_form(tmp_path):
    import unicodedata

    odd = [unicodedata.normalize("NFD", h).upper().replace(" ", "  ") for h in VI_HEADER]
    for header in (ENTERPRISE_HEADER, VI_HEADER, odd):
        p = write_csv(tmp_path / "e.csv", header, [enterprise_row(1)])
        t = read_file(p).tables[0]
        assert t.table == "enterprises"
        assert set(t.mapping) == set(ENTERPRISE_HEADER)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separators(tmp_path, sep):
    p = write_csv(tmp_path / "e.csv", VI_HEADER, [enterprise_row(1), enterprise_row(2)], sep=sep)
    t = read_file(p).tables[0]
    assert len(t.raw) == 2 and t.delimiter == sep


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_encodings(tmp_path, encoding):
    p = write_csv(
        tmp_path / "e.csv", VI_HEADER, [enterprise_row(1, province="Đồng Nai")], encoding=encoding
    )
    t = read_file(p).tables[0]
    assert t.table == "enterprises"
    import unicodedata

    assert unicodedata.normalize("NFC", t.column("province")[0]) == "Đồng Nai"


def test_title_rows_above_the_header_and_row_numbers(tmp_path):
    p = tmp_path / "e.csv"
    with open(p, "w", encoding="utf-8") as f:
        f.write("BÁO CÁO KHẢO SÁT\n\n")
        f.write(",".join(VI_HEADER) + "\n")
        f.write(",".join(enterprise_row(1)) + "\n")
        f.write("\n")
        f.write(",".join(enterprise_row(2)) + "\n")
    t = read_file(p).tables[0]
    assert t.header_row == 3
    assert list(t.rows) == [4, 6]
    assert t.blank_rows == 1


def test_malformed_rows_are_kept_with_their_row_number(tmp_path):
    p = tmp_path / "e.csv"
    with open(p, "w", encoding="utf-8") as f:
        f.write(",".join(ENTERPRISE_HEADER) + "\n")
        f.write(",".join(enterprise_row(1)) + "\n")
        f.write("2010,0301,too,few\n")
        f.write(",".join(enterprise_row(2)) + ",extra\n")
        f.write(",".join(enterprise_row(3)) + "\n")
    t = read_file(p).tables[0]
    assert list(t.rows) == [2, 5]
    assert [m[0] for m in t.malformed] == [3, 4]
    assert "4 fields, the header has 12" in t.malformed[0][2]


def test_xlsx_title_merged_cells_and_several_sheets(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ghi chú"
    ws.append(["Hướng dẫn: không phải dữ liệu"])
    data = wb.create_sheet("Năm 2010")
    data.append(["KHẢO SÁT SXSH"])
    data.merge_cells("A1:F1")
    data.append([])
    data.append(VI_HEADER)
    data.append(
        [2010, "0301", "A", "Hà Nội", "Dệt may", "Nhỏ", "FDI", 1200, "Có", "Có", "Không", 5.5]
    )
    data.append([2010, "0302", "B", "Đồng Nai", 13, "Vừa", "FDI", 300, "Có", "Không", None, None])
    p = tmp_path / "e.xlsx"
    wb.save(p)
    fr = read_file(p)
    assert fr.format == "xlsx"
    assert len(fr.tables) == 1
    t = fr.tables[0]
    assert t.sheet == "Năm 2010" and t.header_row == 3 and list(t.rows) == [4, 5]
    assert t.column("employees").tolist() == ["1200", "300"]
    assert t.column("saving_pct").tolist() == ["5.5", ""]
    assert fr.skipped_sheets == [("Ghi chú", "no survey table")]


def test_xlsx_named_csv_is_read_as_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(ENTERPRISE_HEADER)
    wb.active.append(enterprise_row(1))
    p = tmp_path / "looks_like.csv"
    wb.save(p)
    assert read_file(p).format == "xlsx"


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty file (0 bytes)"),
        (b"\x00\x01\x02binary\x00", "binary content"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "old Excel .xls format"),
        (b"PK\x03\x04garbage", "broken zip/XLSX file"),
        (b"a,b,c\n1,2,3\n", "unknown format: no survey table recognised"),
        (
            b"round,enterprise_id,sector\n2010,1,13\n",
            "missing required columns for the enterprises table: province (Tỉnh/Thành phố)",
        ),
        (",".join(ENTERPRISE_HEADER).encode() + b"\n", "no data rows under the header (row 1)"),
        (b"   \n\n", "empty file (no text)"),
    ],
)
def test_whole_file_problems(tmp_path, content, message):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(FileProblem) as e:
        read_file(p)
    assert e.value.file == "bad.csv"
    assert message in e.value.problem
    assert str(e.value).startswith("bad.csv: ")


def test_missing_columns_message_lists_found_columns(tmp_path):
    p = write_csv(
        tmp_path / "x.csv",
        ["round", "enterprise_id", "sector", "Ghi chú"],
        [["2010", "1", "13", ""]],
    )
    with pytest.raises(FileProblem) as e:
        read_file(p)
    assert "missing required columns" in e.value.problem
    assert "'Ghi chú'" in e.value.problem and "'sector'" in e.value.problem


def test_duplicated_column_is_refused(tmp_path):
    header = ENTERPRISE_HEADER + ["Tỉnh/Thành phố"]
    p = write_csv(tmp_path / "d.csv", header, [enterprise_row(1) + ["Hà Nội"]])
    with pytest.raises(
        FileProblem, match=r"column 'province' appears twice \(columns D 'province' and M"
    ):
        read_file(p)


def test_missing_file(tmp_path):
    with pytest.raises(FileProblem, match="no such file"):
        read_file(tmp_path / "nope.csv")
