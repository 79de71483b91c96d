"""Judge one hand-computed value: correct, off by rounding, carried forward, or which slip it is.

Each step (`nnkit.steps`) is recomputed in three worlds:
  exact  from the exact earlier values;
  good   from your earlier values that were correct (to rounding), exact ones elsewhere;
  own    from all your earlier values, right or wrong (error carried forward).
"Matches" means "rounds to your value at the number of decimals you wrote". The slips tried, in
order, each in the exact and your own world: the sign; one factor left out; σ(−z) for σ(z); one
path only into a hidden unit; the updated weight for the old one when back-propagating; another
weight of the same layer; the wrong input (x2 for x1, h2_out for h1_out); another unit's slope.
"""
import math

from .notation import number, render
from .steps import value

OK = ("correct", "rounding")
BACKWARD = ("dout", "via", "delta", "grad")


def rounds_to(yours, x, decimals):
    """True if x rounded to `decimals` places is your value (a half unit either side)."""
    return abs(yours - x) <= 0.5 * 10.0 ** -decimals * (1 + 1e-9)   # 1e-9: binary floats of decimals


def truncates_to(yours, x, decimals):
    """True if x with its digits after `decimals` places cut off is your value."""
    # Cutting off leaves |yours| <= |x| < |yours| + one unit; the slack absorbs binary floats
    # (1.2 may be stored as 1.19999...), and shrinks the interval at its open end.
    slack = 0.5e-9 * 10.0 ** -decimals
    return yours * x >= 0 and abs(yours) - slack <= abs(x) < abs(yours) + 10.0 ** -decimals - slack


def _places(decimals):
    return f"{decimals} decimal" + ("" if decimals == 1 else "s")


