"""Autograde: nbgrader keeps the gradebook, the kit decides the automatic scores.

nbgrader's `Autograde` runs two preprocessor lists on every submission. The sanitize list stays
nbgrader's (it restores locked and test cells from the gradebook's copy of the source). In the
autograde list, the kit's `SandboxExecute` replaces nbgrader's `Execute` (layout.CONFIG):

1. `executed_cells` turns the sanitized notebook into the cells the sandbox runs: the student's
   cells as they are, locked cells from the instructor's `source/` notebook, and every test cell
   replaced by one `answers.record(...)` call per `verify` call read from `source/` (`hidden`).
2. `sandbox.run_cells` runs them in bubblewrap (or reuses the result `prerun` computed for exactly
   these cells in a parallel pool before nbgrader started).
3. Each test cell's outputs are set from the trusted verdict (`verdict.test_outputs`); nbgrader's
   SaveAutoGrades then writes those scores. Other cells get the sandbox's (validated) outputs.

Everything about a submission's grading is kept in `<course>/grading/<student>/<assignment>/`
(outside any sandbox): `run.json` (the cells that ran, their results, the verdicts) and `log.txt`.
"""
import atexit
import hashlib
import json
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nbformat import from_dict
from nbgrader.preprocessors.base import NbGraderPreprocessor
from traitlets import Bool, Int, Unicode

from ..grading import hidden, kitcopy, sandbox, verdict
from .cheats import forbidden_uses

_KIT = {}
_KIT_LOCK = threading.Lock()


def grading_kit():
    """The grading copy of nnkit, built once per process (deleted at exit)."""
    with _KIT_LOCK:
        if "path" not in _KIT:
            path = Path(tempfile.mkdtemp(prefix="nnkit-grading-kit-"))
            kitcopy.build(path)
            atexit.register(shutil.rmtree, path, True)
            digest = hashlib.sha256()
            for file in sorted(path.rglob("*")):
                if file.is_file():
                    digest.update(str(file.relative_to(path)).encode() + file.read_bytes())
            _KIT["path"], _KIT["hash"] = path, digest.hexdigest()
        return _KIT["path"]


