"""Matt Mazur's "A Step by Step Backpropagation Example", checked in its own notation and ½ convention.

The only numbers typed here are Mazur's: his network (inputs, weights, targets, learning rate) and
the values he wrote down (the handed-in data, like HANDED_IN). What they should be is computed
here a second way: the forward pass in matrix form with numpy, the gradients by central
differences of E_total, the updated weights as w − η·(that gradient).
"""
from dataclasses import replace

import numpy as np
import pytest

from nnkit.check import check
from nnkit.spec import Spec

# His network: net_h1 = w1·i1 + w2·i2 + b1·1, ..., net_o2 = w7·out_h1 + w8·out_h2 + b2·1; η = 0.5.
NETWORK = {"i1": 0.05, "i2": 0.10, "w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "b1": 0.35,
           "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55, "b2": 0.60, "target_o1": 0.01, "target_o2": 0.99}
ETA = 0.5
# What he wrote, as he wrote it.
WRITTEN = {
    "net_h1": 0.3775, "out_h1": 0.593269992, "out_h2": 0.596884378, "net_o1": 1.105905967,
    "out_o1": 0.75136507, "out_o2": 0.772928465, "E_o1": 0.274811083, "E_o2": 0.023560026,
    "E_total": 0.298371109, "dE_total_dout_o1": 0.74136507, "dout_o1_dnet_o1": 0.186815602,
    "dE_total_dw5": 0.082167041, "w5+": 0.35891648, "w6+": 0.408666186, "w7+": 0.511301270,
    "w8+": 0.561370121, "dE_o1_dout_h1": 0.055399425, "dE_o2_dout_h1": -0.019049119,
    "dE_total_dout_h1": 0.036350306, "dout_h1_dnet_h1": 0.241300709, "dE_total_dw1": 0.000438568,
    "w1+": 0.149780716, "w2+": 0.19956143, "w3+": 0.24975114, "w4+": 0.29950229,
}
PARAMS = {k: v for k, v in NETWORK.items() if k[0] in "wb"}
SPEC = Spec(params=PARAMS, x=(NETWORK["i1"], NETWORK["i2"]), target=(NETWORK["target_o1"], NETWORK["target_o2"]),
            loss="half_sse", lr=ETA)


def matrix_forward(p):
    """Mazur's network in matrix form: rows of W are units, one bias per layer."""
    W1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]])
    W2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]])
    net_h = W1 @ np.array([NETWORK["i1"], NETWORK["i2"]]) + p["b1"]
    out_h = 1 / (1 + np.exp(-net_h))
    net_o = W2 @ out_h + p["b2"]
    out_o = 1 / (1 + np.exp(-net_o))
    E = 0.5 * (np.array([NETWORK["target_o1"], NETWORK["target_o2"]]) - out_o) ** 2
    return net_h, out_h, net_o, out_o, E


def dE_dw(name, h=1e-6):
    def E_total(value):
        return matrix_forward({**PARAMS, name: value})[-1].sum()
    return (E_total(PARAMS[name] + h) - E_total(PARAMS[name] - h)) / (2 * h)


def test_every_value_mazur_wrote_checks_out_in_his_own_notation():
    report = check(WRITTEN, SPEC)
    assert report.notation == "mazur"
    assert [c.key for c in report] == list(WRITTEN)              # the report speaks his notation
    assert report.first_error is None, str(report)
    assert {c.verdict for c in report} <= {"correct", "rounding"}
    # All but one exactly; ∂E_o2/∂out_h1 he wrote one unit off in the 9th decimal (his rounded δ_o2).
    assert [c.key for c in report if c.verdict != "correct"] == ["dE_o2_dout_h1"]


def test_the_checkers_exact_values_are_the_second_derivation():
    report = check(WRITTEN, SPEC)
    net_h, out_h, net_o, out_o, E = matrix_forward(PARAMS)
    second = {"net_h1": net_h[0], "out_h1": out_h[0], "out_h2": out_h[1], "net_o1": net_o[0],
              "out_o1": out_o[0], "out_o2": out_o[1], "E_o1": E[0], "E_o2": E[1], "E_total": E.sum(),
              "dE_total_dw5": dE_dw("w5"), "dE_total_dw1": dE_dw("w1")}
    second.update({f"{w}+": PARAMS[w] - ETA * dE_dw(w) for w in ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8")})
    for key, expected in second.items():
        assert report[key].exact == pytest.approx(expected, rel=1e-8, abs=1e-10), key   # differences: ~1e-11


def test_mazurs_values_judged_with_the_full_square_are_one_convention_not_many_mistakes():
    """The same hand calculation against a task that says E = Σ(target − out)²: the ½ shows up
    as a convention (named once), everything after it as consistent; allowed, it is no mistake."""
    strict = check(WRITTEN, replace(SPEC, loss="sse"))
    assert "You used L = ½Σ(O − Ô)² throughout" in strict.summary()
    assert strict["E_total"].verdict == "other_convention"
    assert strict["dE_total_dout_o1"].verdict == "other_convention"
    assert strict["dE_total_dw5"].verdict == "consistent"
    allowed = check(WRITTEN, replace(SPEC, loss="sse", allow_other_loss=True))
    assert allowed.first_error is None
    assert allowed["E_total"].verdict == "convention" and "a convention, not a mistake" in allowed.summary()
