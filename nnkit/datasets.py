"""Small data sets for classification, seeded so every run sees the same samples.

Each returns float arrays ready for MLP: X: (n, d) and Y: (n, 1) with 0/1 labels for the
two-class sets, or one-hot Y: (n, k) for more classes. scikit-learn generates moons and circles
and ships the 8x8 digits, so nothing is downloaded.
"""
import numpy as np

from . import validate


def _binary(X, y):
    return X.astype(float), y.astype(float).reshape(-1, 1)


def one_hot(y, k):
    """Integer labels y: (n,) -> one-hot rows (n, k)."""
    return np.eye(k)[np.asarray(y, dtype=int)]


def xor():
    """The four corners of the unit square; label 1 where exactly one coordinate is 1."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array([[0], [1], [1], [0]], dtype=float)


def moons(n_samples=200, noise=0.2, seed=0):
    """Two interleaving half circles (scikit-learn's make_moons)."""
    n_samples = validate.positive_int("n_samples", n_samples)
    noise = validate.finite_number("noise", noise)
    from sklearn.datasets import make_moons  # here, not at the top: `import nnkit` needs no scikit-learn
    return _binary(*make_moons(n_samples=n_samples, noise=noise, random_state=seed))


def circles(n_samples=200, noise=0.1, factor=0.5, seed=0):
    """A small circle inside a larger one (scikit-learn's make_circles)."""
    n_samples = validate.positive_int("n_samples", n_samples)
    noise = validate.finite_number("noise", noise)
    from sklearn.datasets import make_circles
    return _binary(*make_circles(n_samples=n_samples, noise=noise, factor=factor, random_state=seed))


def spirals(n_samples=200, noise=0.2, classes=2, seed=0):
    """Interleaved spiral arms, one per class (CS231n's spiral data). Y is (n, 1) for two
    classes, one-hot (n, classes) for more."""
    n_samples = validate.positive_int("n_samples", n_samples)
    noise = validate.finite_number("noise", noise)
    classes = validate.positive_int("classes", classes)
    rng = np.random.default_rng(seed)
    per_class = n_samples // classes
    X, y = [], []
    for k in range(classes):
        radius = np.linspace(0.0, 1.0, per_class)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, per_class) + rng.normal(0, noise, per_class)
        X.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        y.append(np.full(per_class, k))
    X, y = np.concatenate(X), np.concatenate(y)
    return _binary(X, y) if classes == 2 else (X, one_hot(y, classes))


def digits(test_size=0.2, seed=0):
    """scikit-learn's 1,797 handwritten 8x8 digits, pixels scaled to [0, 1], split (stratified,
    seeded) into (X_train, Y_train, X_test, Y_test) with one-hot Y: (n, 10)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    data = load_digits()
    X = data.data / 16.0
    X_train, X_test, y_train, y_test = train_test_split(
        X, data.target, test_size=test_size, random_state=seed, stratify=data.target)
    return X_train, one_hot(y_train, 10), X_test, one_hot(y_test, 10)


DATASETS = {"xor": xor, "moons": moons, "circles": circles, "spirals": spirals}
