"""Any spelling of a province or a sector to its code, or a refusal with the closest candidates.

The resolver never guesses. A value resolves when, after folding (:func:`text.fold`: Unicode form,
tone marks, case, spaces and dashes, prefixes such as "Tỉnh"/"TP."/"Thành phố"), it equals exactly one
known spelling: an official, short or English name, an alias from the reference files, or a code.
Legacy-font readings (TCVN3, VNI) are tried only when the text itself matches nothing, and only a
reading that resolves to a single code is taken. Anything else is refused: several names start with
what was given ("Quảng") or nothing is close enough.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from . import reference
from .text import compact, fold, legacy_candidates

_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp|t p|thanhpho)\s+|^(tp|t p)(?=[a-z])")
_PROVINCE_SUFFIX = re.compile(r"\s+(city|province)$")
_DIGITS = re.compile(r"^\d+(\.0+)?$")


@dataclass(frozen=True)
class Resolution:
    """The outcome of one lookup. ``code`` is None when refused; then ``problem`` says why and
    ``suggestions`` holds the closest codes (best first). ``how`` says which spelling matched
    ("code", "name", or "TCVN3"/"VNI" for a legacy-font reading)."""

    value: str
    code: str | None
    how: str = ""
    problem: str = ""
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.code is not None


class Resolver:
    """Resolves spellings of one kind of entity (``kind``: "province" or "sector")."""

    def __init__(
        self,
        kind: str,
        spellings: list[tuple[str, str]],
        labels: dict[str, str],
        key=compact,
    ):
        self.kind = kind
        self.labels = labels
        self._key = key
        self._index: dict[str, set[str]] = {}
        for code, spelling in spellings:
            k = key(spelling)
            if k:
                self._index.setdefault(k, set()).add(code)
        clashes = {k: v for k, v in self._index.items() if len(v) > 1}
        if clashes:  # the reference files disagree with themselves: refuse to start
            raise ValueError(f"{kind} spellings shared by several codes: {clashes}")
        self._keys = sorted(self._index)

    def label(self, code: str) -> str:
        return f"{self.labels.get(code, code)} ({code})"

    def _code_lookup(self, digits: str) -> Resolution | None:
        return None

    @lru_cache(maxsize=65536)
    def resolve(self, value: object) -> Resolution:
        """Resolve one cell. Returns a :class:`Resolution`; never raises for any input."""
        text = "" if value is None else str(value).strip()
        if not text:
            return Resolution(text, None, problem=f"no {self.kind} given")
        if _DIGITS.match(text):
            found = self._code_lookup(text.split(".")[0])
            if found is not None:
                return Resolution(text, found.code, found.how, found.problem, found.suggestions)
        k = self._key(text)
        # digits with other signs ("1+1", "+11", "=1"): folding dropped the signs; not a code as
        # written (that was checked above), and no name is made of digits
        if k.isdigit():
            return Resolution(
                text, None, problem=f"not a {self.kind} code: write the code in digits only"
            )
        codes = self._index.get(k)
        if codes:
            return Resolution(text, next(iter(codes)), "name")
        legacy = {}
        for enc, reading in legacy_candidates(text):
            c = self._index.get(self._key(reading))
            if c:
                legacy.setdefault(next(iter(c)), enc)
        if len(legacy) == 1:
            code, enc = next(iter(legacy.items()))
            return Resolution(text, code, enc)
        if len(legacy) > 1:
            sugg = tuple(sorted(legacy))
            return Resolution(text, None, problem="ambiguous legacy-font reading", suggestions=sugg)
        return self._refuse(text, k)

    def _refuse(self, text: str, k: str) -> Resolution:
        if not k:
            return Resolution(text, None, problem=f"no {self.kind} name in it")
        starts = sorted({c for key in self._keys if key.startswith(k) for c in self._index[key]})
        if len(starts) > 1:
            return Resolution(
                text,
                None,
                problem=f"ambiguous: several {self.kind} names start with it",
                suggestions=tuple(starts[:6]),
            )
        close = difflib.get_close_matches(k, self._keys, n=6, cutoff=0.6)
        sugg: list[str] = starts[:]
        for key in close:
            for c in sorted(self._index[key]):
                if c not in sugg:
                    sugg.append(c)
        return Resolution(text, None, problem=f"unknown {self.kind}", suggestions=tuple(sugg[:3]))

    def explain(self, r: Resolution) -> str:
        """One line for a refused resolution: the value, the problem, and the suggestions by name
        and code: "'Quang Nm': unknown province; closest: Quảng Nam (49), ..."."""
        msg = f"'{r.value}': {r.problem}"
        if r.suggestions:
            msg += "; closest: " + ", ".join(self.label(c) for c in r.suggestions)
        return msg


def _province_key(s: str) -> str:
    f = fold(s)
    f = _PROVINCE_SUFFIX.sub("", f)
    f = _PROVINCE_PREFIX.sub("", f, count=1)
    return f.replace(" ", "")


class ProvinceResolver(Resolver):
    def __init__(self):
        df = reference.provinces()
        spellings = []
        for row in df.itertuples(index=False):
            for s in (row.name_official, row.name_short, row.name_en, row.code):
                spellings.append((row.code, s))
        spellings += list(reference.province_aliases())
        super().__init__("province", spellings, dict(zip(df.code, df.name_short)), _province_key)
        self.codes = frozenset(df.code)

    def _code_lookup(self, digits: str) -> Resolution | None:
        code = digits.zfill(2)
        if code in self.codes:
            return Resolution(digits, code, "code")
        return Resolution(digits, None, problem="no province has this code")


class SectorResolver(Resolver):
    """Sector group names, or VSIC codes of 2 to 4 digits (a 1-digit code is a division that lost
    its leading zero in a spreadsheet: "5" is "05")."""

    def __init__(self):
        df = reference.sectors()
        spellings = []
        for row in df.itertuples(index=False):
            for s in (row.name_vi, row.name_en, row.code):
                spellings.append((row.code, s))
        spellings += list(reference.sector_aliases())
        super().__init__("sector", spellings, dict(zip(df.code, df.name_vi)))
        rules = reference.sector_vsic()
        self.rules = dict(zip(rules.vsic_prefix, rules.sector))

    def _code_lookup(self, digits: str) -> Resolution | None:
        code = digits.zfill(2) if len(digits) == 1 else digits
        if not 2 <= len(code) <= 4:
            return Resolution(digits, None, problem="a VSIC code has 2 to 4 digits")
        prefixes = [p for p in self.rules if code.startswith(p)]
        if not prefixes:
            return Resolution(digits, None, problem="VSIC code outside the surveyed industries")
        base = self.rules[max(prefixes, key=len)]
        finer = {self.rules[p] for p in self.rules if p.startswith(code) and len(p) > len(code)}
        groups = sorted(finer | {base})
        if len(groups) > 1:
            return Resolution(
                digits,
                None,
                problem="VSIC code covers several sector groups; give more digits",
                suggestions=tuple(groups),
            )
        return Resolution(digits, base, "code")


@cache
def provinces() -> ProvinceResolver:
    """The shared province resolver."""
    return ProvinceResolver()


@cache
def sectors() -> SectorResolver:
    """The shared sector resolver."""
    return SectorResolver()


def province_code(value: object) -> str:
    """The province code of ``value``; refuses (ValueError, with the closest candidates) otherwise."""
    r = provinces().resolve(value)
    if not r.ok:
        raise ValueError(provinces().explain(r))
    return r.code


def sector_code(value: object) -> str:
    """The sector code of ``value``; refuses (ValueError, with the closest candidates) otherwise."""
    r = sectors().resolve(value)
    if not r.ok:
        raise ValueError(sectors().explain(r))
    return r.code
