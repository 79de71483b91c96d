"""The instructor workflow (`python -m nnkit.course`) over real nbgrader, on the real notebooks.

One class goes through the whole pipeline once (module fixture `run`): generate, release, fetch
and submit through the exchange, collect, autograde (twice, in parallel sandboxes), feedback,
export. Each test then checks one promise against what nbgrader wrote in the gradebook and on
disk. The notebooks are the repo's. The attacks of issue 11 are tests/test_attacks.py.

Students of the robustness assignment (ROBUST), each made from the real notebooks:
    ada  the instructor source itself (every assignment)       -> full automatic marks
    bo   the untouched student edition (every assignment)      -> 0, nothing crashes
    cy   the first exercise solved                             -> exactly its points
    di   cy + the second exercise's test cell made to "pass"   -> cy's score, edit flagged
    ed   everything solved, the second test cell deleted       -> reported, graded from the source
    fay  first two solved, the third loops forever             -> 0 for the third only
    gil  a notebook file cut in half (invalid JSON)            -> reported by name, not graded
    hal  another assignment's notebook under this name         -> reported by name, not graded
    ivy  cy + np.allclose/np.isclose/nnkit/check helpers faked -> no more than cy, reported
    jo   ivy + the judge replaced (`verify`, sys.modules)          -> no more than cy, reported
"""
import csv
import hashlib
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from nnkit.course import Course, find_problems
from nnkit.course import autograde
from nnkit.course.cheats import flags, forbidden_uses
from nnkit.course.__main__ import main
from nnkit.course.formgrader import lab_command
from nnkit.course.layout import REPO_NOTEBOOKS
from nnkit.grading import sandbox

ASSIGNMENTS = sorted(path.stem for path in REPO_NOTEBOOKS.glob("*.ipynb"))
# Notebooks with graded cells (00-homework is a page to read: released, but nothing to score).
GRADED = [name for name in ASSIGNMENTS if '"grade": true' in (REPO_NOTEBOOKS / f"{name}.ipynb").read_text()]
# Those with a manually graded written answer (a Markdown cell with points).
WRITTEN = [name for name in GRADED
           if any(c["cell_type"] == "markdown" and c["metadata"].get("nbgrader", {}).get("grade")
                  for c in json.loads((REPO_NOTEBOOKS / f"{name}.ipynb").read_text())["cells"])]
ROBUST = "01-forward-pass"
OTHER = "02-loss"
TIMEOUT = 15  # seconds per cell at autograde: long enough for a hidden test, short for the loop
EVERY_ASSIGNMENT = ("ada", "bo")


# ----- building submissions from the real notebooks --------------------------------------------

def load(path):
    return json.loads(Path(path).read_text())


def meta(cell):
    return cell["metadata"].get("nbgrader", {})


def text(cell):
    return "".join(cell["source"])


