"""Run several nbgrader commands in one Python process.

Importing nbgrader takes ~3 s, so releasing five assignments as five `nbgrader` processes
spends most of its time importing. This module is what `Course.nbgrader` runs:

    python -m nnkit.course._driver '[["release_assignment", "01-forward-pass"], ["collect", ...]]'

Each command is a fresh nbgrader application, exactly as `nbgrader <argv>` would run it; the
exit status is the worst of the commands' statuses, and a failing command does not stop the rest.
"""
import json
import sys

from jupyter_core.application import NoStart
from nbgrader.apps.nbgraderapp import NbGraderApp


def run(argv):
    """Run `nbgrader <argv>` in this process; return its exit status."""
    app = NbGraderApp()
    try:
        app.initialize(argv)
        app.start()
    except NoStart:  # how a jupyter application says "my subcommand ran"
        pass
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else 1
    finally:
        # Subcommands are singletons: forget this one so the next command gets a fresh one.
        if getattr(app, "subapp", None) is not None:
            type(app.subapp).clear_instance()
    return 0


if __name__ == "__main__":
    from nnkit.course.logfilter import quiet_known_noise
    with quiet_known_noise():  # nbgrader's known-harmless warnings hidden, real errors kept
        status = max((run(argv) for argv in json.loads(sys.argv[1])), default=0)
    sys.exit(status)
