"""Check a hand calculation of the homework, value by value, with error carried forward.

    >>> report = check_homework({"h1_out": "0.6456", "O2": 0.6656, "dL_dO2": -0.6688})
    >>> report["h1_out"].verdict, report["dL_dO2"].verdict
    ('truncated', 'consistent')

Each value has a formula in terms of earlier values (`STEPS`). It is recomputed in three worlds:
  exact  from the exact earlier values;
  good   from your earlier values that were correct (to rounding), exact ones elsewhere;
  own    from all your earlier values, right or wrong (error carried forward).
A value you did not give is computed in each world from that world's earlier values.

Verdicts (`Check.verdict`), tried in this order; "matches" means "rounds to your value at the
number of decimals you wrote" (0.6456 has 4; pass a string, "0.2400", to keep trailing zeros):
  "correct"         matches the exact value
  "rounding"        matches the good world: only your rounded earlier values moved the last digit
  "consistent"      matches the own world: right method, applied to an earlier wrong value
  "truncated"       the exact or own value cut off instead of rounded (0.645656 -> 0.6456)
  "sign"            minus your value matches
  "missing_factor"  matches the product with one factor left out (e.g. the 2 of 2(O2 − Ô2))
  "wrong_weight"    matches the formula with another weight in place of one it uses (or b1 for b2)
  "wrong"           none of these
Names are the code's (as in `backward(...).factors`); `notation(name)` gives the homework's symbol:
h1_in = h_{1i}, h1_out = h_{1o} (the homework writes h_{10}), o1_in = O_{1i}, O1 = O_1,
dO2_do2_in = ∂O_2/∂O_{2i}, dL_dh2_out_via_O1 = ∂(O_1 − Ô_1)²/∂h_{2o}, dL_dw3 = ∂L/∂w_3, ...
"""
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import validate
from .explain import LATEX_NAMES, number
from .homework import HOMEWORK_TARGET, HOMEWORK_X, PARAM_NAMES, check_params, homework_params, sigmoid

# name: the factors whose product is the value (Python expressions over earlier names,
# the parameters, x1, x2, the targets Ô1, Ô2 and σ). Order is the order of a hand calculation.
STEPS = {
    "h1_in": ("w1*x1 + w2*x2 + b1",), "h2_in": ("w3*x1 + w4*x2 + b1",),
    "h1_out": ("σ(h1_in)",), "h2_out": ("σ(h2_in)",),
    "o1_in": ("w5*h1_out + w6*h2_out + b2",), "o2_in": ("w7*h1_out + w8*h2_out + b2",),
    "O1": ("σ(o1_in)",), "O2": ("σ(o2_in)",),
    "L": ("(O1 - Ô1)**2 + (O2 - Ô2)**2",),
    "dL_dO1": ("2", "(O1 - Ô1)"), "dL_dO2": ("2", "(O2 - Ô2)"),
    "dO1_do1_in": ("O1", "(1 - O1)"), "dO2_do2_in": ("O2", "(1 - O2)"),
    "dL_dw5": ("dL_dO1", "dO1_do1_in", "h1_out"), "dL_dw6": ("dL_dO1", "dO1_do1_in", "h2_out"),
    "dL_dw7": ("dL_dO2", "dO2_do2_in", "h1_out"), "dL_dw8": ("dL_dO2", "dO2_do2_in", "h2_out"),
    "dL_db2": ("dL_dO1*dO1_do1_in + dL_dO2*dO2_do2_in",),
    "dL_dh1_out_via_O1": ("dL_dO1", "dO1_do1_in", "w5"), "dL_dh1_out_via_O2": ("dL_dO2", "dO2_do2_in", "w7"),
    "dL_dh1_out": ("dL_dh1_out_via_O1 + dL_dh1_out_via_O2",),
    "dL_dh2_out_via_O1": ("dL_dO1", "dO1_do1_in", "w6"), "dL_dh2_out_via_O2": ("dL_dO2", "dO2_do2_in", "w8"),
    "dL_dh2_out": ("dL_dh2_out_via_O1 + dL_dh2_out_via_O2",),
    "dh1_out_dh1_in": ("h1_out", "(1 - h1_out)"), "dh2_out_dh2_in": ("h2_out", "(1 - h2_out)"),
    "dL_dw1": ("dL_dh1_out", "dh1_out_dh1_in", "x1"), "dL_dw2": ("dL_dh1_out", "dh1_out_dh1_in", "x2"),
    "dL_dw3": ("dL_dh2_out", "dh2_out_dh2_in", "x1"), "dL_dw4": ("dL_dh2_out", "dh2_out_dh2_in", "x2"),
    "dL_db1": ("dL_dh1_out*dh1_out_dh1_in + dL_dh2_out*dh2_out_dh2_in",),
}
# Strings rather than functions so each formula can be printed (`formula`) and its inputs read
# (`co_names`); they are this module's own constants, so evaluating them is safe.
_CODE = {name: [compile(f, name, "eval") for f in factors] for name, factors in STEPS.items()}

