"""Gradient checking works on any params dict, and flags a wrong gradient."""
import numpy as np
import pytest

import nnkit


def test_numerical_gradient_of_a_known_function():
    """f(a, B) = a² + Σ B³ has ∂f/∂a = 2a and ∂f/∂B = 3B², derived by hand."""
    params = {"a": 1.5, "B": np.array([[1.0, -2.0], [0.5, 3.0]])}
    grads = nnkit.numerical_gradient(lambda p: p["a"] ** 2 + np.sum(p["B"] ** 3), params)
    assert isinstance(grads["a"], float)
    assert nnkit.rel_error(grads["a"], 2 * 1.5) < 1e-9
    assert nnkit.rel_error(grads["B"], 3 * params["B"] ** 2) < 1e-9


def test_numerical_gradient_does_not_change_params():
    params = {"B": np.array([1.0, 2.0])}
    nnkit.numerical_gradient(lambda p: float(np.sum(p["B"] ** 2)), params)
    np.testing.assert_array_equal(params["B"], [1.0, 2.0])


def test_rel_error_is_cs231ns():
    assert nnkit.rel_error(1.0, 1.0) == 0.0
    assert nnkit.rel_error([1.0, 2.0], [1.0, 3.0]) == pytest.approx(1 / 5)
    assert nnkit.rel_error(0.0, 0.0) == 0.0


def test_check_gradients_catches_a_wrong_backward(monkeypatch):
    model = nnkit.MLP([2, 3, 1], seed=0)
    X, Y = np.random.default_rng(0).normal(size=(4, 2)), np.ones((4, 1))
    assert max(nnkit.check_gradients(model, X, Y).values()) < 1e-6
    right = model.loss_and_grads

    def wrong(X, Y):   # backprop with a slip: twice the true gradient of W1
        loss, grads = right(X, Y)
        return loss, {**grads, "W1": 2 * grads["W1"]}
    monkeypatch.setattr(model, "loss_and_grads", wrong)
    table = nnkit.check_gradients(model, X, Y)
    assert table["W1"] > 0.1 and table["W2"] < 1e-6
    assert "W1" in str(table) and "| W1 |" in table._repr_markdown_()


def test_check_gradients_restores_the_model():
    model = nnkit.MLP([2, 3, 1], seed=0)
    before = {k: v.copy() for k, v in model.params.items()}
    nnkit.check_gradients(model, np.ones((2, 2)), np.ones((2, 1)))
    for key in before:
        np.testing.assert_array_equal(model.params[key], before[key])
