"""explain() writes the chain rule with the numbers that backward() computed."""
import math
import re

import pytest

import nnkit
from nnkit.notation import number

NUMBER = r"\(([−\d.e]+)\)"


def parse(text):
    return float(text.replace("−", "-"))


def test_w7_is_the_three_factor_product_the_homework_wrote():
    text = nnkit.explain("w7")
    g = nnkit.backward(nnkit.homework_params())
    f = nnkit.forward(nnkit.homework_params())
    assert text.startswith("∂L/∂w7 = ∂L/∂o2_out · ∂o2_out/∂o2_in · ∂o2_in/∂w7 = ")
    shown = [parse(v) for v in re.findall(NUMBER, text)]
    factors = [g.factors["dL_do2_out"], g.factors["do2_out_do2_in"], f.h1_out]
    assert shown == [parse(number(v)) for v in factors]
    assert text.endswith(f"= {number(g['w7'])}")
    assert math.prod(shown) == pytest.approx(g["w7"], rel=1e-5)


def test_w3_shows_both_paths_into_h2():
    text = nnkit.explain("w3")
    g = nnkit.backward(nnkit.homework_params())
    assert "∂L/∂h2_out · ∂h2_out/∂h2_in · ∂h2_in/∂w3" in text
    assert f"({number(g.factors['dL_dh2_out_via_o1'])}) + ({number(g.factors['dL_dh2_out_via_o2'])})" in text
    assert "−" in number(g["w3"]) and text.splitlines()[0].endswith(number(g["w3"]))


@pytest.mark.parametrize("name", nnkit.PARAM_NAMES)
def test_every_parameter_renders_as_latex_in_the_homework_notation(name):
    explanation = nnkit.explain(name)
    latex = explanation._repr_markdown_()
    assert latex.startswith("$$\\frac{\\partial L}{\\partial " + name[0] + "_{" + name[1:] + "}}")
    assert "∂" not in latex and "−" not in latex


def test_explain_follows_other_settings():
    params = {**nnkit.homework_params(), "w7": -0.3}
    text = nnkit.explain("w7", params=params, x=(0.5, -1), target=(1, 0), half=True)
    assert text.endswith(number(nnkit.backward(params, (0.5, -1), (1, 0), half=True)["w7"]))
