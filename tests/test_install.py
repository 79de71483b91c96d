"""Installing the kit: the pins resolve on every Python the README names, and `make setup` builds a
working environment with the distribution's own Python (Debian 12's /usr/bin/python3, 3.11.2),
which may be older than the python3 that runs the tests.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PYTHON = Path("/usr/bin/python3")


def run(*argv, **kwargs):
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs)


def test_the_lock_resolves_on_every_supported_python():
    """pip's resolver, run for 3.10, 3.11.2, 3.12 and 3.13, installs exactly the lock's pins."""
    done = run(sys.executable, "tools/lock.py", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    for version in ("3.10", "3.11.2", "3.12", "3.13"):
        assert f"Python {version}:" in done.stdout


def test_the_readme_names_the_supported_pythons():
    readme = (ROOT / "README.md").read_text()
    for version in ("3.10", "3.11", "3.12", "3.13"):
        assert version in readme


def test_make_names_a_missing_python():
    done = run("tools/check-python", "no-such-python")
    assert done.returncode == 1
    assert "no Python called 'no-such-python'" in done.stderr and "make PYTHON=" in done.stderr


def fake_python(tmp_path, script):
    path = tmp_path / "python3"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return str(path)


def test_make_names_a_python_that_does_not_run(tmp_path):
    done = run("tools/check-python", fake_python(tmp_path, "exit 1"))
    assert done.returncode == 1
    assert "does not run" in done.stderr and "make PYTHON=" in done.stderr


def test_make_rejects_a_python_older_than_3_10(tmp_path):
    done = run("tools/check-python", fake_python(tmp_path, "echo 3.9.18"))
    assert done.returncode == 1
    assert "Python 3.9.18" in done.stderr and "3.10, 3.11, 3.12 or 3.13" in done.stderr


@pytest.mark.skipif(not DEBIAN_PYTHON.exists(), reason="no /usr/bin/python3 on this machine")
def test_make_setup_builds_the_environment_with_debians_own_python(tmp_path):
    """`make setup PYTHON=/usr/bin/python3`: the real command a Debian 12 user runs, into a fresh venv."""
    venv = tmp_path / "venv"
    env = dict(os.environ, MAKEFLAGS="")
    done = run("make", "setup", f"PYTHON={DEBIAN_PYTHON}", f"VENV={venv}", env=env, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "[2/3] installing the" in done.stdout          # progress is shown, step by step
    version = run(str(venv / "bin" / "python"), "-c", "import sys; print(sys.version.split()[0])")
    expected = run(str(DEBIAN_PYTHON), "-c", "import sys; print(sys.version.split()[0])")
    assert version.stdout == expected.stdout
    imports = run(str(venv / "bin" / "python"), "-c", "import nnkit, nbgrader, jupyterlab, anywidget; print('ok')")
    assert imports.stdout.strip() == "ok", imports.stderr
    shutil.rmtree(venv)
