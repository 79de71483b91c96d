"""Every forward/backward pair of nnkit.layers and every loss of nnkit.losses, on its own: the
backward equals central differences of its forward, for every shape, and no function changes
the arrays it is given."""
import numpy as np
import pytest

import nnkit
from nnkit import layers, steps
from nnkit.layers import ACTIVATIONS, dense_backward, dense_forward
from nnkit.losses import FROM_LOGITS, LOSSES

SHAPES = [(1, 1), (1, 2), (5, 1), (4, 3)]


def random(shape, seed):
    return np.random.default_rng(seed).normal(0, 1.5, shape)


def targets(loss, shape, seed):
    rng = np.random.default_rng(seed)
    if loss == "softmax_ce":
        return np.eye(shape[1])[rng.integers(0, shape[1], shape[0])]
    if loss == "bce":
        return rng.integers(0, 2, shape).astype(float)
    return rng.normal(0, 1, shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_backward_is_the_derivative_of_its_forward(name, shape):
    """With L = Σ dA ⊙ f(Z) for a fixed random dA, ∂L/∂Z is exactly what backward(dA) returns."""
    forward, backward = ACTIVATIONS[name]
    Z, dA = random(shape, 1), random(shape, 2)
    if name == "relu":
        Z[np.abs(Z) < 1e-3] = 0.5   # away from the kink, where the difference quotient is not f'
    _, cache = forward(Z)
    numeric = nnkit.numerical_gradient(lambda p: float(np.sum(dA * forward(p["Z"])[0])), {"Z": Z})["Z"]
    assert nnkit.rel_error(backward(dA, cache), numeric) < 1e-7


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_gradient_is_the_derivative_of_its_value(name, shape):
    loss = LOSSES[name]
    A, Y = random(shape, 3), targets(name, shape, 4)
    _, gradient = loss(A, Y)
    numeric = nnkit.numerical_gradient(lambda p: loss(p["A"], Y)[0], {"A": A})["A"]
    assert nnkit.rel_error(gradient, numeric) < 1e-7


@pytest.mark.parametrize("name", list(FROM_LOGITS))
def test_logit_losses_equal_the_textbook_formula_of_their_activation(name):
    """bce(Z) = −Σ y log σ(z) + (1 − y) log(1 − σ(z)) and softmax_ce(Z) = −Σ y log softmax(z),
    evaluated the naive way where it is safe (moderate Z)."""
    Z, Y = random((4, 3), 5), targets(name, (4, 3), 6)
    A, _ = ACTIVATIONS[FROM_LOGITS[name]][0](Z)
    if name == "bce":
        naive = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / 4
    else:
        naive = -np.sum(Y * np.log(A)) / 4
    assert LOSSES[name](Z, Y)[0] == pytest.approx(naive, rel=1e-12)


@pytest.mark.parametrize("bias_shape", [(3,), (1,)], ids=["bias per unit", "shared bias"])
@pytest.mark.parametrize("n", [1, 5])
def test_dense_backward_is_the_derivative_of_dense_forward(n, bias_shape):
    X, W, b, dZ = random((n, 2), 7), random((2, 3), 8), random(bias_shape, 9), random((n, 3), 10)
    _, cache = dense_forward(X, W, b)
    dX, dW, db = dense_backward(dZ, cache)

    def f(p):
        return float(np.sum(dZ * dense_forward(p["X"], p["W"], p["b"])[0]))
    numeric = nnkit.numerical_gradient(f, {"X": X, "W": W, "b": b})
    for analytic, key in ((dX, "X"), (dW, "W"), (db, "b")):
        assert analytic.shape == numeric[key].shape
        assert nnkit.rel_error(analytic, numeric[key]) < 1e-7, key
    assert dense_backward(dZ, cache, input_grad=False)[0] is None


def test_no_layer_or_loss_changes_the_arrays_it_is_given():
    Z, dA, Y = random((4, 3), 11), random((4, 3), 12), targets("softmax_ce", (4, 3), 13)
    W, b = random((3, 2), 14), random((2,), 15)
    arrays = [Z, dA, Y, W, b]
    before = [array.copy() for array in arrays]
    for forward, backward in ACTIVATIONS.values():
        _, cache = forward(Z)
        backward(dA, cache)
    for loss in LOSSES.values():
        loss(Z, Y)
    _, cache = dense_forward(Z, W, b)
    dense_backward(dA[:, :2], cache)
    for array, copy in zip(arrays, before):
        np.testing.assert_array_equal(array, copy)


def test_the_hand_calculation_sigmoid_is_the_layers_sigmoid_of_one_number():
    """steps.sigmoid (Python floats, for the homework) and layers.sigmoid (arrays) are one formula,
    stable at both ends; they may differ only in the last bit of e^z (numpy's exp against libm's)."""
    z = [-1000.0, -40.0, -1.0, -1e-12, 0.0, 1e-12, 1.0, 40.0, 1000.0]
    by_number = [steps.sigmoid(v) for v in z]
    assert all(type(v) is float for v in by_number)
    np.testing.assert_allclose(by_number, layers.sigmoid(np.array(z)), rtol=1e-15, atol=0)
