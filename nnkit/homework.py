"""The homework's 2-2-2 network, in the homework's own notation, one scalar step at a time.

        x1 ──w1──▶ h1 ──w5──▶ O1        h1_in = w1·x1 + w2·x2 + b1     h1_out = σ(h1_in)
           ╲w3   ╱   ╲w7   ╱            h2_in = w3·x1 + w4·x2 + b1     h2_out = σ(h2_in)
            ╲   ╱w2   ╲   ╱w6           o1_in = w5·h1_out + w6·h2_out + b2   O1 = σ(o1_in)
        x2 ──w4──▶ h2 ──w8──▶ O2        o2_in = w7·h1_out + w8·h2_out + b2   O2 = σ(o2_in)

    L = (O1 − Ô1)² + (O2 − Ô2)²        (half=True: ½ of that)

The homework writes h_{1i}, h_{1o}, O_{1i}, O_1; the code writes h1_in, h1_out, o1_in, o1_out.
b1 is shared by both hidden units and b2 by both outputs, so their gradients are sums of two
paths. Everything is plain Python floats: for two-element vectors that is clearer (and faster)
than numpy. The vectorized version of the same network is `MLP.from_homework()`.
"""
import math
from dataclasses import dataclass
from functools import cached_property

from . import validate

HOMEWORK_X = (1, 2)
HOMEWORK_TARGET = (0, 1)
PARAM_NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2")
_NAME_SET = set(PARAM_NAMES)


def homework_params():
    """A fresh dict of the homework's ten parameters (mutating it changes nothing else)."""
    return {"w1": 0.1, "w2": 0.2, "w3": 0.3, "w4": 0.4,
            "w5": 0.2, "w6": 0.1, "w7": 0.4, "w8": 0.3,
            "b1": 0.1, "b2": 0.2}


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), written so that e^(...) never overflows for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def check_params(params, what="params"):
    """Return `params` as a dict of floats; raise if a key is missing, unknown or not finite.

    The result is only read, never changed: a dict that passes as it is comes back itself.
    """
    # Quick path for the usual case (the output of homework_params, backward or sgd_step): exactly
    # the ten names, all floats, and a finite sum (NaN or ±inf anywhere makes the sum NaN or ±inf).
    if (type(params) in (dict, Gradients) and params.keys() == _NAME_SET
            and set(map(type, params.values())) == {float} and math.isfinite(sum(params.values()))):
        return params
    # Anything else is checked one value at a time, with a message naming what is wrong.
    validate.exact_keys(what, params, PARAM_NAMES)
    return {name: validate.finite_number(f"{what}[{name!r}]", params[name]) for name in PARAM_NAMES}


def _pair(name, value):
    """A 2-vector as two finite floats (a quick path for a tuple or list of two plain numbers;
    anything else goes through validate.vector, which explains what is wrong)."""
    if type(value) in (tuple, list) and len(value) == 2:
        a, b = value
        if (type(a) in (int, float) and type(b) in (int, float)
                and -math.inf < a < math.inf and -math.inf < b < math.inf):
            return float(a), float(b)
    return validate.vector(name, value, 2)


@dataclass(slots=True)   # not frozen: a frozen dataclass takes ~5× longer to create, once per step
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


def forward(params, x=HOMEWORK_X):
    """Forward pass of the 2-2-2 network for a 2-vector `x`; returns a `Forward` record."""
    return _forward(check_params(params), *_pair("x", x))


def _forward(p, x1, x2):
    """`forward` for a checked params dict and floats x1, x2."""
    h1_in = p["w1"] * x1 + p["w2"] * x2 + p["b1"]
    h2_in = p["w3"] * x1 + p["w4"] * x2 + p["b1"]
    h1_out, h2_out = sigmoid(h1_in), sigmoid(h2_in)
    o1_in = p["w5"] * h1_out + p["w6"] * h2_out + p["b2"]
    o2_in = p["w7"] * h1_out + p["w8"] * h2_out + p["b2"]
    return Forward(h1_in, h1_out, h2_in, h2_out, o1_in, sigmoid(o1_in), o2_in, sigmoid(o2_in))


def _outputs(outputs):
    if isinstance(outputs, Forward):
        return outputs.o1_out, outputs.o2_out
    return _pair("outputs", outputs)


def loss(outputs, target=HOMEWORK_TARGET, half=False):
    """L = (O1 − Ô1)² + (O2 − Ô2)², or ½ of it with `half=True`.

    `outputs` is a `Forward` record or a pair (O1, O2); `target` is the pair (Ô1, Ô2).
    """
    o1, o2 = _outputs(outputs)
    t1, t2 = _pair("target", target)
    scale = 0.5 if half else 1.0
    return scale * ((o1 - t1) ** 2 + (o2 - t2) ** 2)


class Gradients(dict):
    """∂L/∂p for the ten parameters (a dict keyed w1..w8, b1, b2), plus how they were made.

    `factors` holds every chain-rule factor by name, e.g. factors["dL_dO2"], factors["dO2_do2_in"].
    `terms[name]` is the gradient written as a sum of products: a list of terms, each a list of
    (symbol, value) factors, so that sum(prod(values)) == self[name]. `explain` prints them.
    """

    def __init__(self, grads, factors, forward_record, x):
        super().__init__(grads)
        self.factors = factors
        self._record, self._x = forward_record, x

    @cached_property
    def terms(self):
        # Built on first use only: explain() wants the symbols, a training loop only the numbers.
        return _chain_terms(self.factors, self._record, *self._x)


