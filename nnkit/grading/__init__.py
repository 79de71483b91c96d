"""Hidden tests' verdicts, decided outside the student's kernel.

A hidden test gives the student's function a private copy of some inputs, then checks the answer:

    from nnkit.grading import fresh, verify
    case = dict(outputs=[0.9, 0.05], targets=[1.0, 0.0])
    verify("loss", squared_error(**fresh(case)), **case)

`verify` sends the task name, the answer (as plain floats) and the inputs as JSON to a fresh
Python process, which recomputes the reference with a freshly imported nnkit and compares.
AssertionError if wrong.

What this defends against. The student's code runs in the same kernel as the tests, so it can
replace np.allclose, math.isclose, nnkit.backward or the feedback helpers, or rebind the names
`verify` and `fresh` in the notebook; none of that changes a verdict:
* the reference and the comparison live in the child process, started in isolated mode (so a
  `numpy.py` or `nnkit.py` next to the notebook is not imported either);
* the tools this module needs in the kernel (subprocess.run, json, float, the interpreter path)
  are captured when it is first imported, in the notebook's first, locked cell;
* hidden tests import `verify` and `fresh` again from this module, whose public functions cannot
  be reassigned (`nnkit.grading.verify = ...` raises AttributeError);
* `fresh` hands the student's function a deep copy, so it cannot change the inputs the verdict
  is computed from;
* hidden tests use literal inputs, never values computed by code the student could replace.
What is not defended: deliberate tampering with the interpreter itself (editing sys.modules or a
module's __dict__, reading the caller's frame, editing files on disk). Autograding runs student
code; run it in a sandbox you trust (nbgrader's own advice).

Run as `python -m nnkit.grading` it reads {"task", "answer", "inputs"} on stdin and writes
{"ok", "expected", "message"} on stdout.
"""
import json
import math
import os
import subprocess
import sys
import types

import numpy as np

from .tasks import ARRAY_TASKS, JUDGES, TASKS

_run = subprocess.run
_dumps, _loads = json.dumps, json.loads
_executable = sys.executable
_asarray = np.asarray
_float, _str, _isinstance, _hasattr, _callable = float, str, isinstance, hasattr, callable
_dict, _list, _tuple = dict, list, tuple
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_CHILD = f"import sys; sys.path.insert(0, {_ROOT!r}); from nnkit.grading import main; main()"
RTOL, ATOL = 1e-6, 1e-9


def plain(value):
    """The answer as JSON-ready plain floats: numbers, lists (from tuples and arrays), dicts."""
    if _isinstance(value, _dict):
        return {_str(k): plain(v) for k, v in value.items()}
    if _hasattr(value, "tolist") and not _isinstance(value, (_list, _tuple)):
        value = value.tolist()            # numpy arrays and numpy scalars
    if _isinstance(value, (_list, _tuple)):
        return [plain(v) for v in value]
    return _float(value)


def fresh(inputs, arrays=False):
    """A deep copy of the dict `inputs` for the student's function (numpy arrays if `arrays`)."""
    copy = _loads(_dumps(inputs))
    return {k: _asarray(v, dtype=_float) for k, v in copy.items()} if arrays else copy


def verify(task, answer, **inputs):
    """Raise AssertionError unless `answer` is what `task` computes from `inputs`.

    `answer` is the answer itself, or the student's function: then it is called with a fresh deep
    copy of the inputs (numpy arrays for the tasks in ARRAY_TASKS)."""
    if _callable(answer):
        answer = answer(**fresh(inputs, arrays=task in ARRAY_TASKS))
    request = _dumps({"task": task, "answer": plain(answer), "inputs": inputs})
    done = _run([_executable, "-I", "-c", _CHILD], input=request, capture_output=True,
                text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"the grading process failed:\n{done.stderr[-2000:]}")
    reply = _loads(done.stdout)
    if reply["ok"] is not True:
        raise AssertionError(reply["message"])


class _Guarded(types.ModuleType):
    """This module's type: its functions and captured tools cannot be reassigned or deleted."""

    def __setattr__(self, name, value):
        raise AttributeError(f"nnkit.grading.{name} cannot be replaced: it decides the hidden tests")

    def __delattr__(self, name):
        raise AttributeError(f"nnkit.grading.{name} cannot be deleted: it decides the hidden tests")


def _difference(got, expected, path=""):
    """None if got equals expected (floats to RTOL/ATOL, same keys, same lengths), else a message."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"{path or 'answer'}: expected keys {sorted(expected)}, got {got!r}"
        return next(filter(None, (_difference(got[k], expected[k], f"{path}[{k!r}]") for k in expected)), None)
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, list) or len(got) != len(expected):
            return f"{path or 'answer'}: expected {len(expected)} values, got {got!r}"
        return next(filter(None, (_difference(g, e, f"{path}[{i}]") for i, (g, e) in enumerate(zip(got, expected)))), None)
    if not isinstance(got, float) or not math.isclose(got, float(expected), rel_tol=RTOL, abs_tol=ATOL):
        return f"{path or 'answer'}: expected {float(expected)!r}, got {got!r}"
    return None


def main():
    """Child process: read a request on stdin, write the verdict on stdout."""
    request = json.loads(sys.stdin.read())
    task = request["task"]
    if task in JUDGES:
        fraction, message = JUDGES[task](request["answer"], **request["inputs"])
        print(json.dumps({"ok": fraction >= 1, "fraction": fraction, "message": f"{task}: {message}"}))
        return
    if task not in TASKS:
        raise SystemExit(f"unknown grading task {task!r}; known tasks: {', '.join(sorted(TASKS))}")
    expected = TASKS[task](**request["inputs"])
    message = _difference(request["answer"], expected)
    print(json.dumps({"ok": message is None, "expected": expected, "message": f"{task}: {message}"}))


if __name__ == "__main__":
    main()
else:
    sys.modules[__name__].__class__ = _Guarded