class Judge:
    """Judges the values of one spec; `names` = {code name: (key, latex, aliases)} of the report's notation."""

    def __init__(self, spec, names):
        self.spec, self.net, self.names = spec, spec.net, names
        self.by_name = {s.name: s for s in spec.steps}
        self.peers = _peers(self.net, spec.steps)

    def key(self, name):
        return self.names[name][0]

    def formula(self, step):
        return " · ".join(render(f, self.names) for f in step.factors)

    def quote(self, sources, given):
        return ", ".join(f"{self.key(n)} = {given[n][2]}" for n in sources)

    def judge(self, step, yours, decimals, worlds, sources, given):
        """(verdict, why) for your value of `step`, given the exact, good and own worlds."""
        exact_w, good_w, own_w = worlds
        exact = value(step, exact_w)
        forms = range(len(step.codes))
        goods = [value(step, good_w, f) for f in forms]
        owns = [value(step, own_w, f) for f in forms]
        carried = self.quote(sources, given)
        if rounds_to(yours, exact, decimals):
            differs = carried and not rounds_to(yours, owns[0], decimals)
            aside = f" (from your {carried}: {number(owns[0])})" if differs else ""
            return "correct", f"correct to {_places(decimals)}{aside}"
        if any(rounds_to(yours, g, decimals) for g in goods):
            return "rounding", f"your rounded earlier values give {number(goods[0])}; the last digit moved, fine"
        own = next((o for o in owns if rounds_to(yours, o, decimals)), None)
        if own is not None:
            return "consistent", f"right method: from your {carried} it gives {number(own)}"
        for x, source in ((exact, "the exact value is"), (owns[0], "your earlier values give")):
            if truncates_to(yours, x, decimals):
                return "truncated", f"{source} {number(x)}: rounded to {_places(decimals)} {number(x, decimals)}"
        if decimals >= 6 and any(abs(yours - x) <= 10.0 ** -decimals * (1 + 1e-9) for x in (*goods, *owns)):
            # At six decimals or more, one unit in the last place is what rounded intermediates do.
            return "rounding", f"{number(goods[0], decimals)}: one unit off in the last of {_places(decimals)}, fine"
        verdict, why = self.diagnose(step, yours, decimals, (exact_w, own_w))
        if verdict == "wrong":
            why = f"it should be {number(exact, decimals)} (exact {number(exact)})"
            if carried and number(owns[0], decimals) != number(exact, decimals):
                why += f"; from your {carried} it would be {number(owns[0], decimals)}"
        return verdict, why

    def diagnose(self, step, yours, decimals, worlds):
        """(verdict, why) for a value that is not correct, consistent or truncated."""
        def matches(x):
            return rounds_to(yours, x, decimals)

        for world in worlds:
            if matches(-value(step, world)):
                return "sign", f"the sign is wrong: it should be {number(value(step, world), decimals)}"
        for world in worlds:
            for i, factor in enumerate(step.factors if len(step.factors) > 1 else ()):
                if matches(value(step, world, drop=i)):
                    return "missing_factor", (f"the factor {render(factor, self.names)} seems left out of "
                                              f"{self.formula(step)}")
        if step.role == "out" and self.spec.activations[step.layer - 1] == "sigmoid":
            z = self.key(f"{step.unit}_in")
            for world in worlds:
                if matches(1 - value(step, world)):     # σ(−z) = 1 − σ(z)
                    return "negated", f"that is σ(−{z}) = 1/(1 + e^{z}); σ({z}) = 1/(1 + e^(−{z}))"
        for world in worlds:
            for verdict, why, changed in self._substitutions(step, world):
                if matches(value(step, {**world, **changed})):
                    return verdict, why
        return "wrong", ""

    def _substitutions(self, step, world):
        """(verdict, why, {name: other value}) for each slip that replaces one input of the step."""
        if step.role == "dout" and self._vias(step.unit):
            for via in self._vias(step.unit):
                yield "one_path", self._one_path(step.unit, via), {v: 0.0 for v in self._vias(step.unit) if v != via}
        for n in step.inputs:
            dep = self.by_name.get(n)
            if dep is not None and dep.role == "dout" and self._vias(dep.unit):
                for via in self._vias(dep.unit):
                    yield "one_path", self._one_path(dep.unit, via), {n: world[via]}
            kind, peers = self.peers.get(n, (None, ()))
            if kind == "weight" and step.role in BACKWARD and f"{n}_new" in world:
                new = f"{n}_new"
                yield "updated_weight", (f"the updated {self.key(new)} = {number(world[new])} seems used in place "
                                         f"of {self.key(n)} = {number(world[n])}: back-propagation uses the "
                                         "weights of the forward pass"), {n: world[new]}
            if kind == "source" and step.role not in ("in", "grad"):
                continue
            for q in peers:
                if q != n and world[q] != world[n]:
                    verdict = {"weight": "wrong_weight", "source": "wrong_input", "slope": "wrong_slope"}[kind]
                    yield verdict, (f"{self.key(q)} (= {number(world[q])}) seems used in place of "
                                    f"{self.key(n)} (= {number(world[n])})"), {n: world[q]}

    def _vias(self, unit):
        return [s.name for s in self.spec.steps if s.role == "via" and s.unit == unit]

    def _one_path(self, unit, via):
        others = [self.key(v) for v in self._vias(unit) if v != via]
        return (f"only the path {self.key(via)} seems counted: {self.key(f'{unit}_out')} feeds every unit of the next "
                f"layer, so {self.key(f'dL_d{unit}_out')} also needs {' and '.join(others)}")


def _peers(net, steps):
    """{name: (kind, names of the same kind in the same layer)} for weights, sources and slopes."""
    groups = {}
    for (layer, _, _), w in net.weights.items():
        groups.setdefault(("weight", layer), []).append(w)
    for (layer, _), b in net.biases.items():
        if b not in groups.setdefault(("weight", -layer), []):
            groups[("weight", -layer)].append(b)       # biases swap with biases of the same layer
    for layer, units in enumerate(net.units[:-1], start=1):
        groups[("source", layer)] = [u if u.startswith("x") else f"{u}_out" for u in units]
    for s in steps:
        if s.role == "slope":
            groups.setdefault(("slope", s.layer), []).append(s.name)
    return {name: (kind, tuple(members)) for (kind, _), members in groups.items() for name in members}


def degenerate(x):
    """True for the trivial values of the ECF trick (0, ±0.5, ±1, ±2): they make later steps easy."""
    return any(math.isclose(abs(x), t, abs_tol=1e-9) for t in (0, 0.5, 1, 2))
