"""Cleaning: rules, quarantine reasons, accounting, identifiers, atomic writes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sxsh_analysis import clean
from sxsh_analysis.errors import FileProblem, SxshError

from .conftest import ENTERPRISE_HEADER, SALT, enterprise_row, write_csv


def _clean(tmp_path, rows, header=ENTERPRISE_HEADER, name="e.csv"):
    p = write_csv(tmp_path / name, header, rows)
    return clean.clean([p], SALT)


def _log(result, source="e.csv"):
    return next(f for f in result.log["files"] if f["source"] == source)


def test_clean_rows_are_typed_and_keyed(tmp_path):
    r = _clean(
        tmp_path,
        [
            enterprise_row(1, employees="1.200", saving_pct="5,5", applied="Có"),
            enterprise_row(
                2,
                province="TP.HCM",
                sector="2392",
                size="Lớn",
                ownership="Nhà nước",
                aware="x",
                cp_unit="1",
            ),
        ],
    )
    df = r.tables["enterprises"]
    assert df["province_code"].tolist() == ["01", "79"]
    assert df["sector"].tolist() == ["textile", "cement"]
    assert df["employees"].tolist() == [1200, 50]
    assert df["saving_pct"].tolist()[0] == 5.5
    assert df["size"].tolist() == ["small", "large"]
    assert df["ownership"].tolist() == ["fdi", "state"]
    assert df["aware"].tolist() == [True, True] and df["cp_unit"].tolist() == [False, True]
    assert df["source_row"].tolist() == [2, 3]
    assert r.quarantined == 0


def test_applied_implies_aware_is_corrected_and_logged(tmp_path):
    r = _clean(
        tmp_path,
        [
            enterprise_row(1, aware="Không", applied="Có", saving_pct="6"),
            enterprise_row(2, aware="Không", applied="Không"),
        ],
    )
    df = r.tables["enterprises"]
    assert df["aware"].tolist() == [True, False]
    assert _log(r)["corrections"]["applied_implies_aware"] == 1


def test_saving_without_application_is_cleared_and_logged(tmp_path):
    r = _clean(tmp_path, [enterprise_row(1, applied="Không", saving_pct="3")])
    assert r.tables["enterprises"]["saving_pct"].isna().all()
    assert _log(r)["corrections"]["saving_without_application"] == 1


def test_blank_yes_no_reads_as_no(tmp_path):
    r = _clean(tmp_path, [enterprise_row(1, aware="", applied="", cp_unit="")])
    df = r.tables["enterprises"]
    assert not df["aware"][0] and not df["applied"][0] and not df["cp_unit"][0]
    assert _log(r)["corrections"]["blank_read_as_no"] == 1  # rows, not cells


@pytest.mark.parametrize(
    "change,reason,problem",
    [
        (
            {"saving_pct": "150", "applied": "Có"},
            "out_of_range",
            "saving_pct '150': outside 0 to 100",
        ),
        (
            {"saving_pct": "-1", "applied": "Có"},
            "out_of_range",
            "saving_pct '-1': outside 0 to 100",
        ),
        ({"employees": "-5"}, "out_of_range", "employees '-5'"),
        ({"employees": "abc"}, "invalid_value", "employees 'abc': not a number"),
        ({"employees": "12345678901234567890"}, "invalid_value", "too many digits"),
        ({"round": "15/03/2010"}, "invalid_value", "round '15/03/2010': a date, not a year"),
        ({"round": "1890"}, "out_of_range", "round '1890'"),
        ({"province": "Hà Tây"}, "unknown_province", "province 'Hà Tây': unknown province"),
        ({"province": "Quảng"}, "unknown_province", "ambiguous"),
        ({"sector": "Dịch vụ"}, "unknown_sector", "sector 'Dịch vụ': unknown sector"),
        ({"sector": "10"}, "unknown_sector", "several sector groups"),
        ({"aware": "có lẽ"}, "invalid_value", "aware 'có lẽ': not yes/no"),
        ({"size": "rất lớn"}, "invalid_value", "size 'rất lớn': not one of"),
        ({"enterprise_id": ""}, "missing_value", "enterprise_id: blank"),
        ({"province": ""}, "missing_value", "province: blank"),
    ],
)
def test_quarantine_reasons_name_column_and_value(tmp_path, change, reason, problem):
    r = _clean(tmp_path, [enterprise_row(1), enterprise_row(2, **change)])
    assert len(r.tables["enterprises"]) == 1
    q = r.quarantine
    assert len(q) == 1
    assert q["reason"][0] == reason
    assert problem in q["problem"][0]
    assert q["source_file"][0] == "e.csv" and int(q["source_row"][0]) == 3
    assert _log(r)["quarantined"] == {reason: 1}


def test_every_problem_of_a_row_is_listed_first_one_as_reason(tmp_path):
    r = _clean(tmp_path, [enterprise_row(1, province="Hà Tây", employees="abc")])
    assert r.quarantine["reason"][0] == "unknown_province"
    assert "employees 'abc'" in r.quarantine["problem"][0]


def test_exact_duplicate_keeps_the_first(tmp_path):
    r = _clean(tmp_path, [enterprise_row(1), enterprise_row(2), enterprise_row(1)])
    assert r.tables["enterprises"]["source_row"].tolist() == [2, 3]
    assert r.quarantine["reason"].tolist() == ["duplicate"]
    assert r.quarantine["problem"][0] == "exact copy of e.csv row 2"


def test_duplicate_is_judged_on_cleaned_values(tmp_path):
    r = _clean(
        tmp_path,
        [enterprise_row(1), enterprise_row(1, province="Ha Noi", aware="x", employees="50")],
    )
    assert r.quarantine["reason"].tolist() == ["duplicate"]


def test_conflicting_duplicates_are_all_held(tmp_path):
    r = _clean(tmp_path, [enterprise_row(1), enterprise_row(1, employees="51"), enterprise_row(2)])
    assert len(r.tables["enterprises"]) == 1
    assert r.quarantine["reason"].tolist() == ["conflicting_duplicate"] * 2
    assert (
        "appears 2 times with different values (e.csv row 2, e.csv row 3)"
        in r.quarantine["problem"][0]
    )


def test_same_enterprise_in_two_rounds_is_not_a_duplicate(tmp_path):
    r = _clean(tmp_path, [enterprise_row(1), enterprise_row(1, round="2012")])
    df = r.tables["enterprises"]
    assert len(df) == 2 and df["enterprise_key"].nunique() == 1  # linkable across rounds


def test_duplicates_across_files(tmp_path):
    a = write_csv(tmp_path / "a.csv", ENTERPRISE_HEADER, [enterprise_row(1)])
    b = write_csv(tmp_path / "b.csv", ENTERPRISE_HEADER, [enterprise_row(2), enterprise_row(1)])
    r = clean.clean([a, b], SALT)
    assert r.quarantine["problem"].tolist() == ["exact copy of a.csv row 2"]


def test_identifiers_and_names_never_reach_outputs_in_clear(tmp_path):
    rows = [
        enterprise_row(1, enterprise_id="0312345678", enterprise_name="Công ty Bí Mật"),
        enterprise_row(
            2, enterprise_id="0398765432", enterprise_name="Nhà máy Kín", province="Hà Tây"
        ),
    ]
    r = _clean(tmp_path, rows)
    out = tmp_path / "out"
    clean.write_outputs(r, out)
    blob = b"".join(p.read_bytes() for p in out.iterdir())
    blob += pd.read_parquet(out / "enterprises.parquet").to_csv().encode()
    for secret in ("0312345678", "0398765432", "Bí Mật", "Nhà máy Kín"):
        assert secret.encode() not in blob, secret
    key = clean.hash_identifier("0312345678", SALT)
    assert r.tables["enterprises"]["enterprise_key"][0] == key
    assert clean.hash_identifier(" 0312345678 ", SALT) == key
    assert clean.hash_identifier("0312345678", b"other") != key
    assert f"[hashed {clean.hash_identifier('0398765432', SALT)}]" in r.quarantine.to_string()


def test_rows_read_equal_cleaned_plus_quarantined(tmp_path):
    rows = [enterprise_row(i) for i in range(20)]
    rows[3] = enterprise_row(3, province="???")
    rows[7] = rows[6]
    r = _clean(tmp_path, rows + [["2010", "x"]])
    f = _log(r)
    assert f["rows_read"] == 21
    assert f["rows_read"] == f["rows_cleaned"] + f["rows_quarantined"]
    assert f["rows_cleaned"] == len(r.tables["enterprises"]) == 18
    assert sum(f["quarantined"].values()) == f["rows_quarantined"] == len(r.quarantine) == 3


def test_quarantine_csv_neutralises_formulas(tmp_path):
    r = _clean(
        tmp_path,
        [
            enterprise_row(1, province='=HYPERLINK("http://x","y")'),
            enterprise_row(2, sector="=cmd|' /C calc'!A0"),
            enterprise_row(3, employees="@SUM(1)"),
        ],
    )
    out = tmp_path / "out"
    clean.write_outputs(r, out)
    text = (out / "quarantine.csv").read_text(encoding="utf-8-sig")
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), cell
    assert "'=HYPERLINK" in text and "'=cmd" in text and "'@SUM" in text


def test_whole_file_problems_write_nothing(tmp_path):
    good = write_csv(tmp_path / "good.csv", ENTERPRISE_HEADER, [enterprise_row(1)])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    with pytest.raises(FileProblem, match="bad.csv: empty file"):
        clean.write_outputs(clean.clean([good, bad], SALT), out)
    assert not out.exists()


def test_write_replaces_the_folder_whole_and_keeps_it_on_failure(tmp_path, monkeypatch):
    out = tmp_path / "out"
    r1 = _clean(tmp_path, [enterprise_row(1)])
    clean.write_outputs(r1, out)
    (out / "stale.txt").write_text("old")
    before = (out / "enterprises.parquet").read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    with pytest.raises(SxshError, match="cannot write .*out: disk full; nothing was changed there"):
        clean.write_outputs(_clean(tmp_path, [enterprise_row(2)], name="f.csv"), out)
    assert (out / "enterprises.parquet").read_bytes() == before  # untouched
    assert not list(tmp_path.glob(".out.tmp-*"))  # no half-written folder left
    monkeypatch.undo()
    clean.write_outputs(r1, out)
    assert not (out / "stale.txt").exists()  # replaced whole


def test_same_file_twice_is_refused(tmp_path):
    a = write_csv(tmp_path / "a.csv", ENTERPRISE_HEADER, [enterprise_row(1)])
    b = tmp_path / "copy.csv"
    b.write_bytes(a.read_bytes())
    with pytest.raises(FileProblem, match="copy.csv: same content as a.csv"):
        clean.clean([a, b], SALT)


def test_log_is_deterministic_and_complete(tmp_path):
    rows = [enterprise_row(1), enterprise_row(2, province="Hµ Néi")]
    a = _clean(tmp_path, rows)
    b = _clean(tmp_path, rows)
    assert json.dumps(a.log, sort_keys=True) == json.dumps(b.log, sort_keys=True)
    f = _log(a)
    assert f["corrections"]["legacy_font_repaired"] == 1
    assert f["columns"]["province"] == "province"
    assert f["sha256"] and f["encoding"] == "utf-8" and f["header_row"] == 1
    assert set(a.log["rules"]) >= {"applied_implies_aware", "saving_without_application"}


DOIT_HEADER = [
    "Năm",
    "Tỉnh/Thành phố",
    "Có đơn vị đầu mối SXSH",
    "Kế hoạch SXSH 2009-2015",
    "Kế hoạch SXSH 2016-2020",
    "Số cán bộ chuyên trách SXSH",
    "Kinh phí trung ương (đồng)",
    "Kinh phí địa phương (đồng)",
    "Kinh phí khác (đồng)",
    "Tổng kinh phí (đồng)",
]


def test_doit_table_with_vietnamese_money(tmp_path):
    r = _clean(
        tmp_path,
        [
            [
                "2011",
                "Tỉnh Đồng Nai",
                "Không",
                "Có",
                "Không",
                "0",
                "90.000.000",
                "",
                "",
                "90.000.000",
            ],
            [
                "2015",
                "Đồng Nai",
                "Có",
                "Có",
                "Không",
                "4",
                "",
                "520.000.000 đ",
                "0",
                "1.198.085.000",
            ],
            ["2016", "Đồng Nai", "Có", "Có", "Không", "4", "", "", "Không", ""],
        ],
        header=DOIT_HEADER,
        name="d.csv",
    )
    d = r.tables["doit"]
    assert d["province_code"].tolist() == ["75", "75"]
    assert d["budget_central"].tolist()[0] == 90_000_000
    assert pd.isna(d["budget_local"][0])  # blank is missing, not zero
    assert d["budget_total"].tolist() == [90_000_000, 1_198_085_000]
    assert d["cp_staff"].tolist() == [0, 4]
    assert len(r.quarantine) == 1  # "Không" is not an amount
    assert "budget_other 'Không': not a number" in r.quarantine["problem"][0]
