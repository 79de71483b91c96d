"""`python -m nnkit.course <command>`: one command per step of an nbgrader course (see --help)."""
import argparse
import getpass
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from . import __doc__ as OVERVIEW
from . import variants
from .config import STUDENT_CONFIG, CourseNotFound, course_from_options, default_config_file, write_config_file
from .deadlines import parse_due, set_due_date
from .doctor import doctor
from .exports import FORMATS, WRITERS, grade_rows, ungraded
from .editions import student_edition
from .feedback import MATHJAX_PARENT, feedback_options, with_local_mathjax
from .formgrader import extensions, lab_command
from ..grading import sandbox
from ..grading.hidden import HiddenTestError
from .autograde import exercises, prerun, test_checks
from .layout import REPO_NOTEBOOKS, Course
from .permissions import create_course_dir, create_exchange, lock_submitted
from .releases import release_state
from .report import environment_problems, find_problems, record_collected
from .roster import import_roster, read_roster


def cmd_student_edition(course, args):
    for path in student_edition(args.dest, notebooks=course.notebooks, force=args.force):
        print(path)
    return 0


def cmd_generate(course, args):
    course.prepare()
    return course.nbgrader(*(["generate_assignment", name, "--force"] for name in args.names)).returncode


def cmd_release(course, args):
    names, status = [], 0
    for name in args.names:
        state = release_state(course.path("release", assignment=name),
                              course.exchange / course.course_id / "outbound" / name)
        if state == "same" and not args.force:
            print(f"{name}: already released, unchanged")
        elif state == "changed" and not args.force:
            print(f"{name}: released before and changed since; `release --force {name}` replaces it "
                  "(students who fetched it keep their copy)", file=sys.stderr)
            status = 1
        else:
            names.append(name)
    force = ["--force"] if args.force else []
    released = course.nbgrader(*(["release_assignment", name, *force] for name in names)).returncode
    return max(status, released)


def cmd_collect(course, args):
    # --update: a newer submission replaces the collected one (the exchange keeps every submission).
    status = course.nbgrader(*(["collect", name, "--update"] for name in args.names)).returncode
    record_collected(course, args.names)  # hashes kept outside anything a sandbox can reach
    lock_submitted(course.root)  # nbgrader copies the exchange's 0777 folders
    return status


def cmd_fetch(course, args):
    Path(args.directory).mkdir(parents=True, exist_ok=True)
    command = course.student_command("fetch_assignment", args.name, args.directory)
    return course.nbgrader(command, cwd=args.directory).returncode


def cmd_submit(course, args):
    command = course.student_command("submit", args.name, args.directory, args.student)
    return course.nbgrader(command, cwd=args.directory).returncode


NO_SANDBOX_WARNING = """
WARNING: --no-sandbox: student code runs as YOU, with your files, your network and your
gradebook within its reach. The verdicts are still decided outside the student's kernel, but a
submission can change or read anything you can. Use this only to try the kit on your own
notebooks, never to grade a class.
"""


def cmd_autograde(course, args):
    if args.no_sandbox:
        print(NO_SANDBOX_WARNING, file=sys.stderr)
    elif (problem := sandbox.check()) is not None:
        print(f"error: autograde runs student code only in a sandbox, and none can be made here: {problem}.\n"
              "(To grade without one anyway, which no class should be: --no-sandbox.)", file=sys.stderr)
        return 2
    for name in args.names:
        source = course.path("source", assignment=name, notebook=name)
        if source.exists():
            try:
                notebook = json.loads(source.read_text())
                test_checks(notebook)
                exercises(notebook)
            except HiddenTestError as error:
                print(f"error: {source}: {error}", file=sys.stderr)
                return 2
    options = ["--force"] if args.force else []
    options += [f"--CourseDirectory.student_id_exclude={args.exclude}"] if args.exclude else []
    names = [name for name in args.names if any((course.root / "submitted").glob(f"*/{name}"))]
    excluded = set(filter(None, args.exclude.split(",")))
    todo = [(folder.parent.name, name) for name in names
            for folder in sorted((course.root / "submitted").glob(f"*/{name}"))
            if folder.parent.name not in excluded
            and (args.force or not course.path("autograded", folder.parent.name, name).exists())]
    prerun(course.root, todo, course.timeout, not args.no_sandbox, max(1, args.jobs), force=args.force)
    if names:
        course.nbgrader(*(["autograde", name, *options, *course.grading_options()] for name in names))
    return cmd_report(course, args)


