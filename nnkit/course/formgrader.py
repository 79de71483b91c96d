"""Manual grading happens in nbgrader's formgrader, inside JupyterLab 4.

The `@jupyter/nbgrader` labextension adds the Nbgrader menu (Formgrader, Assignments, Courses)
and four server extensions serve them. `extensions()` asks jupyter itself which are enabled.
"""
import os
import re
import subprocess
import sys

LAB_EXTENSION = "@jupyter/nbgrader"
SERVER_EXTENSIONS = tuple(f"nbgrader.server_extensions.{name}" for name in
                          ("formgrader", "assignment_list", "course_list", "validate_assignment"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _jupyter(*args):
    result = subprocess.run([sys.executable, "-m", "jupyter", *args], capture_output=True, text=True,
                            check=False)
    return ANSI.sub("", result.stdout + result.stderr)


def _enabled_and_ok(listing, name):
    """True if `listing` has a line for `name` saying enabled, and (lab) OK or (server) a validated OK."""
    lines = [line.split() for line in listing.splitlines()]
    enabled = any(words[:1] == [name] and "enabled" in words for words in lines)
    ok = any(name in words and "OK" in words for words in lines)
    return enabled and ok


def extensions():
    """{extension name: enabled and loading} for nbgrader's lab and server extensions."""
    lab = _jupyter("labextension", "list")
    server = _jupyter("server", "extension", "list")
    status = {LAB_EXTENSION: _enabled_and_ok(lab, LAB_EXTENSION)}
    status.update({name: _enabled_and_ok(server, name) for name in SERVER_EXTENSIONS})
    return status


def lab_command(course, extra_args=()):
    """The `jupyter lab` command that opens the course for grading (run in course.root)."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={course.root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # jupyter refuses root unless told (containers)
        command.append("--allow-root")
    return command + list(extra_args)
