"""The grading copy of nnkit: what a submission imports inside the sandbox.

    build(dest) -> dest/nnkit/...     canonical("forward") -> "homework.forward"

The copy is the kit with two changes, so an exercise cannot get its answer from the kit:
* no reference answers: `grading/tasks.py` is empty, the instructor CLI (`course/`) and the
  trusted verdict are left out;
* every function and method starts with `_nnkit_check("<module>.<name>")` (`_guard.py`). Outside
  a graded call the check does nothing, so the notebook's own cells (plots, visible checks) work
  as usual. During a graded call (`answers.record` calling the student's function on the hidden
  inputs) a call from outside the kit into a function the exercise's `nnkit.may_use` does not
  list raises ForbiddenCall and is recorded. Calls inside the kit (forward calling sigmoid) pass.
"""
import ast
import importlib
import inspect
import shutil
from pathlib import Path

import nnkit

PACKAGE = Path(nnkit.__file__).resolve().parent
LEFT_OUT = {"course", "__pycache__"}
GRADING_KEPT = {"__init__.py", "answers.py", "runner.py", "hidden.py"}
EMPTY_TASKS = '"""Reference answers are not part of the grading copy."""\nTASKS, JUDGES = {}, {}\nARRAY_INPUTS = %r\n'

GUARD = '''"""Which nnkit functions a graded call may use (the grading copy only; see nnkit.grading.kitcopy)."""
import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__)) + os.sep
active = None          # (exercise, allowed canonical names) while a graded call runs
violations = []        # canonical names an exercise called without being allowed to


class ForbiddenCall(Exception):
    """An exercise called an nnkit function its cell metadata (nnkit.may_use) does not allow."""


def check(name):
    if active is None or sys._getframe(2).f_code.co_filename.startswith(ROOT):
        return
    exercise, allowed = active
    if any(name == a or name.startswith(a + ".") for a in allowed):
        return
    violations.append(name)
    raise ForbiddenCall(f"nnkit.{name} may not be used in exercise {exercise} "
                        f"(allowed: {', '.join(sorted(allowed)) or 'no nnkit function'})")
'''


def _module_name(path):
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _insert_checks(body, prefix):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = f"{prefix}{node.name}"
            at = 1 if ast.get_docstring(node) is not None else 0
            call = ast.parse(f"_nnkit_check({name!r})").body[0]
            node.body.insert(at, call)
        elif isinstance(node, ast.ClassDef):
            _insert_checks(node.body, f"{prefix}{node.name}.")


def guarded_source(text, module):
    """The module's source with a check at the top of every function and method."""
    tree = ast.parse(text)
    _insert_checks(tree.body, f"{module}." if module else "")
    at = 0
    while at < len(tree.body) and (isinstance(tree.body[at], ast.ImportFrom) and tree.body[at].module == "__future__"
                                   or at == 0 and ast.get_docstring(tree) is not None):
        at += 1
    tree.body.insert(at, ast.parse("from nnkit._guard import check as _nnkit_check").body[0])
    return ast.unparse(tree) + "\n"


def build(dest):
    """Write the grading copy into dest/nnkit (world-readable: the sandbox runs as another user)."""
    from .tasks import ARRAY_INPUTS
    target = Path(dest) / "nnkit"
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if LEFT_OUT & set(relative.parts) or relative.parts[0] == "grading" and relative.name not in GRADING_KEPT:
            continue
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if relative.parts[0] == "grading":
            out.write_text(path.read_text())
        else:
            out.write_text(guarded_source(path.read_text(), _module_name(path)))
    (target / "grading" / "tasks.py").write_text(EMPTY_TASKS % sorted(ARRAY_INPUTS))
    (target / "_guard.py").write_text(GUARD)
    for path in PACKAGE.rglob("*"):
        if path.is_file() and path.suffix != ".py" and not LEFT_OUT & set(path.relative_to(PACKAGE).parts):
            (target / path.relative_to(PACKAGE)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.relative_to(PACKAGE))
    for path in [Path(dest), *Path(dest).rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def canonical(name):
    """The guard's name for `nnkit.<name>` (`forward` -> `homework.forward`); ValueError if unknown."""
    obj, parts = nnkit, name.split(".")
    for part in parts:
        if not hasattr(obj, part) and inspect.ismodule(obj):
            try:
                importlib.import_module(f"{obj.__name__}.{part}")
            except ImportError:
                pass
        if not hasattr(obj, part):
            raise ValueError(f"nnkit.may_use names nnkit.{name}, which does not exist")
        obj = getattr(obj, part)
    if inspect.ismodule(obj):
        return obj.__name__.removeprefix("nnkit").lstrip(".")
    module, qualname = getattr(obj, "__module__", ""), getattr(obj, "__qualname__", None)
    if not qualname or not module.startswith("nnkit"):
        return name            # a constant (HOMEWORK_X): nothing to guard
    module = module.removeprefix("nnkit").lstrip(".")
    return f"{module}.{qualname}" if module else qualname
