"""Build the reports: validate, plan, execute notebooks in warm kernels, render HTML and PDF, write
the index and the manifest.

- **Validate first**: parameters and cleaned data are checked before any kernel starts.
- **Plan**: one job per report (national, then each province or 2025 unit, per language). A job's
  *input hash* covers everything its output depends on by content: the notebook, its parameters, the
  cleaned data files, the package's code, locales, templates and reference data, the build and province
  parameters, and the report's commentary file. A report whose input hash and output files match the
  last good build is skipped.
- **Execute**: each worker process keeps one kernel warm and runs its jobs in it, each notebook
  starting with a namespace reset (every user name deleted, as ``%reset -f`` does, without its full
  garbage collection, which cost a quarter of a second per report) so a report never depends on the
  one before; imports and data caches stay warm. A kernel that dies is restarted for the next job.
- **Fault isolation**: a failing report is recorded (cell, last error line, the executed notebook kept
  under ``outputs/.build/failed/``) and the batch goes on; outputs are written atomically, so a failed
  or interrupted report never replaces its last good files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import config, i18n, load, paths, reference
from .errors import SxshError

NOTEBOOKS = {"national": "national.ipynb", "province": "province.ipynb", "unit": "province.ipynb"}
STATE_FILE = ".build/state.json"


@dataclass(frozen=True)
class Job:
    """One report to build."""

    kind: str  # national | province | unit
    code: str | None
    lang: str
    round: int | None = None

    @property
    def id(self) -> str:
        return f"{self.lang}/{self.kind}" + (f"/{self.code}" if self.code else "")

    def params(self, data_dir: str | None) -> dict:
        p = {"lang": self.lang, "round": self.round, "data_dir": data_dir}
        if self.kind != "national":
            p.update({"code": self.code, "kind": self.kind})
        return p

    def stem(self) -> str:
        """Output path without suffix, relative to the outputs folder."""
        if self.kind == "national":
            return f"{self.lang}/national"
        name = (
            i18n.province_name(self.code, "vi")
            if self.kind == "province"
            else i18n.unit_name(self.code, "vi")
        )
        folder = "provinces" if self.kind == "province" else "units2025"
        from .report import slug

        return f"{self.lang}/{folder}/{self.code}-{slug(name)}"


@dataclass
class Result:
    job: Job
    status: str  # built | skipped | failed
    seconds: float = 0.0
    meta: dict | None = None
    error: str = ""
    cell: int | None = None
    notebook: str = ""
    outputs: dict = field(default_factory=dict)
    stages: dict = field(default_factory=dict)  # seconds per stage: execute, render


# --- planning -------------------------------------------------------------------------------------
def plan_jobs(
    langs: list[str],
    geography: str = "2010",
    only: list[str] | None = None,
    round_: int | None = None,
    national: bool = True,
) -> list[Job]:
    """Every report of a build, national first. ``only`` keeps the reports of those codes (and the
    national report when "national" is among them). Refuses unknown languages and codes."""
    for lang in langs:
        if lang not in i18n.LANGS:
            raise SxshError(f"unknown language '{lang}' (languages: {', '.join(i18n.LANGS)})")
    kind = "province" if geography == "2010" else "unit"
    codes = list(
        reference.provinces()["code"] if kind == "province" else reference.units_2025()["code"]
    )
    if only:
        wanted = [c.strip() for c in only if c.strip()]
        bad = [c for c in wanted if c != "national" and c.zfill(2) not in codes]
        if bad:
            what = "province" if kind == "province" else "2025 unit"
            raise SxshError(f"--only: not a {what} code: {', '.join(bad)}")
        national = "national" in wanted
        codes = [c for c in codes if c in {w.zfill(2) for w in wanted if w != "national"}]
    jobs = []
    for lang in langs:
        if national:
            jobs.append(Job("national", None, lang, round_))
        jobs += [Job(kind, c, lang, round_) for c in codes]
    return jobs


def _hash_files(files, root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(files):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def code_hash() -> str:
    """Digest of the package's code, locales, templates and reference data."""
    pkg = paths.PACKAGE_DIR
    files = [
        p
        for p in pkg.rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".yaml", ".css", ".j2", ".csv")
        and "__pycache__" not in p.parts
    ]
    return _hash_files(files, pkg)


