"""Reference data: provinces, 2025 units, regions, sectors, VSIC rules, targets, vocabulary, columns.

All of it lives in CSV files in ``sxsh_analysis/reference/`` (from the facts file); this module only
reads them. Codes are two-character strings ("01", "75"), never numbers. Each function returns a fresh
copy, so a caller may change what it gets.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from .paths import REFERENCE_DIR


@cache
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False)


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def provinces() -> pd.DataFrame:
    """The 63 provinces of 2004-2025: code, name_official, name_short, name_en, region, unit2025.
    Ordered by code."""
    return _read("provinces.csv").copy()


def units_2025() -> pd.DataFrame:
    """The 34 units of 2025: code, name_official, name_short, name_en, status, seat."""
    return _read("units_2025.csv").copy()


def regions() -> pd.DataFrame:
    """The six socio-economic regions: code, name_vi, name_en, order."""
    df = _read("regions.csv").copy()
    df["order"] = df["order"].astype(int)
    return df


def sectors() -> pd.DataFrame:
    """The sector groups of the CP surveys: code, name_vi, name_en, order."""
    df = _read("sectors.csv").copy()
    df["order"] = df["order"].astype(int)
    return df


def sector_vsic() -> pd.DataFrame:
    """VSIC prefix (2 to 4 digits) to sector code. The longest matching prefix wins."""
    return _read("sector_vsic.csv").copy()


def targets() -> pd.DataFrame:
    """The strategy's targets: indicator, phase, target_year, baseline_year, value, value_high, ...

    ``value`` and ``value_high`` are percentages (floats); ``value_high`` is NaN unless the target is a
    range (the saving targets, 5-8% and 8-13%)."""
    df = _read("targets.csv").copy()
    for col in ("phase", "target_year", "baseline_year"):
        df[col] = df[col].astype(int)
    for col in ("value", "value_high"):
        df[col] = pd.to_numeric(df[col].replace("", None))
    return df


def columns(table: str | None = None) -> pd.DataFrame:
    """The data dictionary: table, column, header_vi, kind, required, blank, min, max, description."""
    df = _read("columns.csv").copy()
    return df if table is None else df[df["table"] == table].reset_index(drop=True)


def column_specs(table: str) -> tuple[dict[str, str], ...]:
    """The data dictionary rows of one table, as dicts, in file order."""
    return tuple(r for r in _rows("columns.csv") if r["table"] == table)


def programme_measures() -> list[str]:
    """The counted outputs of the programme table (whole numbers and amounts), in dictionary order."""
    return [r["column"] for r in column_specs("programme") if r["kind"] in ("integer", "money")]


def tables() -> tuple[str, ...]:
    """The survey tables the workbook reads: enterprises, doit, programme."""
    return tuple(dict.fromkeys(r["table"] for r in _rows("columns.csv")))


def vocabulary(field: str) -> dict[str, str]:
    """Spelling variant to canonical value for a coded field (yesno, size, ownership, level)."""
    return {r["variant"]: r["value"] for r in _rows("vocabulary.csv") if r["field"] == field}


def province_aliases() -> tuple[tuple[str, str], ...]:
    """Extra spellings (code, alias) beyond the official, short and English names."""
    return tuple((r["code"], r["alias"]) for r in _rows("province_aliases.csv"))


def sector_aliases() -> tuple[tuple[str, str], ...]:
    """Extra spellings (sector code, alias) beyond the Vietnamese and English group names."""
    return tuple((r["sector"], r["alias"]) for r in _rows("sector_aliases.csv"))


def province_names() -> dict[str, str]:
    """Province code to the short name to print ("75" -> "Đồng Nai")."""
    return dict(zip(provinces()["code"], provinces()["name_short"]))


def crosswalk_2025() -> dict[str, str]:
    """Old province code to the code of the 2025 unit it belongs to."""
    df = provinces()
    return dict(zip(df["code"], df["unit2025"]))


def published_outputs() -> pd.DataFrame:
    """Programme outputs published for the component projects: project (1-5), measure, level
    (central/local/all), year (cumulative to), value, qualifier (exact/over/about), labels, source."""
    df = _read("published_outputs.csv").copy()
    df["project"] = df["project"].astype(int)
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    return df


def tiles() -> pd.DataFrame:
    """Tile-map positions: code, row, col (one square per province, placed roughly where it lies),
    abbr (a three- or four-letter label)."""
    df = _read("tiles.csv").copy()
    df["row"] = df["row"].astype(int)
    df["col"] = df["col"].astype(int)
    return df
