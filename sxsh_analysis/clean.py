"""Turn survey tables read by :mod:`ingest` into cleaned tables, a quarantine and a cleaning log.

Every row read is accounted for: it is cleaned (perhaps corrected by a named rule, counted in the log),
or quarantined with a reason. Per source, ``rows_read == rows_cleaned + rows_quarantined``; blank rows
are counted apart and are not rows.

Edit rules (named, logged with a count per file):

- ``applied_implies_aware``: an enterprise that applies CP is aware of it; ``aware`` is set.
- ``saving_without_application``: a saving reported by an enterprise that does not apply CP is
  cleared (the saving belongs to adopters only).
- ``blank_read_as_no``: a blank yes/no cell reads as "no" (survey forms tick only the yes boxes).
- ``legacy_font_repaired``: a value typed in a TCVN3 or VNI font, read through its character table.

Quarantine reasons: ``malformed_row``, ``missing_value``, ``invalid_value``, ``out_of_range``,
``unknown_province``, ``unknown_sector``, ``duplicate`` (an exact copy of an earlier row: the first is
kept), ``conflicting_duplicate`` (same key, different values: all copies are quarantined).

Enterprise identifiers never reach the outputs in clear: they become ``enterprise_key``, a salted
BLAKE2b hash that links rows across rounds; names are dropped. The quarantine shows the rows as
received, but for those two columns (the source file and row locate the original).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, reference, resolve
from .errors import FileProblem, SxshError
from .ingest import FileRead, Table, read_file
from .text import NumberError, compact, legacy_candidates, nfc, parse_number

RULES = {
    "applied_implies_aware": "An enterprise that applies CP is aware of it: aware set to yes.",
    "saving_without_application": "A saving reported by a non-adopter is cleared.",
    "blank_read_as_no": "A blank yes/no cell reads as no.",
    "legacy_font_repaired": "A value typed in a TCVN3 or VNI font was read through its table.",
}
REASONS = {
    "malformed_row": "The row cannot be split into the header's columns.",
    "missing_value": "A required value is blank.",
    "invalid_value": "A value cannot be read (not a number, not a known category).",
    "out_of_range": "A value lies outside its allowed range.",
    "unknown_province": "The province is unknown or ambiguous.",
    "unknown_sector": "The sector is unknown or ambiguous.",
    "duplicate": "An exact copy of an earlier row; the first is kept.",
    "conflicting_duplicate": "The same key appears with different values; all copies are held.",
}
KEYS = {
    "enterprises": ["round", "enterprise_key"],
    "doit": ["year", "province_code"],
    "programme": ["year", "level"],
}
# cleaned column name for a dictionary column, where it differs
OUT_NAME = {"province": "province_code", "enterprise_id": "enterprise_key"}
NOT_WRITTEN = {"enterprise_name", "sample"}
META = ["is_sample", "source_file", "source_row"]


# --- salt and hashing ---------------------------------------------------------------------------
def load_salt(path: Path | None = None, create: bool = True) -> bytes:
    """The salt for hashing identifiers: ``$SXSH_SALT`` if set, else the salt file (created with a
    random value when missing and ``create``). Refuses an empty salt."""
    env = os.environ.get("SXSH_SALT")
    if env:
        return env.encode("utf-8")
    from .paths import salt_file

    path = path or salt_file()
    if not path.exists():
        if not create:
            raise SxshError(f"no salt file at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
    salt = path.read_text(encoding="utf-8").strip().encode("utf-8")
    if not salt:
        raise SxshError(f"{path}: empty salt file")
    return salt


def hash_identifier(value: str, salt: bytes) -> str:
    """16 hex characters of BLAKE2b keyed with ``salt`` over the identifier with spaces removed and
    letters upper-cased (so " 0301234567 " and "0301234567" link)."""
    norm = "".join(nfc(value).split()).upper()
    return hashlib.blake2b(norm.encode("utf-8"), key=salt[:64], digest_size=8).hexdigest()


def salt_id(salt: bytes) -> str:
    """A short fingerprint of the salt, for the log: tells whether two cleanings can be linked."""
    return hashlib.sha256(b"sxsh-salt-id:" + salt).hexdigest()[:12]


# --- cell parsers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    value: object = None
    reason: str | None = None  # quarantine reason code when the cell is refused
    problem: str | None = None  # message
    note: str | None = None  # rule name counted when the cell was corrected


_MISSING = Cell()


def _vocab_lookup(field_name: str):
    table = {compact(k): v for k, v in reference.vocabulary(field_name).items()}

    def lookup(text: str) -> tuple[str | None, str | None]:
        v = table.get(compact(text))
        if v is not None:
            return v, None
        for enc, reading in legacy_candidates(text):
            v = table.get(compact(reading))
            if v is not None:
                return v, enc
        return None, None

    return lookup


def make_parser(spec: dict[str, str], salt: bytes):
    """A function from one cell's text to a :class:`Cell`, for the column described by ``spec``."""
    kind, name = spec["kind"], spec["column"]
    lo = float(spec["min"]) if spec["min"] else None
    hi = float(spec["max"]) if spec["max"] else None
    blank = spec["blank"]

    def on_blank() -> Cell:
        if blank == "error":
            return Cell(reason="missing_value", problem=f"{name}: blank")
        if blank == "no":
            return Cell(False, note="blank_read_as_no")
        if blank == "total":
            return Cell("total")
        return _MISSING

    def ranged(value, shown: str) -> Cell:
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            lims = f"{_fmt(lo)} to {_fmt(hi)}"
            return Cell(reason="out_of_range", problem=f"{name} '{shown}': outside {lims}")
        return Cell(value)

    if kind in ("year", "integer", "money", "decimal", "weight"):
        integer = kind != "decimal" and kind != "weight"

        def parse(text: str) -> Cell:
            try:
                v = parse_number(text, integer=integer)
            except NumberError as e:
                what = "a date, not a year" if kind == "year" and "date" in str(e) else str(e)
                return Cell(reason="invalid_value", problem=f"{name} '{_short(text)}': {what}")
            if kind == "weight" and v <= 0:
                return Cell(reason="out_of_range", problem=f"{name} '{_short(text)}': must be > 0")
            return ranged(v, _short(text))

    elif kind == "yesno":
        look = _vocab_lookup("yesno")

        def parse(text: str) -> Cell:
            v, enc = look(text)
            if v is None:
                return Cell(reason="invalid_value", problem=f"{name} '{_short(text)}': not yes/no")
            return Cell(v == "yes", note="legacy_font_repaired" if enc else None)

    elif kind in ("size", "ownership", "level"):
        look = _vocab_lookup(kind)
        allowed = ", ".join(sorted(set(reference.vocabulary(kind).values())))

        def parse(text: str) -> Cell:
            v, enc = look(text)
            if v is None:
                return Cell(
                    reason="invalid_value",
                    problem=f"{name} '{_short(text)}': not one of {allowed}",
                )
            return Cell(v, note="legacy_font_repaired" if enc else None)

    elif kind in ("province", "sector"):
        resolver = resolve.provinces() if kind == "province" else resolve.sectors()

        def parse(text: str) -> Cell:
            r = resolver.resolve(text)
            if not r.ok:
                return Cell(reason=f"unknown_{kind}", problem=f"{name} {resolver.explain(r)}")
            return Cell(r.code, note="legacy_font_repaired" if r.how in ("TCVN3", "VNI") else None)

    elif kind == "identifier":

        def parse(text: str) -> Cell:
            return Cell(hash_identifier(text, salt))

    elif kind == "flag":

        def parse(text: str) -> Cell:
            return Cell(True)

    elif kind in ("text", "name"):

        def parse(text: str) -> Cell:
            return Cell(nfc(text))

    else:  # the data dictionary names a kind this code does not know: a bug, not a user error
        raise ValueError(f"unknown column kind {kind!r} for {name}")

    def parse_cell(text: str) -> Cell:
        t = text.strip()
        if not t:
            return on_blank()
        try:
            return parse(t)
        except Exception as e:  # a parser must never stop a run: the row is held with the reason
            return Cell(reason="invalid_value", problem=f"{name} '{_short(t)}': {type(e).__name__}")

    return parse_cell


