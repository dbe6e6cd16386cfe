"""The house keeping of the kit (issue 16): licences, the type marker, one version string, a public
face that does not lie (every name ``qsp`` offers imports)."""

import importlib
import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest
import qsp

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(qsp.__file__).parent


def test_the_code_licence_is_the_one_pyproject_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"]["text"] == "MIT"
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "DATA-LICENSE.md" in licence


def test_every_data_licence_is_in_the_data_licence_note():
    note = (ROOT / "DATA-LICENSE.md").read_text()
    named = set()
    for path in sorted((ROOT / "datasets").rglob("datapackage.json")):
        package = json.loads(path.read_text())
        entries = list(package.get("licenses", []))
        for resource in package.get("resources", []):
            entries.extend(resource.get("licenses", []))
        assert entries, f"{path.relative_to(ROOT)} states no licence"
        named |= {entry["name"] for entry in entries}
    assert {"CC-BY-3.0-IGO"} <= named                    # UN WPP 2024
    missing = sorted(name for name in named if f"**{name}**" not in note)
    assert not missing, f"DATA-LICENSE.md does not cover the licences {missing} named in datasets/*/datapackage.json"


def test_py_typed_is_in_the_package_and_shipped():
    assert (PACKAGE / "py.typed").is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data["qsp"]


def test_one_version_string():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "qsp.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", qsp.__version__)
    citation = re.search(r'^version: "([^"]+)"$', (ROOT / "CITATION.cff").read_text(), flags=re.MULTILINE)
    assert citation and citation.group(1) == qsp.__version__, "CITATION.cff must give the version of qsp.__version__"


def test_the_contributor_files_exist():
    for name in ("CHANGELOG.md", "CONTRIBUTING.md", "CITATION.cff"):
        assert (ROOT / name).is_file(), f"{name} is missing"


# qsp.poverty is offered before it lands (it is being added on its own branch); every other name must import
NOT_YET = {"poverty"}


@pytest.mark.parametrize("name", qsp.__all__)
def test_every_name_qsp_offers_imports(name):
    if name in NOT_YET and importlib.util.find_spec(f"qsp.{name}") is None:
        return
    assert importlib.import_module(f"qsp.{name}") is getattr(qsp, name)
    assert dir(qsp) == sorted(qsp.__all__)


def test_every_subpackage_is_offered_and_named_in_the_docstring():
    parts = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    missing = sorted(parts - set(qsp.__all__))
    assert not missing, f"qsp.__all__ lacks the sub-packages {missing}"
    undocumented = sorted(name for name in qsp.__all__ if f":mod:`qsp.{name}`" not in qsp.__doc__)
    assert not undocumented, f"the docstring of qsp does not list {undocumented}"