def cmd_formgrader(course, args):
    status = extensions()
    for name, ok in status.items():
        print(f"{'ok     ' if ok else 'MISSING'} {name}")
    if not all(status.values()):
        print("nbgrader's extensions are not all enabled: reinstall nbgrader in this environment "
              "(pip install -r binder/requirements.txt) and check `jupyter labextension list`.")
        return 1
    if args.check:
        return 0
    print(f"Opening JupyterLab in {course.root}: menu Nbgrader > Formgrader > Manage Submissions.")
    return subprocess.run(lab_command(course, args.lab_args), cwd=course.root, check=False).returncode


def cmd_feedback(course, args):
    graded = [name for name in args.names if any((course.root / "autograded").glob(f"*/{name}"))]
    options = feedback_options()  # without the hidden tests
    if (Path(MATHJAX_PARENT) / "mathjax" / "MathJax.js").exists():
        os.environ.update(with_local_mathjax(os.environ))  # math without a CDN
    return course.nbgrader(*(["generate_feedback", name, "--force", *options] for name in graded)).returncode


def cmd_release_feedback(course, args):
    written = [name for name in args.names if any((course.root / "feedback").glob(f"*/{name}"))]
    return course.nbgrader(*(["release_feedback", name] for name in written)).returncode


def cmd_export(course, args):
    waiting = ungraded(course.db_url, course.course_id)
    for student, assignment, cell in waiting:
        print(f"not graded yet: {student} {assignment} {cell} (counts 0 until graded in formgrader)", file=sys.stderr)
    if args.format == "nbgrader":
        status = course.nbgrader(["export", f"--to={Path(args.to).resolve()}"]).returncode
    else:
        rows = grade_rows(course.db_url, course.course_id, exclude=set(filter(None, args.exclude.split(","))))
        WRITERS[args.format](rows, args.to)
        missing = sorted({f"{row.student} ({row.assignment})" for row in rows if row.status == "missing"})
        print(f"{args.to}: {len({row.student for row in rows})} students; missing (0): {', '.join(missing) or 'none'}")
        status = 0
    if waiting:
        print(f"{len(waiting)} written answer(s) not graded yet: their points count 0 in this export", file=sys.stderr)
    return status


def cmd_roster(course, args):
    added, updated = import_roster(course.db_url, course.course_id, read_roster(args.file))
    print(f"roster {args.file}: {added} student(s) added, {updated} updated")
    return 0


def cmd_duedate(course, args):
    due = set_due_date(course.db_url, course.course_id, args.name, parse_due(args.when, args.timezone))
    print(f"{args.name}: due {due} UTC; later submissions get the late penalty at autograde")
    return 0


def cmd_init(course, args):
    create_course_dir(course.root)
    create_exchange(course.exchange, course.course_id)
    path = write_config_file(args.config or default_config_file(), course, force=args.force,
                             late_penalty=args.late_penalty)
    print(f"course {course.course_id!r} in {course.root} (mode 700), exchange {course.exchange}; "
          f"configuration: {path}")
    print("Every student's server needs the course id and the exchange, e.g. in /etc/jupyter/nbgrader_config.py:")
    print(STUDENT_CONFIG.format(course_id=course.course_id, exchange=str(course.exchange)))
    return 0


def cmd_doctor(course, args):
    return doctor()


