"""A term's workflow, piece by piece (fast: a temp gradebook and temp folders, no nbgrader run).

One course configuration set once; secure modes; the roster; due dates and the late penalty;
releasing idempotently; the ungraded-answers warning; Canvas and Moodle exports; feedback without
hidden tests; `report --exclude`. The whole loop on a real hub is tests/test_hub.py.
"""
import argparse
import csv
import json
import shutil
import stat
import subprocess
import sys
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from nnkit.course import __main__ as cli
from nnkit.course.autograde import exercises
from nnkit.course.config import CourseNotFound, course_from_options, find_course, read_settings
from nnkit.course.doctor import check_course
from nnkit.course.deadlines import DAY, LatePenalty, late_penalty, parse_due, set_due_date
from nnkit.course.exports import grade_rows, ungraded, write_canvas, write_moodle
from nnkit.course.feedback import hide_tests, without_hidden_tests
from nnkit.course.layout import Course
from nnkit.course.permissions import create_exchange, lock_submitted, problems
from nnkit.course.releases import release_state
from nnkit.course.report import _check, environment_problems, record_collected
from nnkit.course.roster import import_roster, read_roster
from nnkit.grading.hidden import HiddenTestError


def mode(path):
    return stat.S_IMODE(Path(path).stat().st_mode)


# ----- one configuration, set once ---------------------------------------------------------------

@pytest.fixture
def jupyter_home(tmp_path, monkeypatch):
    """A fresh ~/.jupyter and working directory, so no real config is read or written."""
    home = tmp_path / "home" / ".jupyter"
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(home))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(tmp_path / "none"))
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")
    monkeypatch.chdir(tmp_path)
    return home


def test_outside_a_course_every_instructor_command_refuses_and_names_the_files_it_read(jupyter_home, capsys):
    assert cli.main(["report"]) == 2
    error = capsys.readouterr().err
    assert "no course configured" in error and str(jupyter_home / "nbgrader_config.py") in error
    assert not (Path.cwd() / "build").exists()  # nothing created silently
    assert cli.main(["report", "--course-dir=build/course"]) == 2
    assert "no course at " in capsys.readouterr().err


