"""Autograding throughput: `python -m benchmarks.grading [N] [--notebook NAME ...] [--quick]`.

For each notebook, N generated submissions (the student edition with a random, seeded subset of
the exercises answered, so graded runs pass and fail like a real class) are graded three ways,
each in a fresh course, and the seconds per submission printed:

    nbgrader    plain `nbgrader autograde` (its own Execute: in-process kernels, no sandbox)
    kit -j1     `python -m nnkit.course autograde --jobs 1` (sandboxed runs, trusted verdicts)
    kit -j2     the same with --jobs 2 (two sandboxes at once; one nbgrader writes the gradebook)

Wall-clock only (a busy shared machine inflates it; the load average is printed). One run, not
a timed test: `--quick` is 2 submissions of notebook 1; the test suite runs 1 of notebook 2.
Default: 50 submissions of each of the five notebooks, which takes a long while (~1-2 h on 2 cores).
"""
import argparse
import json
import shutil
import os
import random
import tempfile
import time
from pathlib import Path

from nnkit.course import Course
from nnkit.course.__main__ import main as course_main
from nnkit.course.layout import REPO_NOTEBOOKS

MODES = ("nbgrader", "kit -j1", "kit -j2")


def _meta(cell):
    return cell["metadata"].get("nbgrader", {})


def _answer(cell):
    return "\n".join(line for line in "".join(cell["source"]).splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def submission(release, source, rng):
    """The student edition with each code exercise answered from the source with probability ½."""
    notebook = json.loads(json.dumps(release))
    answers = {_meta(c)["grade_id"]: _answer(c) for c in source["cells"]
               if c["cell_type"] == "code" and _meta(c).get("solution")}
    for cell in notebook["cells"]:
        if _meta(cell).get("grade_id") in answers and rng.random() < 0.5:
            cell["source"] = answers[_meta(cell)["grade_id"]]
    return notebook


def grade(notebook, n, mode, seed=0):
    """Seconds per submission to autograde `n` submissions of `notebook` the way `mode` says."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="nnkit-grading-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "notebooks").mkdir()
        shutil.copyfile(REPO_NOTEBOOKS / f"{notebook}.ipynb", scratch / "notebooks" / f"{notebook}.ipynb")
        course = Course(root=scratch / "course", exchange=scratch / "exchange", notebooks=scratch / "notebooks")
        cli = [f"--course-dir={course.root}", f"--exchange={course.exchange}", f"--notebooks={course.notebooks}"]
        if course_main(["generate", *cli]):
            raise RuntimeError("generate failed")
        release = json.loads(course.path("release", assignment=notebook, notebook=notebook).read_text())
        source = json.loads(course.path("source", assignment=notebook, notebook=notebook).read_text())
        for number in range(n):
            path = course.path("submitted", f"student{number:03d}", notebook, notebook)
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(submission(release, source, rng), indent=1))
        start = time.perf_counter()
        if mode == "nbgrader":
            # plain nbgrader: its own autograde preprocessors (the kit's come as options of its CLI)
            course.nbgrader(["autograde", notebook], capture=True)
        else:
            course_main(["autograde", *cli, f"--jobs={mode[-1]}"])
        seconds = time.perf_counter() - start
        graded = len(list((course.root / "autograded").glob(f"*/{notebook}/{notebook}.ipynb")))
    if graded != n:
        raise RuntimeError(f"{mode}: autograde graded {graded} of {n} submissions of {notebook}")
    return seconds / n


def run(n=50, notebooks=None, modes=MODES):
    """{notebook: {mode: seconds per submission}}, printed as a table as it goes."""
    notebooks = notebooks or sorted(p.stem for p in REPO_NOTEBOOKS.glob("*.ipynb"))
    table = {}
    print(f"seconds per submission, {n} submission(s) per notebook ({os.cpu_count()} cores)")
    print(f"{'notebook':<30}" + "".join(f"{mode:>12}" for mode in modes) + "   load average")
    for notebook in notebooks:
        table[notebook] = {mode: grade(notebook, n, mode) for mode in modes}
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{notebook:<30}" + "".join(f"{table[notebook][m]:>12.2f}" for m in modes) + f"   {load}", flush=True)
    return table


def main(n=10, notebook="01-forward-pass"):
    """Seconds per submission of the kit with --jobs 2 (what `python -m benchmarks` reports)."""
    return grade(notebook, n, "kit -j2")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=50, help="submissions per notebook (default: 50)")
    parser.add_argument("--notebook", action="append", help="notebook name (default: all five; repeatable)")
    parser.add_argument("--quick", action="store_true", help="2 submissions of notebook 1")
    args = parser.parse_args()
    if args.quick:
        run(2, ["01-forward-pass"])
    else:
        run(args.n, args.notebook)
