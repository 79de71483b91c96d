"""A network to calculate by hand, with its numbers: what `nnkit.steps` derives the steps from.

    Spec()                                   the homework: 2-2-2, σ, L = Σ(O − Ô)², b1 and b2 shared
    Spec(loss="half_sse", lr=0.5, params=..., x=..., target=...)          e.g. Mazur's example
    Spec(sizes=(3, 4, 1), activations=("tanh", "sigmoid"), loss="bce", bias="per_unit", params=...)

Everything is checked once, here, with messages that name what was wrong and what was expected;
numbers are real and finite (strings and booleans are refused, for weights and inputs alike).
"""
from dataclasses import dataclass

from . import validate
from .steps import ACTIVATIONS, BIASES, LOSSES, NUMBERINGS, derive, evaluate, network

HOMEWORK_PARAMS = {"w1": 0.1, "w2": 0.2, "w3": 0.3, "w4": 0.4, "w5": 0.2, "w6": 0.1, "w7": 0.4, "w8": 0.3,
                   "b1": 0.1, "b2": 0.2}


@dataclass(frozen=True)
class Spec:
    """A network to calculate by hand, and its numbers (the defaults are the homework)."""
    sizes: tuple = (2, 2, 2)
    activations: tuple = ("sigmoid", "sigmoid")
    loss: str = "sse"
    bias: str = "shared"
    numbering: str = "homework"
    params: dict = None
    x: tuple = (1, 2)
    target: tuple = (0, 1)
    lr: float = None
    allow_other_loss: bool = False   # may a student use ½Σ for Σ (or the mean) throughout?

    def __post_init__(self):
        sizes = tuple(validate.positive_int(f"sizes[{i}]", s) for i, s in enumerate(_sequence("sizes", self.sizes)))
        if not 3 <= len(sizes) <= 4 or max(sizes) > 4:
            raise ValueError(f"sizes must be inputs, 1–2 hidden layers and outputs, at most 4 units each, "
                             f"got {sizes}")
        activations = tuple(_sequence("activations", self.activations))
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"activations must give one per layer after the inputs ({len(sizes) - 1}), "
                             f"got {activations}")
        for a in activations:
            validate.choice("activation", a, ACTIVATIONS)
        validate.choice("loss", self.loss, LOSSES)
        if self.loss == "bce" and activations[-1] != "sigmoid":
            raise ValueError(f"loss 'bce' needs sigmoid outputs, got {activations[-1]!r}")
        validate.choice("bias", self.bias, BIASES)
        validate.choice("numbering", self.numbering, NUMBERINGS)
        set_ = object.__setattr__
        set_(self, "sizes", sizes)
        set_(self, "activations", activations)
        net = self.net
        homework_shaped = (net.sizes, net.activations, net.bias) == ((2, 2, 2), ("sigmoid", "sigmoid"), "shared")
        params = HOMEWORK_PARAMS if self.params is None and homework_shaped else self.params
        if params is None:
            raise ValueError(f"params are needed for a network other than the homework's: {', '.join(net.params)}")
        labels = net.labels(self.numbering)
        if hasattr(params, "keys"):
            params = {labels.get(k, k): v for k, v in params.items()}
        set_(self, "params", validate.number_dict("params", params, net.params))
        set_(self, "x", validate.vector("x", self.x, sizes[0]))
        set_(self, "target", validate.vector("target", self.target, sizes[-1]))
        if self.lr is not None:
            set_(self, "lr", validate.positive_number("lr", self.lr))

    @property
    def net(self):
        return network(self.sizes, self.activations, self.loss, self.bias, self.lr is not None)

    @property
    def steps(self):
        return derive(self.net)

    def world(self):
        """The given numbers by name: parameters, x1.., t1.. and lr (what the steps start from)."""
        world = dict(self.params)
        world.update({f"x{i}": v for i, v in enumerate(self.x, 1)})
        world.update({f"t{j}": v for j, v in enumerate(self.target, 1)})
        return {**world, "lr": self.lr} if self.lr is not None else world

    def values(self, roles=None):
        """Every step's exact value, in order: {name: float} (given numbers included)."""
        return evaluate(self.net, self.world(), roles)


def _sequence(name, value):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list or tuple, got {type(value).__name__} {value!r}")
    return value
