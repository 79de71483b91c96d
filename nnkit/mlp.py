"""A fully connected network of any depth, vectorized over a batch (one sample per row).

Layer i computes Z_i = A_{i-1} @ W_i + b_i and A_i = f(Z_i), with A_0 = X; the last f is the
output activation. Shapes: X: (n, sizes[0]), W_i: (sizes[i-1], sizes[i]), b_i: (sizes[i],)
(or (1,) with shared_bias=True), output: (n, sizes[-1]).
"""
import numpy as np

from . import validate
from .homework import check_params, homework_params
from .layers import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, dense_backward, dense_forward
from .losses import FROM_LOGITS, LOSSES

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
        if loss in FROM_LOGITS and FROM_LOGITS[loss] != output:
            raise ValueError(f"loss {loss!r} needs output={FROM_LOGITS[loss]!r}, got output={output!r}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        self.shared_bias = shared_bias

        rng = np.random.default_rng(seed)
        gain = 2.0 if hidden == "relu" else 1.0   # He et al.: relu zeroes half the inputs' variance
        self.params = {key: np.zeros(shape) if key[0] == "b" else rng.normal(0.0, np.sqrt(gain / shape[0]), shape)
                       for key, shape in self._param_shapes().items()}

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
        shapes = self._param_shapes()
        validate.exact_keys("params", params, list(shapes))
        checked = {}
        for key, shape in shapes.items():
            checked[key] = validate.finite_array(f"params[{key!r}]", params[key], dtype=self.dtype)
            if checked[key].shape != shape:
                raise ValueError(f"params[{key!r}] must have shape {shape}, got {checked[key].shape}")
        self._params = checked

    def _param_shapes(self):
        """{"W1": (sizes[0], sizes[1]), "b1": (sizes[1],) or (1,), "W2": ...} in layer order."""
        shapes = {}
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            shapes[f"W{i}"] = (n_in, n_out)
            shapes[f"b{i}"] = (1,) if self.shared_bias else (n_out,)
        return shapes

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
            raise ValueError(f"Y (targets) must have shape ({n}, {k}) to match X and the output layer, "
                             f"got {Y.shape}")
        return Y

    def forward(self, X):
        """Output A_L: (n, sizes[-1]) for inputs X: (n, sizes[0]), and the cache `backward` needs:
        one (dense, activation) cache per layer, and the last layer's Z_L and A_L (the losses
        bce and softmax_ce take Z_L, the others A_L)."""
        A = self.check_inputs(X)
        caches = []
        last = len(self.sizes) - 1
        for i in range(1, last + 1):
            Z, dense_cache = dense_forward(A, self._params[f"W{i}"], self._params[f"b{i}"])
            activation_forward, _ = ACTIVATIONS[self.output if i == last else self.hidden]
            A, activation_cache = activation_forward(Z)
            caches.append((dense_cache, activation_cache))
        return A, (caches, Z, A)

    def backward(self, cache, Y):
        """Gradients of the loss: a dict with the keys and shapes of `params`."""
        out = cache[2]
        return self._loss_and_grads(cache, self.check_targets(Y, out.shape[0]))[1]

    def loss_and_grads(self, X, Y):
        """(loss, grads) for a batch: one forward and one backward pass."""
        out, cache = self.forward(X)
        return self._loss_and_grads(cache, self.check_targets(Y, out.shape[0]))

    def loss(self, X, Y):
        """The loss (a float) on inputs X and targets Y."""
        out, cache = self.forward(X)
        return self._loss_and_dZ(cache, self.check_targets(Y, out.shape[0]))[0]

    def predict(self, X):
        """Class labels for a classifier: argmax of a softmax output (n,), or 0/1 per sigmoid
        output (n, k). With an identity output, the outputs themselves."""
        out, _ = self.forward(X)
        if self.output == "softmax":
            return out.argmax(axis=1)
        if self.output == "sigmoid":
            return (out > 0.5).astype(int)
        return out

    def accuracy(self, X, Y):
        """Fraction of samples whose predicted class equals the target's; None for an identity
        (regression) output. A sigmoid output's sample counts when every output is on the right
        side of 0.5."""
        if self.output == "identity":
            return None
        predicted = self.predict(X)
        Y = self.check_targets(Y, predicted.shape[0])
        if self.output == "softmax":
            return float(np.mean(predicted == Y.argmax(axis=1)))
        return float(np.mean(np.all(predicted == (Y > 0.5), axis=1)))

    def _loss_and_dZ(self, cache, Y):
        """The loss and ∂L/∂Z_L of the last layer, for checked targets Y."""
        caches, Z, A = cache
        loss = LOSSES[self.loss_name]
        if self.loss_name in FROM_LOGITS:
            return loss(Z, Y)            # bce and softmax_ce give ∂L/∂Z directly
        value, dA = loss(A, Y)
        _, activation_backward = ACTIVATIONS[self.output]
        return value, activation_backward(dA, caches[-1][1])

    def _loss_and_grads(self, cache, Y):
        """Backpropagation: from ∂L/∂Z_L back through every layer (Z_i = A_{i-1} W_i + b_i,
        A_i = f(Z_i)) to the gradients of every W_i and b_i."""
        value, dZ = self._loss_and_dZ(cache, Y)
        caches = cache[0]
        _, activation_backward = ACTIVATIONS[self.hidden]
        grads = {}
        for i in range(len(caches), 0, -1):
            dense_cache, _ = caches[i - 1]
            dA, grads[f"W{i}"], grads[f"b{i}"] = dense_backward(dZ, dense_cache, input_grad=i > 1)
            if i > 1:   # on into the hidden layer below: dZ_{i-1} = dA_{i-1} · f'(Z_{i-1})
                _, activation_cache = caches[i - 2]
                dZ = activation_backward(dA, activation_cache)
        return value, {key: grads[key] for key in self._params}

    def __repr__(self):
        return (f"MLP(sizes={self.sizes}, hidden={self.hidden!r}, output={self.output!r}, "
                f"loss={self.loss_name!r}, shared_bias={self.shared_bias})")

