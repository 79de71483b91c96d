"""The homework's 2-2-2 network: its forward pass, loss and gradients.

Expected values are never typed in: the forward pass is checked against a second derivation
written here in matrix form, and every gradient against central finite differences.
"""
import math

import numpy as np
import pytest

import nnkit
from nnkit.homework import PARAM_NAMES


def matrix_forward(p, x):
    """The same network written independently: z = W·x + b with σ applied elementwise."""
    W1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]])
    W2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]]])
    h_in = W1 @ np.asarray(x, float) + p["b1"]
    h_out = 1 / (1 + np.exp(-h_in))
    o_in = W2 @ h_out + p["b2"]
    return h_in, h_out, o_in, 1 / (1 + np.exp(-o_in))


def central_difference(name, params, x, target, half=False, h=1e-5):
    def L(value):
        return nnkit.loss(nnkit.forward({**params, name: value}, x), target, half=half)
    return (L(params[name] + h) - L(params[name] - h)) / (2 * h)


def random_setting(seed):
    rng = np.random.default_rng(seed)
    params = dict(zip(PARAM_NAMES, rng.normal(0, 1, 10).tolist()))
    return params, tuple(rng.normal(0, 2, 2).tolist()), tuple(rng.uniform(0, 1, 2).tolist())


def test_homework_setting_is_the_homeworks():
    assert nnkit.HOMEWORK_X == (1, 2) and nnkit.HOMEWORK_TARGET == (0, 1)
    assert list(nnkit.homework_params()) == list(PARAM_NAMES)


def test_homework_params_is_a_fresh_dict_each_time():
    p = nnkit.homework_params()
    p["w1"] = 99.0
    assert nnkit.homework_params()["w1"] != 99.0


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_forward_matches_the_matrix_form(seed):
    if seed is None:
        params, x = nnkit.homework_params(), nnkit.HOMEWORK_X
    else:
        params, x, _ = random_setting(seed)
    f = nnkit.forward(params, x)
    h_in, h_out, o_in, o_out = matrix_forward(params, x)
    np.testing.assert_allclose([f.h1_in, f.h2_in], h_in, rtol=1e-14)
    np.testing.assert_allclose([f.h1_out, f.h2_out], h_out, rtol=1e-14)
    np.testing.assert_allclose([f.o1_in, f.o2_in], o_in, rtol=1e-14)
    np.testing.assert_allclose([f.o1_out, f.o2_out], o_out, rtol=1e-14)


def test_loss_is_the_sum_of_squared_errors_and_half_halves_it():
    f = nnkit.forward(nnkit.homework_params())
    expected = (f.o1_out - 0) ** 2 + (f.o2_out - 1) ** 2
    assert nnkit.loss(f) == pytest.approx(expected, rel=1e-15)
    assert nnkit.loss((f.o1_out, f.o2_out), (0, 1)) == nnkit.loss(f)
    assert nnkit.loss(f, half=True) == pytest.approx(expected / 2, rel=1e-15)


@pytest.mark.parametrize("seed", [None, 4, 5])
@pytest.mark.parametrize("name", PARAM_NAMES)
def test_every_gradient_matches_central_differences(name, seed):
    if seed is None:
        params, x, target = nnkit.homework_params(), nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET
    else:
        params, x, target = random_setting(seed)
    grads = nnkit.backward(params, x, target)
    numeric = central_difference(name, params, x, target)
    assert nnkit.rel_error(grads[name], numeric) < 1e-7


@pytest.mark.parametrize("name", PARAM_NAMES)
def test_half_convention_halves_every_gradient(name):
    full, half = nnkit.backward(nnkit.homework_params()), nnkit.backward(nnkit.homework_params(), half=True)
    assert half[name] == pytest.approx(full[name] / 2, rel=1e-15)