# The homework as handed in (../shared/homework-ii.md), its slips included: input, not answers.
HANDED_IN = {
    "h1_in": 0.6, "h2_in": 1.2, "h1_out": 0.6456, "h2_out": 0.7685, "o1_in": 0.4059, "o2_in": 0.6887,
    "O1": 0.6001, "O2": 0.6656, "dL_dO2": -0.6688, "dO2_do2_in": 0.2225, "dL_dw7": -0.0961,
    "dO1_do1_in": 0.24, "dL_dh2_out_via_O1": 0.0288, "dL_dh2_out_via_O2": -0.0446,
    "dL_dh2_out": -0.0158, "dh2_out_dh2_in": 0.1779, "dL_dw3": 0.00281,
}

LABELS = {"correct": "correct", "rounding": "correct to rounding",
          "consistent": "consistent with your earlier value", "truncated": "truncated, not rounded",
          "sign": "sign slip", "missing_factor": "missing factor", "wrong_weight": "wrong weight",
          "wrong": "wrong"}
ERRORS = ("sign", "missing_factor", "wrong_weight", "wrong")   # mistakes in method, not in rounding


def notation(name):
    """The homework's LaTeX symbol for a value name: 'dL_dw3' -> '\\partial L/\\partial w_3'."""
    if name.startswith("d") and "_d" in name:
        top, bottom = name[1:].split("_d", 1)
        bottom, _, via = bottom.partition("_via_")
        top, bottom = (LATEX_NAMES.get(part, part) for part in (top, bottom))
        return rf"\partial {top}/\partial {bottom}" + (f" \\text{{ via }} {LATEX_NAMES[via]}" if via else "")
    return LATEX_NAMES[name]


@dataclass(frozen=True)
class Check:
    """One checked value: what you wrote, the exact value, and the verdict with its reason."""
    name: str
    yours: str          # as written (its decimals set the precision)
    value: float
    exact: float
    verdict: str        # a key of LABELS
    explanation: str

    @property
    def label(self):
        return LABELS[self.verdict]


