"""Hidden tests: `verify` checks an answer in the student's own kernel; grading decides elsewhere.

A hidden test names a task, gives the student's answer (or function) and literal inputs:

    from nnkit.grading import verify
    verify("loss", squared_error, outputs=[0.9, 0.05], targets=[1.0, 0.0])

If the answer is callable it is called with a fresh deep copy of the inputs (numpy arrays for the
tasks in `tasks.ARRAY_INPUTS`); otherwise it is the answer itself. In the student's kernel and
under nbval, `verify` compares with `tasks.TASKS[task](**inputs)` (or asks `tasks.JUDGES[task]`)
and raises AssertionError if the answer is wrong, so a notebook tells its reader at once.

That local check is for the student, not for the grade: whatever runs in the student's kernel can
be replaced by the student's code. The grade is decided by `nnkit.course.autograde`: it reads the
`verify` calls from the instructor's own notebook (`hidden.read_checks`), runs the submission in a
sandbox that only records the answers (`answers.record`), and compares them with the references
in the trusted process (`verdict`). See docs/instructors.md, "How grading is kept honest".
"""
import copy
import inspect
import math

import numpy as np

from .tasks import ARRAY_INPUTS, JUDGES, TASKS

RTOL, ATOL = 1e-6, 1e-9


def plain(value):
    """The answer as JSON-ready plain floats: numbers, lists (from tuples and arrays), dicts."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()            # numpy arrays and numpy scalars
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return value
    return float(value)


def fresh(inputs, arrays=False):
    """A deep copy of the dict `inputs` for the student's function.

    arrays: every list becomes a numpy array of floats, also inside a dict of parameters (numbers
    such as a learning rate or a batch size stay numbers).
    """
    inputs = copy.deepcopy(inputs)
    return {k: _arrays(v) for k, v in inputs.items()} if arrays else inputs


def _arrays(value):
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    return np.asarray(value, dtype=float) if isinstance(value, (list, tuple)) else value


def difference(got, expected, path=""):
    """None if got equals expected (floats to RTOL/ATOL, same keys, same lengths), else a message."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"{path or 'answer'}: expected keys {sorted(expected)}, got {got!r}"
        return next(filter(None, (difference(got[k], expected[k], f"{path}[{k!r}]") for k in expected)), None)
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, list) or len(got) != len(expected):
            return f"{path or 'answer'}: expected {len(expected)} values, got {got!r}"
        found = (difference(g, e, f"{path}[{i}]") for i, (g, e) in enumerate(zip(got, expected)))
        return next(filter(None, found), None)
    if isinstance(expected, str):
        return None if got == expected else f"{path or 'answer'}: expected {expected!r}, got {got!r}"
    if not isinstance(got, float) or not math.isclose(got, float(expected), rel_tol=RTOL, abs_tol=ATOL):
        return f"{path or 'answer'}: expected {float(expected)!r}, got {got!r}"
    return None


def judge(task, answer, inputs):
    """(fraction of the points in [0, 1], message) for a plain answer: the trusted comparison."""
    if task not in TASKS and task not in JUDGES:
        raise KeyError(f"unknown grading task {task!r}; known tasks: {', '.join(sorted({*TASKS, *JUDGES}))}")
    if task in JUDGES:
        fraction, message = JUDGES[task](answer, **copy.deepcopy(inputs))
        return min(1.0, max(0.0, float(fraction))), f"{task}: {message}"
    message = difference(answer, TASKS[task](**copy.deepcopy(inputs)))
    return (1.0, f"{task}: right") if message is None else (0.0, f"{task}: {message}")


def call_with(function, inputs, arrays=False):
    """function(**fresh copy of the inputs it takes): inputs such as a task's `name` are the task's."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        parameters = ()
    if parameters and not any(p.kind is p.VAR_KEYWORD for p in parameters):
        inputs = {k: v for k, v in inputs.items() if k in {p.name for p in parameters}}
    return function(**fresh(inputs, arrays=arrays))


def answer_of(task, answer, inputs):
    """The answer itself: what `answer` returns for a fresh copy of the inputs if it is a function."""
    if callable(answer):
        answer = call_with(answer, inputs, arrays=task in ARRAY_INPUTS)
    return plain(answer)


def verify(task, answer, **inputs):
    """Raise AssertionError unless `answer` (or what it returns) is what `task` computes from `inputs`."""
    fraction, message = judge(task, answer_of(task, answer, inputs), inputs)
    if fraction < 1:
        raise AssertionError(message)
