"""The general network: gradients by backprop equal central differences for every valid
activation × output × loss, and the homework network is one special case of it."""
import numpy as np
import pytest

import nnkit
from nnkit.layers import HIDDEN_ACTIVATIONS
from nnkit.mlp import HOMEWORK_POSITIONS

OUTPUT_AND_LOSS = [(out, loss) for out in ("sigmoid", "identity", "softmax") for loss in ("sse", "half_sse", "mse")]
OUTPUT_AND_LOSS += [("sigmoid", "bce"), ("softmax", "softmax_ce")]
SHAPES = [[3, 4, 2], [2, 5, 3, 3], [4, 1], [3, 4, 1]]   # [3, 4, 1]: one output unit behind a hidden layer


def data(sizes, output, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 1, (6, sizes[0]))
    if output == "softmax":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 6)]
    elif output == "sigmoid":
        Y = rng.integers(0, 2, (6, sizes[-1])).astype(float)
    else:
        Y = rng.normal(0, 1, (6, sizes[-1]))
    return X, Y


@pytest.mark.parametrize("sizes", SHAPES, ids=str)
@pytest.mark.parametrize("output,loss", OUTPUT_AND_LOSS)
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
def test_backprop_matches_central_differences(hidden, output, loss, sizes):
    seed = len(sizes) * 7 + HIDDEN_ACTIVATIONS.index(hidden)
    model = nnkit.MLP(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    X, Y = data(sizes, output, seed)
    errors = nnkit.check_gradients(model, X, Y)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("shared_bias", [False, True])
def test_gradient_shapes_and_keys_equal_the_params(shared_bias):
    model = nnkit.MLP([3, 4, 2], shared_bias=shared_bias)
    X, Y = data([3, 4, 2], "sigmoid", 0)
    _, grads = model.loss_and_grads(X, Y)
    assert list(grads) == list(model.params) == ["W1", "b1", "W2", "b2"]
    for key in grads:
        assert grads[key].shape == model.params[key].shape
    assert model.params["b1"].shape == ((1,) if shared_bias else (4,))
    assert max(nnkit.check_gradients(model, X, Y).values()) < 1e-6


def test_forward_then_backward_is_the_cs231n_interface():
    model = nnkit.MLP([3, 4, 2], seed=1)
    X, Y = data([3, 4, 2], "sigmoid", 1)
    out, cache = model.forward(X)
    assert out.shape == (6, 2)
    grads = model.backward(cache, Y)
    loss, grads2 = model.loss_and_grads(X, Y)
    assert loss == model.loss(X, Y)
    for key in grads:
        np.testing.assert_array_equal(grads[key], grads2[key])


def test_from_homework_places_each_weight_as_documented():
    model = nnkit.MLP.from_homework()
    p = nnkit.homework_params()
    np.testing.assert_array_equal(model.params["W1"][:, 0], [p["w1"], p["w2"]])
    np.testing.assert_array_equal(model.params["W1"][:, 1], [p["w3"], p["w4"]])
    np.testing.assert_array_equal(model.params["W2"][:, 0], [p["w5"], p["w6"]])
    np.testing.assert_array_equal(model.params["W2"][:, 1], [p["w7"], p["w8"]])


@pytest.mark.parametrize("loss,half", [("sse", False), ("half_sse", True)])
def test_from_homework_equals_the_homework_module(loss, half):
    model = nnkit.MLP.from_homework(loss=loss)
    X, Y = np.array([nnkit.HOMEWORK_X], float), np.array([nnkit.HOMEWORK_TARGET], float)
    value, grads = model.loss_and_grads(X, Y)
    f = nnkit.forward(nnkit.homework_params())
    out, _ = model.forward(X)
    np.testing.assert_allclose(out[0], [f.o1_out, f.o2_out], rtol=1e-15)
    assert value == pytest.approx(nnkit.loss(f, half=half), rel=1e-15)
    hw = nnkit.backward(nnkit.homework_params(), half=half)
    for name, (key, index) in HOMEWORK_POSITIONS.items():
        assert grads[key][index] == pytest.approx(hw[name], rel=1e-13, abs=1e-17), name


def test_logit_losses_stay_finite_at_huge_preactivations():
    """bce and softmax_ce are computed from Z, so |Z| = 1000 gives no inf, nan or warning
    (the targets are chosen so each prediction is confidently wrong: a loss of about 1000)."""
    for output, loss, Y in (("sigmoid", "bce", [[1.0], [0.0]]), ("softmax", "softmax_ce", [[0.0, 1.0], [1.0, 0.0]])):
        k = len(Y[0])
        model = nnkit.MLP([1, k], output=output, loss=loss)
        model.params["W1"][:] = 1000.0 * (np.arange(k) + 1) if output == "softmax" else 1000.0
        X = np.array([[-1.0], [1.0]])
        value, grads = model.loss_and_grads(X, Y)
        assert np.isfinite(value) and value > 100
        assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_integer_labels_are_one_hot_for_softmax():
    model = nnkit.MLP([2, 3], output="softmax", loss="softmax_ce")
    X = np.ones((2, 2))
    assert model.loss(X, np.array([0, 2])) == model.loss(X, np.eye(3)[[0, 2]])


def test_predict_gives_labels():
    X = np.random.default_rng(0).normal(size=(5, 2))
    soft = nnkit.MLP([2, 3], output="softmax", loss="softmax_ce")
    assert soft.predict(X).shape == (5,) and set(soft.predict(X)) <= {0, 1, 2}
    sig = nnkit.MLP([2, 1], output="sigmoid", loss="bce")
    assert set(np.unique(sig.predict(X))) <= {0, 1}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_through_forward_and_backward(dtype):
    model = nnkit.MLP([3, 4, 2], dtype=dtype)
    X, Y = data([3, 4, 2], "sigmoid", 0)
    out, cache = model.forward(X)
    grads = model.backward(cache, Y)
    assert out.dtype == dtype and all(g.dtype == dtype for g in grads.values())


def test_same_seed_same_weights_other_seed_other_weights():
    a, b, c = nnkit.MLP([3, 4, 2], seed=5), nnkit.MLP([3, 4, 2], seed=5), nnkit.MLP([3, 4, 2], seed=6)
    np.testing.assert_array_equal(a.params["W1"], b.params["W1"])
    assert not np.array_equal(a.params["W1"], c.params["W1"])
