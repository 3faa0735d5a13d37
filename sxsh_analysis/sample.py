"""The calibrated sample: raw survey files that, once cleaned, reproduce every published figure.

SAMPLE DATA, NOT SURVEY DATA. Real microdata is not public. These files are built so that the workbook
runs out of the box and so that its tests can check the published 2010 figures (facts file, section 2)
end to end. Every row carries the ``Dữ liệu mẫu`` (sample) column, so reports built from it say so.

Built exactly, for any seed (the seed only moves which enterprise gets which value):

- round 2010: 9,050 enterprises (the published shares need 8,966 to 9,123), 2,509 aware, 1,031 applying,
  309 applying with a cut above 5% (none at exactly 5%); the ten published provinces over 50% aware
  and no other; the eight published sectors over 100 aware and no other; textile-garment and
  cement-brick-ceramics 84 adopters each, more than any other sector, 16 and 36 of them above 5%;
- rounds 2012 and 2014: the same panel with some exits and entries, plausible progress that stays
  below the 2015 targets (50% aware, 25% applying);
- DoIT survey 2010-2017: 20 provinces with a CP unit or plan by 2011; 41 focal points, 35 plans for
  2009-2015 and 22 for 2016-2020 by 2017; Đồng Nai's published figures, including a reported budget total
  (1,198,085,000 VND, as the source writes it in words) that its sources do not add up to;
- programme outputs 2010-2018 whose totals are the published ones (411 and 102 central assessments,
  2 central models, 335 local quick assessments and 88 local models, over 25,000 participants).

The raw files carry realistic mess so that cleaning is exercised on every build: spellings of facts
section 8 (NFD, old tone marks, no diacritics, prefixes, TCVN3, VNI, codes, English names), VSIC
codes for sectors, Vietnamese number formats, yes/no variants, exact duplicates, one conflicting pair,
impossible values (quarantined), and adopters recorded as unaware (corrected by a rule). Rows that
cleaning must quarantine are *extra* rows, so the published counts hold after cleaning.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import reference
from .text import TCVN3_TABLE, VNI_TABLE

DEFAULT_SEED = 1419
SAMPLE_MARK = "MẪU - SAMPLE"

# --- published 2010 figures (facts file, section 2) ---------------------------------------------
N_2010 = 9050
AWARE_2010 = 2509
APPLIED_2010 = 1031
SAVING_MET_2010 = 309
HIGH_AWARENESS = ["04", "19", "49", "44", "89", "83", "40", "10", "25", "92"]
# Sector plan for 2010: enterprises, aware, adopters, adopters above 5%. The eight published sectors
# have more than 100 aware; textile and cement have 84 adopters each and 16 and 36 above 5%.
SECTOR_PLAN_2010 = {
    "textile": (1050, 290, 84, 16),
    "agri_produce": (950, 250, 83, 25),
    "mining": (850, 220, 80, 22),
    "cement": (1000, 300, 84, 36),
    "seafood": (900, 250, 83, 24),
    "other_food": (1000, 260, 83, 25),
    "wood": (750, 200, 78, 20),
    "plastics": (570, 169, 75, 20),
    "paper": (300, 95, 62, 24),
    "chemicals": (330, 98, 68, 25),
    "beverages": (280, 90, 58, 20),
    "leather": (320, 92, 60, 16),
    "metals": (400, 99, 70, 22),
    "other": (350, 96, 63, 14),
}
# Relative size of each province's industry (enterprises surveyed), a rough picture of 2010.
PROVINCE_EXTRA = {
    "79": 900,
    "01": 700,
    "74": 380,
    "75": 360,
    "31": 260,
    "27": 210,
    "80": 190,
    "30": 170,
    "26": 150,
    "22": 140,
    "77": 140,
    "38": 130,
    "40": 110,
    "48": 120,
    "92": 90,
    "36": 100,
    "37": 70,
    "33": 90,
    "34": 80,
    "35": 60,
    "19": 60,
    "25": 60,
    "24": 70,
    "56": 60,
    "52": 60,
    "68": 50,
    "89": 60,
    "82": 60,
    "83": 40,
    "86": 50,
    "87": 50,
    "91": 60,
    "94": 40,
    "96": 40,
    "42": 40,
    "44": 30,
    "46": 50,
    "49": 60,
    "51": 50,
    "64": 40,
    "66": 50,
    "72": 60,
    "70": 40,
    "60": 50,
    "10": 20,
    "93": 30,
    "84": 30,
    "95": 30,
    "54": 30,
    "58": 30,
    "45": 30,
    "17": 30,
    "20": 30,
    "14": 20,
    "15": 30,
    "08": 30,
    "67": 20,
    "62": 20,
}
PROVINCE_BASE = 60
# Later rounds: awareness and application multipliers over 2010 (national 28% and 11% in 2010).
ROUND_PROGRESS = {2012: (1.27, 1.35), 2014: (1.52, 1.70)}
PANEL_STAY = 0.82
ROUND_SIZE = {2012: 9310, 2014: 9480}

VSIC_EXAMPLES = {
    "textile": ["13", "14", "1410", "1311"],
    "agri_produce": ["103", "1030", "106", "108"],
    "mining": ["05", "08", "0810", "07"],
    "cement": ["2392", "2393", "2394", "2395"],
    "seafood": ["102", "1020"],
    "other_food": ["101", "104", "107", "1071"],
    "wood": ["16", "31", "1610"],
    "plastics": ["22", "2220", "2211"],
    "paper": ["17", "1701"],
    "chemicals": ["20", "2012", "2022"],
    "beverages": ["11", "1103"],
    "leather": ["15", "1520"],
    "metals": ["24", "25", "28", "2592"],
    "other": ["32", "27", "26"],
}


@dataclass
class Sample:
    """The generated raw tables (as written), before any mess is added."""

    enterprises: dict[int, pd.DataFrame]
    doit: pd.DataFrame
    programme: pd.DataFrame


# --- small helpers ------------------------------------------------------------------------------
def _largest_remainder(
    weights: np.ndarray, total: int, cap: np.ndarray | None = None
) -> np.ndarray:
    """Integers proportional to ``weights`` that add up to ``total`` exactly (each <= cap)."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * total
    out = np.floor(raw).astype(int)
    if cap is not None:
        out = np.minimum(out, cap)
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    i = 0
    while out.sum() < total:
        j = order[i % len(order)]
        if cap is None or out[j] < cap[j]:
            out[j] += 1
        i += 1
        if i > 100 * len(order):
            raise ValueError("cannot place the total under the caps")
    return out


