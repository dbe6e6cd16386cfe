"""qsp.grading.selfcheck: right / not yet against salted hashes, named mistakes, hints in tiers, check_all."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from qsp.grading import selfcheck
from qsp.grading.selfcheck import (
    KEYS_ENVIRONMENT_VARIABLE,
    RECORD_ENVIRONMENT_VARIABLE,
    NotYetError,
    _candidates,
    check_all,
    check_answer,
    diagnose,
    hint,
    is_right,
    mistake_entry,
    new_key,
    selfcheck_hint,
)

SHARE = 0.09263753272983222
TOTALS = np.array([2_859_910.0, 2_849_331.0])
FRAME = pd.DataFrame({"sex": ["female", "male"], "age_group": ["0-4", "0-4"], "population": [291_887, 305_708]})


@pytest.fixture
def key_folder(tmp_path, monkeypatch):
    """Record a key for the made-up assignment 'demo' the way `qsp course keys` does."""
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(new_key("demo", salt="0123456789abcdef")))
    monkeypatch.setenv(RECORD_ENVIRONMENT_VARIABLE, str(path))
    check_answer("demo/share", SHARE)
    check_answer("demo/totals", TOTALS)
    check_answer("demo/frame", FRAME)
    check_answer("demo/word", "Female")
    check_answer("demo/zero", 0.0)
    selfcheck_hint("demo/share", "share = population[:, 65:].sum() / population.sum()")
    selfcheck_hint("demo/totals", idea="One total per sex: add up over the ages.",
                   method="Sum the (sex, age) array over its last axis.", code="population.sum(axis=-1)")
    key = json.loads(path.read_text())
    # the typical mistakes, recorded the way `qsp course keys` does: the value a mistake gives, hashed
    for task, wrong, says in [("demo/share", 100 * SHARE, "this is what you get with a percentage."),
                              ("demo/totals", TOTALS * np.array([1.0, 2.0]), "this is what you get counting men twice."),
                              ("demo/totals", TOTALS.sum(), "this is what you get summing over both axes."),
                              ("demo/word", "male", "this is what you get with the other sex.")]:
        wrong_entry = selfcheck._entry(key, task, wrong, 4, 1e-12)
        key["tasks"][task].setdefault("mistakes", []).append(mistake_entry(key["tasks"][task], wrong_entry, says))
    path.write_text(json.dumps(key))
    monkeypatch.delenv(RECORD_ENVIRONMENT_VARIABLE)
    monkeypatch.setenv(KEYS_ENVIRONMENT_VARIABLE, str(tmp_path))
    monkeypatch.setattr(selfcheck, "_failures", {})
    monkeypatch.setattr(selfcheck, "_status", {})
    return tmp_path


def test_recording_prints_and_stores_hashes_not_values(key_folder, capsys):
    key = json.loads((key_folder / "demo.json").read_text())
    assert set(key["tasks"]) == {"demo/share", "demo/totals", "demo/frame", "demo/word", "demo/zero"}
    assert key["tasks"]["demo/totals"]["shape"] == [2]
    text = (key_folder / "demo.json").read_text()
    for revealing in ("0.0926", "9.264e-02", "2859910", "2.860e+06", "female"):
        assert revealing not in text.lower()


def test_right_answers_and_close_enough_ones(key_folder, capsys):
    check_answer("demo/share", SHARE)
    check_answer("demo/share", SHARE * (1 + 4e-5))
    check_answer("demo/totals", TOTALS)
    check_answer("demo/frame", FRAME.iloc[:, :])
    check_answer("demo/word", "  female ")
    check_answer("demo/zero", 1e-15)
    out = capsys.readouterr().out.splitlines()
    assert out == [f"[self-check {t}] right." for t in
                   ("demo/share", "demo/share", "demo/totals", "demo/frame", "demo/word", "demo/zero")]
    assert is_right("demo/totals", list(TOTALS))


def test_a_wrong_answer_raises_not_yet_with_the_idea_then_the_method_never_the_code(key_folder):
    with pytest.raises(NotYetError) as first:
        check_answer("demo/totals", TOTALS * 1.5)
    text = str(first.value)
    assert text.startswith("[self-check demo/totals] not yet.") and "0 of 2 values are right" in text
    assert "idea: One total per sex" in text and "method:" not in text
    assert 'hint("demo/totals", level=2) for the method' in text and "population.sum(axis=-1)" not in text
    with pytest.raises(NotYetError) as second:
        check_answer("demo/totals", TOTALS * 1.5)
    assert "method: Sum the (sex, age) array over its last axis." in str(second.value)
    assert "population.sum(axis=-1)" not in str(second.value)
    assert isinstance(second.value, AssertionError)  # nbgrader and Validate count it as a failed test


def test_typical_mistakes_are_named_without_the_answer(key_folder):
    with pytest.raises(NotYetError, match="This is what you get with a percentage"):
        check_answer("demo/share", 100 * SHARE)
    with pytest.raises(NotYetError, match="1 of 2 values are right.\n  This is what you get counting men twice"):
        check_answer("demo/totals", TOTALS * np.array([1.0, 2.0]))
    with pytest.raises(NotYetError, match="should be an array of shape \\(2,\\); yours has shape \\(\\).\n"
                       "  This is what you get summing over both axes"):
        check_answer("demo/totals", TOTALS.sum())
    with pytest.raises(NotYetError, match="the other sex"):
        check_answer("demo/word", "Male ")
    # another wrong value is "not yet" without a name; a value right where the mistake changed nothing is not it
    verdict, _, said = diagnose("demo/totals", TOTALS * np.array([1.0, 3.0]))
    assert verdict is False and said is None
    assert diagnose("demo/share", 100 * SHARE * 1.00004)[2] == "this is what you get with a percentage."
    key = (key_folder / "demo.json").read_text()
    assert "9.264" not in key and "0.0926" not in key  # the key holds hashes, not the values
    assert json.loads(key)["tasks"]["demo/totals"]["mistakes"][0]["hashes"][0] is None  # unchanged position


def test_mistake_entry_is_none_when_the_mistake_changes_nothing():
    right = {"kind": "numbers", "shape": [2], "hashes": ["a", "b"]}
    assert mistake_entry(right, dict(right), "x") is None
    assert mistake_entry(right, {"kind": "numbers", "shape": [2], "hashes": ["a", "c"]}, "x")["hashes"] == [None, "c"]
    assert mistake_entry(right, {"kind": "text", "shape": [], "hashes": ["a"]}, "x") is None


def test_hint_levels_and_short_assignment_names(key_folder, capsys):
    hint("demo/totals")
    hint("demo/totals", level=3)
    hint("dem/share", level=1)  # a unique prefix of the assignment, as in hint("ps01/3")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "[hint demo/totals, level 1: idea] One total per sex: add up over the ages."
    assert out[1] == "[hint demo/totals, level 3: code] population.sum(axis=-1)"
    assert out[2] == "[hint demo/share] there is no idea hint for this task; there is level 3 (code)."
    with pytest.raises(ValueError, match="level must be 1 \\(the idea\\), 2 \\(the method\\) or 3"):
        hint("demo/totals", level=4)
    with pytest.raises(ValueError, match="demo has no self-checked task '9'; its tasks are frame, share, totals"):
        hint("demo/9")
    with pytest.raises(ValueError, match="no self-check answer key for the assignment 'nothing'"):
        hint("nothing/1")


def test_check_all_counts_right_not_yet_and_not_attempted(key_folder, capsys, monkeypatch):
    with pytest.raises(ValueError, match="no self-check has run yet"):
        check_all()
    check_answer("demo/share", SHARE)
    with pytest.raises(NotYetError):
        check_answer("demo/totals", TOTALS * np.array([1.0, 2.0]))
    capsys.readouterr()
    groups = check_all()
    out = capsys.readouterr().out
    assert groups == {"right": ["demo/share"], "not yet": ["demo/totals"],
                      "not attempted": ["demo/frame", "demo/word", "demo/zero"]}
    assert out.splitlines()[0] == "demo: 1 of 5 self-checked tasks right, 1 not yet, 3 not attempted"
    assert "totals: this is what you get counting men twice." in out
    assert "not attempted: frame, word, zero (run their self-check cells)" in out


def test_grading_mode_prints_instead_of_raising(key_folder, capsys, monkeypatch):
    monkeypatch.setattr(selfcheck, "_grading", True)
    check_answer("demo/share", 100 * SHARE)
    assert "not yet" in capsys.readouterr().out


def test_partly_right_arrays_and_wrong_shapes_say_how(key_folder):
    with pytest.raises(NotYetError, match="1 of 2 values are right"):
        check_answer("demo/totals", TOTALS * np.array([1.0, 1.1]))
    with pytest.raises(NotYetError, match="should be an array of shape \\(2,\\); yours has shape \\(101,\\)"):
        check_answer("demo/totals", np.zeros(101))
    with pytest.raises(NotYetError, match="should be a single number"):
        check_answer("demo/share", np.array([SHARE, SHARE]))
    with pytest.raises(NotYetError, match="not yet"):
        check_answer("demo/share", "a lot")


def test_unknown_tasks_and_bad_task_ids(key_folder, capsys):
    check_answer("demo/nothing", 1.0)
    assert "no answer key for 'demo/nothing'" in capsys.readouterr().out
    check_answer("other/1", 1.0)
    assert "no answer key" in capsys.readouterr().out
    with pytest.raises(ValueError, match="task_id must look like 'assignment/task'"):
        check_answer("no-slash", 1.0)


def test_hint_is_not_recorded_outside_recording(key_folder):
    selfcheck_hint("demo/zero", "should not be stored")
    key = json.loads((key_folder / "demo.json").read_text())
    assert "hints" not in key["tasks"]["demo/zero"]


def test_decade_boundaries_are_neighbours():
    # 0.1 rounds to 1.000e-01, 0.09999 to 9.999e-02: one unit apart across the decade
    assert _candidates(0.1, 4, 0.0)[0] in _candidates(0.09999, 4, 0.0)
    assert _candidates(0.09999, 4, 0.0)[0] in _candidates(0.1, 4, 0.0)
    assert _candidates(-9.9996, 4, 0.0)[0] == "-1.000e+01"


@given(
    value=st.floats(min_value=1e-6, max_value=1e12) | st.floats(min_value=-1e12, max_value=-1e-6),
    relative=st.floats(min_value=-0.99e-4, max_value=0.99e-4),
)
def test_values_within_one_unit_in_the_fourth_figure_are_accepted(value, relative):
    answer = _candidates(value, 4, 1e-12)[0]
    assert answer in _candidates(value * (1 + relative), 4, 1e-12)


@given(
    value=st.floats(min_value=1e-6, max_value=1e12),
    relative=st.floats(min_value=1e-2, max_value=10.0),
)
def test_values_off_by_a_percent_or_more_are_not_accepted(value, relative):
    answer = _candidates(value, 4, 1e-12)[0]
    assert answer not in _candidates(value * (1 + relative), 4, 1e-12)
    assert answer not in _candidates(value / (1 + relative), 4, 1e-12)


def test_committed_keys_accept_the_reference_answers():
    # values of solutions/ps00-tools (the hidden tests hold the same numbers)
    assert is_right("ps00-tools/1", TOTALS)
    assert is_right("ps00-tools/2", SHARE)
    assert not is_right("ps00-tools/2", 100 * SHARE)


def test_the_readme_example_of_hints_and_check_all_runs_on_the_committed_keys(capsys, monkeypatch):
    import re
    import textwrap
    from pathlib import Path

    import qsp.demography

    monkeypatch.setattr(selfcheck, "_status", {})
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "hint(" in b]
    mortality = pd.read_csv(Path(__file__).resolve().parents[2] / "exercises" / "ps01-life-tables" / "mortality.csv")
    mx = mortality.pivot(index="sex", columns="age", values="mx").loc[["female", "male"]].to_numpy(dtype=float)
    check_answer("ps01-life-tables/1", qsp.demography.a0_andreev_kingkade(mx[:, 0], sex=[0, 1]))  # a learner's right a_0
    exec(compile(textwrap.dedent(block), "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "[self-check ps01-life-tables/1] right."
    assert [line.split("]")[0] for line in out[1:4]] == [
        "[hint ps01-life-tables/3, level 1: idea", "[hint ps01-life-tables/3, level 2: method",
        "[hint ps01-life-tables/3, level 3: code"]
    assert "cumprod" in out[3] and "cumprod" not in out[1] + out[2]  # the code only when asked for it
    assert out[4] == "ps01-life-tables: 1 of 12 self-checked tasks right, 0 not yet, 11 not attempted"


def test_a_failed_form_check_still_names_the_mistake_of_its_cell(key_folder):
    # what the short traceback shows when a check before check_answer fails: the cell's value is evaluated
    cell = ['check_shape("totals", totals, (3,))\n', 'check_answer("demo/totals", totals[:])\n']
    said = selfcheck.named_in_cell(cell, {"totals": TOTALS * np.array([1.0, 2.0])})
    assert said == ["This is what you get counting men twice."]
    assert selfcheck._status["demo/totals"] == ("not yet", "this is what you get counting men twice.")
    assert selfcheck.named_in_cell(cell, {"totals": TOTALS * 3.0}) == []  # wrong, but no typical mistake
    assert selfcheck.named_in_cell(cell, {}) == []  # the value cannot be computed: nothing to add
    assert selfcheck.named_in_cell(["check_answer(", "\n"], {}) == []  # not even Python


def test_check_all_in_a_grading_run_says_the_tests_take_its_place(key_folder, capsys, monkeypatch):
    from qsp.course.confine import LABEL_VARIABLE

    assert LABEL_VARIABLE == selfcheck.GRADING_RUN_VARIABLE
    monkeypatch.setenv(LABEL_VARIABLE, "course-label")
    assert check_all("demo") == {"right": [], "not yet": [], "not attempted": []}
    assert "the test cells' results (points and messages) take the place of this summary" in capsys.readouterr().out
