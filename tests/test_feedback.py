"""nnkit.feedback: a visible test cell says what is wrong (which value, expected vs got, a hint),
says "not done yet" for an untouched exercise, and in a real kernel shows that as one short
message that is still an error output (so nbgrader scores the cell 0)."""
import math

import nbformat.v4 as nbf
import numpy as np
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from nnkit.feedback import (CodeError, ExerciseError, NotDoneYet, WrongAnswer, check_function, check_value,
                            passed)


def test_a_correct_value_prints_a_tick(capsys):
    check_value("h1_out", 0.5 + 1e-12, 0.5)
    passed()
    assert capsys.readouterr().out.splitlines() == ["✓ h1_out is correct", "✓ All tests passed."]


def test_a_wrong_value_names_it_with_expected_got_and_hint():
    with pytest.raises(WrongAnswer) as caught:
        check_value("h1_out", 0.7, 0.645656, hint="σ(h1_in)")
    message = str(caught.value)
    assert message.startswith("h1_out is not right.")
    assert "expected: 0.645656" in message and "got:      0.7" in message and "σ(h1_in)" in message


@pytest.mark.parametrize("got, expected, diagnosis", [
    (-0.25, 0.25, "sign is flipped"),
    (0.5, 0.25, "twice the expected value"),
    (0.125, 0.25, "half the expected value"),
    (0.2501, 0.25, "did you round"),
])
def test_common_slips_are_named(got, expected, diagnosis):
    with pytest.raises(WrongAnswer, match=diagnosis):
        check_value("L", got, expected)


def test_forgetting_return_is_pointed_out():
    with pytest.raises(WrongAnswer, match="returned None: did you forget `return`"):
        check_value("L", None, 0.47)


def test_the_wrong_entry_of_a_dict_or_array_is_named():
    with pytest.raises(WrongAnswer, match=r"grads\['w7'\] is not right"):
        check_value("grads", {"w5": 0.1, "w7": 0.3}, {"w5": 0.1, "w7": -0.3})
    with pytest.raises(WrongAnswer, match="missing the key"):
        check_value("grads", {"w5": 0.1}, {"w5": 0.1, "w7": -0.3})
    with pytest.raises(WrongAnswer, match=r"out\[1, 0\] is not right"):
        check_value("out", np.array([[1.0, 2.0], [3.0, 4.0]]), [[1.0, 2.0], [3.5, 4.0]])
    with pytest.raises(WrongAnswer, match=r"expected shape \(2, 2\), got shape \(2,\)"):
        check_value("out", np.array([1.0, 2.0]), [[1.0, 2.0], [3.5, 4.0]])


def test_check_function_prints_one_tick_per_function(capsys):
    def squared_error(outputs, targets):
        return sum((o - t) ** 2 for o, t in zip(outputs, targets))

    check_function(squared_error, [(((0.5, 0.25), (1, 1)), 0.5 ** 2 + 0.75 ** 2), (((1, 2), (1, 2)), 0.0)])
    assert capsys.readouterr().out == "✓ squared_error: 2 cases correct\n"


def test_check_function_names_the_failing_call_and_its_inputs():
    def squared_error(outputs, targets):
        return sum(o - t for o, t in zip(outputs, targets)) ** 2     # squares the sum, not each term

    with pytest.raises(WrongAnswer, match=r"squared_error\(\(0\.5, 0\.25\), \(1, 1\)\) is not right") as caught:
        check_function(squared_error, [(((0.5, 0.25), (1, 1)), 0.5 ** 2 + 0.75 ** 2)], hint="square each term")
    assert "square each term" in str(caught.value)


def test_an_untouched_exercise_is_not_done_yet():
    def neuron(inputs, weights, bias):
        raise NotImplementedError()

    with pytest.raises(NotDoneYet, match=r"replace `raise NotImplementedError\(\)` with your code"):
        check_function(neuron, [(([1.0], [1.0], 0.0), 0.5)])


def test_an_error_in_the_students_code_is_one_line_naming_the_call_shapes_and_error():
    def forward_matrix(X, W1):
        # a genuine bug: W1 is (2, 4) already, so W1.T is (4, 2) and the product does not fit
        return X @ W1.T

    with pytest.raises(CodeError) as caught:
        check_function(forward_matrix, [((np.ones((3, 2)), np.ones((2, 4))), np.full((3, 4), 2.0))])
    message = str(caught.value)
    assert message.startswith("`forward_matrix(array(3, 2), array(2, 4))` raised ValueError at `return X @ W1.T`")
    assert "\n" not in message