def _encode_tcvn3(s: str) -> str:
    inv = {v: k for k, v in TCVN3_TABLE.items()}
    return "".join(inv.get(ch, inv.get(ch.lower(), ch)) for ch in unicodedata.normalize("NFC", s))


def _encode_vni(s: str) -> str:
    inv = {v: k for k, v in VNI_TABLE.items()}
    return "".join(inv.get(ch, ch) for ch in unicodedata.normalize("NFC", s))


_OLD_TONES = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "ủy": "uỷ",
    "ùy": "uỳ",
    "úy": "uý",
}


def _old_tone(s: str) -> str:
    for new, old in _OLD_TONES.items():
        s = s.replace(new, old)
    return s


def _ascii(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def province_variants(code: str) -> list[str]:
    """Spellings of one province as survey files carry them (facts file, section 8)."""
    p = reference.provinces().set_index("code").loc[code]
    short, official = p["name_short"], p["name_official"]
    out = [
        unicodedata.normalize("NFD", short),
        _old_tone(short),
        _ascii(short),
        short.upper(),
        f"  {short} ",
        official,
        ("TP. " if official.startswith("Thành phố") else "Tỉnh ") + short,
        _encode_tcvn3(official),
        _encode_vni(short),
        str(int(code)),
        code,
        p["name_en"],
    ]
    if code == "79":
        out += ["TP.HCM", "Tp HCM", "Ho Chi Minh City", "T.P Hồ Chí Minh"]
    if code == "46":
        out += ["Thừa Thiên - Huế"]
    if code == "77":
        out += ["Bà Rịa – Vũng Tàu"]
    if code == "66":
        out += ["Đăk Lăk", "Đắc Lắc"]
    return out


def sector_variants(sector: str) -> list[str]:
    name = reference.sectors().set_index("code").loc[sector, "name_vi"]
    return [
        _old_tone(name),
        _ascii(name),
        name.upper(),
        name.replace(" - ", "-"),
        *VSIC_EXAMPLES[sector],
    ]


# --- round 2010, exact ----------------------------------------------------------------------------
def _province_plan(rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    """Enterprises and aware counts per province for 2010, exact totals and the over-50% ten."""
    codes = list(reference.provinces()["code"])
    w = np.array([PROVINCE_BASE + PROVINCE_EXTRA.get(c, 0) for c in codes], dtype=float)
    n = pd.Series(_largest_remainder(w, N_2010), index=codes)
    aware = pd.Series(0, index=codes)
    for c in HIGH_AWARENESS:
        rate = rng.uniform(0.52, 0.64)
        aware[c] = int(np.floor(rate * n[c])) + 1  # strictly over half
        assert aware[c] * 2 > n[c]
    rest = [c for c in codes if c not in HIGH_AWARENESS]
    propensity = rng.uniform(0.55, 1.45, len(rest))
    cap = np.floor(n[rest].to_numpy() * 0.47).astype(int)
    aware[rest] = _largest_remainder(n[rest].to_numpy() * propensity, AWARE_2010 - aware.sum(), cap)
    return n, aware


def _balance(cell_n: np.ndarray, cell_a: np.ndarray, col_target: np.ndarray, rng) -> np.ndarray:
    """Move aware counts between sectors inside provinces until every sector's total is its target;
    province totals never change. ``cell_*`` are province x sector."""
    a = cell_a.copy()
    for _ in range(100_000):
        diff = a.sum(axis=0) - col_target
        if not diff.any():
            return a
        plus = rng.choice(np.flatnonzero(diff > 0))
        minus = rng.choice(np.flatnonzero(diff < 0))
        rows = np.flatnonzero((a[:, plus] > 0) & (a[:, minus] < cell_n[:, minus]))
        if len(rows):
            r = rng.choice(rows)
            a[r, plus] -= 1
            a[r, minus] += 1
    raise RuntimeError("sample calibration did not converge")


def build_2010(rng: np.random.Generator) -> pd.DataFrame:
    """The 9,050 enterprises of round 2010, clean values (no mess yet)."""
    prov_n, prov_aware = _province_plan(rng)
    sectors = list(SECTOR_PLAN_2010)
    sec_n = np.array([SECTOR_PLAN_2010[s][0] for s in sectors])
    sec_aware = np.array([SECTOR_PLAN_2010[s][1] for s in sectors])
    assert sec_n.sum() == N_2010 and sec_aware.sum() == AWARE_2010
    labels = np.repeat(np.arange(len(sectors)), sec_n)
    rng.shuffle(labels)
    province = np.repeat(prov_n.index.to_numpy(), prov_n.to_numpy())
    pidx = np.repeat(np.arange(len(prov_n)), prov_n.to_numpy())
    cell_n = np.zeros((len(prov_n), len(sectors)), dtype=int)
    np.add.at(cell_n, (pidx, labels), 1)
    # start with each province's aware spread over its sectors in proportion, then balance sectors
    cell_a = np.zeros_like(cell_n)
    for i, total in enumerate(prov_aware.to_numpy()):
        cell_a[i] = _largest_remainder(cell_n[i] + 1e-9, int(total), cell_n[i])
    cell_a = _balance(cell_n, cell_a, sec_aware, rng)

    df = pd.DataFrame({"province": province, "sector_i": labels, "pidx": pidx})
    df["aware"] = False
    for (i, j), grp in df.groupby(["pidx", "sector_i"]).groups.items():
        k = cell_a[i, j]
        if k:
            df.loc[rng.choice(np.asarray(grp), k, replace=False), "aware"] = True
    df["sector"] = [sectors[j] for j in df["sector_i"]]
    df["applied"] = False
    df["saving_pct"] = np.nan
    for j, s in enumerate(sectors):
        _, _, adopters, met = SECTOR_PLAN_2010[s]
        pool = df.index[(df["sector_i"] == j) & df["aware"]]
        chosen = rng.choice(pool, adopters, replace=False)
        df.loc[chosen, "applied"] = True
        met_idx = chosen[:met]
        low_idx = chosen[met:]
        df.loc[met_idx, "saving_pct"] = np.round(rng.uniform(5.1, 12.0, len(met_idx)), 1)
        low = np.round(rng.uniform(0.5, 4.9, len(low_idx)), 1)
        low[rng.random(len(low_idx)) < 0.08] = np.nan  # some adopters report no figure
        df.loc[low_idx, "saving_pct"] = low
    df = df.drop(columns=["sector_i", "pidx"])
    df = _add_firm_traits(df, rng, 2010)
    df["enterprise_id"] = _tax_codes(rng, len(df))
    df["round"] = 2010
    return df.sample(frac=1.0, random_state=int(rng.integers(2**31))).reset_index(drop=True)


def _add_firm_traits(df: pd.DataFrame, rng, rnd: int) -> pd.DataFrame:
    n = len(df)
    size = rng.choice(["micro", "small", "medium", "large"], n, p=[0.24, 0.46, 0.18, 0.12])
    lo = {"micro": 1, "small": 11, "medium": 101, "large": 201}
    hi = {"micro": 10, "small": 100, "medium": 200, "large": 6000}
    emp = [
        int(rng.integers(lo[s], hi[s] + 1))
        if s != "large"
        else int(200 + rng.pareto(1.6) * 250) + 1
        for s in size
    ]
    df["size"] = size
    df["employees"] = emp
    df["ownership"] = rng.choice(["private", "state", "fdi"], n, p=[0.74, 0.08, 0.18])
    unit_rate = {2010: 0.10, 2012: 0.15, 2014: 0.21}[rnd]
    big = np.isin(size, ["medium", "large"])
    p = np.where(big, unit_rate, 0.02) * np.where(df["applied"], 2.2, 0.8)
    df["cp_unit"] = rng.random(n) < p
    return df


def _tax_codes(rng, n: int, taken: set[str] | None = None) -> list[str]:
    taken = set(taken or ())
    out = []
    while len(out) < n:
        code = f"{int(rng.integers(100_000_000, 999_999_999)):010d}"
        if code not in taken:
            taken.add(code)
            out.append(code)
    return out


# --- later rounds ---------------------------------------------------------------------------------
def build_later(prev: pd.DataFrame, base: pd.DataFrame, rnd: int, rng) -> pd.DataFrame:
    """Round ``rnd``: most of ``prev`` stays (same identifiers), new enterprises join; awareness and
    application rise by province, below the 2015 targets."""
    stay = prev[rng.random(len(prev)) < PANEL_STAY].copy()
    new_n = ROUND_SIZE[rnd] - len(stay)
    new = base.sample(new_n, replace=True, random_state=int(rng.integers(2**31)))[
        ["province", "sector"]
    ].reset_index(drop=True)
    new["enterprise_id"] = _tax_codes(rng, new_n, set(prev["enterprise_id"]))
    df = pd.concat([stay[["province", "sector", "enterprise_id"]], new], ignore_index=True)
    a_mult, p_mult = ROUND_PROGRESS[rnd]
    prov_rate = base.groupby("province")["aware"].mean()
    sec_app = base[base["aware"]].groupby("sector")["applied"].mean()
    aware_p = np.clip(prov_rate.reindex(df["province"]).to_numpy() * a_mult, 0.03, 0.9)
    df["aware"] = rng.random(len(df)) < aware_p
    app_p = np.clip(sec_app.reindex(df["sector"]).to_numpy() * p_mult / a_mult, 0.05, 0.95)
    df["applied"] = df["aware"] & (rng.random(len(df)) < app_p)
    met_share = {2012: 0.36, 2014: 0.43}[rnd]
    met = rng.random(len(df)) < met_share
    df["saving_pct"] = np.where(
        df["applied"],
        np.where(
            met,
            np.round(rng.uniform(5.1, 13.0, len(df)), 1),
            np.round(rng.uniform(0.5, 4.9, len(df)), 1),
        ),
        np.nan,
    )
    df = _add_firm_traits(df, rng, rnd)
    df["round"] = rnd
    return df.sample(frac=1.0, random_state=int(rng.integers(2**31))).reset_index(drop=True)


# --- DoIT survey ----------------------------------------------------------------------------------
DONG_NAI_BUDGET = {
    2011: (90_000_000, 0),
    2013: (0, 79_000_000),
    2014: (0, 587_000_000),
    2015: (0, 520_000_000),
}
DONG_NAI_REPORTED_TOTAL = (
    1_198_085_000  # the source's total in words; its sources add to 1,276,000,000
)
DONG_NAI_ACTIVITY = {  # year: trainings, participants, quick assessments, detailed assessments
    2010: (1, 160, 0, 0),
    2011: (2, 73, 3, 3),
    2013: (2, 500, 0, 0),
    2014: (0, 100, 0, 5),
}
LOCAL_QUICK_TOTAL, LOCAL_MODELS_TOTAL = 335, 88


def build_doit(rng: np.random.Generator) -> pd.DataFrame:
    """DoIT rows 2010-2017 for the 63 provinces (a few province-years not reported)."""
    codes = list(reference.provinces()["code"])
    years = list(range(2010, 2018))
    others = [c for c in codes if c not in ("75", "91")]
    order = list(rng.permutation(others))
    early = order[:19]  # with Đồng Nai: 20 provinces with a unit or plan by 2011
    later_focal = order[19:39]  # with Kiên Giang: 21 more focal points by 2017 (41)
    focal_year = {c: int(rng.choice([2010, 2011])) for c in early}
    focal_year.update({c: int(rng.integers(2012, 2018)) for c in later_focal})
    focal_year["75"], focal_year["91"] = 2012, 2013
    plan15 = {c: max(2010, focal_year[c] + int(rng.integers(0, 2))) for c in early}
    plan15 = {c: min(y, 2011) for c, y in plan15.items()}
    plan15["75"], plan15["91"] = 2011, 2013
    # 14 of the later focal points issue a 2009-2015 plan too (20 + 14 + Kiên Giang = 35), between
    # 2012 and 2015: never by 2011, which would change the count of 20
    later_plan = sorted(later_focal, key=lambda c: (focal_year[c], c))[:14]
    plan15.update(
        {c: int(np.clip(focal_year[c] + rng.integers(-1, 2), 2012, 2015)) for c in later_plan}
    )
    focal_sorted = sorted(focal_year, key=lambda c: (focal_year[c], c))
    plan20_set = [c for c in focal_sorted if c not in ("75", "91")][:21]
    plan20 = {c: int(rng.integers(2016, 2018)) for c in plan20_set}
    plan20["91"] = 2013
    staff_level = {c: int(rng.integers(1, 5)) for c in codes}
    rows = []
    active = [c for c in focal_year if c != "75"]
    quick_alloc = _spread(
        rng, active, years, LOCAL_QUICK_TOTAL - 3, start={c: focal_year[c] for c in active}
    )
    models_alloc = _spread(
        rng, active, years, LOCAL_MODELS_TOTAL, start={c: max(2013, focal_year[c]) for c in active}
    )
    for c in codes:
        for y in years:
            has_focal = c in focal_year and y >= focal_year[c]
            staff = staff_level[c] if has_focal else int(rng.random() < 0.15)
            if c == "75":
                staff = 4 if y >= 2012 else 0
            central, local = 0, 0
            if c == "75":
                central, local = DONG_NAI_BUDGET.get(y, (0, 0))
                tr, part, qa, da = DONG_NAI_ACTIVITY.get(y, (0, 0, 0, 0))
                models = 0
            else:
                if y <= 2012 and has_focal and rng.random() < 0.6:
                    central = int(rng.integers(4, 20)) * 10_000_000
                if has_focal and y >= 2012:
                    local = int(rng.integers(5, 60)) * 10_000_000
                tr = int(rng.integers(1, 5)) if has_focal else int(rng.random() < 0.25)
                part = tr * int(rng.integers(30, 90))
                qa = quick_alloc.get((c, y), 0)
                da = int(qa > 0 and rng.random() < 0.3)
                models = models_alloc.get((c, y), 0)
            total = None
            if c == "75" and y == 2015:
                total = DONG_NAI_REPORTED_TOTAL
            elif rng.random() < 0.5:
                total = central + local
            rows.append(
                {
                    "year": y,
                    "province": c,
                    "focal_unit": has_focal,
                    "plan_2015": c in plan15 and y >= plan15[c],
                    "plan_2020": c in plan20 and y >= plan20[c],
                    "cp_staff": staff,
                    "budget_central": central,
                    "budget_local": local,
                    "budget_other": 0,
                    "budget_total": total,
                    "trainings": tr,
                    "participants": part,
                    "quick_assessments": qa,
                    "detailed_assessments": da,
                    "models": models,
                }
            )
    df = pd.DataFrame(rows)
    # three province-years were never reported (never Đồng Nai or Kiên Giang, never a year with
    # assessments or models, so the local totals still hold)
    cand = df[
        (~df["province"].isin(["75", "91"]))
        & (df["quick_assessments"] == 0)
        & (df["models"] == 0)
        & (df["year"].isin([2013, 2016]))
    ]
    drop = rng.choice(cand.index, 3, replace=False)
    return df.drop(index=drop).reset_index(drop=True)


def _spread(rng, provinces, years, total, start) -> dict[tuple[str, int], int]:
    """``total`` units spread over (province, year) cells from each province's start year."""
    cells = [(c, y) for c in provinces for y in years if y >= start[c]]
    w = rng.gamma(0.6, 1.0, len(cells))
    counts = _largest_remainder(w, total)
    return {cell: int(k) for cell, k in zip(cells, counts) if k}


# --- programme outputs ---------------------------------------------------------------------------
PROGRAMME_SOURCE = (
    "SAMPLE. Totals to 2018 as published by MoIT (round table of 6 Jul 2018); 2010-2011 figures "
    "from the MoIT report on the strategy to 2010; the split by year is illustrative."
)


def build_programme(doit: pd.DataFrame) -> pd.DataFrame:
    """Programme outputs by year and level; central totals are the published ones, local totals
    are the DoIT survey's."""
    central = {
        # year: workshops, trainings, participants, guidelines, quick, detailed, models, funding
        2010: (6, 20, 1500, 11, 72, 30, 0, None),
        2011: (10, 74, 4000, 4, 150, 30, 0, 10_000_000_000),
        2012: (8, 40, 3500, 1, 60, 12, 0, None),
        2013: (8, 36, 3200, 1, 40, 10, 0, None),
        2014: (7, 34, 3000, 1, 30, 8, 0, None),
        2015: (7, 33, 3000, 1, 25, 5, 0, None),
        2016: (6, 30, 2600, 1, 14, 3, 1, None),
        2017: (6, 28, 2500, 1, 10, 2, 0, None),
        2018: (5, 25, 2200, 0, 10, 2, 1, None),
    }
    rows = []
    for y, (w, t, p, g, q, d, m, f) in central.items():
        rows.append(
            {
                "year": y,
                "level": "central",
                "workshops": w,
                "trainings": t,
                "participants": p,
                "guidelines": g,
                "quick_assessments": q,
                "detailed_assessments": d,
                "models": m,
                "funding": f,
                "source": PROGRAMME_SOURCE,
            }
        )
    local = doit.groupby("year")[
        ["trainings", "participants", "quick_assessments", "detailed_assessments", "models"]
    ].sum()
    for y in range(2010, 2019):
        r = local.loc[y] if y in local.index else pd.Series(0, index=local.columns)
        rows.append(
            {
                "year": y,
                "level": "local",
                "workshops": None,
                "trainings": int(r["trainings"]),
                "participants": int(r["participants"]),
                "guidelines": None,
                "quick_assessments": int(r["quick_assessments"]),
                "detailed_assessments": int(r["detailed_assessments"]),
                "models": int(r["models"]),
                "funding": None,
                "source": PROGRAMME_SOURCE,
            }
        )
    return pd.DataFrame(rows)


# --- mess and writing --------------------------------------------------------------------------
def _yes_no(v: bool, rng, style: str) -> str:
    if style == "x":
        return "x" if v else ""
    if style == "10":
        return "1" if v else "0"
    if style == "tf":
        return "TRUE" if v else "FALSE"
    if style == "en":
        return "yes" if v else "no"
    return "Có" if v else "Không"


def _fmt_employees(n: int, rng) -> str:
    if n >= 1000 and rng.random() < 0.7:
        return f"{n:,}".replace(",", ".")
    return str(n)


def _fmt_saving(v: float, rng) -> str:
    if np.isnan(v):
        return ""
    r = rng.random()
    if r < 0.55:
        return f"{v:.1f}".replace(".", ",")
    if r < 0.75:
        return f"{v:g}%"
    return f"{v:g}"


def enterprise_raw(df: pd.DataFrame, rng, mess: float = 0.04) -> pd.DataFrame:
    """The raw survey rows of one round: Vietnamese spellings, a share ``mess`` of rows in the
    variants of facts section 8, duplicates and impossible extra rows."""
    provinces = reference.provinces().set_index("code")
    sectors = reference.sectors().set_index("code")
    n = len(df)
    yn_style = rng.choice(["vi", "x", "10", "tf", "en"], n, p=[0.9, 0.04, 0.03, 0.015, 0.015])
    size_vi = {"micro": "Siêu nhỏ", "small": "Nhỏ", "medium": "Vừa", "large": "Lớn"}
    own_vi = {"private": "Ngoài nhà nước", "state": "Nhà nước", "fdi": "FDI"}
    prov_txt, sec_txt = [], []
    for code, sector in zip(df["province"], df["sector"]):
        if rng.random() < mess:
            prov_txt.append(str(rng.choice(province_variants(code))))
        else:
            prov_txt.append(provinces.loc[code, "name_short"])
        if rng.random() < mess:
            sec_txt.append(str(rng.choice(sector_variants(sector))))
        else:
            sec_txt.append(sectors.loc[sector, "name_vi"])
    aware = df["aware"].to_numpy().copy()
    # adopters recorded as unaware: the applied_implies_aware rule restores them
    adopters = np.flatnonzero(df["applied"].to_numpy())
    flip = rng.choice(adopters, min(20, len(adopters)), replace=False)
    aware[flip] = False
    saving = df["saving_pct"].to_numpy().copy()
    # a few non-adopters report a saving: the saving_without_application rule clears it
    non = np.flatnonzero(~df["applied"].to_numpy())
    stray = rng.choice(non, 6, replace=False)
    saving[stray] = np.round(rng.uniform(1, 4, len(stray)), 1)
    raw = pd.DataFrame(
        {
            "round": df["round"].astype(str),
            "enterprise_id": df["enterprise_id"],
            "enterprise_name": [f"Công ty mẫu {i:05d}" for i in range(1, n + 1)],
            "province": prov_txt,
            "sector": sec_txt,
            "size": [size_vi[s] for s in df["size"]],
            "ownership": [own_vi[o] for o in df["ownership"]],
            "employees": [_fmt_employees(int(e), rng) for e in df["employees"]],
            "aware": [_yes_no(bool(v), rng, s) for v, s in zip(aware, yn_style)],
            "applied": [_yes_no(bool(v), rng, s) for v, s in zip(df["applied"], yn_style)],
            "cp_unit": [_yes_no(bool(v), rng, s) for v, s in zip(df["cp_unit"], yn_style)],
            "saving_pct": [_fmt_saving(v, rng) for v in saving],
            "sample": SAMPLE_MARK,
        }
    )
    rnd = int(df["round"].iloc[0])
    bad = _bad_rows(raw, rng, rnd)
    dups = raw.iloc[rng.choice(n, max(3, n // 250), replace=False)]
    # copies and bad rows land among the others, not at the end; whichever of two exact copies
    # comes first is kept, and both carry the same values, so the counts do not depend on the order
    out = pd.concat([raw, bad, dups], ignore_index=True)
    return out.iloc[rng.permutation(len(out))].reset_index(drop=True)


def _bad_rows(raw: pd.DataFrame, rng, rnd: int) -> pd.DataFrame:
    """Extra rows that cleaning must quarantine, one kind each (never part of the published counts)."""
    tpl = raw.iloc[rng.choice(len(raw), 12, replace=False)].copy().reset_index(drop=True)
    ids = _tax_codes(rng, 12, set(raw["enterprise_id"]))
    tpl["enterprise_id"] = ids
    tpl.loc[0, "saving_pct"], tpl.loc[0, "applied"], tpl.loc[0, "aware"] = "150", "Có", "Có"
    tpl.loc[1, "employees"] = "-5"
    tpl.loc[2, "province"] = "Hà Tây"  # merged into Hà Nội in 2008: unknown in this survey
    tpl.loc[3, "sector"] = "Dịch vụ"  # services: not a surveyed industry
    tpl.loc[4, "province"] = "Quảng"  # ambiguous
    tpl.loc[5, "round"] = f"15/03/{rnd}"  # a date where a year belongs
    tpl.loc[6, "employees"] = "khoảng 50"
    tpl.loc[7, "aware"] = "có lẽ"  # "maybe": not yes/no
    tpl.loc[8, "enterprise_id"] = ""
    tpl.loc[9, "size"] = "rất lớn"
    # a conflicting pair: the same enterprise twice with different answers
    tpl.loc[11, "enterprise_id"] = tpl.loc[10, "enterprise_id"]
    tpl.loc[11, "employees"] = str(int(str(tpl.loc[10, "employees"]).replace(".", "")) + 7)
    return tpl


HEADERS_VI = {
    t: {s["column"]: s["header_vi"] for s in reference.column_specs(t)}
    for t in ("enterprises", "doit", "programme")
}


def _vi_headers(df: pd.DataFrame, table: str) -> pd.DataFrame:
    return df.rename(columns=HEADERS_VI[table])


def _fmt_vnd(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return f"{int(v):,}".replace(",", ".")


def doit_raw(df: pd.DataFrame, rng) -> pd.DataFrame:
    provinces = reference.provinces().set_index("code")
    out = pd.DataFrame(
        {
            "year": df["year"].astype(str),
            "province": [
                str(rng.choice(province_variants(c)))
                if rng.random() < 0.05
                else provinces.loc[c, "name_official"]
                for c in df["province"]
            ],
            **{
                k: ["Có" if v else "Không" for v in df[k]]
                for k in ("focal_unit", "plan_2015", "plan_2020")
            },
            "cp_staff": df["cp_staff"].astype(str),
            **{
                k: [_fmt_vnd(v) for v in df[k]]
                for k in ("budget_central", "budget_local", "budget_other")
            },
            "budget_total": [_fmt_vnd(v) for v in df["budget_total"]],
            **{
                k: df[k].astype(str)
                for k in (
                    "trainings",
                    "participants",
                    "quick_assessments",
                    "detailed_assessments",
                    "models",
                )
            },
            "sample": SAMPLE_MARK,
        }
    )
    dup = out.iloc[[int(rng.integers(len(out)))]]
    return pd.concat([out, dup], ignore_index=True)


def programme_raw(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["level"] = out["level"].map({"central": "Trung ương", "local": "Địa phương"})
    for k in [
        m for m in reference.programme_measures() if m != "funding"
    ]:  # funding: in dong, below
        out[k] = [
            ("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(int(v)))
            for v in out[k]
        ]
    out["funding"] = [_fmt_vnd(v) for v in out["funding"]]
    out["sample"] = SAMPLE_MARK
    return out


def build(seed: int = DEFAULT_SEED) -> Sample:
    """Build the sample's clean tables (before mess). Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    e2010 = build_2010(rng)
    e2012 = build_later(e2010, e2010, 2012, rng)
    e2014 = build_later(e2012, e2010, 2014, rng)
    doit = build_doit(rng)
    programme = build_programme(doit)
    return Sample({2010: e2010, 2012: e2012, 2014: e2014}, doit, programme)


FILES = {
    "enterprises_2010": "enterprises_2010.csv",
    "enterprises_2012": "enterprises_2012.xlsx",
    "enterprises_2014": "enterprises_2014.csv",
    "doit": "doit_2010_2017.xlsx",
    "programme": "programme_outputs.csv",
}


def write(out_dir: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the sample's raw files into ``out_dir`` (created if missing). Returns their paths.

    Formats vary as real deliveries do: round 2010 as UTF-8 CSV with a byte-order mark and
    Vietnamese headers; 2012 as XLSX with a title above the header and a notes sheet; 2014 as a
    semicolon-separated CSV with canonical headers; DoIT as XLSX; programme outputs as CSV."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    s = build(seed)
    rng = np.random.default_rng(seed + 1)
    raw = {r: enterprise_raw(df, rng) for r, df in s.enterprises.items()}
    paths = []
    p = out_dir / FILES["enterprises_2010"]
    _vi_headers(raw[2010], "enterprises").to_csv(p, index=False, encoding="utf-8-sig")
    paths.append(p)
    p = out_dir / FILES["enterprises_2012"]
    _write_xlsx(
        p,
        _vi_headers(raw[2012], "enterprises"),
        title="ĐIỀU TRA SẢN XUẤT SẠCH HƠN 2012 - DỮ LIỆU MẪU (SAMPLE DATA)",
        notes=[
            "Dữ liệu mẫu do sxsh-workbook tạo ra, không phải số liệu điều tra thật.",
            "Sample data generated by sxsh-workbook; not real survey data.",
        ],
    )
    paths.append(p)
    p = out_dir / FILES["enterprises_2014"]
    raw[2014].to_csv(p, index=False, sep=";", encoding="utf-8")
    paths.append(p)
    p = out_dir / FILES["doit"]
    _write_xlsx(
        p,
        _vi_headers(doit_raw(s.doit, rng), "doit"),
        title="KHẢO SÁT SỞ CÔNG THƯƠNG 2010-2017 - DỮ LIỆU MẪU (SAMPLE DATA)",
    )
    paths.append(p)
    p = out_dir / FILES["programme"]
    programme_raw(s.programme).to_csv(p, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
    paths.append(p)
    (out_dir / "README.txt").write_text(
        "DỮ LIỆU MẪU - SAMPLE DATA\n\n"
        "Các tệp này do lệnh `sxsh sample` tạo ra (seed "
        f"{seed}). Chúng tái hiện các số liệu đã công bố năm 2010 nhưng không phải số liệu điều tra thật.\n"
        "These files were generated by `sxsh sample` (seed "
        f"{seed}). They reproduce the published 2010 figures but are not real survey data.\n",
        encoding="utf-8",
    )
    return paths


def _write_xlsx(path: Path, df: pd.DataFrame, title: str, notes: list[str] | None = None) -> None:
    """Write ``df`` under a merged title row and a blank row (header on row 3), with fixed document
    dates so the same seed gives the same bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(8, len(df.columns)))
    ws.append([])
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    if notes:
        ns = wb.create_sheet("Ghi chú")
        for line in notes:
            ns.append([line])
    wb.properties.created = dt.datetime(2026, 1, 1)
    wb.properties.creator = "sxsh-workbook sample"
    wb.properties.title = "SAMPLE DATA"
    wb.save(path)
    _fix_zip_stamps(path)


def _fix_zip_stamps(path: Path) -> None:
    """Rewrite an XLSX with fixed entry times and modification date: openpyxl stamps the time of
    saving, and the same seed must give the same bytes (reports are rebuilt when data bytes change)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data
                )
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
