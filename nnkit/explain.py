"""Write a homework gradient as its chain-rule product, with every number computed.

    >>> print(explain("w7"))
    ∂L/∂w7 = ∂L/∂O2 · ∂O2/∂o2_in · ∂o2_in/∂w7 = (−0.668592)(0.222542)(0.645656) = −0.096067

In Jupyter the same explanation renders as LaTeX in the homework's notation (h_{1i}, O_{2i}, ...).
"""
from .homework import HOMEWORK_TARGET, HOMEWORK_X, PARAM_NAMES, backward, homework_params
from . import validate

# The code's names and the homework's notation, side by side.
LATEX_NAMES = {
    "L": "L", "O1": "O_1", "O2": "O_2", "o1_in": "O_{1i}", "o2_in": "O_{2i}",
    "h1_out": "h_{1o}", "h2_out": "h_{2o}", "h1_in": "h_{1i}", "h2_in": "h_{2i}",
    **{name: f"{name[0]}_{name[1:]}" for name in PARAM_NAMES},
}


def number(value, minus="−"):
    """Six decimals, or five significant digits for small values (so −0.0028168 keeps its digits).

    Whole numbers (an input x1 = 1, a bias's ∂/∂b = 1) are written as such.
    """
    if float(value).is_integer():
        return str(int(value)).replace("-", minus)
    text = f"{value:.5g}" if 0 < abs(value) < 0.01 else f"{value:.6f}"
    return text.replace("-", minus)


class Explanation(str):
    """A plain string that Jupyter renders as LaTeX (its `latex` attribute)."""

    def __new__(cls, text, latex):
        obj = super().__new__(cls, text)
        obj.latex = latex
        return obj

    def _repr_markdown_(self):
        return self.latex


def _split(symbol):
    """'∂L/∂O2' -> ('L', 'O2')."""
    top, bottom = symbol[1:].split("/∂")
    return top, bottom


def _latex_symbol(symbol):
    top, bottom = _split(symbol)
    return rf"\frac{{\partial {LATEX_NAMES[top]}}}{{\partial {LATEX_NAMES[bottom]}}}"


def _product(term, show, sep):
    return sep.join(show(symbol) for symbol, _ in term)


def explain(name, params=None, x=HOMEWORK_X, target=HOMEWORK_TARGET, half=False):
    """The chain rule for ∂L/∂`name` (one of w1..w8, b1, b2) with the numbers of this setting.

    Returns an `Explanation`: print it for text, or let Jupyter display it as LaTeX.
    """
    validate.choice("parameter name", name, PARAM_NAMES)
    params = homework_params() if params is None else params
    grads = backward(params, x, target, half=half)
    terms = grads.terms[name]

    symbols = " + ".join(_product(t, str, " · ") for t in terms)
    values = " + ".join("".join(f"({number(v)})" for _, v in t) for t in terms)
    lines = [f"∂L/∂{name} = {symbols} = {values} = {number(grads[name])}"]
    tex_symbols = " + ".join(_product(t, _latex_symbol, r" \cdot ") for t in terms)
    tex_values = " + ".join("".join(f"({number(v, '-')})" for _, v in t) for t in terms)
    tex = [rf"\frac{{\partial L}}{{\partial {LATEX_NAMES[name]}}} = {tex_symbols} = {tex_values} = {number(grads[name], '-')}"]

    # A hidden unit feeds both outputs: say how its ∂L/∂h_out is the sum of the two paths.
    for h in sorted({_split(t[0][0])[1] for t in terms if t[0][0].endswith("_out")}):
        unit = h[:2]
        via = [grads.factors[f"dL_d{unit}_out_via_O{o}"] for o in (1, 2)]
        w = {"h1": ("w5", "w7"), "h2": ("w6", "w8")}[unit]
        lines.append(f"  where ∂L/∂{h} = ∂L/∂O1 · ∂O1/∂o1_in · {w[0]} + ∂L/∂O2 · ∂O2/∂o2_in · {w[1]}"
                     f" = ({number(via[0])}) + ({number(via[1])}) = {number(sum(via))}")
        tex.append(rf"\text{{where }} \frac{{\partial L}}{{\partial {LATEX_NAMES[h]}}} = "
                   rf"\underbrace{{{number(via[0], '-')}}}_{{\text{{via }} O_1}} + "
                   rf"\underbrace{{{number(via[1], '-')}}}_{{\text{{via }} O_2}} = {number(sum(via), '-')}")
    latex = "\n\n".join(f"$${t}$$" for t in tex)
    return Explanation("\n".join(lines), latex)
