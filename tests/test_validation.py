"""Bad input gets a clear error that names the argument, what was given and what was expected."""
import math

import numpy as np
import pytest

import nnkit

HW = nnkit.homework_params


@pytest.mark.parametrize("x", [(1, 2, 3), (1,), [[1, 2]]])
def test_homework_x_of_the_wrong_length(x):
    with pytest.raises(ValueError, match=r"x must have 2 values, got shape"):
        nnkit.forward(HW(), x)


def test_mlp_inputs_with_the_wrong_number_of_features():
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\), got \(4, 3\)"):
        nnkit.MLP([2, 3, 1]).forward(np.ones((4, 3)))


def test_a_missing_homework_parameter():
    params = HW()
    del params["w5"]
    with pytest.raises(KeyError, match="params: missing w5 .*expected exactly w1, w2"):
        nnkit.forward(params)


def test_an_unknown_homework_parameter():
    with pytest.raises(KeyError, match="unknown w9"):
        nnkit.backward({**HW(), "w9": 0.1})


def test_an_unknown_mlp_parameter():
    model = nnkit.MLP([2, 1])
    with pytest.raises(KeyError, match="unknown W2"):
        model.params = {**model.params, "W2": np.ones((1, 1))}


def test_an_mlp_parameter_of_the_wrong_shape():
    model = nnkit.MLP([2, 3])
    with pytest.raises(ValueError, match=r"params\['W1'\] must have shape \(2, 3\), got \(3, 2\)"):
        model.params = {**model.params, "W1": np.ones((3, 2))}


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 10**400], ids=["nan", "inf", "-inf", "int too large"])
def test_non_finite_homework_values(bad):
    """An int too large for a float is not finite either (and not an OverflowError from inside)."""
    with pytest.raises(ValueError, match=r"params\['w3'\] must be finite"):
        nnkit.forward({**HW(), "w3": bad})
    with pytest.raises(ValueError, match="x must be finite"):
        nnkit.forward(HW(), (1, bad))
    with pytest.raises(ValueError, match="target must be finite"):
        nnkit.backward(HW(), (1, 2), (0, bad))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_mlp_inputs_targets_and_params(bad):
    model = nnkit.MLP([2, 1])
    X, Y = np.ones((3, 2)), np.ones((3, 1))
    X[1, 0] = bad
    with pytest.raises(ValueError, match=r"X must be finite, found .* at index \(1, 0\)"):
        model.loss(X, Y)
    Y[2, 0] = bad
    with pytest.raises(ValueError, match="Y must be finite"):
        model.loss(np.ones((3, 2)), Y)
    with pytest.raises(ValueError, match=r"params\['b1'\] must be finite"):
        model.params = {**model.params, "b1": np.array([bad])}


def test_a_parameter_that_is_not_a_number():
    with pytest.raises(TypeError, match=r"params\['w1'\] must be a real number, got str"):
        nnkit.forward({**HW(), "w1": "0.1"})


@pytest.mark.parametrize("kwargs,message", [
    ({"hidden": "softplus"},
     "unknown hidden activation 'softplus'; valid choices are 'sigmoid', 'tanh', 'relu', 'identity'"),
    ({"output": "tanh"}, "unknown output activation 'tanh'; valid choices are 'sigmoid', 'identity', 'softmax'"),
    ({"loss": "hinge"}, "unknown loss 'hinge'; valid choices are 'sse', 'half_sse', 'mse', 'bce', 'softmax_ce'"),
    ({"output": "identity", "loss": "bce"}, "loss 'bce' needs output='sigmoid', got output='identity'"),
])
def test_unknown_activation_or_loss_names_list_the_valid_ones(kwargs, message):
    with pytest.raises(ValueError) as error:
        nnkit.MLP([2, 1], **kwargs)
    assert str(error.value) == message


@pytest.mark.parametrize("sizes", [[2], [], 3])
def test_sizes_needs_at_least_two_entries(sizes):
    with pytest.raises(ValueError, match="sizes must list at least two layer sizes"):
        nnkit.MLP(sizes)


def test_a_layer_of_size_zero():
    with pytest.raises(ValueError, match=r"sizes\[1\] \(layer size\) must be >= 1, got 0"):
        nnkit.MLP([2, 0, 1])


