"""Build the course notebooks from their jupytext sources and execute them in place.

    .venv/bin/python tools/build_notebooks.py              # build and execute every notebook
    .venv/bin/python tools/build_notebooks.py 03 04        # only notebooks 03 and 04
    .venv/bin/python tools/build_notebooks.py --no-execute # write them without outputs

Each notebook's source is a percent-format file tools/notebook_source/NN-name.py (code cells are
plain Python that ruff lints). Cell headers say what a cell is:

    # %% [markdown]                                              prose
    # %%                                                         read-only code (locked)
    # %% nbgrader={"grade_id": "nb03-slope", "solution": true}   an exercise (+ nnkit={"may_use": [...]})
    # %% nbgrader={"grade_id": "nb03-slope-tests", "points": 2}  its tests (graded, locked)
    # %% [markdown] nbgrader={"grade_id": "nb03-why", "points": 2}   a written answer (manually graded)
    # %% tags=["experiment"]                                    the student's own cell (not locked)
    # %% [markdown] nbgrader={"grade_id": "nb00-assignment", "locked": true}   prose kept read-only

This script fills in the rest of nbgrader's metadata (schema_version, grade, solution, locked, and
the grade id "nbNN-code-k" of each read-only cell), expands every `from fixtures import A, B` line
into literal assignments `A = {...}` from tools/notebook_source/fixtures.py (so the same inputs are
written once and the released notebooks still hold literals), writes notebooks/NN-name.ipynb and
runs it top to bottom with the `python3` kernel in notebooks/, so the stored outputs (which nbval
compares) are exactly what the code prints. Edit the source, never the .ipynb by hand.
"""
import argparse
import json
import re
import runpy
import time
from pathlib import Path

import jupytext
import nbformat
import nbformat.v4 as nbf
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "tools" / "notebook_source"
NOTEBOOK_DIR = ROOT / "notebooks"
FIXTURE_IMPORT = re.compile(r"^(?P<indent>[ \t]*)from fixtures import (?P<names>[\w ,]+)$", re.MULTILINE)
KEPT_METADATA = ("nbgrader", "nnkit", "tags")


def sources():
    """{notebook name: source path} for every tools/notebook_source/NN-*.py, in order."""
    return {path.stem: path for path in sorted(SOURCE_DIR.glob("[0-9][0-9]-*.py"))}


def literal(value, width=100):
    """`value` (dicts, lists, numbers, strings) as Python source; a long dict wraps between entries."""
    text = json.dumps(value)
    if len(text) <= width or not isinstance(value, dict):
        return text
    lines, line = [], "{"
    for key, item in value.items():
        entry = f"{json.dumps(key)}: {json.dumps(item)}, "
        if len(line) + len(entry) > width:
            lines.append(line.rstrip())
            line = " "
        line += entry
    return "\n".join(lines + [line.rstrip(", ") + "}"])


def expand_fixtures(source, fixtures):
    """Replace each `from fixtures import A, B` line by `A = <literal>` and `B = <literal>` lines."""
    def assignments(match):
        indent = match["indent"]
        names = [name.strip() for name in match["names"].split(",")]
        unknown = [name for name in names if name not in fixtures]
        if unknown:
            raise ValueError(f"unknown fixture(s) {unknown}; tools/notebook_source/fixtures.py defines "
                             f"{sorted(fixtures)}")
        lines = []
        for name in names:
            prefix = f"{indent}{name} = "
            lines.append(prefix + literal(fixtures[name]).replace("\n", "\n" + " " * len(prefix)))
        return "\n".join(lines)
    return FIXTURE_IMPORT.sub(assignments, source)


def _role(cell):
    """nbgrader's schema-3 metadata for a cell, from the fields its header gave."""
    given = cell.metadata.get("nbgrader")
    if "experiment" in cell.metadata.get("tags", []):
        return None                            # the student's own cell: unlocked, never graded
    if given is None:
        return None if cell.cell_type == "markdown" else dict(grade=False, solution=False, locked=True, grade_id=None)
    if "grade_id" not in given:
        raise ValueError(f"a cell's nbgrader header needs a grade_id: {given}")
    if cell.cell_type == "markdown" and given.get("locked"):     # prose the student may not edit
        return dict(grade=False, solution=False, locked=True, grade_id=given["grade_id"])
    if cell.cell_type == "markdown":          # a written answer, graded by hand
        return dict(grade=True, solution=True, locked=False, grade_id=given["grade_id"], points=given["points"])
    if given.get("solution"):                  # an exercise
        return dict(grade=False, solution=True, locked=False, grade_id=given["grade_id"])
    return dict(grade=True, solution=False, locked=True, grade_id=given["grade_id"], points=given["points"])


def notebook(name):
    """The unexecuted notebook `name` built from tools/notebook_source/<name>.py."""
    prefix = "nb" + name[:2]
    fixtures = {k: v for k, v in runpy.run_path(str(SOURCE_DIR / "fixtures.py")).items() if k.isupper()}
    parsed = jupytext.read(SOURCE_DIR / f"{name}.py", fmt="py:percent")
    cells, count = [], 0
    for cell in parsed.cells:
        lines = cell.source.splitlines()
        if not cells and cell.cell_type == "code" and all(line.startswith("#") for line in lines):
            continue                           # the file's header comment (e.g. ruff's noqa line)
        if cell.cell_type == "markdown":
            new = nbf.new_markdown_cell(cell.source)
        else:
            new = nbf.new_code_cell(expand_fixtures(cell.source, fixtures))
        new.metadata.update({k: cell.metadata[k] for k in KEPT_METADATA if k in cell.metadata})
        role = _role(cell)
        if role is not None:
            if role["grade_id"] is None:
                count += 1
                role["grade_id"] = f"{prefix}-code-{count}"
            new.metadata["nbgrader"] = {"schema_version": 3, **role}
        cells.append(new)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c.metadata]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"notebook {name}: duplicate grade ids {duplicates}")
    nb = nbf.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def execute(nb, timeout=600):
    """Run every cell of `nb` in a fresh python3 kernel with notebooks/ as working directory."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()
    return nb


def build(name, run=True):
    """Write notebooks/<name>.ipynb from its source; execute it unless run is False."""
    nb = notebook(name)
    start = time.perf_counter()
    if run:
        execute(nb)
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"{path.relative_to(ROOT)}: {len(nb.cells)} cells"
          + (f", executed in {time.perf_counter() - start:.1f} s" if run else ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="notebook numbers or names to build (default: all)")
    parser.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    args = parser.parse_args(argv)
    available = sources()
    names = [n for n in available if not args.only or any(n.startswith(o) for o in args.only)]
    if not names:
        parser.error(f"no notebook matches {args.only}; choose from {', '.join(available)}")
    for name in names:
        build(name, run=not args.no_execute)


if __name__ == "__main__":
    main()
