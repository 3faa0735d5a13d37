"""Build parameters (``parameters/build.yaml``), validated before anything runs.

A wrong value is refused with the file and the key named (``build.yaml: disclosure.min_cell: ...``),
never discovered halfway through a batch.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import paths
from .errors import SxshError

LANGUAGES = ("vi", "en")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Disclosure(_Strict):
    min_cell: int = Field(5, ge=1, le=1000)
    symbol: str = Field("◆", min_length=1, max_length=3)


class Indicators(_Strict):
    weighted: bool = False
    confidence: float = Field(0.95, gt=0.5, lt=1)
    at_risk_progress: float = Field(0.5, ge=0, le=1)


class Quality(_Strict):
    jump_pp: float = Field(25, gt=0, le=100)
    size_change: float = Field(0.5, gt=0)


class BuildConfig(_Strict):
    rounds: list[int] = Field(default_factory=lambda: [2010, 2012, 2014], min_length=1)
    report_round: int | None = None
    languages: list[Literal["vi", "en"]] = Field(default_factory=lambda: ["vi"], min_length=1)
    geography: Literal["2010", "2025"] = "2010"
    disclosure: Disclosure = Field(default_factory=Disclosure)
    indicators: Indicators = Field(default_factory=Indicators)
    quality: Quality = Field(default_factory=Quality)

    @field_validator("rounds")
    @classmethod
    def _years(cls, v: list[int]) -> list[int]:
        bad = [r for r in v if not 2000 <= r <= 2100]
        if bad:
            raise ValueError(f"not survey years: {bad}")
        return sorted(set(v))

    @property
    def baseline_round(self) -> int:
        return self.rounds[0]

    @property
    def headline_round(self) -> int:
        return self.report_round or self.rounds[-1]


def load_build_config(path: str | Path | None = None) -> BuildConfig:
    """Read and validate build parameters. Returns defaults when the file does not exist; refuses
    (SxshError naming the file and key) a file that is not valid."""
    path = Path(path) if path else paths.parameters_dir() / "build.yaml"
    if not path.is_file():
        return BuildConfig()
    return _parse(path, path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _parse(path: Path, text: str) -> BuildConfig:
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise SxshError(f"{path.name}: not valid YAML ({str(e).splitlines()[0]})") from None
    if not isinstance(doc, dict):
        raise SxshError(f"{path.name}: expected keys and values at the top level")
    try:
        cfg = BuildConfig(**doc)
    except ValidationError as e:
        err = e.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise SxshError(f"{path.name}: {key}: {err['msg']} (given: {err.get('input')!r})") from None
    if cfg.report_round is not None and cfg.report_round not in cfg.rounds:
        raise SxshError(
            f"{path.name}: report_round: {cfg.report_round} is not one of rounds {cfg.rounds}"
        )
    return cfg