def backward(params, x=HOMEWORK_X, target=HOMEWORK_TARGET, half=False):
    """Gradient of L with respect to all ten parameters, by the chain rule (returns `Gradients`)."""
    p = check_params(params)
    x1, x2 = _pair("x", x)
    t1, t2 = _pair("target", target)
    f = _forward(p, x1, x2)
    scale = 0.5 if half else 1.0

    # Output layer: L depends on O1 and O2; each O depends on its o_in through σ.
    dL_dO1 = scale * 2 * (f.o1_out - t1)
    dL_dO2 = scale * 2 * (f.o2_out - t2)
    dO1_do1_in = f.o1_out * (1 - f.o1_out)          # σ'(z) = σ(z)(1 − σ(z))
    dO2_do2_in = f.o2_out * (1 - f.o2_out)
    dL_do1_in = dL_dO1 * dO1_do1_in
    dL_do2_in = dL_dO2 * dO2_do2_in
    # Hidden layer: h1_out and h2_out each feed both outputs, so ∂L/∂h_out has two paths.
    dh1_out_dh1_in = f.h1_out * (1 - f.h1_out)
    dh2_out_dh2_in = f.h2_out * (1 - f.h2_out)
    dL_dh1_out_via_O1, dL_dh1_out_via_O2 = dL_do1_in * p["w5"], dL_do2_in * p["w7"]
    dL_dh2_out_via_O1, dL_dh2_out_via_O2 = dL_do1_in * p["w6"], dL_do2_in * p["w8"]
    dL_dh1_out = dL_dh1_out_via_O1 + dL_dh1_out_via_O2
    dL_dh2_out = dL_dh2_out_via_O1 + dL_dh2_out_via_O2
    dL_dh1_in = dL_dh1_out * dh1_out_dh1_in
    dL_dh2_in = dL_dh2_out * dh2_out_dh2_in
    factors = {
        "dL_dO1": dL_dO1, "dL_dO2": dL_dO2, "dO1_do1_in": dO1_do1_in, "dO2_do2_in": dO2_do2_in,
        "dh1_out_dh1_in": dh1_out_dh1_in, "dh2_out_dh2_in": dh2_out_dh2_in,
        "dL_do1_in": dL_do1_in, "dL_do2_in": dL_do2_in,
        "dL_dh1_out_via_O1": dL_dh1_out_via_O1, "dL_dh1_out_via_O2": dL_dh1_out_via_O2,
        "dL_dh1_out": dL_dh1_out, "dL_dh1_in": dL_dh1_in,
        "dL_dh2_out_via_O1": dL_dh2_out_via_O1, "dL_dh2_out_via_O2": dL_dh2_out_via_O2,
        "dL_dh2_out": dL_dh2_out, "dL_dh2_in": dL_dh2_in,
    }
    # Each gradient is the product of its chain-rule factors (the terms `explain` prints), in
    # the same order, so sum(prod(term)) over `terms[name]` gives exactly these numbers.
    grads = {
        "w1": dL_dh1_in * x1, "w2": dL_dh1_in * x2, "w3": dL_dh2_in * x1, "w4": dL_dh2_in * x2,
        "w5": dL_do1_in * f.h1_out, "w6": dL_do1_in * f.h2_out,
        "w7": dL_do2_in * f.h1_out, "w8": dL_do2_in * f.h2_out,
        "b1": dL_dh1_in + dL_dh2_in, "b2": dL_do1_in + dL_do2_in,
    }
    return Gradients(grads, factors, f, (x1, x2))


def _chain_terms(factors, f, x1, x2):
    """Each gradient as a sum of chain-rule products [(symbol, value), ...]."""
    def output_path(o, wrt, value):
        return [(f"∂L/∂O{o}", factors[f"dL_dO{o}"]), (f"∂O{o}/∂o{o}_in", factors[f"dO{o}_do{o}_in"]),
                (f"∂o{o}_in/∂{wrt}", value)]

    def hidden_path(h, wrt, value):
        return [(f"∂L/∂{h}_out", factors[f"dL_d{h}_out"]), (f"∂{h}_out/∂{h}_in", factors[f"d{h}_out_d{h}_in"]),
                (f"∂{h}_in/∂{wrt}", value)]

    return {
        "w1": [hidden_path("h1", "w1", x1)], "w2": [hidden_path("h1", "w2", x2)],
        "w3": [hidden_path("h2", "w3", x1)], "w4": [hidden_path("h2", "w4", x2)],
        "b1": [hidden_path("h1", "b1", 1.0), hidden_path("h2", "b1", 1.0)],
        "w5": [output_path(1, "w5", f.h1_out)], "w6": [output_path(1, "w6", f.h2_out)],
        "w7": [output_path(2, "w7", f.h1_out)], "w8": [output_path(2, "w8", f.h2_out)],
        "b2": [output_path(1, "b2", 1.0), output_path(2, "b2", 1.0)],
    }


def sgd_step(params, grads, lr):
    """One gradient-descent step: returns a new dict p − lr·∂L/∂p (the inputs are not changed)."""
    p = check_params(params)
    g = check_params(grads, what="grads")
    lr = validate.positive_number("lr", lr)
    return {name: p[name] - lr * g[name] for name in PARAM_NAMES}
