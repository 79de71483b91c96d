"""micrograd (PyPI `micrograd==0.1.0`, Karpathy's scalar autograd) on T1 and T2.

micrograd's `Value` has +, *, ** and relu. tanh, sigmoid and log are added below as single
nodes in its own style: compute the output, and a `_backward` closure that adds the local
derivative times `out.grad` to the input's grad.
"""
import math

from micrograd.engine import Value


def tanh(v):
    out = Value(math.tanh(v.data), (v,), "tanh")

    def _backward():
        v.grad += (1 - out.data ** 2) * out.grad
    out._backward = _backward
    return out


def sigmoid(v):
    out = Value(1 / (1 + math.exp(-v.data)), (v,), "sigmoid")

    def _backward():
        v.grad += out.data * (1 - out.data) * out.grad
    out._backward = _backward
    return out


def log(v):
    out = Value(math.log(v.data), (v,), "log")

    def _backward():
        v.grad += (1 / v.data) * out.grad
    out._backward = _backward
    return out


def _zero_grad(values):
    for v in values:
        v.grad = 0


class Homework:
    """T1: the homework's 2-2-2 sigmoid network, one sample, L = Σ (O − Ô)²."""

    def __init__(self, params):
        self.p = {name: Value(float(value)) for name, value in params.items()}

    def loss(self, x, t):
        p = self.p
        h1 = sigmoid(p["w1"] * x[0] + p["w2"] * x[1] + p["b1"])
        h2 = sigmoid(p["w3"] * x[0] + p["w4"] * x[1] + p["b1"])
        o1 = sigmoid(p["w5"] * h1 + p["w6"] * h2 + p["b2"])
        o2 = sigmoid(p["w7"] * h1 + p["w8"] * h2 + p["b2"])
        return (o1 - t[0]) ** 2 + (o2 - t[1]) ** 2

    def loss_and_grads(self, x, t):
        _zero_grad(self.p.values())
        loss = self.loss(x, t)
        loss.backward()
        return loss.data, {name: v.grad for name, v in self.p.items()}

    def step(self, x, t, lr):
        loss, _ = self.loss_and_grads(x, t)
        for v in self.p.values():
            v.data -= lr * v.grad
        return loss


class Network:
    """T2: tanh hidden layers, one sigmoid output, binary cross-entropy, full batch.

    Weights are lists of lists of Values, W[i][j] from input i to unit j (nnkit's layout).
    """

    def __init__(self, params):
        self.n_layers = len(params) // 2
        self.W = [[[Value(float(w)) for w in row] for row in params[f"W{i}"]]
                  for i in range(1, self.n_layers + 1)]
        self.b = [[Value(float(b)) for b in params[f"b{i}"]] for i in range(1, self.n_layers + 1)]

    def parameters(self):
        for W, b in zip(self.W, self.b):
            yield from (w for row in W for w in row)
            yield from b

    def logit(self, x):
        a = x
        for layer, (W, b) in enumerate(zip(self.W, self.b), start=1):
            z = [sum((W[i][j] * a[i] for i in range(len(a))), b[j]) for j in range(len(b))]
            a = z if layer == self.n_layers else [tanh(v) for v in z]
        return a[0]

    def loss(self, X, Y):
        total = Value(0.0)
        for x, y in zip(X.tolist(), Y[:, 0].tolist()):
            o = sigmoid(self.logit(x))
            total = total - (y * log(o) + (1 - y) * log(1 - o))
        return total * (1 / len(X))

    def loss_and_grads(self, X, Y):
        params = list(self.parameters())
        _zero_grad(params)
        loss = self.loss(X, Y)
        loss.backward()
        grads = {}
        for i, (W, b) in enumerate(zip(self.W, self.b), start=1):
            grads[f"W{i}"] = [[w.grad for w in row] for row in W]
            grads[f"b{i}"] = [v.grad for v in b]
        return loss.data, grads

    def step(self, X, Y, lr):
        loss, _ = self.loss_and_grads(X, Y)
        for v in self.parameters():
            v.data -= lr * v.grad
        return loss
