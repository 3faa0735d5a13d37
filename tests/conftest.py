"""Shared fixtures. The sample is generated and cleaned once per test session (it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sxsh_analysis import clean, sample

SALT = b"test-salt"
FACTS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cp-evaluation-facts.md"


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sample")
    sample.write(d)
    return d


@pytest.fixture(scope="session")
def cleaned_sample(sample_dir) -> clean.CleanResult:
    return clean.clean(
        sorted(p for p in sample_dir.iterdir() if p.suffix in (".csv", ".xlsx")), SALT
    )


@pytest.fixture(scope="session")
def cleaned_dir(cleaned_sample, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("cleaned") / "cleaned"
    clean.write_outputs(cleaned_sample, d)
    return d


def write_csv(
    path: Path, header: list[str], rows: list[list[object]], sep: str = ",", encoding="utf-8"
):
    """A small CSV written by hand, exactly as given."""
    import csv
    import io

    from sxsh_analysis.text import encode_cp1258

    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=sep)
    w.writerow(header)
    w.writerows(rows)
    text = buf.getvalue()
    path.write_bytes(encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


ENTERPRISE_HEADER = [
    "round",
    "enterprise_id",
    "enterprise_name",
    "province",
    "sector",
    "size",
    "ownership",
    "employees",
    "aware",
    "applied",
    "cp_unit",
    "saving_pct",
]


def enterprise_row(i: int, **kw) -> list[str]:
    """A valid enterprise row; keyword arguments replace fields."""
    base = {
        "round": "2010",
        "enterprise_id": f"0{300000000 + i}",
        "enterprise_name": f"Công ty {i}",
        "province": "Hà Nội",
        "sector": "Dệt may",
        "size": "Nhỏ",
        "ownership": "FDI",
        "employees": "50",
        "aware": "Có",
        "applied": "Không",
        "cp_unit": "Không",
        "saving_pct": "",
    }
    base.update(kw)
    return [base[h] for h in ENTERPRISE_HEADER]
