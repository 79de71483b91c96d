"""A fully connected network of any depth, vectorized over a batch (one sample per row).

Layer i computes Z_i = A_{i-1} @ W_i + b_i and A_i = f(Z_i), with A_0 = X; the last f is the
output activation. Shapes: X: (n, sizes[0]), W_i: (sizes[i-1], sizes[i]), b_i: (sizes[i],)
(or (1,) with shared_bias=True), output: (n, sizes[-1]).
"""
import numpy as np

from . import validate
from .homework import check_params, homework_params
from .layers import (HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, activation_backward, activation_forward,
                     dense_backward, dense_forward)
from .losses import LOGIT_LOSSES, LOSSES, OUTPUT_LOSSES

# Where each homework parameter sits in the matrices of MLP.from_homework().
HOMEWORK_POSITIONS = {
    "w1": ("W1", (0, 0)), "w2": ("W1", (1, 0)), "w3": ("W1", (0, 1)), "w4": ("W1", (1, 1)),
    "w5": ("W2", (0, 0)), "w6": ("W2", (1, 0)), "w7": ("W2", (0, 1)), "w8": ("W2", (1, 1)),
    "b1": ("b1", (0,)), "b2": ("b2", (0,)),
}


class MLP:
    """A multilayer perceptron with a loss.

    sizes:  units per layer, inputs first, e.g. [2, 4, 1] (at least two entries).
    hidden: activation of the hidden layers, one of "sigmoid", "tanh", "relu", "identity".
    output: activation of the last layer, one of "sigmoid", "identity", "softmax".
    loss:   "sse" Σ_k (o_k − t_k)², "half_sse" ½Σ_k, "mse" mean_k, "bce" (output "sigmoid"),
            "softmax_ce" (output "softmax"); each averaged over the batch.
    seed:   the initial weights are N(0, 1/n_in) (N(0, 2/n_in) for relu), biases 0.
    shared_bias: one bias per layer, shared by all its units (the homework's b1, b2).
    """

    def __init__(self, sizes, hidden="sigmoid", output="sigmoid", loss="sse", seed=0,
                 shared_bias=False, dtype=np.float64):
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise ValueError(f"sizes must list at least two layer sizes (inputs and outputs), got {sizes!r}")
        self.sizes = [validate.positive_int(f"sizes[{i}] (layer size)", s) for i, s in enumerate(sizes)]
        self.hidden = validate.choice("hidden activation", hidden, HIDDEN_ACTIVATIONS)
        self.output = validate.choice("output activation", output, OUTPUT_ACTIVATIONS)
        self.loss_name = validate.choice("loss", loss, LOSSES)
        if loss in LOGIT_LOSSES and LOGIT_LOSSES[loss][0] != output:
            raise ValueError(f"loss {loss!r} needs output={LOGIT_LOSSES[loss][0]!r}, got output={output!r}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        self.shared_bias = shared_bias

        rng = np.random.default_rng(seed)
        gain = 2.0 if hidden == "relu" else 1.0
        params = {}
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            params[f"W{i}"] = rng.normal(0.0, np.sqrt(gain / n_in), size=(n_in, n_out))
            params[f"b{i}"] = np.zeros(1 if shared_bias else n_out)
        self.params = params

    @classmethod
    def from_homework(cls, params=None, loss="sse"):
        """The homework's 2-2-2 sigmoid network with shared biases, from a w1..w8, b1, b2 dict.

        W1[:, 0] = (w1, w2) feeds h1 and W1[:, 1] = (w3, w4) feeds h2; likewise W2 for O1, O2.
        """
        p = check_params(homework_params() if params is None else params)
        model = cls([2, 2, 2], hidden="sigmoid", output="sigmoid", loss=loss, shared_bias=True)
        for name, (key, index) in HOMEWORK_POSITIONS.items():
            model.params[key][index] = p[name]
        return model

    @property
    def params(self):
        """Dict of parameters W1, b1, W2, b2, ...: numpy arrays you may read and change."""
        return self._params

    @params.setter
    def params(self, params):
        expected = [f"{kind}{i}" for i in range(1, len(self.sizes)) for kind in "Wb"]
        validate.exact_keys("params", params, expected)
        checked = {}
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            for key, shape in ((f"W{i}", (n_in, n_out)), (f"b{i}", (1,) if self.shared_bias else (n_out,))):
                value = validate.finite_array(f"params[{key!r}]", params[key], dtype=self.dtype)
                if value.shape != shape:
                    raise ValueError(f"params[{key!r}] must have shape {shape}, got {value.shape}")
                checked[key] = value
        self._params = checked

    @property
    def n_layers(self):
        return len(self.sizes) - 1

    def check_inputs(self, X):
        """X as a finite (n, sizes[0]) array of the model's dtype, or a clear error."""
        X = validate.finite_array("X", X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n_samples, {self.sizes[0]}), got {X.shape}")
        return X

    def check_targets(self, Y, n):
        """Y as a finite (n, sizes[-1]) array. Accepts (n,) when there is one output, and
        integer class labels (n,) for a softmax output (turned into one-hot rows)."""
        Y = np.asarray(Y)
        k = self.sizes[-1]
        if Y.ndim == 1 and self.output == "softmax" and np.issubdtype(Y.dtype, np.integer):
            if Y.size and (Y.min() < 0 or Y.max() >= k):
                raise ValueError(f"Y has class labels outside 0..{k - 1}: min {Y.min()}, max {Y.max()}")
            Y = np.eye(k)[Y]
        elif Y.ndim == 1 and k == 1:
            Y = Y[:, None]
        Y = validate.finite_array("Y", Y, dtype=self.dtype)
        if Y.shape != (n, k):
            raise ValueError(f"Y (targets) must have shape ({n}, {k}) to match X and the output layer, got {Y.shape}")
        return Y

    def forward(self, X):
        """Output A_L: (n, sizes[-1]) for inputs X: (n, sizes[0]), and the cache backward needs."""
        return self._forward(self.check_inputs(X))

    def _forward(self, X):
        """(A_L, (caches, Z_L)): one (dense, activation) cache per layer, and the output layer's
        pre-activations Z_L, which the bce and softmax_ce losses take."""
        caches = []
        A = X
        for i in range(1, len(self.sizes)):
            Z, dense_cache = dense_forward(A, self._params[f"W{i}"], self._params[f"b{i}"])
            output_layer = i == len(self.sizes) - 1
            # Hidden layers need only A afterwards, so A may overwrite Z (see activation_forward).
            A, act_cache = activation_forward(Z, self.output if output_layer else self.hidden,
                                              in_place=not output_layer)
            caches.append((dense_cache, act_cache))
        return A, (caches, Z)

    def _loss_and_dZ(self, cache, Y):
        """The loss and ∂L/∂Z of the last layer."""
        caches, Z = cache
        act_cache = caches[-1][1]
        if self.loss_name in LOGIT_LOSSES:
            return LOGIT_LOSSES[self.loss_name][1](Z, Y, A=act_cache[1])
        value, dA = OUTPUT_LOSSES[self.loss_name](act_cache[1], Y)
        return value, activation_backward(dA, act_cache, out=dA)

    def backward(self, cache, Y):
        """Gradients of the loss: a dict with the keys and shapes of `params`."""
        caches, Z = cache
        return self._backward(cache, self.check_targets(Y, Z.shape[0]))[1]

    def _backward(self, cache, Y):
        value, dZ = self._loss_and_dZ(cache, Y)
        caches = cache[0]
        grads = {}
        for i in range(len(caches), 0, -1):
            dense_cache, act_cache = caches[i - 1]
            if i < len(caches):
                # dA is our own fresh array: write dZ over it instead of making another.
                dZ = activation_backward(dA, act_cache, out=dA)
            dA, grads[f"W{i}"], grads[f"b{i}"] = dense_backward(dZ, dense_cache, input_grad=i > 1)
            del dZ   # no longer needed: free it before the next layer's temporaries
        return value, {key: grads[key] for key in self._params}

    def loss_and_grads(self, X, Y):
        """(loss, grads) for a batch: one forward and one backward pass."""
        X = self.check_inputs(X)
        out, caches = self._forward(X)
        return self._backward(caches, self.check_targets(Y, X.shape[0]))

    def loss(self, X, Y):
        """The loss (a float) on inputs X and targets Y."""
        X = self.check_inputs(X)
        out, caches = self._forward(X)
        return self._loss_and_dZ(caches, self.check_targets(Y, X.shape[0]))[0]

    def predict(self, X):
        """Class labels for a classifier: argmax of a softmax output (n,), or 0/1 per sigmoid
        output (n, k). With an identity output, the outputs themselves."""
        out, _ = self.forward(X)
        return _labels(out, self.output)

    def accuracy(self, X, Y):
        """Fraction of samples whose predicted class equals the target's (classifiers only)."""
        X = self.check_inputs(X)
        return _accuracy(self._forward(X)[0], self.check_targets(Y, X.shape[0]), self.output)

    def __repr__(self):
        return (f"MLP(sizes={self.sizes}, hidden={self.hidden!r}, output={self.output!r}, "
                f"loss={self.loss_name!r}, shared_bias={self.shared_bias})")


def _labels(out, output):
    if output == "softmax":
        return out.argmax(axis=1)
    if output == "sigmoid":
        return (out > 0.5).astype(int)
    return out


def _accuracy(out, Y, output):
    """Accuracy of outputs `out` against targets Y; None for an identity (regression) output."""
    if output == "identity":
        return None
    if output == "softmax":
        return float(np.mean(out.argmax(axis=1) == Y.argmax(axis=1)))
    return float(np.mean(np.all((out > 0.5) == (Y > 0.5), axis=1)))