class Report:
    """The checked values in calculation order: `report[name]` is a `Check`; print it for a table."""

    def __init__(self, checks):
        self.checks = checks
        self._by_name = {check.name: check for check in checks}

    def __getitem__(self, name):
        if name not in self._by_name:
            raise validate.KeyNameError(f"{name!r} was not checked; checked: {', '.join(self._by_name)}")
        return self._by_name[name]

    def __iter__(self):
        return iter(self.checks)

    @property
    def first_error(self):
        """The first value with a mistake in method (a `Check`), or None."""
        return next((c for c in self.checks if c.verdict in ERRORS), None)

    def summary(self):
        """One or two sentences: the first mistake, and any truncation habit."""
        lines = []
        if self.first_error:
            first = self.first_error
            lines.append(f"First mistake: {first.name}, {first.label}: {first.explanation}.")
        truncated = [c.name for c in self.checks if c.verdict == "truncated"]
        if truncated:
            lines.append(f"Truncated instead of rounded: {', '.join(truncated)} — a rounding habit, "
                         "not a mistake in method (round the last digit up when the next one is 5 or more).")
        return "\n".join(lines) or "Every value checks out."

    def _rows(self):
        return [(c.name, c.yours.replace("-", "−"), number(c.exact), c.label, c.explanation) for c in self.checks]

    def __str__(self):
        head = ("value", "yours", "exact", "verdict", "why")
        rows = [head] + self._rows()
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[4] for row in rows]
        return "\n".join(lines + ["", self.summary()])

    __repr__ = __str__

    def _repr_markdown_(self):
        lines = ["| value | yours | exact | verdict | why |", "|---|---|---|---|---|"]
        for name, yours, exact, label, why in self._rows():
            lines.append(f"| `{name}` (${notation(name)}$) | {yours} | {exact} | **{label}** | {why} |")
        return "\n".join(lines + ["", self.summary().replace("\n", "  \n")])


def _parse(name, value):
    """(float, decimals written, text) for a number or a numeric string like '0.6456' or '−0.0158'."""
    if isinstance(value, str):
        text = value.strip().replace("−", "-")
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"values[{name!r}] must be a number like 0.6456 or '0.6456', got {value!r}") from None
        validate.finite_number(f"values[{name!r}]", float(parsed))
    else:
        as_float = validate.finite_number(f"values[{name!r}]", value)
        text = str(value) if isinstance(value, int) else repr(as_float)   # repr: the shortest exact digits
        parsed = Decimal(text)
    return float(parsed), max(0, -parsed.as_tuple().exponent), text


def formula(name):
    """The step as a student writes it: formula('dL_dO2') -> '2 · (O2 − Ô2)'."""
    return " · ".join(_pretty(factor) for factor in STEPS[name])


def _pretty(expr):
    return expr.replace("**2", "²").replace("*", "·").replace(" - ", " − ")


def _places(decimals):
    return f"{decimals} decimal" + ("" if decimals == 1 else "s")


def _minus(x, decimals):
    """x rounded to `decimals` places, written with a real minus sign as in the exact column."""
    return f"{x:.{decimals}f}".replace("-", "−")


def _rounds_to(yours, x, decimals):
    """True if x rounded to `decimals` places is your value (a half unit either side)."""
    return abs(yours - x) <= 0.5 * 10.0 ** -decimals * (1 + 1e-9)   # 1e-9: binary floats of decimals


def _truncates_to(yours, x, decimals):
    """True if x with its digits after `decimals` places cut off is your value."""
    # Cutting off leaves |yours| <= |x| < |yours| + one unit; the slack absorbs binary floats
    # (1.2 may be stored as 1.19999...), and shrinks the interval at its open end.
    slack = 0.5e-9 * 10.0 ** -decimals
    return yours * x >= 0 and abs(yours) - slack <= abs(x) < abs(yours) + 10.0 ** -decimals - slack


def _value(name, world, drop=None):
    """The product of the step's factors evaluated in `world` (leaving out factor `drop`)."""
    scope = {"__builtins__": {}, "σ": sigmoid}
    return math.prod(eval(code, scope, world) for i, code in enumerate(_CODE[name]) if i != drop)