def cmd_report(course, args):
    for warning in environment_problems():
        print(f"warning: {warning}")
    excluded = set(filter(None, getattr(args, "exclude", "").split(",")))  # left out on purpose
    problems = [p for p in find_problems(course, args.names) if p.student not in excluded]
    for problem in problems:
        print(problem)
    not_graded = sorted({p.student for p in problems if not p.graded})
    print(f"{len(problems)} problem(s); not graded: {', '.join(not_graded) or 'nobody'}.")
    return 1 if not_graded else 0


def parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-dir", default=None,
                        help="course directory, for a course not set up with `init` (default: the configured course)")
    common.add_argument("--exchange", default=None,
                        help="nbgrader exchange directory, with --course-dir (default: the configured one, "
                             "else <course-dir>/../exchange)")
    common.add_argument("--notebooks", default=None, help="instructor notebooks (default: the configured ones, "
                                                          "else the repo's notebooks/)")
    common.add_argument("--course-id", default=None, help="course name in the exchange, with --course-dir "
                                                          "(default: nnkit)")
    common.add_argument("--timeout", type=int, default=None,
                        help="seconds a cell may run at autograde, with --course-dir (default: 30)")

    main = argparse.ArgumentParser(prog="python -m nnkit.course", description=OVERVIEW,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = main.add_subparsers(dest="command", required=True, metavar="command")

    def add(name, function, help, names=False):
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(function=function)
        if names:
            sub.add_argument("names", nargs="*", metavar="assignment", help="assignment(s) (default: all)")
        return sub

    init = commands.add_parser("init", help="set up a course once: its directory, exchange folders and config",
                               description="Create the course directory (mode 700) and the course's folders in "
                                           "the exchange, and write the config every command reads.")
    init.set_defaults(function=cmd_init)
    init.add_argument("course_dir", help="the course directory to create, e.g. ~/nnkit-course")
    init.add_argument("--exchange", required=True, help="nbgrader exchange every user can reach, "
                                                        "e.g. /srv/nbgrader/exchange")
    init.add_argument("--course-id", default="nnkit", help="course name in the exchange (default: %(default)s)")
    init.add_argument("--notebooks", default=str(REPO_NOTEBOOKS), help="instructor notebooks (default: %(default)s)")
    init.add_argument("--timeout", type=int, default=30, help="seconds a cell may run at autograde (default: 30)")
    init.add_argument("--late-penalty", type=float, default=0.0, metavar="PERCENT",
                      help="percent of the score taken off per started day late (default: 0, no penalty)")
    init.add_argument("--config", default=None, help=f"config file to write (default: {default_config_file()})")
    init.add_argument("--force", action="store_true", help="replace a config file with other contents")
    edition = add("student-edition", cmd_student_edition, "write the student edition of every notebook into DEST")
    edition.add_argument("dest")
    edition.add_argument("--force", action="store_true", help="replace notebooks already in DEST")
    add("generate", cmd_generate, "copy notebooks/ into the course source/ and build release/", names=True)
    add("release", cmd_release, "release assignments to the exchange", names=True).add_argument(
        "--force", action="store_true")
    add("collect", cmd_collect, "collect submissions from the exchange into submitted/", names=True)
    fetch = add("fetch", cmd_fetch, "(student) fetch an assignment from the exchange into a folder")
    fetch.add_argument("name")
    fetch.add_argument("--directory", default=".", help="where to put the <assignment>/ folder (default: .)")
    submit = add("submit", cmd_submit, "(student) submit DIRECTORY/<assignment>/ to the exchange")
    submit.add_argument("name")
    submit.add_argument("--directory", default=".", help="folder holding the <assignment>/ folder (default: .)")
    submit.add_argument("--student", default=None, help=f"student id (default: the login name, {getpass.getuser()})")
    autograde = add("autograde", cmd_autograde, "autograde every collected submission, then report problems",
                    names=True)
    autograde.add_argument("--force", action="store_true", help="regrade submissions already graded")
    autograde.add_argument("--exclude", default="", help="comma-separated student ids to leave out")
    autograde.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                           help="sandboxes run at once (default: the machine's cores, %(default)s)")
    autograde.add_argument("--no-sandbox", action="store_true",
                           help="DANGEROUS: run student code unsandboxed (only where no sandbox can be made; "
                                "never for a class)")
    add("formgrader", cmd_formgrader, "check nbgrader's extensions, then open JupyterLab for manual grading")
    commands.choices["formgrader"].add_argument("--check", action="store_true", help="only check the extensions")
    commands.choices["formgrader"].add_argument("lab_args", nargs="*", help="extra `jupyter lab` options, after --")
    add("feedback", cmd_feedback, "write HTML feedback per student into feedback/", names=True)
    add("release-feedback", cmd_release_feedback, "(hub) put feedback/ into the exchange: students "
        "click Fetch Feedback in the Assignments panel", names=True)
    export = add("export", cmd_export, "export grades to CSV (nbgrader's, or a Canvas / Moodle gradebook import)")
    export.add_argument("--to", default=None, help="CSV file (default: <course-dir>/grades[-FORMAT].csv)")
    export.add_argument("--format", choices=["nbgrader", *FORMATS], default="nbgrader",
                        help="nbgrader: one row per student per assignment; canvas, moodle: one row per student")
    export.add_argument("--exclude", default="", help="comma-separated student ids to leave out (canvas, moodle)")
    roster = add("roster", cmd_roster, "import the class list (CSV: id, first name, last name, e-mail)")
    roster.add_argument("file")
    duedate = add("duedate", cmd_duedate, "set an assignment's due date (late submissions get the penalty)")
    duedate.add_argument("name", metavar="assignment")
    duedate.add_argument("when", help='"YYYY-MM-DD HH:MM"')
    duedate.add_argument("--timezone", default="UTC", help="time zone of WHEN (default: %(default)s)")
    commands.add_parser("doctor", help="check a hub setup: extensions, config, permissions, Python, sandbox",
                        description="Check this machine for the course and print what to fix (changes nothing)."
                        ).set_defaults(function=cmd_doctor)
    add("report", cmd_report, "list students whose submission could not be graded (or was repaired)", names=True)
    variants.register(add)
    return main


