"""The feedback a student gets back: scores, comments and their own output, never the hidden tests.

nbgrader's feedback HTML is the autograded notebook, in which autograde put the instructor's test
cells back whole, hidden tests and their literal inputs included (nbgrader's design, its issue
#917): after the first week a reused assignment's hidden tests would be public. `HideTests` runs
in `nbgrader generate_feedback` before the HTML is written, on a copy (the autograded notebook on
disk is not changed):

- a test cell shows only what the student saw in the release: the code between
  `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS` goes;
- its outputs stay (the student's prints, the verdicts, the score), except an error's traceback,
  which quotes the failing hidden line: it becomes "ErrorName: message".

Math offline: nbconvert's HTML, and formgrader's pages, load MathJax from a CDN, so without
network (an exam room, a closed hub) they show raw LaTeX, and formgrader's grading page waits for
it before it saves anything. `JUPYTER_DATA` holds nbconvert's MathJax macro changed to load
MathJax from the Jupyter server that serves the page; with it first on JUPYTER_PATH and
Debian's MathJax 2 (apt-get install libjs-mathjax) in the server's static files
(`SERVER_OPTIONS`), math renders from the machine itself.
"""
import os
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from ..grading.hidden import BEGIN, END

JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
MATHJAX_PARENT = "/usr/share/javascript"  # Debian's libjs-mathjax: <this>/mathjax/MathJax.js
SERVER_OPTIONS = [f"--ServerApp.extra_static_paths=['{MATHJAX_PARENT}']"]  # served as /static/mathjax/
PREPROCESSORS = ["nbgrader.preprocessors.GetGrades", "nnkit.course.feedback.HideTests",
                 "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]


def without_hidden_tests(source):
    """`source` with every BEGIN/END HIDDEN TESTS region (markers included) removed."""
    kept, hidden = [], False
    for line in source.splitlines(keepends=True):
        if BEGIN in line:
            hidden = True
        elif END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "".join(kept).rstrip("\n")


def hide_tests(cell):
    """A test cell as the student may see it in feedback (changes `cell` in place)."""
    if BEGIN not in cell.source:
        return cell
    cell.source = without_hidden_tests(cell.source)
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
    return cell


class HideTests(Preprocessor):
    """nbconvert preprocessor: `hide_tests` on every cell (registered by `feedback_options`)."""

    enabled = True  # nbconvert runs a registered preprocessor only if it is enabled

    def preprocess_cell(self, cell, resources, index):
        return hide_tests(cell), resources


def feedback_options():
    """Command-line options for `nbgrader generate_feedback` that apply the above."""
    return [f"--GenerateFeedback.preprocessors={PREPROCESSORS!r}"]


def with_local_mathjax(environ):
    """`environ` with JUPYTER_DATA first on JUPYTER_PATH (nbconvert then finds its macro first)."""
    paths = [str(JUPYTER_DATA), *filter(None, environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {**environ, "JUPYTER_PATH": os.pathsep.join(dict.fromkeys(paths))}
