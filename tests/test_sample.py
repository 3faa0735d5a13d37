"""The calibrated sample, after cleaning, reproduces the published figures (facts sections 2 to 4)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from sxsh_analysis import clean, reference, sample

pytestmark = pytest.mark.slow

TEN = {
    "Cao Bằng",
    "Thái Nguyên",
    "Quảng Nam",
    "Quảng Bình",
    "An Giang",
    "Bến Tre",
    "Nghệ An",
    "Lào Cai",
    "Phú Thọ",
    "Cần Thơ",
}
EIGHT = {
    "Dệt may",
    "Rau quả nông sản",
    "Mỏ và khai khoáng",
    "Xi măng - gạch - gốm",
    "Thủy sản",
    "Thực phẩm khác",
    "Gỗ - tre - nứa",
    "Nhựa - cao su",
}


@pytest.fixture(scope="module")
def e2010(cleaned_sample):
    e = cleaned_sample.tables["enterprises"]
    return e[e["round"] == 2010]


def test_round_2010_headline_figures(e2010):
    n = len(e2010)
    aware = int(e2010["aware"].sum())
    applied = int(e2010["applied"].sum())
    met = int((e2010["applied"] & (e2010["saving_pct"] >= 5)).sum())
    assert (aware, applied, met) == (2509, 1031, 309)
    assert 8966 <= n <= 9123
    assert (round(100 * aware / n), round(100 * applied / n), round(100 * met / n)) == (28, 11, 3)
    # "above 5%" and "at least 5%" agree: no adopter reports exactly 5%
    assert not (e2010["saving_pct"] == 5).any()


def test_round_2010_provinces_over_half_aware(e2010):
    names = reference.province_names()
    share = e2010.groupby("province_code")["aware"].mean()
    assert {names[c] for c in share[share > 0.5].index} == TEN


def test_round_2010_sectors_over_100_aware(e2010):
    names = dict(zip(reference.sectors()["code"], reference.sectors()["name_vi"]))
    counts = e2010.groupby("sector")["aware"].sum()
    assert {names[c] for c in counts[counts > 100].index} == EIGHT


def test_round_2010_sectors_with_most_adopters(e2010):
    adopters = e2010[e2010["applied"]].groupby("sector").size()
    assert adopters["textile"] == adopters["cement"] == 84
    assert adopters.drop(["textile", "cement"]).max() < 84
    above5 = e2010[e2010["applied"] & (e2010["saving_pct"] > 5)].groupby("sector").size()
    assert (above5["textile"], above5["cement"]) == (16, 36)


def test_later_rounds_progress_but_stay_below_2015_targets(cleaned_sample):
    e = cleaned_sample.tables["enterprises"]
    rates = e.groupby("round")[["aware", "applied"]].mean() * 100
    assert list(rates.index) == [2010, 2012, 2014]
    assert rates["aware"].is_monotonic_increasing and rates["applied"].is_monotonic_increasing
    assert rates.loc[2014, "aware"] < 50 and rates.loc[2014, "applied"] < 25
    keys = e.groupby("round")["enterprise_key"].apply(set)
    assert len(keys[2010] & keys[2012]) > 0.7 * len(keys[2010])  # a linkable panel


def test_doit_facts(cleaned_sample):
    d = cleaned_sample.tables["doit"]
    y2011, y2017 = d[d["year"] == 2011], d[d["year"] == 2017]
    assert int((y2011["focal_unit"] | y2011["plan_2015"]).sum()) == 20
    assert int(y2017["focal_unit"].sum()) == 41
    assert int(y2017["plan_2015"].sum()) == 35
    assert int(y2017["plan_2020"].sum()) == 22
    assert sorted(d["year"].unique()) == list(range(2010, 2018))


def test_dong_nai_published_figures(cleaned_sample):
    d = cleaned_sample.tables["doit"]
    dn = d[d["province_code"] == "75"].set_index("year")
    assert dn.loc[2011, "budget_central"] == 90_000_000
    assert dn.loc[2013, "budget_local"] == 79_000_000
    assert dn.loc[2014, "budget_local"] == 587_000_000
    assert dn.loc[2015, "budget_local"] == 520_000_000
    sources = dn[["budget_central", "budget_local", "budget_other"]].fillna(0).to_numpy().sum()
    assert sources == 1_276_000_000
    assert dn.loc[2015, "budget_total"] == 1_198_085_000  # does not reconcile: a flag to raise
    assert (dn.loc[2010, "trainings"], dn.loc[2010, "participants"]) == (1, 160)
    assert dn.loc[2011, "quick_assessments"] == 3
    assert dn.loc[2014, "detailed_assessments"] == 5
    assert dn.loc[2015, "cp_staff"] == 4 and dn.loc[2011, "cp_staff"] == 0
    assert (
        not dn.loc[2011, "focal_unit"] and dn.loc[2012, "focal_unit"] and dn.loc[2011, "plan_2015"]
    )


def test_programme_totals_are_the_published_ones(cleaned_sample):
    p = cleaned_sample.tables["programme"]
    c = p[p["level"] == "central"].sum(numeric_only=True)
    loc = p[p["level"] == "local"].sum(numeric_only=True)
    assert (c["quick_assessments"], c["detailed_assessments"], c["models"]) == (411, 102, 2)
    assert (loc["quick_assessments"], loc["models"]) == (335, 88)
    assert c["participants"] > 25_000 and c["guidelines"] > 20
    y2011 = p[(p["year"] == 2011) & (p["level"] == "central")].iloc[0]
    assert (y2011["workshops"], y2011["trainings"], y2011["participants"]) == (10, 74, 4000)
    assert p[(p["year"] == 2010) & (p["level"] == "central")]["quick_assessments"].iloc[0] == 72
    assert (p["source"].str.len() > 20).all()


def test_everything_is_marked_as_sample(cleaned_sample):
    assert cleaned_sample.log["sample"] is True
    for df in cleaned_sample.tables.values():
        assert df["is_sample"].all()


def test_cleaning_is_exercised_on_every_build(cleaned_sample):
    totals = {}
    for f in cleaned_sample.log["files"]:
        assert f["rows_read"] == f["rows_cleaned"] + f["rows_quarantined"]
        for k, v in {**f["corrections"], **f["quarantined"]}.items():
            totals[k] = totals.get(k, 0) + v
    for k in (
        "applied_implies_aware",
        "saving_without_application",
        "legacy_font_repaired",
        "duplicate",
        "conflicting_duplicate",
        "unknown_province",
        "unknown_sector",
        "out_of_range",
        "invalid_value",
        "missing_value",
    ):
        assert totals.get(k, 0) > 0, k
    formats = {(f["format"], f["delimiter"]) for f in cleaned_sample.log["files"]}
    assert {("csv", ","), ("csv", ";"), ("xlsx", None)} <= formats


@pytest.mark.parametrize("seed", [1, 2024])
def test_figures_hold_for_any_seed(tmp_path, seed):
    files = sample.write(tmp_path, seed=seed)
    e = clean.clean(files, b"s").tables["enterprises"]
    e = e[e["round"] == 2010]
    assert (
        int(e["aware"].sum()),
        int(e["applied"].sum()),
        int((e["applied"] & (e["saving_pct"] > 5)).sum()),
    ) == (2509, 1031, 309)


def test_sample_is_deterministic(tmp_path, sample_dir):
    sample.write(tmp_path)
    for p in sample_dir.iterdir():
        a = hashlib.sha256(p.read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / p.name).read_bytes()).hexdigest()
        assert a == b, p.name


def test_largest_remainder_hits_the_total():
    out = sample._largest_remainder(np.array([1.0, 2.0, 3.0]), 10, cap=np.array([10, 10, 4]))
    assert out.sum() == 10 and out[2] <= 4