def report_notebooks(override: str | Path | None = None) -> Path:
    """The folder of the report notebooks (``notebooks/reports``, or another one for tests)."""
    return Path(override) if override else paths.notebooks_dir() / "reports"


def input_hash(job: Job, shared: dict, notebooks: str | Path | None = None) -> str:
    """Everything one report depends on, by content."""
    root = paths.project_root()
    h = hashlib.sha256()
    h.update((report_notebooks(notebooks) / NOTEBOOKS[job.kind]).read_bytes())
    h.update(json.dumps(dataclasses.asdict(job), sort_keys=True).encode())
    h.update(shared["data"].encode())
    h.update(shared["code"].encode())
    h.update(shared["params"].encode())
    from .report import Report

    rel = Report.commentary_path_for(job.kind, job.code, job.lang)
    p = root / rel
    h.update(p.read_bytes() if p.is_file() else b"(none)")
    return h.hexdigest()


def shared_hashes(data_dir: Path) -> dict:
    params = paths.parameters_dir()
    return {
        "data": _hash_files([p for p in data_dir.iterdir() if p.is_file()], data_dir),
        "code": code_hash(),
        "params": _hash_files(
            [p for p in (params / "build.yaml", params / "province_targets.yaml") if p.is_file()],
            params,
        ),
    }


def load_state(out: Path) -> dict:
    p = out / STATE_FILE
    if p.is_file():
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}
    return {}


def save_state(out: Path, state: dict) -> None:
    from .safe_export import write_atomic

    write_atomic(out / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"))


def file_sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def up_to_date(job: Job, h: str, state: dict, out: Path, pdf: bool) -> bool:
    entry = state.get(job.id)
    if not entry or entry.get("input") != h:
        return False
    for kind, rec in entry.get("outputs", {}).items():
        if kind == "pdf" and not pdf:
            continue
        p = out / rec["path"]
        if not p.is_file() or file_sha(p) != rec["sha256"]:
            return False
    return "html" in entry.get("outputs", {}) and (not pdf or "pdf" in entry["outputs"])


def why(job: Job, h: str, state: dict, out: Path, pdf: bool, force: bool) -> str:
    """Why a job would be built: new, changed input, missing output, forced; "" if it is up to date."""
    if force:
        return "forced"
    entry = state.get(job.id)
    if not entry:
        return "new"
    if entry.get("input") != h:
        return "changed input"
    if not up_to_date(job, h, state, out, pdf):
        return "output missing or changed"
    return ""


# --- execution ------------------------------------------------------------------------------------
class WarmKernel:
    """One kernel kept alive across notebooks (started lazily, restarted if it dies).

    Uses jupyter_client's asynchronous kernel manager, as nbclient does: with a synchronous client a
    kernel that dies (``os._exit``) would leave nbclient waiting for its output forever, because the
    blocking read starves the check that notices the death."""

    def __init__(self, log_dir: Path | None = None, cwd: Path | None = None):
        self.km = None
        self.kc = None
        self.log_dir = log_dir
        self.cwd = cwd or report_notebooks()

    def _start(self):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name="python3")
        kw = {}
        if self.log_dir is not None:  # the kernel's own messages go to a log, not the terminal
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.log_dir / f"kernel-{os.getpid()}.log", "ab")  # noqa: SIM115 (lives with the kernel)
            kw = {"stdout": log, "stderr": log}
        run_sync(self.km.start_kernel)(
            cwd=str(self.cwd), extra_arguments=["--HistoryManager.enabled=False"], **kw
        )
        self.kc = None

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def run(self, nb, timeout: int = 600):
        from nbclient import NotebookClient
        from nbclient.exceptions import DeadKernelError

        if not self.alive():
            self.shutdown()
            self._start()
        client = NotebookClient(nb, km=self.km, timeout=timeout, kernel_name="python3")
        if self.kc is not None:
            client.kc = self.kc
        try:
            client.execute(cleanup_kc=False)
        except DeadKernelError:
            self.shutdown()
            raise
        finally:
            self.kc = client.kc if self.km is not None else None
        return nb

    def shutdown(self):
        from jupyter_core.utils import run_sync

        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km is not None:
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # the kernel may already be gone
            pass
        self.km = self.kc = None


