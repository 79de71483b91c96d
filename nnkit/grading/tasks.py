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
from ..mlp import MLP
from ..variant import asked, grade, variant


def _homework_forward(params, x):
    f = homework.forward(params, x)
    return {"h1_out": f.h1_out, "h2_out": f.h2_out, "o1_out": f.o1_out, "o2_out": f.o2_out}


def _sigmoid(z):
    return layers.sigmoid(np.asarray(z, dtype=float))     # the kit's own σ (it does not overflow)


def _neuron(inputs, weights, bias):
    return float(_sigmoid(sum(w * x for w, x in zip(weights, inputs)) + bias))


def _two_layer_mlp(W1, b1, W2, b2):
    """The kit's MLP with sigmoid hidden and output layers, L = Σ_k (O − Y)² averaged over rows,
    holding these parameters (its sizes read from W1 and W2; one bias per layer, as in the
    homework, when b1 and b2 have one entry each)."""
    W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
    if W1.ndim != 2 or W2.ndim != 2:
        raise ValueError(f"W1 and W2 must be matrices, got shapes {W1.shape} and {W2.shape}")
    shared = np.size(b1) == 1 and np.size(b2) == 1
    model = MLP([W1.shape[0], W1.shape[1], W2.shape[1]], hidden="sigmoid", output="sigmoid", loss="sse",
                shared_bias=shared)
    model.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return model


def _forward_matrix(X, W1, b1, W2, b2):
    return _two_layer_mlp(W1, b1, W2, b2).forward(X)[0].tolist()


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

# Tasks whose hidden tests call the student's function with exactly the task's inputs
# (convention 1: verify(task, function, **inputs)).

def _dL_dw6(params, x, target):
    return homework.backward(params, x, target)["w6"]


def _output_layer_gradients(params, x, target):
    return _gradients(params, x, target, ["w5", "w6", "w7", "w8", "b2"])


def _dL_dh1_out(params, x, target):
    """δ1·w5 + δ2·w7: the factor ∂L/∂h1_out of the chain rule `nnkit.steps` derives."""
    return homework.backward(params, x, target).factors["dL_dh1_out"]


def _dL_db1(params, x, target):
    return homework.backward(params, x, target)["b1"]


def _dense_backward(dZ, X, W):
    """[dX, dW, db] of Z = X W + b (b one entry per column), by the kit's dense_backward."""
    dZ, X, W = (np.asarray(a, dtype=float) for a in (dZ, X, W))
    return [grad.tolist() for grad in layers.dense_backward(dZ, (X, W, np.zeros(W.shape[1])))]


def _two_layer(X, Y, W1, b1, W2, b2):
    """[L, {grads}] of the two-layer network (see _two_layer_mlp) on the batch X, Y."""
    loss, grads = _two_layer_mlp(W1, b1, W2, b2).loss_and_grads(X, Y)
    return [loss, {k: v.tolist() for k, v in grads.items()}]


def _sgd_epoch(params, X, Y, lr, batch_size):
    """One pass over (X, Y) in order, in minibatches of batch_size rows: the final params."""
    model = _two_layer_mlp(**params)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    for start in range(0, len(X), batch_size):
        _, grads = model.loss_and_grads(X[start:start + batch_size], Y[start:start + batch_size])
        model.params = {k: model.params[k] - lr * grads[k] for k in grads}
    return {k: v.tolist() for k, v in model.params.items()}


TASKS.update({
    "dL_dw6": _dL_dw6, "output_layer_gradients": _output_layer_gradients, "dL_dh1_out": _dL_dh1_out,
    "dL_db1": _dL_db1, "dense_backward": _dense_backward, "two_layer": _two_layer, "sgd_epoch": _sgd_epoch,
})


def _moons_test_accuracy(answer, n_samples, noise, seed, at_least):
    """Judge trained 2-h-1 sigmoid params by their accuracy on fresh moons drawn here: full marks
    at `at_least`, none at chance (50 %), in proportion between."""
    from ..datasets import moons
    X, Y = moons(n_samples=n_samples, noise=noise, seed=seed)
    try:
        accuracy = _two_layer_mlp(**{k: answer[k] for k in ("W1", "b1", "W2", "b2")}).accuracy(X, Y)
    except (KeyError, TypeError, ValueError) as error:
        return 0.0, f"the parameters cannot be evaluated as a 2-h-1 network: {error}"
    # Guessing one class scores about 50 %: credit grows from there to full marks at `at_least`.
    fraction = 1.0 if accuracy >= at_least else max(0.0, (accuracy - 0.5) / (at_least - 0.5))
    return fraction, f"test accuracy {accuracy:.1%} (needed {at_least:.0%})"


# JUDGES[name](answer, **inputs) -> (fraction in [0, 1], message): tasks with partial credit.
JUDGES = {"forward": _judge_forward, "hand_calculation": _judge_hand_calculation,
          "moons_test_accuracy": _moons_test_accuracy}

# Tasks whose inputs a student's function receives as numpy arrays (the others as lists and dicts).
ARRAY_INPUTS = {"forward_matrix", "hidden_delta", "dense_backward", "two_layer", "sgd_epoch"}
