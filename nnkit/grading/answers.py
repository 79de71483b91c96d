"""Inside the sandbox: call the student's function on the hidden inputs and record the answer.

The trusted grader replaces each test cell by calls of `record` (one per `verify` call it read
from the instructor's notebook). `record` sends the answer as a display message of type MIME;
the runner collects it. Nothing here decides anything: a forged or missing message can only
cost the student points, because the trusted side compares the answers with its own references.
"""
from IPython.display import display

from . import call_with, fresh, plain

MIME = "application/vnd.nnkit.answer+json"


def _guard():
    try:
        from nnkit import _guard   # only in the grading copy (see kitcopy)
        return _guard
    except ImportError:
        return None


def record(index, task, target, call, arrays, args, exercise, allowed):
    """Record what `target()` (called with a fresh copy of `args` if it is a function) answers."""
    guard = _guard()
    payload = {"index": index, "task": task, "answer": None, "error": None, "forbidden": []}
    try:
        value = target()
        if guard is not None:
            guard.violations.clear()
            guard.active = (exercise, tuple(allowed))
        try:
            if call:
                value = value(**fresh(args, arrays=arrays))
            elif call is None and callable(value):
                value = call_with(value, args, arrays=arrays)
            payload["answer"] = plain(value)   # inside the guard: converting may run student code
        finally:
            if guard is not None:
                guard.active = None
    except BaseException as error:  # noqa: BLE001 - any failure of the student's code is its verdict
        payload["error"] = f"{type(error).__name__}: {error}"[:2000]
    if guard is not None:
        payload["forbidden"] = sorted(set(guard.violations))
    display({MIME: payload}, raw=True)
