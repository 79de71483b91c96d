"""nnkit.grading: the local `verify` a student sees, and the trusted pieces grading is made of.

`verify` in the student's kernel only tells the student (whatever runs in that kernel can be
replaced, so the in-kernel defences of earlier versions are gone). The grade comes from reading
the hidden tests (`hidden.read_checks`), recording answers in a sandbox (`answers.record`, with
the grading copy of nnkit refusing forbidden calls) and judging them outside (`verdict`); the
sandboxed class is tests/test_attacks.py.
"""
import math
import subprocess
import sys

import numpy as np
import pytest

import nnkit
import nnkit.variant
from nnkit.course.cheats import flags, forbidden_uses
from nnkit.grading import TASKS, fresh, kitcopy, verify
from nnkit.grading.hidden import HiddenTestError, read_checks
from nnkit.grading.verdict import test_outputs as outputs_for

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
    ada = nnkit.variant.variant("test", "ada")
    hand = {name: ada.values()[name] for name in nnkit.variant.asked(ada)}
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
        ("hand_calculation", dict(student="ada", course_id="test"), hand),   # graded in tests/test_check_variants.py
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
    fraction, _ = nnkit.grading.judge("moons_test_accuracy", flat, dict(n_samples=200, noise=0.2, seed=1,
                                                                        at_least=0.95))
    assert fraction == 0.0          # guessing one class earns nothing


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
    with pytest.raises(KeyError, match="unknown grading task 'w9'"):
        verify("w9", 1.0)


def test_a_callable_answer_is_judged_by_what_it_returns():
    task, inputs, answer = correct_answers()[3]
    verify(task, lambda outputs, targets: sum((o - t) ** 2 for o, t in zip(outputs, targets)), **inputs)
    with pytest.raises(AssertionError):
        verify(task, lambda outputs, targets: 0.0, **inputs)
    verify("forward_matrix", lambda X, W1, b1, W2, b2: 1 / (1 + np.exp(-(1 / (1 + np.exp(-(X @ W1 + b1))) @ W2 + b2))),
           **correct_answers()[2][1])


def test_a_function_gets_only_the_inputs_it_takes():
    task, inputs, answer = correct_answers()[6]            # gradient: name="w7" is the task's input
    verify(task, lambda params, x, target: answer, **inputs)


def test_a_judge_gives_partial_credit():
    task, inputs, answer = correct_answers()[1]
    half = dict(answer, o1_out=0.0, o2_out=0.0)
    fraction, message = nnkit.grading.judge(task, half, inputs)
    assert fraction == 0.5 and "o1_out, o2_out" in message
    with pytest.raises(AssertionError):
        verify(task, half, **inputs)


HIDDEN = """
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
P_A = {"w1": -0.5, "w2": 0.8}
cases = [dict(params=P_A, x=[0.4, 2.0], target=[0.0, -1.0 * 2])]
for case in cases:
    verify("gradient", dL_dw7(**fresh(case)), name="w7", **case)
verify("forward_matrix", forward_matrix, X=[[1.0, 2.0]], W1=[[1.0]], b1=[0.0], W2=[[1.0]], b2=[0.0])
### END HIDDEN TESTS
"""


def test_hidden_tests_are_read_as_literals_without_running_them():
    (gradient, matrix) = read_checks("ignored = visible_check()\n" + HIDDEN)
    assert (gradient.task, gradient.target, gradient.call) == ("gradient", "dL_dw7", True)
    assert gradient.inputs == {"name": "w7", "params": {"w1": -0.5, "w2": 0.8}, "x": [0.4, 2.0], "target": [0.0, -2.0]}
    assert gradient.args == {"params": {"w1": -0.5, "w2": 0.8}, "x": [0.4, 2.0], "target": [0.0, -2.0]}
    assert (matrix.target, matrix.call, matrix.arrays) == ("forward_matrix", None, True)


def test_every_hidden_region_of_a_cell_is_read():
    """nbgrader allows several BEGIN/END HIDDEN TESTS regions in one cell: each one's checks count."""
    second = ('\nvisible_check()\n### BEGIN HIDDEN TESTS\n'
              'verify("neuron", neuron, inputs=[1.0], weights=[1.0], bias=0.0)\n### END HIDDEN TESTS\n')
    assert [c.task for c in read_checks(HIDDEN + second)] == ["gradient", "forward_matrix", "neuron"]


