"""A careful student, simulated: every value from their own earlier (rounded) values, slips put in by hand."""
from nnkit.spec import Spec
from nnkit.steps import Net, value


def hand_calculation(spec, slips=None, decimals=4, names=None):
    """{name: text} for the steps `names` (default: every step), each computed from the student's own
    earlier values and written to `decimals` places; slips = {name: f(world) -> value written instead}
    (later values follow from it: error carried forward)."""
    slips, world, written = slips or {}, spec.world(), {}
    wanted = set(names) if names is not None else {s.name for s in spec.steps}
    for step in spec.steps:
        x = slips[step.name](world) if step.name in slips else value(step, world)
        world[step.name] = round(x, decimals) if step.name in wanted else x
        if step.name in wanted:
            written[step.name] = f"{world[step.name]:.{decimals}f}"
    return written


def spec_of(sizes, activations, bias="shared", loss="sse", lr=None, **numbers):
    """A Spec whose parameters are given as a list in the homework's order (w1.., then biases)."""
    net = Net(tuple(sizes), tuple(activations), loss, bias, lr is not None)
    params = dict(zip(net.params, numbers.pop("params")))
    return Spec(sizes=tuple(sizes), activations=tuple(activations), bias=bias, loss=loss, lr=lr, params=params,
                **numbers)
