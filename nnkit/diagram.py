"""The network diagram: units as circles, weights as arrows coloured by sign and thickened by size.

`draw_network` is re-exported by `nnkit.viz`. Every artist gets a gid ("node:h1", "edge:w7",
"bias:b1", "bias-edge:b1->h2") so tests and notebooks can find them. Coordinates are in "diagram
units": layers are LAYER_GAP apart, units in a layer UNIT_GAP apart, circles have radius RADIUS.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from . import validate
from .explain import LATEX_NAMES
from .homework import Forward, check_params, homework_params
from .mlp import HOMEWORK_POSITIONS, MLP

LAYER_GAP, UNIT_GAP, RADIUS = 3.6, 2.4, 0.34
INCHES_PER_UNIT, MAX_HEIGHT = 0.72, 6.5
BIAS_DROP = 1.6                                     # bias squares sit this far below the lowest unit
POSITIVE, NEGATIVE = "#1f6fb4", "#d1495b"           # blue for w > 0, red for w < 0
LAYER_FILLS = ("#e8e8e8", "#d8ecd4", "#fbe3c4")     # input, hidden, output units
MAX_UNITS, MAX_LAYERS, MAX_LABELLED_EDGES = 10, 5, 8


def _tex(name):
    """'w7' -> '$w_{7}$', 'O1' -> '$O_{1}$' (the homework's subscripts)."""
    return f"${name[0]}_{{{name[1:]}}}$"


def _partial(name, homework):
    """∂L/∂w7 written with the homework's subscript."""
    return f"$\\partial L/\\partial {_tex(name)[1:-1]}$" if homework else f"∂L/∂{name}"


def _fmt(value):
    return f"{value:.4g}".replace("-", "−")


def _homework_graph(params):
    """Layers of unit names, weighted edges (name, from, to, value) and shared biases."""
    p = check_params(params, what="network")
    layers = [["x1", "x2"], ["h1", "h2"], ["O1", "O2"]]
    edges = [(name, f"x{key[1][0] + 1}" if key[0] == "W1" else f"h{key[1][0] + 1}",
              f"h{key[1][1] + 1}" if key[0] == "W1" else f"O{key[1][1] + 1}", p[name])
             for name, key in HOMEWORK_POSITIONS.items() if name.startswith("w")]
    biases = [("b1", 1, p["b1"]), ("b2", 2, p["b2"])]   # (name, layer it feeds, value)
    return layers, edges, biases


def _mlp_graph(model):
    """The same description for a general MLP: units x1.., h1.. (h^(l)_j for deeper nets), O1.."""
    sizes = model.sizes
    if len(sizes) > MAX_LAYERS or max(sizes) > MAX_UNITS:
        raise ValueError(f"network is too big to draw: sizes {sizes}; draw_network shows up to "
                         f"{MAX_LAYERS} layers of up to {MAX_UNITS} units")
    hidden_names = (lambda l, j: f"h{j + 1}") if len(sizes) == 3 else (lambda l, j: f"h{l}_{j + 1}")
    layers = [[f"x{j + 1}" for j in range(sizes[0])]]
    layers += [[hidden_names(l, j) for j in range(n)] for l, n in enumerate(sizes[1:-1], start=1)]
    layers += [[f"O{j + 1}" for j in range(sizes[-1])]]
    edges = [(f"W{l}[{i},{j}]", layers[l - 1][i], layers[l][j], float(model.params[f"W{l}"][i, j]))
             for l in range(1, len(sizes)) for i in range(sizes[l - 1]) for j in range(sizes[l])]
    biases = [(f"b{l}", l, float(model.params[f"b{l}"][0])) for l in range(1, len(sizes))] \
        if model.shared_bias else []
    return layers, edges, biases


def _node_label(name):
    if "_" in name:                       # deeper nets: h2_3 is unit 3 of hidden layer 2
        layer, unit = name[1:].split("_")
        return f"$h^{{({layer})}}_{{{unit}}}$"
    return _tex(name)


def _node_values(values, x, target):
    """Text shown next to each unit of the homework network."""
    text = {}
    if x is not None:
        x1, x2 = validate.vector("x", x, 2)
        text.update(x1=f"$x_1$ = {_fmt(x1)}", x2=f"$x_2$ = {_fmt(x2)}")
    if values is not None:
        if not isinstance(values, Forward):
            raise TypeError(f"values must be a Forward record from nnkit.forward, got {type(values).__name__}")
        for unit, field_in, field_out, symbol_out in (("h1", "h1_in", "h1_out", "h1_out"),
                                                      ("h2", "h2_in", "h2_out", "h2_out"),
                                                      ("O1", "o1_in", "o1_out", "O1"),
                                                      ("O2", "o2_in", "o2_out", "O2")):
            text[unit] = (f"${LATEX_NAMES[field_in]}$ = {_fmt(getattr(values, field_in))}\n"
                          f"${LATEX_NAMES[symbol_out]}$ = {_fmt(getattr(values, field_out))}")
    if target is not None:
        t1, t2 = validate.vector("target", target, 2)
        for unit, t in (("O1", t1), ("O2", t2)):
            text[unit] = (text[unit] + "\n" if unit in text else "") + f"$\\hat{{O}}_{unit[1]}$ = {_fmt(t)}"
    return text


def _edge_grads(grads, network, homework):
    """Gradient per edge/bias name, or {} when none were given."""
    if grads is None:
        return {}
    if homework:
        return check_params(grads, what="grads")
    validate.exact_keys("grads", grads, list(network.params))
    out = {}
    for key, g in grads.items():
        g = np.asarray(g)
        if key.startswith("W"):
            out.update({f"{key}[{i},{j}]": float(g[i, j]) for i in range(g.shape[0]) for j in range(g.shape[1])})
        elif network.shared_bias:
            out[key] = float(g[0])
    return out


def draw_network(network=None, values=None, grads=None, ax=None, title=None, *, x=None, target=None):
    """Draw a small MLP: units as circles, weights as arrows labelled "w7 = 0.4".

    network: the homework's params dict w1..w8, b1, b2 (default: `homework_params()`) or an
             `MLP` (up to 5 layers of up to 10 units; a 2-2-2 MLP with shared biases is drawn in
             the homework's notation). Shared biases (b1, b2) are drawn as squares.
    values:  a `Forward` record (homework network): each unit shows its input and output.
    grads:   a `Gradients` mapping (or an MLP grads dict): each label adds ∂L/∂w.
    x, target: optional inputs and targets to print next to the input and output units.
    Arrow colour is the weight's sign (blue +, red −), its width grows with |w|.
    Returns the matplotlib Axes (a new figure if `ax` is None).
    """
    if network is None:
        network = homework_params()
    if isinstance(network, MLP) and network.sizes == [2, 2, 2] and network.shared_bias:
        network = {name: float(network.params[key][index]) for name, (key, index) in HOMEWORK_POSITIONS.items()}
    homework = not isinstance(network, MLP)
    if homework:
        layers, edges, biases = _homework_graph(network)
    elif values is not None or x is not None or target is not None:
        raise TypeError("values, x and target can only be drawn for the homework network (a params dict)")
    else:
        layers, edges, biases = _mlp_graph(network)
    node_text = _node_values(values, x, target) if homework else {}
    edge_grad = _edge_grads(grads, network, homework)

    xlim, ylim = _limits(layers, biases)
    if ax is None:
        scale = min(INCHES_PER_UNIT, MAX_HEIGHT / (ylim[1] - ylim[0]))
        size = (scale * (xlim[1] - xlim[0]) + 0.4, scale * (ylim[1] - ylim[0]) + 0.9)
        _, ax = plt.subplots(figsize=size, layout="constrained")
    positions = _positions(layers)
    magnitude = max([abs(v) for *_, v in edges] + [abs(v) for *_, v in biases] + [1e-12])
    label_edges = len(edges) <= MAX_LABELLED_EDGES

    for name, start, end, w in edges:
        label = f"{_tex(name) if homework else name} = {_fmt(w)}"
        if name in edge_grad:
            label += f"\n{_partial(name, homework)} = {_fmt(edge_grad[name])}"
        _draw_edge(ax, positions[start], positions[end], w, magnitude, f"edge:{name}",
                   label if label_edges else None)
    lowest = min(y for _, y in positions.values())
    for name, layer, b in biases:
        _draw_bias(ax, name, b, edge_grad.get(name), layer, layers, positions, lowest, magnitude)
    for l, layer in enumerate(layers):
        fill = LAYER_FILLS[0 if l == 0 else 2 if l == len(layers) - 1 else 1]
        for unit in layer:
            _draw_unit(ax, unit, positions[unit], fill, node_text.get(unit), lowest)

    _finish(ax, xlim, ylim, biases, title or _default_title(homework, network, values, grads))
    return ax


def _unit_gap(layers):
    """Units of tall layers sit closer together, so that a 10-unit layer still fits a page."""
    return max(1.0, min(UNIT_GAP, 7.2 / max(map(len, layers))))


def _positions(layers):
    """Centre of every unit: layer l at x = l·LAYER_GAP, units centred on y = 0, first on top."""
    gap = _unit_gap(layers)
    return {unit: (l * LAYER_GAP, (len(layer) - 1) / 2 * gap - j * gap)
            for l, layer in enumerate(layers) for j, unit in enumerate(layer)}


def _width(value, magnitude):
    return 0.8 + 4.2 * abs(value) / magnitude


def _draw_edge(ax, start, end, w, magnitude, gid, label):
    (x0, y0), (x1, y1) = start, end
    arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, shrinkA=0, shrinkB=0,
                            color=POSITIVE if w >= 0 else NEGATIVE, linewidth=_width(w, magnitude),
                            alpha=0.85, zorder=1, gid=gid)
    length = np.hypot(x1 - x0, y1 - y0)
    # Cut the arrow at the circles' edges so its head touches the unit it feeds.
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    arrow.set_positions((x0 + RADIUS * ux, y0 + RADIUS * uy), (x1 - RADIUS * ux, y1 - RADIUS * uy))
    ax.add_patch(arrow)
    if label:
        # Level arrows are labelled in their middle; slanted ones near their start, so the two
        # labels of a crossing pair sit on opposite sides of the crossing.
        t = 0.5 if abs(y1 - y0) < 1e-9 else 0.33
        ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), label, ha="center", va="center", fontsize=9,
                zorder=3, gid=f"label:{gid}", linespacing=1.3,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=arrow.get_edgecolor(), lw=0.8))


