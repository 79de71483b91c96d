"""The slip catalogue: for every exercise, the typical mistakes a student makes, each run against
the exercise's visible checks. Each slip must fail them with a hint that names *that* slip (not a
generic one), and the hidden tests must agree (fail too); a correct answer written another way
must pass both. So "✓ All tests passed" means what it says.

The notebooks' code cells run in-process, top to bottom, with the instructor's solutions; then
the exercise's cell is replaced by the slipped answer and its test cell is run.
"""
import contextlib
import io
import linecache
import os
import textwrap
from pathlib import Path

import matplotlib
import nbformat
import pytest

from nnkit.feedback import ExerciseError

matplotlib.use("Agg")
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
HIDDEN = "### BEGIN HIDDEN TESTS"

# grade id of the exercise: [(slip, the slipped answer, a fragment the hint must contain)]
SLIPS = {
    "nb01-neuron": [
        ("bias left out", """
            def neuron(inputs, weights, bias):
                return 1 / (1 + math.exp(-sum(w * x for w, x in zip(weights, inputs))))""",
         "bias is missing"),
        ("no sigmoid", """
            def neuron(inputs, weights, bias):
                return sum(w * x for w, x in zip(weights, inputs)) + bias""",
         "returned the weighted sum"),
        ("wrong sign in the exponent", """
            def neuron(inputs, weights, bias):
                return 1 / (1 + math.exp(sum(w * x for w, x in zip(weights, inputs)) + bias))""",
         "sign in the exponent"),
        ("hard-coded two inputs", """
            def neuron(inputs, weights, bias):
                return 1 / (1 + math.exp(-(weights[0] * inputs[0] + weights[1] * inputs[1] + bias)))""",
         "only the first two inputs"),
        ("hard-coded homework number", """
            def neuron(inputs, weights, bias):
                return 0.6456563062257954""",
         "the homework's h1_out"),
    ],
    "nb01-forward-pass": [
        ("outputs' weights swapped", """
            def forward_pass(params, x):
                p = params
                h1 = neuron(x, [p["w1"], p["w2"]], p["b1"])
                h2 = neuron(x, [p["w3"], p["w4"]], p["b1"])
                return {"h1_out": h1, "h2_out": h2, "o1_out": neuron([h1, h2], [p["w7"], p["w8"]], p["b2"]),
                        "o2_out": neuron([h1, h2], [p["w5"], p["w6"]], p["b2"])}""",
         "O1 and O2 got each other's weights"),
        ("wrong weight: w2 and w3 read by row", """
            def forward_pass(params, x):
                p = params
                h1 = neuron(x, [p["w1"], p["w3"]], p["b1"])
                h2 = neuron(x, [p["w2"], p["w4"]], p["b1"])
                return {"h1_out": h1, "h2_out": h2, "o1_out": neuron([h1, h2], [p["w5"], p["w6"]], p["b2"]),
                        "o2_out": neuron([h1, h2], [p["w7"], p["w8"]], p["b2"])}""",
         "w2 and w3 are swapped"),
        ("biases swapped", """
            def forward_pass(params, x):
                p = params
                h1 = neuron(x, [p["w1"], p["w2"]], p["b2"])
                h2 = neuron(x, [p["w3"], p["w4"]], p["b2"])
                return {"h1_out": h1, "h2_out": h2, "o1_out": neuron([h1, h2], [p["w5"], p["w6"]], p["b1"]),
                        "o2_out": neuron([h1, h2], [p["w7"], p["w8"]], p["b1"])}""",
         "biases are swapped"),
    ],
    "nb01-forward-matrix": [
        ("no hidden sigmoid", """
            def forward_matrix(X, W1, b1, W2, b2):
                return 1 / (1 + np.exp(-((X @ W1 + b1) @ W2 + b2)))""",
         "hidden layer's σ is missing"),
        ("transposed matrix", """
            def forward_matrix(X, W1, b1, W2, b2):
                A1 = 1 / (1 + np.exp(-(X @ W1.T + b1)))
                return 1 / (1 + np.exp(-(A1 @ W2.T + b2)))""",
         "transposed weight matrices"),
        ("hard-coded homework weights and sizes", """
            def forward_matrix(X, W1, b1, W2, b2):
                return nnkit.MLP.from_homework().forward(X)[0]""",
         "expected shape (3, 3), got shape (3, 2)"),
        ("math.exp on an array", """
            def forward_matrix(X, W1, b1, W2, b2):
                A1 = 1 / (1 + math.exp(-(X @ W1 + b1)))
                return 1 / (1 + math.exp(-(A1 @ W2 + b2)))""",
         "`forward_matrix(array(1, 2), array(2, 2), array(1,), array(2, 2), array(1,))` raised TypeError"),
    ],
    "nb02-squared-error": [
        ("½ convention", """
            def squared_error(outputs, targets):
                return 0.5 * sum((o - t) ** 2 for o, t in zip(outputs, targets))""",
         "this L is the plain sum"),
        ("mean instead of sum", """
            def squared_error(outputs, targets):
                return sum((o - t) ** 2 for o, t in zip(outputs, targets)) / len(outputs)""",
         "the mean of the squares"),
        ("square of the sum", """
            def squared_error(outputs, targets):
                return sum(o - t for o, t in zip(outputs, targets)) ** 2""",
         "square of the summed differences"),
        ("hard-coded two outputs", """
            def squared_error(outputs, targets):
                return (outputs[0] - targets[0]) ** 2 + (outputs[1] - targets[1]) ** 2""",
         "only the first two outputs"),
    ],
    "nb02-loss-gradient": [
        ("wrong sign", """
            def loss_gradient(outputs, targets):
                return [2 * (t - o) for o, t in zip(outputs, targets)]""",
         "sign is flipped"),
        ("missing factor 2 (½ convention's slope)", """
            def loss_gradient(outputs, targets):
                return [o - t for o, t in zip(outputs, targets)]""",
         "the power rule brings down a 2"),
        ("not differentiated", """
            def loss_gradient(outputs, targets):
                return [(o - t) ** 2 for o, t in zip(outputs, targets)]""",
         "squared errors"),
        ("hard-coded two outputs", """
            def loss_gradient(outputs, targets):
                return [2 * (outputs[0] - targets[0]), 2 * (outputs[1] - targets[1])]""",
         "expected shape (3,), got shape (2,)"),
    ],
    "nb03-sigmoid-slope": [
        ("sigmoid of the output", """
            def sigmoid_slope(out):
                return nnkit.homework.sigmoid(out)""",
         "σ(out)"),
        ("wrong sign", """
            def sigmoid_slope(out):
                return out * (1 + out)""",
         "a sign inside the bracket"),
        ("missing factor", """
            def sigmoid_slope(out):
                return 1 - out""",
         "one factor of σ(z)·(1 − σ(z)) is missing"),
    ],
    "nb03-dL-dw6": [
        ("wrong output (w8's chain)", """
            def dL_dw6(params, x, target):
                f = nnkit.forward(params, x)
                return 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out) * f.h2_out""",
         "∂L/∂w8"),
        ("wrong input (h1_out)", """
            def dL_dw6(params, x, target):
                f = nnkit.forward(params, x)
                return 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out) * f.h1_out""",
         "∂L/∂w5"),
        ("copied the worked w7", """
            def dL_dw6(params, x, target):
                f = nnkit.forward(params, x)
                return 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out) * f.h1_out""",
         "the worked example"),
        ("wrong sign", """
            def dL_dw6(params, x, target):
                f = nnkit.forward(params, x)
                return 2 * (target[0] - f.o1_out) * f.o1_out * (1 - f.o1_out) * f.h2_out""",
         "sign is flipped"),
        ("missing factor 2 / ½ convention", """
            def dL_dw6(params, x, target):
                f = nnkit.forward(params, x)
                return (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out) * f.h2_out""",
         "a factor ½"),
        ("hard-coded homework number", """
            def dL_dw6(params, x, target):
                return 0.0221""" ,
         None),     # not the exact homework value: the generic hint, but still a failure
        ("the homework's value computed", """
            def dL_dw6(params, x, target):
                return nnkit.backward(nnkit.homework_params())["w6"]""",
         "the homework's value"),
    ],
    "nb03-output-gradients": [
        ("b2 one path only (O1)", """
            def output_layer_gradients(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                return {"w5": d1 * f.h1_out, "w6": d1 * f.h2_out, "w7": d2 * f.h1_out, "w8": d2 * f.h2_out,
                        "b2": d1}""",
         "b2 along one path only (through O1)"),
        ("b2 one path only (O2)", """
            def output_layer_gradients(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                return {"w5": d1 * f.h1_out, "w6": d1 * f.h2_out, "w7": d2 * f.h1_out, "w8": d2 * f.h2_out,
                        "b2": d2}""",
         "b2 along one path only (through O2)"),
        ("a key missing", """
            def output_layer_gradients(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                return {"w5": d1 * f.h1_out, "w6": d1 * f.h2_out, "w7": d2 * f.h1_out, "w8": d2 * f.h2_out}""",
         "missing the key(s) 'b2'"),
    ],
    "nb04-dL-dh1-out": [
        ("wrong weights (h2's)", """
            def dL_dh1_out(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                return d1 * params["w6"] + d2 * params["w8"]""",
         "∂L/∂h2_out"),
        ("one path only (O1)", """
            def dL_dh1_out(params, x, target):
                f = nnkit.forward(params, x)
                return 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out) * params["w5"]""",
         "only the path through O1"),
        ("one path only (O2)", """
            def dL_dh1_out(params, x, target):
                f = nnkit.forward(params, x)
                return 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out) * params["w7"]""",
         "only the path through O2"),
        ("weights swapped", """
            def dL_dh1_out(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                return d1 * params["w7"] + d2 * params["w5"]""",
         "the weights are swapped"),
        ("wrong sign", """
            def dL_dh1_out(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (target[0] - f.o1_out) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (target[1] - f.o2_out) * f.o2_out * (1 - f.o2_out)
                return d1 * params["w5"] + d2 * params["w7"]""",
         "sign is flipped"),
    ],
    "nb04-dL-db1": [
        ("one hidden unit only (h1)", """
            def dL_db1(params, x, target):
                f = nnkit.forward(params, x)
                return dL_dh1_out(params, x, target) * f.h1_out * (1 - f.h1_out)""",
         "only the path through h1"),
        ("one hidden unit only (h2)", """
            def dL_db1(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                return (d1 * params["w6"] + d2 * params["w8"]) * f.h2_out * (1 - f.h2_out)""",
         "only the path through h2"),
        ("sigmoid slopes missing", """
            def dL_db1(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                return dL_dh1_out(params, x, target) + d1 * params["w6"] + d2 * params["w8"]""",
         "sigmoid's slopes h_out(1 − h_out) are missing"),
        ("the output layer's bias", """
            def dL_db1(params, x, target):
                f = nnkit.forward(params, x)
                return (2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                        + 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out))""",
         "∂L/∂b2"),
        ("the homework's value", """
            def dL_db1(params, x, target):
                return nnkit.backward(nnkit.homework_params())["b1"]""",
         "the homework's value"),
        ("wrong sign", """
            def dL_db1(params, x, target):
                f = nnkit.forward(params, x)
                d1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
                d2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
                h1 = (d1 * params["w5"] + d2 * params["w7"]) * f.h1_out * (1 - f.h1_out)
                h2 = (d1 * params["w6"] + d2 * params["w8"]) * f.h2_out * (1 - f.h2_out)
                return -(h1 + h2)""",
         "sign is flipped"),
    ],
    "nb04-dense-backward": [
        ("db not summed", """
            def dense_backward(dZ, X, W):
                return dZ @ W.T, X.T @ dZ, dZ""",
         "db is not summed over the samples"),
        ("db summed over the wrong axis", """
            def dense_backward(dZ, X, W):
                return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)""",
         "use axis=0"),
        ("dW transposed", """
            def dense_backward(dZ, X, W):
                return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)""",
         "expected shape (3, 4), got shape (4, 3)"),
        ("dX without the transpose", """
            def dense_backward(dZ, X, W):
                return dZ @ W, X.T @ dZ, dZ.sum(axis=0)""",
         "`dense_backward(array(5, 4), array(5, 3), array(3, 4))` raised ValueError"),
    ],
    "nb05-sgd-update": [
        ("in-place update", """
            def sgd_update(params, grads, lr):
                for name in params:
                    params[name] -= lr * grads[name]
                return params""",
         "changed params in place"),
        ("ascent instead of descent", """
            def sgd_update(params, grads, lr):
                return {k: v + lr * grads[k] for k, v in params.items()}""",
         "gradient ascent"),
        ("learning rate forgotten", """
            def sgd_update(params, grads, lr):
                return {k: v - grads[k] for k, v in params.items()}""",
         "learning rate is missing"),
    ],
    "nb05-train": [
        ("loss recorded after the step", """
            def train(params, x, target, lr, steps):
                losses = []
                for _ in range(steps):
                    params = sgd_update(params, nnkit.backward(params, x, target), lr)
                    losses.append(nnkit.loss(nnkit.forward(params, x), target))
                return {"params": params, "losses": losses}""",
         "recorded after each step"),
        ("parameters never updated", """
            def train(params, x, target, lr, steps):
                losses = []
                for _ in range(steps):
                    losses.append(nnkit.loss(nnkit.forward(params, x), target))
                    sgd_update(params, nnkit.backward(params, x, target), lr)
                return {"params": params, "losses": losses}""",
         "parameters never change"),
    ],
    "nb05-two-layer": [
        ("sum over samples instead of the mean", """
            def two_layer_loss_and_grads(X, Y, W1, b1, W2, b2):
                A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
                A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))
                dZ2 = 2 * (A2 - Y) * A2 * (1 - A2)
                dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
                return np.sum((A2 - Y) ** 2), {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0),
                                               "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}""",
         "the sum over the samples instead of the mean"),
        ("½ convention", """
            def two_layer_loss_and_grads(X, Y, W1, b1, W2, b2):
                n = len(X)
                A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
                A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))
                dZ2 = (A2 - Y) / n * A2 * (1 - A2)
                dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
                return 0.5 * np.sum((A2 - Y) ** 2) / n, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0),
                                                         "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}""",
         "the ½ convention"),
        ("W2 not transposed on the way back", """
            def two_layer_loss_and_grads(X, Y, W1, b1, W2, b2):
                n = len(X)
                A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
                A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))
                dZ2 = 2 * (A2 - Y) / n * A2 * (1 - A2)
                dZ1 = (dZ2 @ W2) * A1 * (1 - A1)
                return np.sum((A2 - Y) ** 2) / n, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0),
                                                   "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}""",
         "raised ValueError at `dZ1 = (dZ2 @ W2) * A1 * (1 - A1)`"),
    ],
    "nb05-sgd-epoch": [
        ("last batch skipped", """
            def sgd_epoch(params, X, Y, lr, batch_size):
                for start in range(0, len(X) - batch_size + 1, batch_size):
                    rows = slice(start, start + batch_size)
                    _, grads = two_layer_loss_and_grads(X[rows], Y[rows], **params)
                    params = sgd_update(params, grads, lr)
                return params""",
         "the last, smaller batch is skipped"),
        ("one full-batch step", """
            def sgd_epoch(params, X, Y, lr, batch_size):
                _, grads = two_layer_loss_and_grads(X, Y, **params)
                return sgd_update(params, grads, lr)""",
         "one step on the whole batch"),
    ],
}

