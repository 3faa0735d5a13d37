"""Read survey files (CSV or XLSX) into rows with canonical column names. Decides nothing about
validity: that is :mod:`clean`'s job.

What it handles, because real files have it:

- encodings: UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text"), else
  Windows-1258; legacy-font headers (TCVN3, VNI) are recognised through :mod:`text`;
- separators: comma, semicolon, tab or bar, whichever matches the most known headers;
- a header row below a title (XLSX and CSV, within the first 30 rows), merged title cells, several
  sheets in one workbook (each sheet that holds a survey table is read; others are listed as skipped);
- headers in canonical form (``province``) or Vietnamese (``Tỉnh/Thành phố``), matched ignoring case,
  spaces, punctuation, Unicode form and tone marks;
- rows with too many or too few fields: kept as *malformed* with their text, so the cleaner can
  quarantine them; blank rows are counted, not read as data.

Row numbers are the ones a spreadsheet shows: the header row's number plus the record's position.

Refuses a whole file (:class:`errors.FileProblem`) when it is missing, empty, binary, an old ``.xls``,
has no recognisable survey table, lacks required columns, or names one column twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from . import reference
from .errors import FileProblem
from .text import compact, legacy_candidates

HEADER_SCAN_ROWS = 30
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Table:
    """One survey table found in a file (a CSV, or one sheet of a workbook).

    ``raw`` holds every data row as received, as strings, in columns named ``c0``, ``c1``, ... in file
    order; ``headers`` gives the header text of each. ``mapping`` names the raw column of each
    canonical column found. ``rows`` is the spreadsheet row number of each row of ``raw``.
    ``malformed`` lists rows that could not be split into the header's fields: (row, text, problem).
    """

    path: Path
    source: str
    sheet: str | None
    table: str
    header_row: int
    headers: list[str]
    mapping: dict[str, str]
    raw: pd.DataFrame
    rows: pd.Series
    encoding: str | None = None
    delimiter: str | None = None
    legacy_headers: str | None = None
    blank_rows: int = 0
    malformed: list[tuple[int, str, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def column(self, name: str) -> pd.Series | None:
        key = self.mapping.get(name)
        return None if key is None else self.raw[key]


@dataclass
class FileRead:
    """Everything read from one file: its tables, its hash, and sheets skipped (name, why)."""

    path: Path
    sha256: str
    format: str
    tables: list[Table]
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)


# --- header matching ----------------------------------------------------------------------------
@cache
def _header_index() -> dict[str, dict[str, str]]:
    """table -> {header key -> canonical column}."""
    index: dict[str, dict[str, str]] = {}
    for table in reference.tables():
        keys: dict[str, str] = {}
        for spec in reference.column_specs(table):
            for spelling in (spec["column"], spec["header_vi"]):
                keys[compact(spelling)] = spec["column"]
        index[table] = keys
    return index


def _header_key(cell: str) -> list[str]:
    keys = [compact(cell)]
    keys += [compact(reading) for _, reading in legacy_candidates(cell)]
    return keys


def match_headers(cells: list[str]) -> dict[str, tuple[dict[int, str], str | None]]:
    """For each table, the canonical column of each header cell that names one, and the legacy font
    through which the headers matched (None for plain Unicode)."""
    out = {}
    for table, index in _header_index().items():
        found: dict[int, str] = {}
        legacy = None
        for i, cell in enumerate(cells):
            if not cell:
                continue
            plain = compact(cell)
            if plain in index:
                found[i] = index[plain]
                continue
            for enc, reading in legacy_candidates(cell):
                k = compact(reading)
                if k in index:
                    found[i] = index[k]
                    legacy = legacy or enc
                    break
        out[table] = (found, legacy)
    return out


def _required(table: str) -> list[str]:
    return [s["column"] for s in reference.column_specs(table) if s["required"] == "yes"]


def _best_table(cells: list[str]) -> tuple[str | None, dict[int, str], str | None, int]:
    """The table these header cells best describe: (table, mapping, legacy, matches). Only a table
    whose required columns are all present can win; ties go to the most specific (most matches)."""
    best: tuple[str | None, dict[int, str], str | None, int] = (None, {}, None, 0)
    for table, (found, legacy) in match_headers(cells).items():
        names = set(found.values())
        if not set(_required(table)) <= names:
            continue
        if len(names) > best[3]:
            best = (table, found, legacy, len(names))
    return best


def _closest_miss(cells: list[str]) -> str:
    """Explain why no table matched: the table with most matches, its missing required columns,
    and the columns found."""
    scored = []
    for table, (found, _) in match_headers(cells).items():
        scored.append((len(set(found.values())), table, found))
    scored.sort(key=lambda t: -t[0])
    shown = ", ".join(repr(c) for c in cells if c)[:600] or "none"
    if not scored or scored[0][0] == 0:
        return f"unknown format: no survey table recognised (columns found: {shown})"
    n, table, found = scored[0]
    missing = [c for c in _required(table) if c not in set(found.values())]
    vi = {s["column"]: s["header_vi"] for s in reference.column_specs(table)}
    need = ", ".join(f"{c} ({vi[c]})" for c in missing)
    return f"missing required columns for the {table} table: {need}; columns found: {shown}"


def _find_header(rows: list[list[str]]) -> tuple[int, str | None, dict[int, str], str | None]:
    """Index of the header row among the first rows, and its table. Falls back to the row with the
    most matches (table None) so the caller can explain what is missing."""
    best_i, best = -1, (None, {}, None, 0)
    fallback_i, fallback_n = 0, -1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        table, mapping, legacy, n = _best_table(row)
        if table and n > best[3]:
            best_i, best = i, (table, mapping, legacy, n)
        hits = max(len(f) for f, _ in match_headers(row).values()) if any(row) else 0
        if hits > fallback_n:
            fallback_i, fallback_n = i, hits
    if best[0] is None:
        return fallback_i, None, {}, None
    return best_i, best[0], best[1], best[2]


def _check_mapping(source: str, headers: list[str], mapping: dict[int, str]) -> dict[str, str]:
    seen: dict[str, int] = {}
    for i, canon in sorted(mapping.items()):
        if canon in seen:
            a, b = _col_letter(seen[canon]), _col_letter(i)
            raise FileProblem(
                source,
                f"column '{canon}' appears twice (columns {a} '{headers[seen[canon]]}' and "
                f"{b} '{headers[i]}'); keep one",
            )
        seen[canon] = i
    return {canon: f"c{i}" for canon, i in seen.items()}


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


# --- file formats -------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff_format(path: Path, head: bytes) -> str:
    """ "csv" or "xlsx" by content, whatever the file is called; refuses what is neither."""
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                if any(n.startswith("xl/") for n in z.namelist()):
                    return "xlsx"
        except zipfile.BadZipFile:
            raise FileProblem(str(path.name), "broken zip/XLSX file (cannot be opened)") from None
        raise FileProblem(path.name, "a zip archive, not a CSV or XLSX survey file")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(path.name, "old Excel .xls format: save it as .xlsx or CSV (UTF-8)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "csv"
    if _looks_binary(head):
        raise FileProblem(path.name, "binary content, not a CSV or XLSX file")
    return "csv"


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(head: bytes) -> bool:
    """More than 5% control bytes (NUL and the like) in the first 8 KiB: a binary file. A stray NUL
    in a text file is a cell problem, handled row by row."""
    n = sum(head.count(bytes([b])) for b in _CONTROL)
    return n > 0.05 * len(head)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Vietnamese Windows' code page; legacy-font text survives it and is repaired later.
        return data.decode("cp1258", errors="replace"), "cp1258"


def read_file(path: str | Path) -> FileRead:
    """Read one survey file. Returns a :class:`FileRead`; refuses whole-file problems."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise FileProblem(name, "no such file")
    if path.is_dir():
        raise FileProblem(name, "a folder, not a file")
    try:
        with open(path, "rb") as f:
            head = f.read(8192)
    except OSError as e:
        raise FileProblem(name, f"cannot be read ({e.strerror})") from None
    if not head:
        raise FileProblem(name, "empty file (0 bytes)")
    fmt = sniff_format(path, head)
    digest = sha256_file(path)
    if fmt == "xlsx":
        tables, skipped = _read_xlsx(path)
    else:
        tables, skipped = [_read_csv(path)], []
    if sum(len(t.raw) + len(t.malformed) for t in tables) == 0:
        where = ", ".join(
            f"sheet '{t.sheet}' row {t.header_row}" if t.sheet else f"row {t.header_row}"
            for t in tables
        )
        raise FileProblem(name, f"no data rows under the header ({where})")
    return FileRead(path, digest, fmt, tables, skipped)


