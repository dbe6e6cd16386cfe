"""nbgrader's Validate (the JupyterLab button runs nbgrader's Validator) never says "Success" while a
self-check says "not yet": a typical mistake fails validation, named; the reference answers pass."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _validate(assignment: str, student: str, folder: Path) -> dict:
    """What nbgrader's Validator (behind JupyterLab's Validate button) reports on a sample submission."""
    from nbgrader.validator import Validator

    shutil.copytree(ROOT / "exercises" / assignment, folder, ignore=shutil.ignore_patterns("*.ipynb"))
    shutil.copy2(ROOT / "tests" / "samples" / assignment / student / f"{assignment}.ipynb", folder)
    return Validator().validate(str(folder / f"{assignment}.ipynb"))


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
def test_validate_fails_on_a_typical_mistake_and_names_it(tmp_path):
    # mistake-a0-half: every visible check of its form passes; only the self-check knows the value is wrong
    result = _validate("ps01-life-tables", "mistake-a0-half", tmp_path / "mistake")
    assert "failed" in result, f"Validate would say Success: {result}"
    errors = "\n".join(cell["raw_error"] for cell in result["failed"])
    assert "[self-check ps01-life-tables/1] not yet." in errors
    assert "This is what you get with a_0 = 0.5 for everyone" in errors
    assert 'hint("ps01-life-tables/1", level=2) for the method' in errors
    assert "selfcheck.py" not in errors and "checks.py" not in errors  # the kit's frames are not shown


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
def test_validate_passes_the_reference_answers(tmp_path):
    result = _validate("ps00-tools", "reference", tmp_path / "reference")  # the shortest problem set
    assert not result.get("failed") and not result.get("changed"), result
