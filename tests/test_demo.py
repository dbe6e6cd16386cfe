"""`make course` runs `python -m qsp.demo`: it must write the tables and figures it promises."""

import numpy as np
import pandas as pd
import pytest
from qsp.demo import build, index_of_dissimilarity, main


def test_index_of_dissimilarity_by_hand():
    # shares a = (0.25, 0.25 | 0.25, 0.25), b = (0.5, 0 | 0.25, 0.25): D = (0.25 + 0.25) / 2 = 0.25
    a = np.array([[1.0, 1.0], [1.0, 1.0]])
    b = np.array([[2.0, 0.0], [1.0, 1.0]])
    assert index_of_dissimilarity(a, b) == pytest.approx(0.25)
    assert index_of_dissimilarity(a, 3 * a) == pytest.approx(0.0)


def test_demo_writes_summary_agreement_and_pyramids(tmp_path):
    paths = build(tmp_path, until=2050, countries=["GHA", "Switzerland"])
    summary = pd.read_csv(paths["summary"])
    assert set(summary.iso3) == {"GHA", "CHE"}
    assert summary.year.min() == 2020 and summary.year.max() == 2050
    ghana = summary[summary.iso3 == "GHA"].set_index("year")
    # Ghana's 2020 base population in WPP 2024 is about 32 million
    assert 31e6 < ghana.loc[2020, "population"] < 33e6
    assert np.allclose(ghana.total_dependency, ghana.youth_dependency + ghana.old_age_dependency)
    agreement = pd.read_csv(paths["wpp_agreement"])
    assert set(agreement.year) == {2020, 2030, 2040, 2050}
    # WPP's own components, nothing fitted: totals within 0.5%, every group aged 0-84 within 3% (tests/data)
    assert agreement.relative_difference.abs().max() < 0.005
    assert agreement.index_of_dissimilarity.max() < 0.005
    assert agreement.worst_group_0_84.abs().max() < 0.03 and set(agreement.method) == {"components: full"}
    for iso3 in ("GHA", "CHE"):
        png = paths["pyramids"] / f"{iso3}.png"
        assert png.stat().st_size > 10_000


def test_demo_command_line_prints_where_things_are(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--until", "2030", "--countries", "SEN"]) == 0
    printed = capsys.readouterr().out
    assert "Senegal" in printed and "make lab" in printed and str(tmp_path) in printed


def test_demo_rejects_an_unknown_country(tmp_path):
    with pytest.raises(ValueError, match="Atlantis"):
        build(tmp_path, countries=["Atlantis"])
