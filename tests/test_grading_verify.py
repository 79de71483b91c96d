"""nnkit.grading.verify: the verdict of a hidden test is computed and compared in a fresh process,
so nothing the student's code replaces in the kernel (numpy's comparisons, nnkit's functions,
subprocess.run, json) can turn a wrong answer into a pass."""
import json
import math
import subprocess

import numpy as np
import pytest

import nnkit
from nnkit import grading
from nnkit.grading import TASKS, fresh, verify

OTHER = {"w1": -0.5, "w2": 0.8, "w3": 0.25, "w4": -0.3, "w5": 1.1, "w6": -0.9,
         "w7": 0.6, "w8": 0.05, "b1": -0.2, "b2": 0.35}
X, TARGET = [0.4, 2.0], [1.0, 0.0]


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def correct_answers():
    """(task, inputs, right answer) for every task; the answers are derived here, step by step."""
    p = OTHER
    h1, h2 = sigmoid(p["w1"] * X[0] + p["w2"] * X[1] + p["b1"]), sigmoid(p["w3"] * X[0] + p["w4"] * X[1] + p["b1"])
    o1, o2 = sigmoid(p["w5"] * h1 + p["w6"] * h2 + p["b2"]), sigmoid(p["w7"] * h1 + p["w8"] * h2 + p["b2"])
    d1, d2 = 2 * (o1 - TARGET[0]) * o1 * (1 - o1), 2 * (o2 - TARGET[1]) * o2 * (1 - o2)
    dh2 = d1 * p["w6"] + d2 * p["w8"]
    dh1 = d1 * p["w5"] + d2 * p["w7"]
    dh1_in, dh2_in = dh1 * h1 * (1 - h1), dh2 * h2 * (1 - h2)
    # The same network in matrix form, one bias per unit (both entries equal to the shared one).
    matrices = {"W1": [[p["w1"], p["w3"]], [p["w2"], p["w4"]]], "b1": [p["b1"], p["b1"]],
                "W2": [[p["w5"], p["w7"]], [p["w6"], p["w8"]]], "b2": [p["b2"], p["b2"]]}
    matrix_grads = {"W1": [[dh1_in * X[0], dh2_in * X[0]], [dh1_in * X[1], dh2_in * X[1]]], "b1": [dh1_in, dh2_in],
                    "W2": [[d1 * h1, d2 * h1], [d1 * h2, d2 * h2]], "b2": [d1, d2]}
    grads = dict(nnkit.backward(p, X, TARGET))    # itself checked against finite differences in test_homework
    delta_next, W_next, A = [[0.5, -0.25]], [[1.0, 2.0], [-1.0, 0.5]], [[0.3, 0.8]]
    return [
        ("neuron", dict(inputs=[1.0, 2.0], weights=[0.5, -0.25], bias=0.1), sigmoid(0.5 - 0.5 + 0.1)),
        ("forward", dict(params=p, x=X), {"h1_out": h1, "h2_out": h2, "o1_out": o1, "o2_out": o2}),
        ("forward_matrix", dict(X=[X], W1=[[p["w1"], p["w3"]], [p["w2"], p["w4"]]], b1=[p["b1"]],
                                W2=[[p["w5"], p["w7"]], [p["w6"], p["w8"]]], b2=[p["b2"]]), [[o1, o2]]),
        ("loss", dict(outputs=[o1, o2, 0.5], targets=[*TARGET, 1.0]), (o1 - 1) ** 2 + o2 ** 2 + 0.25),
        ("dL_dO", dict(outputs=[o1, o2], targets=TARGET), [2 * (o1 - 1), 2 * o2]),
        ("sigmoid_prime_from_output", dict(out=0.25), 0.25 * 0.75),
        ("gradient", dict(params=p, x=X, target=TARGET, name="w7"), d2 * h1),
        ("gradients", dict(params=p, x=X, target=TARGET, names=["w5", "b2"]), {"w5": d1 * h1, "b2": d1 + d2}),
        ("dL_dh_out", dict(params=p, x=X, target=TARGET, unit="h2"), dh2),
        ("hidden_delta", dict(delta_next=delta_next, W_next=W_next, A=A),
         [[(0.5 * 1.0 - 0.25 * 2.0) * 0.3 * 0.7, (0.5 * -1.0 - 0.25 * 0.5) * 0.8 * 0.2]]),
        ("sgd_step", dict(params=p, grads=grads, lr=0.5), {k: p[k] - 0.5 * grads[k] for k in p}),
        ("train", dict(params=p, x=X, target=TARGET, lr=0.5, steps=1),
         {"params": {k: p[k] - 0.5 * grads[k] for k in p}, "losses": [(o1 - 1) ** 2 + o2 ** 2]}),
        ("dL_dw6", dict(params=p, x=X, target=TARGET), d1 * h2),
        ("output_layer_gradients", dict(params=p, x=X, target=TARGET),
         {"w5": d1 * h1, "w6": d1 * h2, "w7": d2 * h1, "w8": d2 * h2, "b2": d1 + d2}),
        ("dL_dh1_out", dict(params=p, x=X, target=TARGET), dh1),
        ("dL_db1", dict(params=p, x=X, target=TARGET), dh1_in + dh2_in),
        ("dense_backward", dict(dZ=[[1.0, -2.0]], X=[[0.5, 3.0]], W=[[1.0, 2.0], [3.0, 4.0]]),
         [[[1.0 * 1.0 - 2.0 * 2.0, 1.0 * 3.0 - 2.0 * 4.0]], [[0.5, -1.0], [3.0, -6.0]], [1.0, -2.0]]),
        ("two_layer", dict(X=[X], Y=[TARGET], **matrices), [(o1 - 1) ** 2 + o2 ** 2, matrix_grads]),
        ("sgd_epoch", dict(params=matrices, X=[X], Y=[TARGET], lr=0.5, batch_size=1),
         {k: [[a - 0.5 * g for a, g in zip(row, grow)] for row, grow in zip(v, matrix_grads[k])] if k[0] == "W"
          else [a - 0.5 * g for a, g in zip(v, matrix_grads[k])] for k, v in matrices.items()}),
    ]


