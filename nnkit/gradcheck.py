"""Gradient checking: compare backprop's gradients with central finite differences.

    ∂f/∂p ≈ (f(p + h) − f(p − h)) / 2h       (error O(h²))

rel_error is CS231n's: |a − b| / max(1e-8, |a| + |b|), its largest value over the entries.
Below about 1e-7 the gradients agree; around 1e-2 and above something is wrong.
"""
import numpy as np


def numerical_gradient(f, params, h=1e-5):
    """Central-difference gradient of f(params) -> float, for every entry of every parameter.

    params: dict of floats or numpy arrays. f is called with dicts of the same keys in which
    one entry has been moved by ±h; `params` itself is never changed. Returns a dict with the
    same keys, floats for floats and arrays for arrays.
    """
    grads = {}
    for name, value in params.items():
        is_scalar = np.ndim(value) == 0 and not isinstance(value, np.ndarray)
        base = np.array(value, dtype=float)
        grad = np.zeros_like(base)
        for index in np.ndindex(base.shape):
            shifted = base.copy()
            shifted[index] += h
            f_plus = f({**params, name: float(shifted) if is_scalar else shifted})
            shifted[index] -= 2 * h
            f_minus = f({**params, name: float(shifted) if is_scalar else shifted})
            grad[index] = (f_plus - f_minus) / (2 * h)
        grads[name] = float(grad) if is_scalar else grad
    return grads


def rel_error(a, b):
    """Largest relative error between a and b (floats or arrays of one shape)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


class GradCheck(dict):
    """{parameter name: largest relative error}, shown as a table."""

    def __str__(self):
        rows = [f"{'parameter':<10} {'max rel. error':>15}"]
        rows += [f"{name:<10} {err:>15.2e}" for name, err in self.items()]
        return "\n".join(rows)

    def _repr_markdown_(self):
        return "| parameter | max relative error |\n|---|---|\n" + "\n".join(
            f"| {name} | {err:.2e} |" for name, err in self.items())


def check_gradients(model, X, Y, h=1e-5):
    """Backprop's gradients of `model` (an MLP) on (X, Y) against central differences.

    Returns a GradCheck table {parameter: max relative error}. Use float64: in float32 the
    differences drown in rounding.
    """
    _, analytic = model.loss_and_grads(X, Y)
    original = model.params

    def f(params):
        model.params = params
        return model.loss(X, Y)

    try:
        numeric = numerical_gradient(f, original, h)
    finally:
        model.params = original
    return GradCheck((name, rel_error(analytic[name], numeric[name])) for name in original)