def _fmt(x: float | None) -> str:
    if x is None:
        return "any"
    return f"{int(x):,}" if float(x).is_integer() else str(x)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- per-table parsing --------------------------------------------------------------------------
@dataclass
class SourceResult:
    """One source (file or sheet) after parsing: its parsed columns and per-row problems."""

    table: Table
    frame: pd.DataFrame  # output columns + _reason/_problem + _fix_<rule> flags + meta
    rows_cleaned: int = 0
    corrections: Counter = field(default_factory=Counter)
    held: Counter = field(default_factory=Counter)
    held_frame: pd.DataFrame | None = None


def _parse_column(
    series: pd.Series, parser
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse a column through its unique values (a million rows hold few distinct provinces).
    Returns per-row values, reason codes, problems and notes (rule names), as object arrays."""
    codes, uniques = pd.factorize(series, sort=False)
    cells = [parser(str(u)) for u in uniques] + [Cell()]
    return tuple(
        np.array([getattr(c, a) for c in cells], dtype=object)[codes]
        for a in ("value", "reason", "problem", "note")
    )


def parse_table(t: Table, salt: bytes) -> SourceResult:
    """Parse every mapped column of one source; apply the edit rules; mark each row's first problem.

    Returns a :class:`SourceResult` whose frame holds the output columns, ``_reason`` and
    ``_problem`` (None for a clean row), ``is_sample``, ``source_file`` and ``source_row``."""
    n = len(t.raw)
    out: dict[str, object] = {}
    reason = np.full(n, None, dtype=object)
    problem = np.full(n, None, dtype=object)
    fixes: dict[str, np.ndarray] = {}
    for spec in reference.column_specs(t.table):
        col = spec["column"]
        series = t.column(col)
        if series is None:
            if spec["kind"] == "flag":
                out[col] = np.zeros(n, dtype=bool)
            elif spec["blank"] == "total":
                out[col] = np.full(n, "total", dtype=object)
            else:
                out[col] = np.full(n, None, dtype=object)
            continue
        values, reasons, problems, notes = _parse_column(series, make_parser(spec, salt))
        for rule in set(notes.tolist()) - {None}:
            fixes[rule] = fixes.get(rule, np.zeros(n, dtype=bool)) | (notes == rule)
        if spec["kind"] == "flag":
            values = np.array([v is True for v in values], dtype=bool)
        out[col] = values
        first = (reason == None) & (reasons != None)  # noqa: E711 (element-wise on object arrays)
        reason[first] = reasons[first]
        # keep every problem of the row in its message, first one first
        has = problems != None  # noqa: E711
        both = has & (problem != None)  # noqa: E711
        problem[both] = problem[both] + "; " + problems[both]
        only = has & (problem == None)  # noqa: E711
        problem[only] = problems[only]
    frame = pd.DataFrame(out)
    ok = reason == None  # noqa: E711
    fixes.update(_apply_rules(t.table, frame, ok))
    frame["_reason"] = reason
    frame["_problem"] = problem
    for rule, mask in fixes.items():
        frame[f"_fix_{rule}"] = mask
    frame["is_sample"] = frame.pop("sample").astype(bool) if "sample" in frame else False
    frame["source_file"] = t.source
    frame["source_row"] = t.rows.to_numpy()
    return SourceResult(t, frame)


def _apply_rules(table: str, frame: pd.DataFrame, ok: np.ndarray) -> dict[str, np.ndarray]:
    """Apply the table's edit rules in place, on rows without problems. Returns, by rule, the rows
    it changed."""
    counts: dict[str, np.ndarray] = {}
    if table == "enterprises":
        applied = frame["applied"].to_numpy(dtype=object)
        aware = frame["aware"].to_numpy(dtype=object)
        fix = ok & (applied == True) & (aware == False)  # noqa: E712
        if fix.any():
            aware = aware.copy()
            aware[fix] = True
            frame["aware"] = aware
            counts["applied_implies_aware"] = fix
        saving = frame["saving_pct"].to_numpy(dtype=object)
        clear = ok & (saving != None) & (applied == False)  # noqa: E711,E712
        if clear.any():
            saving = saving.copy()
            saving[clear] = None
            frame["saving_pct"] = saving
            counts["saving_without_application"] = clear
    return counts


# --- the whole run ------------------------------------------------------------------------------
@dataclass
class CleanResult:
    """Cleaned tables by name, the quarantine (one row per held row) and the cleaning log."""

    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    log: dict

    @property
    def quarantined(self) -> int:
        return len(self.quarantine)


def read_all(paths: list[Path]) -> list[FileRead]:
    """Read every file; refuse (FileProblem listing each bad file, one per line) if any is bad.
    Nothing is parsed or written before every file has been read."""
    reads, problems = [], []
    seen: dict[str, Path] = {}
    for p in paths:
        p = Path(p)
        try:
            fr = read_file(p)
        except FileProblem as e:
            problems.append(e)
            continue
        if fr.sha256 in seen:
            problems.append(
                FileProblem(p.name, f"same content as {seen[fr.sha256].name}: give it once")
            )
            continue
        seen[fr.sha256] = p
        reads.append(fr)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise FileProblem(problems[0].file, problems[0].problem) from _Many(problems)
    return reads


class _Many(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def clean(paths: list[str | Path], salt: bytes) -> CleanResult:
    """Read and clean the given files. Returns a :class:`CleanResult`; writes nothing.

    Refuses (FileProblem) any whole-file problem before parsing anything."""
    if not paths:
        raise SxshError("no input files given")
    reads = read_all([Path(p) for p in paths])
    sources: list[SourceResult] = []
    for fr in reads:
        for t in fr.tables:
            sources.append(parse_table(t, salt))
    by_table: dict[str, list[SourceResult]] = {}
    for s in sources:
        by_table.setdefault(s.table.table, []).append(s)

    cleaned: dict[str, pd.DataFrame] = {}
    for table, group in by_table.items():
        frame = pd.concat([s.frame for s in group], ignore_index=True)
        frame["_src"] = np.repeat(np.arange(len(group)), [len(s.frame) for s in group])
        _mark_duplicates(table, frame)
        good = frame["_reason"].isna().to_numpy()
        cleaned[table] = _finish(table, frame[good])
        fix_cols = [c for c in frame.columns if c.startswith("_fix_")]
        for i, s in enumerate(group):
            mine = frame["_src"].to_numpy() == i
            s.rows_cleaned = int((mine & good).sum())
            s.held = Counter(frame.loc[mine & ~good, "_reason"].tolist())
            s.held_frame = frame[mine & ~good]
            kept = frame.loc[mine & good, fix_cols]
            s.corrections = Counter({c[5:]: int(kept[c].sum()) for c in fix_cols if kept[c].any()})
    quarantine = _quarantine(sources, salt)
    log = _log(reads, sources, cleaned, salt)
    return CleanResult(cleaned, quarantine, log)


def _mark_duplicates(table: str, frame: pd.DataFrame) -> None:
    """Mark exact copies as ``duplicate`` (first kept) and same-key rows with different values as
    ``conflicting_duplicate`` (all held), among rows without other problems."""
    keys = [OUT_NAME.get(k, k) for k in KEYS[table]]
    ren = {c: OUT_NAME[c] for c in OUT_NAME if c in frame}
    cols = [
        c for c in frame.columns if not c.startswith("_") and c not in META and c not in NOT_WRITTEN
    ]
    cand = frame[frame["_reason"].isna()]
    if cand.empty:
        return
    view = cand[cols].rename(columns=ren)
    # object columns holding None/NaN compare as equal through a string form
    norm = view.astype(str)
    exact = norm.duplicated(keep="first")
    if exact.any():
        first_pos = norm.groupby(list(norm.columns), sort=False, dropna=False).ngroup()
        firsts = cand.groupby(first_pos.to_numpy(), sort=False).head(1)
        loc = dict(
            zip(
                first_pos.loc[firsts.index],
                firsts["source_file"] + " row " + firsts["source_row"].astype(str),
            )
        )
        idx = exact[exact].index
        frame.loc[idx, "_reason"] = "duplicate"
        frame.loc[idx, "_problem"] = [f"exact copy of {loc[g]}" for g in first_pos.loc[idx]]
    rest = norm[~exact]
    conflict = rest.duplicated(subset=keys, keep=False)
    if conflict.any():
        idx = conflict[conflict].index
        sub = frame.loc[idx]
        where = sub["source_file"] + " row " + sub["source_row"].astype(str)
        groups = rest.loc[idx].groupby(keys, sort=False).ngroup()
        listing = where.groupby(groups.to_numpy()).agg(lambda s: ", ".join(s.head(5)))
        counts = groups.value_counts()
        label = (
            "the same enterprise" if table == "enterprises" else "the same " + " and ".join(keys)
        )
        frame.loc[idx, "_reason"] = "conflicting_duplicate"
        frame.loc[idx, "_problem"] = [
            f"{label} appears {counts[g]} times with different values ({listing[g]})"
            for g in groups
        ]


def _finish(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Typed cleaned table: dictionary columns in order (renamed where OUT_NAME says), then META."""
    out = {}
    for spec in reference.column_specs(table):
        col, kind = spec["column"], spec["kind"]
        if col in NOT_WRITTEN:
            continue
        s = frame[col]
        name = OUT_NAME.get(col, col)
        if kind == "year":
            out[name] = s.astype("int64").astype("int16")
        elif kind in ("integer", "money"):
            out[name] = pd.array(s.tolist(), dtype="Int64")
        elif kind in ("decimal", "weight"):
            out[name] = pd.array(s.tolist(), dtype="Float64")
        elif kind == "yesno":
            out[name] = pd.array(s.tolist(), dtype="boolean")
        else:
            out[name] = pd.array(s.tolist(), dtype="string")
    out["is_sample"] = frame["is_sample"].astype(bool).to_numpy()
    out["source_file"] = pd.array(frame["source_file"].tolist(), dtype="string")
    out["source_row"] = frame["source_row"].astype("int64").to_numpy()
    return pd.DataFrame(out).reset_index(drop=True)


def _masked_raw(raw: pd.DataFrame, t: Table, salt: bytes) -> pd.DataFrame:
    """Rows of ``t`` as received (original headers), identifiers hashed and names withheld."""
    raw = raw.copy()
    for canon, label in (("enterprise_id", "id"), ("enterprise_name", "name")):
        key = t.mapping.get(canon)
        if key is not None:
            if label == "id":
                raw[key] = [
                    f"[hashed {hash_identifier(v, salt)}]" if v.strip() else "" for v in raw[key]
                ]
            else:
                raw[key] = ["[withheld]" if v.strip() else "" for v in raw[key]]
    names = []
    for i, h in enumerate(t.headers):
        h = h or f"(column {i + 1})"
        while h in names or h in QUARANTINE_FIXED:
            h = h + " (raw)"
        names.append(h)
    raw.columns = names
    return raw


QUARANTINE_FIXED = ["source_file", "source_row", "table", "reason", "problem", "received"]


def _quarantine(sources: list[SourceResult], salt: bytes) -> pd.DataFrame:
    """One row per held row, as received (identifiers masked), with its reason and problem."""
    parts = []
    for s in sources:
        t = s.table
        held = s.held_frame
        if held is not None and len(held):
            pos = pd.Index(t.rows).get_indexer(held["source_row"].to_numpy())
            raw = _masked_raw(t.raw.iloc[pos].reset_index(drop=True), t, salt)
            part = pd.DataFrame(
                {
                    "source_file": t.source,
                    "source_row": held["source_row"].to_numpy(),
                    "table": t.table,
                    "reason": held["_reason"].to_numpy(),
                    "problem": held["_problem"].to_numpy(),
                    "received": "",
                }
            )
            parts.append(pd.concat([part, raw.reset_index(drop=True)], axis=1))
        if t.malformed:
            parts.append(
                pd.DataFrame(
                    {
                        "source_file": t.source,
                        "source_row": [m[0] for m in t.malformed],
                        "table": t.table,
                        "reason": "malformed_row",
                        "problem": [m[2] for m in t.malformed],
                        "received": [_mask_line(t, m[1]) for m in t.malformed],
                    }
                )
            )
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in QUARANTINE_FIXED})
    q = pd.concat(parts, ignore_index=True, sort=False)
    return (
        q.fillna("")
        .sort_values(["source_file", "source_row"], kind="stable")
        .reset_index(drop=True)
    )


