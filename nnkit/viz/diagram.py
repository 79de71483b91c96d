"""The network diagram: units as circles, weights as arrows coloured by sign and thickened by size.

`draw_network` (re-exported by `nnkit.viz`) first lays the artists out, then styles them: colours,
widths and texts. `homework_geometry` hands the same layout to the backprop playground, whose
browser front end draws it as SVG. Every artist has a gid ("node:h1", "edge:w7",
"label:edge:w7", "value:h1", "bias:b1", "bias-edge:b1->h2") for tests and notebooks to find it.
Coordinates are "diagram units": layers LAYER_GAP apart, units UNIT_GAP apart, circles of RADIUS.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .. import validate
from ..homework import Forward, check_params, homework_params
from ..mlp import HOMEWORK_POSITIONS, MLP
from ..notation import number

LAYER_GAP, UNIT_GAP, RADIUS, BIAS_HALF = 3.6, 2.4, 0.34, 0.26
BIAS_DROP = 1.6                                     # bias squares sit this far below the lowest unit
INCHES_PER_UNIT, MAX_HEIGHT = 0.72, 6.5
POSITIVE, NEGATIVE = "#1f6fb4", "#d1495b"           # blue for w >= 0, red for w < 0
LAYER_FILLS = ("#e8e8e8", "#d8ecd4", "#fbe3c4")     # input, hidden, output units
MAX_UNITS, MAX_LAYERS, MAX_LABELLED_EDGES = 10, 5, 8


def _tex(name):
    """'w7' -> '$w_{7}$' (the homework's subscripts), for labels that never change. Texts with
    numbers use the code's plain names (w7, h1_in): their numbers change on every slider move, and
    parsing mathtext again each time would be slow."""
    return f"${name[0]}_{{{name[1:]}}}$"


def _fmt(value):
    return number(value, significant=4)   # labels are small: four digits, −0.09607


def _colour(value):
    return POSITIVE if value >= 0 else NEGATIVE


# --- what to draw -------------------------------------------------------------------------------

def _describe(network):
    """(homework, layers, edges, biases) of a homework params dict or an MLP.

    layers: unit names per layer; edges: (name, from_unit, to_unit, weight);
    biases: shared biases (name, index of the layer it feeds, value).
    """
    if network is None:
        network = homework_params()
    if isinstance(network, MLP) and network.sizes == [2, 2, 2] and network.shared_bias:
        network = {name: float(network.params[key][index]) for name, (key, index) in HOMEWORK_POSITIONS.items()}
    if not isinstance(network, MLP):
        p = check_params(network, what="network")
        layers = [["x1", "x2"], ["h1", "h2"], ["O1", "O2"]]
        edges = []
        for name, (key, index) in HOMEWORK_POSITIONS.items():
            if key.startswith("W"):           # W1[i, j] joins unit i of one layer to unit j of the next
                (i, j), (source, unit) = index, (("x", "h") if key == "W1" else ("h", "O"))
                edges.append((name, f"{source}{i + 1}", f"{unit}{j + 1}", p[name]))
        return True, layers, edges, [("b1", 1, p["b1"]), ("b2", 2, p["b2"])]

    sizes = network.sizes
    if len(sizes) > MAX_LAYERS or max(sizes) > MAX_UNITS:
        raise ValueError(f"network is too big to draw: sizes {sizes}; draw_network shows up to "
                         f"{MAX_LAYERS} layers of up to {MAX_UNITS} units")
    hidden = (lambda k, j: f"h{j + 1}") if len(sizes) == 3 else (lambda k, j: f"h{k}_{j + 1}")
    layers = ([[f"x{j + 1}" for j in range(sizes[0])]]
              + [[hidden(k, j) for j in range(n)] for k, n in enumerate(sizes[1:-1], start=1)]
              + [[f"O{j + 1}" for j in range(sizes[-1])]])
    edges = [(f"W{k}[{i},{j}]", layers[k - 1][i], layers[k][j], float(network.params[f"W{k}"][i, j]))
             for k in range(1, len(sizes)) for i in range(sizes[k - 1]) for j in range(sizes[k])]
    biases = ([(f"b{k}", k, float(network.params[f"b{k}"][0])) for k in range(1, len(sizes))]
              if network.shared_bias else [])
    return False, layers, edges, biases


def _edge_grads(grads, network, homework):
    """Gradient per edge/bias name, or {} when none were given."""
    if grads is None:
        return {}
    if homework and isinstance(network, MLP):     # a 2-2-2 MLP drawn as the homework
        grads = {name: float(np.asarray(grads[key])[index]) for name, (key, index) in HOMEWORK_POSITIONS.items()}
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


def _node_texts(values, x, target):
    """Text next to each unit of the homework network ("" where there is nothing to show)."""
    text = dict.fromkeys(["x1", "x2", "h1", "h2", "O1", "O2"], "")
    if x is not None:
        x1, x2 = validate.vector("x", x, 2)
        text.update(x1=f"x1 = {_fmt(x1)}", x2=f"x2 = {_fmt(x2)}")
    if values is not None:
        if not isinstance(values, Forward):
            raise TypeError(f"values must be a Forward record from nnkit.forward, got {type(values).__name__}")
        # The code's names; the homework writes h_{1i}, h_{1o}, O_{1i}, O_1.
        for unit, field_in, field_out, symbol_out in (("h1", "h1_in", "h1_out", "h1_out"),
                                                      ("h2", "h2_in", "h2_out", "h2_out"),
                                                      ("O1", "o1_in", "o1_out", "O1"),
                                                      ("O2", "o2_in", "o2_out", "O2")):
            text[unit] = (f"{field_in} = {_fmt(getattr(values, field_in))}\n"
                          f"{symbol_out} = {_fmt(getattr(values, field_out))}")
    if target is not None:
        t1, t2 = validate.vector("target", target, 2)
        for unit, t in (("O1", t1), ("O2", t2)):
            text[unit] = (text[unit] + "\n" if text[unit] else "") + f"Ô{unit[1]} = {_fmt(t)}"
    return text


def _styles(network, values, grads, x, target):
    """gid -> what that artist shows: {"color", "width"} for arrows, {"text"} for texts."""
    homework, layers, edges, biases = _describe(network)
    if not homework and (values is not None or x is not None or target is not None):
        raise TypeError("values, x and target can only be drawn for the homework network (a params dict)")
    grad = _edge_grads(grads, network, homework)
    magnitude = max([abs(w) for *_, w in edges] + [abs(b) for *_, b in biases] + [1e-12])
    styles = {}
    for name, _, _, w in edges:
        styles[f"edge:{name}"] = {"color": _colour(w), "width": 0.8 + 4.2 * abs(w) / magnitude}
        text = f"{name} = {_fmt(w)}" + (f"\n∂L/∂{name} = {_fmt(grad[name])}" if name in grad else "")
        styles[f"label:edge:{name}"] = {"text": text, "color": _colour(w)}
    for name, layer, b in biases:
        for unit in layers[layer]:
            styles[f"bias-edge:{name}->{unit}"] = {"color": _colour(b), "width": 1.0 + 2.1 * abs(b) / magnitude}
        text = f"{name} = {_fmt(b)}" + (f"\n∂L/∂{name} = {_fmt(grad[name])}" if name in grad else "")
        styles[f"value:{name}"] = {"text": text}
    if homework:
        styles.update({f"value:{unit}": {"text": t} for unit, t in _node_texts(values, x, target).items()})
    return styles


def _apply(artists, styles):
    """Give each artist (gid -> artist) its style."""
    for gid, style in styles.items():
        artist = artists.get(gid)
        if artist is None:          # e.g. no labels on the edges of a bigger network
            continue
        if "text" in style:
            artist.set_text(style["text"])
            if "color" in style:
                artist.get_bbox_patch().set_edgecolor(style["color"])
        else:
            artist.set_color(style["color"])
            artist.set_linewidth(style["width"])


# --- drawing ------------------------------------------------------------------------------------

def draw_network(network=None, values=None, grads=None, ax=None, title=None, *, x=None, target=None):
    """Draw a small MLP: units as circles, weights as arrows labelled "w7 = 0.4".

    network: the homework's params dict w1..w8, b1, b2 (default: `homework_params()`) or an
             `MLP` (up to 5 layers of up to 10 units; a 2-2-2 MLP with shared biases is drawn in
             the homework's notation). Shared biases (b1, b2) are drawn as squares; an
             MLP's per-unit biases are not drawn.
    values:  a `Forward` record (homework network): each unit shows its input and output.
    grads:   a `Gradients` mapping (or an MLP's grads dict): each label adds ∂L/∂w.
    x, target: inputs and targets to print next to the input and output units (homework).
    Arrow colour is the weight's sign (blue +, red −); its width grows with |w|.
    Returns the matplotlib Axes (on a new figure if `ax` is None).
    """
    styles = _styles(network, values, grads, x, target)       # checks every argument first
    homework, layers, edges, biases = _describe(network)
    xlim, ylim = _limits(layers, biases)
    if ax is None:
        scale = min(INCHES_PER_UNIT, MAX_HEIGHT / (ylim[1] - ylim[0]))
        size = (scale * (xlim[1] - xlim[0]) + 0.4, scale * (ylim[1] - ylim[0]) + 0.9)
        _, ax = plt.subplots(figsize=size, layout="constrained")
    positions = _positions(layers)
    lowest = min(y for _, y in positions.values())
    labelled = len(edges) <= MAX_LABELLED_EDGES

    for name, start, end, _ in edges:
        _add_edge(ax, positions[start], positions[end], f"edge:{name}", labelled)
    for name, layer, _ in biases:
        _add_bias(ax, name, ((layer - 0.55) * LAYER_GAP, lowest - BIAS_DROP),
                  [(unit, positions[unit]) for unit in layers[layer]])
    for k, layer in enumerate(layers):
        fill = LAYER_FILLS[0 if k == 0 else 2 if k == len(layers) - 1 else 1]
        for unit in layer:
            _add_unit(ax, unit, positions[unit], fill, homework, lowest)
    _apply(_artists_by_gid(ax), styles)
    _finish(ax, xlim, ylim, biases, title or _default_title(homework, network, values, grads))
    return ax


def homework_geometry():
    """Where `draw_network` puts the homework network's parts, in diagram units (y up), for the
    backprop playground's SVG: {"units": {name: [x, y]}, "edges": [[w, from, to]], "biases":
    [[b, [x, y], [units it feeds]]], "radius", "bias_half", "xlim", "ylim"}."""
    _, layers, edges, biases = _describe(None)
    positions = _positions(layers)
    lowest = min(y for _, y in positions.values())
    xlim, ylim = _limits(layers, biases)
    return {"units": {unit: list(xy) for unit, xy in positions.items()},
            "edges": [[name, start, end] for name, start, end, _ in edges],
            "biases": [[name, [(layer - 0.55) * LAYER_GAP, lowest - BIAS_DROP], layers[layer]]
                       for name, layer, _ in biases],
            "radius": RADIUS, "bias_half": BIAS_HALF, "xlim": list(xlim), "ylim": list(ylim)}


def _artists_by_gid(ax):
    return {artist.get_gid(): artist for artist in ax.get_children() if artist.get_gid()}


def _unit_gap(layers):
    """Units of tall layers sit closer together, so that a 10-unit layer still fits a page."""
    return max(1.0, min(UNIT_GAP, 7.2 / max(map(len, layers))))


def _positions(layers):
    """Centre of every unit: layer k at x = k·LAYER_GAP, units centred on y = 0, first on top."""
    gap = _unit_gap(layers)
    return {unit: (k * LAYER_GAP, (len(layer) - 1) / 2 * gap - j * gap)
            for k, layer in enumerate(layers) for j, unit in enumerate(layer)}


def _arrow(start, end, cut_start, cut_end, gid, **style):
    """An arrow from `start` to `end`, shortened so it runs from border to border of the shapes."""
    (x0, y0), (x1, y1) = start, end
    length = np.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    return FancyArrowPatch((x0 + cut_start * ux, y0 + cut_start * uy), (x1 - cut_end * ux, y1 - cut_end * uy),
                           arrowstyle="-|>", shrinkA=0, shrinkB=0, zorder=1, gid=gid, **style)


def _add_edge(ax, start, end, gid, labelled):
    ax.add_patch(_arrow(start, end, RADIUS, RADIUS, gid, mutation_scale=12, alpha=0.85))
    if labelled:
        # Level arrows are labelled in their middle, slanted ones a third of the way along, so
        # the two labels of a crossing pair sit on opposite sides of the crossing.
        (x0, y0), (x1, y1) = start, end
        t = 0.5 if abs(y1 - y0) < 1e-9 else 0.33
        ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), "", ha="center", va="center", fontsize=9,
                zorder=3, gid=f"label:{gid}", linespacing=1.3,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", lw=0.8))


def _add_unit(ax, name, centre, fill, with_value, lowest):
    ax.add_patch(Circle(centre, RADIUS, fc=fill, ec="#333333", lw=1.4, zorder=2, gid=f"node:{name}"))
    ax.text(*centre, _node_label(name), ha="center", va="center", fontsize=10 if "_" in name else 13,
            zorder=4, gid=f"name:{name}")
    if with_value:
        # Values go above the units of the upper half and below the others, away from the arrows.
        above = centre[1] > 0 or (centre[1] == 0 and lowest == 0)
        y = centre[1] + (RADIUS + 0.12) * (1 if above else -1)
        ax.text(centre[0], y, "", ha="center", va="bottom" if above else "top", fontsize=9,
                zorder=4, gid=f"value:{name}", linespacing=1.2)


def _node_label(name):
    if "_" in name:                       # deeper nets: h2_3 is unit 3 of hidden layer 2
        layer, unit = name[1:].split("_")
        return f"$h^{{({layer})}}_{{{unit}}}$"
    return _tex(name)


def _add_bias(ax, name, centre, units):
    """A shared bias: one square under the gap before its layer, a dashed arrow to each unit."""
    bx, by = centre
    ax.add_patch(FancyBboxPatch((bx - BIAS_HALF, by - BIAS_HALF), 2 * BIAS_HALF, 2 * BIAS_HALF,
                                boxstyle="round,pad=0.03", fc="#fff6c8", ec="#333333", lw=1.2, zorder=2,
                                gid=f"bias:{name}"))
    ax.text(bx, by, _tex(name), ha="center", va="center", fontsize=11, zorder=4, gid=f"name:{name}")
    ax.text(bx, by - BIAS_HALF - 0.12, "", ha="center", va="top", fontsize=9, zorder=4,
            gid=f"value:{name}", linespacing=1.3)
    for unit, position in units:
        ax.add_patch(_arrow(centre, position, BIAS_HALF, RADIUS, f"bias-edge:{name}->{unit}",
                            mutation_scale=10, linestyle=(0, (3, 2)), alpha=0.6))


def _default_title(homework, network, values, grads):
    if homework:
        what = "The homework's 2-2-2 network"
    else:
        what = f"MLP {'-'.join(map(str, network.sizes))}" + ("" if network.shared_bias else " (biases not drawn)")
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
    ax.axis("off")
    ax.set_title(title)
    handles = [Line2D([], [], color=POSITIVE, lw=3, label="weight > 0"),
               Line2D([], [], color=NEGATIVE, lw=3, label="weight < 0"),
               Line2D([], [], color="grey", lw=1, label="thicker = larger |weight|")]
    if biases:
        handles.append(Line2D([], [], color="grey", lw=1.2, ls=(0, (3, 2)), label="shared bias"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles),
              frameon=False, fontsize=9)
