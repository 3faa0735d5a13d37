"""Benchmark: every breakdown of one round of 1,000,000 enterprises, protected for publication.

Target on the project's 2-core machine: at most 10 s (issue 3).
Run: `make bench-indicators` or `python benchmarks/bench_indicators.py [--rows N]`.

The round is the cleaned sample's round 2010 tiled to the size asked for (fresh keys per copy), so
its provinces, sectors and sizes have the sample's mix. Timed: the seven levels and the crossings
province x sector, unit2025 x sector, region x sector, sector x size, sector x ownership, each through
`disclosure.indicator_table` (computation and suppression), plus the weighted national estimate.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sxsh_analysis import clean, disclosure, sample

BREAKDOWNS = [
    "national",
    "region",
    "province",
    "unit2025",
    "sector",
    "size",
    "ownership",
    "province,sector",
    "unit2025,sector",
    "region,sector",
    "sector,size",
    "sector,ownership",
]


def make_round(rows: int) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as d:
        files = sample.write(Path(d))
        e = clean.clean(files, b"bench").tables["enterprises"]
    base = e[e["round"] == 2010].reset_index(drop=True)
    copies = -(-rows // len(base))
    big = pd.concat([base] * copies, ignore_index=True).head(rows)
    big["enterprise_key"] = pd.array([f"{i:016x}" for i in range(len(big))], dtype="string")
    big["weight"] = pd.array(np.random.default_rng(1).uniform(0.5, 3, len(big)), dtype="Float64")
    return big


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    df = make_round(args.rows)
    timings = {}
    t0 = time.perf_counter()
    for lv in BREAKDOWNS:
        t = time.perf_counter()
        out = disclosure.indicator_table(df, lv)
        timings[lv] = (round(time.perf_counter() - t, 2), len(out), int(out["suppressed"].sum()))
    total = time.perf_counter() - t0
    t = time.perf_counter()
    disclosure.indicator_table(df, "national", weighted=True)
    weighted = time.perf_counter() - t
    for lv, (s, n, sup) in timings.items():
        print(f"  {lv:<18} {s:6.2f} s  {n:4d} rows  {sup:4d} suppressed")
    met = total <= 10
    print(
        f"every breakdown of {len(df):,} enterprises: {total:.1f} s (target 10 s: {'met' if met else 'NOT met'}); "
        f"weighted national estimate: {weighted:.1f} s"
    )
    print(
        json.dumps(
            {
                "rows": len(df),
                "all_breakdowns_s": round(total, 2),
                "weighted_national_s": round(weighted, 2),
                "target_s": 10,
                "met": met,
            }
        )
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
