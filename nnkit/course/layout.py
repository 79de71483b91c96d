"""The course directory nbgrader works in, generated from `notebooks/` (never edited by hand).

    <course>/nbgrader_config.py     written by `Course.prepare()` from the options below
    <course>/gradebook.db           sqlite gradebook (scores, comments, manual grades)
    <course>/source/<a>/<a>.ipynb   copy of notebooks/<a>.ipynb: one assignment per notebook
    <course>/release/<a>/           student edition (nbgrader generate_assignment)
    <course>/submitted/<s>/<a>/     collected submissions (nbgrader collect), never modified
    <course>/autograded/<s>/<a>/    graded copies (nbgrader autograde)
    <course>/feedback/<s>/<a>/      HTML feedback (nbgrader generate_feedback)
    <course>/grading/<s>/<a>/       the sandboxed run and verdicts (run.json) and its log (log.txt)
    <course>/grading/collected.json sha256 of every submission when it was collected
    <exchange>/<course_id>/         nbgrader's exchange: outbound/ (released), inbound/ (submitted)

An assignment is one notebook, named after it (`01-forward-pass`), so each notebook is released,
collected, graded and exported on its own, and a class can work through them one per week.
"""
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

# What nbgrader needs to know of a course; `CONFIG` (for --course-dir) and `init`'s config file
# (nnkit/course/config.py) both start with it.
COURSE_SETTINGS = '''\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url!r}
c.Exchange.root = {exchange!r}
# Seconds one cell may run at autograde; a cell still running then is interrupted and scores 0.
c.Execute.timeout = {timeout!r}
# A graded cell the student deleted is put back from the source (and reported by the kit).
c.OverwriteCells.add_missing_cells = True
'''
CONFIG = ("# Written by `python -m nnkit.course`; change its command-line options rather than this file.\n"
          + COURSE_SETTINGS)

AUTOGRADE_PREPROCESSORS = [
    "nnkit.course.autograde.SandboxExecute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata"]


@dataclass(frozen=True)
class Course:
    """Where a course lives and how nbgrader is configured for it (all paths absolute)."""
    root: Path
    exchange: Path  # None: nbgrader's configured exchange (a student on a hub)
    notebooks: Path = REPO_NOTEBOOKS
    course_id: str = "nnkit"  # None: nbgrader's configured course id (a student on a hub)
    timeout: int = 30
    sandbox: bool = True     # False only with `autograde --no-sandbox`
    writes_config: bool = True  # False: the course is configured elsewhere (`init`, a hub's config)

    def __post_init__(self):
        for name in ("root", "exchange", "notebooks"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, Path(getattr(self, name)).resolve())
        if not isinstance(self.timeout, int) or self.timeout < 1:
            raise ValueError(f"timeout must be a whole number of seconds >= 1, got {self.timeout!r}")
        if self.course_id is None and not self.writes_config:
            return
        if not self.course_id or "+" in self.course_id or "/" in self.course_id:
            raise ValueError(f"course_id must be a non-empty name without '+' or '/', got {self.course_id!r}")

    @property
    def db_url(self):
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def assignments(self):
        """Assignment names: one per notebook in `notebooks/`, sorted."""
        names = sorted(path.stem for path in self.notebooks.glob("*.ipynb"))
        if not names:
            raise FileNotFoundError(f"no notebooks (*.ipynb) found in {self.notebooks}")
        return names

    def check_assignments(self, names):
        """Return `names` (all assignments when empty); raise on a name that is not a notebook."""
        known = self.assignments()
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ValueError(f"unknown assignment(s) {unknown}; expected some of {known}")
        return list(names) or known

    def path(self, step, student=".", assignment=".", notebook=None):
        """`<root>/<step>/<student>/<assignment>[/<notebook>.ipynb]` (student '.' for source/release)."""
        folder = self.root / step / student / assignment
        return folder if notebook is None else folder / f"{notebook}.ipynb"

    def write_config(self):
        """Write <root>/nbgrader_config.py (every command rewrites it, so options always apply),
        unless the course is configured elsewhere (`writes_config` False)."""
        if not self.writes_config:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self.exchange.mkdir(parents=True, exist_ok=True)
        config = CONFIG.format(root=str(self.root), course_id=self.course_id, db_url=self.db_url,
                               exchange=str(self.exchange), timeout=self.timeout)
        (self.root / "nbgrader_config.py").write_text(config)

    def grading_options(self):
        """nbgrader options of `autograde` that make the kit decide automatic scores.

        nbgrader's Execute is replaced by a sandboxed run whose test cells get their outputs from
        the trusted verdict (nnkit/course/autograde.py). They go on the command line, which
        outranks every config file: a course configured by `init`, by hand or by a hub gets the
        same grading, and no config file (the instructor's or one a student managed to write)
        can switch it back to judging inside the student's kernel.
        """
        return [f"--Autograde.autograde_preprocessors={json.dumps(AUTOGRADE_PREPROCESSORS)}",
                f"--SandboxExecute.course_root={self.root}", f"--SandboxExecute.timeout={self.timeout}",
                f"--SandboxExecute.sandbox={self.sandbox}"]

    def prepare(self):
        """Write the config and copy each notebook into source/<name>/<name>.ipynb."""
        self.write_config()
        for name in self.assignments():
            target = self.path("source", assignment=name, notebook=name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.notebooks / f"{name}.ipynb", target)

    def student_command(self, command, assignment, directory, student=None):
        """argv of a student's `nbgrader fetch_assignment|submit` for DIRECTORY/<assignment>/.

        A student needs only the course id and the exchange (None: from nbgrader's config, as on a
        hub); `student` defaults to the login name.
        """
        return [command, assignment, *([f"--course={self.course_id}"] if self.course_id else []),
                *([f"--Exchange.root={self.exchange}"] if self.exchange else []),
                f"--Exchange.assignment_dir={Path(directory).resolve()}",
                *([f"--student={student}"] if student else [])]

    def nbgrader(self, *commands, capture=False, cwd=None):
        """Run nbgrader commands (argv lists) in `cwd` (the course directory), in one process.

        Returns the CompletedProcess; returncode is the worst exit status of the commands.
        """
        env = dict(os.environ)
        # nbgrader runs the `alembic` executable, which lives next to this Python.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        argv = [sys.executable, "-m", "nnkit.course._driver", json.dumps([list(c) for c in commands])]
        return subprocess.run(argv, cwd=cwd or self.root, env=env, text=True,
                              capture_output=capture, check=False)
