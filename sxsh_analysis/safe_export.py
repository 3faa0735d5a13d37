"""Write tables that people open in spreadsheets, so that nothing in the data runs there.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice (``=HYPERLINK(...)``, ``=cmd|...``). Such text is written with a leading
apostrophe, which spreadsheets show as plain text. Numbers (including negative ones) are left alone.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from .errors import SxshError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value, with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) cannot run as formulas."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def ensure_folder(path: Path) -> None:
    """Create the folder ``path`` (and its parents). Refuses (SxshError) with the reason a person can
    act on: a file standing where a folder should be, a read-only disk, no permission."""
    path = Path(path)
    blocker = next((p for p in (path, *path.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise SxshError(f"cannot write {path}: {blocker} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SxshError(f"cannot write {path}: {e.strerror or e}") from e


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def public_mode(path: Path, directory: bool = False) -> None:
    """Give a file made by ``tempfile`` (private, 0600/0700) the mode an ordinary write would."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename: a reader
    (or a crash) never sees half a file, and a failed write leaves the previous file in place. An
    OSError names ``path`` (a full disk alone says only "no space")."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        public_mode(Path(tmp))
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(e.errno, e.strerror or str(e), str(path)) from e
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as UTF-8 CSV with a byte-order mark (so Excel shows Vietnamese correctly),
    formula-like text neutralised, atomically (:func:`write_atomic`)."""
    text = neutralise_frame(df).to_csv(index=False, lineterminator="\n")
    write_atomic(path, text.encode("utf-8-sig"))