# Deletes every name the previous notebook made (IPython's own names are "hidden" and kept) and the
# output cache. Same effect on the namespace as ``%reset -f``, minus its gc.collect() over the whole heap.
RESET = """\
for _n in [n for n in get_ipython().user_ns if n not in get_ipython().user_ns_hidden and n[:2] != "__"]:
    get_ipython().user_ns.pop(_n, None)
get_ipython().user_ns["_oh"].clear()
get_ipython().user_ns.pop("_n", None)"""


def prepare_notebook(job: Job, data_dir: str | None, notebooks: str | Path | None = None):
    """The report notebook with a namespace reset first and the job's parameters injected after the
    ``parameters`` cell (values are validated before; repr() makes Python literals of them)."""
    import nbformat

    nb = nbformat.read(report_notebooks(notebooks) / NOTEBOOKS[job.kind], as_version=4)
    idx = next(
        (i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), None
    )
    if idx is None:
        raise SxshError(f"{NOTEBOOKS[job.kind]}: no cell tagged 'parameters'")
    src = "# Parameters (injected)\n" + "\n".join(
        f"{k} = {v!r}" for k, v in job.params(data_dir).items()
    )
    nb.cells.insert(
        idx + 1, nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    )
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET, metadata={"tags": ["sxsh-reset"]}))
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:02d}"
    return nb


# one warm kernel per worker thread: a process-pool worker has one thread, a Dask worker may have several
_LOCAL = threading.local()


def _kernel(out: str, notebooks: str | None) -> WarmKernel:
    k = getattr(_LOCAL, "kernel", None)
    if k is None:
        k = _LOCAL.kernel = WarmKernel(Path(out) / ".build" / "logs", report_notebooks(notebooks))
    return k


def run_job(
    job: Job,
    data_dir: str | None,
    out: str,
    pdf: bool,
    debug_dir: str,
    notebooks: str | None = None,
) -> Result:
    """Execute and render one report in this worker's warm kernel. Never raises: failures come back
    as a Result with the cell and the last error line."""
    import nbformat

    from .render import RenderError, render

    kernel = _kernel(out, notebooks)
    t0 = time.perf_counter()
    nb = None
    try:
        nb = prepare_notebook(job, data_dir, notebooks)
        kernel.run(nb)
        t1 = time.perf_counter()
        stem = Path(out) / job.stem()
        meta = render(nb, stem.with_suffix(".html"), stem.with_suffix(".pdf") if pdf else None)
        stages = {"execute": t1 - t0, "render": time.perf_counter() - t1}
        outputs = {"html": stem.with_suffix(".html")}
        if pdf:
            outputs["pdf"] = stem.with_suffix(".pdf")
        recs = {
            k: {"path": str(p.relative_to(out)), "sha256": file_sha(p)} for k, p in outputs.items()
        }
        return Result(job, "built", time.perf_counter() - t0, meta, outputs=recs, stages=stages)
    except Exception as e:  # one report failing must not stop the others
        cell, msg = _describe(e, nb)
        if isinstance(e, RenderError):
            cell = e.cell
        kept = ""
        if nb is not None:
            kept_path = Path(debug_dir) / (job.id.replace("/", "_") + ".ipynb")
            kept_path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, kept_path)
            kept = str(kept_path)
        return Result(job, "failed", time.perf_counter() - t0, error=msg, cell=cell, notebook=kept)


