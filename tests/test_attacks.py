"""A class graded in one parallel `autograde`, with one attacker per attack class of issue 11.

Everyone submits notebook 1 through nbgrader's exchange. Honest students: `full` (the instructor's
answers), `blank` (the student edition), `partial` (the first exercise solved). Every attacker
solves the first exercise honestly too, then tries one trick. For each attacker the suite checks
that the trick gained nothing over `partial`, that the honest students got exactly their points,
that `report` names the attacker, and that every file outside the sandbox's scratch copy (the
course's submitted/, source/, release/, the exchange, the environment's site-packages, the
home's Jupyter and IPython folders, the gradebook's stored test cells) is byte-identical after
grading.

The attacks write to the real paths of this test's course (passed in as literals), as a student
who guessed them would: outside the sandbox those writes would succeed.
"""
import hashlib
import json
import sqlite3
import sysconfig
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from nnkit.course import Course, find_problems
from nnkit.course.__main__ import main
from nnkit.course.layout import REPO_NOTEBOOKS
from nnkit.grading import sandbox

NAME = "01-forward-pass"
TIMEOUT = 10
HOME = Path.home()
SITE = Path(sysconfig.get_paths()["purelib"])


def meta(cell):
    return cell["metadata"].get("nbgrader", {})


def cell(notebook, grade_id):
    return next(c for c in notebook["cells"] if meta(c).get("grade_id") == grade_id)


