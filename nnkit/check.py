"""Check a hand calculation, value by value, with error carried forward: the homework's or any small network's.

    >>> report = check_homework({"h1_out": "0.6456", "o2_out": 0.6656, "dL_do2_out": -0.6688})
    >>> report["h1_out"].verdict, report["dL_do2_out"].verdict
    ('truncated', 'consistent')

`check(values, spec)` checks the steps of any `nnkit.steps.Spec`; `check_homework` is the homework.
Names may be written in any notation of `nnkit.notation` (h1_out, h1o, out_h1, a1_1, ...); the
report is written in the one most of yours are in. How each value is judged is `nnkit.diagnose`.

Verdicts (`Check.verdict`); "matches" means "rounds to your value at the number of decimals you
wrote" (0.6456 has 4; pass a string, "0.2400", to keep trailing zeros):
  "correct"         matches the exact value
  "rounding"        only your rounded earlier values moved the last digit
  "consistent"      right method, applied to your earlier wrong value (error carried forward)
  "truncated"       the exact or own value cut off instead of rounded (0.645656 -> 0.6456)
  "convention"      right for the other loss convention (½Σ for Σ), which this task allows
  "other_convention"  right for another loss convention than the task's
  "sign", "missing_factor", "negated" (σ(−z)), "one_path", "updated_weight", "wrong_weight",
  "wrong_input", "wrong_slope"   the slips of `nnkit.diagnose`
  "wrong"           none of these
"""
import math
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from . import homework, notation, validate
from .diagnose import OK, Judge
from .notation import number
from .spec import Spec
from .steps import value

# The homework as handed in (notebooks/00-homework.ipynb shows it), its slips included: input, not answers.
HANDED_IN = {
    "h1_in": 0.6, "h2_in": 1.2, "h1_out": 0.6456, "h2_out": 0.7685, "o1_in": 0.4059, "o2_in": 0.6887,
    "o1_out": 0.6001, "o2_out": 0.6656, "dL_do2_out": -0.6688, "do2_out_do2_in": 0.2225, "dL_dw7": -0.0961,
    "do1_out_do1_in": 0.24, "dL_dh2_out_via_o1": 0.0288, "dL_dh2_out_via_o2": -0.0446,
    "dL_dh2_out": -0.0158, "dh2_out_dh2_in": 0.1779, "dL_dw3": 0.00281,
}

LABELS = {"correct": "correct", "rounding": "correct to rounding",
          "consistent": "consistent with your earlier value", "truncated": "truncated, not rounded",
          "convention": "correct (other loss convention)", "other_convention": "another loss convention",
          "sign": "sign slip", "missing_factor": "missing factor", "negated": "σ(−z) for σ(z)",
          "one_path": "one path only", "updated_weight": "updated weight used",
          "wrong_weight": "wrong weight", "wrong_input": "wrong input", "wrong_slope": "wrong unit's slope",
          "wrong": "wrong"}
ERRORS = tuple(v for v in LABELS if v not in ("correct", "rounding", "consistent", "truncated", "convention"))
LOSS_TEXT = {"sse": "L = Σ(O − Ô)²", "half_sse": "L = ½Σ(O − Ô)²", "mse": "L = the mean of (O − Ô)²",
             "bce": "binary cross-entropy"}
CONVENTIONS = {"sse": ("half_sse", "mse"), "half_sse": ("sse", "mse"), "mse": ("sse", "half_sse")}


@dataclass(frozen=True)
class Check:
    """One checked value: what you wrote, the exact value, and the verdict with its reason."""
    name: str           # the code name (h1_out)
    key: str            # the name in the report's notation (h1o, out_h1, ...)
    yours: str          # as written (its decimals set the precision)
    value: float
    exact: float
    verdict: str        # a key of LABELS
    explanation: str
    sources: tuple = ()  # your wrong values (code names) this one was computed from

    @property
    def label(self):
        return LABELS[self.verdict]


