"""A class on a real JupyterHub, end to end, in a real browser (the script docs/instructors.md tells).

As root, the module fixture `term` builds the users' environment with Debian's /usr/bin/python3
(see hub_support), creates three Unix users (an instructor and two students), and runs:

  instructor (shell):   init ~/nnkit-course --exchange X; generate; release 01-forward-pass
  admin:                the students' nbgrader config (course id, exchange) in <env>/etc/jupyter
  ann, bob (browser):   log in, Assignments panel: Fetch; ann answers everything, bob the first
                        exercise only; Submit
  ann (shell):          tries to read the course directory, bob's submission and bob's home
  instructor (shell):   collect; autograde (one kit command)
  instructor (browser): formgrader in its own tab, Manual Grading: gives ann's written answer
                        its points and a comment
  instructor (shell):   feedback; release-feedback; export
  ann (browser):        Assignments panel: Fetch Feedback; opens it: her score, the comment, no
                        hidden test

Everything it starts it stops by PID (timeouts everywhere); the users are removed afterwards.
Screenshots: tests/artifacts/hub-*.png; step timings: tests/artifacts/hub-timings.json. Browser steps: hub_browser.py.
"""
import csv
import io
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from browser_support import ARTIFACTS, ROOT, chromium
from hub_browser import MATHJAX_TYPESET, PAGE_TIMEOUT, Browser, grade_written_answer
from hub_support import Hub, as_user, require_hub_tools, unix_users, users_environment

ASSIGNMENT = "01-forward-pass"
COURSE_ID = "nnkit-hub-test"
WRITTEN_POINTS = 2  # what the instructor gives ann's written answer in formgrader
COMMENT = "Clear reasoning about the sigmoid's saturation."


# ----- the students' work, made from the real notebook ------------------------------------------

def meta(cell):
    return cell["metadata"].get("nbgrader", {})


