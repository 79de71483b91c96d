r"""The worked solution of any spec: every step with its formula and its numbers, in the homework's layout.

    >>> solution = worked_solution()          # the homework; worked_solution(spec) for any other
    >>> "$$h_{1i} = w_{1} \\cdot x_{1} + w_{2} \\cdot x_{2} + b_{1}$$" in solution.markdown
    True

In Jupyter the solution displays as Markdown with LaTeX; `solution.html()` is a stand-alone HTML
page (an answer key), written by nbconvert from a one-cell notebook so that the math renders
exactly as in JupyterLab. The steps are those of `nnkit.steps`, the numbers `nnkit.notation.number`.
"""
from . import notation
from .notation import number, render
from .spec import Spec

TITLES = {"in": "Forward pass", "out": "Forward pass", "loss_term": "Loss", "loss": "Loss"}
ACTIVATION_TEXT = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "linear": "linear"}


class Solution(str):
    """The worked solution as Markdown + LaTeX (a str); Jupyter displays it, `html()` exports it."""

    def __new__(cls, markdown, title):
        obj = super().__new__(cls, markdown)
        obj.markdown, obj.title = markdown, title
        return obj

    def _repr_markdown_(self):
        return self.markdown

    def html(self):
        """A stand-alone HTML page of the solution (MathJax renders the LaTeX)."""
        import nbformat
        from nbconvert import HTMLExporter
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(self.markdown)])
        notebook.metadata["title"] = self.title
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
        return body


def _section(step, layers):
    if step.role in TITLES:
        return TITLES[step.role]
    if step.role == "new":
        return "Updated parameters"
    return "Output layer" if step.layer == layers else f"Hidden layer {step.layer}" if layers > 2 else "Hidden layer"


def describe(spec):
    """One paragraph: the network, its activations, loss, biases and numbers, as the task states them."""
    names = notation.table(spec.net, spec.numbering, "homework")
    sizes = "-".join(map(str, spec.sizes))
    acts = ", ".join(ACTIVATION_TEXT[a] for a in spec.activations)
    loss = {"sse": r"L = \sum_k (O_k - \hat{O}_k)^2", "half_sse": r"L = \tfrac12 \sum_k (O_k - \hat{O}_k)^2",
            "mse": r"L = \tfrac1K \sum_k (O_k - \hat{O}_k)^2",
            "bce": r"L = -\sum_k \left[\hat{O}_k \ln O_k + (1 - \hat{O}_k) \ln(1 - O_k)\right]"}[spec.loss]
    bias = {"shared": "one bias per layer, shared by its units", "per_unit": "one bias per unit",
            "none": "no biases"}[spec.bias]

    def given(name):
        return f"{names[name][1]} = {number(spec.world()[name], minus='-')}"

    inputs = [f"x{i}" for i in range(1, spec.sizes[0] + 1)] + [f"t{j}" for j in range(1, spec.sizes[-1] + 1)]
    lines = [f"A {sizes} network (activations by layer: {acts}), ${loss}$, {bias}.",
             "$$" + ", \\quad ".join(given(n) for n in inputs) + "$$",
             "$$" + ", \\quad ".join(given(p) for p in spec.net.params) + "$$"]
    if spec.lr is not None:
        lines.append(f"Learning rate $\\eta = {number(spec.lr)}$.")
    return "\n\n".join(lines)


def worked_solution(spec=None, notation_="homework", title="Worked solution"):
    """Every step of `spec` (default: the homework) with its formula and numbers; returns a `Solution`.

    Each step is written as the homework writes it: the formula in symbols, then the same with
    the numbers put in, then the value (six decimals at most; five significant digits when small).
    """
    spec = Spec() if spec is None else spec
    names = notation.table(spec.net, spec.numbering, notation_)
    values = spec.values()
    layers = len(spec.sizes) - 1
    parts, section = [f"## {title}", describe(spec)], None
    for step in spec.steps:
        if _section(step, layers) != section:
            section = _section(step, layers)
            parts.append(f"### {section}")
        symbols = r" \cdot ".join(render(f, names, latex=True) for f in step.factors)
        numbers = r" \cdot ".join(render(f, names, latex=True, values=values) for f in step.factors)
        result = number(values[step.name], minus="-")
        lhs = names[step.name][1]
        if numbers == result:                       # nothing to work out (a slope of 1)
            parts.append(f"$${lhs} = {symbols} = {result}$$")
        else:
            parts.append(f"$${lhs} = {symbols}$$\n\n$$= {numbers} = {result}$$")
    return Solution("\n\n".join(parts), title)
