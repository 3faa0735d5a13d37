"""Build parameters are validated before anything runs, with the file and key named."""

from __future__ import annotations

import pytest

from sxsh_analysis import config
from sxsh_analysis.errors import SxshError


def test_project_parameters_are_valid():
    cfg = config.load_build_config()
    assert cfg.rounds == [2010, 2012, 2014] and cfg.disclosure.min_cell == 5
    assert cfg.baseline_round == 2010 and cfg.headline_round == 2014


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "disclosure:\n  min_cell: 0\n",
            "build.yaml: disclosure.min_cell: Input should be greater than or equal to 1",
        ),
        ("languages: [vi, fr]\n", "build.yaml: languages.1: Input should be 'vi' or 'en'"),
        ("rounds: [2010, 1890]\n", "build.yaml: rounds: Value error, not survey years: [1890]"),
        ("colour: blue\n", "build.yaml: colour: Extra inputs are not permitted"),
        ("rounds: [2010\n", "build.yaml: not valid YAML"),
        (
            "rounds: [2010, 2012]\nreport_round: 2014\n",
            "build.yaml: report_round: 2014 is not one of rounds [2010, 2012]",
        ),
        ("- a\n- b\n", "build.yaml: expected keys and values at the top level"),
    ],
)
def test_bad_parameters_are_refused_naming_file_and_key(tmp_path, text, message):
    p = tmp_path / "build.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SxshError) as e:
        config.load_build_config(p)
    assert str(e.value).startswith(message)