def answered(release, source, solved_ids, written=None):
    """The release notebook with the solution cells `solved_ids` answered as the instructor did."""
    notebook = json.loads(json.dumps(release))
    answers = {meta(c)["grade_id"]: "".join(c["source"]) for c in source["cells"] if meta(c).get("solution")}
    for cell in notebook["cells"]:
        grade_id = meta(cell).get("grade_id")
        if grade_id in solved_ids and cell["cell_type"] == "code":
            cell["source"] = "\n".join(line for line in answers[grade_id].splitlines()
                                       if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
        elif written and cell["cell_type"] == "markdown" and meta(cell).get("solution"):
            cell["source"] = written
    return notebook


def automatic_points(source, solved_ids):
    """Points of the test cells that follow the solved exercises (each exercise, then its tests)."""
    points, current = 0, None
    for cell in source["cells"]:
        if meta(cell).get("solution") and cell["cell_type"] == "code":
            current = meta(cell)["grade_id"]
        elif meta(cell).get("grade") and cell["cell_type"] == "code" and current in solved_ids:
            points += meta(cell)["points"]
    return points


# ----- the term ----------------------------------------------------------------------------------

class Term:
    """What happened, for the tests to check."""


def kit(user, env, *argv, check=True):
    return as_user(user, env, [env / "bin" / "python", "-m", "nnkit.course", *argv], check=check)


PROBE = r'''
import json, os, sys
tries = json.loads(sys.argv[1])
result = {}
for name, (action, path) in tries.items():
    try:
        if action == "list":
            os.listdir(path)
        elif action == "read":
            open(path, "rb").read(1)
        elif action == "write":
            open(path, "w").write("x")
        elif action == "rename":
            os.rename(path, path + "-moved")
        result[name] = "allowed"
    except OSError as error:
        result[name] = type(error).__name__
print(json.dumps(result))
'''


@pytest.fixture(scope="module")
def term():
    started = time.monotonic()
    require_hub_tools()
    env = users_environment()
    seconds = {"tools and users' environment": time.monotonic() - started}
    shared = Path(tempfile.mkdtemp(prefix="nnkit-hub-", dir="/tmp"))
    shared.chmod(0o755)
    student_config = env / "etc" / "jupyter" / "nbgrader_config.py"
    t = Term()
    try:
        with unix_users("prof", "ann", "bob") as users, chromium() as browser:
            prof, ann, bob = users["prof"], users["ann"], users["bob"]
            t.users = users
            exchange = shared / "exchange"
            course = Path(prof.pw_dir) / "nnkit-course"
            t.course, t.exchange = course, exchange

            # The instructor: notebooks from the repository, one command sets the course up.
            notebooks = Path(prof.pw_dir) / "notebooks"
            as_user(prof, env, ["mkdir", "-p", notebooks])
            as_user(prof, env, ["cp", ROOT / "notebooks" / f"{ASSIGNMENT}.ipynb", notebooks])
            # The administrator creates the exchange once (1777); init creates the course's folders.
            exchange.mkdir()
            exchange.chmod(0o1777)
            kit(prof, env, "init", course, f"--exchange={exchange}", f"--course-id={COURSE_ID}",
                f"--notebooks={notebooks}", "--timeout=60")
            t.outside = kit(ann, env, "report", check=False)  # a student has no course configured
            kit(prof, env, "generate", ASSIGNMENT)
            kit(prof, env, "release", ASSIGNMENT)
            t.release_again = kit(prof, env, "release", ASSIGNMENT)  # harmless: nothing changed
            source = json.loads((course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
            release = json.loads((course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
            exercises = [meta(c)["grade_id"] for c in source["cells"]
                         if meta(c).get("solution") and c["cell_type"] == "code"]
            t.source, t.exercises = source, exercises
            # The students' servers find the course here (the admin's two lines).
            student_config.parent.mkdir(parents=True, exist_ok=True)
            student_config.write_text(f"c = get_config()\nc.CourseDirectory.course_id = {COURSE_ID!r}\n"
                                      f"c.Exchange.root = {str(exchange)!r}\n")
            student_config.chmod(0o644)
            t.doctor = kit(prof, env, "doctor", check=False)

            seconds["users, course set up"] = time.monotonic() - started - sum(seconds.values())
            with Hub(env, shared / "hub", [u.pw_name for u in users.values()]) as hub:
                work = {"ann": answered(release, source, exercises, written="Because σ saturates: "
                                        "its slope vanishes for large |z|, so the gradient does too."),
                        "bob": answered(release, source, exercises[:1])}
                t.expected_automatic = {"ann": automatic_points(source, exercises),
                                        "bob": automatic_points(source, exercises[:1])}
                for name in ("ann", "bob"):
                    student = Browser(browser, hub, users[name], name)
                    student.log_in()
                    panel = student.assignments_panel()
                    student.screenshot("assignments")
                    student.click_in_row(panel, ASSIGNMENT, "Fetch")
                    panel.get_by_role("button", name="Submit", exact=True).first.wait_for()
                    fetched = Path(users[name].pw_dir) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
                    t.__dict__[f"{name}_fetched_owner"] = fetched.owner()
                    student.save_notebook(f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", work[name])
                    student.click_in_row(panel, ASSIGNMENT, "Submit")
                    panel.locator(".list_item", has_text="UTC").first.wait_for()  # the submitted row
                    student.screenshot("submitted")
                    if name == "ann":
                        ann_browser = student
                    else:
                        student.close()

                # ann pokes around: the course, bob's work, the exchange.
                inbound = exchange / COURSE_ID / "inbound"
                tries = {
                    "course directory": ("list", course),
                    "instructor notebook": ("read", course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                    "gradebook": ("read", course / "gradebook.db"),
                    "bob's home": ("list", bob.pw_dir),
                    "bob's notebook": ("read", Path(bob.pw_dir) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                    "inbound listing": ("list", inbound),
                    "outbound write": ("write", exchange / COURSE_ID / "outbound" / ASSIGNMENT / "x.ipynb"),
                    "rename the course in the exchange": ("rename", str(exchange / COURSE_ID)),
                }
                # (bob's folder in inbound/ is 0777, as nbgrader makes it, but its name ends in a
                # random part and ann cannot list inbound/: she cannot find it.)
                t.inbound_names = sorted(p.name for p in inbound.iterdir())
                t.probe = json.loads(as_user(ann, env, [env / "bin" / "python", "-c", PROBE, json.dumps(
                    {k: [a, str(p)] for k, (a, p) in tries.items()})]).stdout)

                # The instructor collects and grades (one kit command), then grades by hand.
                t.collect = kit(prof, env, "collect", ASSIGNMENT)
                t.submitted = {p.parent.parent.name for p in
                               (course / "submitted").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")}
                t.submitted_modes = {str(p): p.stat().st_mode for p in (course / "submitted").rglob("*")}
                tries = {"bob's collected submission": ("write", course / "submitted" / bob.pw_name / ASSIGNMENT / "x"),
                         "bob's collected notebook": ("read", course / "submitted" / bob.pw_name / ASSIGNMENT
                                                      / f"{ASSIGNMENT}.ipynb")}
                t.probe.update(json.loads(as_user(ann, env, [env / "bin" / "python", "-c", PROBE, json.dumps(
                    {k: [a, str(p)] for k, (a, p) in tries.items()})]).stdout))
                seconds["hub, students in the browser, collect"] = time.monotonic() - started - sum(seconds.values())
                t.autograde = kit(prof, env, "autograde", ASSIGNMENT, check=False)
                seconds["autograde (2 submissions)"] = time.monotonic() - started - sum(seconds.values())

                instructor = Browser(browser, hub, prof, "prof")
                instructor.log_in()
                written = [meta(c)["grade_id"] for c in source["cells"]
                           if c["cell_type"] == "markdown" and meta(c).get("points")]
                t.formgrader_mathjax = grade_written_answer(instructor, ASSIGNMENT, ann.pw_name, written[0],
                                                            WRITTEN_POINTS, COMMENT)
                instructor.close()

                t.feedback = kit(prof, env, "feedback", ASSIGNMENT)
                t.release_feedback = kit(prof, env, "release-feedback", ASSIGNMENT)
                t.export = kit(prof, env, "export", f"--to={course / 'grades.csv'}")
                t.grades = list(csv.DictReader(io.StringIO((course / "grades.csv").read_text())))

                # ann fetches her feedback and reads it.
                ann_browser.page.reload()
                ann_browser.page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-LabShell')")
                panel = ann_browser.assignments_panel()
                ann_browser.click_in_row(panel, ASSIGNMENT, "Fetch Feedback")
                feedback_dir = Path(ann.pw_dir) / ASSIGNMENT / "feedback"
                deadline = time.monotonic() + PAGE_TIMEOUT / 1000
                while not any(feedback_dir.rglob("*.html")) and time.monotonic() < deadline:
                    time.sleep(0.5)
                ann_browser.screenshot("feedback-fetched")
                t.feedback_files = sorted(feedback_dir.rglob("*.html"))
                if t.feedback_files:
                    relative = t.feedback_files[0].relative_to(ann.pw_dir)
                    ann_browser.page.goto(f"{hub.url}/user/{ann.pw_name}/files/{relative}")
                    ann_browser.page.locator("body").wait_for()
                    t.feedback_text = ann_browser.page.locator("body").inner_text()
                    ann_browser.page.wait_for_function("() => window.MathJax && MathJax.isReady", timeout=30_000)
                    t.feedback_mathjax = ann_browser.page.evaluate(MATHJAX_TYPESET)
                    ann_browser.screenshot("feedback")
                ann_browser.close()
            seconds["formgrader, feedback, export, fetch feedback"] = time.monotonic() - started - sum(seconds.values())
    finally:
        student_config.unlink(missing_ok=True)
        shutil.rmtree(shared, ignore_errors=True)
    seconds["clean-up"] = time.monotonic() - started - sum(seconds.values())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "hub-timings.json").write_text(json.dumps({k: round(v, 1) for k, v in seconds.items()}, indent=1))
    return t


# ----- the tests ---------------------------------------------------------------------------------

def test_a_student_outside_the_course_is_told_where_the_kit_looked(term):
    assert term.outside.returncode == 2
    assert "no course configured" in term.outside.stderr and "nbgrader_config.py" in term.outside.stderr


def test_releasing_again_changes_nothing(term):
    assert term.release_again.returncode == 0
    assert f"{ASSIGNMENT}: already released, unchanged" in term.release_again.stdout


def test_students_fetch_and_submit_from_the_assignments_panel(term):
    assert term.ann_fetched_owner.endswith("-ann") and term.bob_fetched_owner.endswith("-bob")
    assert term.submitted == {term.users["ann"].pw_name, term.users["bob"].pw_name}
    assert [name.split("+")[:2] for name in term.inbound_names] == [
        [term.users["ann"].pw_name, ASSIGNMENT], [term.users["bob"].pw_name, ASSIGNMENT]]
    assert all(len(name.split("+")[-1]) >= 8 for name in term.inbound_names)  # the random part


def test_a_student_cannot_read_the_course_nor_a_classmates_work(term):
    assert term.probe == {name: "PermissionError" for name in term.probe}, term.probe
    assert len(term.probe) == 10


def test_collected_submissions_are_not_writable_by_others(term):
    assert term.submitted_modes
    assert {path: oct(mode) for path, mode in term.submitted_modes.items() if mode & 0o022} == {}


def test_autograde_grades_both_and_reports_no_problem(term):
    assert term.autograde.returncode == 0, term.autograde.stdout + term.autograde.stderr
    assert "not graded: nobody" in term.autograde.stdout


def test_export_has_the_automatic_points_plus_the_written_answer_graded_in_formgrader(term):
    scores = {row["student_id"].rsplit("-", 1)[1]: float(row["score"]) for row in term.grades}
    assert scores == {"ann": term.expected_automatic["ann"] + WRITTEN_POINTS, "bob": term.expected_automatic["bob"]}
    assert 0 < term.expected_automatic["bob"] < term.expected_automatic["ann"]


def test_the_student_reads_score_and_comment_but_no_hidden_test(term):
    assert len(term.feedback_files) == 1
    text = term.feedback_text
    assert COMMENT in text
    total = term.expected_automatic["ann"] + WRITTEN_POINTS
    assert re.search(rf"Score:\s*{total}(\.0)?\s*/", text), text[:500]
    for hidden in ("HIDDEN TESTS", "verify(", "from nnkit.grading import"):
        assert hidden not in text


def test_doctor_finds_nothing_to_fix_on_this_hub(term):
    assert term.doctor.returncode == 0, term.doctor.stdout + term.doctor.stderr


def test_math_renders_from_the_hub_itself_in_formgrader_and_in_feedback(term):
    for seen in (term.formgrader_mathjax, term.feedback_mathjax):
        assert "/static/mathjax/MathJax.js" in seen["src"] and "cdnjs" not in seen["src"], seen
        assert seen["typeset"] > 0, seen
