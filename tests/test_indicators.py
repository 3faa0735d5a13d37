"""Indicators: published figures through the module and the CLI, units as sums of provinces,
intervals, weighted estimates, the status rule, DoIT and programme indicators."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sxsh_analysis import disclosure, indicators, load, reference
from sxsh_analysis.errors import SxshError

TEN = {"04", "19", "49", "44", "89", "83", "40", "10", "25", "92"}
EIGHT = {"textile", "agri_produce", "mining", "cement", "seafood", "other_food", "wood", "plastics"}


@pytest.fixture(scope="module")
def e(cleaned_sample):
    return cleaned_sample.tables["enterprises"]


@pytest.fixture(scope="module")
def e2010(e):
    return e[e["round"] == 2010]


def _check_published(nat, prov, sec):
    nat = nat.iloc[0]
    assert (nat["aware_n"], nat["applied_n"], nat["saving_met_n"]) == (2509, 1031, 309)
    assert (round(nat["aware_pct"]), round(nat["applied_pct"]), round(nat["saving_met_pct"])) == (
        28,
        11,
        3,
    )
    assert set(prov.loc[prov["aware_pct"] > 50, "province_code"]) == TEN
    assert set(sec.loc[sec["aware_n"] > 100, "sector"]) == EIGHT
    s = sec.set_index("sector")
    assert s.loc["textile", "applied_n"] == s.loc["cement", "applied_n"] == 84
    assert s["applied_n"].drop(["textile", "cement"]).max() < 84
    assert (s.loc["textile", "saving_met_n"], s.loc["cement", "saving_met_n"]) == (16, 36)


@pytest.mark.slow
def test_published_figures_through_the_module(e2010):
    _check_published(
        *(disclosure.indicator_table(e2010, lv) for lv in ("national", "province", "sector"))
    )


@pytest.mark.slow
def test_published_figures_through_the_cli(cleaned_dir):
    def run(by, fmt="csv"):
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "sxsh_analysis.cli",
                "indicators",
                "--data",
                str(cleaned_dir),
                "--round",
                "2010",
                "--by",
                by,
                "--format",
                fmt,
            ],
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        return r.stdout

    tables = [
        pd.read_csv(io.StringIO(run(lv)), dtype={"province_code": str})
        for lv in ("national", "province", "sector")
    ]
    _check_published(*tables)
    assert list(tables[1].columns[:2]) == ["province_code", "province"]
    assert list(tables[1].columns[2:14]) == indicators.STABLE_COLUMNS
    doc = json.loads(run("sector", "json"))
    assert doc["phase_threshold_pct"] == 5.0 and doc["sample"] is True and doc["round"] == 2010
    assert {r["sector"]: r["applied_n"] for r in doc["rows"]}["cement"] == 84


@pytest.mark.slow
def test_each_2025_unit_is_the_sum_of_its_provinces(e2010):
    prov = indicators.enterprise_indicators(e2010, "province")
    unit = indicators.enterprise_indicators(e2010, "unit2025").set_index("unit2025_code")
    cw = reference.crosswalk_2025()
    prov["unit"] = prov["province_code"].map(cw)
    sums = prov.groupby("unit")[
        ["n", "aware_n", "applied_n", "saving_met_n", "ml_n", "cp_unit_n"]
    ].sum()
    assert len(unit) == 34
    pd.testing.assert_frame_equal(
        sums.sort_index(), unit[sums.columns].sort_index(), check_names=False
    )
    assert unit.loc["79", "unit2025"] == "Hồ Chí Minh"


def test_region_and_crossings_add_up(e2010):
    nat = indicators.enterprise_indicators(e2010, "national").iloc[0]
    for lv in ("region", "sector", "size", "ownership", "province,sector", "region,size"):
        t = indicators.enterprise_indicators(e2010, lv)
        assert t["n"].sum() == nat["n"] and t["aware_n"].sum() == nat["aware_n"], lv
    assert len(indicators.enterprise_indicators(e2010, "region")) == 6


@pytest.mark.parametrize(
    "count,nobs,lo,hi",
    [
        (0, 10, 0.0, 27.75),
        (81, 263, 25.53, 36.62),
        (10, 10, 72.25, 100.0),
        (2509, 9050, 26.81, 28.66),
    ],
)
def test_wilson_intervals_match_known_values(count, nobs, lo, hi):
    # Newcombe (1998), Statistics in Medicine 17: 857-872, table I (0/10, 81/263, 10/10)
    a, b = indicators.wilson([count], [nobs])
    assert (round(a[0], 2), round(b[0], 2)) == (lo, hi)


def test_weighted_share_with_equal_weights_reduces_to_simple_random_sampling():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"y": rng.random(400) < 0.3, "weight": 2.5, "province_code": "01"})
    out = indicators.weighted_share(df, np.zeros(400, dtype=int), "y", confidence=0.95)
    p = df["y"].mean()
    se = np.sqrt(p * (1 - p) / (len(df) - 1))
    assert out["pct"].iloc[0] == pytest.approx(100 * p)
    assert out["hi"].iloc[0] == pytest.approx(100 * (p + 1.959964 * se), rel=1e-5)


def test_weighted_estimates_use_the_weights(e2010):
    df = e2010.copy()
    df["weight"] = np.where(df["aware"], 3.0, 1.0)  # aware enterprises stand for three each
    w = indicators.enterprise_indicators(df, "national", weighted=True).iloc[0]
    u = indicators.enterprise_indicators(df, "national").iloc[0]
    expect = 100 * 3 * 2509 / (3 * 2509 + (9050 - 2509))
    assert w["aware_pct"] == pytest.approx(expect)
    assert u["aware_pct"] == pytest.approx(100 * 2509 / 9050)  # the default is unweighted
    assert w["aware_pct_lo"] < w["aware_pct"] < w["aware_pct_hi"]
    with pytest.raises(SxshError, match="weight on every row"):
        indicators.enterprise_indicators(e2010, "national", weighted=True)


@pytest.mark.parametrize(
    "value,year,upper,expected",
    [
        (30, 2010, None, "baseline"),
        (38, 2012, None, "on_track"),  # path at 2012: 30 + 20 * 2/5 = 38
        (35, 2012, None, "at_risk"),  # 5 of the 8 points needed: more than half
        (33, 2012, None, "off_track"),  # 3 of 8
        (33, 2012, 38.5, "at_risk"),  # the interval reaches the path
        (50, 2015, None, "achieved"),
        (49.9, 2015, None, "off_track"),
        (float("nan"), 2012, None, "no_data"),
    ],
)
def test_status_rule_on_hand_made_cases(value, year, upper, expected):
    got = indicators.status_of(
        value,
        year,
        baseline=30,
        baseline_year=2010,
        target=50,
        target_year=2015,
        upper=upper,
        at_risk_progress=0.5,
    )
    assert got == expected


def test_gaps_national_trend(e):
    g = indicators.gaps(indicators.trend(e, "national"), indicators.targets_for())
    aw = g[(g["indicator"] == "awareness") & (g["phase"] == 2015)].set_index("round")
    assert aw.loc[2010, "status"] == "baseline"
    assert aw.loc[2014, "gap"] == pytest.approx(50 - aw.loc[2014, "value"])
    assert set(g["status"]) <= {
        "baseline",
        "on_track",
        "at_risk",
        "off_track",
        "achieved",
        "no_data",
    }
    sav = g[(g["indicator"] == "saving") & (g["phase"] == 2015)]
    assert (sav["target_high"] == 8).all()


def test_province_plan_targets_replace_national_ones():
    t = indicators.targets_for("91", load.province_targets()).set_index(["indicator", "phase"])
    assert (
        t.loc[("awareness", 2020), "value"] == 50
        and t.loc[("awareness", 2020), "scope"] == "province"
    )
    assert (
        t.loc[("awareness", 2015), "value"] == 50
        and t.loc[("awareness", 2015), "scope"] == "national"
    )
    assert t.loc[("application", 2020), "value"] == 25
    n = indicators.targets_for("75", load.province_targets()).set_index(["indicator", "phase"])
    assert n.loc[("awareness", 2020), "value"] == 90


def test_phase_thresholds():
    assert indicators.saving_threshold(2015) == 5 and indicators.saving_threshold(2020) == 8
    assert indicators.phase_of(2014) == 2015 and indicators.phase_of(2018) == 2020


def test_levels_are_checked():
    with pytest.raises(SxshError, match="unknown level district"):
        indicators.parse_levels("province,district")
    with pytest.raises(SxshError, match="cannot be combined"):
        indicators.parse_levels("national,sector")
    assert indicators.parse_levels("province, sector") == ["province", "sector"]


def test_one_round_at_a_time(e):
    with pytest.raises(SxshError, match="one round at a time"):
        indicators.enterprise_indicators(e, "national")


def test_doit_indicators_by_year(cleaned_sample):
    d = indicators.doit_indicators(cleaned_sample.tables["doit"]).set_index("year")
    assert d.loc[2017, "focal_unit_n"] == 41 and d.loc[2017, "plan_2015_n"] == 35
    assert d.loc[2017, "plan_2020_n"] == 22 and d.loc[2017, "provinces"] == 63
    assert d.loc[2017, "focal_unit_pct"] == pytest.approx(100 * 41 / 63)
    st = indicators.doit_status(d.reset_index())
    assert set(st["phase"]) == {2015, 2020}
    r = indicators.doit_indicators(cleaned_sample.tables["doit"], by="year,region")
    assert len(r[r["year"] == 2017]) == 6


def test_programme_against_published_figures(cleaned_sample):
    cmp_ = indicators.programme_vs_published(cleaned_sample.tables["programme"])
    assert cmp_["meets"].all(), cmp_[~cmp_["meets"]]
    cum = indicators.programme_cumulative(cleaned_sample.tables["programme"]).set_index("year")
    assert cum.loc[2018, "quick_assessments_cum"] == 411 + 335
