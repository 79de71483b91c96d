"""Autograding throughput: `python -m benchmarks.grading [N] [--notebook NAME]`.

Generates N submissions of one notebook (the student edition with a random, seeded subset of
the exercises answered, so graded runs pass and fail like a real class), then times one
`nbgrader autograde` over all of them, as `python -m nnkit.course autograde` runs it, and prints
seconds per submission: wall-clock, and CPU time (nbgrader, the kernels and the graders'
subprocesses together), which a busy shared machine inflates far less. The load average is
printed too.
"""
import argparse
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from nnkit.course import Course
from nnkit.course.layout import REPO_NOTEBOOKS


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


def _children_cpu():
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(n=50, notebook="01-forward-pass", seed=0):
    """Autograde `n` generated submissions of `notebook`; print and return seconds per submission."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="nnkit-grading-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "notebooks").mkdir()
        (scratch / "notebooks" / f"{notebook}.ipynb").write_bytes((REPO_NOTEBOOKS / f"{notebook}.ipynb").read_bytes())
        course = Course(root=scratch / "course", exchange=scratch / "exchange", notebooks=scratch / "notebooks")
        course.prepare()
        if course.nbgrader(["generate_assignment", notebook, "--force"], capture=True).returncode:
            raise RuntimeError("nbgrader generate_assignment failed")
        release = json.loads(course.path("release", assignment=notebook, notebook=notebook).read_text())
        source = json.loads(course.path("source", assignment=notebook, notebook=notebook).read_text())
        for number in range(n):
            path = course.path("submitted", f"student{number:03d}", notebook, notebook)
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(submission(release, source, rng), indent=1))
        start, cpu_start = time.perf_counter(), _children_cpu()
        result = course.nbgrader(["autograde", notebook], capture=True)
        seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
        graded = len(list((course.root / "autograded").glob(f"*/{notebook}/{notebook}.ipynb")))
    if result.returncode or graded != n:
        raise RuntimeError(f"autograde graded {graded} of {n} submissions:\n{result.stderr[-2000:]}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"autograde {notebook}: {n} submissions in {seconds:.1f} s = {seconds / n:.2f} s per submission, "
          f"{cpu / n:.2f} CPU-s per submission ({os.cpu_count()} cores, load average {load})")
    return seconds / n


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=50, help="number of submissions (default: 50)")
    parser.add_argument("--notebook", default="01-forward-pass", help="notebook name (default: %(default)s)")
    args = parser.parse_args()
    main(args.n, args.notebook)
