"""nbgrader's gradebook, opened in this process (roster, due dates, exports).

Opening a gradebook may migrate its database, for which nbgrader runs the `alembic` executable
found on PATH: the one next to this Python, even when the environment is not activated.
"""
import os
import sys
from pathlib import Path

from nbgrader.api import Gradebook


def open_gradebook(db_url, course_id):
    """nbgrader's Gradebook (a context manager) with this environment's bin/ first on PATH."""
    here = str(Path(sys.executable).parent)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([here, os.environ.get("PATH", "")])
    return Gradebook(db_url, course_id)
