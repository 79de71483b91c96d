"""Layers for the general network, CS231n style: forward returns (out, cache), backward uses it.

Shapes: a batch is a matrix with one sample per row. X: (n, d_in), W: (d_in, d_out), b: (d_out,)
(or (1,) for a bias shared by the whole layer, as in the homework), Z = X @ W + b: (n, d_out).
"""
import numpy as np


def dense_forward(X, W, b):
    """Z = X @ W + b.  X: (n, d_in), W: (d_in, d_out), b: (d_out,) or (1,) -> Z: (n, d_out).
    Float arrays of one dtype (as MLP keeps them): b is added into X @ W in place."""
    Z = X @ W
    Z += b   # in place: `X @ W + b` would make a second (n, d_out) array for the sum
    return Z, (X, W, b.shape)


def dense_backward(dZ, cache, input_grad=True):
    """Given dZ = ∂L/∂Z: (n, d_out), return (dX, dW, db) with the shapes of X, W and b.

    dX = dZ Wᵀ, dW = Xᵀ dZ and db = Σ_rows dZ; a shared bias sums over every unit as well.
    input_grad=False skips dX (returns None): the first layer's inputs are data, not parameters.
    """
    X, W, b_shape = cache
    dX = None
    if input_grad:
        # With one output unit, dZ Wᵀ is an outer product (n, 1) @ (1, d_in): broadcasting
        # dZ * Wᵀ gives the same (n, d_in) array in one pass, without a matrix product over k = 1.
        dX = dZ * W.T if W.shape[1] == 1 else dZ @ W.T
    dW = X.T @ dZ
    if b_shape == (1,):
        db = dZ.sum(keepdims=True).reshape(1)   # one shared bias: every unit of every row
    else:
        db = dZ.sum(axis=0)
    return dX, dW, db


def sigmoid(Z):
    """σ(Z) = 1 / (1 + e^(−Z)) elementwise, without overflow for large |Z|."""
    e = np.exp(-np.abs(Z))                  # e^(−|Z|) ≤ 1 never overflows
    return np.where(Z >= 0, 1, e) / (1 + e)  # 1/(1 + e^(−Z)) for Z ≥ 0, e^Z/(1 + e^Z) for Z < 0


def softmax(Z):
    """Row-wise softmax: exp(Z) / Σ exp(Z); the row max is subtracted first to avoid overflow."""
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# Each activation: forward A = f(Z), and backward dZ = dA · f'(Z) with f' written in terms of
# A alone (σ' = σ(1 − σ), tanh' = 1 − tanh², relu' = [A > 0]), so the cache keeps only A.
def activation_forward(Z, name, in_place=False):
    """A = f(Z) for f in ACTIVATIONS; returns (A, cache).

    in_place=True may write A over Z (tanh and relu do; Z is then gone). A hidden layer's Z is
    not needed once A is known, so the network saves one (n, d) array per layer this way.
    """
    out = Z if in_place else None
    if name == "sigmoid":
        A = sigmoid(Z)
    elif name == "tanh":
        A = np.tanh(Z, out=out)
    elif name == "relu":
        A = np.maximum(Z, 0, out=out)
    elif name == "softmax":
        A = softmax(Z)
    else:  # identity
        A = Z
    return A, (name, A)


def activation_backward(dA, cache, out=None):
    """dZ = ∂L/∂Z from dA = ∂L/∂A and the cache of `activation_forward`.

    out=dA writes dZ over dA (the network does this: dA is not needed afterwards).
    """
    name, A = cache
    if name == "sigmoid":
        slope = A * (1 - A)                         # σ' = σ(1 − σ)
    elif name == "tanh":
        slope = A * A                               # tanh' = 1 − tanh², computed in place
        np.subtract(1, slope, out=slope)            # in `slope` (one temporary, not two)
    elif name == "relu":
        slope = A > 0
    elif name == "softmax":                         # Jacobian diag(a) − a aᵀ, applied row by row
        return np.multiply(A, dA - (dA * A).sum(axis=1, keepdims=True), out=out)
    else:
        return dA
    return np.multiply(dA, slope, out=out)


HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
OUTPUT_ACTIVATIONS = ("sigmoid", "identity", "softmax")
