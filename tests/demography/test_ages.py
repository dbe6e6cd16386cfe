"""Age grids."""

import numpy as np
import pytest
from qsp.demography.ages import (
    abridged_ages,
    age_labels,
    check_ages,
    interval_widths,
    is_single_year,
    single_ages,
)


def test_single_and_abridged_grids():
    assert single_ages().shape == (101,)
    assert single_ages()[-1] == 100
    assert abridged_ages(85).tolist() == [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85]
    assert is_single_year(single_ages()) and not is_single_year(abridged_ages())


def test_widths_end_with_the_open_interval():
    widths = interval_widths(abridged_ages(10))
    assert widths[:-1].tolist() == [1, 4, 5] and np.isinf(widths[-1])


def test_labels():
    assert age_labels(abridged_ages(10)) == ["0", "1-4", "5-9", "10+"]
    assert age_labels(single_ages(2)) == ["0", "1", "2+"]


@pytest.mark.parametrize(
    ("ages", "message"),
    [([1, 2, 3], "must start at age 0"), ([0, 5, 5], "increasing order"), ([0], "at least two ages")],
)
def test_bad_grids(ages, message):
    with pytest.raises(ValueError, match=message):
        check_ages(ages)


@pytest.mark.parametrize("omega", [0, 2.5])
def test_bad_omega(omega):
    with pytest.raises(ValueError, match="omega"):
        single_ages(omega)
    with pytest.raises(ValueError, match="omega"):
        abridged_ages(omega)
