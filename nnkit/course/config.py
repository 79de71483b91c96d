"""One course configuration, set once, read by nbgrader, formgrader and every kit command.

    python -m nnkit.course init ~/nnkit-course --exchange /srv/nbgrader/exchange

writes the instructor's `~/.jupyter/nbgrader_config.py` (a Jupyter config file, so formgrader on
a hub reads it too) with the course directory, course id, gradebook, exchange and the folder of
instructor notebooks. Every later command finds the course there, the way nbgrader looks for its
config: the Jupyter config path (`jupyter --paths`), lowest priority first, then
`./nbgrader_config.py`. `--course-dir` (with `--exchange`, `--course-id`) still names a course
explicitly, as on one machine; without either, a command outside a course refuses to run and
names the files it read.

`init` also creates the course directory (mode 0700: solutions, hidden tests and the gradebook
are the instructor's alone) and the course's folders in the exchange with the modes nbgrader's
exchange needs (see `permissions`).
"""
import os
from dataclasses import dataclass
from pathlib import Path

from jupyter_core.paths import jupyter_config_dir, jupyter_config_path
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

from .layout import COURSE_SETTINGS, REPO_NOTEBOOKS, Course

CONFIG_NAME = "nbgrader_config.py"
NBGRADER_EXCHANGE = "/usr/local/share/nbgrader/exchange"  # nbgrader's own default
INIT_CONFIG = '''\
# The nnkit course, written by `python -m nnkit.course init`. nbgrader, formgrader and every
# `python -m nnkit.course` command read this file; edit it by hand if something moves.
''' + COURSE_SETTINGS + '''\
# Where `python -m nnkit.course generate` copies the instructor notebooks from (nnkit's own key).
c.NnkitCourse.notebooks = {notebooks!r}
# Late submissions (due dates: `python -m nnkit.course duedate`): percent off per started day late.
c.AssignLatePenalties.plugin_class = "nnkit.course.deadlines.LatePenalty"
c.LatePenalty.percent_per_day = {late_penalty!r}
'''
STUDENT_CONFIG = '''\
# What every student's server needs to find the course (nbgrader's Assignments panel).
c = get_config()
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
'''


class CourseNotFound(RuntimeError):
    """No course configured where the kit looked; the message says where and what to do."""


def config_files(cwd=None):
    """The nbgrader config files nbgrader would read, lowest priority first (existing or not)."""
    folders = [*reversed(jupyter_config_path()), str(cwd or os.getcwd())]
    return [Path(folder) / CONFIG_NAME for folder in folders]


@dataclass(frozen=True)
class Settings:
    """What the config files say about the course (None: not set anywhere)."""
    root: str = None
    course_id: str = None
    exchange: str = None
    timeout: int = None
    notebooks: str = None
    source: Path = None  # the file that set the course directory


def read_settings(files=None):
    """Merge the config files (later ones win) into Settings; unreadable files raise ValueError."""
    found = {}
    for path in files if files is not None else config_files():
        if not path.is_file():
            continue
        try:
            config = PyFileConfigLoader(path.name, str(path.parent)).load_config()
        except ConfigFileNotFound:
            continue
        except Exception as error:  # a syntax error in the instructor's file: say which file
            raise ValueError(f"cannot read {path}: {error}") from error
        for key, section, name in [("root", "CourseDirectory", "root"), ("course_id", "CourseDirectory", "course_id"),
                                   ("exchange", "Exchange", "root"), ("timeout", "Execute", "timeout"),
                                   ("notebooks", "NnkitCourse", "notebooks")]:
            if section in config and name in config[section]:
                found[key] = config[section][name]
                if key == "root":
                    found["source"] = path
    return Settings(**found)


def find_course(files=None):
    """Settings of the configured course; CourseNotFound names the files read and what to do."""
    files = files if files is not None else config_files()
    settings = read_settings(files)
    if not settings.root:
        raise CourseNotFound(
            "no course configured: none of " + ", ".join(str(f) for f in files) + " sets "
            "c.CourseDirectory.root. Set one up once with `python -m nnkit.course init COURSE_DIR "
            "--exchange EXCHANGE` (writes " + str(default_config_file()) + "), or name one with --course-dir.")
    if not Path(settings.root).is_dir():
        raise CourseNotFound(f"the course directory {settings.root} named in {settings.source} does not "
                             "exist: run `python -m nnkit.course init` again, or correct that file")
    return settings


def default_config_file():
    """The instructor's own Jupyter config file (~/.jupyter/nbgrader_config.py)."""
    return Path(jupyter_config_dir()) / CONFIG_NAME


def write_config_file(path, course, force=False, late_penalty=0.0):
    """Write the course's config to `path`. An existing file with other contents (another course,
    or settings edited by hand) is kept unless `force`: nothing an instructor wrote is replaced silently."""
    path = Path(path)
    text = INIT_CONFIG.format(root=str(course.root), course_id=course.course_id, db_url=course.db_url,
                              exchange=str(course.exchange), timeout=course.timeout,
                              notebooks=str(course.notebooks), late_penalty=float(late_penalty))
    if path.exists() and path.read_text() != text and not force:
        existing = read_settings([path]).root
        if existing and Path(existing).resolve() != course.root:
            what = f"already configures the course {existing}"
        else:
            what = "already exists with other settings (edited by hand, or other init options)"
        raise FileExistsError(f"{path} {what}; pass --force to replace it with this course's "
                              f"configuration, or --config to write elsewhere")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def course_from_options(options, student=False):
    """The Course a command works on, from its options (argparse Namespace: course_dir, exchange,
    notebooks, course_id, timeout, each None when not given).

    student: a student's fetch/submit; without options it passes nothing, so nbgrader uses the
    hub's config unchanged. --course-dir: a course named on the command line (one machine); the
    kit writes <course-dir>/nbgrader_config.py from the options. Otherwise: the configured course.
    """
    explicit = options.course_dir is not None or options.exchange is not None
    notebooks = options.notebooks or REPO_NOTEBOOKS
    if student:
        return Course(root=options.course_dir or ".", exchange=options.exchange, notebooks=notebooks,
                      course_id=options.course_id or ("nnkit" if explicit else None), writes_config=False)
    if options.course_dir is not None:
        root = Path(options.course_dir)
        return Course(root=root, exchange=options.exchange or root.resolve().parent / "exchange",
                      notebooks=notebooks, course_id=options.course_id or "nnkit", timeout=options.timeout or 30)
    settings = find_course()
    given = [f"--{name.replace('_', '-')}" for name in ("exchange", "course_id", "timeout") if getattr(options, name)]
    if given:
        raise ValueError(f"{', '.join(given)}: the course is configured in {settings.source}; change it there "
                         "(or name another course with --course-dir)")
    if not settings.course_id:
        raise CourseNotFound(f"no c.CourseDirectory.course_id in the config files ({settings.source} sets the "
                             "course directory): add it there")
    return Course(root=settings.root, exchange=settings.exchange or NBGRADER_EXCHANGE,
                  notebooks=options.notebooks or settings.notebooks or REPO_NOTEBOOKS,
                  course_id=settings.course_id, timeout=int(settings.timeout or 30), writes_config=False)
