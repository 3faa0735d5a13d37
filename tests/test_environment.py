"""environment.yml (conda) and pyproject.toml name the same dependencies with the same bounds."""

from __future__ import annotations

import re
import tomllib

import yaml

from sxsh_analysis import paths


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.\-]+)(.*)$", spec.replace(" ", ""))
    return m.group(1).lower().replace("_", "-"), m.group(2)


def test_same_dependencies_in_both_files():
    root = paths.project_root()
    py = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip = dict(_split(s) for s in py["dependencies"] + py["optional-dependencies"]["dev"])
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(_split(s) for s in env["dependencies"] if isinstance(s, str))
    conda.pop("pip")
    python = conda.pop("python")
    assert python == ">=" + py["requires-python"].lstrip(">=")
    assert conda == pip