def test_math_exp_on_an_array_names_the_call():
    def sigmoid_layer(Z):
        return 1 / (1 + math.exp(-Z))

    with pytest.raises(CodeError, match=r"`sigmoid_layer\(array\(2, 2\)\)` raised TypeError"):
        check_function(sigmoid_layer, [((np.zeros((2, 2)),), np.full((2, 2), 0.5))])


def test_a_slip_is_named_instead_of_the_generic_hint():
    def half_loss(outputs, targets):
        return 0.5 * sum((o - t) ** 2 for o, t in zip(outputs, targets))

    def half(o, t):
        return 0.5 * sum((a - b) ** 2 for a, b in zip(o, t))

    slips = [("the ½ convention: this exercise's L has no ½", half)]
    with pytest.raises(WrongAnswer, match="It looks like the ½ convention") as caught:
        check_function(half_loss, [(((0.2, 0.9), (0.0, 1.0)), (0.2 - 0.0) ** 2 + (0.9 - 1.0) ** 2)],
                       hint="square each difference", slips=slips)
    assert "square each difference" not in str(caught.value) and "factor" not in str(caught.value)


def test_exercise_errors_are_assertion_errors():
    assert issubclass(NotDoneYet, ExerciseError) and issubclass(WrongAnswer, ExerciseError)
    assert issubclass(ExerciseError, AssertionError)


# ----- in a real kernel ------------------------------------------------------------------------

CELLS = [
    "import nnkit.feedback as fb",
    "def neuron(inputs, weights, bias):\n    raise NotImplementedError()\n\n"
    "fb.check_function(neuron, [(([1.0], [1.0], 0.0), 0.5)])",
    "fb.check_value('L', 0.9, 0.471903, hint='square each difference')",
    "neuron([1.0], [1.0], 0.0)",
    "1 / 0",
    "fb.check_value('L', 0.471903, 0.471903); fb.passed()",
    "fb.check_function(dL_dw6, [((0.5,), 0.25)])",
    "def sigmoid_layer(Z):\n    import math\n    return 1 / (1 + math.exp(-Z))\n\n"
    "import numpy as np\nfb.check_function(sigmoid_layer, [((np.zeros((2, 3)),), np.full((2, 3), 0.5))])",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbf.new_notebook(cells=[nbf.new_code_cell(source) for source in CELLS])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path_factory.mktemp("kernel"))}}).execute()
    return nb


def error_of(cell):
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert len(errors) == 1, cell.outputs
    return errors[0]


def test_in_a_kernel_not_done_yet_is_one_short_error(executed):
    error = error_of(executed.cells[1])
    text = "\n".join(error.traceback)
    assert error.ename == "NotDoneYet"
    assert len(error.traceback) == 1 and len(text) < 300
    assert "replace `raise NotImplementedError()` with your code" in text


def test_in_a_kernel_a_wrong_answer_shows_expected_got_and_hint_only(executed):
    error = error_of(executed.cells[2])
    text = "\n".join(error.traceback)
    assert error.ename == "WrongAnswer" and len(error.traceback) == 1
    assert "expected: 0.471903" in text and "got:      0.9" in text and "square each difference" in text
    assert "File " not in text and "Traceback" not in text


def test_in_a_kernel_a_bare_not_implemented_error_is_friendly_too(executed):
    error = error_of(executed.cells[3])
    assert len(error.traceback) == 1 and "Not done yet" in error.traceback[0]


def test_in_a_kernel_other_errors_keep_the_full_traceback(executed):
    error = error_of(executed.cells[4])
    assert error.ename == "ZeroDivisionError" and len(error.traceback) > 1


def test_in_a_kernel_passing_checks_print_ticks(executed):
    assert executed.cells[5].outputs[0].text == "✓ L is correct\n✓ All tests passed.\n"


def test_in_a_kernel_a_check_before_its_exercise_says_run_the_exercise_first(executed):
    error = error_of(executed.cells[6])
    assert error.ename == "NameError" and len(error.traceback) == 1
    assert "name 'dL_dw6' is not defined: run the exercise cell above first" in error.traceback[0]


def test_in_a_kernel_an_error_in_student_code_is_one_line(executed):
    error = error_of(executed.cells[7])
    assert error.ename == "CodeError" and len(error.traceback) == 1
    assert "`sigmoid_layer(array(2, 3))` raised TypeError at `return 1 / (1 + math.exp(-Z))`" in error.traceback[0]


def test_a_failing_check_fails_the_cell(tmp_path):
    """nbgrader scores a test cell 0 exactly when its execution is an error; so must ours be."""
    nb = nbf.new_notebook(cells=[nbf.new_code_cell("import nnkit.feedback as fb\nfb.check_value('L', 1.0, 2.0)")])
    client = NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError, match="L is not right"):
        client.execute()
