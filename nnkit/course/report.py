"""What nbgrader does not say: submissions it could not grade, or graded only after repairing them.

`nbgrader autograde` logs a failure and moves on, and `nbgrader export` then lists that student
with 0.0, like any student who scored zero. `find_problems` reads every collected submission (it
never writes to one) and names each student whose grade needs a human look:

    not graded (the 0 in the gradebook says nothing about the work):
        the notebook is missing, is not valid JSON, or is another assignment's notebook;
        autograde did not produce a graded copy (or has not run yet).
    graded, but look:
        a graded cell was deleted (nbgrader put the original back and graded that);
        a locked cell was edited (nbgrader graded with the original restored);
        a cell ran out of time (interrupted, scored 0, the rest of the notebook still graded);
        a notebook other than the assignment's was submitted too (it is ignored);
        a cell timed out, killed its kernel, or the sandbox's results were tampered with (run.json);
        an exercise called an nnkit function it may not use (scored 0);
        a cell the student wrote uses exec, getattr, subprocess, ... or cannot be parsed (`cheats`);
        the submitted file changed after `collect` (hashes in grading/collected.json);
        the scores recomputed from the graded notebook differ from the gradebook's;
        the graded copy ran without a sandbox (--no-sandbox).
    about the course: the gradebook's stored test cells differ from source/;
    about the grading environment (`environment_problems`): a user-level nbgrader or IPython
        configuration, IPython startup files, unexpected .pth files.
"""
import hashlib
import json
import site
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from .autograde import grading_dir
from .cheats import suspicious_cells
from .config import INIT_CONFIG



def _installed_pth():
    """Names of the .pth files that installed packages list in their RECORD."""
    from importlib.metadata import distributions
    return {Path(str(f)).name for dist in distributions() for f in (dist.files or []) if str(f).endswith(".pth")}


@dataclass(frozen=True)
class Problem:
    student: str
    assignment: str
    message: str
    graded: bool  # False: the student's score does not reflect their work

    def __str__(self):
        status = "graded, check:" if self.graded else "NOT GRADED:"
        return f"{self.student:<16} {self.assignment:<28} {status} {self.message}"


def read_notebook(path):
    """(notebook dict, None), or (None, why it cannot be read). Only reads the file."""
    try:
        notebook = json.loads(path.read_bytes())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"not valid JSON ({error})"
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        return None, "valid JSON but not a notebook (no list of cells)"
    return notebook, None


def nbgrader_cells(notebook):
    """{grade_id: cell} for the cells nbgrader tracks."""
    cells = {}
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if isinstance(meta, dict) and meta.get("grade_id"):
            cells[meta["grade_id"]] = cell
    return cells


def _text(cell):
    source = cell.get("source", "")
    return ("".join(source) if isinstance(source, list) else str(source)).rstrip()


def _flag(cell, name):
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get(name))


def _generated(course, assignment, step="source"):
    notebook, error = read_notebook(course.path(step, assignment=assignment, notebook=assignment))
    if error:
        raise RuntimeError(f"{step}/{assignment}/{assignment}.ipynb: {error}; run `generate` first")
    return notebook


def _owner(cell_ids, cells_by_assignment):
    """The assignment whose cells these are (most ids in common), or None."""
    overlap = {name: len(cell_ids & set(cells)) for name, cells in cells_by_assignment.items()}
    best = max(overlap, key=overlap.get, default=None)
    return best if best and overlap[best] else None


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _timestamp(notebook):
    """The submission's timestamp.txt (nbgrader's time of submission), or None."""
    stamp = notebook.parent / "timestamp.txt"
    return stamp.read_text().strip() if stamp.exists() else None


def record_collected(course, assignments):
    """Remember the sha256 of every newly collected submission (grading/collected.json, outside any sandbox).

    Only a submission nbgrader collected anew (not seen before, or with a new timestamp) gets its
    hash taken: a file edited in submitted/ after an earlier collect keeps the hash it had, so the
    report still sees that it changed.
    """
    path = course.root / "grading" / "collected.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(path.read_text()) if path.exists() else {}
    for assignment in assignments:
        for notebook in sorted((course.root / "submitted").glob(f"*/{assignment}/{assignment}.ipynb")):
            key, timestamp = f"{notebook.parent.parent.name}/{assignment}", _timestamp(notebook)
            if key not in known or known[key]["timestamp"] != timestamp:
                known[key] = {"timestamp": timestamp, "sha256": _sha256(notebook)}
    path.write_text(json.dumps(known, indent=1, sort_keys=True))