# The grader hands the function its own copy of the inputs, so an in-place update returns the right
# values there; only the visible check (which looks at the caller's dict) can catch it.
HIDDEN_CANNOT_SEE = {"in-place update"}

# Correct answers written differently from the instructor's: they pass visible and hidden tests.
ALTERNATIVES = {
    "nb01-neuron": """
        def neuron(inputs, weights, bias):
            return float(1 / (1 + np.exp(-(np.dot(inputs, weights) + bias))))""",
    "nb02-loss-gradient": """
        def loss_gradient(outputs, targets):
            return list(2 * (np.array(outputs) - np.array(targets)))""",
    "nb03-dL-dw6": """
        def dL_dw6(params, x, target):
            f = nnkit.forward(params, x)
            delta = (f.o1_out - target[0]) * 2 * f.o1_out * (1 - f.o1_out)
            return delta * f.h2_out""",
    "nb04-dL-db1": """
        def dL_db1(params, x, target):
            f = nnkit.forward(params, x)
            d = [2 * (o - t) * o * (1 - o) for o, t in zip((f.o1_out, f.o2_out), target)]
            back = [d[0] * params["w5"] + d[1] * params["w7"], d[0] * params["w6"] + d[1] * params["w8"]]
            return sum(b * h * (1 - h) for b, h in zip(back, (f.h1_out, f.h2_out)))""",
    "nb05-sgd-update": """
        def sgd_update(params, grads, lr):
            new = dict(params)
            for name in new:
                new[name] = new[name] - lr * grads[name]
            return new""",
}


