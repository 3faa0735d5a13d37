"""Property tests: no input makes the parsers crash; no row is lost or duplicated by cleaning."""

from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sxsh_analysis import clean, reference, resolve
from sxsh_analysis.text import NumberError, fold, legacy_candidates, parse_number

from .conftest import ENTERPRISE_HEADER, SALT, enterprise_row

# text that looks like what survey cells hold: Vietnamese letters, digits, separators, formulas
VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
cell_text = st.one_of(
    st.text(alphabet=VI + VI.upper() + "0123456789 .,-%/=+@'\"\t;µ¸§«øäé", max_size=30),
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "1.200",
            "5,5",
            "7%",
            "-5",
            "150",
            "2010",
            "15/03/2010",
            "Có",
            "x",
            '=HYPERLINK("x")',
            "<script>alert(1)</script>",
            "Hµ Néi",
            "Haø Noäi",
            "Quảng",
            "12345678901234567890",
            "NaN",
            "inf",
            "1e9",
            "\x00",
            "\u200b",
        ]
    ),
)

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cell_text, st.booleans())
def test_parse_number_only_refuses_with_number_error(text, integer):
    try:
        v = parse_number(text, integer=integer)
    except NumberError:
        return
    assert isinstance(v, int if integer else float)


@SETTINGS
@given(cell_text)
def test_resolvers_and_text_helpers_never_crash(text):
    for r in (resolve.provinces(), resolve.sectors()):
        res = r.resolve(text)
        assert (res.code is None) == bool(res.problem)
        if res.code is None:
            assert r.explain(res)
    fold(text)
    legacy_candidates(text)


@SETTINGS
@given(cell_text)
def test_every_column_parser_returns_a_cell(text):
    for table in reference.tables():
        for spec in reference.column_specs(table):
            cell = clean.make_parser(spec, SALT)(text)
            assert (cell.reason is None) == (cell.problem is None)


def _row_strategy():
    good = st.integers(0, 40).map(lambda i: enterprise_row(i))
    broken_cell = st.tuples(
        st.integers(0, 40), st.integers(0, len(ENTERPRISE_HEADER) - 1), cell_text
    ).map(lambda t: enterprise_row(t[0])[: t[1]] + [t[2]] + enterprise_row(t[0])[t[1] + 1 :])
    wrong_width = st.lists(cell_text, min_size=1, max_size=len(ENTERPRISE_HEADER) + 3).filter(
        lambda r: len(r) != len(ENTERPRISE_HEADER)
    )
    blank = st.just([""] * len(ENTERPRISE_HEADER))
    return st.one_of(good, broken_cell, broken_cell, wrong_width, blank)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(_row_strategy(), min_size=1, max_size=40))
def test_no_row_is_lost_or_duplicated(tmp_path, rows):
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(ENTERPRISE_HEADER)
    w.writerows(rows)
    path = tmp_path / "prop.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    # the rows the file really holds, by spreadsheet row number (a quoted newline stays in its record)
    records = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))[1:]
    expected = {i + 2 for i, rec in enumerate(records) if any(f.strip() for f in rec)}
    blank = len(records) - len(expected)
    if not expected:
        return  # a file of blank rows is refused whole ("no data rows"), tested elsewhere
    result = clean.clean([path], SALT)
    f = result.log["files"][0]
    assert f["rows_read"] == len(expected)
    assert f["blank_rows"] == blank
    assert f["rows_read"] == f["rows_cleaned"] + f["rows_quarantined"]
    kept = result.tables.get("enterprises", pd.DataFrame({"source_row": []}))["source_row"].tolist()
    held = [int(x) for x in result.quarantine["source_row"]]
    assert len(kept) + len(held) == len(expected)  # none twice
    assert set(kept) | set(held) == expected  # none lost
    assert not set(kept) & set(held)