def _meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _text(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def exercises(source):
    """{test cell id: (solution cell id or None, allowed canonical names)} from the instructor's notebook;
    HiddenTestError names a solution cell whose nnkit.may_use names no nnkit function, or leaves out
    one that the instructor's own answer calls."""
    found, solution, allowed = {}, None, ()
    for cell in source["cells"]:
        meta = _meta(cell)
        if cell.get("cell_type") != "code":
            continue
        if meta.get("solution"):
            solution = meta.get("grade_id")
            may_use = cell.get("metadata", {}).get("nnkit", {}).get("may_use", [])
            try:
                allowed = tuple(sorted({kitcopy.canonical(name) for name in may_use}))
            except ValueError as error:     # an instructor's typo: say which cell, before any grading
                raise hidden.HiddenTestError(f"solution cell {solution!r}: {error}") from None
            if calls := forbidden_uses(_text(cell), may_use):     # every student who did the same would score 0
                named = ", ".join(f"nnkit.{call}" for call in calls)
                raise hidden.HiddenTestError(f"solution cell {solution!r}: the instructor's answer calls {named}, "
                                             "which its nnkit.may_use does not list")
        elif meta.get("grade"):
            found[meta["grade_id"]] = (solution, allowed)
    return found


def test_checks(source):
    """{test cell id: [hidden.Check]}; HiddenTestError names the cell it cannot read."""
    checks = {}
    for cell in source["cells"]:
        meta = _meta(cell)
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            try:
                checks[meta["grade_id"]] = hidden.read_checks(_text(cell))
            except hidden.HiddenTestError as error:
                raise hidden.HiddenTestError(f"test cell {meta['grade_id']}: {error}") from None
    return checks


def _record_code(test_id, checks, exercise, allowed, student):
    lines = ["import nnkit.grading.answers as _nnkit_answers"]
    for index, check in enumerate(checks):
        args = verdict.with_student(check.args, student)
        lines.append(f"_nnkit_answers.record({index}, {check.task!r}, lambda: ({check.target}), {check.call!r}, "
                     f"{check.arrays!r}, {args!r}, {exercise or test_id!r}, {allowed!r})")
    return "\n".join(lines) + "\n"


def executed_cells(notebook, source, student):
    """[{"key", "kind", "source"}]: what the sandbox runs for this (sanitized) submission."""
    source_cells = {_meta(c).get("grade_id"): c for c in source["cells"] if _meta(c).get("grade_id")}
    checks, owners = test_checks(source), exercises(source)
    cells, plain = [], 0
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        grade_id = _meta(cell).get("grade_id")
        if grade_id in checks:
            exercise, allowed = owners[grade_id]
            cells.append({"key": grade_id, "kind": "test",
                          "source": _record_code(grade_id, checks[grade_id], exercise, allowed, student)})
        elif grade_id in source_cells and _meta(source_cells[grade_id]).get("locked"):
            cells.append({"key": grade_id, "kind": "locked", "source": _text(source_cells[grade_id])})
        else:
            key = grade_id if grade_id in source_cells else f"cell-{plain}"
            plain += grade_id not in source_cells
            cells.append({"key": key, "kind": "student", "source": _text(cell)})
    return cells


def fingerprint(cells, timeout, sandboxed):
    """What a stored run was made from: the cells, the options and the grading copy of nnkit."""
    grading_kit()
    return hashlib.sha256(json.dumps([cells, timeout, sandboxed, _KIT["hash"]]).encode()).hexdigest()


def grading_dir(root, student, assignment):
    return Path(root) / "grading" / student / assignment


def run_submission(root, student, assignment, cells, timeout, sandboxed, slot=0):
    """Run `cells` in a sandbox; store and return run.json's content."""
    folder = grading_dir(root, student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "log.txt", "wb") as log:
        results = sandbox.run_cells(cells, grading_kit(), timeout, slot=slot, log=log, sandbox=sandboxed,
                                    student=student)
    run = {"fingerprint": fingerprint(cells, timeout, sandboxed), "sandboxed": sandboxed,
           "cells": cells, "results": results}
    (folder / "run.json").write_text(json.dumps(run))
    return run


def stored_run(root, student, assignment, cells, timeout, sandboxed):
    path = grading_dir(root, student, assignment) / "run.json"
    try:
        run = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return run if run.get("fingerprint") == fingerprint(cells, timeout, sandboxed) else None


def _grade_cells(notebook, source, student, run):
    """Set every code cell's outputs from the run; return {test cell id: verdict} for run.json."""
    checks, owners = test_checks(source), exercises(source)
    solutions = {_meta(c).get("grade_id"): _text(c) for c in notebook["cells"] if _meta(c).get("solution")}
    verdicts, code = {}, [c for c in notebook["cells"] if c.get("cell_type") == "code"]
    for cell, spec in zip(code, run["cells"]):
        result = run["results"].get(spec["key"])
        if spec["kind"] == "test":
            exercise, allowed = owners[spec["key"]]
            static = forbidden_uses(solutions.get(exercise, ""), allowed) if exercise else []
            points = float(_meta(cell).get("points", 0))
            outputs, score, messages = verdict.test_outputs(checks[spec["key"]], result, points, student, static)
            verdicts[spec["key"]] = {"score": score, "points": points, "messages": messages,
                                     "forbidden": static + sorted({f for a in (result or {}).get("answers", [])
                                                                   for f in a["forbidden"]})}
            cell["outputs"] = outputs
        else:
            cell["outputs"] = (result or {}).get("outputs", [])
        cell["outputs"] = [from_dict(output) for output in cell["outputs"]]
        cell["execution_count"] = None
    return verdicts


class SandboxExecute(NbGraderPreprocessor):
    """nbgrader preprocessor: run the submission in a sandbox, write the trusted verdicts."""

    course_root = Unicode("", help="the course directory").tag(config=True)
    timeout = Int(30, help="seconds a cell may run").tag(config=True)
    sandbox = Bool(True, help="False only with `autograde --no-sandbox`").tag(config=True)

    def preprocess(self, nb, resources):
        student = resources["nbgrader"]["student"]
        assignment = resources["nbgrader"]["assignment"]
        root = Path(self.course_root or resources["nbgrader"].get("root", "."))
        source = json.loads((root / "source" / assignment / f"{assignment}.ipynb").read_text())
        cells = executed_cells(nb, source, student)
        run = stored_run(root, student, assignment, cells, self.timeout, self.sandbox)
        if run is None:
            self.log.info("Running %s's %s in a sandbox", student, assignment)
            run = run_submission(root, student, assignment, cells, self.timeout, self.sandbox)
        run["verdicts"] = _grade_cells(nb, source, student, run)
        (grading_dir(root, student, assignment) / "run.json").write_text(json.dumps(run))
        return nb, resources


def sanitized(submission, source):
    """What nbgrader's sanitizing makes of a submission, as far as the executed cells go."""
    source_cells = {_meta(c).get("grade_id"): c for c in source["cells"] if _meta(c).get("grade_id")}
    cells, present = [], {_meta(c).get("grade_id") for c in submission["cells"]}
    for cell in submission["cells"]:
        grade_id = _meta(cell).get("grade_id")
        if grade_id in source_cells:
            cell = {**cell, "cell_type": source_cells[grade_id]["cell_type"]}
        cells.append(cell)
    previous = None
    for cell in source["cells"]:
        grade_id = _meta(cell).get("grade_id")
        if _meta(cell).get("grade") and grade_id not in present:
            at = next((i for i, c in enumerate(cells) if previous and _meta(c).get("grade_id") == previous), -1)
            cells.insert(at + 1, cell)
            present.add(grade_id)
        if _meta(cell).get("grade") or _meta(cell).get("solution"):
            previous = grade_id
    return {**submission, "cells": cells}


def prerun(root, jobs_to_run, timeout, sandboxed, jobs, force=False):
    """Run [(student, assignment)] submissions' sandboxes, `jobs` at a time, before nbgrader grades them.

    nbgrader then finds each run (same fingerprint) instead of running it again. Without `force`
    a run already stored for exactly these cells is kept (autograding again gives the same answers)."""
    slots = list(range(jobs))
    lock = threading.Lock()

    def one(item):
        student, assignment = item
        source = json.loads((Path(root) / "source" / assignment / f"{assignment}.ipynb").read_text())
        try:
            path = Path(root) / "submitted" / student / assignment / f"{assignment}.ipynb"
            submission = json.loads(path.read_text())
            cells = executed_cells(sanitized(submission, source), source, student)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # nbgrader reports what it cannot read; report.py names it
        if not force and stored_run(root, student, assignment, cells, timeout, sandboxed):
            return
        with lock:
            slot = slots.pop()
        try:
            run_submission(root, student, assignment, cells, timeout, sandboxed, slot)
        finally:
            with lock:
                slots.append(slot)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, jobs_to_run))