def _mask_line(t: Table, line: str) -> str:
    """A malformed record as received, with the fields at the identifier and name positions masked."""
    fields = line.split(t.delimiter or ",")
    for canon, text in (("enterprise_id", "[hashed]"), ("enterprise_name", "[withheld]")):
        key = t.mapping.get(canon)
        if key is not None:
            i = int(key[1:])
            if i < len(fields) and fields[i].strip():
                fields[i] = text
    return (t.delimiter or ",").join(fields)


def _log(reads: list[FileRead], sources: list[SourceResult], cleaned, salt: bytes) -> dict:
    files = []
    for s in sources:
        t = s.table
        fr = next(r for r in reads if r.path == t.path)
        read = len(t.raw) + len(t.malformed)
        held = Counter(s.held)
        if t.malformed:
            held["malformed_row"] += len(t.malformed)
        quarantined = sum(held.values())
        files.append(
            {
                "file": t.path.name,
                "sheet": t.sheet,
                "source": t.source,
                "sha256": fr.sha256,
                "format": fr.format,
                "table": t.table,
                "encoding": t.encoding,
                "delimiter": t.delimiter,
                "header_row": t.header_row,
                "legacy_font_headers": t.legacy_headers,
                "columns": {c: t.headers[int(k[1:])] for c, k in t.mapping.items()},
                "ignored_columns": t.ignored_columns,
                "rows_read": read,
                "blank_rows": t.blank_rows,
                "rows_cleaned": s.rows_cleaned,
                "rows_quarantined": quarantined,
                "corrections": dict(sorted(s.corrections.items())),
                "quarantined": dict(sorted(held.items())),
            }
        )
    skipped = [
        {"file": r.path.name, "sheet": name, "why": why}
        for r in reads
        for name, why in r.skipped_sheets
    ]
    tables = {}
    for name, df in cleaned.items():
        period = "round" if name == "enterprises" else "year"
        counts = df[period].value_counts().sort_index()
        tables[name] = {
            "rows": len(df),
            f"rows_by_{period}": {str(k): int(v) for k, v in counts.items()},
        }
    totals = Counter()
    for f in files:
        for k in ("rows_read", "rows_cleaned", "rows_quarantined", "blank_rows"):
            totals[k] += f[k]
    return {
        "sxsh_version": __version__,
        "salt_id": salt_id(salt),
        "sample": bool(any(bool(df["is_sample"].any()) for df in cleaned.values())),
        "totals": dict(totals),
        "files": files,
        "skipped_sheets": skipped,
        "tables": tables,
        "rules": RULES,
        "reasons": REASONS,
    }


