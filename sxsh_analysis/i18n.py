"""Labels, headings, narrative and number formats in Vietnamese (the default) and English.

Strings live in ``locales/vi.yaml`` and ``locales/en.yaml`` under the same keys; a test checks that both
files have every key. Notebooks never hold report text: they call :func:`t` through the report module.
Numbers are formatted with Babel by locale: vi "1.031" and "28,0 %", en "1,031" and "28.0%".
"""

from __future__ import annotations

import math
from functools import cache

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal

from . import reference
from .errors import SxshError
from .paths import PACKAGE_DIR

LANGS = ("vi", "en")
_LOCALE = {"vi": "vi_VN", "en": "en_GB"}


@cache
def strings(lang: str) -> dict:
    """Every string of one language, as nested dicts from its YAML file."""
    if lang not in LANGS:
        raise SxshError(f"unknown language '{lang}' (languages: {', '.join(LANGS)})")
    return yaml.safe_load((PACKAGE_DIR / "locales" / f"{lang}.yaml").read_text(encoding="utf-8"))


def t(lang: str, key: str, **kw) -> str:
    """The string at dotted ``key`` in ``lang``, with ``{placeholders}`` filled from ``kw``. Refuses
    (KeyError naming the key and language) a key the file does not have."""
    node = strings(lang)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no string '{key}' in locales/{lang}.yaml")
        node = node[part]
    return str(node).format(**kw) if kw else str(node)


def is_missing(x) -> bool:
    return (
        x is None
        or (isinstance(x, float) and math.isnan(x))
        or (hasattr(x, "__class__") and str(x) == "<NA>")
    )


def num(x, lang: str, digits: int = 0) -> str:
    """A number in the language's format: vi 1.031 / 28,0; en 1,031 / 28.0. Missing values give ""."""
    if is_missing(x):
        return ""
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(float(x) if digits else round(float(x)), format=fmt, locale=_LOCALE[lang])


def pct(x, lang: str, digits: int = 1) -> str:
    """A percentage (0-100) in the language's format: vi "28,0 %", en "28.0%". Missing gives ""."""
    if is_missing(x):
        return ""
    return num(x, lang, digits) + ("\u00a0%" if lang == "vi" else "%")


def vnd(x, lang: str) -> str:
    """An amount in dong: vi "1.276.000.000 đ", en "VND 1,276,000,000"."""
    if is_missing(x):
        return ""
    return f"{num(x, lang)}\u00a0đ" if lang == "vi" else f"VND\u00a0{num(x, lang)}"


def date(d, lang: str) -> str:
    return format_date(d, format="long", locale=_LOCALE[lang])


@cache
def _names(kind: str, lang: str) -> dict[str, str]:
    """Code to printed name for one kind of reference entity, in one language (built once: report
    tables ask for dozens of names)."""
    table, vi_col, en_col = {
        "province": (reference.provinces, "name_short", "name_en"),
        "unit": (reference.units_2025, "name_short", "name_en"),
        "region": (reference.regions, "name_vi", "name_en"),
        "sector": (reference.sectors, "name_vi", "name_en"),
    }[kind]
    df = table()
    return dict(zip(df["code"], df[vi_col if lang == "vi" else en_col]))


def province_name(code: str, lang: str) -> str:
    return _names("province", lang)[code]


def unit_name(code: str, lang: str) -> str:
    return _names("unit", lang)[code]


def region_name(code: str, lang: str) -> str:
    return _names("region", lang)[code]


def sector_name(code: str, lang: str) -> str:
    return _names("sector", lang)[code]
