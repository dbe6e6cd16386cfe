"""The shared input checks: messages name the argument, the problem and the position."""

import numpy as np
import pytest
from qsp._validate import (
    check_increasing,
    check_sex_axis,
    check_trailing_shape,
    check_values,
    describe_position,
)


def test_describe_position_names_batch_sex_age_and_year():
    where = describe_position((3, 1, 1, 45), ("year", "sex", "age"), years=np.arange(2020, 2030))
    assert where == "batch index (3,), year 2021, sex 1 (male), age 45"


def test_describe_position_uses_age_labels_of_abridged_grids():
    ages = np.array([0, 1, 5, 10])
    assert describe_position((0, 2), ages=ages) == "sex 0 (female), age 5"


def test_nan_is_reported_with_its_position():
    mx = np.full((2, 5), 0.01)
    mx[1, 3] = np.nan
    with pytest.raises(ValueError, match=r"mx contains a missing or infinite death rate \(nan\) at sex 1 \(male\), age 3"):
        check_values("mx", mx, what="death rate")


def test_lower_and_upper_bounds_are_reported():
    qx = np.array([[0.1, 1.2], [0.1, 0.2]])
    with pytest.raises(ValueError, match=r"qx has a probability of 1.2 at sex 0 \(female\), age 1, but it must be at most 1"):
        check_values("qx", qx, lower=0, upper=1, what="probability")
    with pytest.raises(ValueError, match=r"srb .* must be greater than 0"):
        check_values("srb", 0.0, lower=0, lower_inclusive=False, trailing=())


def test_non_numeric_input_is_rejected_clearly():
    with pytest.raises(ValueError, match="mx must be numeric"):
        check_values("mx", ["a", "b"])


def test_trailing_shape_and_sex_axis():
    with pytest.raises(ValueError, match=r"mx has 100 entries on its age axis"):
        check_trailing_shape("mx", np.zeros((2, 100)), (2, 101), ("sex", "age"))
    with pytest.raises(ValueError, match=r"must have at least 2 axes"):
        check_trailing_shape("mx", np.zeros(101), (2, 101), ("sex", "age"))
    with pytest.raises(ValueError, match=r"sex axis of length 2"):
        check_sex_axis("population", np.zeros((3, 101)))


def test_check_increasing_reports_the_offending_pair():
    with pytest.raises(ValueError, match=r"2030 comes after 2040"):
        check_increasing("years", [2020, 2040, 2030], what="years")
    assert check_increasing("years", [2020, 2021]).tolist() == [2020, 2021]
