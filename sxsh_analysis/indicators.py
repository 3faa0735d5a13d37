"""Indicators against the strategy's targets: definitions, breakdowns, intervals, gaps and status.

Pure functions: cleaned tables in, tables out; nothing here reads a file or formats for print.
Percentages are numbers from 0 to 100. Every definition names its target (facts file, section 1;
``reference/targets.csv``) and its exact numerator and denominator. Unweighted shares are the default,
because the published figures are unweighted.

Enterprise survey (one round at a time):

- **awareness** (target 50% by 2015, 90% by 2020): ``aware_n / n``; ``n`` is every surveyed enterprise
  of the group, ``aware_n`` those aware of CP at any level.
- **application** (25% by 2015, 50% by 2020): ``applied_n / n``.
- **saving met, share of all** (the published "309 (3%)"): ``saving_met_n / n``; ``saving_met_n`` counts
  adopters whose cut per unit of product is at least the phase threshold (5% in the 2015 phase, 8% in the
  2020 phase: the low end of the target range).
- **saving met, share of adopters**: ``saving_met_n / applied_n``.
- **saving** (5-8% by 2015, 8-13% by 2020): mean and median cut among adopters that report one
  (``saving_n``); the status rule uses the median.
- **CP unit** (90% by 2020): ``cp_unit_n / ml_n``; ``ml_n`` counts medium and large enterprises,
  ``cp_unit_n`` those of them with a dedicated CP unit.

DoIT survey (one row per province per year; the denominator is the provinces that reported that year):
shares with a focal unit, a 2009-2015 plan, a 2016-2020 plan, dedicated CP staff (``cp_staff > 0``; the
**doit_staff** target, 70% by 2015 and 90% by 2020); budgets by source; trainings, participants,
assessments, models.

Intervals: 95% Wilson score intervals for unweighted shares. With ``weighted=True`` shares are ratio
estimates ``sum(w*y)/sum(w)`` with Taylor-linearised variance for a stratified (by province) single-stage
design, sampled with replacement. Hand code, stated reason: it is the textbook formula in a dozen lines,
and no well-kept library offering it (samplics) was shown to work with pandas 3 here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from . import reference
from .errors import SxshError

LEVELS = ("national", "region", "province", "unit2025", "sector", "size", "ownership")
# the columns each level adds to a table, in order
LEVEL_KEYS = {
    "national": [],
    "region": ["region"],
    "province": ["province_code", "province"],
    "unit2025": ["unit2025_code", "unit2025"],
    "sector": ["sector"],
    "size": ["size"],
    "ownership": ["ownership"],
}
# the column that identifies a group at each level (the others are labels of it)
LEVEL_ID = {
    "region": "region",
    "province": "province_code",
    "unit2025": "unit2025_code",
    "sector": "sector",
    "size": "size",
    "ownership": "ownership",
}
STABLE_COLUMNS = [
    "n",
    "aware_n",
    "aware_pct",
    "aware_pct_lo",
    "aware_pct_hi",
    "applied_n",
    "applied_pct",
    "applied_pct_lo",
    "applied_pct_hi",
    "saving_met_n",
    "saving_met_pct",
    "suppressed",
]
EXTRA_COLUMNS = [
    "saving_threshold",
    "saving_met_adopters_pct",
    "saving_n",
    "saving_mean",
    "saving_median",
    "ml_n",
    "cp_unit_n",
    "cp_unit_pct",
    "cp_unit_pct_lo",
    "cp_unit_pct_hi",
    "cp_unit_suppressed",
    "saving_suppressed",
    "round",
    "weighted",
]
MEDIUM_LARGE = ("medium", "large")


def phase_of(year: int) -> int:
    """The strategy phase a year belongs to: 2015 (2009-2015) or 2020 (2016-2020 and later)."""
    return 2015 if year <= 2015 else 2020


def saving_threshold(phase: int) -> float:
    """The saving a phase asks of adopters: the low end of its target range (5 for 2015, 8 for 2020)."""
    t = reference.targets()
    row = t[(t["indicator"] == "saving") & (t["phase"] == phase)]
    if row.empty:
        raise SxshError(f"no saving target for phase {phase}")
    return float(row["value"].iloc[0])


def parse_levels(spec: str | list[str]) -> list[str]:
    """``"province,sector"`` -> ``["province", "sector"]``. Refuses unknown levels and ``national``
    combined with others."""
    levels = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else list(spec)
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels:
        raise SxshError(
            f"unknown level {', '.join(bad) or '(none)'}: use {', '.join(LEVELS)} or a comma list"
        )
    if "national" in levels and len(levels) > 1:
        raise SxshError("'national' cannot be combined with other levels")
    if len(set(levels)) != len(levels):
        raise SxshError(f"a level is given twice: {spec}")
    return levels


def with_geography(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (with ``province_code``) plus ``province``, ``region``, ``unit2025_code``, ``unit2025``."""
    p = reference.provinces().set_index("code")
    u = reference.units_2025().set_index("code")
    out = df.copy()
    codes = out["province_code"].astype(str)
    out["province"] = codes.map(p["name_short"])
    out["region"] = codes.map(p["region"])
    out["unit2025_code"] = codes.map(p["unit2025"])
    out["unit2025"] = out["unit2025_code"].map(u["name_short"])
    return out