def test_chain_rule_factors_multiply_to_the_gradient():
    g = nnkit.backward(nnkit.homework_params())
    f = nnkit.forward(nnkit.homework_params())
    factors = g.factors
    assert g["w7"] == pytest.approx(factors["dL_do2_out"] * factors["do2_out_do2_in"] * f.h1_out, rel=1e-15)
    # ∂L/∂w3: two paths into h2_out (via O1 through w6, via O2 through w8), then σ' and x1.
    via_o1 = factors["dL_do1_out"] * factors["do1_out_do1_in"] * nnkit.homework_params()["w6"]
    via_o2 = factors["dL_do2_out"] * factors["do2_out_do2_in"] * nnkit.homework_params()["w8"]
    assert factors["dL_dh2_out_via_o1"] == pytest.approx(via_o1, rel=1e-15)
    assert factors["dL_dh2_out_via_o2"] == pytest.approx(via_o2, rel=1e-15)
    assert g["w3"] == pytest.approx((via_o1 + via_o2) * f.h2_out * (1 - f.h2_out) * 1, rel=1e-14)
    for name, terms in g.terms.items():
        assert g[name] == pytest.approx(sum(math.prod(v for _, v in t) for t in terms), rel=1e-15)


def test_dL_dw3_is_negative_as_the_homework_wrote_before_its_final_line():
    """The homework's last line writes ∂L/∂w3 = +0.00281: a dropped sign (the line above has −)."""
    assert nnkit.backward(nnkit.homework_params())["w3"] < 0


def test_shared_biases_collect_both_paths():
    g = nnkit.backward(nnkit.homework_params())
    assert g["b2"] == pytest.approx(g.factors["dL_do1_in"] + g.factors["dL_do2_in"], rel=1e-15)
    assert g["b1"] == pytest.approx(g.factors["dL_dh1_in"] + g.factors["dL_dh2_in"], rel=1e-15)


def test_sgd_step_moves_against_the_gradient_and_never_mutates():
    params = nnkit.homework_params()
    grads = nnkit.backward(params)
    before = dict(params)
    new = nnkit.sgd_step(params, grads, lr=0.5)
    assert params == before
    for name in PARAM_NAMES:
        assert new[name] == params[name] - 0.5 * grads[name]
    assert nnkit.loss(nnkit.forward(new)) < nnkit.loss(nnkit.forward(params))


def test_sigmoid_is_stable_for_large_inputs():
    p = {**nnkit.homework_params(), "w1": -1000.0, "w3": 1000.0}
    f = nnkit.forward(p, (1, 0))
    assert f.h1_out == pytest.approx(0, abs=1e-300) and f.h2_out == 1.0


@pytest.mark.parametrize("bad, error, message", [
    (("1", "2"), TypeError, r"x must hold real numbers, got str '1' at index 0"),
    ((True, 2), TypeError, r"x must hold real numbers, got bool True at index 0"),
    ((1, None), TypeError, r"x must hold real numbers, got NoneType None at index 1"),
    ("12", TypeError, r"x must be a list or tuple of 2 numbers, got str"),
])
def test_inputs_are_validated_like_parameters_no_strings_or_booleans(bad, error, message):
    """One validation path: what is refused for w1 (a string, a bool) is refused for x and target too."""
    with pytest.raises(error, match=message):
        nnkit.forward(nnkit.homework_params(), bad)
    with pytest.raises(error, match=message.replace("x must", "target must")):
        nnkit.backward(nnkit.homework_params(), (1, 2), bad)
    with pytest.raises(TypeError, match=r"params\['w1'\] must be a real number, got (str|bool)"):
        nnkit.forward({**nnkit.homework_params(), "w1": "0.1" if isinstance(bad[0], str) else True})


def test_numpy_numbers_and_arrays_are_accepted():
    p = {k: np.float64(v) for k, v in nnkit.homework_params().items()}
    assert nnkit.forward(p, np.array([1, 2])) == nnkit.forward(nnkit.homework_params(), (1.0, 2.0))