def wrong(answer):
    """The same structure with every number moved by 1 %."""
    if isinstance(answer, dict):
        return {k: wrong(v) for k, v in answer.items()}
    if isinstance(answer, list):
        return [wrong(v) for v in answer]
    return answer * 1.01 + 1e-3


def test_every_task_is_covered():
    assert sorted(task for task, _, _ in correct_answers()) == sorted(TASKS)


@pytest.mark.parametrize("task, inputs, answer", correct_answers(), ids=[t for t, _, _ in correct_answers()])
def test_a_right_answer_passes_and_a_wrong_one_fails(task, inputs, answer):
    verify(task, answer, **inputs)
    with pytest.raises(AssertionError, match=task):
        verify(task, wrong(answer), **inputs)


def test_a_callable_answer_is_called_with_a_fresh_copy_of_the_inputs():
    seen = []

    def neuron(inputs, weights, bias):
        seen.append(inputs)
        inputs.append(99.0)                     # changing its copy changes nothing outside
        return sigmoid(sum(w * x for w, x in zip(weights, inputs)) + bias)

    case = dict(inputs=[1.0, 2.0], weights=[0.5, -0.25], bias=0.1)
    verify("neuron", neuron, **case)
    assert case["inputs"] == [1.0, 2.0] and seen[0] is not case["inputs"]
    verify("dense_backward", lambda dZ, X, W: (dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)),
           dZ=[[1.0, -2.0]], X=[[0.5, 3.0]], W=[[1.0, 2.0], [3.0, 4.0]])   # numpy arrays for this task


def test_a_judged_task_passes_at_its_target_and_names_the_shortfall():
    flat = {"W1": [[0.0], [0.0]], "b1": [0.0], "W2": [[0.0]], "b2": [-1.0]}    # always class 0: 50 %
    with pytest.raises(AssertionError, match=r"test accuracy 50\.0% \(needed 95%\)"):
        verify("moons_test_accuracy", flat, n_samples=200, noise=0.2, seed=1, at_least=0.95)
    verify("moons_test_accuracy", flat, n_samples=200, noise=0.2, seed=1, at_least=0.5)


def test_numpy_answers_are_accepted_as_plain_numbers():
    verify("forward_matrix", np.array(correct_answers()[2][2]), **correct_answers()[2][1])
    verify("sigmoid_prime_from_output", np.float64(0.25 * 0.75), out=0.25)


def test_a_missing_answer_fails():
    with pytest.raises((AssertionError, TypeError)):
        verify("sigmoid_prime_from_output", None, out=0.25)
    with pytest.raises(AssertionError, match="expected keys"):
        verify("gradients", {"w5": 0.1}, params=OTHER, x=X, target=TARGET, names=["w5", "b2"])


