"""The backprop playground's step-through mode: ∂L/∂p for one parameter p, one factor at a time.

`chain_steps(params, x, target, "w3")` lists the steps a person walks through: first the forward
values on the way from p to L, then the chain rule backwards from L to p, each factor with its
formula in the homework's notation (h_{2i}, h_{2o}, O_1, Ô_1, written with HTML subscripts), its
numbers, and the running product. The numbers are those of nnkit.forward and nnkit.backward: a
factor's value is read from `backward(...).factors`, never computed again here.
"""
from ..homework import backward
from ..notation import number
from ..steps import homework_net

# The homework's notation for the code's names.
SYMBOLS = {"h1_in": "h<sub>1i</sub>", "h2_in": "h<sub>2i</sub>", "h1_out": "h<sub>1o</sub>", "h2_out": "h<sub>2o</sub>",
           "o1_in": "O<sub>1i</sub>", "o2_in": "O<sub>2i</sub>", "o1_out": "O<sub>1</sub>", "o2_out": "O<sub>2</sub>",
           "t1": "Ô<sub>1</sub>", "t2": "Ô<sub>2</sub>", "L": "L",
           **{name: f"{name[0]}<sub>{name[1:]}</sub>" for name in
              ("x1", "x2", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2")}}
# Which weight joins a unit to the next layer's unit (o1_in = w5·h1_out + w6·h2_out + b2, ...),
# read from the network nnkit.steps derives the homework's steps from.
WEIGHT = {(homework_net().units[layer - 1][i], homework_net().units[layer][j]): w
          for (layer, i, j), w in homework_net().weights.items()}
# Each parameter: the layer it feeds, the units it feeds, and the unit whose value it multiplies
# (x1 or x2, or h1 for h1_out, h2 for h2_out; None for a bias).
FEEDS = {**{w: ("hidden" if unit[0] == "h" else "output", [unit], source) for (source, unit), w in WEIGHT.items()},
         "b1": ("hidden", ["h1", "h2"], None), "b2": ("output", ["o1", "o2"], None)}
UNIT = {"h1": "h1", "h2": "h2", "o1": "O1", "o2": "O2"}      # unit names in the diagram


def n(value):
    """A number inside a formula: as nnkit.explain writes it, in parentheses when negative."""
    return f"({number(value)})" if value < 0 else number(value)


def d(top, bottom):
    """'∂top/∂bottom' in the homework's notation."""
    return f"∂{SYMBOLS[top]}/∂{SYMBOLS[bottom]}"


def chain_steps(params, x, target, wrt):
    """The step-through of ∂L/∂`wrt` as a list of dicts (JSON for the browser):

    phase "forward" | "backward"; highlight: diagram names to light up (units h1, O2, ...,
    weights w3, biases b1); formula: HTML; value: the number it gives (float); name: the code's
    name of that value (h2_in, dL_do1_out, do1_in_dh2_out, ...); factor_key: that name when
    backward(...).factors holds it, else None (the local factors: a weight, an input, or 1); and for
    backward steps running (its text running_text, its symbol running_symbol): the product so far,
    the last one ∂L/∂wrt itself. Every number is one that backward(...) computed."""
    if wrt not in FEEDS:
        raise ValueError(f"the step-through needs a parameter w1..w8, b1 or b2, got {wrt!r}")
    grads = backward(params, x, target)
    values = grads.values                            # every given and computed number, by name
    layer, units, source = FEEDS[wrt]
    steps = _forward_steps(values, units if layer == "hidden" else [], units if layer == "output" else ["o1", "o2"])
    paths = []                                       # one per unit wrt feeds (two for a bias)
    for unit in units:
        path = _output_steps(values, grads.factors, unit) if layer == "output" else \
            _hidden_steps(values, grads.factors, unit)
        value_name = source and (source + "_out" if source[0] == "h" else source)    # h1 -> h1_out
        local = values[value_name] if source else 1.0
        # The product so far: ∂L/∂wrt itself, or for a shared bias its path through this unit (δ · 1).
        running = grads[wrt] if len(units) == 1 else grads.factors[f"dL_d{unit}_in"]
        formula = d(f"{unit}_in", wrt) + (f" = {SYMBOLS[value_name]}" if source else "")
        path.append(_backward(f"d{unit}_in_d{wrt}", formula, local, [wrt] + ([source] if source else []),
                              d("L", wrt) + (f" via {SYMBOLS[unit + '_in']}" if len(units) > 1 else ""), running))
        paths.append(path)
        steps += path
    if len(units) > 1:                               # a shared bias: the two paths add up
        a, b = (path[-1]["running"] for path in paths)
        steps.append(_backward(f"dL_d{wrt}", f"{d('L', wrt)} = {n(a)} + {n(b)}", grads[wrt],
                               [wrt], d("L", wrt), grads[wrt]))
    for step in steps:
        if step["phase"] == "backward":
            step["factor_key"] = step["name"] if step["name"] in grads.factors else None
    return steps


def _forward_steps(v, hidden, outputs):
    steps = []
    for h in hidden:
        w_a, w_b = WEIGHT[("x1", h)], WEIGHT[("x2", h)]
        steps.append(_forward(f"{h}_in", f"{SYMBOLS[h + '_in']} = {SYMBOLS[w_a]}{SYMBOLS['x1']} + "
                              f"{SYMBOLS[w_b]}{SYMBOLS['x2']} + {SYMBOLS['b1']} = {n(v[w_a])} × {n(v['x1'])} + "
                              f"{n(v[w_b])} × {n(v['x2'])} + {n(v['b1'])}", v, [h, w_a, w_b, "b1"]))
        steps.append(_forward(f"{h}_out", f"{SYMBOLS[h + '_out']} = σ({SYMBOLS[h + '_in']}) = "
                              f"1 / (1 + e<sup>−({number(v[h + '_in'])})</sup>)", v, [h]))
    for o in outputs:
        w_a, w_b = WEIGHT[("h1", o)], WEIGHT[("h2", o)]
        steps.append(_forward(f"{o}_in", f"{SYMBOLS[o + '_in']} = {SYMBOLS[w_a]}{SYMBOLS['h1_out']} + "
                              f"{SYMBOLS[w_b]}{SYMBOLS['h2_out']} + {SYMBOLS['b2']} = {n(v[w_a])} × "
                              f"{n(v['h1_out'])} + {n(v[w_b])} × {n(v['h2_out'])} + {n(v['b2'])}",
                              v, [UNIT[o], w_a, w_b, "b2"]))
        steps.append(_forward(f"{o}_out", f"{SYMBOLS[o + '_out']} = σ({SYMBOLS[o + '_in']}) = "
                              f"1 / (1 + e<sup>−({number(v[o + '_in'])})</sup>)", v, [UNIT[o]]))
    steps.append(_forward("L", f"L = ({SYMBOLS['o1_out']} − {SYMBOLS['t1']})² + ({SYMBOLS['o2_out']} − "
                          f"{SYMBOLS['t2']})² = ({n(v['o1_out'])} − {n(v['t1'])})² + ({n(v['o2_out'])} − "
                          f"{n(v['t2'])})²", v, ["O1", "O2"]))
    return steps


def _output_steps(v, factors, o):
    """∂L/∂o_out and ∂o_out/∂o_in: the running product ends at ∂L/∂o_in."""
    k = o[1]
    dL_do = factors[f"dL_d{o}_out"]
    do_do = factors[f"d{o}_out_d{o}_in"]
    return [
        _backward(f"dL_d{o}_out", f"{d('L', o + '_out')} = 2({SYMBOLS[o + '_out']} − {SYMBOLS['t' + k]}) = "
                  f"2({n(v[o + '_out'])} − {n(v['t' + k])})", dL_do, [UNIT[o]], d("L", o + "_out"), dL_do),
        _backward(f"d{o}_out_d{o}_in", f"{d(o + '_out', o + '_in')} = {SYMBOLS[o + '_out']}(1 − "
                  f"{SYMBOLS[o + '_out']}) = {n(v[o + '_out'])} × (1 − {n(v[o + '_out'])})", do_do, [UNIT[o]],
                  d("L", o + "_in"), factors[f"dL_d{o}_in"]),
    ]


def _hidden_steps(v, factors, h):
    """Both paths from L back to h_out (through O1 and through O2), their sum, then
    ∂h_out/∂h_in: the running product ends at ∂L/∂h_in."""
    steps = []
    for o in ("o1", "o2"):
        w = WEIGHT[(h, o)]
        steps += _output_steps(v, factors, o)
        steps.append(_backward(f"d{o}_in_d{h}_out", f"{d(o + '_in', h + '_out')} = {SYMBOLS[w]}", v[w],
                               [w], f"{d('L', h + '_out')} via {SYMBOLS[o + '_out']}",
                               factors[f"dL_d{h}_out_via_{o}"]))
    via_1, via_2 = (factors[f"dL_d{h}_out_via_{o}"] for o in ("o1", "o2"))
    total = factors[f"dL_d{h}_out"]
    steps.append(_backward(f"dL_d{h}_out", f"{d('L', h + '_out')} = {n(via_1)} + {n(via_2)}", total, [h],
                           d("L", h + "_out"), total))
    steps.append(_backward(f"d{h}_out_d{h}_in", f"{d(h + '_out', h + '_in')} = {SYMBOLS[h + '_out']}(1 − "
                           f"{SYMBOLS[h + '_out']}) = {n(v[h + '_out'])} × (1 − {n(v[h + '_out'])})",
                           factors[f"d{h}_out_d{h}_in"], [h], d("L", h + "_in"), factors[f"dL_d{h}_in"]))
    return steps


def _forward(name, formula, v, highlight):
    return {"phase": "forward", "name": name, "formula": f"{formula} = {number(v[name])}", "value": v[name],
            "highlight": highlight, "factor_key": None}


def _backward(name, formula, value, highlight, running_symbol, running):
    """A backward step (chain_steps sets its factor_key)."""
    return {"phase": "backward", "name": name, "formula": f"{formula} = {number(value)}", "value": value,
            "highlight": highlight, "running_symbol": running_symbol, "running": running,
            "running_text": number(running)}
