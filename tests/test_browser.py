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
import nbformat
import pytest
from playwright.sync_api import expect

import nnkit
from nnkit.notation import number
from nnkit.widgets.nodelay import SERVER_ARGS as NODELAY

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


# --- the playgrounds: one JupyterLab and one page for all of them ---------------------------------

PLAYGROUND_CELLS = ["import nnkit.widgets\nnnkit.widgets.BackpropPlayground()",
                    "nnkit.widgets.ClassificationPlayground(epochs_per_frame=2)"]


@pytest.fixture(scope="module")
def playgrounds(browser, tmp_path_factory):
    """A notebook with both playgrounds, run once in one JupyterLab; the tests below share it
    (each starts with the playground's Reset). The server sends kernel replies at once
    (nnkit.widgets.nodelay), as the course's servers should."""
    root = tmp_path_factory.mktemp("playgrounds")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in PLAYGROUND_CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "playgrounds.ipynb")
    server = LabServer(sys.executable, root, tmp_path_factory.mktemp("state"), extra_args=LAB_TEST_ARGS + NODELAY)
    with server:
        context = browser.new_context(viewport={"width": 1280, "height": 1400})
        try:
            lab = LabPage(context.new_page(), server, "playground")
            lab.open("playgrounds.ipynb")
            lab.run_all()
            assert lab.error_outputs() == []
            lab.page.locator(".nnkit-diagram").wait_for(state="visible", timeout=60_000)
            yield lab
        finally:
            context.close()


def backprop(lab):
    return lab.page.locator(".nnkit-playground").filter(has=lab.page.locator(".nnkit-diagram"))


def shown_value(area, name):
    """The exact number a readout shows for `name` (its data-value: JavaScript writes the
    shortest text that reads back as the same double, as Python's repr does)."""
    return float(area.locator(f".nnkit-readout[data-name={name}], td.nnkit-number[data-name={name}]")
                 .first.get_attribute("data-value"))


def shown_params(area):
    return {name: shown_value(area, name) for name in nnkit.PARAM_NAMES}


def reset(lab, area):
    area.locator("button[data-do=reset]").click()
    expect(area.locator(".nnkit-curve")).to_have_attribute("data-points", "1")
    assert shown_params(area) == nnkit.homework_params()


def test_playground_ten_steps_are_ten_sgd_steps_exactly(playgrounds):
    area = backprop(playgrounds)
    reset(playgrounds, area)
    for _ in range(10):
        area.locator("button[data-do=step]").click()
    expect(area.locator(".nnkit-curve")).to_have_attribute("data-points", "11", timeout=30_000)
    params, losses = nnkit.homework_params(), [nnkit.loss(nnkit.forward(nnkit.homework_params()))]
    for _ in range(10):
        params = nnkit.sgd_step(params, nnkit.backward(params), 0.5)
        losses.append(nnkit.loss(nnkit.forward(params)))
    playgrounds.screenshot("ten-steps", scroll_to=area.locator(".nnkit-curve"))
    assert shown_params(area) == params                    # to the last bit
    assert shown_value(area, "L") == losses[-1]
    assert area.locator(".nnkit-curve .nnkit-dots circle").count() == 11
    assert area.locator(".nnkit-readout[data-name=w5]").inner_text() == number(params["w5"])


def test_playground_slider_dragged_with_the_mouse_shows_nnkits_loss_and_gradient(playgrounds):
    area, page = backprop(playgrounds), playgrounds.page
    reset(playgrounds, area)
    slider = area.locator("input[data-name=w7]")
    box = slider.bounding_box()
    start = box["x"] + box["width"] * (0.4 + 4) / 8            # the thumb of w7 = 0.4 on [-4, 4]
    page.mouse.move(start, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 6):                                 # a drag: several input events
        page.mouse.move(start + 8 * step, box["y"] + box["height"] / 2)
    page.mouse.up()
    moved_to = float(slider.input_value())
    assert moved_to > 0.4
    expect(area.locator(".nnkit-readout[data-name=w7]")).to_have_attribute("data-value", repr(moved_to))
    params = {**nnkit.homework_params(), "w7": moved_to}
    L, dL_dw7 = nnkit.loss(nnkit.forward(params)), nnkit.backward(params)["w7"]
    expect(area.locator("td.nnkit-number[data-name=L]")).to_have_text(number(L))
    playgrounds.screenshot("dragged-w7", scroll_to=area.locator(".nnkit-diagram"))
    assert shown_value(area, "L") == L and shown_value(area, "dL_dw7") == dL_dw7
    assert area.locator("td.nnkit-number[data-name=dL_dw7]").inner_text() == number(dL_dw7)
    label = area.locator(".nnkit-edge-label[data-name=w7]").text_content()
    assert f"{dL_dw7:.4g}".replace("-", "\u2212") in label
    assert area.locator(".nnkit-curve").get_attribute("data-points") == "1"   # a person's move: a new curve


