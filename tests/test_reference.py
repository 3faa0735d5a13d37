"""Reference data: the 63 provinces, the 34 units of 2025, sectors and targets, against the facts file."""

from __future__ import annotations

import re

import pytest

from sxsh_analysis import reference

from .conftest import FACTS


def test_provinces_and_units():
    p = reference.provinces()
    u = reference.units_2025()
    assert len(p) == 63 and p["code"].is_unique and p["code"].str.fullmatch(r"\d\d").all()
    assert len(u) == 34 and u["code"].is_unique
    assert set(p["unit2025"]) == set(u["code"])
    assert (u["status"] == "unchanged").sum() == 11
    assert set(p["region"]) == set(reference.regions()["code"]) and len(reference.regions()) == 6
    cw = reference.crosswalk_2025()
    assert cw["82"] == "82" and cw["87"] == "82"  # Tiền Giang goes to Đồng Tháp only (not Tây Ninh)
    assert [c for c, n in cw.items() if n == "79"] == ["74", "77", "79"]
    assert reference.province_names()["46"] == "Thừa Thiên Huế"


def test_targets():
    t = reference.targets().set_index(["indicator", "phase"])
    assert t.loc[("awareness", 2015), "value"] == 50
    assert t.loc[("application", 2020), "value"] == 50
    assert (t.loc[("saving", 2015), "value"], t.loc[("saving", 2015), "value_high"]) == (5, 8)
    assert t.loc[("cp_unit", 2020), "value"] == 90
    assert t.loc[("doit_staff", 2015), "value"] == 70
    assert len(t) == 9


def test_columns_dictionary_is_consistent():
    cols = reference.columns()
    assert set(cols["table"]) == {"enterprises", "doit", "programme"}
    assert not cols.duplicated(["table", "column"]).any()
    assert set(cols["kind"]) <= {
        "year",
        "identifier",
        "name",
        "province",
        "sector",
        "size",
        "ownership",
        "integer",
        "yesno",
        "decimal",
        "weight",
        "flag",
        "money",
        "level",
        "text",
    }


@pytest.mark.skipif(not FACTS.exists(), reason="facts file not beside the repository")
def test_reference_files_match_the_facts_file():
    facts = FACTS.read_text(encoding="utf-8")
    sec5 = facts.split("## 5.")[1].split("## 6.")[0]
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in sec5.splitlines()
        if re.match(r"^\| \d\d ", line)
    ]
    p = reference.provinces().set_index("code")
    assert len(rows) == 63
    for code, official, short, _region in rows:
        assert p.loc[code, "name_official"] == official
        assert p.loc[code, "name_short"] == short
    sec6 = facts.split("## 6.")[1].split("## 7.")[0]
    for line in sec6.splitlines():
        m = re.match(r"^\| (\d\d) \|", line)
        if m:
            for old in re.findall(r"\((\d\d)\)", line):
                assert p.loc[old, "unit2025"] == m.group(1), (old, line)


def test_data_dictionary_document_lists_every_header():
    from sxsh_analysis import paths

    doc = (paths.project_root() / "data" / "README.md").read_text(encoding="utf-8")
    for row in reference.columns().itertuples():
        assert f"`{row.column}`" in doc, row.column
        assert row.header_vi in doc, row.header_vi
