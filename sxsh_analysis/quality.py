"""Reconciliation and data-quality flags: totals against components, implausible jumps between
rounds, provinces missing from a round or year, files with many quarantined rows.

Each check returns rows of one table (see :data:`COLUMNS`); :func:`flags` runs them all. Reports show
the table in their data-quality section; nothing here changes the data.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import reference
from .indicators import enterprise_indicators

COLUMNS = ["check", "severity", "table", "province_code", "province", "period", "message"]


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return reference.province_names()


def _row(check, severity, table, code, period, message) -> dict:
    names = _names()
    return {
        "check": check,
        "severity": severity,
        "table": table,
        "province_code": code,
        "province": names.get(code, "") if code else "",
        "period": period,
        "message": message,
    }


def _vnd(x: float) -> str:
    return f"{int(x):,}".replace(",", ".") + " đ"


def budget_reconciliation(doit: pd.DataFrame) -> list[dict]:
    """A reported ``budget_total`` must equal the sum of that year's sources, or the sum of the
    province's sources up to that year (some DoITs report the period's total). Anything else is flagged,
    with both sums in the message (Đồng Nai 2015: 1.198.085.000 đ against 520.000.000 đ and
    1.276.000.000 đ)."""
    out = []
    d = doit.sort_values(["province_code", "year"]).copy()
    src = (
        d[["budget_central", "budget_local", "budget_other"]]
        .astype("Float64")
        .fillna(0)
        .sum(axis=1)
    )
    d["row_sum"] = src.astype(float)
    d["cum_sum"] = d.groupby("province_code")["row_sum"].cumsum()
    for r in d[d["budget_total"].notna()].itertuples(index=False):
        total = float(r.budget_total)
        if total in (r.row_sum, r.cum_sum):
            continue
        out.append(
            _row(
                "budget_total_mismatch",
                "warning",
                "doit",
                r.province_code,
                int(r.year),
                f"reported total {_vnd(total)} matches neither the year's sources ({_vnd(r.row_sum)}) "
                f"nor the sources to date ({_vnd(r.cum_sum)})",
            )
        )
    return out


def missing_provinces(
    enterprises: pd.DataFrame | None, doit: pd.DataFrame | None, codes: list[str] | None = None
) -> list[dict]:
    """Provinces (of ``codes``; default all 63) with no enterprise in a survey round, or no DoIT row
    in a year."""
    codes = list(codes) if codes is not None else list(reference.provinces()["code"])
    checks = (
        (enterprises, "round", "warning", "enterprises", "no enterprise surveyed in round {}"),
        (doit, "year", "info", "doit", "no DoIT report for {}"),
    )
    out = []
    for frame, period, severity, table, message in checks:
        if frame is None or not len(frame):
            continue
        for value, g in frame.groupby(period):
            for c in sorted(set(codes) - set(g["province_code"])):
                out.append(
                    _row("province_missing", severity, table, c, int(value), message.format(value))
                )
    return out


def round_jumps(
    enterprises: pd.DataFrame, jump_pp: float = 25, size_change: float = 0.5, min_n: int = 20
) -> list[dict]:
    """Between consecutive rounds, per province: a share that moves by more than ``jump_pp`` points,
    or a number surveyed that changes by more than ``size_change`` (a share). Provinces with fewer
    than ``min_n`` enterprises in either round are not judged (their shares move by chance)."""
    out = []
    rounds = sorted(enterprises["round"].unique())
    tables = {
        r: enterprise_indicators(enterprises[enterprises["round"] == r], "province").set_index(
            "province_code"
        )
        for r in rounds
    }
    for a, b in zip(rounds, rounds[1:]):
        ta, tb = tables[a], tables[b]
        for code in sorted(set(ta.index) & set(tb.index)):
            na, nb = ta.loc[code, "n"], tb.loc[code, "n"]
            if min(na, nb) < min_n:
                continue
            if abs(nb - na) > size_change * na:
                out.append(
                    _row(
                        "surveyed_jump",
                        "info",
                        "enterprises",
                        code,
                        f"{a}-{b}",
                        f"enterprises surveyed went from {na} to {nb}",
                    )
                )
            for col, label in (("aware_pct", "awareness"), ("applied_pct", "application")):
                delta = tb.loc[code, col] - ta.loc[code, col]
                if abs(delta) > jump_pp:
                    out.append(
                        _row(
                            "share_jump",
                            "warning",
                            "enterprises",
                            code,
                            f"{a}-{b}",
                            f"{label} moved {delta:+.1f} points ({ta.loc[code, col]:.1f}% to "
                            f"{tb.loc[code, col]:.1f}%)",
                        )
                    )
    return out


def quarantine_share(cleaning_log: dict | None, threshold: float = 0.05) -> list[dict]:
    """Files where more than ``threshold`` of the rows read were quarantined."""
    out = []
    for f in (cleaning_log or {}).get("files", []):
        read = f["rows_read"]
        if read and f["rows_quarantined"] / read > threshold:
            out.append(
                _row(
                    "high_quarantine",
                    "warning",
                    f["table"],
                    "",
                    f["source"],
                    f"{f['rows_quarantined']} of {read} rows quarantined "
                    f"({100 * f['rows_quarantined'] / read:.1f}%)",
                )
            )
    return out


def flags(
    enterprises: pd.DataFrame | None = None,
    doit: pd.DataFrame | None = None,
    cleaning_log: dict | None = None,
    jump_pp: float = 25,
    size_change: float = 0.5,
    provinces: list[str] | None = None,
) -> pd.DataFrame:
    """Every data-quality flag, warnings first; ``provinces`` restricts the check of missing
    provinces to those codes. Returns a table with :data:`COLUMNS` (empty if clean)."""
    rows: list[dict] = []
    if doit is not None and len(doit):
        rows += budget_reconciliation(doit)
    rows += missing_provinces(enterprises, doit, provinces)
    if enterprises is not None and enterprises["round"].nunique() > 1:
        rows += round_jumps(enterprises, jump_pp, size_change)
    rows += quarantine_share(cleaning_log)
    df = pd.DataFrame(rows, columns=COLUMNS)
    order = {"warning": 0, "info": 1}
    df["_o"] = df["severity"].map(order).fillna(2)
    df["period"] = df["period"].astype(str)
    return (
        df.sort_values(["_o", "check", "province_code", "period"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
