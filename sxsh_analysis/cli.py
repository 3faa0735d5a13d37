"""The ``sxsh`` command. Holds no logic of its own: it parses arguments, calls the package, prints.

Exit codes: 0 success; 1 ``validate`` found rows that would be quarantined; 2 a problem the user can
fix (bad file, bad argument), printed as one line per problem, no traceback; 3 an internal error (a
bug: set SXSH_DEBUG=1 to see the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import SxshError

SURVEY_SUFFIXES = {".csv", ".xlsx", ".tsv", ".txt"}


def _input_files(given: list[str]) -> list[Path]:
    """The files given, with folders expanded to the survey files inside them; with none given, the
    user's files in data/raw/ or, if there are none, the sample in data/sample/."""
    from . import paths

    if not given:
        raw = _survey_files(paths.raw_dir())
        if raw:
            return raw
        sample = _survey_files(paths.sample_dir())
        if sample:
            return sample
        raise SxshError(
            f"no input files: put survey files in {paths.raw_dir()} or run 'sxsh sample' first"
        )
    out: list[Path] = []
    for g in given:
        p = Path(g)
        out.extend(_survey_files(p) if p.is_dir() else [p])
    return out


def _survey_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in SURVEY_SUFFIXES
        and not p.name.startswith((".", "~$"))
        and p.name != "README.txt"
    )


def _print_summary(result, out=None) -> None:
    out = out or sys.stdout  # looked up now: a caller may have redirected it
    log = result.log
    rows = [("source", "table", "read", "cleaned", "held", "reasons")]
    for f in log["files"]:
        reasons = ", ".join(f"{k} {v}" for k, v in f["quarantined"].items())
        rows.append(
            (
                f["source"],
                f["table"],
                str(f["rows_read"]),
                str(f["rows_cleaned"]),
                str(f["rows_quarantined"]),
                reasons,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print(
            "  ".join(
                c.ljust(w) if i == 0 or i == 1 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r[:5], widths))
            )
            + "  "
            + r[5],
            file=out,
        )
    t = log["totals"]
    print(
        f"total: {t['rows_read']} rows read, {t['rows_cleaned']} cleaned, "
        f"{t['rows_quarantined']} quarantined" + (" (SAMPLE DATA)" if log["sample"] else ""),
        file=out,
    )


def cmd_sample(args) -> int:
    from . import paths, sample

    out = Path(args.out) if args.out else paths.sample_dir()
    files = sample.write(out, seed=args.seed)
    for f in files:
        print(f)
    print(f"sample data written to {out} (seed {args.seed}); it is labelled as sample data")
    return 0


def cmd_clean(args) -> int:
    from . import clean, paths

    files = _input_files(args.files)
    salt = clean.load_salt(Path(args.salt_file) if args.salt_file else None)
    result = clean.clean(files, salt)
    out = Path(args.out) if args.out else paths.cleaned_dir()
    clean.write_outputs(result, out)
    if not args.quiet:
        _print_summary(result)
        print(f"written to {out}")
    return 0


def cmd_validate(args) -> int:
    from . import clean

    files = _input_files(args.files)
    # validation writes nothing, so it never creates a salt file
    result = clean.clean(files, b"validate-only")
    _print_summary(result)
    q = result.quarantine
    if len(q):
        print(f"\n{len(q)} rows would be quarantined:")
        shown = q.head(args.max_rows)
        for r in shown.itertuples(index=False):
            print(f"  {r.source_file} row {r.source_row}: {r.reason}: {r.problem}")
        if len(q) > len(shown):
            print(f"  ... and {len(q) - len(shown)} more (--max-rows to show more)")
        return 1
    print("no problems found")
    return 0


def cmd_template(args) -> int:
    from . import template

    path = template.write(Path(args.out))
    print(f"template written to {path}")
    return 0


