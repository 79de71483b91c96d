"""The hand-calculation checker: what it says about the homework as handed in, and why.

Expected values come from nnkit.forward / nnkit.backward; the only numbers typed here are
the homework's own hand-written values (nnkit.check.HANDED_IN) and perturbations of computed ones.
"""
import doctest
import math

import pytest

import nnkit
import nnkit.check
from nnkit.check import HANDED_IN, check_homework
from nnkit.spec import Spec

STEPS = [step.name for step in Spec().steps]


def reference_values(params=None, x=nnkit.HOMEWORK_X, target=nnkit.HOMEWORK_TARGET):
    """Every value the checker knows, computed by the kit's forward and backward passes."""
    params = params or nnkit.homework_params()
    f = nnkit.forward(params, x)
    g = nnkit.backward(params, x, target)
    values = {"h1_in": f.h1_in, "h2_in": f.h2_in, "h1_out": f.h1_out, "h2_out": f.h2_out,
              "o1_in": f.o1_in, "o2_in": f.o2_in, "o1_out": f.o1_out, "o2_out": f.o2_out,
              "L": nnkit.loss(f, target), "L_o1": (f.o1_out - target[0]) ** 2, "L_o2": (f.o2_out - target[1]) ** 2}
    values.update({f"dL_d{p}": g[p] for p in nnkit.PARAM_NAMES})
    values.update(g.factors)
    return values


def on_paper(value, decimals=4):
    """How a careful student writes a value: rounded, as text (so trailing zeros count)."""
    return f"{value:.{decimals}f}"


def verdicts(report):
    return {check.name: check.verdict for check in report}


EXACT = reference_values()


# --- The homework as handed in ------------------------------------------------------------

def test_homework_values_are_checked_as_the_review_says():
    report = check_homework(HANDED_IN)
    expected = {
        # right, at the precision written (0.24 to its 2 decimals)
        **dict.fromkeys(["h1_in", "h2_in", "h2_out", "o1_out", "do1_out_do1_in", "do2_out_do2_in", "dL_dw7",
                         "dL_dh2_out_via_o1", "dL_dh2_out_via_o2", "dL_dh2_out", "dh2_out_dh2_in"],
                        "correct"),
        # off in the last digit: cut off instead of rounded, a habit rather than a method error
        **dict.fromkeys(["h1_out", "o1_in", "o2_in", "o2_out"], "truncated"),
        # −2(1 − 0.6656) is right for the O2 the homework had
        "dL_do2_out": "consistent",
        # the line before the underlined answer says −2.81e−3
        "dL_dw3": "sign",
    }
    assert verdicts(report) == expected
    assert report.first_error.name == "dL_dw3"


def test_the_truncated_values_round_differently_from_what_was_written():
    """The independent fact behind the "truncated" verdicts: rounding the exact value (or the
    value that follows from the homework's own earlier numbers) gives one more in the last digit."""
    for name in ["h1_out", "o1_in"]:
        assert on_paper(EXACT[name]) != on_paper(HANDED_IN[name])
        assert math.floor(EXACT[name] * 1e4) / 1e4 == pytest.approx(HANDED_IN[name])
    p = nnkit.homework_params()
    own_o2_in = p["w7"] * HANDED_IN["h1_out"] + p["w8"] * HANDED_IN["h2_out"] + p["b2"]
    assert math.floor(own_o2_in * 1e4) / 1e4 == pytest.approx(HANDED_IN["o2_in"])
    assert on_paper(own_o2_in) != on_paper(HANDED_IN["o2_in"])


def test_the_final_answer_is_the_negative_of_the_homeworks_previous_line():
    product = HANDED_IN["dL_dh2_out"] * HANDED_IN["dh2_out_dh2_in"]   # −0.0158 × 0.1779 × x1
    assert f"{-product:.5f}" == str(HANDED_IN["dL_dw3"])
    # The sign is judged against what the student's own earlier values give (−0.0158 × 0.1779).
    assert f"{product:.5f}".replace("-", "−") in check_homework(HANDED_IN)["dL_dw3"].explanation


