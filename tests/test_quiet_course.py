"""No noise and no dead ends: kernels the kit starts use IPC, the course's Jupyter configuration switches off
the news pop-up and the exchange-based Assignments panel, and the pyramid explorer lists country names."""

import json
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = ROOT / "course" / "jupyter"


def test_a_lecture_kernel_runs_over_ipc_without_the_tcp_warning(tmp_path, capfd):
    from qsp.lectures import execute_notebook

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from ipykernel.kernelapp import IPKernelApp\nprint('transport:', IPKernelApp.instance().transport)")])
    path = tmp_path / "tiny.ipynb"
    nbformat.write(notebook, path)
    executed = execute_notebook(path, timeout=60)
    assert executed.cells[0].outputs[0]["text"].strip() == "transport: ipc"
    assert "without encryption" not in capfd.readouterr().err


def test_make_lab_starts_jupyterlab_with_the_course_configuration():
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert 'JUPYTER_CONFIG_PATH="$(CURDIR)/course/jupyter"' in recipe and "jupyter lab" in recipe


def test_the_course_configuration_switches_off_news_and_the_exchange_panels(monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(JUPYTER))
    from jupyter_server.serverapp import ServerApp
    from jupyterlab.labapp import LabApp
    from jupyterlab_server.config import get_static_page_config

    server = ServerApp()
    server.load_config_file()
    server.find_server_extensions()
    extensions = {name: on for name, on in server.jpserver_extensions.items() if name.startswith("nbgrader")}
    assert extensions == {  # the exchange-based panels off; formgrader and Validate kept
        "nbgrader.server_extensions.assignment_list": False,
        "nbgrader.server_extensions.course_list": False,
        "nbgrader.server_extensions.formgrader": True,
        "nbgrader.server_extensions.validate_assignment": True,
    }
    lab = LabApp()
    lab.load_config_file()
    assert lab.news_url is None and lab.check_for_updates_class.__name__ == "NeverCheckForUpdate"
    disabled = get_static_page_config(level="all")["disabledExtensions"]
    for plugin in ("@jupyterlab/apputils-extension:announcements", "@jupyter/nbgrader:assignment-list",
                   "@jupyter/nbgrader:course-list"):
        assert disabled.get(plugin) is True, plugin
    assert json.loads((JUPYTER / "labconfig" / "page_config.json").read_text())


def test_the_pyramid_explorer_lists_country_names_not_codes():
    import qsp.data

    notebook = nbformat.read(ROOT / "modules" / "00-tools" / "02-tidy-data-and-indicators.ipynb", as_version=4)
    (source,) = [cell.source for cell in notebook.cells if "interact(pyramid_in" in cell.source]
    seen = {}

    def interact(function, **controls):  # what ipywidgets.interact would turn into a menu and a slider
        seen.update(controls)

    namespace = {"qsp": qsp}
    exec(compile(source.replace("from ipywidgets import interact\n", ""), "explorer", "exec"),
         {**namespace, "interact": interact})
    labels = [label for label, _ in seen["country"]]
    codes = [code for _, code in seen["country"]]
    assert "Ghana" in labels and "United Republic of Tanzania" in labels
    assert codes == list(qsp.data.countries()) and "TZA" in codes  # the function still gets the ISO3 code