def _describe(e: Exception, nb) -> tuple[int | None, str]:
    """The failing cell (as numbered in the report notebook) and the last line of the error."""
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    if isinstance(e, CellExecutionError):
        cell = None
        if nb is not None:
            for i, c in enumerate(nb.cells):
                if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
                    cell = i
                    break
        lines = [ln for ln in str(e).strip().splitlines() if ln.strip()]
        return cell, (
            f"{e.ename}: {e.evalue}"
            if getattr(e, "ename", None)
            else (lines[-1] if lines else "error")
        )
    if isinstance(e, DeadKernelError):
        return None, "the kernel died"
    return None, f"{type(e).__name__}: {e}".splitlines()[0]


def _worker_shutdown():
    k = getattr(_LOCAL, "kernel", None)
    if k is not None:
        k.shutdown()
        _LOCAL.kernel = None


_THREAD = None  # a local worker's one report thread (see _worker_init)


def _worker_init():
    """Set up a local worker process: its reports run in one thread of their own, Ctrl-C is left to
    the parent, and the warm kernel is shut down when the worker exits (pool workers skip atexit).

    Why the thread: nbclient installs its own SIGINT handler when it runs in a main thread, which on
    Ctrl-C kills the kernel mid-report and prints a traceback; outside the main thread it installs none.
    A terminal sends SIGINT to every process of the batch; the parent cancels what has not started,
    lets the reports in progress finish (their files are written whole) and exits with code 130."""
    import signal
    from concurrent.futures import ThreadPoolExecutor
    from multiprocessing import util

    global _THREAD
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sxsh-report")
    util.Finalize(None, _worker_stop, exitpriority=10)


def _worker_stop():
    if _THREAD is not None:
        _THREAD.submit(_worker_shutdown).result()
        _THREAD.shutdown()


def run_job_local(*args) -> Result:
    """:func:`run_job` in this local worker's report thread."""
    return _THREAD.submit(run_job, *args).result()


# --- index and manifest ---------------------------------------------------------------------------
def write_log(out: Path, r: Result, input_hash_: str) -> None:
    """outputs/.build/logs/<report>.log: one line per attempt (time, status, seconds, error, notebook)."""
    logs = out / ".build" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    line = f"{now} {r.status} {r.seconds:.2f}s input={input_hash_[:12]}"
    if r.stages:
        line += " (" + ", ".join(f"{k} {v:.2f}s" for k, v in r.stages.items()) + ")"
    if r.status == "failed":
        line += f" cell={r.cell} error={r.error!r} notebook={r.notebook}"
    with open(logs / (r.job.id.replace("/", "_") + ".log"), "a", encoding="utf-8") as f:
        f.write(line + "\n")


def write_index(out: Path, state: dict) -> Path:
    """outputs/index.html: every report with its key figures, sortable and filterable, linking to both
    formats. All text is escaped; the page needs nothing from outside."""
    from html import escape

    from .safe_export import write_atomic

    rows = []
    for _rid, entry in sorted(
        state.items(),
        key=lambda kv: (
            kv[1]["meta"]["lang"],
            kv[1]["meta"]["kind"] != "national",
            kv[1]["meta"].get("code") or "",
        ),
    ):
        m = entry["meta"]
        lang = m["lang"]
        key = m.get("key", {})
        links = " ".join(
            f'<a href="{escape(rec["path"])}">{k.upper()}</a>'
            for k, rec in sorted(entry["outputs"].items(), key=lambda kv: kv[0] != "html")
        )
        cells = [m["lang"], m.get("code") or "", m["name"], str(m["round"]), f"{key.get('n', '')}"]
        cells += [
            "" if key.get(k) is None else i18n.num(key[k], lang, 1)
            for k in ("awareness", "application", "saving_met", "cp_unit")
        ]
        tds = "".join(
            f"<td{' class=num' if i >= 4 else ''}>{escape(str(c))}</td>"
            for i, c in enumerate(cells)
        )
        sample = ' <span class="sample">SAMPLE</span>' if m.get("sample") else ""
        rows.append(f"<tr>{tds}<td>{links}{sample}</td></tr>")
    head = [
        "Lang",
        "Code",
        "Report",
        "Round",
        "Enterprises",
        "Aware %",
        "Applying %",
        "Saving met %",
        "CP unit %",
        "Files",
    ]
    html = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>SXSH – báo cáo / reports</title>
