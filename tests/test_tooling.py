"""The consultant's workflow: notebooks committed stripped, the pre-commit checks and `make lint` in
step, JupyterLab's kernel running the report notebook as it is."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {h["id"]: h for repo in CONFIG["repos"] for h in repo["hooks"]}


def test_notebooks_exist():
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert {"notebooks/reports/national.ipynb", "notebooks/reports/province.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_stripped(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        assert cell.get("outputs", []) == [], f"{path.name} cell {i} has outputs"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
        assert "execution" not in cell.get("metadata", {}), f"{path.name} cell {i} has run times"
        assert cell.get("id"), f"{path.name} cell {i} has no id (ids keep diffs stable)"
    if path.parent.name == "reports":
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: one cell tagged 'parameters'"


def nbstripout_args() -> list[str]:
    entry = shlex.split(HOOKS["nbstripout"]["entry"])
    assert entry[:2] == ["tools/venv-run", "nbstripout"]
    return entry[2:]


def test_the_nbstripout_hook_leaves_committed_notebooks_unchanged_and_catches_outputs(tmp_path):
    exe = Path(sys.executable).parent / "nbstripout"
    args = nbstripout_args()
    ok = subprocess.run([exe, *args, "--verify", *NOTEBOOKS], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    nb = nbformat.read(ROOT / "notebooks/reports/province.ipynb", as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="35,4 %\n")]
    nb.cells[2].execution_count = 3
    dirty = tmp_path / "province.ipynb"
    nbformat.write(nb, dirty)
    bad = subprocess.run([exe, *args, "--verify", dirty], capture_output=True, text=True)
    assert bad.returncode != 0


def test_hooks_are_local_and_their_tools_are_installed():
    assert [r["repo"] for r in CONFIG["repos"]] == ["local"]  # nothing to download: works offline
    assert set(HOOKS) == {
        "ruff-check",
        "ruff-format",
        "nbstripout",
        "check-yaml",
        "check-added-large-files",
        "end-of-file-fixer",
    }
    for hook in HOOKS.values():
        assert hook["language"] == "system"
        runner, tool = shlex.split(hook["entry"])[:2]
        assert runner == "tools/venv-run" and (ROOT / runner).stat().st_mode & 0o111
        assert (Path(sys.executable).parent / tool).exists(), f"{tool} is not installed"


def test_make_lint_runs_the_hooks_on_every_file_and_ci_runs_lint_and_test():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", make, re.M).group(1)
    assert "pre-commit run --all-files" in lint
    ci = [
        line
        for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert ci[-2:] == ["make lint", "make test"]


def test_make_lab_registers_the_kernel_and_opens_the_province_notebook():
    out = subprocess.run(
        ["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "ipykernel install --sys-prefix --name python3" in out
    assert re.search(r"jupyter lab .*notebooks/reports/province\.ipynb", out)


@pytest.mark.slow
def test_province_notebook_runs_as_it_is_in_the_lab_kernel(cleaned_dir, monkeypatch):
    """What a consultant does in JupyterLab: open the notebook, run all cells, defaults unchanged
    (except where the cleaned data is: the test's own copy)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve() or spec.argv[0] in (
        "python",
        "python3",
    )
    nb = nbformat.read(ROOT / "notebooks/reports/province.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = params.source.replace("data_dir = None", f"data_dir = {str(cleaned_dir)!r}")
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(ROOT / "notebooks/reports")}},
    )
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.output_type in ("display_data", "execute_result")
    )
    assert "Đồng Nai" in html and "Số liệu chính" in html
