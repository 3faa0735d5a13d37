"""Disclosure control: primary suppression and a property test that no suppressed value can be
recovered from the published totals of its table (checked independently, by rank)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sxsh_analysis import disclosure, indicators, reference

PROV = reference.provinces()


def _table(levels, ns, rng):
    """A fake indicator table with the given group sizes."""
    if levels == ["province"]:
        keys = pd.DataFrame({"province_code": PROV["code"], "province": PROV["name_short"]})
    elif levels == ["province", "sector"]:
        codes = list(PROV["code"])[:12]
        sectors = list(reference.sectors()["code"])[:6]
        keys = pd.DataFrame(
            [(c, s) for c in codes for s in sectors], columns=["province_code", "sector"]
        )
    else:
        keys = pd.DataFrame({"sector": reference.sectors()["code"]})
    n = np.asarray(ns[: len(keys)], dtype="int64")
    t = keys.iloc[: len(n)].copy()
    t["n"] = n
    t["aware_n"] = (n * rng.random(len(n))).astype("int64")
    t["applied_n"] = (t["aware_n"] * rng.random(len(n))).astype("int64")
    t["saving_met_n"] = 0
    t["aware_pct"] = 100 * t["aware_n"] / n
    t["ml_n"] = (n * 0.3).astype("int64")
    t["cp_unit_n"] = 0
    t["saving_n"] = t["applied_n"]
    return t.reset_index(drop=True)


def _constraint_rows(t, levels):
    """Lines whose totals are published, built here without the module's own code."""
    rows = []
    if levels == ["province", "sector"]:
        rows += [(t["sector"] == s).to_numpy() for s in t["sector"].unique()]
        rows += [(t["province_code"] == c).to_numpy() for c in t["province_code"].unique()]
    else:
        rows.append(np.ones(len(t), bool))
    return np.array([r for r in rows if r.sum() > 1], dtype=float)


def _recoverable(a, sup):
    """Suppressed cells whose value is determined by the constraints: e_j in the row space of A_S."""
    idx = np.flatnonzero(sup)
    a_s = a[:, idx]
    rank = np.linalg.matrix_rank(a_s) if a_s.size else 0
    out = []
    for j in range(len(idx)):
        e = np.zeros(len(idx))
        e[j] = 1
        if np.linalg.matrix_rank(np.vstack([a_s, e])) == rank:
            out.append(idx[j])
    return out


sizes = st.lists(st.one_of(st.integers(1, 4), st.integers(5, 200)), min_size=72, max_size=72)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes,
    st.sampled_from([["province"], ["province", "sector"], ["sector"]]),
    st.integers(0, 2**32 - 1),
)
def test_no_suppressed_value_can_be_recovered(ns, levels, seed):
    t = _table(levels, ns, np.random.default_rng(seed))
    out = disclosure.protect(t, levels, min_cell=5)
    sup = out["suppressed"].to_numpy()
    primary = (t["n"] < 5).to_numpy()
    assert sup[primary].all()  # every small cell is suppressed
    assert out.loc[sup, "aware_n"].isna().all() and out.loc[sup, "aware_pct"].isna().all()
    assert out.loc[~sup, "aware_n"].notna().all()
    a = _constraint_rows(t, levels)
    assert _recoverable(a, sup) == [], "a suppressed value follows from the published totals"


def test_single_small_cell_gets_a_partner():
    t = _table(["sector"], [3] + [50] * 13, np.random.default_rng(0))
    out = disclosure.protect(t, ["sector"])
    assert out["suppressed"].sum() == 2
    assert out.loc[0, "suppressed"]


def test_nothing_small_nothing_suppressed():
    t = _table(["sector"], [50] * 14, np.random.default_rng(0))
    assert not disclosure.protect(t, ["sector"])["suppressed"].any()


def test_mean_saving_needs_five_adopters(cleaned_sample):
    e = cleaned_sample.tables["enterprises"]
    t = disclosure.indicator_table(e[e["round"] == 2010], "province,sector")
    small = t["saving_n"].between(1, 4)
    assert t.loc[small, "saving_mean"].isna().all() and t.loc[small, "saving_suppressed"].all()
    big = t["saving_n"] >= 5
    assert t.loc[big, "saving_median"].notna().all()


def test_configurable_threshold(cleaned_sample):
    e = cleaned_sample.tables["enterprises"]
    e = e[e["round"] == 2010]
    t10 = disclosure.indicator_table(e, "province,sector", min_cell=10)
    t5 = disclosure.indicator_table(e, "province,sector", min_cell=5)
    assert t10["suppressed"].sum() > t5["suppressed"].sum()
    assert t10.loc[t10["n"] < 10, "suppressed"].all()


@pytest.mark.parametrize("levels", [["province"], ["unit2025"], ["region", "sector"]])
def test_real_tables_are_protected(cleaned_sample, levels):
    e = cleaned_sample.tables["enterprises"]
    raw = indicators.enterprise_indicators(e[e["round"] == 2010], levels)
    out = disclosure.protect(raw, levels)
    assert len(out) == len(raw)
    assert out.loc[(raw["n"] < 5).to_numpy(), "suppressed"].all()
