"""The loading API notebooks use."""

from __future__ import annotations

import pytest

from sxsh_analysis import load
from sxsh_analysis.errors import SxshError


@pytest.mark.slow
def test_tables_and_rounds(cleaned_dir):
    assert load.rounds(cleaned_dir) == [2010, 2012, 2014]
    assert len(load.enterprises(2010, data_dir=cleaned_dir)) == 9050
    assert set(load.enterprises([2012, 2014], data_dir=cleaned_dir)["round"]) == {2012, 2014}
    assert len(load.doit(2017, data_dir=cleaned_dir)) == 63
    assert set(load.programme(cleaned_dir)["level"]) == {"central", "local"}
    assert load.is_sample(cleaned_dir)
    assert load.cleaning_log(cleaned_dir)["totals"]["rows_read"] > 27000
    assert {"reason", "problem", "source_file", "source_row"} <= set(
        load.quarantine(cleaned_dir).columns
    )
    with pytest.raises(
        SxshError, match=r"round 2016 is not in the cleaned data \(rounds: 2010, 2012, 2014\)"
    ):
        load.enterprises(2016, data_dir=cleaned_dir)


def test_missing_data_says_what_to_run(tmp_path):
    with pytest.raises(SxshError, match="run 'make data'"):
        load.enterprises(data_dir=tmp_path)


def test_province_targets_for_kien_giang():
    t = load.province_targets()
    assert set(t) == {"91"}
    kg = {x["indicator"]: x for x in t["91"]["targets"]}
    assert kg["awareness"]["value"] == 50 and kg["application"]["value"] == 25
    assert (kg["saving"]["value"], kg["saving"]["value_high"]) == (5, 8)


def test_province_targets_refuse_unknown_keys(tmp_path):
    (tmp_path / "province_targets.yaml").write_text('"03":\n  targets: []\n', encoding="utf-8")
    with pytest.raises(SxshError, match="key '03': not a province code"):
        load.province_targets(tmp_path)
    (tmp_path / "province_targets.yaml").write_text(
        '"75":\n  targets:\n    - indicator: happiness\n', encoding="utf-8"
    )
    with pytest.raises(SxshError, match="province 75, target 1: unknown indicator 'happiness'"):
        load.province_targets(tmp_path)


def test_relative_data_dir_is_from_the_project_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # papermill runs notebooks in their own folder
    with pytest.raises(SxshError) as e:
        load.enterprises(data_dir="data/does-not-exist")
    from sxsh_analysis import paths

    assert str(paths.project_root() / "data" / "does-not-exist") in str(e.value)