def _skip(cell):
    tags = cell.metadata.get("tags", [])
    return "experiment" in tags or "nbval-ignore-output" in tags


@contextlib.contextmanager
def _in_notebooks():
    cwd = os.getcwd()
    os.chdir(NOTEBOOKS)
    try:
        yield
    finally:
        os.chdir(cwd)


class Notebook:
    """A notebook's code cells run in-process up to each exercise (instructor solutions)."""

    count = 0

    def __init__(self, name):
        self.cells = [c for c in nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells
                      if c.cell_type == "code" and not _skip(c)]
        self.namespace, self.done = {"__name__": "__notebook__"}, 0

    def run(self, source, namespace=None):
        """Run a cell's source; its lines go to linecache, as IPython does, for tracebacks."""
        Notebook.count += 1
        filename = f"<cell {Notebook.count}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        with _in_notebooks(), contextlib.redirect_stdout(io.StringIO()):
            exec(compile(source, filename, "exec"), self.namespace if namespace is None else namespace)

    def upto(self, grade_id):
        """Run every cell before exercise `grade_id`; return (test cell's visible, hidden parts)."""
        index = next(i for i, c in enumerate(self.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        while self.done < index:
            self.run(self.cells[self.done].source)
            self.done += 1
        visible, hidden = self.cells[index + 1].source.split(HIDDEN)
        return self.cells[index].source, visible, hidden


_NOTEBOOKS = {}


def notebook_for(grade_id):
    name = next(p.stem for p in NOTEBOOKS.glob(f"{grade_id[2:4]}-*.ipynb"))
    if name not in _NOTEBOOKS:
        _NOTEBOOKS[name] = Notebook(name)
    return _NOTEBOOKS[name]


def attempt(grade_id, answer):
    """(visible checks' error or None, hidden tests' error or None) for `answer` to the exercise."""
    nb = notebook_for(grade_id)
    _, visible, hidden = nb.upto(grade_id)
    namespace = dict(nb.namespace)
    nb.run(textwrap.dedent(answer), namespace)
    errors = []
    for part in (visible, hidden):
        try:
            nb.run(part, dict(namespace))
            errors.append(None)
        except Exception as error:      # hidden tests call the function: its own errors count too
            errors.append(error)
    return errors


CASES = [(grade_id, slip, answer, fragment) for grade_id, slips in SLIPS.items()
         for slip, answer, fragment in slips]


@pytest.mark.parametrize("grade_id, slip, answer, fragment", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_a_slip_fails_the_visible_checks_naming_itself_and_the_hidden_tests(grade_id, slip, answer, fragment):
    visible, hidden = attempt(grade_id, answer)
    assert isinstance(visible, ExerciseError), f"the visible checks let '{slip}' pass"
    if fragment is not None:
        assert fragment in str(visible), f"'{slip}' was told:\n{visible}"
    if slip not in HIDDEN_CANNOT_SEE:
        assert hidden is not None, f"the hidden tests let '{slip}' pass"


@pytest.mark.parametrize("grade_id", ALTERNATIVES)
def test_a_correct_answer_written_differently_passes_visible_and_hidden_tests(grade_id):
    assert attempt(grade_id, ALTERNATIVES[grade_id]) == [None, None]


@pytest.mark.parametrize("grade_id", sorted({c[0] for c in CASES}))
def test_the_instructors_answer_passes_both(grade_id):
    nb = notebook_for(grade_id)
    solution, _, _ = nb.upto(grade_id)
    assert attempt(grade_id, solution) == [None, None]


def test_every_exercise_has_a_slip_catalogue():
    exercises = {c.metadata["nbgrader"]["grade_id"] for p in sorted(NOTEBOOKS.glob("0[1-5]-*.ipynb"))
                 for c in nbformat.read(p, as_version=4).cells
                 if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    assert exercises - set(SLIPS) == {"nb05-moons"}     # a training run: its check is a target accuracy
