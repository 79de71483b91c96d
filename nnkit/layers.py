"""Layers for the general network, CS231n style: forward returns (out, cache), backward uses it.

Shapes: a batch is a matrix with one sample per row. X: (n, d_in), W: (d_in, d_out), b: (d_out,)
(or (1,) for a bias shared by the whole layer, as in the homework), Z = X @ W + b: (n, d_out).
"""
import numpy as np


def dense_forward(X, W, b):
    """Z = X @ W + b.  X: (n, d_in), W: (d_in, d_out), b: (d_out,) or (1,) -> Z: (n, d_out)."""
    return X @ W + b, (X, W, b.shape)


def dense_backward(dZ, cache, input_grad=True):
    """Given dZ = ∂L/∂Z: (n, d_out), return (dX, dW, db) with the shapes of X, W and b.

    dX = dZ Wᵀ, dW = Xᵀ dZ and db = Σ_rows dZ; a shared bias sums over every unit as well.
    input_grad=False skips dX (returns None): the first layer's inputs are data, not parameters.
    """
    X, W, b_shape = cache
    dX = dZ @ W.T if input_grad else None
    dW = X.T @ dZ
    db = dZ.sum(axis=0)
    if b_shape == (1,):
        db = db.sum(keepdims=True)
    return dX, dW, db


def sigmoid(Z):
    """σ(Z) = 1 / (1 + e^(−Z)) elementwise, without overflow for large |Z|."""
    e = np.exp(-np.abs(Z))  # e^(−|Z|) ≤ 1 never overflows
    return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(Z):
    """Row-wise softmax: exp(Z) / Σ exp(Z); the row max is subtracted first to avoid overflow."""
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# Each activation: forward A = f(Z), and backward dZ = dA · f'(Z) written with whatever
# (Z or A) makes f' simplest.
def activation_forward(Z, name):
    """A = f(Z) for f in ACTIVATIONS; returns (A, cache)."""
    if name == "sigmoid":
        A = sigmoid(Z)
    elif name == "tanh":
        A = np.tanh(Z)
    elif name == "relu":
        A = np.maximum(Z, 0)
    elif name == "softmax":
        A = softmax(Z)
    else:  # identity
        A = Z
    return A, (name, Z, A)


def activation_backward(dA, cache):
    """dZ = ∂L/∂Z from dA = ∂L/∂A and the cache of `activation_forward`."""
    name, Z, A = cache
    if name == "sigmoid":
        return dA * A * (1 - A)                 # σ' = σ(1 − σ)
    if name == "tanh":
        return dA * (1 - A * A)                 # tanh' = 1 − tanh²
    if name == "relu":
        return dA * (Z > 0)
    if name == "softmax":                       # Jacobian diag(a) − a aᵀ, applied row by row
        return A * (dA - (dA * A).sum(axis=1, keepdims=True))
    return dA


HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
OUTPUT_ACTIVATIONS = ("sigmoid", "identity", "softmax")
