"""The batch: fast path equal to a fresh kernel, fault isolation, interruption, incremental rebuilds,
the Dask executor, validation before any kernel starts."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from sxsh_analysis import build, cli, render
from sxsh_analysis.errors import SxshError

pytestmark = pytest.mark.slow
STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")


def body_of(path: Path) -> str:
    """A built HTML file without its build time (the only thing that differs between two builds)."""
    return STAMP.sub("<time>", path.read_text(encoding="utf-8"))


def assert_recorded_outputs_whole(out: Path, state: dict) -> None:
    """Every output the build state records is on disk, whole: its bytes match the recorded hash."""
    for entry in state.values():
        for rec in entry["outputs"].values():
            assert build.file_sha(out / rec["path"]) == rec["sha256"], rec["path"]


@pytest.fixture(scope="module")
def failing_notebooks(tmp_path_factory) -> Path:
    """The report notebooks, with a cell that raises for province 91 and kills the kernel for 12."""
    d = tmp_path_factory.mktemp("notebooks")
    for p in build.report_notebooks().glob("*.ipynb"):
        shutil.copy(p, d / p.name)
    nb = nbformat.read(d / "province.ipynb", as_version=4)
    i = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    cell = nbformat.v4.new_code_cell(
        'if code == "91":\n    raise RuntimeError("boom in 91")\nif code == "12":\n    import os\n    os._exit(1)',
        metadata={"tags": []},
    )
    cell["id"] = "fault"
    nb.cells.insert(i + 1, cell)
    nbformat.write(nb, d / "province.ipynb")
    return d


def test_fast_path_equals_fresh_kernel(cleaned_dir, tmp_path):
    from nbclient import NotebookClient

    jobs = [build.Job("province", "01", "vi"), build.Job("province", "75", "vi")]
    s = build.build(
        jobs, cleaned_dir, tmp_path, jobs_n=1, pdf=False
    )  # 75 runs in the kernel 01 warmed
    assert s.count("built") == 2
    nb = build.prepare_notebook(jobs[1], str(cleaned_dir))
    NotebookClient(nb, kernel_name="python3", timeout=600).execute()  # a new kernel, nothing cached
    fresh = tmp_path / "fresh.html"
    meta = render.render(nb, fresh)
    warm_state = json.loads((tmp_path / ".build/state.json").read_text(encoding="utf-8"))
    assert warm_state["vi/province/75"]["meta"]["key"] == meta["key"]
    assert body_of(tmp_path / "vi/provinces/75-dong-nai.html") == body_of(fresh)


def test_reset_cell_leaves_no_name_of_the_previous_report():
    import nbformat.v4 as v4

    k = build.WarmKernel(cwd=Path.cwd())
    try:
        first = v4.new_notebook(cells=[v4.new_code_cell("x = 1\nimport json as j\nx")])
        k.run(first)
        probe = "[n for n in dir() if n[0] != '_' and n not in get_ipython().user_ns_hidden]"
        second = v4.new_notebook(cells=[v4.new_code_cell(build.RESET), v4.new_code_cell(probe)])
        k.run(second)
        assert second.cells[1].outputs[0]["data"]["text/plain"] == "[]"
    finally:
        k.shutdown()


def test_failures_are_isolated_and_reported(cleaned_dir, tmp_path, failing_notebooks):
    jobs = [build.Job("province", c, "vi") for c in ("75", "91", "12", "01")]
    s = build.build(jobs, cleaned_dir, tmp_path, jobs_n=1, pdf=False, notebooks=failing_notebooks)
    by = {r.job.code: r for r in s.results}
    assert {c: r.status for c, r in by.items()} == {
        "75": "built",
        "91": "failed",
        "12": "failed",
        "01": "built",
    }
    assert by["91"].error == "RuntimeError: boom in 91"
    nb = nbformat.read(by["91"].notebook, as_version=4)
    assert nb.cells[by["91"].cell]["id"] and "boom in 91" in str(nb.cells[by["91"].cell].outputs)
    assert by["12"].error == "the kernel died"
    assert (tmp_path / "vi/provinces/01-ha-noi.html").is_file()  # built after the kernel died
    assert not list(tmp_path.glob("vi/provinces/91-*")) and not list(
        tmp_path.glob("vi/provinces/12-*")
    )
    log = (tmp_path / ".build/logs/vi_province_91.log").read_text(encoding="utf-8")
    assert "failed" in log and "boom in 91" in log


def test_cli_prints_failures_and_exits_non_zero(
    cleaned_dir, tmp_path, failing_notebooks, monkeypatch, capsys
):
    monkeypatch.setattr(
        build, "report_notebooks", lambda override=None: Path(override or failing_notebooks)
    )
    code = cli.main(
        [
            "build",
            "--only",
            "75,91",
            "--data",
            str(cleaned_dir),
            "--out",
            str(tmp_path),
            "--jobs",
            "1",
            "--no-pdf",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "built 1, skipped 0 (unchanged), failed 1" in out
    assert re.search(r"vi/province/91\s+cell \d+\s+RuntimeError: boom in 91", out)
    assert "notebook: " in out and "vi_province_91.ipynb" in out


def test_interrupted_build_keeps_outputs_and_resumes(cleaned_dir, tmp_path):
    jobs = [build.Job("province", c, "vi") for c in ("75", "01")]
    build.build(jobs, cleaned_dir, tmp_path, jobs_n=1, pdf=True)
    before = json.loads((tmp_path / ".build/state.json").read_text(encoding="utf-8"))
    cmd = [
        sys.executable,
        "-m",
        "sxsh_analysis.cli",
        "build",
        "--only",
        "75,01,91,12,79",
        "--force",
        "--data",
        str(cleaned_dir),
        "--out",
        str(tmp_path),
        "--jobs",
        "1",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    log = tmp_path / ".build/logs/vi_province_75.log"
    deadline = time.time() + 120
    while time.time() < deadline and log.read_text(encoding="utf-8").count("built") < 2:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole batch, parent first, mid-run
    proc.wait()
    time.sleep(1)
    state = json.loads((tmp_path / ".build/state.json").read_text(encoding="utf-8"))
    assert_recorded_outputs_whole(tmp_path, state)
    assert set(before) <= set(state)
    visible = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and not any(x.startswith(".") for x in p.relative_to(tmp_path).parts)
    ]
    assert not [p for p in visible if p.suffix not in (".html", ".pdf", ".json")]
    s = build.build(
        [build.Job("province", c, "vi") for c in ("75", "01", "91", "12", "79")],
        cleaned_dir,
        tmp_path,
        jobs_n=2,
    )
    assert not s.failed and s.count("built") + s.count("skipped") == 5
    assert s.count("skipped") >= 1  # what the killed run finished is not built again


def test_unchanged_inputs_rebuild_nothing_and_changed_data_rebuilds(cleaned_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(cleaned_dir, data)
    out = tmp_path / "out"
    jobs = [build.Job("province", "75", "vi"), build.Job("province", "01", "vi")]
    assert build.build(jobs, data, out, jobs_n=2, pdf=False).count("built") == 2
    again = build.build(jobs, data, out, jobs_n=2, pdf=False)
    assert again.count("skipped") == 2 and again.seconds < 3
    d = pd.read_parquet(data / "doit.parquet")
    d.loc[d.index[0], "trainings"] = 99
    d.to_parquet(data / "doit.parquet", index=False)
    plan = build.build(jobs, data, out, pdf=False, dry_run=True)
    assert {r.status for r in plan.results} == {"would build (changed input)"}
    assert build.build(jobs, data, out, jobs_n=2, pdf=False).count("built") == 2
    (out / "vi/provinces/75-dong-nai.html").write_text("tampered", encoding="utf-8")
    assert {
        r.job.code: r.status for r in build.build(jobs, data, out, pdf=False, dry_run=True).results
    } == {"75": "would build (output missing or changed)", "01": "skipped"}


def test_dask_executor_builds_the_same_files(cleaned_dir, tmp_path):
    from distributed import Client, LocalCluster

    jobs = [build.Job("province", "75", "vi")]
    build.build(jobs, cleaned_dir, tmp_path / "local", jobs_n=1, pdf=False)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        s = build.build(
            jobs, cleaned_dir, tmp_path / "dask", pdf=False, executor="dask", client=client
        )
    assert s.count("built") == 1 and not s.failed
    a = body_of(tmp_path / "local/vi/provinces/75-dong-nai.html")
    b = body_of(tmp_path / "dask/vi/provinces/75-dong-nai.html")
    assert a == b


def test_bad_parameters_fail_before_any_kernel(tmp_path, cleaned_dir):
    t = time.perf_counter()
    with pytest.raises(SxshError, match="--only: not a province code: 03"):
        build.plan_jobs(["vi"], only=["75", "03"])
    with pytest.raises(SxshError, match="unknown language 'fr'"):
        build.plan_jobs(["fr"])
    with pytest.raises(SxshError, match=r"round 2016 is not in the cleaned data"):
        build.build([build.Job("province", "75", "vi", 2016)], cleaned_dir, tmp_path)
    with pytest.raises(SxshError, match="--executor dask needs --scheduler"):
        build.build([build.Job("province", "75", "vi")], cleaned_dir, tmp_path, executor="dask")
    assert time.perf_counter() - t < 1.0
    assert not (tmp_path / ".build").exists()


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(cleaned_dir, tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole foreground process group: the batch stops with
    exit code 130 and a one-line message, what it finished is recorded and whole, nothing half-written
    is left, and the next run builds only the rest."""
    codes = ["75", "01", "91", "12", "79", "02"]
    cmd = [sys.executable, "-m", "sxsh_analysis.cli", "build", "--only", ",".join(codes)]
    cmd += ["--data", str(cleaned_dir), "--out", str(tmp_path), "--jobs", "1"]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job
    )
    state_file = tmp_path / ".build/state.json"
    deadline = time.time() + 180
    while time.time() < deadline:
        if state_file.exists() and len(json.loads(state_file.read_text(encoding="utf-8"))) >= 2:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1] == "sxsh: interrupted"
    assert "Traceback" not in err
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert 2 <= len(state) < len(codes)
    assert_recorded_outputs_whole(tmp_path, state)
    assert not list(tmp_path.rglob("*.part"))
    s = build.build(
        [build.Job("province", c, "vi") for c in codes], cleaned_dir, tmp_path, jobs_n=2
    )
    assert not s.failed
    assert s.count("skipped") == len(state) and s.count("built") == len(codes) - len(state)


