"""The documentation stays honest: every `make` target and `sxsh` command it shows exists, every flag
it shows is accepted, every file it links exists, and the methodology states the targets and settings
the code uses."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest
import yaml

from sxsh_analysis import cli, reference

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    ROOT / "README.md",
    ROOT / "docs" / "user-guide.en.md",
    ROOT / "docs" / "user-guide.vi.md",
    ROOT / "CHANGELOG.md",
]
CODE = re.compile(r"```[a-z]*\n(.*?)```|`([^`\n]+)`", re.S)


def code_lines(path: Path) -> list[tuple[str, bool]]:
    """Every line of code in a Markdown file, with whether it comes from a fenced block (a command meant
    to be typed as it is) rather than an inline span (which may hold placeholders such as [--jobs N])."""
    out = []
    for block, span in CODE.findall(path.read_text(encoding="utf-8")):
        if block:
            out += [(line.split("  #")[0].strip(), True) for line in block.splitlines()]
        else:
            out.append((span.replace("\\|", "|").strip(), False))
    return [(line, fenced) for line, fenced in out if line]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-zA-Z][a-zA-Z0-9_-]*):", text, re.M))


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def sxsh_commands(path: Path) -> list[tuple[list[str], bool]]:
    found = []
    for line, fenced in code_lines(path):
        m = re.search(r"(?:^|\s|/)sxsh\s+(.*)$", line)
        if m:
            found.append((shlex.split(m.group(1).replace("|", " ")), fenced))
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_make_target_shown_exists(doc):
    targets = make_targets()
    shown = set()
    for line, _ in code_lines(doc):
        shown |= set(re.findall(r"(?:^|;|&&)\s*make\s+([a-z][a-z0-9-]*)", line))
    assert shown, f"{doc.name} shows no make target"
    assert shown <= targets, f"{doc.name}: no such make target: {sorted(shown - targets)}"


@pytest.mark.parametrize("doc", DOCS[:3], ids=lambda p: p.name)
def test_every_sxsh_command_and_flag_shown_exists(doc):
    subs = subparsers()
    commands = sxsh_commands(doc)
    assert commands, f"{doc.name} shows no sxsh command"
    for args, fenced in commands:
        assert args and args[0] in subs, f"{doc.name}: no sxsh command {args[:1]}"
        sub = subs[args[0]]
        known = {o for a in sub._actions for o in a.option_strings}
        flags = [a.split("=")[0].strip("[]") for a in args[1:] if a.lstrip("[").startswith("--")]
        unknown = [f for f in flags if f not in known]
        assert not unknown, f"{doc.name}: sxsh {args[0]} has no option {unknown}"
        if fenced:  # a command meant to be typed: the whole line parses
            cli.build_parser().parse_args(args)


def test_readme_names_the_two_commands_and_the_docs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make reports" in text and "make test" in text
    for name in ("user-guide.en.md", "user-guide.vi.md", "methodology.md", "assumptions.md"):
        assert f"docs/{name}" in text


@pytest.mark.parametrize(
    "doc", DOCS + sorted((ROOT / "docs").glob("*.md")), ids=lambda p: str(p.name)
)
def test_every_relative_link_and_named_path_exists(doc):
    text = doc.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)\)", text):
        assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"
    # paths the docs name in code spans, of the project's own folders
    for path in re.findall(
        r"`((?:sxsh_analysis|parameters|notebooks|benchmarks|tests|docs)/[^`*<>\s]+)`", text
    ):
        p = ROOT / path
        # commentary files are the user's to create: their folder must exist
        ok = p.exists() or (path.startswith("parameters/commentary/") and p.parent.exists())
        assert ok, f"{doc.name}: names {path}, which does not exist"


def test_methodology_states_the_targets_and_settings_in_use():
    text = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    t = reference.targets()
    rows = {
        "awareness": "| awareness (nhận thức) |",
        "application": "| application (áp dụng) |",
        "cp_unit": "| CP unit (bộ phận chuyên trách) |",
    }
    for ind, start in rows.items():
        line = next(x for x in text.splitlines() if x.startswith(start))
        for phase in (2015, 2020):
            v = t[(t["indicator"] == ind) & (t["phase"] == phase)]["value"]
            if len(v):
                assert f"| {int(v.iloc[0])}% |" in line, (ind, phase)
    saving = next(x for x in text.splitlines() if x.startswith("| saving (mức tiết kiệm) |"))
    for phase in (2015, 2020):
        r = t[(t["indicator"] == "saving") & (t["phase"] == phase)].iloc[0]
        assert f"{int(r['value'])}-{int(r['value_high'])}%" in saving
    staff = t[t["indicator"] == "doit_staff"].sort_values("phase")["value"].astype(int).tolist()
    assert f"target, {staff[0]}% by 2015, {staff[1]}% by 2020" in text
    cfg = yaml.safe_load((ROOT / "parameters" / "build.yaml").read_text(encoding="utf-8"))
    assert f"(`disclosure.min_cell: {cfg['disclosure']['min_cell']}`)" in text
    assert f"(`indicators.confidence: {cfg['indicators']['confidence']}`)" in text
    assert f"(`indicators.at_risk_progress: {cfg['indicators']['at_risk_progress']}`)" in text
    assert f"more than {cfg['quality']['jump_pp']} percentage points" in text
    assert "`disclosure.symbol`" in text and cfg["disclosure"]["symbol"] in text
