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

from .. import homework

_run = subprocess.run
_dumps, _loads = json.dumps, json.loads
_executable = sys.executable
_asarray = np.asarray
_float, _str, _isinstance, _hasattr = float, str, isinstance, hasattr
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
    """Raise AssertionError unless `answer` is what `task` computes from `inputs`."""
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


# ----- everything below runs in the child process ---------------------------------------------

def _homework_forward(params, x):
    f = homework.forward(params, x)
    return {"h1_out": f.h1_out, "h2_out": f.h2_out, "o1_out": f.o1_out, "o2_out": f.o2_out}


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _neuron(inputs, weights, bias):
    return float(_sigmoid(sum(w * x for w, x in zip(weights, inputs)) + bias))


def _forward_matrix(X, W1, b1, W2, b2):
    A1 = _sigmoid(np.asarray(X) @ np.asarray(W1) + np.asarray(b1))
    return _sigmoid(A1 @ np.asarray(W2) + np.asarray(b2)).tolist()


def _loss(outputs, targets):
    return sum((o - t) ** 2 for o, t in zip(outputs, targets, strict=True))


def _dL_dO(outputs, targets):
    return [2 * (o - t) for o, t in zip(outputs, targets, strict=True)]


def _sigmoid_prime_from_output(out):
    return out * (1 - out)


def _gradients(params, x, target, names):
    grads = homework.backward(params, x, target)
    return {name: grads[name] for name in names}


def _gradient(params, x, target, name):
    return homework.backward(params, x, target)[name]


def _dL_dh_out(params, x, target, unit):
    return homework.backward(params, x, target).factors[f"dL_d{unit}_out"]


def _hidden_delta(delta_next, W_next, A):
    A = np.asarray(A, dtype=float)
    return ((np.asarray(delta_next) @ np.asarray(W_next).T) * A * (1 - A)).tolist()


def _sgd_step(params, grads, lr):
    return homework.sgd_step(params, grads, lr)


def _train(params, x, target, lr, steps):
    losses = []
    for _ in range(steps):
        losses.append(homework.loss(homework.forward(params, x), target))
        params = homework.sgd_step(params, homework.backward(params, x, target), lr)
    return {"params": params, "losses": losses}


TASKS = {
    "neuron": _neuron, "forward": _homework_forward, "forward_matrix": _forward_matrix,
    "loss": _loss, "dL_dO": _dL_dO, "sigmoid_prime_from_output": _sigmoid_prime_from_output,
    "gradient": _gradient, "gradients": _gradients, "dL_dh_out": _dL_dh_out,
    "hidden_delta": _hidden_delta, "sgd_step": _sgd_step, "train": _train,
}


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
    if task not in TASKS:
        raise SystemExit(f"unknown grading task {task!r}; known tasks: {', '.join(sorted(TASKS))}")
    expected = TASKS[task](**request["inputs"])
    message = _difference(request["answer"], expected)
    print(json.dumps({"ok": message is None, "expected": expected, "message": f"{task}: {message}"}))


if __name__ == "__main__":
    main()
else:
    sys.modules[__name__].__class__ = _Guarded