def cmd_indicators(args) -> int:
    import json

    import numpy as np

    from . import config, disclosure, load
    from .indicators import parse_levels
    from .safe_export import neutralise_frame

    levels = parse_levels(args.by)
    cfg = config.load_build_config()
    rounds = load.rounds(args.data)
    rnd = args.round or rounds[-1]
    df = load.enterprises(rnd, data_dir=args.data)
    min_cell = args.min_cell or cfg.disclosure.min_cell
    table = disclosure.indicator_table(
        df,
        levels,
        min_cell=min_cell,
        phase=args.phase,
        weighted=args.weighted,
        confidence=cfg.indicators.confidence,
    )
    if args.format == "json":
        rows = json.loads(table.to_json(orient="records", force_ascii=False))
        doc = {
            "round": rnd,
            "levels": levels,
            "phase_threshold_pct": float(table["saving_threshold"].iloc[0]),
            "min_cell": min_cell,
            "weighted": bool(args.weighted),
            "sample": load.is_sample(args.data),
            "columns": list(table.columns),
            "rows": rows,
        }
        print(
            json.dumps(
                doc, ensure_ascii=False, indent=1, default=lambda o: None if o is np.nan else o
            )
        )
    else:
        neutralise_frame(table).to_csv(sys.stdout, index=False, float_format="%.4f")
    return 0


def cmd_build(args) -> int:
    from . import build, config

    cfg = config.load_build_config()
    langs = [x.strip() for x in args.lang.split(",")] if args.lang else cfg.languages
    geography = args.geography or cfg.geography
    only = args.only.split(",") if args.only else None
    jobs = build.plan_jobs(langs, geography, only, args.round)
    if args.dry_run:
        summary = build.build(
            jobs, args.data, args.out, force=args.force, pdf=not args.no_pdf, dry_run=True
        )
        for r in summary.results:
            print(f"{r.job.id:<28} {r.status}")
        n = sum(1 for r in summary.results if r.status.startswith("would"))
        print(f"{n} to build, {summary.count('skipped')} up to date")
        return 0
    bar = _progress(len(jobs))
    summary = build.build(
        jobs,
        args.data,
        args.out,
        jobs_n=args.jobs,
        force=args.force,
        pdf=not args.no_pdf,
        progress=bar,
        executor=args.executor,
        scheduler=args.scheduler,
    )
    if bar:
        bar.close()
    print(
        f"built {summary.count('built')}, skipped {summary.count('skipped')} (unchanged), "
        f"failed {len(summary.failed)}, in {summary.seconds:.1f} s"
    )
    if summary.failed:
        print("\nfailed reports:")
        for r in summary.failed:
            where = f"cell {r.cell}" if r.cell is not None else "-"
            print(
                f"  {r.job.id:<24} {where:<8} {r.error}\n  {'':<24} notebook: {r.notebook or '-'}"
            )
        return 1
    return 0


