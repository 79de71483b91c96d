"""Each slip a hand calculation makes gets its own verdict, on two different networks.

The student is simulated (check_support.hand_calculation): every value from their own rounded
earlier values, one slip put in as the formula the student wrongly used; the later values then
follow from the slip (error carried forward) and must be judged consistent.
"""
import pytest

from nnkit.check import check
from dataclasses import replace

from nnkit.spec import Spec
from nnkit.steps import sigmoid

from check_support import hand_calculation, spec_of

HOMEWORK = Spec(lr=0.5)
# A second network: one bias per unit, the mean squared error, other numbers, another lr.
OTHER = spec_of((2, 2, 2), ("sigmoid", "sigmoid"), bias="per_unit", loss="mse", lr=0.3,
                params=[0.3, -0.6, 0.8, -0.4, 0.9, -0.3, -0.8, 0.6, 0.15, -0.35, 0.25, 0.45],
                x=(1.5, -0.5), target=(1.0, 0.0))
SPECS = pytest.mark.parametrize("spec", [HOMEWORK, OTHER], ids=["homework", "per-unit biases, mse"])


def b(spec, unit):
    """The bias term of `unit`'s net input (b1, b2 shared; per unit in order)."""
    per_unit = {"h1": "b1", "h2": "b2", "o1": "b3", "o2": "b4"}
    return per_unit[unit] if spec.bias == "per_unit" else {"h1": "b1", "h2": "b1", "o1": "b2", "o2": "b2"}[unit]


def judged(spec, slips):
    report = check(hand_calculation(spec, slips), spec)
    return report, {c.name: c.verdict for c in report}


def assert_only(verdicts, name, verdict):
    """`name` has `verdict`; nothing else is a mistake (everything after it consistent or correct)."""
    assert verdicts[name] == verdict
    others = {n: v for n, v in verdicts.items() if n != name}
    assert set(others.values()) <= {"correct", "rounding", "consistent"}, others


@SPECS
def test_one_path_only_into_a_hidden_unit(spec):
    report, verdicts = judged(spec, {"dL_dh2_out": lambda w: w["dL_dh2_out_via_o2"]})
    assert_only(verdicts, "dL_dh2_out", "one_path")
    assert "dL_dh2_out_via_o1" in report["dL_dh2_out"].explanation
    # Not writing ∂L/∂h2_out at all, ∂L/∂w3 from one path is named the same way.
    work = hand_calculation(spec, {"dL_dw3": lambda w: w["dL_dh2_out_via_o2"] * w["dh2_out_dh2_in"] * w["x1"]})
    del work["dL_dh2_out"], work["dL_dh2_in"]
    assert check(work, spec)["dL_dw3"].verdict == "one_path"


@SPECS
def test_the_wrong_input(spec):
    report, verdicts = judged(spec, {"dL_dw1": lambda w: w["dL_dh1_out"] * w["dh1_out_dh1_in"] * w["x2"]})
    assert_only(verdicts, "dL_dw1", "wrong_input")
    assert "x2" in report["dL_dw1"].explanation and "in place of x1" in report["dL_dw1"].explanation
    _, verdicts = judged(spec, {"dL_dw5": lambda w: w["dL_do1_out"] * w["do1_out_do1_in"] * w["h2_out"]})
    assert_only(verdicts, "dL_dw5", "wrong_input")


@SPECS
def test_the_wrong_units_slope(spec):
    report, verdicts = judged(spec, {"dL_dh2_in": lambda w: w["dL_dh2_out"] * w["dh1_out_dh1_in"]})
    assert_only(verdicts, "dL_dh2_in", "wrong_slope")
    assert "dh1_out_dh1_in" in report["dL_dh2_in"].explanation


@SPECS
def test_sigma_of_minus_z(spec):
    report, verdicts = judged(spec, {"h1_out": lambda w: 1 / (1 + 2.718281828459045 ** w["h1_in"])})
    assert_only(verdicts, "h1_out", "negated")
    assert "σ(−h1_in)" in report["h1_out"].explanation


@SPECS
def test_the_updated_weight_used_when_back_propagating(spec):
    stale = {"dL_dh1_out_via_o1": lambda w: w["dL_do1_out"] * w["do1_out_do1_in"] * w["w5_new"]}
    report, verdicts = judged(spec, stale)
    assert_only(verdicts, "dL_dh1_out_via_o1", "updated_weight")
    assert "w5_new" in report["dL_dh1_out_via_o1"].explanation


@SPECS
def test_a_weight_swap_is_named_only_within_the_same_layer(spec):
    def o1_in_with(weight):
        return lambda w: w[weight] * w["h1_out"] + w["w6"] * w["h2_out"] + w[b(spec, "o1")]
    report, verdicts = judged(spec, {"o1_in": o1_in_with("w7")})
    assert_only(verdicts, "o1_in", "wrong_weight")
    assert "w7" in report["o1_in"].explanation and "in place of w5" in report["o1_in"].explanation
    outputs = {spec.params[f"w{i}"] for i in range(5, 9)}
    hidden = [w for w in ("w1", "w2", "w3", "w4") if spec.params[w] not in outputs]
    if hidden:      # (the homework's hidden weights all equal some output weight: no distinct value)
        _, verdicts = judged(spec, {"o1_in": o1_in_with(hidden[0])})
        assert verdicts["o1_in"] == "wrong"       # a hidden-layer weight is not "the wrong weight" of o1_in


@SPECS
def test_the_other_loss_convention_applied_consistently(spec):
    # The student's loss convention: ½Σ on the homework (whose L is Σ), Σ on the other (the mean).
    scale = 0.5 if spec is HOMEWORK else 1.0
    slips = {"L_o1": lambda w: scale * (w["o1_out"] - w["t1"]) ** 2,
             "L_o2": lambda w: scale * (w["o2_out"] - w["t2"]) ** 2,
             "L": lambda w: scale * ((w["o1_out"] - w["t1"]) ** 2 + (w["o2_out"] - w["t2"]) ** 2),
             "dL_do1_out": lambda w: 2 * scale * (w["o1_out"] - w["t1"]),
             "dL_do2_out": lambda w: 2 * scale * (w["o2_out"] - w["t2"])}
    report, verdicts = judged(spec, slips)
    named = {n for n, v in verdicts.items() if v == "other_convention"}
    assert named == {"L", "L_o1", "L_o2", "dL_do1_out", "dL_do2_out"}
    assert set(verdicts.values()) <= {"correct", "rounding", "consistent", "other_convention"}
    assert "throughout" in report.summary()
    allowed = check(hand_calculation(spec, slips), replace(spec, allow_other_loss=True))
    assert allowed.first_error is None and "a convention, not a mistake" in allowed.summary()


def test_carried_forward_values_are_quoted_only_from_values_the_student_wrote():
    work = hand_calculation(HOMEWORK, {"h1_out": lambda w: sigmoid(w["h1_in"]) + 0.05})
    written = {k: work[k] for k in ("h1_in", "h1_out", "h2_out", "o1_out")}   # o1_in not written
    report = check(written, HOMEWORK)
    assert report["o1_out"].verdict == "consistent"
    assert f"h1_out = {work['h1_out']}" in report["o1_out"].explanation
    assert "o1_in" not in report["o1_out"].explanation