def test_unwritable_outputs_folder_is_refused_before_any_kernel_starts(cleaned_dir, tmp_path):
    blocker = tmp_path / "outputs"
    blocker.write_text("a file where the outputs folder should go")
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "sxsh_analysis.cli", "build", "--only", "75"]
        + ["--data", str(cleaned_dir), "--out", str(blocker)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2
    assert r.stderr == (
        f"sxsh: error: cannot write {blocker / '.build'}: {blocker} is a file, not a folder\n"
    )
    assert time.perf_counter() - t0 < 10 and blocker.read_text().startswith("a file")


def test_full_disk_while_writing_a_report_keeps_its_last_good_files(
    cleaned_dir, tmp_path, monkeypatch
):
    jobs = [build.Job("province", c, "vi") for c in ("75", "01")]
    assert build.build(jobs, cleaned_dir, tmp_path, jobs_n=1, pdf=False).count("built") == 2
    good = {p: p.read_bytes() for p in tmp_path.rglob("*.html")}

    class Full:
        """A file that takes half the bytes, then finds the disk full."""

        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def write(self, data):
            self.f.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real(fd, *a, **k)))
    with pytest.raises(OSError) as e:  # the workers (forked) and the parent share the full disk
        build.build(jobs, cleaned_dir, tmp_path, jobs_n=1, pdf=False, force=True)
    assert e.value.filename == str(
        tmp_path / "index.html"
    )  # the CLI prints it: "PATH: No space..."
    for code in ("75", "01"):
        log = (tmp_path / f".build/logs/vi_province_{code}.log").read_text(encoding="utf-8")
        last = log.strip().splitlines()[-1]
        assert " failed " in last and "No space left on device" in last
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.html")} == good
    assert not list(tmp_path.rglob("*.part"))
