"""Benchmark: the naive per-report loop against `sxsh build`, side by side (issue 5).

Run: `make bench-build` or `python benchmarks/bench_build.py [--reports N] [--jobs P]`.
Needs cleaned data (`make data`). Both sides build the same N reports (the national report and the
first N-1 provinces, Vietnamese, HTML and PDF) with the same parallelism P (default: the cores):

(a) naive: per report, the papermill CLI, then `jupyter nbconvert --to html --no-input`, then the
    WeasyPrint CLI, each a new process (a new kernel, new imports) -- P reports at a time;
(b) `sxsh build --force`;
(c) `sxsh build` again with nothing changed;
(d) `sxsh build` after one province's commentary changes (only that report should rebuild).

Prints per-report medians, totals, the ratio and the peak memory (resident, summed over the build's
whole process tree, sampled every 0.2 s). Targets on the 2-core machine: (b) at least 6 times faster
than (a), (b) at most 90 s for 64 reports, (c) at most 3 s, peak memory at most 3 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(d.name))
            rss[int(d.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


class Peak:
    """Samples the resident memory of a process tree until stopped."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._t.join()
        return self.peak


def run(cmd, **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    peak = Peak(proc.pid)
    out, err = proc.communicate()
    mem = peak.stop()
    cp = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    return time.perf_counter() - t, mem, cp


def naive_one(report: tuple[str, str | None], work: Path) -> float:
    kind, code = report
    name = "national" if kind == "national" else f"province-{code}"
    nb = (
        ROOT
        / "notebooks"
        / "reports"
        / ("national.ipynb" if kind == "national" else "province.ipynb")
    )
    executed = work / f"{name}.ipynb"
    params = ["-p", "lang", "vi"] + ([] if kind == "national" else ["-p", "code", code])
    t = time.perf_counter()
    steps = [
        [
            str(BIN / "papermill"),
            str(nb),
            str(executed),
            *params,
            "--cwd",
            str(nb.parent),
            "--log-level",
            "ERROR",
        ],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
        [
            str(BIN / "weasyprint"),
            str(executed.with_suffix(".html")),
            str(executed.with_suffix(".pdf")),
        ],
    ]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed for {name}: {r.stderr[-400:]}")
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=64)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--skip-naive", action="store_true", help="only time sxsh build")
    args = ap.parse_args()
    import pandas as pd

    codes = list(pd.read_csv(ROOT / "sxsh_analysis/reference/provinces.csv", dtype=str)["code"])
    reports = [("national", None)] + [("province", c) for c in codes[: args.reports - 1]]
    only = ",".join(["national"] + [c for _, c in reports[1:]])
    work = Path(tempfile.mkdtemp(prefix="sxsh-bench-build-"))
    result = {"reports": len(reports), "jobs": args.jobs}

    if not args.skip_naive:
        (work / "naive").mkdir()
        t = time.perf_counter()
        peak = Peak(os.getpid())
        with ThreadPoolExecutor(args.jobs) as pool:
            per = list(pool.map(lambda r: naive_one(r, work / "naive"), reports))
        result["naive_peak_gib"] = round(peak.stop() / 2**30, 2)
        result["naive_total_s"] = round(time.perf_counter() - t, 1)
        result["naive_median_s"] = round(statistics.median(per), 2)
        print(
            f"(a) naive loop: {result['naive_total_s']} s for {len(reports)} reports, "
            f"median {result['naive_median_s']} s per report"
        )

    out = work / "sxsh"
    sxsh = [str(BIN / "sxsh"), "build", "--only", only, "--out", str(out), "--jobs", str(args.jobs)]
    wall, mem, cp = run(sxsh + ["--force"], cwd=ROOT)
    if cp.returncode != 0:
        print(cp.stdout, cp.stderr, file=sys.stderr)
        return 1
    times = [
        float(m)
        for p in (out / ".build/logs").glob("vi_*.log")
        for m in re.findall(r" built ([\d.]+)s", p.read_text())
    ]
    result.update(
        sxsh_total_s=round(wall, 1),
        sxsh_median_s=round(statistics.median(times), 2),
        sxsh_peak_gib=round(mem / 2**30, 2),
    )
    print(
        f"(b) sxsh build --force: {result['sxsh_total_s']} s, median {result['sxsh_median_s']} s per report "
        f"(in a worker), peak memory {result['sxsh_peak_gib']} GiB"
    )
    wall, _, cp = run(sxsh, cwd=ROOT)
    result["nochange_s"] = round(wall, 2)
    print(
        f"(c) rebuild, nothing changed: {result['nochange_s']} s ({cp.stdout.strip().splitlines()[-1]})"
    )
    code = reports[-1][1]
    comment = ROOT / "parameters" / "commentary" / "provinces" / f"{code}.md"
    before = comment.read_text(encoding="utf-8") if comment.exists() else None
    try:
        comment.parent.mkdir(parents=True, exist_ok=True)
        comment.write_text((before or "") + "\n\nBenchmark edit.\n", encoding="utf-8")
        wall, _, cp = run(sxsh, cwd=ROOT)
    finally:
        if before is None:
            comment.unlink()
        else:
            comment.write_text(before, encoding="utf-8")
    last = cp.stdout.strip().splitlines()[-1]
    result["one_commentary_s"] = round(wall, 2)
    result["one_commentary_built"] = int(re.search(r"built (\d+)", last).group(1))
    print(
        f"(d) after editing province {code}'s commentary: {result['one_commentary_s']} s ({last})"
    )
    if "naive_total_s" in result:
        result["ratio_total"] = round(result["naive_total_s"] / result["sxsh_total_s"], 1)
        print(f"ratio (a)/(b): {result['ratio_total']}x at {args.jobs} parallel")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
