"""The Excel data-entry template that provinces fill in.

One workbook: an instructions sheet (Vietnamese, then English), a sheet for the enterprise survey, a
sheet for the DoIT survey, and a hidden sheet of lists that feed the drop-downs (provinces, sectors,
yes/no, size, ownership). Headers are the Vietnamese headers of the data dictionary; numbers are
checked as they are typed; identifier cells are text, so tax codes keep their leading zeros. A file
filled in it cleans without quarantine.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import reference

ROWS = 5000  # rows prepared with drop-downs and checks
LISTS_SHEET = "Danh mục"
SHEETS = {"enterprises": "Doanh nghiệp", "doit": "Sở Công Thương"}

LIST_VALUES = {
    "yesno": ["Có", "Không"],
    "size": ["Siêu nhỏ", "Nhỏ", "Vừa", "Lớn"],
    "ownership": ["Nhà nước", "Ngoài nhà nước", "FDI"],
}

INSTRUCTIONS = [
    ("MẪU NHẬP LIỆU KHẢO SÁT SẢN XUẤT SẠCH HƠN TRONG CÔNG NGHIỆP", True),
    ("", False),
    (
        "1. Nhập mỗi doanh nghiệp một dòng ở trang 'Doanh nghiệp' (mỗi năm điều tra một dòng).",
        False,
    ),
    ("2. Nhập mỗi tỉnh, mỗi năm một dòng ở trang 'Sở Công Thương'.", False),
    (
        "3. Chọn Tỉnh/Thành phố, Ngành, Có/Không, Quy mô, Loại hình sở hữu từ danh sách thả xuống.",
        False,
    ),
    (
        "4. Số nhập không cần dấu phân cách; có thể viết 1.200 hoặc 5,5. Mức giảm tiêu hao từ 0 đến 100 (%).",
        False,
    ),
    ("5. Để trống Mức giảm tiêu hao nếu doanh nghiệp chưa áp dụng SXSH.", False),
    ("6. Không đổi tên cột, không xóa dòng tiêu đề. Có thể thêm cột ghi chú ở bên phải.", False),
    (
        "7. Mã doanh nghiệp (mã số thuế) được mã hóa khi làm sạch; tên doanh nghiệp không được đưa vào báo cáo.",
        False,
    ),
    ("", False),
    ("DATA-ENTRY TEMPLATE: CLEANER PRODUCTION IN INDUSTRY SURVEY", True),
    ("", False),
    ("1. One row per enterprise per survey round on the 'Doanh nghiệp' sheet.", False),
    (
        "2. One row per province per year on the 'Sở Công Thương' sheet (Department of Industry and Trade).",
        False,
    ),
    ("3. Pick province, sector, yes/no, size and ownership from the drop-down lists.", False),
    (
        "4. Numbers: 1.200 and 5,5 are read as Vietnamese numbers. Saving is a percentage from 0 to 100.",
        False,
    ),
    ("5. Leave the saving empty when the enterprise does not apply CP.", False),
    (
        "6. Do not rename columns or delete the header row. Notes may go in extra columns on the right.",
        False,
    ),
    (
        "7. Tax codes are hashed when the data is cleaned; enterprise names never reach a report.",
        False,
    ),
    ("", False),
    ("Check a filled file: sxsh validate FILE.xlsx   Clean it: sxsh clean FILE.xlsx", False),
]


def _lists() -> dict[str, list[str]]:
    return {
        "province": list(reference.provinces()["name_official"]),
        "sector": list(reference.sectors()["name_vi"]),
        **LIST_VALUES,
    }


def build() -> Workbook:
    """The template as an openpyxl Workbook (not saved)."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    for text, bold in INSTRUCTIONS:
        guide.append([text])
        if bold:
            guide.cell(guide.max_row, 1).font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 120

    lists = wb.create_sheet(LISTS_SHEET)
    ranges = {}
    for col, (name, values) in enumerate(_lists().items(), start=1):
        lists.cell(1, col, name)
        for i, v in enumerate(values, start=2):
            lists.cell(i, col, v)
        letter = get_column_letter(col)
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for table, title in SHEETS.items():
        ws = wb.create_sheet(title)
        specs = [s for s in reference.column_specs(table) if s["kind"] != "flag"]
        for col, spec in enumerate(specs, start=1):
            cell = ws.cell(1, col, spec["header_vi"])
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.comment = Comment(f"{spec['column']}: {spec['description_en']}", "sxsh")
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = max(14, min(32, len(spec["header_vi"]) + 4))
            area = f"{letter}2:{letter}{ROWS + 1}"
            dv = _validation(spec, ranges)
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(area)
            if spec["kind"] == "identifier":
                for r in range(2, ROWS + 2):
                    ws.cell(r, col).number_format = "@"
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 45
    wb.active = 0
    return wb


def _validation(spec: dict[str, str], ranges: dict[str, str]) -> DataValidation | None:
    kind = spec["kind"]
    prompt = spec["description_en"][:250]
    if kind in ("province", "sector", "yesno", "size", "ownership"):
        dv = DataValidation(type="list", formula1=f"={ranges[kind]}", allow_blank=True)
        dv.error = "Chọn một giá trị trong danh sách / pick a value from the list"
    elif kind in ("year", "integer", "money"):
        lo = spec["min"] or "0"
        hi = spec["max"] or "1000000000000000"
        dv = DataValidation(
            type="whole", operator="between", formula1=lo, formula2=hi, allow_blank=True
        )
        dv.error = f"Số nguyên từ {lo} đến {hi} / a whole number from {lo} to {hi}"
    elif kind in ("decimal",):
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1=spec["min"] or "0",
            formula2=spec["max"] or "100",
            allow_blank=True,
        )
        dv.error = "Số từ 0 đến 100 / a number from 0 to 100"
    elif kind == "weight":
        dv = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
        dv.error = "Số lớn hơn 0 / a number greater than 0"
    else:
        return None
    dv.errorTitle = spec["header_vi"]
    dv.showErrorMessage = True
    dv.prompt = prompt
    dv.showInputMessage = True
    return dv


def write(path: Path) -> Path:
    """Write the template to ``path`` (an .xlsx file; parent folders are created). Returns it."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        from .errors import SxshError

        raise SxshError(f"{path.name}: the template is an Excel file; give a name ending in .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    build().save(path)
    return path
