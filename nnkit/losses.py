"""Losses: each returns (value, gradient), the value being the mean over the batch of a
per-sample loss. A: (n, k) network outputs, Z: (n, k) output pre-activations, Y: (n, k) targets.

sse, half_sse and mse take the outputs A and return ∂L/∂A. bce and softmax_ce take the
pre-activations Z and return ∂L/∂Z directly: written in terms of Z they never take log(0), so
they stay finite at |Z| = 1000, and their gradient simplifies to (σ(Z) − Y)/n or (softmax(Z) − Y)/n.
"""
import numpy as np

from .layers import sigmoid, softmax


def sse(A, Y):
    """Σ_k (a_k − y_k)², the homework's loss, averaged over the batch."""
    n = A.shape[0]
    diff = A - Y
    value = float((diff * diff).sum() / n)
    diff *= 2       # ∂L/∂A = 2(A − Y)/n, computed in diff's own array
    diff /= n
    return value, diff


def half_sse(A, Y):
    """½ Σ_k (a_k − y_k)²: the same minimum, and the 2 of the derivative cancels."""
    value, dA = sse(A, Y)
    return 0.5 * value, 0.5 * dA


def mse(A, Y):
    """(1/k) Σ_k (a_k − y_k)², the mean over outputs as well as over the batch."""
    value, dA = sse(A, Y)
    k = A.shape[1]
    return value / k, dA / k


def bce(Z, Y, A=None):
    """Binary cross-entropy of σ(Z): −[y log σ(z) + (1 − y) log(1 − σ(z))] summed over outputs.

    Written as log(1 + e^z) − y·z (logaddexp keeps it finite), with gradient (σ(Z) − Y)/n.
    A: σ(Z), if the caller has it already (the network's output), so it is not computed twice.
    """
    n = Z.shape[0]
    value = (np.logaddexp(0, Z) - Y * Z).sum() / n
    return float(value), ((sigmoid(Z) if A is None else A) - Y) / n


def softmax_ce(Z, Y, A=None):
    """Cross-entropy of softmax(Z) against one-hot (or probability) rows Y: −Σ_k y_k log p_k.

    Written as logsumexp(z) − Σ_k y_k z_k, with gradient (softmax(Z) − Y)/n.
    A: softmax(Z), if the caller has it already (the network's output).
    """
    n = Z.shape[0]
    z_max = Z.max(axis=1, keepdims=True)
    logsumexp = z_max[:, 0] + np.log(np.exp(Z - z_max).sum(axis=1))
    value = (logsumexp - (Y * Z).sum(axis=1)).sum() / n
    return float(value), ((softmax(Z) if A is None else A) - Y) / n


OUTPUT_LOSSES = {"sse": sse, "half_sse": half_sse, "mse": mse}   # take the outputs A
LOGIT_LOSSES = {"bce": ("sigmoid", bce), "softmax_ce": ("softmax", softmax_ce)}  # take Z
LOSSES = tuple(OUTPUT_LOSSES) + tuple(LOGIT_LOSSES)