def test_report_prints_a_table_and_renders_markdown():
    report = check_homework(HANDED_IN)
    text, markdown = str(report), report._repr_markdown_()
    for name in HANDED_IN:
        assert name in text and f"`{name}`" in markdown
    assert "First mistake: dL_dw3" in text
    assert "Truncated instead of rounded: h1_out, o1_in, o2_in, o2_out" in text
    assert markdown.startswith("| value | yours | exact | verdict | why |")
    assert report["h1_out"].label == "truncated, not rounded"


# --- Students who get it right ---------------------------------------------------------------

def test_the_checkers_exact_values_are_the_kits_forward_and_backward():
    report = check_homework({name: on_paper(EXACT[name]) for name in STEPS})
    for name in STEPS:
        assert report[name].exact == pytest.approx(EXACT[name], rel=1e-12, abs=1e-15)


def test_everything_right_at_4_decimals_is_all_correct():
    report = check_homework({name: on_paper(EXACT[name]) for name in STEPS})
    assert set(verdicts(report).values()) == {"correct"}
    assert report.first_error is None
    assert report.summary() == "Every value checks out."
    assert report._repr_markdown_().count("**correct**") == len(STEPS)


def test_other_params_inputs_and_targets_are_used():
    params = {**nnkit.homework_params(), "w1": -0.7, "b2": 0.05}
    exact = reference_values(params, x=(0.5, -1.5), target=(1, 0))
    report = check_homework({name: on_paper(exact[name]) for name in STEPS}, params, (0.5, -1.5), (1, 0))
    assert set(verdicts(report).values()) == {"correct"}


def test_rounded_earlier_values_may_move_the_last_digit():
    """Working with 4-decimal intermediate values, ∂L/∂w3 to 6 decimals differs from the exact one."""
    upstream = {name: on_paper(EXACT[name]) for name in ["dL_dh2_out", "dh2_out_dh2_in"]}
    from_rounded = float(upstream["dL_dh2_out"]) * float(upstream["dh2_out_dh2_in"]) * nnkit.HOMEWORK_X[0]
    assert on_paper(from_rounded, 6) != on_paper(EXACT["dL_dw3"], 6)     # the premise of this test
    report = check_homework({**upstream, "dL_dw3": on_paper(from_rounded, 6)})
    assert report["dL_dw3"].verdict == "rounding"
    assert report.first_error is None


def test_trailing_zeros_written_as_text_set_the_precision():
    assert check_homework({"do1_out_do1_in": "0.24"})["do1_out_do1_in"].verdict == "correct"
    assert check_homework({"do1_out_do1_in": "0.2400"})["do1_out_do1_in"].verdict == "correct"
    truncated = f"{math.floor(EXACT['do1_out_do1_in'] * 1e4) / 1e4:.4f}"
    assert check_homework({"do1_out_do1_in": truncated})["do1_out_do1_in"].verdict == "truncated"
    with_minus = on_paper(EXACT["dL_do2_out"]).replace("-", "−")
    assert check_homework({"dL_do2_out": with_minus})["dL_do2_out"].verdict == "correct"


# --- Error carried forward and diagnosis --------------------------------------------------------

def test_a_wrong_h1_out_carried_forward_is_one_mistake():
    p = nnkit.homework_params()
    wrong_h1_out = float(on_paper(1 / (1 + math.exp(EXACT["h1_in"]))))   # e^(+h1_in): a wrong σ
    h2_out = float(on_paper(EXACT["h2_out"]))
    o1_in = float(on_paper(p["w5"] * wrong_h1_out + p["w6"] * h2_out + p["b2"]))
    o2_in = float(on_paper(p["w7"] * wrong_h1_out + p["w8"] * h2_out + p["b2"]))
    values = {"h1_in": on_paper(EXACT["h1_in"]), "h1_out": wrong_h1_out, "h2_out": h2_out,
              "o1_in": o1_in, "o2_in": o2_in,
              "o1_out": on_paper(1 / (1 + math.exp(-o1_in))), "o2_out": on_paper(1 / (1 + math.exp(-o2_in)))}
    report = check_homework(values)
    assert verdicts(report) == {"h1_in": "correct", "h1_out": "negated", "h2_out": "correct",
                                "o1_in": "consistent", "o2_in": "consistent",
                                "o1_out": "consistent", "o2_out": "consistent"}
    assert report.first_error.name == "h1_out"
    assert "h1_out" in report["o1_in"].explanation


