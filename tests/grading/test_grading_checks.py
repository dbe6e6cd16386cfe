"""qsp.grading.checks: failures say what was expected, what was found, where, and the likely mistake."""

import numbers

import numpy as np
import pandas as pd
import pytest
from qsp.grading import (
    AnswerError,
    WrongColumnsError,
    WrongShapeError,
    WrongTypeError,
    WrongValueError,
    check_array_close,
    check_between,
    check_close,
    check_columns,
    check_frame_close,
    check_shape,
    check_type,
)

TOTALS = np.array([2_859_910.0, 2_849_331.0])


def test_every_failure_is_an_assertion_error_with_a_multiline_message():
    with pytest.raises(AssertionError) as caught:
        check_close("share_65_plus", 9.264, 0.09264, rtol=1e-3)
    failure = caught.value
    assert isinstance(failure, AnswerError) and isinstance(failure, WrongValueError)
    lines = str(failure).splitlines()
    assert lines[0] == "share_65_plus is not right yet."
    assert lines[1].strip().startswith("expected: 0.09264")
    assert lines[2].strip().startswith("found:    9.264")
    assert failure.name == "share_65_plus"


def test_passing_checks_return_none():
    assert check_close("x", 0.1 + 0.2, 0.3) is None
    assert check_array_close("t", TOTALS, TOTALS.copy(), labels=("sex",)) is None
    assert check_shape("p", np.zeros((2, 101)), (2, 101)) is None
    assert check_type("s", np.float64(0.5), numbers.Real) is None
    assert check_between("s", [0.1, 0.9], 0, 1) is None


@pytest.mark.parametrize(
    ("found", "expected", "phrase"),
    [
        (9.26, 0.0926, "percentage instead of a fraction"),
        (0.000926, 0.0926, "100 times too small"),
        (2_859.91, 2_859_910.0, "1,000 times too small"),
        (2.0 * 0.15, 0.15, "twice the expected value"),
        (-0.15, 0.15, "wrong sign"),
        (1 / 0.15, 0.15, "inverse of the expected value"),
        (float("nan"), 0.15, "NaN"),
    ],
)
def test_scalar_diagnoses_name_the_likely_mistake(found, expected, phrase):
    with pytest.raises(WrongValueError, match=phrase):
        check_close("value", found, expected, rtol=1e-6)


def test_array_mismatch_is_located_in_words_and_swapped_sexes_are_recognised():
    with pytest.raises(WrongValueError) as caught:
        check_array_close("total_by_sex", TOTALS[::-1], TOTALS, labels=("sex",))
    message = str(caught.value)
    assert "first difference at sex female (index 0): found 2,849,331" in message
    assert "expected there: 2,859,910" in message
    assert "2 of 2 values differ" in message
    assert "sexes are swapped" in message


def test_feedback_on_a_hidden_test_leaves_out_the_expected_values():
    with pytest.raises(WrongValueError) as caught:
        check_array_close("total_by_sex", TOTALS[::-1], TOTALS, labels=("sex",), hint="add up the ages of each sex")
    public = caught.value.without_expected()
    assert "2,859,910" in str(caught.value)  # the full message, for the learner's own self-check
    assert "2,859,910" not in public and "expected there" not in public
    assert "found 2,849,331" in public and "sexes are swapped" in public and "hint: add up the ages" in public
    with pytest.raises(WrongValueError) as scalar:
        check_close("share", 0.5, 0.0926, rtol=1e-3)
    assert "0.0926" in str(scalar.value) and "0.0926" not in scalar.value.without_expected()


def test_array_mismatch_reports_age_and_off_by_one():
    expected = np.arange(1.0, 11.0)[None, :] * np.array([[1.0], [2.0]])  # (sex, age)
    shifted = np.concatenate([expected[:, 1:], expected[:, -1:] + 1], axis=1)
    with pytest.raises(WrongValueError) as caught:
        check_array_close("population", shifted, expected, labels=("sex", "age"))
    assert "sex female (index 0), age 0" in str(caught.value)
    assert "off-by-one" in str(caught.value)


def test_coords_label_positions():
    with pytest.raises(WrongValueError, match="age group 5-9"):
        check_array_close("p5", [1.0, 3.0], [1.0, 2.0], labels=("age group",), coords={"age group": ["0-4", "5-9"]})


