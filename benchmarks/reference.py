"""Hand-written numpy reference networks: what a competent person writes without a library.

Straightforward and not tuned down: whole-array numpy expressions, `X @ W + b` layers, the
usual formulas for each activation and loss. This is the yardstick of nnkit's core: timed in the
same run, nnkit's step should stay within 1.5x of it (benchmarks/report.py).
Conventions match nnkit: rows are samples, W: (n_in, n_out), losses are means over the batch.
"""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---- T1: the homework's 2-2-2 network on its one sample, as vectors and matrices ----

def homework_matrices(p):
    """The ten homework parameters as x @ W1 + b1 matrices (W1[:, 0] = (w1, w2) feeds h1)."""
    W1 = np.array([[p["w1"], p["w3"]], [p["w2"], p["w4"]]])
    W2 = np.array([[p["w5"], p["w7"]], [p["w6"], p["w8"]]])
    return {"W1": W1, "b1": np.array(p["b1"]), "W2": W2, "b2": np.array(p["b2"])}


def homework_loss_and_grads(m, x, t):
    """L = Σ (O − Ô)² and its gradients; the shared biases b1, b2 sum over their units."""
    h = sigmoid(x @ m["W1"] + m["b1"])
    o = sigmoid(h @ m["W2"] + m["b2"])
    loss = np.sum((o - t) ** 2)
    d_o_in = 2 * (o - t) * o * (1 - o)
    d_h_in = (m["W2"] @ d_o_in) * h * (1 - h)
    grads = {"W1": np.outer(x, d_h_in), "b1": d_h_in.sum(),
             "W2": np.outer(h, d_o_in), "b2": d_o_in.sum()}
    return float(loss), grads


def homework_step(m, x, t, lr):
    loss, grads = homework_loss_and_grads(m, x, t)
    for key in m:
        m[key] = m[key] - lr * grads[key]
    return loss


# ---- T2–T4: a fully connected network of any depth ----

ACTIVATIONS = {
    "tanh": (np.tanh, lambda a: 1 - a ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda a: (a > 0).astype(a.dtype)),
    "sigmoid": (sigmoid, lambda a: a * (1 - a)),
}


def bce(z, y):
    """Binary cross-entropy of sigmoid(z), summed over outputs, mean over the batch."""
    a = sigmoid(z)
    loss = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / len(z)
    return loss, (a - y) / len(z)


def softmax_ce(z, y):
    """Cross-entropy of softmax(z) against one-hot rows y, mean over the batch."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.sum(y * (z - np.log(e.sum(axis=1, keepdims=True)))) / len(z)
    return loss, (p - y) / len(z)


LOSSES = {"bce": bce, "softmax_ce": softmax_ce}


class Network:
    """params: {"W1", "b1", "W2", "b2", ...}; hidden activation and an output loss on the logits."""

    def __init__(self, params, hidden, loss):
        self.params = {k: v.copy() for k, v in params.items()}
        self.n_layers = len(params) // 2
        self.act, self.act_grad = ACTIVATIONS[hidden]
        self.loss_fn = LOSSES[loss]

    def loss_and_grads(self, X, Y):
        p = self.params
        activations = [X]
        for i in range(1, self.n_layers):
            activations.append(self.act(activations[-1] @ p[f"W{i}"] + p[f"b{i}"]))
        z = activations[-1] @ p[f"W{self.n_layers}"] + p[f"b{self.n_layers}"]
        loss, dz = self.loss_fn(z, Y)

        grads = {}
        for i in range(self.n_layers, 0, -1):
            a_prev = activations[i - 1]
            grads[f"W{i}"] = a_prev.T @ dz
            grads[f"b{i}"] = dz.sum(axis=0)
            if i > 1:
                dz = (dz @ p[f"W{i}"].T) * self.act_grad(a_prev)
        return float(loss), grads

    def step(self, X, Y, lr):
        loss, grads = self.loss_and_grads(X, Y)
        for key, g in grads.items():
            self.params[key] -= lr * g
        return loss
