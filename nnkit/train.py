"""Training: minibatch stochastic gradient descent with optional momentum.

For every epoch: shuffle the samples (seeded), walk through them in batches, and for each batch
do one forward pass, one backward pass and one update of every parameter p with gradient g:

    v ← momentum · v − lr · g        p ← p + v          (momentum = 0 is plain SGD: p ← p − lr·g)
"""
import math

import numpy as np
from tqdm.auto import tqdm

from . import validate


def fit(model, X, Y, lr, epochs, batch_size=None, momentum=0.0, seed=0, callback=None, progress=True):
    """Train `model` (an MLP) in place on X: (n, d_in), Y: (n, d_out); return the history.

    lr: learning rate > 0.  epochs: passes over the data >= 1.  batch_size: samples per update
    (None: all of them, i.e. full-batch gradient descent).  momentum: in [0, 1).
    seed: fixes the shuffling, so a run is repeatable.
    callback(epoch, model, history): called after every epoch; return True to stop early.
    progress: show a progress bar (a widget in Jupyter, text in a terminal).

    Returns {"loss": [...], "accuracy": [...]}: per epoch, the mean over its batches of the loss
    (and, for sigmoid/softmax outputs, the accuracy) measured just before each batch's update.
    """
    X = model.check_inputs(X)
    Y = model.check_targets(Y, X.shape[0])
    lr = validate.positive_number("lr", lr)
    epochs = validate.positive_int("epochs", epochs)
    n = X.shape[0]
    batch_size = min(validate.positive_int("batch_size", batch_size, allow_none=True) or n, n)
    momentum = validate.finite_number("momentum", momentum)
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")

    rng = np.random.default_rng(seed)
    velocity = {key: np.zeros_like(p) for key, p in model.params.items()}
    classifier = model.output != "identity"
    history = {"loss": [], "accuracy": []} if classifier else {"loss": []}

    for epoch in tqdm(range(epochs), desc="epochs", disable=not progress):
        # With one batch per epoch the gradient is the mean over all samples in any order: no shuffle.
        order = rng.permutation(n) if batch_size < n else slice(None)
        Xs, Ys = X[order], Y[order]
        total_loss = total_correct = 0.0
        for start in range(0, n, batch_size):
            Xb, Yb = Xs[start:start + batch_size], Ys[start:start + batch_size]
            loss, grads = model.loss_and_grads(Xb, Yb)
            total_loss += loss * len(Xb)
            if classifier:   # measured at the same weights as the loss, before the update
                total_correct += model.accuracy(Xb, Yb) * len(Xb)
            for key, p in model.params.items():
                velocity[key] = momentum * velocity[key] - lr * grads[key]
                p += velocity[key]   # in place: the arrays of model.params are the model's weights
        history["loss"].append(total_loss / n)
        if classifier:
            history["accuracy"].append(total_correct / n)
        if not math.isfinite(history["loss"][-1]):
            raise FloatingPointError(
                f"training diverged: the loss is {history['loss'][-1]} in epoch {epoch + 1}; "
                f"try a smaller learning rate than lr={lr}")
        if callback is not None and callback(epoch, model, history) is True:
            break
    return history