def _read_csv(path: Path) -> Table:
    name = path.name
    text, encoding = decode_bytes(path.read_bytes())
    if not text.strip():
        raise FileProblem(name, "empty file (no text)")
    head_lines = text[: 1 << 16]
    best = None
    for delim in _DELIMITERS:
        try:
            rows = list(_csv_records(head_lines, delim, HEADER_SCAN_ROWS))
        except csv.Error:
            continue
        i, table, mapping, legacy = _find_header(rows)
        score = (table is not None, len(set(mapping.values())))
        if best is None or score > best[0]:
            best = (score, delim, i, table, mapping, legacy, rows)
    assert best is not None
    _, delim, hi, table, mapping, legacy, rows = best
    if table is None:
        raise FileProblem(name, _closest_miss(rows[hi] if rows else []))
    headers = [h.strip() for h in rows[hi]]
    colmap = _check_mapping(name, headers, mapping)
    raw, row_numbers, malformed, blank = _parse_csv_body(text, delim, hi, len(headers))
    ignored = [
        h or f"(unnamed column {_col_letter(i)})" for i, h in enumerate(headers) if i not in mapping
    ]
    return Table(
        path,
        name,
        None,
        table,
        hi + 1,
        headers,
        colmap,
        raw,
        row_numbers,
        encoding,
        delim,
        legacy,
        blank,
        malformed,
        ignored,
    )