def _progress(total: int):
    from tqdm import tqdm

    bar = tqdm(total=total, unit="report", dynamic_ncols=True, disable=None)

    def update(result, done, todo):
        bar.total = todo
        bar.update(1)
        bar.set_postfix_str(f"{result.job.id} {result.status}")

    update.close = bar.close
    return update


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sxsh",
        description="SXSH evaluation workbook: sample data, cleaning, indicators, reports.",
    )
    p.add_argument("--version", action="version", version=f"sxsh {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("sample", help="write the calibrated sample's raw files")
    s.add_argument("--out", help="folder (default: data/sample)")
    s.add_argument("--seed", type=int, default=1419, help="random seed (default: 1419)")
    s.set_defaults(func=cmd_sample)

    c = sub.add_parser("clean", help="clean survey files into Parquet tables, quarantine and log")
    c.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="CSV/XLSX files or folders (default: data/raw, else data/sample)",
    )
    c.add_argument(
        "--out", help="folder for the cleaned data (default: data/cleaned); replaced whole"
    )
    c.add_argument(
        "--salt-file", help="file holding the salt for hashing identifiers (default: data/.salt)"
    )
    c.add_argument("--quiet", action="store_true", help="print nothing on success")
    c.set_defaults(func=cmd_clean)

    v = sub.add_parser("validate", help="report problems in survey files without writing anything")
    v.add_argument("files", nargs="*", metavar="FILE", help="CSV/XLSX files or folders")
    v.add_argument("--max-rows", type=int, default=50, help="problem rows to list (default: 50)")
    v.set_defaults(func=cmd_validate)

    i = sub.add_parser(
        "indicators",
        help="indicators of one round by level (disclosure-protected), as CSV or JSON",
        description="Columns: the group keys, then n, aware_n, aware_pct, aware_pct_lo, aware_pct_hi, "
        "applied_n, applied_pct, applied_pct_lo, applied_pct_hi, saving_met_n, saving_met_pct, "
        "suppressed, then extra columns (saving_threshold, ...). Percentages run from 0 to 100; "
        "suppressed values are empty.",
    )
    i.add_argument("--data", help="cleaned-data folder (default: data/cleaned)")
    i.add_argument("--round", type=int, help="survey round (default: the latest in the data)")
    i.add_argument(
        "--by",
        default="national",
        help="national, region, province, unit2025, sector, size, ownership, or a comma list",
    )
    i.add_argument("--format", choices=["csv", "json"], default="csv")
    i.add_argument(
        "--phase",
        type=int,
        choices=[2015, 2020],
        help="phase whose saving threshold applies (default: by the round's year)",
    )
    i.add_argument(
        "--weighted", action="store_true", help="use survey weights (design-based intervals)"
    )
    i.add_argument(
        "--min-cell",
        type=int,
        help="suppress statistics based on fewer enterprises (default: parameters/build.yaml)",
    )
    i.set_defaults(func=cmd_indicators)

    b = sub.add_parser("build", help="build the reports (HTML and PDF), the index and the manifest")
    b.add_argument(
        "--lang", help="comma list of languages: vi, en (default: parameters/build.yaml)"
    )
    b.add_argument(
        "--geography", choices=["2010", "2025"], help="63 provinces (2010) or 34 units (2025)"
    )
    b.add_argument(
        "--only", help="comma list of codes to build (add 'national' for the national report)"
    )
    b.add_argument(
        "--round", type=int, help="survey round to headline (default: parameters/build.yaml)"
    )
    b.add_argument(
        "--force", action="store_true", help="rebuild even the reports whose inputs did not change"
    )
    b.add_argument("--jobs", type=int, help="parallel workers (default: the machine's cores)")
    b.add_argument(
        "--dry-run", action="store_true", help="list what would be built and why, build nothing"
    )
    b.add_argument("--no-pdf", action="store_true", help="HTML only")
    b.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="local worker processes (default) or an existing Dask distributed cluster",
    )
    b.add_argument(
        "--scheduler", help="Dask scheduler address, tcp://HOST:PORT (with --executor dask)"
    )
    b.add_argument("--data", help="cleaned-data folder (default: data/cleaned)")
    b.add_argument("--out", help="outputs folder (default: outputs)")
    b.set_defaults(func=cmd_build)

    t = sub.add_parser("template", help="write the Excel data-entry template")
    t.add_argument("--out", required=True, help="the .xlsx file to write")
    t.set_defaults(func=cmd_template)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SxshError as e:
        lines = [str(e)]
        cause = e.__cause__
        if cause is not None and hasattr(cause, "problems"):
            lines = [str(p) for p in cause.problems]
        for line in lines:
            print(f"sxsh: error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sxsh: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # the machine's side: a full disk, a read-only or missing folder
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        print(f"sxsh: error: {where}{e.strerror or e}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("SXSH_DEBUG"):
            traceback.print_exc()
        print(
            f"sxsh: internal error: {type(e).__name__}: {e} (set SXSH_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
