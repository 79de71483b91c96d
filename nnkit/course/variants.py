"""`python -m nnkit.course variant STUDENT...`: a student's own numbers and the worked solution (answer key).

Every student of the hand-calculation assignment (notebook 06) gets numbers derived from the
course id and their student id (`nnkit.variant`); this prints them and the whole worked
solution, and with --html-dir writes one stand-alone HTML answer key per student.
"""
from pathlib import Path

from ..solution import describe, worked_solution
from ..variant import variant


def cmd_variant(course, args):
    for student in args.students:
        spec = variant(course.course_id, student)
        title = f"Hand calculation: {student} ({course.course_id})"
        solution = worked_solution(spec, title=title)
        if args.html_dir:
            print(f"# {title}\n\n{describe(spec)}\n")
            path = Path(args.html_dir) / f"{student}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(solution.html(), encoding="utf-8")
            print(f"answer key: {path}\n")
        else:
            print(solution.markdown, end="\n\n")
    return 0


def register(add):
    """Add the `variant` command to the course CLI (`add` is __main__'s helper)."""
    sub = add("variant", cmd_variant, "print each student's numbers of the hand calculation and its worked solution")
    sub.add_argument("students", nargs="+", metavar="student", help="student id(s), as nbgrader names them")
    sub.add_argument("--html-dir", default=None, help="write an HTML answer key per student into this folder")
    return sub
