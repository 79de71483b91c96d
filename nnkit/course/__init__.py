"""The instructor workflow: thin commands over nbgrader, configured for the kit's notebooks.

    python -m nnkit.course student-edition DEST    student edition of every notebook, flat, in DEST
    python -m nnkit.course generate                nbgrader source/ and release/ from notebooks/
    python -m nnkit.course release | collect       through nbgrader's exchange
    python -m nnkit.course fetch | submit          the student's side of the exchange
    python -m nnkit.course autograde               grade every collected submission, then report
    python -m nnkit.course formgrader              JupyterLab with nbgrader's formgrader, for manual grading
    python -m nnkit.course feedback | export       HTML feedback per student; grades.csv
    python -m nnkit.course report                  students whose submission could not be graded, by name

`python -m nnkit.course --help` lists every command and option; docs/instructors.md walks
through a whole course. The course directory is generated (see `layout`); nothing here
reimplements nbgrader, and nothing here writes to a student's submission.
"""
from .editions import student_edition
from .layout import Course
from .report import Problem, find_problems

__all__ = ["Course", "Problem", "find_problems", "student_edition"]
