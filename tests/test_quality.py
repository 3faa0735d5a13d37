"""Data-quality and reconciliation flags."""

from __future__ import annotations

import pandas as pd

from sxsh_analysis import quality


def test_dong_nai_budget_total_is_flagged(cleaned_sample):
    f = quality.flags(
        cleaned_sample.tables["enterprises"], cleaned_sample.tables["doit"], cleaned_sample.log
    )
    b = f[f["check"] == "budget_total_mismatch"]
    assert b["province_code"].tolist() == ["75"] and b["period"].tolist() == ["2015"]
    msg = b["message"].iloc[0]
    assert "1.198.085.000 đ" in msg and "520.000.000 đ" in msg and "1.276.000.000 đ" in msg
    assert list(f.columns) == quality.COLUMNS
    missing = f[(f["check"] == "province_missing") & (f["table"] == "doit")]
    assert len(missing) == 3  # the sample leaves three province-years unreported


def test_totals_that_reconcile_are_not_flagged():
    d = pd.DataFrame(
        {
            "year": [2011, 2012, 2013],
            "province_code": ["01"] * 3,
            "budget_central": [10, 0, 0],
            "budget_local": [0, 20, 30],
            "budget_other": [0, 0, pd.NA],
            "budget_total": [10, 30, 30],  # the year's, then the cumulative, then the year's again
        }
    )
    assert quality.budget_reconciliation(d) == []


def test_jumps_and_missing_provinces():
    rows = []
    for rnd, aware_share, n in ((2010, 0.2, 100), (2012, 0.6, 100), (2014, 0.6, 200)):
        for i in range(n):
            rows.append(
                {
                    "round": rnd,
                    "province_code": "01",
                    "aware": i < aware_share * n,
                    "applied": False,
                    "saving_pct": pd.NA,
                    "size": "small",
                    "cp_unit": False,
                    "sector": "textile",
                }
            )
    e = pd.DataFrame(rows)
    e["saving_pct"] = e["saving_pct"].astype("Float64")
    f = quality.flags(e, None, None)
    jumps = f[f["check"] == "share_jump"]
    assert jumps["period"].tolist() == ["2010-2012"] and "+40.0 points" in jumps["message"].iloc[0]
    assert f[f["check"] == "surveyed_jump"]["period"].tolist() == ["2012-2014"]
    missing = f[f["check"] == "province_missing"]
    assert len(missing) == 62 * 3  # every other province, in every round


def test_high_quarantine_share():
    log = {
        "files": [
            {"rows_read": 100, "rows_quarantined": 10, "table": "enterprises", "source": "a.csv"},
            {"rows_read": 100, "rows_quarantined": 1, "table": "enterprises", "source": "b.csv"},
        ]
    }
    f = quality.quarantine_share(log)
    assert [r["period"] for r in f] == ["a.csv"]