def _diagnose(name, yours, decimals, worlds):
    """(verdict, why) for a value that is not correct to rounding, consistent or truncated."""
    for world in worlds:
        if _rounds_to(-yours, _value(name, world), decimals):
            return "sign", f"the sign is wrong: it should be {_minus(_value(name, world), decimals)}"
    for world in worlds:
        for i, factor in enumerate(STEPS[name] if len(STEPS[name]) > 1 else ()):
            if _rounds_to(yours, _value(name, world, drop=i), decimals):
                return "missing_factor", f"the factor {_pretty(factor)} seems left out of {formula(name)}"
    used = [p for p in PARAM_NAMES if any(p in code.co_names for code in _CODE[name])]
    for world in worlds:
        for p in used:
            swaps = [q for q in PARAM_NAMES if q[0] == p[0] and world[q] != world[p]   # w for w, b for b
                     and _rounds_to(yours, _value(name, {**world, p: world[q]}), decimals)]
            if swaps:
                return "wrong_weight", (f"{' or '.join(swaps)} (= {world[swaps[0]]:g}) seems used in place "
                                        f"of {p} (= {world[p]:g})")
    return "wrong", f"it should be {_minus(worlds[0][name], decimals)} (exact {number(worlds[0][name])})"


def _judge(name, yours, decimals, worlds):
    """(verdict, why) for your value of `name`, given the exact, good and own worlds."""
    exact, good, own = (_value(name, world) for world in worlds)
    good_world, own_world = worlds[1:]
    carried = ", ".join(dict.fromkeys(dep for code in _CODE[name] for dep in code.co_names
                                      if dep in STEPS and own_world[dep] != good_world[dep]))
    if _rounds_to(yours, exact, decimals):
        aside = f" (from your {carried}: {number(own)})" if carried and not _rounds_to(yours, own, decimals) else ""
        return "correct", f"correct to {_places(decimals)}{aside}"
    if _rounds_to(yours, good, decimals):
        return "rounding", f"your rounded earlier values give {number(good)}; the last digit moved, fine"
    if _rounds_to(yours, own, decimals):
        return "consistent", f"right method: your {carried} gives {number(own)}"
    for x, source in ((exact, "the exact value is"), (own, "your earlier values give")):
        if _truncates_to(yours, x, decimals):
            return "truncated", f"{source} {number(x)}: rounded to {_places(decimals)} {_minus(x, decimals)}"
    verdict, why = _diagnose(name, yours, decimals, worlds)
    if verdict == "wrong" and carried and _minus(own, decimals) != _minus(exact, decimals):
        why += f"; from your {carried} it would be {_minus(own, decimals)}"
    return verdict, why


def check_homework(values, params=None, x=None, target=None):
    """Check hand-computed values of the homework network; returns a `Report`.

    values: {name: number or numeric string}, any subset of `STEPS` (e.g. HANDED_IN).
    params: the ten parameters (default: the homework's); x: (x1, x2); target: (Ô1, Ô2).
    """
    if not hasattr(values, "keys"):
        raise TypeError(f"values must be a dict of {{name: number}}, got {type(values).__name__}")
    unknown = [name for name in values if name not in STEPS]
    if unknown:
        raise validate.KeyNameError(f"unknown value name(s) {', '.join(map(repr, unknown))}; "
                                    f"valid names are {', '.join(STEPS)}")
    if not values:
        raise ValueError(f"values is empty; give at least one of {', '.join(STEPS)}")
    given = {name: _parse(name, values[name]) for name in values}
    params = check_params(homework_params() if params is None else params)
    x1, x2 = validate.vector("x", HOMEWORK_X if x is None else x, 2)
    t1, t2 = validate.vector("target", HOMEWORK_TARGET if target is None else target, 2)
    base = {**params, "x1": x1, "x2": x2, "Ô1": t1, "Ô2": t2}
    worlds = exact, good, own = dict(base), dict(base), dict(base)
    checks = []
    for name in STEPS:
        for world in worlds:
            world[name] = _value(name, world)
        if name in given:
            yours, decimals, text = given[name]
            verdict, why = _judge(name, yours, decimals, worlds)
            checks.append(Check(name, text, yours, exact[name], verdict, why))
            own[name] = yours
            if verdict in ("correct", "rounding"):
                good[name] = yours
    return Report(checks)
