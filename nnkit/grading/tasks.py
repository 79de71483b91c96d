"""The reference answer of every hidden-test task, computed by the trusted grader, never by the
student's code.

    TASKS[name](**inputs) -> expected answer (plain floats, lists, dicts)

A hidden test names a task and gives its inputs as literals; the grader compares the student's
answer with TASKS[name](**inputs). Adding an exercise with a new kind of answer means adding one
function here (and a test of it in tests/test_grading_verify.py).
"""
import numpy as np

from .. import homework


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

# Tasks whose inputs a student's function receives as numpy arrays (the others as lists and dicts).
ARRAY_TASKS = {"forward_matrix", "hidden_delta"}
