"""The student edition: what nbgrader generate_assignment makes of the instructor notebooks.

Solutions become `# YOUR CODE HERE` / `raise NotImplementedError()`, hidden tests disappear,
outputs are cleared and the locked cells stay locked (nbgrader checks them at autograde).
"""
import shutil
import tempfile
from pathlib import Path

from .layout import REPO_NOTEBOOKS, Course


def student_edition(dest, notebooks=REPO_NOTEBOOKS, force=False):
    """Write the student edition of every notebook in `notebooks` into `dest`, same file names.

    Builds a throwaway course (no gradebook or course directory is touched). Never replaces a
    file already in `dest` (it may be a student's work) unless `force`. Returns the written paths.
    """
    dest = Path(dest)
    names = sorted(path.stem for path in Path(notebooks).glob("*.ipynb"))
    clashes = [str(dest / f"{name}.ipynb") for name in names if (dest / f"{name}.ipynb").exists()]
    if clashes and not force:
        raise FileExistsError(f"{', '.join(clashes)} already exist(s); move them away or pass --force "
                              "to replace them with the student edition")
    with tempfile.TemporaryDirectory(prefix="nnkit-student-edition-") as scratch:
        course = Course(root=Path(scratch) / "course", exchange=Path(scratch) / "exchange",
                        notebooks=notebooks)
        course.prepare()
        names = course.assignments()
        result = course.nbgrader(*(["generate_assignment", name, "--no-db", "--force"] for name in names),
                                 capture=True)
        built = [course.path("release", assignment=name, notebook=name) for name in names]
        if result.returncode or not all(path.exists() for path in built):
            raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stderr[-3000:]}")
        dest.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copyfile(path, dest / path.name)) for path in built]
