"""The homework's 2-2-2 network, in the homework's own notation, one scalar step at a time.

        x1 ──w1──▶ h1 ──w5──▶ O1        h1_in = w1·x1 + w2·x2 + b1     h1_out = σ(h1_in)
           ╲w3   ╱   ╲w7   ╱            h2_in = w3·x1 + w4·x2 + b1     h2_out = σ(h2_in)
            ╲   ╱w2   ╲   ╱w6           o1_in = w5·h1_out + w6·h2_out + b2   O1 = σ(o1_in)
        x2 ──w4──▶ h2 ──w8──▶ O2        o2_in = w7·h1_out + w8·h2_out + b2   O2 = σ(o2_in)

    L = (O1 − Ô1)² + (O2 − Ô2)²        (half=True: ½ of that)

The homework writes h_{1i}, h_{1o}, O_{1i}, O_1; the code writes h1_in, h1_out, o1_in, o1_out.
b1 is shared by both hidden units and b2 by both outputs, so their gradients are sums of two
paths. The steps themselves (every formula of the chain rule) are derived once, in
`nnkit.steps`, from the homework's spec; this module gives them the homework's interface.
The vectorized version of the same network is `MLP.from_homework()`.
"""
from dataclasses import dataclass
from functools import cached_property

from . import validate
from .spec import HOMEWORK_PARAMS, Spec
from .steps import derive, evaluate, homework_net, sigmoid

__all__ = ["HOMEWORK_TARGET", "HOMEWORK_X", "PARAM_NAMES", "Forward", "Gradients", "backward", "check_params",
           "forward", "homework_params", "loss", "sgd_step", "sigmoid", "spec"]

HOMEWORK_X = (1, 2)
HOMEWORK_TARGET = (0, 1)
PARAM_NAMES = tuple(HOMEWORK_PARAMS)
GRADIENT_NAMES = {p: f"dL_d{p}" for p in PARAM_NAMES}   # "w7" -> "dL_dw7", the steps' name for ∂L/∂w7
FACTOR_ROLES = ("dout", "slope", "delta", "via")   # the chain-rule factors `Gradients.factors` holds


def homework_params():
    """A fresh dict of the homework's ten parameters (mutating it changes nothing else)."""
    return dict(HOMEWORK_PARAMS)


def spec(params=None, x=HOMEWORK_X, target=HOMEWORK_TARGET, half=False, lr=None):
    """The homework as a `nnkit.spec.Spec` (with these numbers); half=True: L = ½Σ(O − Ô)²."""
    return Spec(params=homework_params() if params is None else params, x=x, target=target,
                loss="half_sse" if half else "sse", lr=lr)


def check_params(params, what="params"):
    """Return `params` as a dict of floats; raise if a key is missing, unknown or not a finite real number."""
    return validate.number_dict(what, params, PARAM_NAMES)


@dataclass(slots=True)
class Forward:
    """Every intermediate value of one forward pass (names as in the module docstring)."""
    h1_in: float
    h1_out: float
    h2_in: float
    h2_out: float
    o1_in: float
    o1_out: float
    o2_in: float
    o2_out: float


def _world(params, x):
    """The given numbers by name, each checked once: w1..b2, x1, x2 (what the forward pass starts from)."""
    x1, x2 = validate.vector("x", x, 2)
    return {**check_params(params), "x1": x1, "x2": x2}


def forward(params, x=HOMEWORK_X):
    """Forward pass of the 2-2-2 network for a 2-vector `x`; returns a `Forward` record."""
    values = evaluate(homework_net(), _world(params, x), roles=("in", "out"))
    return Forward(*(values[name] for name in Forward.__slots__))


def loss(outputs, target=HOMEWORK_TARGET, half=False):
    """L = (O1 − Ô1)² + (O2 − Ô2)², or ½ of it with `half=True`.

    `outputs` is a `Forward` record or a pair (O1, O2); `target` is the pair (Ô1, Ô2).
    """
    if isinstance(outputs, Forward):
        outputs = (outputs.o1_out, outputs.o2_out)
    o1, o2 = validate.vector("outputs", outputs, 2)
    (t1, t2) = validate.vector("target", target, 2)
    world = {"o1_out": o1, "o2_out": o2, "t1": t1, "t2": t2}
    return evaluate(homework_net("half_sse" if half else "sse"), world, roles=("loss_term", "loss"))["L"]


class Gradients(dict):
    """∂L/∂p for the ten parameters (a dict keyed w1..w8, b1, b2), plus how they were made.

    `factors` holds every chain-rule factor by name: factors["dL_do2_out"], factors["do2_out_do2_in"],
    factors["dL_do2_in"], factors["dL_dh2_out_via_o1"], factors["dL_dh2_out"], ...
    `terms[name]` is the gradient written as a sum of products: a list of terms, each a list of
    (symbol, value) factors, so that sum(prod(values)) == self[name]. `explain` prints them.
    """

    def __init__(self, net, values):
        super().__init__({p: values[name] for p, name in GRADIENT_NAMES.items()})
        self.net, self.values = net, values

    # factors and terms are built on first use only: explain() and the checker read them,
    # a training loop wants only the ten numbers.
    @cached_property
    def factors(self):
        return {s.name: self.values[s.name] for s in derive(self.net) if s.role in FACTOR_ROLES}

    @cached_property
    def terms(self):
        return _chain_terms(derive(self.net), self.values)


def _chain_terms(steps, values):
    """Each parameter's gradient as a sum of chain-rule products [(symbol, value), ...] (any network's steps)."""
    terms = {}
    for s in steps:
        if s.role != "grad":
            continue
        terms[s.unit] = []
        for dout, slope, local in s.paths:     # e.g. ∂L/∂o2_out · ∂o2_out/∂o2_in · ∂o2_in/∂w7
            unit_in = slope.split("_d")[-1]     # "do2_out_do2_in" -> "o2_in"
            local_value = 1.0 if local == "1" else values[local]   # ∂o2_in/∂b2 = 1; ∂o2_in/∂w7 = h1_out
            terms[s.unit].append([(symbol(dout), values[dout]), (symbol(slope), values[slope]),
                                  (f"∂{unit_in}/∂{s.unit}", local_value)])
    return terms


def symbol(name):
    """'dL_do2_out' -> '∂L/∂o2_out' (a factor's name written as a partial derivative)."""
    top, bottom = name[1:].split("_d", 1)
    return f"∂{top}/∂{bottom}"


def backward(params, x=HOMEWORK_X, target=HOMEWORK_TARGET, half=False):
    """Gradient of L with respect to all ten parameters, by the chain rule (returns `Gradients`)."""
    net = homework_net("half_sse" if half else "sse")
    world = _world(params, x)
    world["t1"], world["t2"] = validate.vector("target", target, 2)
    return Gradients(net, evaluate(net, world))


def sgd_step(params, grads, lr):
    """One gradient-descent step: returns a new dict p − lr·∂L/∂p (the inputs are not changed)."""
    p = check_params(params)
    g = check_params(grads, what="grads")
    lr = validate.positive_number("lr", lr)
    return {name: p[name] - lr * g[name] for name in PARAM_NAMES}
