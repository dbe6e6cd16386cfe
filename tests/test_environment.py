"""environment.yml (conda users) must list the same dependencies as pyproject.toml."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    return {_name(r): r.replace(" ", "") for r in requirements}


def _environment_requirements() -> dict[str, str]:
    entries = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z0-9_.\-]+\s*[<>=!~][^#\s]*|[A-Za-z0-9_.\-]+)\s*(#.*)?$", line)
        if match:
            requirement = match.group(1).replace(" ", "")
            name = _name(requirement)
            if name not in {"python", "pip", "-e"}:
                entries[name] = requirement
    return entries


def test_every_pyproject_dependency_is_in_environment_yml_with_the_same_bound():
    pyproject = _pyproject_requirements()
    environment = _environment_requirements()
    missing = sorted(set(pyproject) - set(environment))
    assert not missing, f"environment.yml lacks {missing}: add them with the bounds pyproject.toml gives."
    different = {n: (pyproject[n], environment[n]) for n in pyproject if pyproject[n] != environment[n]}
    assert not different, f"version bounds differ (pyproject, environment.yml): {different}"


def test_environment_yml_has_nothing_pyproject_lacks():
    extra = sorted(set(_environment_requirements()) - set(_pyproject_requirements()))
    assert not extra, f"environment.yml lists {extra}, which pyproject.toml does not: add them there or remove them."


@pytest.mark.parametrize("path", ["pyproject.toml", "environment.yml"])
def test_dependency_files_exist(path):
    assert (ROOT / path).is_file()