def test_init_sets_the_course_up_once_and_every_command_finds_it(jupyter_home, tmp_path, capsys):
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    assert cli.main(["init", str(course), f"--exchange={exchange}", "--course-id=ml101", "--late-penalty=10"]) == 0
    settings = find_course()
    assert (Path(settings.root), Path(settings.exchange), settings.course_id) == (course, exchange, "ml101")
    assert settings.source == jupyter_home / "nbgrader_config.py"
    # The file init wrote is the instructor's own: no "check it is yours" warning at every autograde.
    assert not [w for w in environment_problems() if "nbgrader configuration" in w]
    assert mode(course) == 0o700 and mode(exchange) == 0o1777
    assert {p.name: mode(p) for p in (exchange / "ml101").iterdir()} == {
        "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}
    assert problems(course, exchange, "ml101") == []
    assert cli.main(["report"]) == 0  # found without --course-dir
    assert "not graded: nobody" in capsys.readouterr().out
    assert cli.main(["report", "--exchange=/elsewhere"]) == 2  # the config decides, not a stray option
    assert "configured in" in capsys.readouterr().err
    # A second init for another course would silently take this one's place: refused.
    assert cli.main(["init", str(tmp_path / "other"), f"--exchange={exchange}"]) == 2
    assert "already configures the course" in capsys.readouterr().err
    assert find_course().root == str(course)
    # The same init again changes nothing; with other settings it would replace the file: refused.
    assert cli.main(["init", str(course), f"--exchange={exchange}", "--course-id=ml101", "--late-penalty=10"]) == 0
    assert cli.main(["init", str(course), f"--exchange={exchange}", "--course-id=ml101"]) == 2
    assert "already exists with other settings" in capsys.readouterr().err
    assert "percent_per_day = 10.0" in settings.source.read_text()


def test_config_files_later_in_the_search_path_win_and_a_broken_one_is_named(tmp_path):
    low, high = tmp_path / "low.py", tmp_path / "high.py"
    low.write_text("c.CourseDirectory.root = '/a'\nc.CourseDirectory.course_id = 'x'\n")
    high.write_text("c.CourseDirectory.root = '/b'\n")
    settings = read_settings([low, high])
    assert (settings.root, settings.course_id, settings.source) == ("/b", "x", high)
    with pytest.raises(CourseNotFound, match="does not exist"):
        find_course([low, high])
    high.write_text("c.CourseDirectory.root = (\n")
    with pytest.raises(ValueError, match="high.py"):
        read_settings([high])


# ----- secure modes ----------------------------------------------------------------------------------

def test_collected_submissions_lose_group_and_other_write(tmp_path):
    folder = tmp_path / "course" / "submitted" / "ann" / "a1"
    folder.mkdir(parents=True)
    (folder / "a1.ipynb").write_text("{}")
    for path in (folder, folder / "a1.ipynb"):
        path.chmod(0o777)  # as nbgrader collect copies them from the exchange
    (tmp_path / "course").chmod(0o755)
    create_exchange(tmp_path / "exchange", "c")
    found = {what.split(":")[0] for _, what, _ in problems(tmp_path / "course", tmp_path / "exchange", "c")}
    assert found == {"mode 755", "2 collected file(s)/folder(s) writable by others"}
    content = (folder / "a1.ipynb").read_bytes()
    lock_submitted(tmp_path / "course")
    assert (mode(folder), mode(folder / "a1.ipynb")) == (0o755, 0o755)
    assert (folder / "a1.ipynb").read_bytes() == content


# ----- the roster and the exports ------------------------------------------------------------------

def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_reads_loose_headers_and_rejects_bad_rows_by_line(tmp_path):
    roster = write_csv(tmp_path / "r.csv", "Username,First Name,Surname,E-mail\nann,Ann,Lee,ann@u.edu\n\nbob,Bob,,\n")
    students = read_roster(roster)
    assert [(s.id, s.first_name, s.last_name, s.email) for s in students] == [
        ("ann", "Ann", "Lee", "ann@u.edu"), ("bob", "Bob", "", "")]
    with pytest.raises(ValueError, match=r"line 3: student id 'ann' already on line 2"):
        read_roster(write_csv(tmp_path / "d.csv", "id\nann\nann\n"))
    with pytest.raises(ValueError, match=r"line 2: student id 'a b\+c'"):
        read_roster(write_csv(tmp_path / "s.csv", "id\na b+c\n"))
    with pytest.raises(ValueError, match="no student id column"):
        read_roster(write_csv(tmp_path / "n.csv", "name,mail\nAnn,a@u\n"))


CELLS = {"q1": ("code", 3.0), "q2": ("code", 2.0), "why": ("markdown", 2.0)}


@pytest.fixture(scope="module")
def class_gradebook(tmp_path_factory):
    """A gradebook with assignment a1 (two code cells, one written answer), a roster of three;
    ann submitted everything (written answer still ungraded), bob got q1 only, cy never submitted.
    Built once (creating a gradebook takes seconds); each test gets a copy (`gradebook`)."""
    tmp_path = tmp_path_factory.mktemp("gradebook")
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    roster = write_csv(tmp_path / "r.csv", "id,first_name,last_name,email\nann,Ann,Lee,ann@u.edu\n"
                                           "bob,Bob,Roe,bob@u.edu\ncy,Cy,Poe,cy@u.edu\n")
    assert import_roster(db_url, "c", read_roster(roster)) == (3, 0)
    assert import_roster(db_url, "c", read_roster(roster)) == (0, 3)  # importing again only updates
    # A roster without e-mails (a list of ids from the hub) adds nothing and erases nothing.
    assert import_roster(db_url, "c", read_roster(write_csv(tmp_path / "ids.csv", "id\nann\n"))) == (0, 1)
    with Gradebook(db_url, "c") as gb:
        ann = gb.find_student("ann")
        assert (ann.first_name, ann.last_name, ann.email) == ("Ann", "Lee", "ann@u.edu")
    with Gradebook(db_url, "c") as gb:
        gb.update_or_create_assignment("a1")
        gb.update_or_create_notebook("a1", "a1")
        for name, (cell_type, points) in CELLS.items():
            gb.update_or_create_grade_cell(name, "a1", "a1", max_score=points, cell_type=cell_type)
        for student, earned in {"ann": ("q1", "q2"), "bob": ("q1",)}.items():
            with warnings.catch_warnings():  # nbgrader's own add_submission triggers a harmless one
                warnings.filterwarnings("ignore", "Object of type <Submitted", SAWarning)
                gb.add_submission("a1", student)
            for name, (cell_type, points) in CELLS.items():
                grade = gb.find_grade(name, "a1", "a1", student)
                if cell_type == "code":
                    grade.auto_score = points if name in earned else 0.0
                grade.needs_manual_grade = cell_type == "markdown"
        gb.db.commit()
    return tmp_path / "gradebook.db"


@pytest.fixture
def gradebook(class_gradebook, tmp_path):
    shutil.copy(class_gradebook, tmp_path / "gradebook.db")
    return f"sqlite:///{tmp_path / 'gradebook.db'}"


def test_a_student_who_never_submits_is_in_the_export_with_0_and_missing(gradebook):
    rows = {row.student: row for row in grade_rows(gradebook, "c")}
    code_points = {name: points for name, (kind, points) in CELLS.items() if kind == "code"}
    assert rows["ann"].score == sum(code_points.values()) and rows["ann"].status == "needs manual grading"
    assert rows["bob"].score == code_points["q1"]
    assert (rows["cy"].score, rows["cy"].status) == (0.0, "missing")
    assert {row.max_score for row in rows.values()} == {sum(points for _, points in CELLS.values())}
    assert set(rows) - {row.student for row in grade_rows(gradebook, "c", exclude={"cy"})} == {"cy"}


def test_ungraded_written_answers_are_listed_until_graded(gradebook):
    assert ungraded(gradebook, "c") == [("ann", "a1", "why"), ("bob", "a1", "why")]
    with Gradebook(gradebook, "c") as gb:
        for student in ("ann", "bob"):
            grade = gb.find_grade("why", "a1", "a1", student)
            grade.manual_score, grade.needs_manual_grade = 1.0, False
        gb.db.commit()
    assert ungraded(gradebook, "c") == []


def test_canvas_and_moodle_files_have_one_row_per_student(gradebook, tmp_path):
    rows = grade_rows(gradebook, "c")
    write_canvas(rows, tmp_path / "canvas.csv")
    canvas = list(csv.reader((tmp_path / "canvas.csv").read_text().splitlines()))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1"]
    assert canvas[1][0] == "Points Possible" and float(canvas[1][5]) == sum(p for _, p in CELLS.values())
    assert {r[2]: (r[0], float(r[5])) for r in canvas[2:]} == {
        row.student: (f"{row.last_name}, {row.first_name}", row.score) for row in rows}
    write_moodle(rows, tmp_path / "moodle.csv")
    moodle = list(csv.DictReader((tmp_path / "moodle.csv").read_text().splitlines()))
    assert {r["ID number"]: (r["Email address"], float(r["a1"]), r["a1 feedback"]) for r in moodle} == {
        row.student: (row.email, row.score, row.status) for row in rows}


# ----- due dates and the late penalty --------------------------------------------------------------

def test_late_penalty_is_a_percentage_per_started_day_and_never_more_than_the_score():
    score, percent = 8.0, 10.0
    for days_late in (0.25, 1.0, 1.5, 3.0):
        started = -int(-days_late // 1)  # ceil, without math.ceil
        assert late_penalty(score, days_late * DAY, percent) == pytest.approx(score * started * percent / 100)
    assert late_penalty(score, 0, percent) == 0 and late_penalty(score, 20 * DAY, percent) == score
    assert LatePenalty(percent_per_day=percent).late_submission_penalty("ann", score, 1.5 * DAY) == late_penalty(
        score, 1.5 * DAY, percent)


def test_due_dates_are_read_in_a_time_zone_and_stored_in_utc(gradebook):
    due = parse_due("2026-12-08 23:59", "Europe/Berlin")  # CET is UTC+1 in December
    assert due.astimezone(timezone.utc) == datetime(2026, 12, 8, 23, 59, tzinfo=timezone.utc) - timedelta(hours=1)
    stored = set_due_date(gradebook, "c", "a1", due)
    assert stored == due.astimezone(timezone.utc).replace(tzinfo=None)
    with pytest.raises(ValueError, match="expected YYYY-MM-DD HH:MM"):
        parse_due("8.12.2026")
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Base'"):
        parse_due("2026-12-08 23:59", "Mars/Base")


# ----- releasing one at a time ---------------------------------------------------------------------

def test_releasing_again_is_harmless_and_a_changed_assignment_needs_force(tmp_path):
    release, outbound = tmp_path / "release" / "a1", tmp_path / "outbound" / "a1"
    release.mkdir(parents=True)
    (release / "a1.ipynb").write_text("v1")
    assert release_state(release, outbound) == "new"
    outbound.mkdir(parents=True)
    (outbound / "a1.ipynb").write_text("v1")
    assert release_state(release, outbound) == "same"
    (release / "a1.ipynb").write_text("v2")
    assert release_state(release, outbound) == "changed"


# ----- feedback --------------------------------------------------------------------------------

TEST_CELL = """check(neuron)
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
verify("neuron", neuron(**fresh(case)), inputs=[0.3, 0.1])
### END HIDDEN TESTS
"""


def test_feedback_keeps_the_visible_test_and_the_outputs_but_not_the_hidden_tests():
    assert without_hidden_tests(TEST_CELL) == "check(neuron)"
    cell = nbformat.v4.new_code_cell(TEST_CELL, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="✓ neuron: 3 cases correct\n"),
        nbformat.v4.new_output("error", ename="AssertionError", evalue="neuron: wrong for case 2",
                               traceback=["----> 4 verify('neuron', ..., inputs=[0.3, 0.1])"])])
    shown = hide_tests(cell)
    assert shown.source == "check(neuron)"
    assert shown.outputs[0]["text"] == "✓ neuron: 3 cases correct\n"
    assert shown.outputs[1]["traceback"] == ["AssertionError: neuron: wrong for case 2"]
    assert "0.3" not in json.dumps(shown)