# --- writing ------------------------------------------------------------------------------------
def write_outputs(result: CleanResult, out_dir: Path) -> list[Path]:
    """Write the cleaned tables, quarantine.csv and cleaning_log.json into ``out_dir``, replacing it
    as a whole: everything is written into a temporary folder beside it first, so a failure leaves
    the previous contents untouched. Returns the files written."""
    from .safe_export import ensure_folder, public_mode, write_csv
    from .schema import validate_cleaned

    for name, df in result.tables.items():
        validate_cleaned(name, df)
    out_dir = Path(out_dir)
    ensure_folder(out_dir.parent)
    tmp = None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        public_mode(tmp, directory=True)
        for name, df in result.tables.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        write_csv(result.quarantine, tmp / "quarantine.csv")
        (tmp / "cleaning_log.json").write_text(
            json.dumps(result.log, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        _swap_in(tmp, out_dir)
    except BaseException as e:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(
            e, OSError
        ):  # a full disk, a read-only folder: say where, keep what was there
            raise SxshError(
                f"cannot write {out_dir}: {e.strerror or e}; nothing was changed there"
            ) from e
        raise
    return sorted(out_dir.iterdir())


def _swap_in(tmp: Path, out_dir: Path) -> None:
    """Put ``tmp`` in place of ``out_dir`` with two renames; the old folder is removed after."""
    old = None
    if out_dir.exists():
        old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except OSError:
        if old is not None:  # put the previous folder back
            os.replace(old, out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
