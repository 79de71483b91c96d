"""Data sets come out seeded, finite and shaped for MLP."""
import numpy as np
import pytest

import nnkit
from nnkit import datasets


@pytest.mark.parametrize("name", ["moons", "circles", "spirals"])
def test_two_class_sets_are_seeded_and_shaped(name):
    X, Y = datasets.DATASETS[name](n_samples=100, seed=1)
    X2, Y2 = datasets.DATASETS[name](n_samples=100, seed=1)
    assert X.shape == (100, 2) and Y.shape == (100, 1) and X.dtype == Y.dtype == np.float64
    np.testing.assert_array_equal(X, X2)
    assert set(np.unique(Y)) == {0.0, 1.0}


def test_spirals_with_three_classes_are_one_hot():
    X, Y = datasets.spirals(n_samples=90, classes=3)
    assert X.shape == (90, 2) and Y.shape == (90, 3)
    np.testing.assert_array_equal(Y.sum(axis=1), 1)


def test_xor_is_the_truth_table():
    X, Y = datasets.xor()
    np.testing.assert_array_equal(Y[:, 0], np.logical_xor(X[:, 0], X[:, 1]))


def test_digits_split_is_fixed_and_stratified():
    X_train, Y_train, X_test, Y_test = datasets.digits()
    again = datasets.digits()
    np.testing.assert_array_equal(X_test, again[2])
    assert X_train.shape[1] == 64 and Y_train.shape[1] == 10
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0
    assert len(X_test) == pytest.approx(0.2 * (len(X_train) + len(X_test)), abs=1)
    assert set(Y_test.argmax(axis=1)) == set(range(10))


def test_datasets_feed_an_mlp():
    X, Y = datasets.moons()
    nnkit.MLP([2, 3, 1], loss="bce").loss(X, Y)