def test_the_message_says_what_was_expected():
    with pytest.raises(AssertionError, match=r"sigmoid_prime_from_output: answer: expected 0\.1875, got 0\.2"):
        verify("sigmoid_prime_from_output", 0.2, out=0.25)


def test_an_unknown_task_is_named():
    with pytest.raises(RuntimeError, match="unknown grading task 'w9'"):
        verify("w9", 1.0)


def test_cheats_in_the_calling_process_do_not_change_the_verdict(monkeypatch):
    """What a submission might do before the hidden tests run."""
    task, inputs, answer = correct_answers()[6]                   # ∂L/∂w7, derived before the cheats
    always = lambda *args, **kwargs: True  # noqa: E731
    monkeypatch.setattr(np, "allclose", always)
    monkeypatch.setattr(np, "isclose", always)
    monkeypatch.setattr(math, "isclose", always)
    monkeypatch.setattr(nnkit, "backward", lambda *a, **k: {"w7": 123.0})
    monkeypatch.setattr(nnkit, "forward", lambda *a, **k: None)
    monkeypatch.setattr(nnkit, "loss", lambda *a, **k: 0.0)
    monkeypatch.setattr(nnkit.homework, "backward", lambda *a, **k: {"w7": 123.0})
    monkeypatch.setattr(json, "loads", lambda *a, **k: {"ok": True})
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, '{"ok": true}', ""))
    with pytest.raises(AssertionError):
        verify(task, 123.0, **inputs)
    verify(task, answer, **inputs)


def test_files_next_to_the_notebook_cannot_shadow_nnkit_or_numpy(tmp_path, monkeypatch):
    """The child runs in isolated mode: a numpy.py or nnkit.py in the working directory is ignored."""
    for name in ("numpy", "nnkit", "math"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('shadowed module imported')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    task, inputs, answer = correct_answers()[3]
    verify(task, answer, **inputs)
    with pytest.raises(AssertionError):
        verify(task, wrong(answer), **inputs)


def test_the_child_process_is_python_itself(monkeypatch):
    """Replacing sys.executable after import does not redirect the grading process."""
    import sys
    monkeypatch.setattr(sys, "executable", "/bin/true")
    verify("sigmoid_prime_from_output", 0.25 * 0.75, out=0.25)
    assert grading._executable != "/bin/true"


def test_the_grading_functions_cannot_be_replaced():
    with pytest.raises(AttributeError, match="cannot be replaced"):
        grading.verify = lambda *a, **k: None
    with pytest.raises(AttributeError, match="cannot be replaced"):
        setattr(grading, "_run", lambda *a, **k: None)
    with pytest.raises(AttributeError, match="cannot be deleted"):
        del grading.fresh


def test_fresh_gives_the_students_function_a_private_copy():
    """A function that changes its inputs cannot change what the verdict is computed from."""
    case = dict(params=dict(OTHER), x=list(X), target=list(TARGET))

    def vandal(params, x, target):
        params.update({name: 0.0 for name in params})
        x[:] = [0.0, 0.0]
        return 0.0

    verify_input = fresh(case)
    vandal(**verify_input)
    assert case == dict(params=OTHER, x=X, target=TARGET)
    arrays = fresh(dict(A=[[0.5, 0.25]]), arrays=True)
    assert isinstance(arrays["A"], np.ndarray) and arrays["A"].shape == (1, 2)


def test_in_a_kernel_a_cheating_submission_still_fails_the_hidden_test(tmp_path):
    """The whole chain as a notebook runs it: setup cell, a cheating answer cell, a hidden test."""
    import nbformat.v4 as nbf
    from nbclient import NotebookClient

    setup = "import nnkit\nimport nnkit.grading"
    cheat = ("import math, numpy as np\n"
             "verify = fresh = lambda *a, **k: None\n"
             "np.allclose = np.isclose = math.isclose = lambda *a, **k: True\n"
             "nnkit.backward = lambda *a, **k: {'w7': 1.0}\n"
             "def dL_dw7(params, x, target):\n    return 1.0")
    hidden = ("from nnkit.grading import fresh, verify\n"
              f"case = dict(params={OTHER!r}, x={X!r}, target={TARGET!r})\n"
              "verify('gradient', dL_dw7(**fresh(case)), name='w7', **case)")
    nb = nbf.new_notebook(cells=[nbf.new_code_cell(c) for c in (setup, cheat, hidden)])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not [o for o in nb.cells[1].outputs if o.output_type == "error"]
    errors = [o for o in nb.cells[2].outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["AssertionError"]
