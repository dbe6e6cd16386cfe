"""qsp.grading.selfcheck: right / not yet against salted hashes, hints after repeated failures."""

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
    _candidates,
    check_answer,
    is_right,
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
    selfcheck_hint("demo/share", "Divide the population aged 65+ by the total.")
    monkeypatch.delenv(RECORD_ENVIRONMENT_VARIABLE)
    monkeypatch.setenv(KEYS_ENVIRONMENT_VARIABLE, str(tmp_path))
    monkeypatch.setattr(selfcheck, "_failures", {})
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


def test_wrong_answers_get_not_yet_then_the_hint(key_folder, capsys):
    check_answer("demo/share", 100 * SHARE)
    first = capsys.readouterr().out
    assert "not yet" in first and "hint:" not in first and "a hint appears" in first
    check_answer("demo/share", SHARE * 1.01)
    second = capsys.readouterr().out
    assert "not yet" in second and "hint: Divide the population aged 65+ by the total." in second
    check_answer("demo/share", SHARE)
    assert "right" in capsys.readouterr().out


def test_partly_right_arrays_and_wrong_shapes_say_how(key_folder, capsys):
    check_answer("demo/totals", TOTALS * np.array([1.0, 1.1]))
    assert "1 of 2 values are right" in capsys.readouterr().out
    check_answer("demo/totals", np.zeros(101))
    assert "should be an array of shape (2,); yours has shape (101,)" in capsys.readouterr().out
    check_answer("demo/share", np.array([SHARE, SHARE]))
    assert "should be a single number" in capsys.readouterr().out
    check_answer("demo/share", "a lot")
    assert "not yet" in capsys.readouterr().out


def test_unknown_tasks_and_bad_task_ids(key_folder, capsys):
    check_answer("demo/nothing", 1.0)
    assert "no answer key for 'demo/nothing'" in capsys.readouterr().out
    check_answer("other/1", 1.0)
    assert "no answer key" in capsys.readouterr().out
    with pytest.raises(ValueError, match="task_id must look like 'assignment/task'"):
        check_answer("no-slash", 1.0)


def test_hint_is_not_recorded_outside_recording(key_folder):
    selfcheck_hint("demo/totals", "should not be stored")
    key = json.loads((key_folder / "demo.json").read_text())
    assert "hint" not in key["tasks"]["demo/totals"]


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
