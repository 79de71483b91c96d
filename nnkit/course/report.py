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
        an answer tampers with what the tests rely on (see `cheats`).
"""
import json
from dataclasses import dataclass

from .cheats import suspicious_cells

TIMEOUT_ERROR = "CellTimeoutError"  # the error nbgrader records for a cell that ran out of time


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


def find_problems(course, assignments=None):
    """Problems of every collected submission of `assignments` (default: all), sorted by student."""
    all_names = course.assignments()
    sources = {name: _generated(course, name) for name in all_names
               if course.path("source", assignment=name, notebook=name).exists()}
    problems = []
    for assignment in assignments or all_names:
        folders = sorted(p for p in (course.root / "submitted").glob(f"*/{assignment}") if p.is_dir())
        for folder in folders:
            student = folder.parent.name
            problems += [Problem(student, assignment, message, graded)
                         for message, graded in _check(course, assignment, student, sources)]
    return sorted(problems, key=lambda p: (p.student, p.assignment))


def _check(course, assignment, student, sources):
    """(message, graded) pairs for one student's submission of one assignment."""
    folder = course.path("submitted", student, assignment)
    expected = f"{assignment}.ipynb"
    others = sorted(p.name for p in folder.glob("*.ipynb") if p.name != expected)
    if others:
        yield f"also submitted {', '.join(others)}, which the grader ignores", True
    if not (folder / expected).exists():
        yield f"no {expected} in the submission (nbgrader scores it 0)", False
        return
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
    for cell, what in suspicious_cells(notebook, sources[assignment]):
        yield f"{cell} {', '.join(what)}: the tests may have been fooled, check by hand", True
    yield from _check_graded(course, assignment, student)


def _check_graded(course, assignment, student):
    graded_path = course.path("autograded", student, assignment, assignment)
    if not graded_path.exists():
        ran = any((course.root / "autograded").glob(f"*/{assignment}/{assignment}.ipynb"))
        yield ("autograde failed on it (its log says why)" if ran else "not autograded yet"), False
        return
    notebook, error = read_notebook(graded_path)
    if error:
        yield f"autograde failed on it: its graded copy is {error}", False
        return
    timed_out = [cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"#{number}"
                 for number, cell in enumerate(notebook["cells"], start=1)
                 if any(out.get("ename") == TIMEOUT_ERROR for out in cell.get("outputs", []))]
    if timed_out:
        yield (f"cell(s) {', '.join(timed_out)} ran out of time and were interrupted "
               "(scored 0; the rest was graded)"), True
