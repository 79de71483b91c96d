"""The whole tree passes `ruff check` (rules in pyproject.toml's [tool.ruff]): pyflakes'
mistakes (unused or undefined names), pycodestyle, bugbear's traps and outdated idioms.
Notebooks are linted through their sources in tools/notebook_source/."""
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check_is_clean_on_the_whole_tree():
    assert importlib.util.find_spec("ruff"), "ruff is not installed: pip install ruff==0.17.6"
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
