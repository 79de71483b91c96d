"""Write a gradient as its chain-rule product, with every number computed.

    >>> print(explain("w7"))
    ∂L/∂w7 = ∂L/∂o2_out · ∂o2_out/∂o2_in · ∂o2_in/∂w7 = (−0.668591)(0.222542)(0.645656) = −0.096067

In Jupyter the same explanation renders as LaTeX in the homework's notation (h_{1i}, O_{2i}, ...).
The chain rule itself is read from the steps of `nnkit.steps` (the homework's by default, any
spec with spec=...); numbers are written by `nnkit.notation.number`, as everywhere else.
"""
from . import homework, notation, validate
from .homework import HOMEWORK_TARGET, HOMEWORK_X, symbol
from .notation import number

__all__ = ["Explanation", "explain", "number"]


class Explanation(str):
    """A plain string that Jupyter renders as LaTeX (its `latex` attribute)."""

    def __new__(cls, text, latex):
        obj = super().__new__(cls, text)
        obj.latex = latex
        return obj

    def _repr_markdown_(self):
        return self.latex


def explain(name, params=None, x=HOMEWORK_X, target=HOMEWORK_TARGET, half=False, spec=None):
    """The chain rule for ∂L/∂`name` (a parameter: w1..w8, b1, b2 for the homework) with the numbers
    of this setting, or of `spec` (a `nnkit.steps.Spec`, then params, x, target, half are not used).

    Returns an `Explanation`: print it for text, or let Jupyter display it as LaTeX.
    """
    spec = homework.spec(params, x, target, half=half) if spec is None else spec
    validate.choice("parameter name", name, spec.net.params)
    values = spec.values()
    names = notation.table(spec.net, spec.numbering, "nnkit")
    steps = {s.name: s for s in spec.steps}
    grad = steps[f"dL_d{name}"]

    def factors(path):          # (text, LaTeX, value) of ∂L/∂a, ∂a/∂z and ∂z/∂(parameter)
        dout, slope, local = path
        z = symbol(slope).split("/∂")[1]            # do2_out_do2_in -> o2_in
        return [(symbol(dout), names[dout][1], values[dout]), (symbol(slope), names[slope][1], values[slope]),
                (f"∂{z}/∂{name}", rf"\frac{{\partial {names[z][1]}}}{{\partial {names[name][1]}}}",
                 1.0 if local == "1" else values[local])]

    paths = [factors(path) for path in grad.paths]
    text = " + ".join(" · ".join(t for t, _, _ in path) for path in paths)
    numbers = " + ".join("".join(f"({number(v)})" for _, _, v in path) for path in paths)
    lines = [f"∂L/∂{name} = {text} = {numbers} = {number(values[grad.name])}"]
    tex_text = " + ".join(r" \cdot ".join(t for _, t, _ in path) for path in paths)
    tex_numbers = " + ".join("".join(f"({number(v, minus='-')})" for _, _, v in path) for path in paths)
    tex = [rf"\frac{{\partial L}}{{\partial {names[name][1]}}} = {tex_text} = {tex_numbers} = "
           f"{number(values[grad.name], minus='-')}"]

    # A hidden unit feeds every unit of the next layer: say how its ∂L/∂h_out sums the paths.
    for dout in dict.fromkeys(path[0] for path in grad.paths):
        vias = [s for s in spec.steps if s.role == "via" and s.name.startswith(f"{dout}_via_")]
        if not vias:
            continue
        products = " + ".join(" · ".join(symbol(f) if f in steps else f for f in via.factors) for via in vias)
        lines.append(f"  where {symbol(dout)} = {products} = "
                     + " + ".join(f"({number(values[v.name])})" for v in vias) + f" = {number(values[dout])}")
        braces = " + ".join(rf"\underbrace{{{number(values[v.name], minus='-')}}}_{{\text{{via }} "
                            rf"{names[v.name.rsplit('_via_', 1)[1] + '_out'][1]}}}" for v in vias)
        tex.append(rf"\text{{where }} {names[dout][1]} = {braces} = {number(values[dout], minus='-')}")
    latex = "\n\n".join(f"$${t}$$" for t in tex)
    return Explanation("\n".join(lines), latex)