@pytest.mark.parametrize("code, complaint", [
    ("verify('loss', f, outputs=compute())", "is not a literal"),
    ("import os\nos.system('x')", "is not an import"),
    ("verify('nope', f)", "unknown task 'nope'"),
    ("verify(task, f)", "expected verify"),
])
def test_a_hidden_test_that_is_not_literal_is_an_instructor_error(code, complaint):
    with pytest.raises(HiddenTestError, match=complaint):
        read_checks(code)


def test_the_verdict_is_what_nbgrader_reads_as_zero_partial_or_full():
    from nbformat import from_dict
    from nbgrader.utils import determine_grade
    check, = read_checks(f'verify("forward", f, params={OTHER!r}, x={X!r})')
    right = dict(correct_answers()[1][2])
    cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "points": 4, "grade_id": "t"}},
            "source": "", "outputs": [], "execution_count": None}

    def score(answer, error=None, forbidden=(), static=()):
        result = {"status": "ok", "answers": [{"index": 0, "task": "forward", "answer": answer, "error": error,
                                               "forbidden": list(forbidden)}]}
        outputs, points, _ = outputs_for([check], result, 4, "ann", static)
        return points, determine_grade(from_dict({**cell, "outputs": outputs}))[0]

    assert score(right) == (4.0, 4.0)
    assert score(dict(right, o1_out=0.0)) == (3.0, 3.0)
    assert score(None, error="NameError: f") == (0.0, 0)
    assert score(right, forbidden=["homework.forward"]) == (0.0, 0)
    assert score(right, static=["homework.forward"]) == (0.0, 0)
    assert outputs_for([check], {"status": "ok", "answers": []}, 4, "ann")[1] == 0.0


def test_the_grading_copy_refuses_forbidden_calls_during_a_graded_call(tmp_path):
    kitcopy.build(tmp_path)
    code = """
import nnkit, nnkit.grading.answers as answers
from IPython.core.interactiveshell import InteractiveShell
print(nnkit.backward(nnkit.homework_params())["w7"] != 0)   # outside a graded call: the kit works
uses_kit = lambda params, x: dict(vars(nnkit.forward(params, x)))
answers.record(0, "forward", lambda: uses_kit, True, False, {"params": nnkit.homework_params(), "x": [1.0, 2.0]},
               "ex", ("homework.homework_params",))
"""
    done = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + code],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("True"), done.stderr
    assert "ForbiddenCall: nnkit.homework.forward may not be used in exercise ex" in done.stdout
    assert "'forbidden': ['homework.forward']" in done.stdout
    assert not (tmp_path / "nnkit" / "course").exists()
    assert "TASKS, JUDGES = {}, {}" in (tmp_path / "nnkit" / "grading" / "tasks.py").read_text()


def test_the_static_scan_names_kit_calls_and_tricks():
    code = ("import nnkit.homework as h\nfrom nnkit import backward\n"
            "def f(p, x):\n    return h.forward(p, x), backward(p)")
    assert forbidden_uses(code, ("homework.forward",)) == ["homework.backward"]
    assert forbidden_uses("def f(p):\n    return nnkit.forward(p).o1_out", ("homework.forward",)) == []
    assert flags("def f(x):\n    return x * 2") == []
    assert flags("%config A.b = 1\nexec('x')") == ["uses IPython magic %config", "uses exec", "uses get_ipython"]
    assert "cannot be parsed" in flags("def broken(:")[0]


def test_fresh_gives_the_students_function_a_private_copy():
    """A function that changes its inputs cannot change what the verdict is computed from."""
    case = dict(params=dict(OTHER), x=list(X), target=list(TARGET))

    def vandal(params, x, target):
        params.update({name: 0.0 for name in params})
        x[:] = [0.0, 0.0]
        return 0.0

    vandal(**fresh(case))
    assert case == dict(params=OTHER, x=X, target=TARGET)
    arrays = fresh(dict(A=[[0.5, 0.25]]), arrays=True)
    assert isinstance(arrays["A"], np.ndarray) and arrays["A"].shape == (1, 2)
