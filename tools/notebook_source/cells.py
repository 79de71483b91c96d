"""The building blocks of a notebook's source: prose, read-only code, exercises, tests, written answers.

Each function returns an nbformat cell with the nbgrader metadata it needs (schema 3):

    cell kind        solution  grade  locked  points   nbgrader's role
    md               -         -      -       -        prose (no nbgrader metadata)
    code             no        no     yes     -        read-only code the student runs
    exercise         yes       no     no      -        autograded answer (student writes code)
    tests            no        yes    yes     N        visible + hidden tests of the exercise
    written          yes       yes    no      N        manually graded answer (Markdown)

Read-only code cells get grade ids "<prefix>-code-<k>" when the notebook is assembled.
"""
import textwrap

import nbformat.v4 as nbf


def _source(text):
    return textwrap.dedent(text).strip("\n")


def _nbgrader(**fields):
    return {"nbgrader": {"schema_version": 3, **fields}}


def md(text):
    """A Markdown cell of prose (LaTeX allowed)."""
    return nbf.new_markdown_cell(_source(text))


def code(text, tags=()):
    """A read-only code cell (locked by nbgrader; the grade id is filled in by `notebook`)."""
    cell = nbf.new_code_cell(_source(text))
    cell.metadata.update(_nbgrader(grade=False, solution=False, locked=True, grade_id=None))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def exercise(grade_id, text):
    """The student's answer: a function whose body sits between BEGIN/END SOLUTION markers."""
    cell = nbf.new_code_cell(_source(text))
    cell.metadata.update(_nbgrader(grade=False, solution=True, locked=False, grade_id=grade_id))
    return cell


def tests(grade_id, points, text):
    """Visible checks (nnkit.feedback) and hidden tests (nnkit.grading.verify) for an exercise."""
    cell = nbf.new_code_cell(_source(text))
    cell.metadata.update(_nbgrader(grade=True, solution=False, locked=True, grade_id=grade_id,
                                   points=points))
    return cell


def written(grade_id, points, model_answer):
    """A manually graded Markdown answer; the instructor source holds a model answer."""
    cell = nbf.new_markdown_cell(_source(model_answer))
    cell.metadata.update(_nbgrader(grade=True, solution=True, locked=False, grade_id=grade_id,
                                   points=points))
    return cell


def notebook(prefix, cells):
    """A notebook from `cells`, giving every read-only code cell a unique grade id."""
    count = 0
    for cell in cells:
        meta = cell.metadata.get("nbgrader")
        if meta is not None and meta["grade_id"] is None:
            count += 1
            meta["grade_id"] = f"{prefix}-code-{count}"
    ids = [c.metadata["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c.metadata]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"notebook {prefix}: duplicate grade ids {duplicates}")
    nb = nbf.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb
