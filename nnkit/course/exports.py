"""Grades out of the gradebook: one table, written in the format a learning platform imports.

`grade_rows` reads nbgrader's gradebook (never writes): every student on the roster (or who
submitted) times every assignment, with the score after the late penalty and a status:

    graded                 every cell has its grade
    needs manual grading   a written answer is still ungraded (it counts 0 until it is)
    missing                no submission (score 0)

`ungraded` lists the written answers still waiting, cell by cell, for the warning `export` prints.
Formats: `canvas` (Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, one
column per assignment, a "Points Possible" row) and `moodle` (Moodle grade import: ID number,
email, names, one grade and one feedback column per assignment; map on "ID number" or the e-mail).
"""
import csv
from dataclasses import dataclass

from nbgrader.api import MissingEntry

from .gradebook import open_gradebook

FORMATS = ("canvas", "moodle")


@dataclass(frozen=True)
class Row:
    student: str
    first_name: str
    last_name: str
    email: str
    assignment: str
    score: float
    max_score: float
    late_penalty: float
    status: str


def grade_rows(db_url, course_id, exclude=()):
    """[Row] for every student and assignment in the gradebook, sorted; `exclude`: student ids to leave out."""
    rows = []
    with open_gradebook(db_url, course_id) as gradebook:
        assignments = sorted(gradebook.assignments, key=lambda a: a.name)
        for student in sorted(gradebook.students, key=lambda s: s.id):
            if student.id in exclude:
                continue
            for assignment in assignments:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    score, penalty, status = 0.0, 0.0, "missing"
                else:
                    penalty = submission.late_submission_penalty or 0.0
                    score = max(0.0, submission.score - penalty)
                    status = "needs manual grading" if submission.needs_manual_grade else "graded"
                rows.append(Row(student.id, student.first_name or "", student.last_name or "", student.email or "",
                                assignment.name, score, assignment.max_score, penalty, status))
    return rows


def ungraded(db_url, course_id):
    """[(student, assignment, cell)] of the written answers no one has graded yet."""
    waiting = []
    with open_gradebook(db_url, course_id) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    waiting += [(submission.student.id, assignment.name, grade.name)
                                for grade in notebook.grades if grade.needs_manual_grade]
    return sorted(waiting)


def _by_student(rows):
    table = {}
    for row in rows:
        table.setdefault(row.student, {})[row.assignment] = row
    return table


def write_canvas(rows, path):
    assignments = sorted({row.assignment for row in rows})
    maxima = {row.assignment: row.max_score for row in rows}
    with open(path, "w", newline="") as file:
        out = csv.writer(file)
        out.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments])
        out.writerow(["Points Possible", "", "", "", "", *(f"{maxima[a]:g}" for a in assignments)])
        for student, grades in _by_student(rows).items():
            first = next(iter(grades.values()))
            name = ", ".join(part for part in (first.last_name, first.first_name) if part) or student
            out.writerow([name, "", student, student, "", *(f"{grades[a].score:g}" for a in assignments)])


def write_moodle(rows, path):
    assignments = sorted({row.assignment for row in rows})
    with open(path, "w", newline="") as file:
        out = csv.writer(file)
        out.writerow(["ID number", "Email address", "First name", "Last name",
                      *(column for a in assignments for column in (a, f"{a} feedback"))])
        for student, grades in _by_student(rows).items():
            first = next(iter(grades.values()))
            cells = []
            for a in assignments:
                row = grades[a]
                note = row.status if not row.late_penalty else f"{row.status}, late: -{row.late_penalty:g}"
                cells += [f"{row.score:g}", note]
            out.writerow([student, first.email, first.first_name, first.last_name, *cells])


WRITERS = {"canvas": write_canvas, "moodle": write_moodle}