def answer(source, grade_id):
    return "\n".join(line for line in "".join(cell(source, grade_id)["source"]).splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def exercises(source):
    """[(solution id, test id, points)] of the code exercises, in order."""
    cells, found = source["cells"], []
    for index, c in enumerate(cells):
        if c["cell_type"] == "code" and meta(c).get("solution"):
            test = next(t for t in cells[index + 1:] if meta(t).get("grade"))
            found.append((meta(c)["grade_id"], meta(test)["grade_id"], meta(test)["points"]))
    return found


def attacks(course):
    """{student: code appended after the honest first exercise (or {cell id: code} to replace cells)}."""
    db = course.root / "gradebook.db"
    submitted = course.root / "submitted"
    inbound = course.exchange / course.course_id / "inbound"
    source_nb = course.path("source", assignment=NAME, notebook=NAME)
    return {
        "sqlgrade": f'''
import sqlite3
db = sqlite3.connect({str(db)!r})
db.execute("UPDATE grade SET auto_score = 99")
db.execute("UPDATE grade SET auto_score = 0 WHERE id IN (SELECT id FROM grade LIMIT 5)")
db.commit()''',
        "overwrite": f'''
import glob
for path in glob.glob({str(submitted)!r} + "/*/*/*.ipynb") + glob.glob({str(inbound)!r} + "/*/*.ipynb"):
    open(path, "w").write("{{}}")''',
        "testcells": f'''
import sqlite3
db = sqlite3.connect({str(db)!r})
db.execute("UPDATE source_cell SET source = 'pass' WHERE name LIKE '%tests'")
db.commit()''',
        "poison": f'''
import os
os.makedirs({str(HOME / ".ipython/profile_default/startup")!r}, exist_ok=True)
open({str(HOME / ".ipython/profile_default/startup/00-pass.py")!r}, "w").write("print('poisoned')")
os.makedirs({str(HOME / ".jupyter")!r}, exist_ok=True)
open({str(HOME / ".jupyter/nbgrader_config.py")!r}, "w").write("c = get_config()")
open({str(SITE / "zz_poison.pth")!r}, "w").write("import os")''',
        "asttry": '''
import ast
class Wrap(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None, body=[ast.Pass()])
        return ast.fix_missing_locations(ast.Module(body=[ast.Try(body=node.body, handlers=[handler], orelse=[],
                                                                  finalbody=[])], type_ignores=[]))
get_ipython().ast_transformers.append(Wrap())''',
        "monkey": '''
import json, subprocess, nnkit.grading, nnkit.grading.answers
nnkit.grading.verify = lambda *a, **k: None
subprocess.Popen = None
json._default_decoder = None
nnkit.grading.answers.plain = lambda value: 0.5
def forward_pass(params, x):
    return {"h1_out": 0.5, "h2_out": 0.5, "o1_out": 0.5, "o2_out": 0.5}''',
        "codeswap": '''
import nnkit.grading, nnkit.grading.answers
nnkit.grading.verify.__code__ = (lambda *a, **k: None).__code__
def fake(index, task, target, call, arrays, args, exercise, allowed):
    from IPython.display import display
    display({"application/vnd.nnkit.answer+json": {"index": index, "task": task, "answer": 1.0, "error": None,
                                                     "forbidden": []}}, raw=True)
nnkit.grading.answers.record.__code__ = fake.__code__''',
        "modswap": '''
%config Application.log_level = 30
exec("import sys, types; sys.modules['nnkit.grading'] = types.SimpleNamespace(verify=lambda *a, **k: None,"
     " fresh=lambda case, arrays=False: case); sys.modules['nnkit.grading.answers'] = "
     "types.SimpleNamespace(record=lambda *a, **k: None)")''',
        "killer": '''
import os, signal
os.kill(os.getppid(), signal.SIGKILL)''',
        "reader": f'''
import glob
found = []
for pattern in [{str(REPO_NOTEBOOKS)!r} + "/*.ipynb", {str(source_nb)!r}, "/scratch/*",
                "/opt/nnkit/nnkit/grading/tasks.py", {str(Path(__file__).resolve().parents[1] / "tools")!r} + "/*"]:
    for path in glob.glob(pattern):
        try:
            found.append(path + ": " + open(path).read()[:200])
        except OSError as error:
            found.append(repr(error))
print("READ", found)''',
        "usekit": {"nb01-forward-pass": '''
def forward_pass(params, x):
    f = nnkit.forward(params, x)
    return {"h1_out": f.h1_out, "h2_out": f.h2_out, "o1_out": f.o1_out, "o2_out": f.o2_out}''',
                   "nb01-forward-matrix": '''
def forward_matrix(X, W1, b1, W2, b2):
    return nnkit.MLP.from_homework().forward(X)[0] if False else getattr(nnkit, "forward")(X)'''},
        "crash": "import os\nos._exit(1)",
        "loop": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        "membomb": "hog = []\nwhile True:\n    hog.append(bytearray(256 << 20))",
        "bigline": 'print("x" * 20_000_000)',
        "forkbomb": "import os\nwhile True:\n    os.fork()",
        "forger": '''
import json
with open("/scratch/progress.jsonl", "a") as file:
    file.write(json.dumps({"key": "nb01-forward-pass-tests", "status": "ok", "outputs": [], "answers": [
        {"index": i, "task": "forward", "answer": {"h1_out": 1.0}, "error": None, "forbidden": []}
        for i in range(2)]}) + "\\n")''',
    }


def tree_hashes(*folders):
    hashes = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")) if Path(folder).exists() else []:
            # written by the grader's own Jupyter processes (and others on a shared machine), not by a sandbox:
            # IPython's history database and jupyter_core's ~/.jupyter/migrated stamp
            if path.is_file() and "__pycache__" not in path.parts \
                    and not path.name.startswith("history.sqlite") and path.name != "migrated":
                hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def site_listing():
    """Names, sizes and times of everything in site-packages (hashing all of it would be slow)."""
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in SITE.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def stored_test_cells(course):
    with sqlite3.connect(course.root / "gradebook.db") as db:
        return sorted(db.execute("SELECT name, source FROM source_cell").fetchall())


class Class:
    """What grading the class produced."""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if sandbox.check() is not None:
        pytest.skip(f"no sandbox here: {sandbox.check()}")
    tmp = tmp_path_factory.mktemp("attacks")
    (tmp / "notebooks").mkdir()
    (tmp / "notebooks" / f"{NAME}.ipynb").write_bytes((REPO_NOTEBOOKS / f"{NAME}.ipynb").read_bytes())
    course = Course(root=tmp / "course", exchange=tmp / "exchange", notebooks=tmp / "notebooks", timeout=TIMEOUT)
    cli = [f"--course-dir={course.root}", f"--exchange={course.exchange}", f"--notebooks={course.notebooks}",
           f"--timeout={TIMEOUT}"]
    assert main(["generate", *cli]) == 0 and main(["release", *cli]) == 0
    source = json.loads(course.path("source", assignment=NAME, notebook=NAME).read_text())
    release = json.loads(course.path("release", assignment=NAME, notebook=NAME).read_text())
    first = exercises(source)[0][0]
    notebooks = {"full": source, "blank": release}
    partial = json.loads(json.dumps(release))
    cell(partial, first)["source"] = answer(source, first)
    notebooks["partial"] = partial
    for student, attack in attacks(course).items():
        notebook = json.loads(json.dumps(partial))
        if isinstance(attack, dict):
            for grade_id, code in attack.items():
                cell(notebook, grade_id)["source"] = code
        else:
            index = notebook["cells"].index(cell(notebook, first))
            notebook["cells"].insert(index + 1, {"cell_type": "code", "metadata": {}, "source": attack,
                                                 "outputs": [], "execution_count": None})
        notebooks[student] = notebook
    home = tmp / "students"
    for student, notebook in notebooks.items():
        (home / student / NAME).mkdir(parents=True)
        (home / student / NAME / f"{NAME}.ipynb").write_text(json.dumps(notebook, indent=1))
    course.nbgrader(*(course.student_command("submit", NAME, home / student, student) for student in notebooks),
                    capture=True)
    assert main(["collect", *cli]) == 0
    result = Class()
    result.course, result.source, result.students = course, source, list(notebooks)
    outside = [course.root / "submitted", course.root / "source", course.root / "release", course.exchange,
               HOME / ".ipython", HOME / ".jupyter", home]
    before = tree_hashes(*outside), site_listing(), stored_test_cells(course)
    result.status = main(["autograde", *cli, "--jobs=2"])
    result.after = tree_hashes(*outside), site_listing(), stored_test_cells(course)
    result.before = before
    with Gradebook(course.db_url, course.course_id) as gradebook:
        result.scores = {s: {g.name: g.score for g in gradebook.find_submission_notebook(NAME, NAME, s).grades}
                         for s in notebooks}
    result.problems = find_problems(course)
    return result


def automatic(scores):
    return sum(score for name, score in scores.items() if name.endswith("-tests"))


ATTACKERS = [name for name in attacks(Course(root="/nonexistent", exchange="/nonexistent"))]


def test_honest_students_get_exactly_their_points(graded):
    points = exercises(graded.source)
    assert automatic(graded.scores["full"]) == sum(p for _, _, p in points) > 0
    assert automatic(graded.scores["blank"]) == 0
    assert {k: v for k, v in graded.scores["partial"].items() if v} == {points[0][1]: points[0][2]}


@pytest.mark.parametrize("attacker", ATTACKERS)
def test_an_attack_gains_nothing_over_the_same_honest_work(graded, attacker):
    assert automatic(graded.scores[attacker]) <= automatic(graded.scores["partial"])


@pytest.mark.parametrize("attacker", ATTACKERS)
def test_the_report_names_the_attacker(graded, attacker):
    assert [p for p in graded.problems if p.student == attacker], attacker


def test_the_report_is_silent_about_honest_students(graded):
    assert not [p for p in graded.problems if p.student in ("blank", "partial")]


def test_nothing_outside_the_scratch_copies_changed(graded):
    files_before, site_before, cells_before = graded.before
    files_after, site_after, cells_after = graded.after
    assert files_after == files_before
    assert site_after == site_before
    assert cells_after == cells_before
    assert not (SITE / "zz_poison.pth").exists()


def test_the_instructors_files_were_out_of_reach(graded):
    notebook = json.loads(graded.course.path("autograded", "reader", NAME, NAME).read_text())
    printed = "".join("".join(o.get("text", "")) for c in notebook["cells"] if c["cell_type"] == "code"
                      for o in c.get("outputs", []))
    assert "READ" in printed
    for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "TASKS = {", "job.json"):
        assert secret not in printed


def test_a_crash_costs_one_cell_and_the_report_says_which(graded):
    for student in ("crash", "killer", "loop", "membomb", "forkbomb"):
        assert graded.scores[student] == graded.scores["partial"], student
    crash = " ".join(p.message for p in graded.problems if p.student == "crash")
    assert "the kernel died while running it" in crash and "cell-" in crash
    loop = " ".join(p.message for p in graded.problems if p.student == "loop")
    assert f"longer than {TIMEOUT} s" in loop


def test_calling_the_kit_for_the_answer_scores_zero_and_is_named(graded):
    assert graded.scores["usekit"] == graded.scores["partial"]
    usekit = " ".join(p.message for p in graded.problems if p.student == "usekit")
    assert "nnkit.homework.forward" in usekit and "may_use" in usekit


def test_autograde_refuses_without_a_sandbox_and_names_the_fix(graded, monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "BWRAP", "/nonexistent/bwrap")
    course = graded.course
    assert main(["autograde", f"--course-dir={course.root}", f"--exchange={course.exchange}",
                 f"--notebooks={course.notebooks}"]) == 2
    assert "apt-get install -y bubblewrap" in capsys.readouterr().err
