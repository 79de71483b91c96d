"""`python -m nnkit.course <command>`: one command per step of an nbgrader course (see --help)."""
import argparse
import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

from . import __doc__ as OVERVIEW
from . import variants
from .editions import student_edition
from .formgrader import extensions, lab_command
from ..grading import sandbox
from ..grading.hidden import HiddenTestError
from .autograde import prerun, test_checks
from .layout import REPO_NOTEBOOKS, Course
from .report import environment_problems, find_problems, record_collected


def cmd_student_edition(course, args):
    for path in student_edition(args.dest, notebooks=course.notebooks, force=args.force):
        print(path)
    return 0


def cmd_generate(course, args):
    course.prepare()
    return course.nbgrader(*(["generate_assignment", name, "--force"] for name in args.names)).returncode


def cmd_release(course, args):
    force = ["--force"] if args.force else []
    return course.nbgrader(*(["release_assignment", name, *force] for name in args.names)).returncode


def cmd_collect(course, args):
    # --update: a newer submission replaces the collected one (the exchange keeps every submission).
    status = course.nbgrader(*(["collect", name, "--update"] for name in args.names)).returncode
    record_collected(course, args.names)  # hashes kept outside anything a sandbox can reach
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
                test_checks(json.loads(source.read_text()))
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
        course.nbgrader(*(["autograde", name, *options] for name in names))
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
    return course.nbgrader(*(["generate_feedback", name, "--force"] for name in graded)).returncode


def cmd_export(course, args):
    return course.nbgrader(["export", f"--to={Path(args.to).resolve()}"]).returncode


def cmd_report(course, args):
    for warning in environment_problems():
        print(f"warning: {warning}")
    problems = find_problems(course, args.names)
    for problem in problems:
        print(problem)
    not_graded = sorted({p.student for p in problems if not p.graded})
    print(f"{len(problems)} problem(s); not graded: {', '.join(not_graded) or 'nobody'}.")
    return 1 if not_graded else 0


def parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-dir", default="build/course",
                        help="generated course directory (default: %(default)s)")
    common.add_argument("--exchange", default="build/exchange",
                        help="nbgrader exchange directory (default: %(default)s; "
                             "on a JupyterHub e.g. /usr/local/share/nbgrader/exchange)")
    common.add_argument("--notebooks", default=str(REPO_NOTEBOOKS),
                        help="instructor notebooks (default: the repo's notebooks/)")
    common.add_argument("--course-id", default="nnkit", help="course name in the exchange (default: %(default)s)")
    common.add_argument("--timeout", type=int, default=30,
                        help="seconds a cell may run at autograde (default: %(default)s)")

    main = argparse.ArgumentParser(prog="python -m nnkit.course", description=OVERVIEW,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = main.add_subparsers(dest="command", required=True, metavar="command")

    def add(name, function, help, names=False):
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(function=function)
        if names:
            sub.add_argument("names", nargs="*", metavar="assignment", help="assignment(s) (default: all)")
        return sub

    edition = add("student-edition", cmd_student_edition, "write the student edition of every notebook into DEST")
    edition.add_argument("dest")
    edition.add_argument("--force", action="store_true", help="replace notebooks already in DEST")
    add("generate", cmd_generate, "copy notebooks/ into the course source/ and build release/", names=True)
    release = add("release", cmd_release, "release assignments to the exchange", names=True)
    release.add_argument("--force", action="store_true")
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
    add("export", cmd_export, "export grades to CSV: one row per student per assignment").add_argument(
        "--to", default=None, help="CSV file (default: <course-dir>/grades.csv)")
    add("report", cmd_report, "list students whose submission could not be graded (or was repaired)", names=True)
    variants.register(add)
    return main


# These run without a course directory: a student's machine has only the exchange.
STUDENT_COMMANDS = (cmd_student_edition, cmd_fetch, cmd_submit, variants.cmd_variant)


def main(argv=None):
    """Run one command; return its exit status (0 = success)."""
    try:
        return _main(argv)
    except (FileExistsError, FileNotFoundError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _main(argv):
    args = parser().parse_args(argv)
    course = Course(root=args.course_dir, exchange=args.exchange, notebooks=args.notebooks,
                    course_id=args.course_id, timeout=args.timeout,
                    sandbox=not getattr(args, "no_sandbox", False))
    if hasattr(args, "names"):
        args.names = course.check_assignments(args.names)
    if getattr(args, "to", "") is None:
        args.to = course.root / "grades.csv"
    if args.function not in STUDENT_COMMANDS:
        course.write_config()
    return args.function(course, args)


if __name__ == "__main__":
    sys.exit(main())