def test_user_hint_comes_last():
    with pytest.raises(WrongValueError) as caught:
        check_close("oadr", 0.14, 0.15, hint="the working-age population is ages 15 to 64.")
    assert str(caught.value).splitlines()[-1].strip() == "hint: the working-age population is ages 15 to 64."


@pytest.mark.parametrize(
    ("found_shape", "expected_shape", "labels", "phrase"),
    [
        ((101, 2), (2, 101), ("sex", "age"), "transposed"),
        ((101,), (2,), ("sex",), "one value per sex was expected"),
        ((2, 101), (2,), ("sex",), "forget to sum over the last axis"),
        ((2, 100), (2, 101), ("sex", "age"), "off-by-one"),
        ((), (2,), ("sex",), "sum over all axes instead of one"),
        ((4, 1), (2, 2), None, "another arrangement"),
    ],
)
def test_shape_diagnoses(found_shape, expected_shape, labels, phrase):
    with pytest.raises(WrongShapeError, match=phrase) as caught:
        check_shape("answer", np.zeros(found_shape), expected_shape, labels=labels)
    assert f"found shape:    {found_shape}" in str(caught.value)


def test_check_array_close_checks_the_shape_first():
    with pytest.raises(WrongShapeError, match="expected shape: \\(2,\\) = \\(sex\\)"):
        check_array_close("total_by_sex", np.zeros(101), TOTALS, labels=("sex",))


def test_check_close_wants_a_single_number():
    with pytest.raises(WrongShapeError, match="single number"):
        check_close("share", np.array([0.1, 0.2]), 0.1)
    with pytest.raises(WrongTypeError, match="not a number"):
        check_close("share", "ten percent", 0.1)


@pytest.mark.parametrize(
    ("value", "kind", "phrase"),
    [
        (None, numbers.Real, "returns None"),
        (np.array([0.1, 0.2]), numbers.Real, "collection"),
        (pd.Series([1.0, 2.0]), np.ndarray, "to_numpy"),
        (pd.Series([1.0, 2.0]), pd.DataFrame, "reset_index"),
    ],
)
def test_type_diagnoses(value, kind, phrase):
    with pytest.raises(WrongTypeError, match=phrase):
        check_type("answer", value, kind)


def test_check_between_spots_percentages():
    with pytest.raises(WrongValueError, match="percentage instead of a fraction") as caught:
        check_between("share_65_plus", 9.26, 0.0, 1.0, what="share")
    assert "a share between 0 and 1" in str(caught.value)


def _expected_frame():
    return pd.DataFrame({"sex": ["female", "female", "male", "male"], "age_group": ["0-4", "5-9"] * 2,
                         "population": [10.0, 20.0, 11.0, 21.0]})


def test_frame_rows_are_matched_on_keys_in_any_order():
    shuffled = _expected_frame().iloc[[3, 1, 0, 2]]
    assert check_frame_close("p5", shuffled, _expected_frame(), keys=("sex", "age_group"), value="population") is None


def test_frame_value_mismatch_names_the_row():
    wrong = _expected_frame().assign(population=[10.0, 20.0, 11.0, 99.0])
    with pytest.raises(WrongValueError, match="'sex': 'male', 'age_group': '5-9'"):
        check_frame_close("p5", wrong, _expected_frame(), keys=("sex", "age_group"), value="population")


def test_frame_missing_and_repeated_rows():
    with pytest.raises(WrongShapeError, match="missing rows \\(1\\)"):
        check_frame_close("p5", _expected_frame().iloc[:3], _expected_frame(), keys=("sex", "age_group"), value="population")
    doubled = pd.concat([_expected_frame(), _expected_frame().iloc[:1]])
    with pytest.raises(WrongShapeError, match="appears more than once"):
        check_frame_close("p5", doubled, _expected_frame(), keys=("sex", "age_group"), value="population")


def test_columns_in_the_index_are_explained():
    grouped = _expected_frame().groupby(["sex", "age_group"])[["population"]].sum()
    with pytest.raises(WrongColumnsError, match="reset_index") as caught:
        check_columns("p5", grouped, ["sex", "age_group", "population"])
    assert "missing: ['sex', 'age_group']" in str(caught.value)