def test_a_sign_slip_is_named_and_carried_forward():
    report = check_homework({"dL_do2_out": on_paper(-EXACT["dL_do2_out"]), "dL_dw7": on_paper(-EXACT["dL_dw7"])})
    assert verdicts(report) == {"dL_do2_out": "sign", "dL_dw7": "consistent"}
    assert report.first_error.name == "dL_do2_out"


def test_a_missing_factor_is_named():
    report = check_homework({"dL_do2_out": on_paper(EXACT["dL_do2_out"] / 2)})         # forgot the 2
    assert report["dL_do2_out"].verdict == "missing_factor"
    assert "factor 2 " in report["dL_do2_out"].explanation
    report = check_homework({"dL_dw7": on_paper(EXACT["dL_do2_out"] * EXACT["do2_out_do2_in"])})  # forgot h1_out
    assert report["dL_dw7"].verdict == "missing_factor"
    assert "h1_out" in report["dL_dw7"].explanation


def test_a_wrong_weight_is_named():
    p, f = nnkit.homework_params(), nnkit.forward(nnkit.homework_params())
    o1_in_with_w7 = p["w7"] * f.h1_out + p["w6"] * f.h2_out + p["b2"]
    check = check_homework({"o1_in": on_paper(o1_in_with_w7)})["o1_in"]
    assert check.verdict == "wrong_weight"
    assert "w7" in check.explanation and "in place of w5" in check.explanation


def test_a_value_with_no_recognisable_cause_is_wrong():
    check = check_homework({"h2_out": on_paper(EXACT["h2_out"] + 0.1)})["h2_out"]
    assert check.verdict == "wrong"
    assert on_paper(EXACT["h2_out"]) in check.explanation


# --- Bad input ----------------------------------------------------------------------------------

def test_unknown_names_list_the_valid_ones():
    with pytest.raises(KeyError, match="unknown value name.*'h1_output'.*valid names are h1_in, h2_in"):
        check_homework({"h1_output": 0.6457})
    with pytest.raises(KeyError, match="'O2' was not checked; checked: o1_out"):
        check_homework({"o1_out": 0.6001})["O2"]


@pytest.mark.parametrize("value, error, message", [
    (float("nan"), ValueError, r"values\['O1'\] must be finite"),
    ("inf", ValueError, r"values\['O1'\] must be finite"),
    ("0,6001", ValueError, r"values\['O1'\] must be a number like 0.6456"),
    (None, TypeError, r"values\['O1'\] must be a real number"),
    (True, TypeError, r"values\['O1'\] must be a real number"),
])
def test_non_numbers_are_refused_clearly(value, error, message):
    with pytest.raises(error, match=message):
        check_homework({"O1": value})


def test_bad_containers_and_settings_are_refused_clearly():
    with pytest.raises(TypeError, match="values must be a dict"):
        check_homework([("O1", 0.6001)])
    with pytest.raises(ValueError, match="values is empty"):
        check_homework({})
    with pytest.raises(KeyError, match="missing w1"):
        check_homework({"O1": 0.6001}, params={k: v for k, v in nnkit.homework_params().items() if k != "w1"})
    with pytest.raises(ValueError, match="x must have 2 values"):
        check_homework({"O1": 0.6001}, x=(1, 2, 3))


def test_the_example_in_the_module_docstring_holds():
    assert doctest.testmod(nnkit.check).failed == 0


def test_a_value_one_unit_below_an_exact_round_number_is_not_truncation():
    """h2_in is exactly 1.2: writing 1.1 is a mistake, not 1.2 cut off (which is 1.2 itself)."""
    report = check_homework({"h2_in": "1.1"})
    assert report["h2_in"].verdict != "truncated"


def test_check_homework_takes_the_half_convention_as_the_tasks_loss():
    """half=True: the task's L is ½Σ(O − Ô)², so ½-convention values (from backward(half=True)) are correct."""
    f, g = nnkit.forward(nnkit.homework_params()), nnkit.backward(nnkit.homework_params(), half=True)
    values = {"L": on_paper(nnkit.loss(f, half=True)), "dL_do2_out": on_paper(g.factors["dL_do2_out"]),
              "dL_dw7": on_paper(g["w7"]), "dL_dw3": on_paper(g["w3"], 6)}
    assert set(verdicts(check_homework(values, half=True)).values()) == {"correct"}
    assert check_homework(values).first_error.verdict == "other_convention"   # against Σ: one convention