def _csv_records(text: str, delim: str, limit: int | None = None):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    for n, rec in enumerate(reader):
        if limit is not None and n >= limit:
            return
        yield rec


def _parse_csv_body(text: str, delim: str, header_index: int, ncols: int):
    """Parse the records after the header: pyarrow for speed; Python's csv module, which can say
    exactly which record is malformed, when pyarrow reports any."""
    names = [f"c{i}" for i in range(ncols)]
    invalid = []

    def on_invalid(row):
        invalid.append(row)
        return "skip"

    try:
        tbl = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(
                skip_rows=header_index + 1, column_names=names, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delim,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        ok = not invalid
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        ok = False
    if ok:
        raw = tbl.to_pandas()
        rows = pd.Series(range(header_index + 2, header_index + 2 + len(raw)), dtype="int64")
        raw, rows, blank = _drop_blank(raw, rows)
        return raw, rows, [], blank
    # exact path
    records, numbers, malformed, blank_lines = [], [], [], 0
    for n, rec in enumerate(_csv_records(text, delim)):
        if n <= header_index:
            continue
        if len(rec) == ncols:
            records.append(rec)
            numbers.append(n + 1)
        elif not any(f.strip() for f in rec):
            blank_lines += 1
        else:
            problem = f"row has {len(rec)} fields, the header has {ncols}"
            malformed.append((n + 1, delim.join(rec), problem))
    raw = (
        pd.DataFrame(records, columns=names, dtype="str")
        if records
        else pd.DataFrame({n: pd.Series([], dtype="str") for n in names})
    )
    raw, rows, blank = _drop_blank(raw, pd.Series(numbers, dtype="int64"))
    return raw, rows, malformed, blank + blank_lines


def _drop_blank(raw: pd.DataFrame, rows: pd.Series):
    """Drop rows whose every cell is blank; return (raw, rows, blank count)."""
    if raw.empty:
        return raw.reset_index(drop=True), rows.reset_index(drop=True), 0
    nonblank = pd.Series(False, index=raw.index)
    for c in raw.columns:
        nonblank |= raw[c].str.strip().str.len() > 0
    blank = int((~nonblank).sum())
    if blank:
        raw = raw[nonblank.to_numpy()].reset_index(drop=True)
        rows = rows[nonblank.to_numpy()].reset_index(drop=True)
    return raw, rows, blank


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
    return str(v)


def _read_xlsx(path: Path) -> tuple[list[Table], list[tuple[str, str]]]:
    # a file object: openpyxl would refuse an XLSX named .csv by its name
    with open(path, "rb") as handle:
        return _read_workbook(path, handle)


def _read_workbook(path: Path, handle) -> tuple[list[Table], list[tuple[str, str]]]:
    import openpyxl

    name = path.name
    try:
        wb = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for broken files
        raise FileProblem(name, f"broken XLSX file ({type(e).__name__}: {e})"[:300]) from None
    tables, skipped, misses = [], [], []
    try:
        for ws in wb.worksheets:
            rows_iter = ws.iter_rows(values_only=True)
            head = []
            for row in rows_iter:
                head.append([_cell_text(v).strip() for v in row])
                if len(head) >= HEADER_SCAN_ROWS:
                    break
            if not any(any(r) for r in head):
                skipped.append((ws.title, "empty sheet"))
                continue
            hi, table, mapping, legacy = _find_header(head)
            if table is None:
                skipped.append((ws.title, "no survey table"))
                misses.append((ws.title, _closest_miss(head[hi])))
                continue
            headers = head[hi]
            source = f"{name} [{ws.title}]"
            colmap = _check_mapping(source, headers, mapping)
            ncols = len(headers)
            records, numbers = [], []
            for i, row in enumerate(head[hi + 1 :], start=hi + 2):
                records.append(row)
                numbers.append(i)
            for i, row in enumerate(rows_iter, start=len(head) + 1):
                records.append([_cell_text(v).strip() for v in row])
                numbers.append(i)
            # openpyxl rows are as wide as the sheet's used range: trim or pad to the header
            records = [(r + [""] * (ncols - len(r)))[:ncols] for r in records]
            names = [f"c{i}" for i in range(ncols)]
            raw = (
                pd.DataFrame(records, columns=names, dtype="str")
                if records
                else pd.DataFrame({n: pd.Series([], dtype="str") for n in names})
            )
            raw, rows, blank = _drop_blank(raw, pd.Series(numbers, dtype="int64"))
            ignored = [
                h or f"(unnamed column {_col_letter(i)})"
                for i, h in enumerate(headers)
                if i not in mapping and h
            ]
            tables.append(
                Table(
                    path,
                    source,
                    ws.title,
                    table,
                    hi + 1,
                    headers,
                    colmap,
                    raw,
                    rows,
                    None,
                    None,
                    legacy,
                    blank,
                    [],
                    ignored,
                )
            )
    finally:
        wb.close()
    if not tables:
        if misses:
            raise FileProblem(name, "; ".join(f"sheet '{s}': {m}" for s, m in misses)[:1200])
        raise FileProblem(name, "empty workbook (no cells in any sheet)")
    return tables, skipped
