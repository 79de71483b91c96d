"""PyTorch CPU versions of the tasks, written the way torch is usually used.

T2–T4: `nn.Sequential` of `nn.Linear` layers (bias fused into the product by addmm),
`F.binary_cross_entropy_with_logits` / `F.cross_entropy`, `torch.optim.SGD`.
T1: the homework's shared biases do not fit `nn.Linear`, so its four tensors are written out.
Weights are copied in from the same numpy params every implementation starts from.
"""
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DTYPES = {np.dtype(np.float64): torch.float64, np.dtype(np.float32): torch.float32}
ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}


class Homework:
    """T1: the 2-2-2 sigmoid network with shared biases, params as nnkit's W1, b1, W2, b2."""

    def __init__(self, matrices, x, t, lr):
        self.p = {k: torch.tensor(np.asarray(v, dtype=np.float64).reshape(np.shape(v) or (1,)),
                                  requires_grad=True) for k, v in matrices.items()}
        self.x = torch.tensor(np.asarray(x, dtype=np.float64))
        self.t = torch.tensor(np.asarray(t, dtype=np.float64))
        self.opt = torch.optim.SGD(self.p.values(), lr=lr)

    def backward(self):
        """Forward, loss and backward: leaves the gradients in .grad; returns the loss tensor."""
        self.opt.zero_grad()
        p = self.p
        h = torch.sigmoid(self.x @ p["W1"] + p["b1"])
        o = torch.sigmoid(h @ p["W2"] + p["b2"])
        loss = ((o - self.t) ** 2).sum()
        loss.backward()
        return loss

    def loss_and_grads(self):
        loss = self.backward()
        return loss.item(), {k: v.grad.numpy() for k, v in self.p.items()}

    def step(self):
        self.backward()
        self.opt.step()


class Network:
    """T2–T4: Linear layers with a hidden activation; loss "bce" or "softmax_ce" on the logits."""

    def __init__(self, params, hidden, loss, X, Y, lr):
        dtype = DTYPES[np.dtype(X.dtype)]
        layers = []
        n_layers = len(params) // 2
        for i in range(1, n_layers + 1):
            W, b = params[f"W{i}"], params[f"b{i}"]
            linear = nn.Linear(*W.shape, dtype=dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W.T.copy()))   # nn.Linear stores W as (out, in)
                linear.bias.copy_(torch.from_numpy(b))
            layers.append(linear)
            if i < n_layers:
                layers.append(ACTIVATIONS[hidden]())
        self.model = nn.Sequential(*layers)
        self.linears = layers[::2]
        self.X = torch.from_numpy(X)
        if loss == "bce":
            self.Y = torch.from_numpy(Y)
            self.loss_fn = F.binary_cross_entropy_with_logits   # mean over the batch (one output)
        else:
            self.Y = torch.from_numpy(Y.argmax(axis=1))          # class indices
            self.loss_fn = F.cross_entropy
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)

    def backward(self):
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(self.X), self.Y)
        loss.backward()
        return loss

    def loss_and_grads(self):
        loss = self.backward()
        grads = {}
        for i, linear in enumerate(self.linears, start=1):
            grads[f"W{i}"] = linear.weight.grad.numpy().T
            grads[f"b{i}"] = linear.bias.grad.numpy()
        return loss.item(), grads

    def step(self):
        self.backward()
        self.opt.step()