INIT_CONFIG_HEAD = INIT_CONFIG.splitlines()[0]   # the first line of the file `init` writes


def environment_problems():
    """Warnings about the grading environment: configuration that could change how grading runs."""
    from jupyter_core.paths import jupyter_config_dir
    from IPython.paths import get_ipython_dir
    found = []
    for name in ("nbgrader_config.py", "nbgrader_config.json"):
        path = Path(jupyter_config_dir()) / name
        written_by_init = path.suffix == ".py" and path.exists() and path.read_text().startswith(INIT_CONFIG_HEAD)
        if path.exists() and not written_by_init:
            found.append(f"user-level nbgrader configuration {path} "
                         "(it applies to every nbgrader command: check it is yours)")
    startup = sorted(p for p in Path(get_ipython_dir()).glob("profile_*/startup/*") if p.name != "README")
    if startup:
        found.append(f"IPython startup files {', '.join(map(str, startup))} (they run in every kernel you start)")
    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], site.getusersitepackages()}
    installed = _installed_pth()
    for folder in sorted(folders):
        for pth in sorted(Path(folder).glob("*.pth")):
            if pth.name not in installed:
                found.append(f"{pth} runs at every Python start and belongs to no installed package "
                             "(check who put it there)")
    return found


def _gradebook_problems(course, assignment, source):
    """Test cells whose copy in the gradebook differs from source/ (nbgrader restores from that copy)."""
    from nbgrader.api import Gradebook, MissingEntry
    expected = {cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"): _text(cell) for cell in source["cells"]
                if (_flag(cell, "grade") or _flag(cell, "locked")) and not _flag(cell, "solution")}
    changed = []
    try:
        with Gradebook(course.db_url, course.course_id) as gradebook:
            for grade_id, text in expected.items():
                try:
                    stored = gradebook.find_source_cell(grade_id, assignment, assignment).source
                except MissingEntry:
                    continue
                if stored.rstrip() != text:
                    changed.append(grade_id)
    except Exception as error:  # noqa: BLE001 - an unreadable gradebook is itself the finding
        return [f"the gradebook cannot be read ({error})"]
    return [f"the gradebook's stored copy of cell(s) {', '.join(changed)} differs from source/: "
            "run `generate` again before grading"] if changed else []


def _scores(course, assignment):
    """{student: {grade cell id: score}} in the gradebook, or {} if there is none yet."""
    from nbgrader.api import Gradebook, MissingEntry
    table = {}
    try:
        with Gradebook(course.db_url, course.course_id) as gradebook:
            for submission in gradebook.find_assignment(assignment).submissions:
                notebook = gradebook.find_submission_notebook(assignment, assignment, submission.student.id)
                table[submission.student.id] = {g.name: g.auto_score for g in notebook.grades}
    except (MissingEntry, OSError):
        return {}
    return table


def find_problems(course, assignments=None):
    """Problems of every collected submission of `assignments` (default: all), sorted by student."""
    all_names = course.assignments()
    sources = {name: _generated(course, name) for name in all_names
               if course.path("source", assignment=name, notebook=name).exists()}
    collected_path = course.root / "grading" / "collected.json"
    collected = json.loads(collected_path.read_text()) if collected_path.exists() else {}
    problems = []
    for assignment in assignments or all_names:
        folders = sorted(p for p in (course.root / "submitted").glob(f"*/{assignment}") if p.is_dir())
        if folders and assignment in sources and (course.root / "gradebook.db").exists():
            problems += [Problem("(course)", assignment, message, True)
                         for message in _gradebook_problems(course, assignment, sources[assignment])]
        scores = _scores(course, assignment) if folders else {}
        for folder in folders:
            student = folder.parent.name
            problems += [Problem(student, assignment, message, graded) for message, graded in
                         _check(course, assignment, student, sources, collected, scores.get(student))]
    return sorted(problems, key=lambda p: (p.student, p.assignment))