<style>
body {{ font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
h1 {{ color: #1f5f99; font-size: 1.5em; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9em; }}
th {{ text-align: left; border-bottom: 2px solid #1f5f99; cursor: pointer; padding: .3em; user-select: none; }}
td {{ border-bottom: 1px solid #d6dde5; padding: .3em; }} td.num {{ text-align: right; }}
input {{ font-size: 1em; padding: .3em; width: 20em; margin: .5em 0 1em; }}
.sample {{ color: #a4262c; font-weight: bold; font-size: .8em; }}
</style></head><body>
<h1>Đánh giá Chiến lược sản xuất sạch hơn – báo cáo · Cleaner Production Strategy evaluation – reports</h1>
<p>{len(rows)} báo cáo / reports. <label>Lọc / filter: <input id="filter" type="search" placeholder="Đồng Nai, 75, en…"></label></p>
<table id="reports"><thead><tr>{"".join(f'<th data-col="{i}">{escape(h)}</th>' for i, h in enumerate(head))}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<script>
(function () {{
  var table = document.getElementById("reports"), body = table.tBodies[0];
  document.getElementById("filter").addEventListener("input", function (e) {{
    var q = e.target.value.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (r) {{
      r.style.display = r.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
    }});
  }});
  var dir = {{}};
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {{
    th.addEventListener("click", function () {{
      var i = +th.dataset.col, d = dir[i] = -(dir[i] || -1);
      var rows = Array.prototype.slice.call(body.rows);
      var num = function (s) {{ return parseFloat(s.replace(/\\./g, "").replace(",", ".")); }};
      rows.sort(function (a, b) {{
        var x = a.cells[i].textContent, y = b.cells[i].textContent, nx = num(x), ny = num(y);
        if (!isNaN(nx) && !isNaN(ny)) return d * (nx - ny);
        return d * x.localeCompare(y, "vi");
      }});
      rows.forEach(function (r) {{ body.appendChild(r); }});
    }});
  }});
}})();
</script>
</body></html>
"""
    path = out / "index.html"
    write_atomic(path, html.encode("utf-8"))
    return path


def write_manifest(out: Path, state: dict) -> Path:
    """outputs/manifest.json: every report file with its hash and its report's provenance."""
    from .safe_export import write_atomic

    reports = []
    for rid, entry in sorted(state.items()):
        m = entry["meta"]
        reports.append(
            {
                "id": rid,
                "kind": m["kind"],
                "code": m.get("code"),
                "lang": m["lang"],
                "round": m["round"],
                "name": m["name"],
                "files": entry["outputs"],
                "input_hash": entry["input"],
                "key": m.get("key"),
                "provenance": m.get("provenance"),
            }
        )
    doc = {"written": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "reports": reports}
    path = out / "manifest.json"
    write_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
    return path


# --- the whole build ------------------------------------------------------------------------------
@dataclass
class BuildSummary:
    results: list[Result]
    seconds: float

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def validate(data_dir: Path, jobs: list[Job]) -> None:
    """Checks that need no kernel: parameters, the cleaned data's presence and schema, the rounds."""
    config.load_build_config()
    load.province_targets()
    from .schema import validate_cleaned

    for name in ("enterprises",):
        validate_cleaned(name, load.table(name, data_dir))
    rounds = load.rounds(data_dir)
    for j in jobs:
        if j.round is not None and j.round not in rounds:
            raise SxshError(
                f"round {j.round} is not in the cleaned data (rounds: {', '.join(map(str, rounds))})"
            )


def _check_writable(out: Path) -> None:
    """Refuse (SxshError) an outputs folder that cannot be written, before any kernel starts."""
    import tempfile

    from .safe_export import ensure_folder

    ensure_folder(out / ".build")
    try:
        with tempfile.TemporaryFile(dir=out / ".build"):
            pass
    except OSError as e:
        raise SxshError(f"cannot write to the outputs folder {out}: {e.strerror or e}") from e


def build(
    jobs: list[Job],
    data_dir: Path | None = None,
    out: Path | None = None,
    jobs_n: int | None = None,
    force: bool = False,
    pdf: bool = True,
    progress=None,
    dry_run: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    client=None,
    notebooks: str | Path | None = None,
) -> BuildSummary:
    """Build the reports of ``jobs``. Returns a :class:`BuildSummary`; failures are inside it.

    ``executor`` "local" runs ``jobs_n`` worker processes; "dask" sends the jobs to a Dask distributed
    cluster (``scheduler`` address, or a ``client``) whose workers see the project folder."""
    if executor not in ("local", "dask"):
        raise SxshError(f"unknown executor '{executor}' (local, dask)")
    if executor == "dask" and not (scheduler or client):
        raise SxshError("--executor dask needs --scheduler tcp://HOST:PORT")
    t0 = time.perf_counter()
    data_dir = Path(data_dir) if data_dir else paths.cleaned_dir()
    out = Path(out) if out else paths.outputs_dir()
    validate(data_dir, jobs)
    _check_writable(out)
    shared = shared_hashes(data_dir)
    state = load_state(out)
    hashes = {j.id: input_hash(j, shared, notebooks) for j in jobs}
    todo, results = [], []
    for j in jobs:
        reason = why(j, hashes[j.id], state, out, pdf, force)
        if reason:
            todo.append((j, reason))
        else:
            results.append(Result(j, "skipped"))
    if dry_run:
        return BuildSummary(
            results + [Result(j, f"would build ({r})") for j, r in todo], time.perf_counter() - t0
        )
    data_arg = str(data_dir) if data_dir != paths.cleaned_dir() else None
    debug_dir = str(out / ".build" / "failed")
    nb_arg = str(notebooks) if notebooks else None
    args = (data_arg, str(out), pdf, debug_dir, nb_arg)
    done = 0

    def record(r: Result) -> None:
        nonlocal done
        results.append(r)
        done += 1
        write_log(out, r, hashes[r.job.id])
        if r.status == "built":
            state[r.job.id] = {"input": hashes[r.job.id], "outputs": r.outputs, "meta": r.meta}
            save_state(out, state)  # after every report: an interrupted batch resumes
        if progress:
            progress(r, done, len(todo))

    if todo and executor == "local":
        from concurrent.futures import ProcessPoolExecutor, as_completed

        n = max(1, min(jobs_n or os.cpu_count() or 1, len(todo)))
        with ProcessPoolExecutor(max_workers=n, initializer=_worker_init) as pool:
            futures = [pool.submit(run_job_local, j, *args) for j, _ in todo]
            try:
                for fut in as_completed(futures):
                    record(fut.result())
            except KeyboardInterrupt:
                for f in futures:
                    f.cancel()
                print("sxsh: interrupted; finishing the reports in progress", file=sys.stderr)
                raise
    elif todo:
        from distributed import Client
        from distributed import as_completed as dask_completed

        own = client is None
        client = client or Client(scheduler, timeout="30s")
        try:
            futures = [client.submit(run_job, j, *args, pure=False) for j, _ in todo]
            try:
                for fut in dask_completed(futures):
                    record(fut.result())
            except KeyboardInterrupt:
                client.cancel(futures)
                raise
        finally:
            if own:
                client.close()
    if state:
        write_index(out, state)
        write_manifest(out, state)
    return BuildSummary(results, time.perf_counter() - t0)
