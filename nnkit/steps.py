"""Every step of a hand calculation of a small network, derived from its spec.

This is the one place where the chain rule of a hand calculation is written down: the homework's
`backward`, `explain`, the checker and the worked solutions all read the steps derived here.

A `Spec` (`nnkit.spec`) is a network and its numbers: layer sizes (inputs first, 1–2 hidden layers, at most 4
units each), an activation per layer, a loss, how biases are shared, how weights are numbered,
the inputs x, the targets, the parameters and (optionally) a learning rate. `Spec()` is the
homework: 2-2-2, sigmoid, L = Σ(O − Ô)², one bias per layer, x = (1, 2), Ô = (0, 1).

Names (one spelling per value, the homework's code names; `nnkit.notation` has the others):
  units     inputs x1.., hidden h1.. (numbered on across hidden layers), outputs o1..
  forward   h1_in = w1·x1 + w2·x2 + b1,  h1_out = σ(h1_in), ...,  L_o1 (one output's loss),  L
  backward  dL_do1_out, do1_out_do1_in, dL_do1_in (δ), dL_dh1_out_via_o1 (one path), dL_dh1_out,
            dh1_out_dh1_in, dL_dh1_in, gradients dL_dw5, dL_db2, updated weights w5_new = w5 − lr·dL_dw5
  weights   w1..wN in the homework's order (= Mazur's): unit by unit, each unit's inputs in order;
            numbering="matrix" labels the same weights W1[i,j] (from input i to unit j, from 1).
  biases    shared: b1 per layer (the homework's); per_unit: b1..bK in unit order; none.
Each step is a product of factors, Python expressions over earlier names (strings, so that a
formula can be printed and its inputs read); `forms` are other correct ways to write it, e.g.
∂L/∂w5 = δ_o1 · h1_out, so a student who wrote δ is judged on it.
"""
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache


ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
LOSSES = ("sse", "half_sse", "mse", "bce")
BIASES = ("shared", "per_unit", "none")
NUMBERINGS = ("homework", "matrix")


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)) of one number, written so that e^(...) never overflows for large |z|.

    `layers.sigmoid` is the same formula over an array; this one keeps a hand calculation's
    numbers plain Python floats (tests/test_layers.py checks that the two agree).
    """
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def relu(z):
    return z if z > 0 else 0.0


def step(z):
    """relu's slope: 1 for z > 0, else 0."""
    return 1.0 if z > 0 else 0.0


FUNCTIONS = {"σ": sigmoid, "tanh": math.tanh, "relu": relu, "step": step, "log": math.log}
_ACTIVATION = {"sigmoid": "σ({z})", "tanh": "tanh({z})", "relu": "relu({z})", "linear": "{z}"}
_SLOPE = {"sigmoid": ("{a}", "(1 - {a})"), "tanh": ("(1 - {a}**2)",), "relu": ("step({z})",), "linear": ("1",)}


@dataclass(frozen=True)
class Step:
    """One value of the hand calculation: name, what it is (role), and the factors of its product.

    role: "in", "out", "loss_term", "loss", "dout" (∂L/∂a), "slope" (∂a/∂z), "delta" (∂L/∂z),
    "via" (one path of ∂L/∂a), "grad", "new". layer: 1 = first hidden layer. unit: the unit
    (or for "grad"/"new" the parameter) it belongs to. paths: a gradient's chain-rule terms.
    """
    name: str
    role: str
    factors: tuple
    layer: int
    unit: str
    forms: tuple = ()
    paths: tuple = ()
    codes: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Compiled once: the strings are this module's own, built from unit names, so eval is safe.
        # Named after this file, as code of this module (the grading copy tells the kit's own calls
        # from a student's by the caller's file name).
        codes = tuple(tuple(compile(f, f"{__file__}:{self.name}", "eval") for f in form)
                      for form in (self.factors, *self.forms))
        object.__setattr__(self, "codes", codes)

    @property
    def inputs(self):
        """The earlier names its (first) formula reads."""
        return tuple(dict.fromkeys(n for code in self.codes[0] for n in code.co_names if n not in FUNCTIONS))


_SCOPE = {"__builtins__": {}, **FUNCTIONS}


def value(step, world, form=0, drop=None):
    """The step's product of factors evaluated over `world` (leaving out factor `drop`); NaN if undefined."""
    try:
        return math.prod(eval(code, _SCOPE, world) for i, code in enumerate(step.codes[form]) if i != drop)
    except (ArithmeticError, ValueError):    # log(0), 1/0, overflow: from a student's value, not ours
        return math.nan


