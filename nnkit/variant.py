"""Each student's own numbers for a hand calculation, and its grade with error carried forward.

    spec = variant("nnkit-2026", "ada")      # the same numbers for ada every time, others for bob
    points, total, lines = grade(answers, spec)

`variant` derives the numbers from a hash of the course and student id (no state to keep: the
instructor gets them back with the same call) and redraws until they are well-conditioned: no
weight, input or net input that makes a step trivial (0, ±0.5, ±1, ±2), distinct weights within a
layer (so a swapped weight is visible), sigmoid outputs in [0.1, 0.9] (slopes not tiny), every
gradient at least 0.002 in size (not lost at four decimals).

`grade` gives one point per asked step: correct, correct to rounding, truncated (a habit, not a
method error) or the other loss convention where allowed; consistent with your earlier values
(error carried forward) too — except where that earlier value is trivial. The trick of answering
an early step with 0, 0.5 or 1 so that later steps become easy earns nothing: a consistent step
earns its point only if the wrong values it rests on are not trivial and it is not itself trivial.
And error is carried forward past at most two earlier mistakes: a classmate's answers, consistent
among themselves but wrong wherever your own numbers enter, earn little more than what happens to
be right for you.
"""
import hashlib
import math
import os
from dataclasses import replace

import numpy as np

from .check import ERRORS, check
from .diagnose import degenerate
from .spec import Spec

CREDIT = ("correct", "rounding", "truncated", "convention")
MAX_CARRIED = 2      # error carried forward past at most two earlier mistakes (a copied answer has many)
ASKED_ROLES = ("in", "out", "loss", "dout", "slope", "via", "grad", "new")
HOMEWORK_SHAPE = Spec(lr=0.5)


def student_id():
    """Whose numbers this kernel shows: the JupyterHub user (nbgrader's student id on a hub), else
    $NNKIT_STUDENT, else "placeholder" (the example student: the same numbers on every laptop and
    under nbval; grading always uses the id of the submission)."""
    return os.environ.get("JUPYTERHUB_USER") or os.environ.get("NNKIT_STUDENT") or "placeholder"


def asked(spec):
    """The steps a student is asked for (names in calculation order)."""
    return [s.name for s in spec.steps if s.role in ASKED_ROLES]


def _seed(course_id, student_id):
    digest = hashlib.sha256(f"{course_id}\x00{student_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _one_decimal(rng, n, low, high, distinct=True):
    """n numbers ±0.1 .. with one decimal, |v| in [low, high], none trivial, distinct if asked."""
    choices = [v / 10 for v in range(round(low * 10), round(high * 10) + 1) if not degenerate(v / 10)]
    choices += [-v for v in choices]
    return [float(v) for v in rng.choice(choices, size=n, replace=not distinct)]


def _draw(rng, shape):
    net = shape.net
    params = {}
    for layer in range(1, len(shape.sizes)):
        names = [w for (lay, _, _), w in net.weights.items() if lay == layer]
        params.update(zip(names, _one_decimal(rng, len(names), 0.1, 0.9)))
        biases = list(dict.fromkeys(b for (lay, _), b in net.biases.items() if lay == layer))
        params.update(zip(biases, _one_decimal(rng, len(biases), 0.1, 0.6)))
    x = _one_decimal(rng, shape.sizes[0], 0.1, 2.0)
    target = [float(t) for t in rng.permutation([j % 2 for j in range(shape.sizes[-1])])]
    if shape.loss != "bce" and shape.activations[-1] != "sigmoid":
        target = _one_decimal(rng, shape.sizes[-1], 0.1, 0.9, distinct=False)
    return replace(shape, params=params, x=tuple(x), target=tuple(target))


def well_conditioned(spec):
    """True if no exact step is trivial, sigmoid outputs lie in [0.1, 0.9] and gradients are ≥ 0.002."""
    values = spec.values()
    for s in spec.steps:
        v = values[s.name]
        if not math.isfinite(v) or any(abs(abs(v) - t) < 0.005 for t in (0, 0.5, 1, 2)):
            return False
        if s.role == "out" and spec.activations[s.layer - 1] == "sigmoid" and not 0.1 <= v <= 0.9:
            return False
        if s.role == "grad" and abs(v) < 0.002:
            return False
    return True


def variant(course_id, student_id, shape=HOMEWORK_SHAPE):
    """The `shape` (a Spec: network, loss, lr; its numbers are replaced) with this student's numbers."""
    rng = np.random.default_rng(_seed(str(course_id), str(student_id)))
    for _ in range(10_000):
        spec = _draw(rng, shape)
        if well_conditioned(spec):
            return spec
    raise ValueError(f"no well-conditioned numbers found for {shape}; try a smaller network or another loss")


def grade(answers, spec):
    """(points, total, lines): one point per asked step of `spec`, with error carried forward.

    answers: {name: number} in any notation (steps left out earn nothing). lines: one per asked
    step, e.g. "h1_out: 1/1 correct".
    """
    names = asked(spec)
    report = check(answers, spec)
    given = {c.name: c for c in report}
    points, lines = 0, []
    for name in names:
        c = given.get(name)
        if c is None:
            lines.append(f"{report_key(report, name)}: 0/1 missing")
            continue
        earned, why = _credit(c, given)
        points += earned
        why = why or (c.explanation if not earned or c.verdict != "correct" else "")
        lines.append(f"{c.key}: {earned}/1 {c.label}" + (f" ({why})" if why else ""))
    return points, len(names), lines


def report_key(report, name):
    from .notation import table
    return table(report.spec.net, report.spec.numbering, report.notation)[name][0]


def ancestry(c, given):
    """Your wrong values that `c` was computed from, directly or through other wrong values of yours."""
    found, todo = {}, list(c.sources)
    while todo:
        name = todo.pop()
        if name in given and name not in found:
            found[name] = given[name]
            todo += given[name].sources
    return list(found.values())


def _credit(c, given):
    if c.verdict in CREDIT:
        return 1, ""
    if c.verdict != "consistent":
        return 0, ""
    upstream = ancestry(c, given)
    trivial = [a for a in upstream if degenerate(a.value)]
    if trivial:
        return 0, f"no carried-forward credit: it rests on {', '.join(f'{t.key} = {t.yours}' for t in trivial)}"
    if degenerate(c.value) and not degenerate(c.exact):
        return 0, "no carried-forward credit for a trivial value"
    mistakes = [a.key for a in upstream if a.verdict in ERRORS]
    if len(mistakes) > MAX_CARRIED:
        return 0, f"no carried-forward credit past {len(mistakes)} earlier mistakes ({', '.join(mistakes)})"
    return 1, ""
