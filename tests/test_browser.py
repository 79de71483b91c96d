"""The notebooks in JupyterLab, in a real browser, used the way a student uses them.

Each test starts its own JupyterLab (this environment's, by PID, on 127.0.0.1 with a token) on a
temp copy of notebooks/ (and of the student edition built from it), so nothing is written into the
repository, and drives it with headless chromium: menus, keyboard, what the page shows.
Screenshots of each step go to tests/artifacts/ (their paths are printed; `pytest -s` shows them).
The Binder build's own server is exercised in test_binder.py.
"""
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from playwright.sync_api import expect

import nnkit

from browser_support import LAB_TEST_ARGS, ROOT, LabPage, LabServer, chromium

NOTEBOOKS = ["01-forward-pass.ipynb", "02-loss.ipynb", "03-output-layer-gradient.ipynb",
             "04-hidden-layer-gradient.ipynb", "05-training-loop.ipynb"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder like the Binder one, for now with notebooks/ (the instructor edition) only."""
    site = tmp_path_factory.mktemp("site")
    missing = [name for name in NOTEBOOKS if not (ROOT / "notebooks" / name).is_file()]
    assert not missing, f"notebooks missing: {missing}"
    shutil.copytree(ROOT / "notebooks", site / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return site


def build_student_edition(name, dest, scratch):
    """The student edition of notebooks/`name` in `dest`, by the command binder/postBuild runs
    (for this one notebook only: building all five takes several times as long)."""
    source = scratch / "instructor"
    source.mkdir()
    shutil.copy(ROOT / "notebooks" / name, source)
    subprocess.run([sys.executable, "-m", "nnkit.course", "student-edition", "--notebooks", str(source),
                    str(dest)], cwd=ROOT, check=True, capture_output=True)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def lab(browser, site, tmp_path, request):
    """A fresh JupyterLab on a fresh copy of the site, and a browser page on it."""
    root = tmp_path / "root"
    shutil.copytree(site, root)
    with LabServer(sys.executable, root, tmp_path / "state", extra_args=LAB_TEST_ARGS) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            yield LabPage(context.new_page(), server, request.node.name.removeprefix("test_"))
        finally:
            context.close()


def test_notebook_1_runs_all_cells_and_draws_the_network(lab):
    lab.open("notebooks/01-forward-pass.ipynb")
    lab.screenshot("opened")
    lab.run_all()
    assert lab.error_outputs() == []
    assert lab.stderr_texts() == [], "a red output box is shown"
    drawing = [cell["index"] for cell in lab.cells() if "draw_network(" in cell["source"]]
    assert drawing, "notebook 1 should draw the network with nnkit.viz.draw_network"
    image = lab.cell(drawing[0]).locator(".jp-RenderedImage img").first
    image.wait_for(state="visible")
    assert image.evaluate("img => img.complete && img.naturalWidth > 100 && img.naturalHeight > 100")
    lab.screenshot("network-figure", scroll_to=image)


def test_every_notebook_runs_all_cells_without_an_error(lab):
    problems = {}
    for name in NOTEBOOKS:
        lab.open(f"notebooks/{name}")
        lab.run_all()
        lab.screenshot(name.removesuffix(".ipynb"))
        errors, red = lab.error_outputs(), lab.stderr_texts()
        if errors or red:
            problems[name] = {"errors": errors, "red boxes": [text[:300] for text in red]}
        lab.server.shutdown_kernels()
    assert problems == {}


def test_student_edition_shows_a_short_hint_for_an_unsolved_exercise(lab, tmp_path):
    from nnkit.feedback import NOT_DONE_MESSAGE
    build_student_edition("03-output-layer-gradient.ipynb", lab.server.root_dir / "student", tmp_path)
    lab.open("student/03-output-layer-gradient.ipynb")
    lab.run_all()  # stops at the first failing cell, as it would for the student
    errors = lab.error_outputs()
    assert errors, "the unsolved exercise should make its cell fail"
    index, error = errors[0]
    assert error.startswith(("NotDoneYet", "NotImplementedError")), error
    cells = lab.cells()
    solutions = [cell["index"] for cell in cells if cell["nbgrader"].get("solution")]
    assert index in solutions or index - 1 in solutions, "the first error is not at an exercise"
    shown = lab.cell(index).locator(".jp-OutputArea-output").last
    lab.screenshot("exercise-hint", scroll_to=shown)
    text = shown.inner_text()
    assert "raise NotImplementedError()" in text and NOT_DONE_MESSAGE.split("`")[0] in text, text
    assert "Traceback" not in text and len(text.splitlines()) <= 3, f"a wall of traceback:\n{text}"


def shown_number(text):
    """A number as the page shows it (nnkit writes − for minus)."""
    return float(text.strip().replace("\u2212", "-"))


def test_playground_slider_moved_with_the_keyboard_updates_the_loss(lab):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from nnkit.widgets import BackpropPlayground\nBackpropPlayground()")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, lab.server.root_dir / "playground.ipynb")
    page = lab.page
    page.set_viewport_size({"width": 1280, "height": 1350})  # sliders, diagram and L in one shot
    lab.open("playground.ipynb")
    lab.run_all()
    assert lab.error_outputs() == []
    slider = page.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(r"^w7$")))
    readout = slider.locator(".widget-readout")
    loss_row = page.locator(".widget-html tr").filter(has=page.locator("td", has_text=re.compile(r"^L$")))
    loss_cell = loss_row.locator("td").last
    loss_cell.wait_for(state="visible", timeout=60_000)
    params = nnkit.homework_params()
    assert shown_number(readout.inner_text()) == params["w7"]
    assert shown_number(loss_cell.inner_text()) == pytest.approx(
        nnkit.loss(nnkit.forward(params)), abs=1e-6)
    lab.screenshot("before", scroll_to=slider)

    slider.locator(".noUi-handle").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(readout).not_to_have_text(f"{params['w7']:.2f}")
    params["w7"] = shown_number(readout.inner_text())
    assert params["w7"] > nnkit.homework_params()["w7"]
    expected = nnkit.loss(nnkit.forward(params))
    # The kernel recomputes and redraws after each key press; wait for the page to show the new L.
    deadline = time.monotonic() + 60
    while shown_number(loss_cell.inner_text()) != pytest.approx(expected, abs=1e-6) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    lab.wait_for_idle()  # the diagram is redrawn after the numbers; let its new picture load
    page.wait_for_function("() => Array.from(document.querySelectorAll('.jupyter-widgets img'))"
                           ".every(img => img.complete)")
    page.wait_for_timeout(500)
    lab.screenshot("after", scroll_to=slider)
    print("w7 shown:", readout.inner_text(), "L shown:", loss_cell.inner_text(), "L computed:", expected)
    assert shown_number(loss_cell.inner_text()) == pytest.approx(expected, abs=1e-6)
    assert expected != pytest.approx(nnkit.loss(nnkit.forward(nnkit.homework_params())), abs=1e-6)