# These run without a course directory: a student's machine has only the exchange.
STUDENT_COMMANDS = (cmd_student_edition, cmd_fetch, cmd_submit, variants.cmd_variant)
# These may create the course directory they are given.
CREATING_COMMANDS = (cmd_init, cmd_generate)


def main(argv=None):
    """Run one command; return its exit status (0 = success)."""
    try:
        return _main(argv)
    except (FileExistsError, FileNotFoundError, PermissionError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _main(argv):
    args = parser().parse_args(argv)
    if args.function is cmd_doctor or (args.function is cmd_formgrader and args.check):
        return args.function(None, args)  # checks this machine: no course needed
    if args.function is cmd_init:
        course = Course(root=Path(args.course_dir).expanduser(), exchange=Path(args.exchange).expanduser(),
                        notebooks=args.notebooks, course_id=args.course_id, timeout=args.timeout)
    else:
        course = course_from_options(args, student=args.function in STUDENT_COMMANDS)
    course = replace(course, sandbox=not getattr(args, "no_sandbox", False))
    if hasattr(args, "names"):
        args.names = course.check_assignments(args.names)
    if args.function not in (*STUDENT_COMMANDS, *CREATING_COMMANDS) and not course.root.is_dir():
        raise CourseNotFound(f"no course at {course.root}: create it with `generate` (or `init`), "
                             "or check --course-dir")
    if getattr(args, "to", "") is None:
        args.to = course.root / ("grades.csv" if args.format == "nbgrader" else f"grades-{args.format}.csv")
    if args.function is cmd_duedate:
        course.check_assignments([args.name])
    if args.function not in STUDENT_COMMANDS and args.function is not cmd_init:
        course.write_config()
    return args.function(course, args)


if __name__ == "__main__":
    sys.exit(main())