def test_playground_step_through_of_dL_dw3_shows_backwards_factors(playgrounds):
    area = backprop(playgrounds)
    reset(playgrounds, area)
    area.locator(".nnkit-walk summary").click()
    assert area.locator(".nnkit-walk select").input_value() == "w3"
    grads = nnkit.backward(nnkit.homework_params())
    counter = area.locator(".nnkit-counter")
    total = int(re.search(r"of (\d+)", counter.inner_text()).group(1))
    seen = []
    for index in range(total):
        if index:
            area.locator("button[data-do=next]").click()
        expect(counter).to_contain_text(f"step {index + 1} of {total}")
        current = area.locator(".nnkit-step.nnkit-current")
        seen.append((current.get_attribute("data-name"), current.get_attribute("data-factor"),
                     float(current.get_attribute("data-value")), current.locator(".nnkit-formula").inner_text()))
        assert area.locator(".nnkit-diagram .nnkit-hl").count() >= 1     # something is lit up
        if index == 9:
            playgrounds.screenshot("step-through", scroll_to=area.locator(".nnkit-walk"))
    phases = [name for name, *_ in seen]
    assert phases[:7] == ["h2_in", "h2_out", "o1_in", "o1_out", "o2_in", "o2_out", "L"]   # forward, then back
    factors = [(key, value, text) for _, key, value, text in seen if key]
    assert [key for key, *_ in factors] == ["dL_do1_out", "do1_out_do1_in", "dL_do2_out", "do2_out_do2_in",
                                            "dL_dh2_out", "dh2_out_dh2_in"]
    for key, value, text in factors:
        assert value == grads.factors[key]
        assert text.endswith(number(value))
    running = area.locator(".nnkit-step.nnkit-current .nnkit-running")
    assert float(running.get_attribute("data-value")) == grads["w3"]
    assert running.inner_text().endswith(number(grads["w3"]))
    area.locator(".nnkit-walk summary").click()                   # closed: nothing lit up
    expect(area.locator(".nnkit-diagram .nnkit-hl")).to_have_count(0)


def test_classification_playground_trains_pauses_and_resets(playgrounds):
    page = playgrounds.page
    area = page.locator(".nnkit-playground").filter(has=page.locator(".nnkit-boundary"))
    area.scroll_into_view_if_needed()
    area.locator("button[data-do=train]").click()
    page.wait_for_function("el => Number(el.dataset.epoch) >= 20", arg=area.element_handle(), timeout=60_000)
    area.locator("button[data-do=pause]").click()
    expect(area).to_have_attribute("data-running", "false", timeout=10_000)
    stopped_at = int(area.get_attribute("data-epoch"))
    page.wait_for_timeout(600)
    assert int(area.get_attribute("data-epoch")) == stopped_at        # paused: no more frames
    assert int(area.locator(".nnkit-curve").get_attribute("data-points")) == stopped_at
    assert f"epoch {stopped_at} · loss" in area.locator(".nnkit-status").inner_text()
    colours = area.locator(".nnkit-boundary").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let red = 0, blue = 0; for (let i = 0; i < d.length; i += 4) {"
        " if (d[i] > d[i + 2] + 40) red++; if (d[i + 2] > d[i] + 40) blue++; } return [red, blue]; }")
    assert min(colours) > 0.1 * sum(colours), f"both classes' regions should show, got {colours}"
    playgrounds.screenshot("classification-paused", scroll_to=area)
    area.locator("button[data-do=reset]").click()
    expect(area).to_have_attribute("data-epoch", "0")
    expect(area.locator(".nnkit-curve")).to_have_attribute("data-points", "0")
