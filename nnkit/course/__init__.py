"""The instructor workflow: thin commands over nbgrader, configured for the kit's notebooks.

    python -m nnkit.course init DIR --exchange X   set a course up once (its config: ~/.jupyter)
    python -m nnkit.course doctor                  check this machine / hub and say what to fix
    python -m nnkit.course roster FILE | duedate   the class list; an assignment's due date
    python -m nnkit.course student-edition DEST    student edition of every notebook, flat, in DEST
    python -m nnkit.course generate                nbgrader source/ and release/ from notebooks/
    python -m nnkit.course release | collect       through nbgrader's exchange
    python -m nnkit.course fetch | submit          the student's side of the exchange
    python -m nnkit.course autograde               grade every collected submission, then report
    python -m nnkit.course formgrader              JupyterLab with nbgrader's formgrader, for manual grading
    python -m nnkit.course feedback | release-feedback   HTML feedback (no hidden tests); to the students
    python -m nnkit.course export [--format canvas|moodle]  grades.csv, or an LMS gradebook import
    python -m nnkit.course report                  students whose submission could not be graded, by name

`python -m nnkit.course --help` lists every command and option; docs/instructors.md walks
through a whole course. Commands find the course in its config (`config`) or take --course-dir.
The course directory is generated (see `layout`); nothing here
reimplements nbgrader, and nothing here writes to a student's submission.
"""
from .editions import student_edition
from .layout import Course
from .report import Problem, find_problems

__all__ = ["Course", "Problem", "find_problems", "student_edition"]
