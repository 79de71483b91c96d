"""The class list: a CSV of students imported into nbgrader's gradebook once per term.

    id,first_name,last_name,email
    ann,Ann,Lee,ann@example.edu

Header names are matched loosely (`student_id`, `username`, `first name`, `e-mail`, ... see
`COLUMNS`); the id is the student's login name on the hub (nbgrader's student id). A student on
the roster who never submits still gets a row in every export, with 0 and "missing".
"""
import csv
import re
from dataclasses import dataclass

from .gradebook import open_gradebook

COLUMNS = {
    "id": ("id", "student_id", "student id", "username", "login", "user"),
    "first_name": ("first_name", "first name", "first", "given name", "firstname"),
    "last_name": ("last_name", "last name", "last", "surname", "family name", "lastname"),
    "email": ("email", "e-mail", "email address", "mail"),
}
VALID_ID = re.compile(r"^[A-Za-z0-9._@-]+$")  # nbgrader forbids '+' and '*'; no spaces or slashes


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def _column(header, field):
    names = {name.strip().lower(): name for name in header}
    return next((names[alias] for alias in COLUMNS[field] if alias in names), None)


def read_roster(path):
    """[Student] from the CSV at `path`; ValueError naming the row and what was wrong."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = csv.DictReader(file)
        header = rows.fieldnames or []
        columns = {field: _column(header, field) for field in COLUMNS}
        if columns["id"] is None:
            raise ValueError(f"{path}: no student id column; expected one of {', '.join(COLUMNS['id'])} "
                             f"in the header, found {', '.join(header) or 'nothing'}")
        students, seen = [], {}
        for line, row in enumerate(rows, start=2):
            values = {field: (row.get(column) or "").strip() for field, column in columns.items() if column}
            if not any(values.values()):
                continue  # a blank line
            student = Student(**values)
            if not VALID_ID.match(student.id):
                raise ValueError(f"{path}, line {line}: student id {student.id!r} must be a login name "
                                 "(letters, digits, . _ @ -; no spaces, '+' or '*')")
            if student.id in seen:
                raise ValueError(f"{path}, line {line}: student id {student.id!r} already on line {seen[student.id]}")
            seen[student.id] = line
            students.append(student)
    return students


def import_roster(db_url, course_id, students):
    """Add or update each student in the gradebook; return (added, updated) counts."""
    added = updated = 0
    with open_gradebook(db_url, course_id) as gradebook:
        known = {student.id for student in gradebook.students}
        for student in students:
            # Only the fields the roster gives: nbgrader sets every keyword, so a blank e-mail
            # would erase the one the gradebook already has.
            given = {"first_name": student.first_name, "last_name": student.last_name, "email": student.email}
            gradebook.update_or_create_student(student.id, **{key: value for key, value in given.items() if value})
            added, updated = (added, updated + 1) if student.id in known else (added + 1, updated)
    return added, updated
