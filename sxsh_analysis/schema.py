"""Pandera schemas of the cleaned tables. Cleaning checks its output against them before writing:
a failure here is a bug in the cleaner, never a user's mistake, and stops the write."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa

from . import reference
from .errors import SxshError


@cache
def schemas() -> dict[str, pa.DataFrameSchema]:
    provinces = list(reference.provinces()["code"])
    sectors = list(reference.sectors()["code"])
    meta = {
        "is_sample": pa.Column(bool),
        "source_file": pa.Column("string"),
        "source_row": pa.Column("int64", pa.Check.ge(1)),
    }

    def count(hi=None, nullable=True):
        checks = [pa.Check.ge(0)] + ([pa.Check.le(hi)] if hi is not None else [])
        return pa.Column("Int64", checks, nullable=nullable)

    year = pa.Column("int16", [pa.Check.ge(2000), pa.Check.le(2100)])
    enterprises = pa.DataFrameSchema(
        {
            "round": year,
            "enterprise_key": pa.Column("string", pa.Check.str_matches(r"^[0-9a-f]{16}$")),
            "province_code": pa.Column("string", pa.Check.isin(provinces)),
            "sector": pa.Column("string", pa.Check.isin(sectors)),
            "size": pa.Column(
                "string", pa.Check.isin(["micro", "small", "medium", "large"]), nullable=True
            ),
            "ownership": pa.Column(
                "string", pa.Check.isin(["state", "private", "fdi"]), nullable=True
            ),
            "employees": count(),
            "aware": pa.Column("boolean"),
            "applied": pa.Column("boolean"),
            "cp_unit": pa.Column("boolean"),
            "saving_pct": pa.Column("Float64", [pa.Check.ge(0), pa.Check.le(100)], nullable=True),
            "weight": pa.Column("Float64", pa.Check.gt(0), nullable=True),
            **meta,
        },
        checks=[
            pa.Check(lambda df: ~(df["applied"] & ~df["aware"]), error="applied implies aware"),
            pa.Check(
                lambda df: df["saving_pct"].isna() | df["applied"], error="saving only for adopters"
            ),
        ],
        unique=["round", "enterprise_key"],
        strict=True,
        ordered=True,
    )
    doit = pa.DataFrameSchema(
        {
            "year": year,
            "province_code": pa.Column("string", pa.Check.isin(provinces)),
            "focal_unit": pa.Column("boolean"),
            "plan_2015": pa.Column("boolean"),
            "plan_2020": pa.Column("boolean"),
            "cp_staff": count(),
            "budget_central": count(),
            "budget_local": count(),
            "budget_other": count(),
            "budget_total": count(),
            "trainings": count(),
            "participants": count(),
            "quick_assessments": count(),
            "detailed_assessments": count(),
            "models": count(),
            **meta,
        },
        unique=["year", "province_code"],
        strict=True,
        ordered=True,
    )
    programme = pa.DataFrameSchema(
        {
            "year": year,
            "level": pa.Column("string", pa.Check.isin(["central", "local", "total"])),
            "workshops": count(),
            "trainings": count(),
            "participants": count(),
            "guidelines": count(),
            "quick_assessments": count(),
            "detailed_assessments": count(),
            "models": count(),
            "funding": count(),
            "source": pa.Column("string"),
            **meta,
        },
        unique=["year", "level"],
        strict=True,
        ordered=True,
    )
    return {"enterprises": enterprises, "doit": doit, "programme": programme}


def validate_cleaned(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Check a cleaned table against its schema. Returns it unchanged; refuses (SxshError) with the
    failing checks otherwise."""
    try:
        return schemas()[table].validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        cases = e.failure_cases.head(10).to_string(index=False)
        raise SxshError(
            f"cleaned {table} table fails its schema (a cleaner bug):\n{cases}"
        ) from None