class Report:
    """The checked values in calculation order: `report[name]` is a `Check`; print it for a table.

    reveal=False prints the verdicts only, without the exact values or the reasons (which quote
    them): for graded work, where the report must not hand out the answers.
    """

    def __init__(self, checks, spec, notation_, notes=(), reveal=True):
        self.checks, self.spec, self.notation, self.notes = checks, spec, notation_, tuple(notes)
        self.reveal = reveal
        self._by_name = {check.name: check for check in checks}

    def __getitem__(self, name):
        found = (name,) if name in self._by_name else notation.resolve(self.spec.net, self.spec.numbering, name)
        if found is None or found[0] not in self._by_name:
            raise validate.KeyNameError(f"{name!r} was not checked; checked: {', '.join(c.key for c in self.checks)}")
        return self._by_name[found[0]]

    def __iter__(self):
        return iter(self.checks)

    @property
    def first_error(self):
        """The first value with a mistake in method (a `Check`), or None."""
        return next((c for c in self.checks if c.verdict in ERRORS), None)

    def summary(self):
        """A few sentences: the loss convention used, the first mistake, and any truncation habit."""
        lines = list(self.notes)
        if self.first_error:
            first = self.first_error
            reason = f": {first.explanation}" if self.reveal else ""
            lines.append(f"First mistake: {first.key}, {first.label}{reason}.")
        truncated = [c.key for c in self.checks if c.verdict == "truncated"]
        if truncated:
            lines.append(f"Truncated instead of rounded: {', '.join(truncated)} — a rounding habit, "
                         "not a mistake in method (round the last digit up when the next one is 5 or more).")
        return "\n".join(lines) or "Every value checks out."

    def _columns(self):
        """The table's head and rows: value, yours, (exact,) verdict, (why)."""
        if self.reveal:
            head = ("value", "yours", "exact", "verdict", "why")
            rows = [(c.key, c.yours.replace("-", "−"), number(c.exact), c.label, c.explanation) for c in self.checks]
        else:
            head = ("value", "yours", "verdict")
            rows = [(c.key, c.yours.replace("-", "−"), c.label) for c in self.checks]
        return head, rows

    def __str__(self):
        head, rows = self._columns()
        table = [head, *rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
        return "\n".join(lines + ["", self.summary()])

    __repr__ = __str__

    def _repr_markdown_(self):
        names = notation.table(self.spec.net, self.spec.numbering, self.notation)
        head, rows = self._columns()
        verdict = head.index("verdict")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for check, (key, *cells) in zip(self.checks, rows):
            cells[verdict - 1] = f"**{cells[verdict - 1]}**"
            lines.append(f"| `{key}` (${names[check.name][1]}$) | " + " | ".join(cells) + " |")
        return "\n".join(lines + ["", self.summary().replace("\n", "  \n")])


def parse(name, value):
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


def read(values, spec):
    """{code name: (float, decimals, text)} for a student's {key: number}; raise naming bad keys."""
    if not hasattr(values, "keys"):
        raise TypeError(f"values must be a dict of {{name: number}}, got {type(values).__name__}")
    steps = [s.name for s in spec.steps]
    if not values:
        raise ValueError(f"values is empty; give at least one of {', '.join(steps)}")
    found = {key: notation.resolve(spec.net, spec.numbering, key) for key in values}
    unknown = [key for key, f in found.items() if f is None or f[0] not in steps]
    if unknown:
        raise validate.KeyNameError(f"unknown value name(s) {', '.join(map(repr, unknown))}; "
                                    f"valid names are {', '.join(steps)} (or the same in another notation)")
    given = {}
    for key, (name, _) in found.items():
        if name in given:
            raise ValueError(f"values gives {name} twice: as {given[name][3]!r} and as {key!r}")
        given[name] = (*parse(key, values[key]), key)
    return given


def check(values, spec=None, notation_=None, reveal=True):
    """Check hand-computed values of `spec` (default: the homework); returns a `Report`.

    values: {name: number or numeric string}, any subset of the spec's steps, in any notation.
    notation_: the notation the report is written in (default: the one most names are in).
    reveal=False: the report gives the verdicts only, not the exact values (graded work).
    """
    spec = Spec() if spec is None else spec
    given = read(values, spec)
    used = notation_ or notation.used(spec.net, spec.numbering, [g[3] for g in given.values()])
    checks, notes = _run(spec, given, used), []
    fewest = _errors(checks)
    for other in CONVENTIONS.get(spec.loss, ()):
        alternative = _run(replace(spec, loss=other), given, used)
        # One halved value may be a forgotten factor; a convention shows in two (unless the task allows it).
        if _errors(alternative) <= fewest - (1 if spec.allow_other_loss else 2):
            fewest = _errors(alternative)
            checks, notes = _as_convention(spec, other, alternative, used)
    return Report(checks, spec, used, notes, reveal)


def check_homework(values, params=None, x=None, target=None, half=False):
    """Check hand-computed values of the homework network; returns a `Report`.

    values: {name: number or numeric string}, e.g. HANDED_IN. params: the ten parameters (default:
    the homework's); x: (x1, x2); target: (Ô1, Ô2); half=True: the task's loss is ½Σ(O − Ô)².
    """
    x = homework.HOMEWORK_X if x is None else x
    target = homework.HOMEWORK_TARGET if target is None else target
    return check(values, homework.spec(params, x, target, half=half))


def _errors(checks):
    return sum(c.verdict in ERRORS for c in checks)


def _run(spec, given, used):
    judge = Judge(spec, notation.table(spec.net, spec.numbering, used))
    base = spec.world()
    worlds = exact, good, own = dict(base), dict(base), dict(base)
    sources, checks = {}, []
    for step in spec.steps:
        for world in worlds:
            world[step.name] = value(step, world)
        carried = tuple(dict.fromkeys(n for dep in step.inputs for n in sources.get(dep, ())))
        if step.name not in given:
            sources[step.name] = carried
            continue
        yours, decimals, text, _ = given[step.name]
        verdict, why = judge.judge(step, yours, decimals, worlds, carried, given)
        checks.append(Check(step.name, judge.key(step.name), text, yours, exact[step.name], verdict, why, carried))
        own[step.name] = yours
        if verdict in OK:
            good[step.name] = yours
        sources[step.name] = () if verdict in OK else (step.name,)
    return checks


def _as_convention(spec, other, checks, used):
    """The checks of the other convention, relabelled: what depends on the loss is named a convention."""
    task, theirs = spec.values(), replace(spec, loss=other).values()
    allowed = spec.allow_other_loss
    relabelled = []
    for c in checks:
        step = next(s for s in spec.steps if s.name == c.name)
        if math.isclose(task[c.name], theirs[c.name], rel_tol=1e-12, abs_tol=1e-15) or c.verdict not in OK:
            relabelled.append(replace(c, exact=task[c.name]))
            continue
        direct = step.role in ("loss_term", "loss") or (step.role == "dout" and step.unit.startswith("o"))
        verdict = "convention" if allowed else "other_convention" if direct else "consistent"
        why = f"right for {LOSS_TEXT[other]}; with this task's {LOSS_TEXT[spec.loss]} it is {number(task[c.name])}"
        relabelled.append(replace(c, exact=task[c.name], verdict=verdict, explanation=why))
    note = (f"You used {LOSS_TEXT[other]} throughout, where this task writes {LOSS_TEXT[spec.loss]}: "
            + ("a convention, not a mistake (the task allows either)." if allowed else
               "the values it changes are counted once, the rest as consistent."))
    return relabelled, [note]
