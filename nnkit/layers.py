"""Layers for the general network, CS231n style: each `x_forward` returns (out, cache) and the
`x_backward` beside it turns ∂L/∂out and that cache into ∂L/∂(its inputs).

Shapes: a batch is a matrix with one sample per row. X: (n, d_in), W: (d_in, d_out), b: (d_out,)
(or (1,) for a bias shared by the whole layer, as in the homework), Z = X @ W + b: (n, d_out).
"""
import numpy as np


def dense_forward(X, W, b):
    """Z = X @ W + b.  X: (n, d_in), W: (d_in, d_out), b: (d_out,) or (1,) -> Z: (n, d_out)."""
    Z = X @ W + b
    return Z, (X, W, b)


def dense_backward(dZ, cache, input_grad=True):
    """From dZ = ∂L/∂Z: (n, d_out), return (dX, dW, db) with the shapes of X, W and b.

    Z_ij = Σ_k X_ik W_kj + b_j, so ∂L/∂X = dZ Wᵀ, ∂L/∂W = Xᵀ dZ and ∂L/∂b_j = Σ_i dZ_ij:
    b_j is added to every row, so its gradient sums over the rows.
    input_grad=False returns None for dX: the first layer's X is the data, and backpropagation
    needs the gradient of the parameters only, not of the data.
    """
    X, W, b = cache
    dX = dZ @ W.T if input_grad else None
    dW = X.T @ dZ
    db = dZ.sum(axis=0)
    if b.shape == (1,):
        db = db.sum(keepdims=True)   # a shared bias is added to every unit too: sum over them
    return dX, dW, db


# Activations, each a pair A = f(Z) and dZ = dA · f'(Z). Every f' here can be written with A
# alone (σ' = σ(1 − σ), tanh' = 1 − tanh², relu' = [A > 0]), so the cache is just A.

def sigmoid(Z):
    """σ(Z) = 1 / (1 + e^(−Z)) elementwise, without overflow for large |Z|."""
    e = np.exp(-np.abs(Z))                  # e^(−|Z|) ≤ 1 never overflows
    return np.where(Z >= 0, 1, e) / (1 + e)  # 1/(1 + e^(−Z)) for Z ≥ 0, e^Z/(1 + e^Z) for Z < 0


def sigmoid_forward(Z):
    A = sigmoid(Z)
    return A, A


def sigmoid_backward(dA, A):
    return dA * (A * (1 - A))       # σ'(z) = σ(z)(1 − σ(z))


def tanh_forward(Z):
    A = np.tanh(Z)
    return A, A


def tanh_backward(dA, A):
    return dA * (1 - A * A)         # tanh'(z) = 1 − tanh²(z)


def relu_forward(Z):
    A = np.maximum(Z, 0)
    return A, A


def relu_backward(dA, A):
    return dA * (A > 0)             # relu'(z) = 1 where z > 0, else 0 (and 0 at z = 0)


def identity_forward(Z):
    return Z, None


def identity_backward(dA, cache):
    return dA                       # f(z) = z, f'(z) = 1


def softmax(Z):
    """Row-wise softmax: exp(Z) / Σ exp(Z); the row max is subtracted first to avoid overflow
    (softmax(z − c) = softmax(z) for any constant c)."""
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_forward(Z):
    A = softmax(Z)
    return A, A


def softmax_backward(dA, A):
    # Each row's Jacobian is ∂a_j/∂z_k = a_j([j = k] − a_k), so dz_k = a_k (da_k − Σ_j da_j a_j).
    return A * (dA - (dA * A).sum(axis=1, keepdims=True))


ACTIVATIONS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "identity": (identity_forward, identity_backward),
    "softmax": (softmax_forward, softmax_backward),
}
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
OUTPUT_ACTIVATIONS = ("sigmoid", "identity", "softmax")
