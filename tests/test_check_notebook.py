"""The hand-calculation assignment (notebook 06): it runs, shows the student's own numbers and the
ECF report, and its hidden test grades the student's variant.

The real build (tools/build_notebooks.py, convention 3) is the notebooks' own; here the source is
read with jupytext and run with nbclient, as the student edition (hidden tests removed) and with
the instructor's solution.
"""
import json
import re
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from nnkit.grading.tasks import JUDGES
from nnkit.notation import number as nnkit_number
from nnkit.variant import asked, variant

SOURCE = Path(__file__).parent.parent / "tools" / "notebook_source" / "06-hand-calculation.py"
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)


def run(notebook, env_student=None, monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
        if env_student:
            monkeypatch.setenv("NNKIT_STUDENT", env_student)
        else:
            monkeypatch.delenv("NNKIT_STUDENT", raising=False)
    report_back = "# %%\nimport json\nprint(json.dumps({'student': STUDENT, 'answers': answers}))"
    notebook.cells.append(jupytext.reads(report_back, fmt="py:percent").cells[0])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return notebook, json.loads(notebook.cells[-1].outputs[0]["text"])


@pytest.fixture(scope="module")
def instructor_run():
    notebook = jupytext.read(SOURCE)
    for cell in notebook.cells:
        cell.source = HIDDEN.sub("", cell.source)          # verify() of this branch has no JUDGES
    return run(notebook)


def test_the_answer_table_asks_every_step_of_the_variant():
    notebook = jupytext.read(SOURCE)
    table = next(c.source for c in notebook.cells if c.source.startswith("answers = {"))
    names = re.findall(r'"(\w+)": None', table)
    assert names == asked(variant("nnkit", "placeholder"))


def test_the_instructor_solution_runs_and_earns_full_points(instructor_run, monkeypatch):
    notebook, result = instructor_run
    assert result["student"] == "placeholder"                  # off the hub: the example student
    report = next(c for c in notebook.cells if c.source.startswith("written = "))
    markdown = report.outputs[0]["data"]["text/markdown"]
    n = len(asked(variant("nnkit", "placeholder")))
    assert "Every value checks out." in markdown and markdown.count("**correct**") == n
    fraction, message = JUDGES["hand_calculation"](result["answers"], student="placeholder", course_id="nnkit")
    assert (fraction, message.splitlines()[0]) == (1.0, f"{n}/{n} steps")


def test_the_graded_report_gives_verdicts_without_the_exact_values(monkeypatch):
    """Graded work: the visible check says right or wrong (and which slip), never the answer."""
    notebook = jupytext.read(SOURCE)
    for cell in notebook.cells:
        cell.source = HIDDEN.sub("", re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION\n?", "", cell.source, flags=re.S))
        cell.source = cell.source.replace('"h1_in": None', '"h1_in": 0.0')      # one wrong value typed in
    notebook, _ = run(notebook, env_student="ada", monkeypatch=monkeypatch)
    markdown = next(c for c in notebook.cells if c.source.startswith("written = ")).outputs[0]["data"]["text/markdown"]
    exact = variant("nnkit", "ada").values()["h1_in"]
    assert markdown.startswith("| value | yours | verdict |") and "First mistake: h1_in, " in markdown
    assert "exact" not in markdown and nnkit_number(exact) not in markdown and nnkit_number(exact, 1) not in markdown


def test_the_points_of_the_assignment_are_one_per_asked_value():
    notebook = jupytext.read(SOURCE)
    tests = next(c for c in notebook.cells if c.source.startswith("written = "))
    assert tests.metadata["nbgrader"]["points"] == len(asked(variant("nnkit", "placeholder")))


def test_the_student_edition_shows_the_students_own_numbers(monkeypatch):
    notebook = jupytext.read(SOURCE)
    for cell in notebook.cells:
        cell.source = HIDDEN.sub("", re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION\n?", "", cell.source, flags=re.S))
    notebook, result = run(notebook, env_student="ada", monkeypatch=monkeypatch)
    assert result["student"] == "ada" and set(result["answers"].values()) == {None}
    numbers = next(c for c in notebook.cells if "STUDENT = " in c.source).outputs[0]["data"]["text/markdown"]
    ada, placeholder = variant("nnkit", "ada"), variant("nnkit", "placeholder")
    assert "student `ada`" in numbers and ada.params != placeholder.params
    assert f"w_{{1}} = {ada.params['w1']:g}" in numbers
