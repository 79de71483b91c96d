"""Training: fit learns XOR and the 8x8 digits, deterministically for a seed."""
import numpy as np
import pytest

import nnkit


def train_xor(seed=0):
    X, Y = nnkit.datasets.xor()
    model = nnkit.MLP([2, 4, 1], hidden="tanh", output="sigmoid", loss="bce", seed=seed)
    history = nnkit.fit(model, X, Y, lr=0.5, epochs=2000, progress=False)
    return model, history


def test_xor_with_2_4_1_reaches_full_accuracy():
    model, history = train_xor()
    X, Y = nnkit.datasets.xor()
    assert model.accuracy(X, Y) == 1.0
    np.testing.assert_array_equal(model.predict(X), Y.astype(int))
    assert history["loss"][-1] < history["loss"][0]


def test_training_is_deterministic_for_a_seed():
    _, first = train_xor(seed=3)
    _, again = train_xor(seed=3)
    assert first == again


def test_digits_with_32_hidden_units_reach_95_percent_on_the_test_set():
    X_train, Y_train, X_test, Y_test = nnkit.datasets.digits()
    model = nnkit.MLP([64, 32, 10], hidden="relu", output="softmax", loss="softmax_ce", seed=0)
    history = nnkit.fit(model, X_train, Y_train, lr=0.1, epochs=30, batch_size=32, momentum=0.9, progress=False)
    assert model.accuracy(X_test, Y_test) >= 0.95
    assert len(history["loss"]) == len(history["accuracy"]) == 30


def test_minibatch_shuffling_depends_on_the_seed():
    X, Y = nnkit.datasets.moons(64)
    runs = []
    for seed in (0, 0, 1):
        model = nnkit.MLP([2, 8, 1], hidden="tanh", loss="bce")
        runs.append(nnkit.fit(model, X, Y, lr=0.1, epochs=3, batch_size=8, seed=seed, progress=False)["loss"])
    assert runs[0] == runs[1] and runs[0] != runs[2]


def test_fit_on_the_homework_is_repeated_sgd_step():
    """One full-batch epoch of fit on the homework sample is exactly one nnkit.sgd_step."""
    model = nnkit.MLP.from_homework()
    nnkit.fit(model, [nnkit.HOMEWORK_X], [nnkit.HOMEWORK_TARGET], lr=0.5, epochs=1, progress=False)
    params = nnkit.homework_params()
    stepped = nnkit.sgd_step(params, nnkit.backward(params), lr=0.5)
    from nnkit.mlp import HOMEWORK_POSITIONS
    for name, (key, index) in HOMEWORK_POSITIONS.items():
        assert model.params[key][index] == pytest.approx(stepped[name], rel=1e-13)


def test_callback_sees_every_epoch_and_can_stop():
    seen = []
    X, Y = nnkit.datasets.xor()
    model = nnkit.MLP([2, 3, 1])
    history = nnkit.fit(model, X, Y, lr=0.1, epochs=10, progress=False,
                        callback=lambda epoch, m, h: seen.append(epoch) or epoch == 3)
    assert seen == [0, 1, 2, 3] and len(history["loss"]) == 4


def test_momentum_changes_the_path():
    X, Y = nnkit.datasets.xor()
    a = nnkit.fit(nnkit.MLP([2, 3, 1]), X, Y, lr=0.1, epochs=20, progress=False)
    b = nnkit.fit(nnkit.MLP([2, 3, 1]), X, Y, lr=0.1, epochs=20, momentum=0.9, progress=False)
    assert a["loss"][0] == b["loss"][0] and a["loss"][-1] != b["loss"][-1]


def test_regression_history_has_no_accuracy():
    model = nnkit.MLP([1, 1], output="identity")
    history = nnkit.fit(model, [[0.0], [1.0]], [[1.0], [3.0]], lr=0.1, epochs=2, progress=False)
    assert set(history) == {"loss"}


def test_divergence_is_reported_not_returned_as_nan():
    model = nnkit.MLP([1, 1], output="identity")
    with pytest.raises(FloatingPointError, match="smaller learning rate"):
        with np.errstate(over="ignore", invalid="ignore"):
            nnkit.fit(model, [[1e3]], [[1.0]], lr=1e6, epochs=50, progress=False)


class PublicOnly:
    """An MLP seen only through its public methods and attributes."""

    def __init__(self, model):
        self._model = model

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(f"fit used the private {name}")
        return getattr(self._model, name)


def test_fit_needs_only_the_public_methods_of_mlp():
    X, Y = nnkit.datasets.moons(32)
    direct, wrapped = nnkit.MLP([2, 4, 1], loss="bce"), nnkit.MLP([2, 4, 1], loss="bce")
    settings = {"lr": 0.5, "epochs": 3, "batch_size": 8, "momentum": 0.5, "progress": False}
    assert nnkit.fit(PublicOnly(wrapped), X, Y, **settings) == nnkit.fit(direct, X, Y, **settings)
    for key in direct.params:
        np.testing.assert_array_equal(wrapped.params[key], direct.params[key])
