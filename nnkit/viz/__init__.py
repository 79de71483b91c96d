"""Pictures of networks and of training, with matplotlib. Each function draws into `ax` (a new
figure when it is None), gives the picture a title, labelled axes and a legend or colour bar, and
returns the Axes.

    draw_network(network, values, grads)            the diagram of a small network (nnkit.diagram)
    plot_loss_curve(history)                        loss per epoch (or per step)
    plot_decision_boundary(model, X, Y)             what a 2-D classifier predicts, and the data
    prediction_grid(model, X)                       the numbers behind it (extent, grid)
    plot_loss_surface(params, wrt=("w7", "w8"))     L over two homework weights, and −∇L

The playgrounds (nnkit.widgets) are drawn by the browser; they use this module for the diagram's
layout (`diagram.homework_geometry`), the prediction grid, and their static pictures (where no
browser draws them).
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from .. import validate
from .diagram import draw_network
from ..homework import HOMEWORK_TARGET, HOMEWORK_X, PARAM_NAMES, backward, check_params, forward, homework_params, loss
from ..mlp import MLP
from ..notation import number

__all__ = ["draw_network", "plot_decision_boundary", "plot_loss_curve", "plot_loss_surface", "prediction_grid"]

CLASS_COLOURS = ("#d1495b", "#1f6fb4", "#3a9d5d", "#edae49", "#7b4b94")   # class 0, 1, 2, ...


def _new_axes(ax, size=(6.0, 4.0)):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def plot_loss_curve(history, ax=None, *, xlabel="epoch", title="Training loss", first=1):
    """Loss against epoch. `history` is what `nnkit.fit` returns ({"loss": [...], ...}) or a
    plain list of losses (e.g. one per SGD step; then pass xlabel="SGD step"). The first loss is
    plotted at x = `first` (0 when it is the loss before any step).

    The y axis is logarithmic when the loss falls by more than a factor of 100, so the slow end
    of training stays visible, and then spans whole powers of ten; otherwise it starts at 0 (a
    loss is never negative). The final accuracy, when the history has one, joins the title.
    """
    losses = _losses(history)                    # checked before anything is drawn
    ax = _new_axes(ax)
    marker = "o" if losses.size <= 30 else "None"     # dots while they can be told apart
    ax.plot(np.arange(first, first + losses.size), losses, color=CLASS_COLOURS[1], lw=1.8, ms=3,
            marker=marker, label="loss L")
    if losses.min() > 0 and losses.max() / losses.min() > 100:
        ax.set_yscale("log")
        ax.set_ylim(10.0 ** np.floor(np.log10(losses.min())), 10.0 ** np.ceil(np.log10(losses.max())))
    else:
        ax.set_ylim(0, 1.05 * losses.max() if losses.max() > 0 else 1.0)
    ax.set_xlim(first - 0.5, first + max(losses.size, 2) - 0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss L")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
    accuracy = history.get("accuracy") if isinstance(history, dict) else None
    ax.set_title(title + (f" (final accuracy {100 * accuracy[-1]:.1f} %)" if accuracy else ""))
    return ax


def _losses(history):
    losses = history.get("loss") if isinstance(history, dict) else history
    if losses is None:
        raise KeyError(f"history must have a 'loss' list (as nnkit.fit returns), got keys {sorted(history)}")
    losses = validate.finite_array("history (the losses)", losses, ndim=1)
    if losses.size == 0:
        raise ValueError("history has no losses yet: train for at least one epoch first")
    return losses


def _class_labels(model, Y, n):
    """Integer class per sample from Y: (n,) labels, (n, 1) 0/1 targets or one-hot (n, k)."""
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y.reshape(-1, 1) if model.sizes[-1] == 1 else Y
    if Y.ndim == 1:
        return validate.finite_array("Y", Y).astype(int)
    Y = model.check_targets(Y, n)
    return Y.argmax(axis=1) if Y.shape[1] > 1 else (Y[:, 0] > 0.5).astype(int)


def _check_plane_data(model, X, Y=None):
    """X as a checked (n, 2) array, and the class labels of Y (None without Y)."""
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an nnkit.MLP, got {type(model).__name__}")
    if model.sizes[0] != 2:
        raise ValueError(f"a picture in the plane needs a model with 2 inputs, got sizes {model.sizes}")
    X = validate.finite_array("X", X, ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2) for a picture in the plane, got {X.shape}")
    return X, None if Y is None else _class_labels(model, Y, X.shape[0])


def prediction_grid(model, X, resolution=120):
    """What `model` (an MLP with 2 inputs) predicts on a resolution × resolution grid over the
    plane around the samples X: (n, 2), with a margin. Returns (extent, P): extent =
    (x1_lo, x1_hi, x2_lo, x2_hi); P: (resolution, resolution), row i at x2 = linspace(x2_lo,
    x2_hi)[i], column j at x1 = linspace(x1_lo, x1_hi)[j]; P(class 1) for one (sigmoid) output,
    else the predicted class. The classification playground sends these numbers to the browser."""
    X, _ = _check_plane_data(model, X)
    margin = 0.25 * (X.max(axis=0) - X.min(axis=0)) + 0.1
    (x1_lo, x2_lo), (x1_hi, x2_hi) = X.min(axis=0) - margin, X.max(axis=0) + margin
    g1, g2 = np.meshgrid(np.linspace(x1_lo, x1_hi, resolution), np.linspace(x2_lo, x2_hi, resolution))
    out, _ = model.forward(np.column_stack([g1.ravel(), g2.ravel()]))
    P = out[:, 0] if model.sizes[-1] == 1 else out.argmax(axis=1)
    return (float(x1_lo), float(x1_hi), float(x2_lo), float(x2_hi)), P.reshape(g1.shape)


def plot_decision_boundary(model, X, Y, ax=None, *, resolution=120):
    """What `model` (an MLP with 2 inputs) predicts over the plane, with the samples X: (n, 2).

    One output (sigmoid): the colour is the predicted P(class 1), the black line is where it is
    0.5. Several outputs: each region is coloured by its predicted class.
    Y: targets as given to `fit` ((n, 1) 0/1 or one-hot (n, k)) or integer labels (n,).
    resolution: the prediction is computed on a resolution × resolution grid (`prediction_grid`).
    """
    X, labels = _check_plane_data(model, X, Y)
    ax = _new_axes(ax, size=(5.6, 4.4))
    extent, P = prediction_grid(model, X, resolution)
    k = model.sizes[-1]
    if k == 1:
        colours = dict(cmap="RdBu", vmin=0, vmax=1, alpha=0.6, interpolation="bilinear")
    else:
        colours = dict(cmap=ListedColormap([CLASS_COLOURS[c % len(CLASS_COLOURS)] for c in range(k)]),
                       vmin=-0.5, vmax=k - 0.5, alpha=0.35, interpolation="nearest")
    image = ax.imshow(P, extent=extent, origin="lower", aspect="auto", gid="prediction", **colours)
    if k == 1:
        ax.figure.colorbar(image, ax=ax).set_label("predicted P(class 1)")
        if P.min() < 0.5 < P.max():       # no line where the model says one class everywhere
            g1, g2 = np.meshgrid(np.linspace(*extent[:2], resolution), np.linspace(*extent[2:], resolution))
            ax.contour(g1, g2, P, levels=[0.5], colors="black", linewidths=1.5).set_gid("boundary")
    for c in np.unique(labels):
        ax.scatter(*X[labels == c].T, s=60 if len(X) <= 20 else 18, color=CLASS_COLOURS[c % len(CLASS_COLOURS)],
                   edgecolors="black", linewidths=0.5, label=f"class {c}", zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    accuracy = model.accuracy(X, _targets_for_accuracy(labels, k))
    ax.set_title(f"Decision boundary (accuracy {100 * accuracy:.1f} %)")
    return ax


def _targets_for_accuracy(labels, k):
    return labels.reshape(-1, 1).astype(float) if k == 1 else np.eye(k)[labels]


def plot_loss_surface(params=None, wrt=("w7", "w8"), x=HOMEWORK_X, target=HOMEWORK_TARGET, ax=None, *,
                      span=3.0, resolution=41):
    """L of the homework network as a function of two parameters `wrt`, the others held fixed.

    The grid covers each chosen parameter's current value ± `span`. The dot is the current
    point; the arrow points along −∇L = −(∂L/∂a, ∂L/∂b) (from `nnkit.backward`), the direction a
    gradient-descent step moves, drawn with a fixed length so that it is always visible.
    """
    p = check_params(homework_params() if params is None else params)
    if isinstance(wrt, str) or len(wrt) != 2:
        raise ValueError(f"wrt must name two parameters, e.g. ('w7', 'w8'), got {wrt!r}")
    a, b = (validate.choice("parameter in wrt", name, PARAM_NAMES) for name in wrt)
    if a == b:
        raise ValueError(f"wrt must name two different parameters, got {wrt!r}")
    span = validate.positive_number("span", span)
    x, target = validate.vector("x", x, 2), validate.vector("target", target, 2)
    ax = _new_axes(ax, size=(5.8, 4.6))

    values_a = np.linspace(p[a] - span, p[a] + span, resolution)
    values_b = np.linspace(p[b] - span, p[b] + span, resolution)
    surface = np.array([[loss(forward({**p, a: va, b: vb}, x), target) for va in values_a] for vb in values_b])
    filled = ax.contourf(values_a, values_b, surface, levels=20, cmap="viridis")
    ax.contour(values_a, values_b, surface, levels=10, colors="white", linewidths=0.5, alpha=0.6)
    ax.figure.colorbar(filled, ax=ax).set_label("loss L")

    grads = backward(p, x, target)
    direction = -np.array([grads[a], grads[b]])
    length = np.hypot(*direction)
    here = ax.scatter([p[a]], [p[b]], s=50, color="white", edgecolors="black", zorder=4,
                      label=f"current ({a} = {number(p[a], significant=3)}, {b} = {number(p[b], significant=3)}), "
                            f"L = {number(loss(forward(p, x), target), significant=4)}")
    if length > 0:
        arrow = 0.35 * span * direction / length
        ax.annotate("", xy=(p[a] + arrow[0], p[b] + arrow[1]), xytext=(p[a], p[b]), zorder=5,
                    arrowprops=dict(arrowstyle="-|>", color="#d1495b", lw=2.2, mutation_scale=16))
    handles = [here, Line2D([], [], color="#d1495b", lw=2.2, marker=">", markevery=[-1],
                            label=f"−∇L = ({number(-grads[a], significant=3)}, {number(-grads[b], significant=3)}) "
                                  "(direction only)")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=8, frameon=False)
    ax.set_title(f"Loss L over {a} and {b} (other parameters fixed)")
    ax.set_xlabel(f"${a[0]}_{{{a[1:]}}}$")
    ax.set_ylabel(f"${b[0]}_{{{b[1:]}}}$")
    return ax
