"""The reference answer of every hidden-test task, computed by the trusted grader, never by the
student's code.

    TASKS[name](**inputs) -> expected answer (plain floats, lists, dicts)
    JUDGES[name](answer, **inputs) -> (fraction of the points in [0, 1], message)   (optional)
    ARRAY_INPUTS: the tasks whose function is called with numpy arrays, not lists

A hidden test names a task and gives its inputs as literals; the grader compares the student's
answer with TASKS[name](**inputs) (all or nothing), or lets JUDGES[name] give partial credit.
An input named `student` is replaced by the grader with the id of the submission being graded.
Adding an exercise with a new kind of answer means adding one function here (and a test of it in
tests/test_grading_verify.py).
"""
import numpy as np

from .. import homework, layers
from ..variant import asked, grade, variant


def _homework_forward(params, x):
    f = homework.forward(params, x)
    return {"h1_out": f.h1_out, "h2_out": f.h2_out, "o1_out": f.o1_out, "o2_out": f.o2_out}


def _sigmoid(z):
    return layers.sigmoid(np.asarray(z, dtype=float))     # the kit's own σ (it does not overflow)


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


def _hand_calculation(student, course_id):
    """The exact values of the student's own variant (what `_judge_hand_calculation` grades against)."""
    spec = variant(course_id, student)
    values = spec.values()
    return {name: values[name] for name in asked(spec)}


def _judge_hand_calculation(answer, student, course_id):
    """A hand calculation of the student's own variant, one point per step with error carried forward."""
    try:
        points, total, lines = grade(answer, variant(course_id, student))
    except (KeyError, TypeError, ValueError) as error:
        return 0.0, str(error)
    return points / total, f"{points}/{total} steps\n" + "\n".join(lines)


def _judge_forward(answer, params, x):
    """Partial credit: a quarter of the points for each of the four unit outputs that is right."""
    from . import difference   # the one comparison every task uses
    expected = _homework_forward(params, x)
    if not isinstance(answer, dict):
        return 0.0, f"expected a dict with keys {sorted(expected)}, got {answer!r}"
    right = [name for name in expected if name in answer and difference(answer[name], expected[name]) is None]
    wrong = sorted(set(expected) - set(right))
    return len(right) / len(expected), ("right" if not wrong else f"wrong or missing: {', '.join(wrong)}")


TASKS = {
    "neuron": _neuron, "forward": _homework_forward, "forward_matrix": _forward_matrix,
    "loss": _loss, "dL_dO": _dL_dO, "sigmoid_prime_from_output": _sigmoid_prime_from_output,
    "gradient": _gradient, "gradients": _gradients, "dL_dh_out": _dL_dh_out,
    "hidden_delta": _hidden_delta, "sgd_step": _sgd_step, "train": _train,
    "hand_calculation": _hand_calculation,
}

# JUDGES[name](answer, **inputs) -> (fraction in [0, 1], message): tasks with partial credit.
JUDGES = {"forward": _judge_forward, "hand_calculation": _judge_hand_calculation}
ARRAY_INPUTS = {"forward_matrix", "hidden_delta"}
