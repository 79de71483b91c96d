"""Build the course notebooks from their source and execute them in place.

    .venv/bin/python tools/build_notebooks.py              # build and execute all five
    .venv/bin/python tools/build_notebooks.py 03 04        # only notebooks 03 and 04
    .venv/bin/python tools/build_notebooks.py --no-execute # write them without outputs

The source of each notebook is a list of cells in tools/notebook_source/ (prose, read-only code,
exercises with their solutions, tests). This script turns it into notebooks/NN-name.ipynb and runs
it top to bottom with the `python3` kernel in notebooks/, so the stored outputs (which nbval
compares) are exactly what the code prints. Edit the source, never the .ipynb by hand.
"""
import argparse
import importlib
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))   # so notebook_source is importable

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = {
    "01-forward-pass": "forward_pass",
    "02-loss": "loss",
    "03-output-layer-gradient": "output_layer_gradient",
    "04-hidden-layer-gradient": "hidden_layer_gradient",
    "05-training-loop": "training_loop",
}


def execute(nb, timeout=600):
    """Run every cell of `nb` in a fresh python3 kernel with notebooks/ as working directory."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()
    return nb


def build(name, run=True):
    """Write notebooks/<name>.ipynb from its source; execute it unless run is False."""
    nb = importlib.import_module(f"notebook_source.{SOURCES[name]}").NOTEBOOK
    start = time.perf_counter()
    if run:
        execute(nb)
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"{path.relative_to(NOTEBOOK_DIR.parent)}: {len(nb.cells)} cells"
          + (f", executed in {time.perf_counter() - start:.1f} s" if run else ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="notebook numbers or names to build (default: all)")
    parser.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    args = parser.parse_args(argv)
    names = [n for n in SOURCES if not args.only or any(n.startswith(o) or n == o for o in args.only)]
    if not names:
        parser.error(f"no notebook matches {args.only}; choose from {', '.join(SOURCES)}")
    for name in names:
        build(name, run=not args.no_execute)


if __name__ == "__main__":
    main()
