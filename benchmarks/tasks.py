"""The benchmark tasks, and every implementation of each, built from the same weights and data.

An implementation is an `Impl(name, step, loss_and_grads)`: `step()` does one SGD step
(forward + loss + backward + update) and `loss_and_grads()` returns (loss, {param: gradient})
at the current weights, for the agreement check that runs before any timing.

    T1  the homework's 2-2-2 sigmoid network on its one sample, L = Σ (O − Ô)²
    T2  two moons, 256 samples, 2-16-16-1, tanh hidden, sigmoid output + cross-entropy
    T3  two moons, 4096 samples, 2-256-256-1, tanh hidden, sigmoid output + cross-entropy
    T4  784-128-10, relu hidden, softmax cross-entropy, batch 128, random data
"""
from dataclasses import dataclass
from collections.abc import Callable

import numpy as np

import nnkit
from nnkit.mlp import HOMEWORK_POSITIONS

from . import reference

LR = 0.1


@dataclass
class Impl:
    name: str
    step: Callable[[], object]
    loss_and_grads: Callable[[], tuple]


@dataclass
class Task:
    name: str
    title: str
    dtype: str = "float64"
    sizes: tuple = ()
    hidden: str = ""
    loss: str = ""
    n: int = 1

    @property
    def key(self):
        return f"{self.name} {self.dtype}" if self.name != "T1" else "T1"


TASKS = [
    Task("T1", "homework 2-2-2, 1 sample", sizes=(2, 2, 2)),
    Task("T2", "moons 256, 2-16-16-1 tanh", "float64", (2, 16, 16, 1), "tanh", "bce", 256),
    Task("T3", "moons 4096, 2-256-256-1 tanh", "float64", (2, 256, 256, 1), "tanh", "bce", 4096),
    Task("T3", "moons 4096, 2-256-256-1 tanh", "float32", (2, 256, 256, 1), "tanh", "bce", 4096),
    Task("T4", "784-128-10 relu, softmax CE, batch 128", "float64", (784, 128, 10), "relu", "softmax_ce", 128),
    Task("T4", "784-128-10 relu, softmax CE, batch 128", "float32", (784, 128, 10), "relu", "softmax_ce", 128),
]


def data(task):
    """(X, Y) of the task's dtype, seeded."""
    if task.name in ("T2", "T3"):
        X, Y = nnkit.datasets.moons(n_samples=task.n, noise=0.2, seed=0)
    else:
        rng = np.random.default_rng(0)
        X = rng.normal(size=(task.n, task.sizes[0]))
        Y = nnkit.datasets.one_hot(rng.integers(0, task.sizes[-1], size=task.n), task.sizes[-1])
    return X.astype(task.dtype), Y.astype(task.dtype)


def nnkit_model(task):
    output = "sigmoid" if task.loss == "bce" else "softmax"
    return nnkit.MLP(list(task.sizes), hidden=task.hidden, output=output, loss=task.loss,
                     seed=0, dtype=task.dtype)


# ---- T1 ----

def _homework_names(matrices):
    """{"W1", "b1", "W2", "b2"} arrays -> {"w1", ..., "b2"} floats (via HOMEWORK_POSITIONS)."""
    return {name: float(np.asarray(matrices[key]).reshape(-1)[0] if key.startswith("b")
                        else matrices[key][index])
            for name, (key, index) in HOMEWORK_POSITIONS.items()}


def homework_impls(available):
    x, t = nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET
    impls = []

    state = {"p": nnkit.homework_params()}

    def homework_step():
        f = nnkit.forward(state["p"], x)
        nnkit.loss(f, t)
        grads = nnkit.backward(state["p"], x, t)
        state["p"] = nnkit.sgd_step(state["p"], grads, LR)

    def homework_check():
        return nnkit.loss(nnkit.forward(state["p"], x), t), dict(nnkit.backward(state["p"], x, t))
    impls.append(Impl("nnkit.homework", homework_step, homework_check))

    model = nnkit.MLP.from_homework()
    X, Y = np.array([x], dtype=float), np.array([t], dtype=float)
    impls.append(Impl("nnkit MLP.from_homework", lambda: _mlp_step(model, X, Y),
                      lambda: _homework_check(model.loss_and_grads(X, Y))))

    m = reference.homework_matrices(nnkit.homework_params())
    xa, ta = np.array(x, dtype=float), np.array(t, dtype=float)
    impls.append(Impl("numpy reference", lambda: reference.homework_step(m, xa, ta, LR),
                      lambda: _homework_check(reference.homework_loss_and_grads(m, xa, ta))))

    if "torch" in available:
        from . import torch_ref
        net = torch_ref.Homework(nnkit.MLP.from_homework().params, x, t, LR)
        impls.append(Impl("torch", net.step, lambda: _homework_check(net.loss_and_grads())))
    if "micrograd" in available:
        from . import micrograd_ref
        mg = micrograd_ref.Homework(nnkit.homework_params())
        impls.append(Impl("micrograd", lambda: mg.step(x, t, LR), lambda: mg.loss_and_grads(x, t)))
    return impls


def _homework_check(loss_and_grads):
    loss, grads = loss_and_grads
    return loss, _homework_names(grads)


# ---- T2–T4 ----

def _mlp_step(model, X, Y):
    """nnkit's step through its public API: loss_and_grads, then p ← p − lr·g in place."""
    loss, grads = model.loss_and_grads(X, Y)
    for key, g in grads.items():
        model.params[key] -= LR * g
    return loss


def network_impls(task, available, micrograd_ok=True):
    X, Y = data(task)
    model = nnkit_model(task)
    params = {k: v.copy() for k, v in model.params.items()}
    impls = [Impl("nnkit", lambda: _mlp_step(model, X, Y), lambda: model.loss_and_grads(X, Y))]

    ref = reference.Network(params, task.hidden, task.loss)
    impls.append(Impl("numpy reference", lambda: ref.step(X, Y, LR), lambda: ref.loss_and_grads(X, Y)))

    if "torch" in available:
        from . import torch_ref
        net = torch_ref.Network(params, task.hidden, task.loss, X, Y, LR)
        impls.append(Impl("torch", net.step, net.loss_and_grads))
    if "micrograd" in available and micrograd_ok and task.name == "T2":
        from . import micrograd_ref
        mg = micrograd_ref.Network(params)
        impls.append(Impl("micrograd", lambda: mg.step(X, Y, LR), lambda: mg.loss_and_grads(X, Y)))
    return impls


def matmul_shapes(task):
    """The matrix products of one step as (what, m, k, n): forward Z = A @ W, backward dW = Aᵀ dZ
    and dA = dZ Wᵀ. A product with inner dimension k = 1 is an outer product (a broadcast
    multiply, elementwise work), so it is not part of the floor."""
    if task.name == "T1":
        sizes, n = (2, 2, 2), 1
    else:
        sizes, n = task.sizes, task.n
    shapes = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        shapes.append((f"A{i - 1} @ W{i}", n, d_in, d_out))
        shapes.append((f"A{i - 1}ᵀ @ dZ{i}", d_in, n, d_out))
        if i > 1 and d_out > 1:
            shapes.append((f"dZ{i} @ W{i}ᵀ", n, d_out, d_in))
    return shapes