# ----- report --exclude ------------------------------------------------------------------------

def test_students_left_out_on_purpose_are_not_reported_as_not_graded(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x = 1", metadata={"nbgrader": {"grade_id": "q1", "solution": True, "grade": False, "locked": False}})])
    nbformat.write(nb, notebooks / "a1.ipynb")
    course = Course(root=tmp_path / "course", exchange=tmp_path / "exchange", notebooks=notebooks)
    for step in ("source", "release"):
        nbformat.write(nb, course.path(step, assignment="a1", notebook="a1").parent.mkdir(parents=True) or
                       course.path(step, assignment="a1", notebook="a1"))
    for student in ("ann", "zed"):
        nbformat.write(nb, course.path("submitted", student, "a1").mkdir(parents=True) or
                       course.path("submitted", student, "a1", "a1"))
    args = argparse.Namespace(names=["a1"], exclude="zed")
    assert cli.cmd_report(course, args) == 1
    out = capsys.readouterr().out
    assert "not graded: ann." in out and "zed" not in out


# ----- clean logs ----------------------------------------------------------------------------------

def test_known_harmless_nbgrader_messages_are_hidden_and_real_errors_kept(tmp_path):
    script = tmp_path / "noisy.py"
    script.write_text(
        "import sys, subprocess\n"
        "from nnkit.course.logfilter import quiet_known_noise\n"
        "with quiet_known_noise():\n"
        "    print(\"[AutogradeApp | WARNING] Attribute 'checksum' for cell nb01-x-tests has changed! "
        "(should be: 1, got: 2)\", file=sys.stderr)\n"
        "    subprocess.run([sys.executable, '-c', 'import sys; print(\"[IPKernelApp] WARNING | Kernel is running "
        "over TCP without encryption.\", file=sys.stderr); print(\"NotJSONError: real\", file=sys.stderr)'])\n"
        "    print('[AutogradeApp | ERROR] a real error', file=sys.stderr)\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.stderr.splitlines() == [
        "NotJSONError: real", "[AutogradeApp | ERROR] a real error",
        "(2 known-harmless nbgrader message(s) hidden; NNKIT_VERBOSE=1 shows them)"]


def options(**given):
    return argparse.Namespace(**{name: given.get(name) for name in
                                 ("course_dir", "exchange", "notebooks", "course_id", "timeout")})


def test_a_students_fetch_and_submit_use_the_hubs_config_unless_told_otherwise(jupyter_home):
    hub = course_from_options(options(), student=True).student_command("fetch_assignment", "a1", ".")
    assert not [arg for arg in hub if arg.startswith(("--course", "--Exchange.root"))]
    here = course_from_options(options(exchange="/x"), student=True).student_command("submit", "a1", ".")
    assert "--course=nnkit" in here and "--Exchange.root=/x" in here


def test_doctor_says_what_the_students_servers_are_missing(jupyter_home, tmp_path):
    assert cli.main(["init", str(tmp_path / "course"), f"--exchange={tmp_path / 'exchange'}"]) == 0
    checks = list(check_course(find_course()))
    fixes = [(what, fix) for ok, what, fix in checks if not ok]
    assert len(fixes) == 1 and "students' servers do not get" in fixes[0][0]
    assert f"c.Exchange.root = '{tmp_path / 'exchange'}'" in fixes[0][1]
    (tmp_path / "course").chmod(0o755)
    assert any("chmod 700" in (fix or "") for _, _, fix in check_course(find_course()))


def test_a_wrong_may_use_is_an_instructor_error_naming_its_cell():
    """A name that is no nnkit function, or one that leaves out what the answer calls: found before
    anything is graded (either would fail every student, with the cause hidden)."""
    solution = nbformat.v4.new_code_cell("def f(p):\n    return nnkit.forward(p)", metadata={
        "nbgrader": {"solution": True, "grade_id": "nb01-f"}, "nnkit": {"may_use": ["forwrd"]}})
    tests = nbformat.v4.new_code_cell("check(f)", metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1}})
    with pytest.raises(HiddenTestError, match=r"solution cell 'nb01-f': nnkit.may_use names nnkit.forwrd, "
                                              r"which does not exist"):
        exercises(nbformat.v4.new_notebook(cells=[solution, tests]))
    solution.metadata["nnkit"]["may_use"] = ["backward"]      # exists, but the answer calls forward
    with pytest.raises(HiddenTestError, match=r"solution cell 'nb01-f': the instructor's answer calls "
                                              r"nnkit.homework.forward, which its nnkit.may_use does not list"):
        exercises(nbformat.v4.new_notebook(cells=[solution, tests]))


def test_a_submission_edited_after_collect_is_reported_even_after_another_collect(tmp_path):
    """A second collect takes the hash of what nbgrader collected anew, never of a file changed in place."""
    course = Course(root=tmp_path / "course", exchange=tmp_path / "exchange", notebooks=tmp_path)
    folder = course.root / "submitted" / "ann" / "a1"
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    (folder / "a1.ipynb").write_text('{"cells": []}')
    record_collected(course, ["a1"])
    (folder / "a1.ipynb").write_text('{"cells": ["changed"]}')        # edited in submitted/, not collected
    record_collected(course, ["a1"])                                    # the next collect, ann unchanged
    collected = json.loads((course.root / "grading" / "collected.json").read_text())

    def messages():
        return [message for message, _ in _check(course, "a1", "ann", {}, collected, {})
                if "changed after it was collected" in message]
    assert messages()
    (folder / "timestamp.txt").write_text("2026-12-01 11:00:00.000000 UTC")   # a new submission, collected
    record_collected(course, ["a1"])
    collected = json.loads((course.root / "grading" / "collected.json").read_text())
    assert not messages()
