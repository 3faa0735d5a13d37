"""What notebooks call to get data: the cleaned tables, the cleaning log, reference data and the
province plan targets. The only code that reads data files for notebooks; it computes nothing.

Every function takes an optional ``data_dir`` (default: ``data/cleaned`` under the project root), so
a notebook parameter can point a report at another cleaned folder. Missing data is refused with a
message that says how to make it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from . import paths, reference
from .errors import SxshError

TABLE_FILES = {
    "enterprises": "enterprises.parquet",
    "doit": "doit.parquet",
    "programme": "programme.parquet",
}


def _dir(data_dir: str | Path | None) -> Path:
    d = Path(data_dir) if data_dir else paths.cleaned_dir()
    if not d.is_absolute():
        d = paths.project_root() / d  # relative to the project, never to the notebook's folder
    return d


@lru_cache(maxsize=16)
def _read_parquet(path: Path, mtime: float) -> pd.DataFrame:
    return pd.read_parquet(path)


def table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """A cleaned table (enterprises, doit, programme) as written by ``sxsh clean``; a fresh copy.
    Refuses (SxshError) a table that is not there."""
    if name not in TABLE_FILES:
        raise SxshError(f"unknown table '{name}' (tables: {', '.join(TABLE_FILES)})")
    path = _dir(data_dir) / TABLE_FILES[name]
    if not path.is_file():
        raise SxshError(
            f"no cleaned {name} table at {path}: run 'make data' (or 'sxsh clean FILE... --out DIR')"
        )
    return _read_parquet(path, path.stat().st_mtime).copy()


def rounds(data_dir: str | Path | None = None) -> list[int]:
    """The enterprise survey rounds present in the cleaned data, ascending."""
    return sorted(int(r) for r in table("enterprises", data_dir)["round"].unique())


def enterprises(
    rounds_: int | list[int] | None = None, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """Cleaned enterprise rows, of one round, several, or all (None). Refuses a round that is not in
    the data, naming the rounds that are."""
    df = table("enterprises", data_dir)
    if rounds_ is None:
        return df
    wanted = [rounds_] if isinstance(rounds_, int) else list(rounds_)
    have = set(int(r) for r in df["round"].unique())
    missing = [r for r in wanted if int(r) not in have]
    if missing:
        raise SxshError(
            f"round {', '.join(map(str, missing))} is not in the cleaned data "
            f"(rounds: {', '.join(map(str, sorted(have)))})"
        )
    return df[df["round"].isin(wanted)].reset_index(drop=True)


def doit(years: int | list[int] | None = None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Cleaned DoIT survey rows, of one year, several, or all (None)."""
    df = table("doit", data_dir)
    if years is None:
        return df
    wanted = [years] if isinstance(years, int) else list(years)
    return df[df["year"].isin(wanted)].reset_index(drop=True)


def programme(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Cleaned programme outputs, by year and level."""
    return table("programme", data_dir)


def cleaning_log(data_dir: str | Path | None = None) -> dict:
    """The cleaning log written by ``sxsh clean`` (per file: rows read, cleaned, corrected, held)."""
    path = _dir(data_dir) / "cleaning_log.json"
    if not path.is_file():
        raise SxshError(f"no cleaning log at {path}: run 'make data'")
    return json.loads(path.read_text(encoding="utf-8"))


def quarantine(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The quarantined rows (reason, problem, source file and row). Identifiers stay masked."""
    path = _dir(data_dir) / "quarantine.csv"
    if not path.is_file():
        raise SxshError(f"no quarantine file at {path}: run 'make data'")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def is_sample(data_dir: str | Path | None = None) -> bool:
    """True when any cleaned row comes from the calibrated sample: reports must say so."""
    return bool(cleaning_log(data_dir).get("sample", False))


def data_files(data_dir: str | Path | None = None) -> list[Path]:
    """The files of a cleaned-data folder, for provenance (hashes are taken by the caller)."""
    d = _dir(data_dir)
    return sorted(p for p in d.iterdir() if p.is_file()) if d.is_dir() else []


def province_targets(parameters_dir: str | Path | None = None) -> dict[str, dict]:
    """Province plan targets from ``parameters/province_targets.yaml``, by province code. Refuses a
    file that names an unknown province or indicator."""
    d = Path(parameters_dir) if parameters_dir else paths.parameters_dir()
    path = d / "province_targets.yaml"
    if not path.is_file():
        return {}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise SxshError(f"{path.name}: not valid YAML ({e})") from None
    codes = set(reference.provinces()["code"])
    indicators = set(reference.targets()["indicator"])
    out = {}
    for code, entry in doc.items():
        code = str(code).zfill(2)
        if code not in codes:
            raise SxshError(f"{path.name}: key '{code}': not a province code")
        for i, t in enumerate(entry.get("targets", []), start=1):
            if t.get("indicator") not in indicators:
                raise SxshError(
                    f"{path.name}: province {code}, target {i}: unknown indicator "
                    f"'{t.get('indicator')}' (known: {', '.join(sorted(indicators))})"
                )
        out[code] = entry
    return out


# reference data, so that notebooks import one module for everything they read
provinces = reference.provinces
units_2025 = reference.units_2025
regions = reference.regions
sectors = reference.sectors
targets = reference.targets
