"""Losses, CS231n style: each returns (value, gradient), the value being the mean over the batch
of a per-sample loss. A: (n, k) network outputs, Z: (n, k) output pre-activations, Y: (n, k) targets.

sse, half_sse and mse take the outputs A and return ∂L/∂A. bce and softmax_ce take the
pre-activations Z and return ∂L/∂Z directly: written in terms of Z they never take log(0), so
they stay finite at |Z| = 1000, and their gradient simplifies to (σ(Z) − Y)/n or (softmax(Z) − Y)/n.
"""
import numpy as np

from .layers import sigmoid, softmax


def sse(A, Y):
    """Σ_k (a_k − y_k)², the homework's loss, averaged over the batch; ∂L/∂A = 2(A − Y)/n."""
    n = A.shape[0]
    diff = A - Y
    return float((diff * diff).sum() / n), 2 * diff / n


def half_sse(A, Y):
    """½ Σ_k (a_k − y_k)²: the same minimum, and the 2 of the derivative cancels."""
    value, dA = sse(A, Y)
    return 0.5 * value, 0.5 * dA


def mse(A, Y):
    """(1/k) Σ_k (a_k − y_k)², the mean over outputs as well as over the batch."""
    value, dA = sse(A, Y)
    k = A.shape[1]
    return value / k, dA / k


def bce(Z, Y):
    """Binary cross-entropy of σ(Z): −[y log σ(z) + (1 − y) log(1 − σ(z))] summed over outputs.

    With log σ(z) = −log(1 + e^(−z)) this is log(1 + e^z) − y·z (logaddexp(0, z) keeps it
    finite), and its derivative is σ(z) − y: the gradient is (σ(Z) − Y)/n.
    """
    n = Z.shape[0]
    value = (np.logaddexp(0, Z) - Y * Z).sum() / n
    return float(value), (sigmoid(Z) - Y) / n


def softmax_ce(Z, Y):
    """Cross-entropy of softmax(Z) against one-hot (or probability) rows Y: −Σ_k y_k log p_k.

    With log p_k = z_k − logsumexp(z) and Σ_k y_k = 1 this is logsumexp(z) − Σ_k y_k z_k, and
    its gradient is (softmax(Z) − Y)/n. logsumexp subtracts the row max before exp, as softmax does.
    """
    n = Z.shape[0]
    z_max = Z.max(axis=1, keepdims=True)
    logsumexp = z_max[:, 0] + np.log(np.exp(Z - z_max).sum(axis=1))
    value = (logsumexp - (Y * Z).sum(axis=1)).sum() / n
    return float(value), (softmax(Z) - Y) / n


LOSSES = {"sse": sse, "half_sse": half_sse, "mse": mse, "bce": bce, "softmax_ce": softmax_ce}
# The losses that take Z, and the output activation each belongs with.
FROM_LOGITS = {"bce": "sigmoid", "softmax_ce": "softmax"}