@lru_cache(maxsize=64)
def _program(net, roles):
    """All steps (of these roles) as one compiled block of assignments `name = (f1)*(f2)*...`.

    The same formulas as the steps, run in one go: a training loop calls `values` thousands of times.
    """
    lines = [f"{s.name} = " + "*".join(f"({f})" for f in s.factors)
             for s in derive(net) if roles is None or s.role in roles]
    return compile("\n".join(lines), f"{__file__}:steps", "exec")


@dataclass(frozen=True)
class Net:
    """The structure of a spec (no numbers): what the steps are derived from."""
    sizes: tuple
    activations: tuple
    loss: str
    bias: str
    updates: bool

    @cached_property
    def units(self):
        """Unit names layer by layer: [[x1, x2], [h1, h2], [o1, o2]]."""
        layers, k = [[f"x{i}" for i in range(1, self.sizes[0] + 1)]], 0
        for n in self.sizes[1:-1]:
            layers.append([f"h{k + j}" for j in range(1, n + 1)])
            k += n
        return layers + [[f"o{j}" for j in range(1, self.sizes[-1] + 1)]]

    @cached_property
    def weights(self):
        """{(layer, source index, unit index): 'w<n>'} in the homework's order."""
        names, n = {}, 0
        for layer in range(1, len(self.sizes)):
            for j in range(self.sizes[layer]):
                for i in range(self.sizes[layer - 1]):
                    n += 1
                    names[layer, i, j] = f"w{n}"
        return names

    @cached_property
    def biases(self):
        """{(layer, unit index): 'b<n>'}: one name per layer (shared), per unit, or none."""
        pairs = [(layer, j) for layer in range(1, len(self.sizes)) for j in range(self.sizes[layer])]
        if self.bias == "shared":
            return {(layer, j): f"b{layer}" for layer, j in pairs}
        if self.bias == "per_unit":
            return {pair: f"b{n}" for n, pair in enumerate(pairs, start=1)}
        return {}

    @cached_property
    def params(self):
        return tuple(self.weights.values()) + tuple(dict.fromkeys(self.biases.values()))

    def layer_of(self, param):
        return next(key[0] for names in (self.weights, self.biases) for key, p in names.items() if p == param)

    def labels(self, numbering):
        """{label in `numbering`: parameter name}."""
        return _labels(self, numbering)

    def label(self, param, numbering):
        """A parameter's name in `numbering`: 'w5' -> 'W2[1,1]' for "matrix"."""
        if numbering == "homework":
            return param
        for (layer, i, j), p in self.weights.items():
            if p == param:
                return f"W{layer}[{i + 1},{j + 1}]"
        layer, j = next(key for key, p in self.biases.items() if p == param)
        return f"b{layer}" if self.bias == "shared" else f"b{layer}[{j + 1}]"


@lru_cache(maxsize=64)
def _labels(net, numbering):
    return {net.label(p, numbering): p for p in net.params}


@lru_cache(maxsize=64)
def network(*structure):
    """One Net per structure, so that its cached properties are computed once."""
    return Net(*structure)


@lru_cache(maxsize=64)
def derive(net):
    """Every step of the hand calculation of `net`, in the order a hand calculation writes them."""
    units, W, B = net.units, net.weights, net.biases
    n, outs = len(net.sizes) - 1, units[-1]

    def a(u):      # a unit's output (an input's value is its name)
        return u if u.startswith("x") else f"{u}_out"

    steps = []
    for layer in range(1, n + 1):
        for j, u in enumerate(units[layer]):
            terms = [f"{W[layer, i, j]}*{a(s)}" for i, s in enumerate(units[layer - 1])]
            terms += [B[layer, j]] if (layer, j) in B else []
            steps.append(Step(f"{u}_in", "in", (" + ".join(terms),), layer, u))
        for u in units[layer]:
            activation = _ACTIVATION[net.activations[layer - 1]].format(z=f"{u}_in")
            steps.append(Step(f"{u}_out", "out", (activation,), layer, u))
    steps += _loss_steps(net.loss, outs, n)
    for layer in range(n, 0, -1):
        steps += _backward_layer(net, layer, units, W, B, a)
    return tuple(steps)