@pytest.mark.parametrize("kwargs,error,message", [
    ({"lr": 0}, ValueError, "lr must be > 0, got 0.0"),
    ({"lr": -0.1}, ValueError, "lr must be > 0, got -0.1"),
    ({"epochs": 0}, ValueError, "epochs must be >= 1, got 0"),
    ({"epochs": 2.5}, TypeError, "epochs must be a whole number >= 1, got float 2.5"),
    ({"batch_size": 0}, ValueError, "batch_size must be >= 1, got 0"),
    ({"momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\), got 1.0"),
])
def test_bad_training_settings(kwargs, error, message):
    X, Y = nnkit.datasets.xor()
    settings = {"lr": 0.1, "epochs": 1, **kwargs}
    with pytest.raises(error, match=message):
        nnkit.fit(nnkit.MLP([2, 1]), X, Y, progress=False, **settings)


def test_sgd_step_rejects_a_bad_learning_rate_and_bad_grads():
    grads = nnkit.backward(HW())
    with pytest.raises(ValueError, match="lr must be > 0"):
        nnkit.sgd_step(HW(), grads, lr=0)
    with pytest.raises(KeyError, match="grads: missing b2"):
        nnkit.sgd_step(HW(), {k: v for k, v in grads.items() if k != "b2"}, lr=0.1)


@pytest.mark.parametrize("Y,shape", [(np.ones((4, 2)), r"\(4, 2\)"), (np.ones((3, 1)), r"\(3, 1\)")])
def test_targets_of_the_wrong_shape(Y, shape):
    with pytest.raises(ValueError, match=rf"Y \(targets\) must have shape \(4, 1\) .*got {shape}"):
        nnkit.MLP([2, 1]).loss(np.ones((4, 2)), Y)


def test_class_labels_out_of_range():
    with pytest.raises(ValueError, match=r"class labels outside 0..2"):
        nnkit.MLP([2, 3], output="softmax", loss="softmax_ce").loss(np.ones((2, 2)), np.array([0, 3]))


def test_homework_targets_of_the_wrong_length():
    with pytest.raises(ValueError, match="target must have 2 values"):
        nnkit.loss((0.5, 0.5), (0, 1, 1))


def test_explain_an_unknown_parameter():
    with pytest.raises(ValueError, match="unknown parameter name 'w9'; valid choices are 'w1'"):
        nnkit.explain("w9")


# One rule for numbers everywhere: strings and booleans are not numbers, whatever Python or
# numpy would convert; numpy's numbers and other real numbers (Fraction) are.
@pytest.mark.parametrize("call,message", [
    (lambda: nnkit.forward({**HW(), "w1": "0.1"}), r"params\['w1'\] must be a real number, got str '0.1'"),
    (lambda: nnkit.forward({**HW(), "w1": True}), r"params\['w1'\] must be a real number, got bool True"),
    (lambda: nnkit.forward(HW(), ("1", "2")), r"x must hold real numbers, got str '1' at index 0"),
    (lambda: nnkit.forward(HW(), (True, 2)), r"x must hold real numbers, got bool True at index 0"),
    (lambda: nnkit.backward(HW(), (1, 2), (0, "1")), r"target must hold real numbers, got str '1' at index 1"),
    (lambda: nnkit.MLP([2, 1]).forward([["1", "2"]]), r"X must be an array of real numbers, got list: .*<U1"),
    (lambda: nnkit.MLP([2, 1]).forward(np.ones((1, 2), bool)), r"X must be an array of real numbers, .*bool"),
    (lambda: nnkit.MLP([2, 1]).loss(np.ones((1, 2)), [[True]]), r"Y must be an array of real numbers, .*bool"),
])
def test_strings_and_booleans_are_not_numbers_anywhere(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_numpy_numbers_and_fractions_are_numbers():
    from fractions import Fraction
    params = {**HW(), "w1": np.float32(0.1), "w2": Fraction(1, 5), "w3": np.int64(0)}
    expected = nnkit.forward({**HW(), "w1": float(np.float32(0.1)), "w2": 0.2, "w3": 0.0})
    assert nnkit.forward(params, np.array([1, 2])) == expected
    assert nnkit.forward(params, (np.float64(1), Fraction(2))) == expected


def test_a_vector_of_vectors_names_its_shape():
    with pytest.raises(ValueError, match=r"x must have 2 values, got shape \(2, 2\)"):
        nnkit.forward(HW(), [[1, 2], [3, 4]])