def exercises(source):
    """[(solution cell id, test cell id, points)] for the code exercises, in notebook order."""
    found, cells = [], source["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and meta(cell).get("solution"):
            test = next(c for c in cells[index + 1:] if meta(c).get("grade"))
            found.append((meta(cell)["grade_id"], meta(test)["grade_id"], meta(test)["points"]))
    return found


def cell(notebook, grade_id):
    return next(c for c in notebook["cells"] if meta(c).get("grade_id") == grade_id)


def answer(source, grade_id):
    """The instructor's solution, as a student would type it (no BEGIN/END SOLUTION lines)."""
    return "\n".join(line for line in text(cell(source, grade_id)).splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def student_copy(release, source, solved=(), replaced=None):
    """The student edition with `solved` exercises answered and `replaced` cells rewritten."""
    notebook = json.loads(json.dumps(release))
    edits = {grade_id: answer(source, grade_id) for grade_id in solved}
    edits.update(replaced or {})
    for grade_id, new_text in edits.items():
        cell(notebook, grade_id)["source"] = new_text
    return notebook


# The cheat: fake every tool a test in the student's kernel could trust, then answer with an
# object that claims to equal anything.
CHEAT = '''
import math, numpy as np, nnkit, nnkit.feedback
class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __getattr__(self, name): return lambda *a, **k: self
    def __getitem__(self, key): return self
    def __sub__(self, other): return Anything(0.0)
    __rsub__ = __sub__
    def __abs__(self): return Anything(0.0)
    def __lt__(self, other): return True
    __le__ = __lt__
always = lambda *a, **k: True
np.allclose = np.isclose = np.array_equal = math.isclose = always
np.testing.assert_allclose = lambda *a, **k: None
nnkit.backward = nnkit.forward = nnkit.loss = lambda *a, **k: Anything(0.0)
nnkit.feedback.check_function = nnkit.feedback.check_value = lambda *a, **k: None
check_function = check_value = lambda *a, **k: None
'''

# Replacing the judge itself: in the kernel nothing can stop this; the report flags it.
REPLACE_JUDGE = '''
import sys, types
verify = lambda *a, **k: None
sys.modules["nnkit.grading"] = types.SimpleNamespace(verify=verify, fresh=lambda case: case)
'''


def robustness_class(release, source, other_release):
    """{student: notebook bytes} for ROBUST (see the module docstring)."""
    (ex1, _, _), (ex2, test2, _), (ex3, _, _) = exercises(source)[:3]
    signature = text(cell(release, ex3)).split("\n")[0]
    cheat_answers = {ex: text(cell(release, ex)).replace("raise NotImplementedError()", "return Anything(0.5)")
                     for ex in (ex2, ex3)}
    notebooks = {
        "cy": student_copy(release, source, solved=[ex1]),
        "di": student_copy(release, source, solved=[ex1], replaced={test2: 'print("✓ All tests passed.")'}),
        "ed": student_copy(release, source, solved=[ex1, ex2, ex3]),
        "fay": student_copy(release, source, solved=[ex1, ex2],
                            replaced={ex3: f"{signature}\n    while True:\n        pass"}),
        "hal": other_release,
        "ivy": student_copy(release, source, solved=[ex1],
                            replaced={ex1: answer(source, ex1) + "\n" + CHEAT, **cheat_answers}),
        "jo": student_copy(release, source, solved=[ex1],
                           replaced={ex1: answer(source, ex1) + "\n" + CHEAT + REPLACE_JUDGE,
                                     **cheat_answers}),
    }
    notebooks["ed"]["cells"].remove(cell(notebooks["ed"], test2))
    submissions = {name: json.dumps(nb, indent=1).encode() for name, nb in notebooks.items()}
    whole = json.dumps(source, indent=1).encode()
    submissions["gil"] = whole[: len(whole) // 2]
    return submissions


# ----- one class through the whole pipeline -----------------------------------------------------

def course_cli(course, *argv):
    return main([*argv, f"--course-dir={course.root}", f"--exchange={course.exchange}",
                 f"--timeout={course.timeout}", f"--notebooks={course.notebooks}"])


def file_hashes(*folders):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def scores(course):
    """{(assignment, student): {grade cell id: score}} from the gradebook."""
    table = {}
    with Gradebook(course.db_url, course.course_id) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                notebook = gradebook.find_submission_notebook(assignment.name, assignment.name,
                                                              submission.student.id)
                table[assignment.name, submission.student.id] = {g.name: g.score for g in notebook.grades}
    return table


class Run:
    """What the pipeline produced, for the tests to inspect."""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    if sandbox.check() is not None:
        pytest.skip(f"autograde needs a sandbox: {sandbox.check()} (tools/ensure-bubblewrap)")
    tmp = tmp_path_factory.mktemp("course")
    (tmp / "notebooks").mkdir()
    for name in ASSIGNMENTS:
        shutil.copyfile(REPO_NOTEBOOKS / f"{name}.ipynb", tmp / "notebooks" / f"{name}.ipynb")
    course = Course(root=tmp / "course", exchange=tmp / "exchange", notebooks=tmp / "notebooks", timeout=TIMEOUT)
    result = Run()
    result.course = course
    result.generate_status = course_cli(course, "generate")
    result.release_status = course_cli(course, "release")

    # Students: bo fetches and submits ROBUST with the kit's commands; everyone else is submitted
    # with the same nbgrader command, batched in one process (importing nbgrader takes seconds).
    home = tmp / "students"
    result.fetch_status = course_cli(course, "fetch", ROBUST, f"--directory={home / 'bo'}")
    release = {name: load(course.path("release", assignment=name, notebook=name)) for name in ASSIGNMENTS}
    source = {name: load(course.path("source", assignment=name, notebook=name)) for name in ASSIGNMENTS}
    files = {(student, name): json.dumps(nb, indent=1).encode()
             for name in ASSIGNMENTS for student, nb in (("ada", source[name]), ("bo", release[name]))}
    del files["bo", ROBUST]  # bo's copy of ROBUST is the fetched one
    files.update({(student, ROBUST): data for student, data in
                  robustness_class(release[ROBUST], source[ROBUST], release[OTHER]).items()})
    for (student, name), data in files.items():
        (home / student / name).mkdir(parents=True, exist_ok=True)
        (home / student / name / f"{name}.ipynb").write_bytes(data)
    result.submitted_files = files
    result.submit_status = course_cli(course, "submit", ROBUST, f"--directory={home / 'bo'}", "--student=bo")
    batch = course.nbgrader(*(course.student_command("submit", name, home / student, student)
                              for student, name in files), capture=True)
    result.batch_submit_status = batch.returncode
    result.collect_status = course_cli(course, "collect")

    submitted = [home, course.root / "submitted", course.exchange / course.course_id / "inbound"]
    result.hashes_before = file_hashes(*submitted)
    result.autograde_status = course_cli(course, "autograde")
    result.scores = scores(course)
    # Regrade ROBUST (ada, bo, jo and fay's endless loop left out: they only cost time).
    graded = {p.parent.parent.name: p for p in (course.root / "autograded").glob(f"*/{ROBUST}/{ROBUST}.ipynb")}
    written = {student: path.stat().st_mtime_ns for student, path in graded.items()}
    course_cli(course, "autograde", ROBUST, "--force", "--exclude=ada,bo,fay,jo")
    result.regraded = {student for student, path in graded.items() if path.stat().st_mtime_ns != written[student]}
    result.regraded_scores = scores(course)
    result.feedback_status = course_cli(course, "feedback")
    result.export_status = course_cli(course, "export")
    result.report_status = course_cli(course, "report")
    result.problems = find_problems(course)
    result.hashes_after = file_hashes(*submitted)
    return result


def total(run, student, assignment=ROBUST):
    return sum(run.scores[assignment, student].values())


def automatic_points(source):
    return sum(points for _, _, points in exercises(source))


def source_of(run, name):
    return load(run.course.path("source", assignment=name, notebook=name))


# ----- the workflow ran ---------------------------------------------------------------------------

def test_every_step_exits_cleanly(run):
    assert (run.generate_status, run.release_status, run.fetch_status) == (0, 0, 0)
    assert (run.submit_status, run.batch_submit_status, run.collect_status) == (0, 0, 0)
    assert (run.feedback_status, run.export_status) == (0, 0)


def test_autograde_and_report_exit_1_because_two_students_could_not_be_graded(run):
    assert run.autograde_status == 1 and run.report_status == 1


def test_every_submission_went_through_the_exchange(run):
    inbound = {tuple(p.name.split("+")[:2])
               for p in (run.course.exchange / run.course.course_id / "inbound").iterdir()}
    assert inbound == {(student, name) for student, name in run.submitted_files} | {("bo", ROBUST)}
    for student, name in inbound:
        assert run.course.path("submitted", student, name, name).exists()


# ----- scores -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", GRADED)
def test_instructor_source_gets_every_automatic_point(run, name):
    source = source_of(run, name)
    assert total(run, "ada", name) == automatic_points(source) > 0


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_student_edition_scores_zero(run, name):
    assert total(run, "bo", name) == 0
    assert run.course.path("autograded", "bo", name, name).exists()


@pytest.mark.parametrize("name", WRITTEN)
def test_written_answers_are_left_for_manual_grading(run, name):
    with Gradebook(run.course.db_url, run.course.course_id) as gradebook:
        notebook = gradebook.find_submission_notebook(name, name, "ada")
        manual = [g for g in notebook.grades if g.cell_type == "markdown"]
        assert manual and all(g.needs_manual_grade and g.score == 0 for g in manual)


def test_one_exercise_solved_earns_exactly_its_points(run):
    (_, test1, points1), *rest = exercises(source_of(run, ROBUST))
    earned = {cell_id: score for cell_id, score in run.scores[ROBUST, "cy"].items() if score}
    assert earned == {test1: points1}


def test_an_edited_test_cell_is_restored_and_earns_nothing(run):
    assert run.scores[ROBUST, "di"] == run.scores[ROBUST, "cy"]
    graded = load(run.course.path("autograded", "di", ROBUST, ROBUST))
    _, (_, test2, _), _ = exercises(source_of(run, ROBUST))[:3]
    assert text(cell(graded, test2)) == text(cell(source_of(run, ROBUST), test2))


def test_a_deleted_test_cell_is_put_back_and_graded(run):
    source = source_of(run, ROBUST)
    assert total(run, "ed") == automatic_points(source)


def test_an_endless_loop_scores_zero_for_its_exercise_only(run):
    (_, test1, p1), (_, test2, p2), (_, test3, _) = exercises(source_of(run, ROBUST))[:3]
    fay = run.scores[ROBUST, "fay"]
    assert (fay[test1], fay[test2], fay[test3]) == (p1, p2, 0)


def test_faking_the_checks_earns_nothing(run):
    assert total(run, "ivy") <= total(run, "cy")
    assert run.scores[ROBUST, "ivy"] == run.scores[ROBUST, "cy"]


def test_replacing_the_judge_earns_nothing(run):
    """jo's sys.modules swap breaks the kit in jo's own kernel: the recorder cannot even be
    imported there, so jo loses the first exercise's points too."""
    assert total(run, "jo") <= total(run, "cy")


def test_unreadable_submissions_score_zero_and_the_rest_of_the_class_is_graded(run):
    assert total(run, "gil") == total(run, "hal") == 0
    graded = {p.parent.parent.name for p in (run.course.root / "autograded").glob(f"*/{ROBUST}/{ROBUST}.ipynb")}
    assert graded == {"ada", "bo", "cy", "di", "ed", "fay", "ivy", "jo"}


def test_autograding_twice_gives_the_same_scores(run):
    assert run.regraded == {"cy", "di", "ed", "ivy"}  # gil and hal still cannot be graded
    assert run.regraded_scores == run.scores


# ----- nothing a student wrote is changed -------------------------------------------------------

def test_submissions_are_byte_identical_after_the_whole_pipeline(run):
    for (student, name), data in run.submitted_files.items():
        assert run.course.path("submitted", student, name, name).read_bytes() == data
    assert run.hashes_after == run.hashes_before
    assert len(run.hashes_before) > 3 * len(run.submitted_files)  # home, submitted/ and inbound


# ----- the report names who needs a look ----------------------------------------------------------

def problems_of(run, student):
    return [p for p in run.problems if p.student == student and p.assignment == ROBUST]


def test_report_names_the_students_who_could_not_be_graded(run):
    assert {p.student for p in run.problems if not p.graded} == {"gil", "hal"}
    (gil,), (hal,) = problems_of(run, "gil"), problems_of(run, "hal")
    assert "not valid JSON" in gil.message
    assert "not this assignment's notebook" in hal.message and OTHER in hal.message


def test_report_flags_edited_deleted_and_timed_out_cells(run):
    _, (_, test2, _), (ex3, test3, _) = exercises(source_of(run, ROBUST))[:3]
    messages = {student: " ".join(p.message for p in problems_of(run, student)) for student in ("di", "ed", "fay")}
    assert "edited locked" in messages["di"] and test2 in messages["di"]
    assert "deleted graded" in messages["ed"] and test2 in messages["ed"]
    assert f"longer than {TIMEOUT} s" in messages["fay"] and test3 in messages["fay"]


def test_report_flags_answers_that_tamper_with_what_the_tests_use(run):
    ex1 = exercises(source_of(run, ROBUST))[0][0]
    ivy = " ".join(p.message for p in problems_of(run, "ivy"))
    assert ivy.startswith(ex1) and "assigns nnkit.backward" in ivy
    jo = " ".join(p.message for p in problems_of(run, "jo"))
    assert "uses .modules" in jo and "look at it" in jo


def test_report_is_silent_about_clean_submissions(run):
    assert problems_of(run, "bo") == problems_of(run, "cy") == []


# ----- feedback and export ----------------------------------------------------------------------

def test_feedback_is_html_per_graded_student(run):
    for student, name in run.submitted_files:
        html = run.course.root / "feedback" / student / name / f"{name}.html"
        assert html.exists() == (student not in ("gil", "hal")), html


def test_exported_csv_has_one_row_per_student_and_assignment_matching_the_gradebook(run):
    with open(run.course.root / "grades.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    pairs = [(row["assignment"], row["student_id"]) for row in rows]
    assert len(pairs) == len(set(pairs))
    students = {student for student, _ in run.submitted_files}
    assert set(pairs) == {(name, student) for name in ASSIGNMENTS for student in students}
    for row in rows:
        expected = sum(run.scores.get((row["assignment"], row["student_id"]), {}).values())
        assert float(row["score"]) == pytest.approx(expected)


# ----- the student edition and formgrader -------------------------------------------------------

def test_student_edition_is_every_notebook_flat_without_solutions_and_never_overwrites(tmp_path):
    dest = tmp_path / "student"
    assert main(["student-edition", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == [f"{name}.ipynb" for name in ASSIGNMENTS]
    for name in ASSIGNMENTS:
        source, edition = load(REPO_NOTEBOOKS / f"{name}.ipynb"), load(dest / f"{name}.ipynb")
        assert [meta(c).get("grade_id") for c in edition["cells"]] == [meta(c).get("grade_id") for c in source["cells"]]
        assert all(c.get("outputs", []) == [] for c in edition["cells"])
        for index, (original, student) in enumerate(zip(source["cells"], edition["cells"])):
            assert "BEGIN SOLUTION" not in text(student) and "HIDDEN TESTS" not in text(student)
            if meta(original).get("solution"):
                stub = "raise NotImplementedError()" if original["cell_type"] == "code" else "YOUR ANSWER HERE"
                assert stub in text(student), (name, index)
            elif "HIDDEN TESTS" not in text(original):
                assert text(student) == text(original), (name, index)
    work = dest / f"{ROBUST}.ipynb"
    work.write_text(work.read_text().replace("raise NotImplementedError()", "return 42"))
    before = work.read_bytes()
    assert main(["student-edition", str(dest)]) == 2  # refused: a student's work may be there
    assert work.read_bytes() == before


def test_formgrader_extensions_are_enabled_for_jupyterlab(capsys):
    assert main(["formgrader", "--check"]) == 0
    out = capsys.readouterr().out
    assert "ok      @jupyter/nbgrader" in out and "ok      nbgrader.server_extensions.formgrader" in out


def http_get(url, token, deadline):
    """GET url, retrying until the server answers or `deadline` (time.monotonic) passes."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def test_formgrader_in_jupyterlab_serves_this_course_for_manual_grading(run, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "nnkit-test-token"
    options = ["--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={token}"]
    with open(tmp_path / "lab.log", "w") as log:
        server = subprocess.Popen(lab_command(run.course, options), cwd=run.course.root, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        submissions = json.loads(http_get(f"{base}/formgrader/api/submissions/{ROBUST}", token, time.monotonic() + 90))
        lab_page = http_get(f"{base}/lab", token, time.monotonic() + 10)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert {s["student"] for s in submissions} == {student for name, student in run.scores if name == ROBUST}
    assert {s["student"]: s["needs_manual_grade"] for s in submissions}["ada"] is True
    assert '"name": "@jupyter/nbgrader"' in lab_page  # the labextension that adds the Nbgrader menu


# ----- fast checks (no nbgrader run of their own) -----------------------------------------------

def test_report_names_missing_notebooks_and_ignored_files(run, tmp_path):
    course = Course(root=tmp_path / "course", exchange=tmp_path / "exchange")
    for step in ("source", "release", "autograded"):
        shutil.copytree(run.course.root / step, course.root / step)
    kim = course.path("submitted", "kim", ROBUST)
    kim.mkdir(parents=True)
    (kim / "my-answers.ipynb").write_bytes(run.submitted_files["cy", ROBUST])
    lee = course.path("submitted", "lee", ROBUST)
    lee.mkdir(parents=True)
    (lee / f"{ROBUST}.ipynb").write_bytes(run.submitted_files["cy", ROBUST])
    messages = {(p.student, p.graded): p.message for p in find_problems(course, [ROBUST])}
    assert messages["kim", True] == "also submitted my-answers.ipynb, which the grader ignores"
    assert messages["kim", False] == f"no {ROBUST}.ipynb in the submission (nbgrader scores it 0)"
    assert messages["lee", False] == "autograde failed on it (nbgrader's output says why)"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_instructors_answers_raise_no_flag_and_use_only_what_they_declare(name):
    source = load(REPO_NOTEBOOKS / f"{name}.ipynb")
    for c in source["cells"]:
        if c["cell_type"] == "code" and meta(c).get("solution"):
            assert flags(text(c)) == [], meta(c)["grade_id"]
            assert forbidden_uses(text(c), c["metadata"].get("nnkit", {}).get("may_use", [])) == []
            if meta(c)["grade_id"] == "nb03-dL-dw6":   # it starts from the given forward pass, and uses nothing else
                assert forbidden_uses(text(c), ()) == ["homework.forward"]
    autograde.exercises(source)    # what autograde checks first: no may_use leaves out what its answer calls


def test_unknown_assignments_and_a_missing_notebooks_folder_are_clear_errors(tmp_path, capsys):
    assert main(["release", "06-nope", f"--course-dir={tmp_path}/c", f"--exchange={tmp_path}/e"]) == 2
    assert "unknown assignment(s) ['06-nope']" in capsys.readouterr().err
    assert main(["generate", f"--notebooks={tmp_path}", f"--course-dir={tmp_path}/c"]) == 2
    assert f"no notebooks (*.ipynb) found in {tmp_path}" in capsys.readouterr().err