def _loss_steps(loss, outs, n):
    k = len(outs)
    mean = (f"1/{k}",) if loss == "mse" and k > 1 else ()
    half = ("1/2",) if loss == "half_sse" else ()
    squares = [f"({o}_out - t{j})**2" for j, o in enumerate(outs, 1)]
    if loss == "bce":
        terms = [(f"-(t{j}*log({o}_out) + (1 - t{j})*log(1 - {o}_out))",) for j, o in enumerate(outs, 1)]
        total = (" + ".join(f"L_{o}" for o in outs),)
    else:
        terms = [half + mean + (sq,) for sq in squares]
        total = half + mean + ((f"({' + '.join(squares)})" if half + mean else " + ".join(squares)),)
    steps = [Step(f"L_{o}", "loss_term", term, n, o) for o, term in zip(outs, terms)]
    return steps + [Step("L", "loss", total, n, "L", forms=((" + ".join(f"L_{o}" for o in outs),),))]


def _output_error(loss, o, j, k):
    """∂L/∂o_out for output o (its target t<j>) of k."""
    diff = f"({o}_out - t{j})"
    if loss == "bce":
        return (f"{diff}/({o}_out*(1 - {o}_out))",)
    return {"sse": ("2", diff), "half_sse": (diff,), "mse": ("2", diff) + ((f"1/{k}",) if k > 1 else ())}[loss]


def _backward_layer(net, layer, units, W, B, a):
    here, steps = units[layer], []
    for j, u in enumerate(here):
        if layer == len(units) - 1:
            steps.append(Step(f"dL_d{u}_out", "dout", _output_error(net.loss, u, j + 1, len(here)), layer, u))
            continue
        nxt = units[layer + 1]
        paths = [((f"dL_d{v}_out", f"d{v}_out_d{v}_in", W[layer + 1, j, m]), (f"dL_d{v}_in", W[layer + 1, j, m]))
                 for m, v in enumerate(nxt)]
        if len(nxt) == 1:
            steps.append(Step(f"dL_d{u}_out", "dout", paths[0][0], layer, u, forms=(paths[0][1],)))
            continue
        vias = [f"dL_d{u}_out_via_{v}" for v in nxt]
        steps += [Step(via, "via", chain, layer, u, forms=(short,)) for via, (chain, short) in zip(vias, paths)]
        by_delta = " + ".join("*".join(short) for _, short in paths)
        steps.append(Step(f"dL_d{u}_out", "dout", (" + ".join(vias),), layer, u, forms=((by_delta,),)))
    activation = net.activations[layer - 1]
    for u in here:
        slope = tuple(f.format(a=f"{u}_out", z=f"{u}_in") for f in _SLOPE[activation])
        steps.append(Step(f"d{u}_out_d{u}_in", "slope", slope, layer, u))
    for u in here:
        steps.append(Step(f"dL_d{u}_in", "delta", (f"dL_d{u}_out", f"d{u}_out_d{u}_in"), layer, u))
    chain = {u: (f"dL_d{u}_out", f"d{u}_out_d{u}_in") for u in here}
    grads = []
    for j, u in enumerate(here):
        for i, s in enumerate(units[layer - 1]):
            w = W[layer, i, j]
            grads.append(Step(f"dL_d{w}", "grad", (*chain[u], a(s)), layer, w,
                              forms=((f"dL_d{u}_in", a(s)),), paths=((*chain[u], a(s)),)))
    for b in dict.fromkeys(B[layer, j] for j in range(len(here)) if (layer, j) in B):
        fed = [u for j, u in enumerate(here) if B[layer, j] == b]
        if len(fed) == 1:
            grads.append(Step(f"dL_d{b}", "grad", chain[fed[0]], layer, b, forms=((f"dL_d{fed[0]}_in",),),
                              paths=((*chain[fed[0]], "1"),)))
        else:
            grads.append(Step(f"dL_d{b}", "grad", (" + ".join("*".join(chain[u]) for u in fed),), layer, b,
                              forms=((" + ".join(f"dL_d{u}_in" for u in fed),),),
                              paths=tuple((*chain[u], "1") for u in fed)))
    steps += grads
    if net.updates:
        steps += [Step(f"{g.unit}_new", "new", (f"{g.unit} - lr*{g.name}",), layer, g.unit) for g in grads]
    return steps


def evaluate(net, world, roles=None):
    """Add every step of `net` (of these roles) to the dict `world` of given numbers; returns it."""
    try:
        exec(_program(net, None if roles is None else tuple(roles)), _SCOPE, world)
    except (ArithmeticError, ValueError):     # e.g. log(0) of a saturated output: NaN from there on
        for s in derive(net):
            if roles is None or s.role in roles:
                world[s.name] = value(s, world)
    return world


def homework_net(loss="sse", updates=False):
    """The homework's structure: 2-2-2, sigmoid, one bias per layer."""
    return network((2, 2, 2), ("sigmoid", "sigmoid"), loss, "shared", updates)