def wilson(count, nobs, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for count/nobs, as percentages (NaN where nobs is 0)."""
    count = np.asarray(count, dtype=float)
    nobs = np.asarray(nobs, dtype=float)
    lo = np.full(count.shape, np.nan)
    hi = np.full(count.shape, np.nan)
    ok = nobs > 0
    if ok.any():
        a, b = proportion_confint(count[ok], nobs[ok], alpha=1 - confidence, method="wilson")
        lo[ok], hi[ok] = np.asarray(a) * 100, np.asarray(b) * 100
    return lo, hi


def weighted_share(
    df: pd.DataFrame,
    group: np.ndarray,
    y: str,
    weight: str = "weight",
    strata: str = "province_code",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Weighted share of ``y`` (boolean) per group with a linearised interval, in percent.

    Returns one row per group id (index): ``pct``, ``lo``, ``hi``. Rows without a weight are refused
    (SxshError): a weighted estimate needs every row's weight."""
    w = df[weight].astype(float).to_numpy()
    if np.isnan(w).any():
        raise SxshError("weighted estimates need a weight on every row; some rows have none")
    yv = df[y].astype(float).to_numpy()
    frame = pd.DataFrame({"g": group, "h": df[strata].to_numpy(), "w": w, "wy": w * yv, "y": yv})
    tot = frame.groupby("g")[["w", "wy"]].sum()
    p = tot["wy"] / tot["w"]
    frame["z"] = frame["w"] * (frame["y"] - frame["g"].map(p)) / frame["g"].map(tot["w"])
    gh = frame.groupby(["g", "h"])["z"]
    n_h = gh.transform("size")
    dev2 = (frame["z"] - gh.transform("mean")) ** 2
    # a stratum with one unit contributes nothing (its variance cannot be estimated)
    frame["c"] = np.where(n_h > 1, dev2 * n_h / (n_h - 1).clip(lower=1), 0.0)
    var = frame.groupby("g")["c"].sum()
    zq = norm.ppf(0.5 + confidence / 2)
    se = np.sqrt(var)
    return pd.DataFrame(
        {"pct": p * 100, "lo": (p - zq * se).clip(0, 1) * 100, "hi": (p + zq * se).clip(0, 1) * 100}
    )


def _codes(series: pd.Series, categories: list[str]) -> np.ndarray:
    """Integer codes of ``series`` against ``categories`` (missing or unknown: len(categories))."""
    c = pd.Categorical(series, categories=categories).codes.astype(np.int64)
    c[c < 0] = len(categories)
    return c


def _level_keys(
    d: pd.DataFrame, level: str, province_codes: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One level as integer codes per row, and the label arrays of its output columns, indexed by code
    (the last label, NaN, stands for a missing value)."""
    p = reference.provinces()
    u = reference.units_2025().set_index("code")
    nan = np.array([np.nan], dtype=object)
    if level in ("province", "region", "unit2025"):
        if level == "province":
            return province_codes, {
                "province_code": np.concatenate([p["code"].to_numpy(object), nan]),
                "province": np.concatenate([p["name_short"].to_numpy(object), nan]),
            }
        col = "region" if level == "region" else "unit2025"
        cats = sorted(p[col].unique())
        of_province = np.append(_codes(p[col], cats), len(cats))  # province code -> level code
        codes = of_province[province_codes]
        labels = np.concatenate([np.array(cats, dtype=object), nan])
        if level == "region":
            return codes, {"region": labels}
        names = np.array([u.loc[c, "name_short"] for c in cats] + [np.nan], dtype=object)
        return codes, {"unit2025_code": labels, "unit2025": names}
    cats = {
        "sector": list(reference.sectors()["code"]),
        "size": ["micro", "small", "medium", "large"],
        "ownership": ["state", "private", "fdi"],
    }[level]
    return _codes(d[level], cats), {level: np.concatenate([np.array(cats, dtype=object), nan])}


def enterprise_indicators(
    df: pd.DataFrame,
    levels: str | list[str] = "national",
    phase: int | None = None,
    weighted: bool = False,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The enterprise indicators of one round, by ``levels`` (see :data:`LEVELS`; a list crosses them).

    Returns one row per group that has enterprises, sorted by the group keys: the keys, then
    :data:`STABLE_COLUMNS` and :data:`EXTRA_COLUMNS`. Nothing is suppressed here (``suppressed`` is
    False): tables leave the package through :func:`disclosure.protect`. Refuses a frame holding several
    rounds (SxshError)."""
    levels = parse_levels(levels)
    if df.empty:
        raise SxshError("no enterprises to compute indicators on")
    rounds = df["round"].unique()
    if len(rounds) != 1:
        raise SxshError(f"indicators are computed one round at a time (got {sorted(rounds)})")
    rnd = int(rounds[0])
    phase = phase or phase_of(rnd)
    thr = saving_threshold(phase)
    # keys as small integers combined into one group id: a million rows group in milliseconds
    province_codes = _codes(df["province_code"], list(reference.provinces()["code"]))
    gid = np.zeros(len(df), dtype=np.int64)
    dims, label_sets = [], []
    for lv in levels:
        if lv == "national":
            continue
        codes, labels = _level_keys(df, lv, province_codes)
        size = len(next(iter(labels.values())))
        gid = gid * size + codes
        dims.append(size)
        label_sets.append(labels)
    ngroups = int(np.prod(dims)) if dims else 1

    aware = df["aware"].to_numpy(dtype=bool, na_value=False)
    applied = df["applied"].to_numpy(dtype=bool, na_value=False)
    saving = df["saving_pct"].to_numpy(dtype=float, na_value=np.nan)
    ml = df["size"].isin(MEDIUM_LARGE).to_numpy(dtype=bool, na_value=False)
    cp = df["cp_unit"].to_numpy(dtype=bool, na_value=False)
    has_saving = applied & ~np.isnan(saving)

    def count(mask=None) -> np.ndarray:
        return np.bincount(
            gid, weights=None if mask is None else mask.astype(np.float64), minlength=ngroups
        )

    n = count()
    observed = np.flatnonzero(n > 0)
    out = pd.DataFrame()
    if dims:
        parts = np.unravel_index(observed, dims)
        for codes, labels in zip(parts, label_sets):
            for col, arr in labels.items():
                out[col] = arr[codes]
    out["n"] = n[observed].astype(np.int64)
    sums = {
        "aware_n": aware,
        "applied_n": applied,
        "saving_met_n": applied & (np.nan_to_num(saving, nan=-1.0) >= thr),
        "saving_n": has_saving,
        "ml_n": ml,
        "cp_unit_n": ml & cp,
    }
    for col, mask in sums.items():
        out[col] = count(mask)[observed].astype(np.int64)
    sav_sum = np.bincount(gid[has_saving], weights=saving[has_saving], minlength=ngroups)[observed]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["saving_mean"] = np.where(out["saving_n"] > 0, sav_sum / out["saving_n"], np.nan)
    med = pd.Series(saving[has_saving]).groupby(gid[has_saving]).median()
    out["saving_median"] = med.reindex(observed).to_numpy()

    nn = out["n"].to_numpy()
    for name in ("aware", "applied"):
        cnt = out[f"{name}_n"].to_numpy()
        out[f"{name}_pct"] = 100 * cnt / nn
        out[f"{name}_pct_lo"], out[f"{name}_pct_hi"] = wilson(cnt, nn, confidence)
    out["saving_met_pct"] = 100 * out["saving_met_n"] / nn
    out["saving_met_adopters_pct"] = np.where(
        out["applied_n"] > 0, 100 * out["saving_met_n"] / out["applied_n"].clip(lower=1), np.nan
    )
    out["cp_unit_pct"] = np.where(
        out["ml_n"] > 0, 100 * out["cp_unit_n"] / out["ml_n"].clip(lower=1), np.nan
    )
    out["cp_unit_pct_lo"], out["cp_unit_pct_hi"] = wilson(out["cp_unit_n"], out["ml_n"], confidence)
    if weighted:
        strata = df[["province_code", "weight"]].copy()
        for name in ("aware", "applied"):
            strata["y"] = aware if name == "aware" else applied
            ws = weighted_share(strata, gid, "y", confidence=confidence).reindex(observed)
            out[f"{name}_pct"] = ws["pct"].to_numpy()
            out[f"{name}_pct_lo"] = ws["lo"].to_numpy()
            out[f"{name}_pct_hi"] = ws["hi"].to_numpy()
    out["saving_threshold"] = thr
    out["suppressed"] = False
    out["cp_unit_suppressed"] = False
    out["saving_suppressed"] = False
    out["round"] = rnd
    out["weighted"] = weighted
    keys = [k for lv in levels for k in LEVEL_KEYS[lv]]
    return out[keys + STABLE_COLUMNS + EXTRA_COLUMNS].reset_index(drop=True)


def trend(df: pd.DataFrame, levels: str | list[str] = "national", **kw) -> pd.DataFrame:
    """:func:`enterprise_indicators` for every round in ``df``, stacked (``round`` column), oldest first."""
    parts = [enterprise_indicators(g, levels, **kw) for _, g in df.groupby("round", sort=True)]
    if not parts:
        raise SxshError("no enterprises to compute a trend on")
    return pd.concat(parts, ignore_index=True)


# --- gaps and status --------------------------------------------------------------------------------
ENTERPRISE_VALUE = {
    "awareness": "aware_pct",
    "application": "applied_pct",
    "saving": "saving_median",
    "cp_unit": "cp_unit_pct",
}
INTERVAL = {
    "awareness": ("aware_pct_lo", "aware_pct_hi"),
    "application": ("applied_pct_lo", "applied_pct_hi"),
    "cp_unit": ("cp_unit_pct_lo", "cp_unit_pct_hi"),
}


@dataclass(frozen=True)
class Status:
    """Where an indicator stands against one target."""

    indicator: str
    phase: int
    target: float
    value: float
    year: int
    path_value: float  # where the straight path from the baseline stands at ``year``
    gap: float  # target - value, percentage points (positive: still to go)
    status: str  # baseline | on_track | at_risk | off_track | achieved | no_data


def status_of(
    value: float,
    year: int,
    baseline: float,
    baseline_year: int,
    target: float,
    target_year: int,
    upper: float | None = None,
    at_risk_progress: float = 0.5,
) -> str:
    """The status rule (documented in the methodology):

    - ``no_data`` when the value (or the baseline) is missing;
    - ``baseline`` in the baseline year itself;
    - from the target year on: ``achieved`` at or above the target, else ``off_track``;
    - before it: ``on_track`` at or above the straight path from the baseline to the target at that
      year; ``at_risk`` below the path but with at least ``at_risk_progress`` of the progress the path asks
      for made, or with the interval's upper bound reaching the path; ``off_track`` otherwise.
    """
    if value is None or baseline is None or np.isnan(value) or np.isnan(baseline):
        return "no_data"
    if year <= baseline_year:
        return "baseline"
    if year >= target_year:
        return "achieved" if value >= target else "off_track"
    path = baseline + (target - baseline) * (year - baseline_year) / (target_year - baseline_year)
    if value >= path:
        return "on_track"
    needed = path - baseline
    made = value - baseline
    if (needed > 0 and made >= at_risk_progress * needed) or (upper is not None and upper >= path):
        return "at_risk"
    return "off_track"


def targets_for(
    province_code: str | None = None, province_targets: dict | None = None
) -> pd.DataFrame:
    """The targets that apply: the national ones, with a province's own plan targets replacing those of
    the same indicator and phase (``parameters/province_targets.yaml``). Adds a ``source`` column."""
    t = reference.targets()
    t["scope"] = "national"
    if province_code and province_targets and province_code in province_targets:
        entry = province_targets[province_code]
        for own in entry.get("targets", []):
            mask = (t["indicator"] == own["indicator"]) & (t["phase"] == int(own["phase"]))
            row = {
                "indicator": own["indicator"],
                "phase": int(own["phase"]),
                "target_year": int(own["phase"]),
                "baseline_year": 2010,
                "value": float(own["value"]),
                "value_high": float(own["value_high"])
                if own.get("value_high") is not None
                else np.nan,
                "unit": t.loc[mask, "unit"].iloc[0] if mask.any() else "",
                "label_vi": own.get("label_vi", ""),
                "label_en": own.get("label_en", ""),
                "source": entry.get("source", ""),
                "scope": "province",
            }
            t = pd.concat([t[~mask], pd.DataFrame([row])], ignore_index=True)
    return t.sort_values(["indicator", "phase"]).reset_index(drop=True)


def gaps(
    trend_table: pd.DataFrame,
    targets: pd.DataFrame,
    at_risk_progress: float = 0.5,
    baseline_round: int | None = None,
) -> pd.DataFrame:
    """Gap and status of each enterprise indicator with a target, for every round of a one-group trend
    (the output of :func:`trend` at one level for one group, e.g. national).

    Returns: indicator, phase, target, target_high, round, value, lo, hi, path_value, gap, status,
    target_scope. The baseline is the value in ``baseline_round`` (default: the first round)."""
    if trend_table["round"].duplicated().any():
        raise SxshError("gaps() takes one group's trend: filter to one province or level first")
    tt = trend_table.sort_values("round").set_index("round")
    base_round = baseline_round or int(tt.index.min())
    rows = []
    for t in targets.itertuples(index=False):
        col = ENTERPRISE_VALUE.get(t.indicator)
        if col is None:
            continue
        base = float(tt[col].get(base_round, np.nan)) if base_round in tt.index else np.nan
        for rnd, r in tt.iterrows():
            value = float(r[col]) if pd.notna(r[col]) else np.nan
            lo_col, hi_col = INTERVAL.get(t.indicator, (None, None))
            lo = float(r[lo_col]) if lo_col and pd.notna(r[lo_col]) else np.nan
            hi = float(r[hi_col]) if hi_col and pd.notna(r[hi_col]) else np.nan
            span = t.target_year - base_round
            path = base + (t.value - base) * (rnd - base_round) / span if span > 0 else np.nan
            rows.append(
                {
                    "indicator": t.indicator,
                    "phase": t.phase,
                    "target": t.value,
                    "target_high": t.value_high,
                    "round": int(rnd),
                    "value": value,
                    "lo": lo,
                    "hi": hi,
                    "path_value": path,
                    "gap": t.value - value,
                    "status": status_of(
                        value,
                        int(rnd),
                        base,
                        base_round,
                        t.value,
                        t.target_year,
                        None if np.isnan(hi) else hi,
                        at_risk_progress,
                    ),
                    "target_scope": getattr(t, "scope", "national"),
                }
            )
    return pd.DataFrame(rows)


# --- DoIT survey ----------------------------------------------------------------------------------
DOIT_SHARES = {
    "focal_unit": "focal_unit",
    "plan_2015": "plan_2015",
    "plan_2020": "plan_2020",
    "doit_staff": "has_staff",
}
DOIT_SUMS = [
    "budget_central",
    "budget_local",
    "budget_other",
    "trainings",
    "participants",
    "quick_assessments",
    "detailed_assessments",
    "models",
]


def doit_indicators(doit: pd.DataFrame, by: str = "year", confidence: float = 0.95) -> pd.DataFrame:
    """DoIT capacity by year (``by="year"``) or by year and region (``"year,region"``).

    Returns per group: ``provinces`` (that reported), ``<share>_n``, ``<share>_pct`` with Wilson
    intervals for focal_unit, plan_2015, plan_2020 and doit_staff (``cp_staff > 0``), ``cp_staff``
    (sum), budget sums by source and in total (``budget_sources``), and sums of trainings, participants,
    assessments and models."""
    d = with_geography(doit)
    d["has_staff"] = d["cp_staff"].fillna(0) > 0
    keys = [k.strip() for k in by.split(",")]
    g = d.groupby(keys, sort=True)
    out = g.size().rename("provinces").to_frame()
    for name, col in DOIT_SHARES.items():
        out[f"{name}_n"] = g[col].sum().astype("int64")
    out["cp_staff"] = g["cp_staff"].sum(min_count=1)
    for col in DOIT_SUMS:
        out[col] = g[col].sum(min_count=1)
    out["budget_sources"] = (
        out[["budget_central", "budget_local", "budget_other"]].fillna(0).sum(axis=1)
    )
    out = out.reset_index()
    for name in DOIT_SHARES:
        out[f"{name}_pct"] = 100 * out[f"{name}_n"] / out["provinces"]
        out[f"{name}_pct_lo"], out[f"{name}_pct_hi"] = wilson(
            out[f"{name}_n"], out["provinces"], confidence
        )
    return out


def doit_status(doit_by_year: pd.DataFrame, at_risk_progress: float = 0.5) -> pd.DataFrame:
    """Gap and status of the doit_staff target (70% by 2015, 90% by 2020) for each year, from
    :func:`doit_indicators` by year; the first year is the baseline."""
    t = reference.targets()
    t = t[t["indicator"] == "doit_staff"]
    tt = doit_by_year.sort_values("year").set_index("year")
    base_year = int(tt.index.min())
    base = float(tt["doit_staff_pct"].iloc[0])
    rows = []
    for tr in t.itertuples(index=False):
        for year, r in tt.iterrows():
            v = float(r["doit_staff_pct"])
            rows.append(
                {
                    "indicator": "doit_staff",
                    "phase": tr.phase,
                    "target": tr.value,
                    "year": int(year),
                    "value": v,
                    "gap": tr.value - v,
                    "status": status_of(
                        v,
                        int(year),
                        base,
                        base_year,
                        tr.value,
                        tr.target_year,
                        float(r["doit_staff_pct_hi"]),
                        at_risk_progress,
                    ),
                }
            )
    return pd.DataFrame(rows)


# --- programme outputs ------------------------------------------------------------------------------
def programme_cumulative(programme: pd.DataFrame) -> pd.DataFrame:
    """Programme outputs summed over levels by year, and cumulated: one row per year with
    ``<measure>`` (that year) and ``<measure>_cum`` (to that year), for each measure."""
    measures = reference.programme_measures()
    p = (
        programme[programme["level"] != "total"]
        if (programme["level"] != "total").any()
        else programme
    )
    by_year = p.groupby("year", sort=True)[measures].sum(min_count=1)
    cum = by_year.fillna(0).cumsum().add_suffix("_cum")
    return by_year.join(cum).reset_index()


def programme_vs_published(programme: pd.DataFrame) -> pd.DataFrame:
    """Cumulative programme outputs against the figures published for the component projects
    (``reference/published_outputs.csv``): one row per published figure with the data's own total
    to the same year and level, and whether it agrees (``meets``: at or above an "over" figure,
    equal to an exact one, within 10% of an "about" one)."""
    pub = reference.published_outputs()
    rows = []
    for r in pub.itertuples(index=False):
        sel = programme[(programme["year"] <= r.year)]
        if r.level != "all":
            sel = sel[sel["level"] == r.level]
        value = float(sel[r.measure].sum(min_count=1)) if r.measure in sel else np.nan
        if r.qualifier == "over":
            meets = value > r.value
        elif r.qualifier == "about":
            meets = abs(value - r.value) <= 0.1 * r.value
        else:
            meets = value == r.value
        rows.append(
            {
                **r._asdict(),
                "data_value": value,
                "meets": bool(meets) if not np.isnan(value) else False,
            }
        )
    return pd.DataFrame(rows)
