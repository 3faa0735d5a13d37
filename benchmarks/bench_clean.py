"""Benchmark: clean a generated 1,000,000-row enterprise CSV with `sxsh clean`.

Target on the project's 2-core machine: at most 60 s and 4 GiB peak memory (issue 2).
Run: `make bench-clean` or `python benchmarks/bench_clean.py [--rows N] [--keep DIR]`.

The file is the sample's round-2010 raw rows (with their mess: variants, duplicates, bad rows)
tiled with fresh identifiers per copy, so it is as messy as the sample, at scale. The clean runs in
a child process: wall time and the child's peak resident memory (ru_maxrss) are reported.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sxsh_analysis import sample


def make_file(path: Path, rows: int, seed: int = 1419) -> int:
    rng = np.random.default_rng(seed)
    base = sample.enterprise_raw(sample.build_2010(rng), rng)
    copies = -(-rows // len(base))
    with open(path, "w", encoding="utf-8", newline="") as f:
        written = 0
        for k in range(copies):
            block = base.copy()
            ids = block["enterprise_id"].astype(str)
            block["enterprise_id"] = np.where(ids != "", f"B{k:04d}-" + ids, "")
            block = block.head(rows - written)
            block.to_csv(f, index=False, header=(k == 0))
            written += len(block)
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", help="folder to keep the generated file and the output in")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sxsh-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / f"enterprises_{args.rows}.csv"
    t0 = time.perf_counter()
    n = make_file(src, args.rows)
    gen = time.perf_counter() - t0
    salt = work / "salt"
    salt.write_text("benchmark-salt\n")
    out = work / "cleaned"
    cmd = [
        sys.executable,
        "-m",
        "sxsh_analysis.cli",
        "clean",
        str(src),
        "--out",
        str(out),
        "--salt-file",
        str(salt),
        "--quiet",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)
        return proc.returncode
    log = json.loads((out / "cleaning_log.json").read_text(encoding="utf-8"))
    size_mb = src.stat().st_size / 1e6
    result = {
        "rows": n,
        "file_mb": round(size_mb, 1),
        "generate_s": round(gen, 1),
        "clean_wall_s": round(wall, 1),
        "peak_rss_gib": round(peak_kib / 2**20, 2),
        "rows_cleaned": log["totals"]["rows_cleaned"],
        "rows_quarantined": log["totals"]["rows_quarantined"],
        "target": "<= 60 s and <= 4 GiB",
        "met": wall <= 60 and peak_kib / 2**20 <= 4,
    }
    print(
        f"cleaned {n:,} rows ({size_mb:.0f} MB CSV) in {wall:.1f} s, peak memory "
        f"{peak_kib / 2**20:.2f} GiB; {result['rows_cleaned']:,} cleaned, "
        f"{result['rows_quarantined']:,} quarantined; target 60 s / 4 GiB: "
        f"{'met' if result['met'] else 'NOT met'}"
    )
    print(json.dumps(result))
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
