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

    Builds a throwaway course (so no gradebook or course directory is touched). Refuses to
    replace a file in `dest` that differs from the new one unless `force` (it may be a
    student's work). Returns the list of written paths.
    """
    dest = Path(dest)
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
        clashes = [dest / path.name for path in built if (dest / path.name).exists()
                   and (dest / path.name).read_bytes() != path.read_bytes()]
        if clashes and not force:
            raise FileExistsError(f"{', '.join(map(str, clashes))} already exist(s) and differ(s) from the "
                                  "student edition; move them away or pass --force to replace them")
        dest.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copyfile(path, dest / path.name)) for path in built]