def _check(course, assignment, student, sources, collected, scores):
    """(message, graded) pairs for one student's submission of one assignment."""
    folder = course.path("submitted", student, assignment)
    expected = f"{assignment}.ipynb"
    others = sorted(p.name for p in folder.glob("*.ipynb") if p.name != expected)
    if others:
        yield f"also submitted {', '.join(others)}, which the grader ignores", True
    if not (folder / expected).exists():
        yield f"no {expected} in the submission (nbgrader scores it 0)", False
        return
    known = collected.get(f"{student}/{assignment}")
    if known and known["sha256"] != _sha256(folder / expected):
        yield f"submitted/{student}/{assignment}/{expected} changed after it was collected (sha256 differs)", True
    notebook, error = read_notebook(folder / expected)
    if error:
        yield f"{expected} is {error}", False
        return
    cells = nbgrader_cells(notebook)
    source = nbgrader_cells(sources[assignment])
    if not set(cells) & set(source):
        owner = _owner(set(cells), {name: nbgrader_cells(nb) for name, nb in sources.items()})
        where = f"it holds the cells of {owner}" if owner else "it has none of its graded cells"
        yield f"{expected} is not this assignment's notebook ({where})", False
        return
    deleted = sorted(i for i, c in source.items() if i not in cells and (_flag(c, "grade") or _flag(c, "task")))
    if deleted:
        yield f"deleted graded cell(s) {', '.join(deleted)}: graded with the originals put back", True
    release = nbgrader_cells(_generated(course, assignment, step="release"))
    edited = sorted(i for i, c in release.items()
                    if _flag(c, "locked") and i in cells and _text(cells[i]) != _text(c))
    if edited:
        yield f"edited locked cell(s) {', '.join(edited)}: graded with the originals restored", True
    yield from _check_graded(course, assignment, student, scores)


def _check_graded(course, assignment, student, scores):
    graded_path = course.path("autograded", student, assignment, assignment)
    log = grading_dir(course.root, student, assignment) / "log.txt"
    if not graded_path.exists():
        ran = any((course.root / "autograded").glob(f"*/{assignment}/{assignment}.ipynb"))
        where = f" (nbgrader's output says why; the sandbox log is {log})" if log.exists() else \
            " (nbgrader's output says why)"
        yield ("autograde failed on it" + where if ran else "not autograded yet"), False
        return
    notebook, error = read_notebook(graded_path)
    if error:
        yield f"autograde failed on it: its graded copy is {error}", False
        return
    try:
        run = json.loads((grading_dir(course.root, student, assignment) / "run.json").read_text())
    except (OSError, ValueError):
        yield "graded, but the kit's record of the run (run.json) is missing: graded by plain nbgrader?", True
        return
    if not run.get("sandboxed"):
        yield "graded WITHOUT a sandbox (--no-sandbox): its code could have changed anything you can", True
    for key, result in run.get("results", {}).items():
        if result.get("why"):
            yield f"cell {key}: {result['why']} (log: {log})", True
        if any("[output cut:" in str(output.get("text", "")) for output in result.get("outputs", [])):
            yield f"cell {key} printed more output than is kept (cut)", True
        if any(output.get("ename") == "MemoryError" for output in result.get("outputs", [])):
            yield f"cell {key} ran out of memory (the sandbox's limit), which stopped it", True
    for key, found in run.get("verdicts", {}).items():
        if found.get("forbidden"):
            yield (f"{key} scored 0: the exercise calls nnkit.{', nnkit.'.join(found['forbidden'])}, "
                   "which its nnkit.may_use does not allow"), True
    for key, what in suspicious_cells(run.get("cells", [])):
        yield f"{key} {', '.join(what)}: look at it (the grade is decided outside its code)", True
    yield from _score_differences(notebook, run, scores)


def _score_differences(notebook, run, scores):
    """The scores the graded notebook implies (nbgrader's own rule) against the gradebook's."""
    from nbformat import from_dict
    from nbgrader.utils import determine_grade
    if scores is None:
        yield "no scores in the gradebook for this graded notebook", True
        return
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            implied, _ = determine_grade(from_dict(cell))
            verdict = run.get("verdicts", {}).get(meta.get("grade_id"), {}).get("score")
            stored = scores.get(meta.get("grade_id"))
            if not (implied == verdict == stored):
                yield (f"{meta.get('grade_id')}: gradebook says {stored}, the graded notebook {implied}, "
                       f"the verdict {verdict}: regrade it"), True
