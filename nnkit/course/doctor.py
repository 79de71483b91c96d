"""`python -m nnkit.course doctor`: is this machine (a hub, or one computer) ready for the course?

Run it as the instructor, in the environment the users' servers run in. Each check prints `ok`
or `FIX` with what to do; the exit status is 1 if anything needs fixing. It changes nothing.

    Python        new enough, and executable by every user (not a copy under /root)
    extensions    nbgrader's lab and server extensions enabled (Assignments panel, formgrader)
    config        one course configured (`init`), its directory and exchange exist
    permissions   the modes of nnkit.course.permissions (course 700, exchange 1777, inbound 3733 ...)
    students      a system-wide nbgrader config gives every server the course id and exchange
    MathJax       a local MathJax (Debian's libjs-mathjax) for formgrader and feedback offline
    sandbox       bubblewrap runs, and unprivileged user namespaces are allowed
"""
import os
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_config_dir

from ..grading import sandbox
from .config import NBGRADER_EXCHANGE, CourseNotFound, config_files, find_course, read_settings
from .feedback import JUPYTER_DATA, MATHJAX_PARENT, SERVER_OPTIONS
from .formgrader import extensions
from .permissions import problems

MINIMUM_PYTHON = (3, 10)


def check_python():
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < MINIMUM_PYTHON:
        yield False, f"Python {version}", "install Python >= 3.10 and rebuild the environment"
    path = Path(sys.executable).resolve()
    closed = [str(p) for p in [*reversed(path.parents), path] if not os.stat(p).st_mode & 0o001]
    if closed:
        yield False, f"{path} cannot be executed by other users ({closed[0]} has no o+x)", (
            "build the users' environment with a system Python in a shared place, e.g. "
            "/usr/bin/python3 -m venv /opt/nnkit-env")
    else:
        yield True, f"Python {version} at {path}, executable by every user", None


def check_extensions():
    status = extensions()
    missing = [name for name, ok in status.items() if not ok]
    if missing:
        yield False, f"nbgrader extension(s) not enabled: {', '.join(missing)}", (
            "pip install -r binder/requirements.txt in this environment; check `jupyter labextension list`")
    else:
        yield True, f"nbgrader's {len(status)} extensions enabled", None


def check_course(settings):
    exchange = settings.exchange or NBGRADER_EXCHANGE
    yield True, f"course {settings.course_id!r} in {settings.root} (configured in {settings.source})", None
    found = problems(settings.root, exchange, settings.course_id)
    for path, what, fix in found:
        yield False, f"{path}: {what}", fix
    if not found:
        yield True, f"modes of the course directory and the exchange {exchange}", None
    own = {Path(jupyter_config_dir()) / "nbgrader_config.py", Path.cwd() / "nbgrader_config.py"}
    shared = [path for path in config_files() if path not in own]
    seen = read_settings(shared)
    if seen.course_id == settings.course_id and str(seen.exchange) == str(exchange):
        yield True, "every user's server gets the course id and exchange (a system-wide config)", None
    else:
        yield False, "students' servers do not get this course id and exchange from a system-wide config", (
            f"write to {Path(sys.prefix) / 'etc' / 'jupyter' / 'nbgrader_config.py'} (or /etc/jupyter/):"
            f" c.CourseDirectory.course_id = {settings.course_id!r}; c.Exchange.root = {str(exchange)!r}")


def check_sandbox():
    """The grading sandbox itself, started once the way autograde starts it (nnkit.grading.sandbox)."""
    problem = sandbox.check()
    if problem is None:
        yield True, "bubblewrap starts the grading sandbox here", None
    else:
        yield False, f"no grading sandbox can be made: {problem}", None   # the problem says how to fix it


def check_mathjax():
    mathjax = Path(MATHJAX_PARENT) / "mathjax" / "MathJax.js"
    if mathjax.exists():
        yield True, f"MathJax for math without network: {mathjax} (servers need {' '.join(SERVER_OPTIONS)} " \
                    f"and JUPYTER_PATH={JUPYTER_DATA})", None
    else:
        yield False, f"no {mathjax}: formgrader and feedback load MathJax from a CDN (raw LaTeX offline)", (
            "apt-get install -y libjs-mathjax")


def doctor():
    """Print every check; return 0 if nothing needs fixing, else 1."""
    checks = [*check_python(), *check_extensions()]
    try:
        checks += list(check_course(find_course()))
    except CourseNotFound as error:
        checks.append((False, str(error), "python -m nnkit.course init COURSE_DIR --exchange EXCHANGE"))
    checks += [*check_mathjax(), *check_sandbox()]
    for ok, what, fix in checks:
        print(f"ok   {what}" if ok else f"FIX  {what}" + (f"\n       -> {fix}" if fix else ""))
    return 0 if all(ok for ok, _, _ in checks) else 1