def _draw_unit(ax, name, centre, fill, text, lowest):
    ax.add_patch(Circle(centre, RADIUS, fc=fill, ec="#333333", lw=1.4, zorder=2, gid=f"node:{name}"))
    ax.text(*centre, _node_label(name), ha="center", va="center", fontsize=10 if "_" in name else 13, zorder=4, gid=f"name:{name}")
    if text:
        # Values go above the units of the upper half and below the others, away from the arrows.
        above = centre[1] > 0 or (centre[1] == 0 and lowest == 0)
        y = centre[1] + (RADIUS + 0.12) * (1 if above else -1)
        ax.text(centre[0], y, text, ha="center", va="bottom" if above else "top", fontsize=9,
                zorder=4, gid=f"value:{name}", linespacing=1.2)


def _draw_bias(ax, name, b, grad, layer, layers, positions, lowest, magnitude):
    """A shared bias: one square under the gap before `layer`, with a dashed arrow to each unit."""
    bx, by = (layer - 0.55) * LAYER_GAP, lowest - BIAS_DROP
    half = 0.26
    ax.add_patch(FancyBboxPatch((bx - half, by - half), 2 * half, 2 * half, boxstyle="round,pad=0.03",
                                fc="#fff6c8", ec="#333333", lw=1.2, zorder=2, gid=f"bias:{name}"))
    ax.text(bx, by, _tex(name), ha="center", va="center", fontsize=11, zorder=4)
    text = f"{_tex(name)} = {_fmt(b)}" + (f"\n{_partial(name, True)} = {_fmt(grad)}" if grad is not None else "")
    ax.text(bx, by - half - 0.12, text, ha="center", va="top", fontsize=9, zorder=4,
            gid=f"value:{name}", linespacing=1.3)
    for unit in layers[layer]:
        ux, uy = positions[unit]
        length = np.hypot(ux - bx, uy - by)
        dx, dy = (ux - bx) / length, (uy - by) / length
        ax.add_patch(FancyArrowPatch((bx + half * dx, by + half * dy), (ux - RADIUS * dx, uy - RADIUS * dy),
                                     arrowstyle="-|>", mutation_scale=10, linestyle=(0, (3, 2)),
                                     color=POSITIVE if b >= 0 else NEGATIVE, lw=0.6 + 0.5 * _width(b, magnitude),
                                     alpha=0.6, zorder=1, gid=f"bias-edge:{name}->{unit}"))


def _default_title(homework, network, values, grads):
    what = "The homework's 2-2-2 network" if homework else f"MLP {'-'.join(map(str, network.sizes))}"
    shown = [part for part, given in (("forward values", values is not None),
                                      ("gradients ∂L/∂w", grads is not None)) if given]
    return what + (": " + " and ".join(shown) if shown else "")


def _limits(layers, biases):
    """x and y limits that hold every unit, the value texts around them and the bias squares."""
    top = (max(map(len, layers)) - 1) / 2 * _unit_gap(layers)
    bottom = -top - (BIAS_DROP + 1.0 if biases else 1.1)
    return (-1.2, (len(layers) - 1) * LAYER_GAP + 1.2), (bottom, top + 1.2)


def _finish(ax, xlim, ylim, biases, title):
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
    handles = [Line2D([], [], color=POSITIVE, lw=3, label="weight > 0"),
               Line2D([], [], color=NEGATIVE, lw=3, label="weight < 0"),
               Line2D([], [], color="grey", lw=1, label="thicker = larger |weight|")]
    if biases:
        handles.append(Line2D([], [], color="grey", lw=1.2, ls=(0, (3, 2)), label="shared bias"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles),
              frameon=False, fontsize=9)
