"""Disclosure control: no published cell may identify an enterprise.

The rule (stated in every report's method section):

1. **Primary suppression.** Every statistic has a base, the enterprises it is computed from: the
   group's enterprises for counts and shares of awareness, application and savings met; the group's
   medium and large enterprises for the CP-unit share; the adopters reporting a figure for the mean and
   median saving. A statistic whose base holds at least one and fewer than ``min_cell`` enterprises
   (5 by default, ``parameters/build.yaml``) is suppressed.
2. **Complementary suppression.** Counts add up: a province's count is the region's total less the
   other provinces. So every published total is a constraint, and more cells are suppressed until no
   suppressed count can be worked out from the published totals of its table: checked exactly, by
   linear algebra (a suppressed cell is recoverable when its unit vector lies in the row space of the
   constraints restricted to the suppressed cells), not by a rule of thumb. The totals taken as
   published are those of the table itself: the national total of a one-level table, and in a crossed
   table (province x sector) the total of each line, that is its margins.

   Not covered: differencing *across* tables (a province recovered as its region's total, from the
   region table, less the other provinces of the region). With real survey sizes provinces hold far
   more than five enterprises, so province cells are rarely suppressed; a reader with several tables
   can still combine them, and the method section says so.
   Means and medians do not add up, so they need primary suppression only.

Suppressed values become missing (NaN) and the row's flag (``suppressed``, ``cp_unit_suppressed``,
``saving_suppressed``) is set; reports print the configured symbol and explain it in a footnote.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .indicators import LEVEL_ID, STABLE_COLUMNS

# the statistics whose base is the group's enterprises: the stable counts and shares, and one extra share
MAIN = [c for c in STABLE_COLUMNS if c not in ("n", "suppressed")] + ["saving_met_adopters_pct"]
CP_UNIT = ["cp_unit_n", "cp_unit_pct", "cp_unit_pct_lo", "cp_unit_pct_hi"]
SAVING = ["saving_mean", "saving_median"]


def lines(table: pd.DataFrame, levels: list[str]) -> list[np.ndarray]:
    """The groups of rows whose sum is a published total of the table: for each level, the rows that
    share every other level's value (all rows, in a one-level table). Only groups of two rows or more
    constrain anything."""
    ids = [LEVEL_ID[lv] for lv in levels if lv in LEVEL_ID]
    if not ids:
        return []
    frame = table[ids].astype(str)
    out = []
    for col in ids:
        others = [c for c in ids if c != col]
        groups = (
            frame.groupby(others, sort=False).indices.values()
            if others
            else [np.arange(len(frame))]
        )
        out.extend(np.asarray(g) for g in groups if len(g) > 1)
    return out


def recoverable(constraints: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Indices (into the table) of suppressed cells whose value follows from the constraints.

    ``constraints`` is lines x rows (1 where a row belongs to a line's total); ``suppressed`` a boolean
    mask of rows. A cell is recoverable when every vector of the null space of the constraints,
    restricted to the suppressed cells, is zero on it."""
    idx = np.flatnonzero(suppressed)
    if idx.size == 0 or constraints.size == 0:
        return np.array([], dtype=int)
    a = constraints[:, idx]
    a = a[a.any(axis=1)]
    if a.size == 0:
        return np.array([], dtype=int)
    _, s, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((s > 1e-9 * max(a.shape)).sum())
    null = vt[rank:].T  # suppressed cells x null-space dimension
    free = np.linalg.norm(null, axis=1) > 1e-9 if null.size else np.zeros(idx.size, dtype=bool)
    return idx[~free]


def pattern(table: pd.DataFrame, levels: list[str], base: pd.Series, min_cell: int) -> np.ndarray:
    """Which rows to suppress for a family of additive counts with base ``base``: primary cells, then
    complementary ones until no suppressed cell is recoverable. Returns a boolean mask."""
    b = base.fillna(0).to_numpy(dtype=float)
    sup = (b > 0) & (b < min_cell)
    if not sup.any():
        return sup
    groups = lines(table, levels)
    if not groups:
        return sup
    constraints = np.zeros((len(groups), len(table)))
    for i, g in enumerate(groups):
        constraints[i, g] = 1
    for _ in range(len(table) + 1):
        # cheap first, to a fixed point: a line with exactly one suppressed cell gives it away
        changed = True
        while changed:
            changed = False
            for g in groups:
                if sup[g].sum() == 1 and (~sup[g]).any():
                    sup[_smallest_open(g, sup, b)] = True
                    changed = True
        # then the exact check; every recoverable cell gets a partner in one of its lines
        cells = recoverable(constraints, sup)
        if cells.size == 0:
            return sup
        added = False
        for cell in cells:
            for g in groups:
                if cell in g and (~sup[g]).any():
                    sup[_smallest_open(g, sup, b)] = True
                    added = True
                    break
        if not added:  # nothing left to suppress beside them: the whole table is suppressed
            return sup
    return sup


def _smallest_open(group: np.ndarray, sup: np.ndarray, base: np.ndarray) -> int:
    """The unsuppressed row of ``group`` with the smallest base (the least information lost)."""
    open_rows = group[~sup[group]]
    return int(open_rows[np.argmin(base[open_rows])])  # argmin takes the first of ties


def protect(table: pd.DataFrame, levels: list[str], min_cell: int = 5) -> pd.DataFrame:
    """A copy of an indicator table (:func:`indicators.enterprise_indicators`) fit to publish:
    statistics suppressed as the module docstring says, flags set. ``levels`` are the table's levels."""
    t = table.copy().reset_index(drop=True)
    main = pattern(t, levels, t["n"], min_cell)
    cp = pattern(t, levels, t["ml_n"], min_cell) if "ml_n" in t else np.zeros(len(t), bool)
    sav = (
        ((t["saving_n"] > 0) & (t["saving_n"] < min_cell)).to_numpy()
        if "saving_n" in t
        else cp * False
    )
    for cols, mask, flag in (
        (MAIN, main, "suppressed"),
        (CP_UNIT, cp, "cp_unit_suppressed"),
        (SAVING, sav, "saving_suppressed"),
    ):
        present = [c for c in cols if c in t]
        for c in present:
            if pd.api.types.is_integer_dtype(t[c]):
                t[c] = t[c].astype("Int64")
            t.loc[mask, c] = pd.NA if str(t[c].dtype) == "Int64" else np.nan
        t[flag] = mask
    return t


def indicator_table(enterprises: pd.DataFrame, levels, min_cell: int = 5, **kw) -> pd.DataFrame:
    """The enterprise indicators of one round by ``levels``, protected: the form in which an indicator
    table leaves the package for a report or an export. Keyword arguments go to
    :func:`indicators.enterprise_indicators` (phase, weighted, confidence)."""
    from .indicators import enterprise_indicators, parse_levels

    lv = parse_levels(levels)
    return protect(enterprise_indicators(enterprises, lv, **kw), lv, min_cell)
