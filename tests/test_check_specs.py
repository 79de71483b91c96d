"""The derived steps of generated networks agree with nnkit.MLP's gradients and with finite differences.

Every spec hypothesis draws (1–2 hidden layers of 1–4 units, any activation, loss and biases) is
derived step by step by nnkit.steps; its gradients must be MLP's (a vectorized second method,
with shared_bias for one bias per layer) and the central differences of its own loss.
"""
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import nnkit
from nnkit.check import check
from nnkit.spec import Spec
from nnkit.steps import Net
from nnkit.solution import worked_solution

MLP_ACTIVATION = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu", "linear": "identity"}


@st.composite
def specs(draw):
    sizes = [draw(st.integers(1, 4)) for _ in range(draw(st.integers(3, 4)))]
    hidden = draw(st.sampled_from(["sigmoid", "tanh", "relu", "linear"]))
    output = draw(st.sampled_from(["sigmoid", "linear"]))
    loss = draw(st.sampled_from(["sse", "half_sse", "mse"] + (["bce"] if output == "sigmoid" else [])))
    bias = draw(st.sampled_from(["shared", "per_unit", "none"]))
    activations = (hidden,) * (len(sizes) - 2) + (output,)
    net = Net(tuple(sizes), activations, loss, bias, True)
    number = st.floats(-1, 1, allow_nan=False).filter(lambda v: abs(v) > 0.05)
    params = {p: draw(number) for p in net.params}
    x = tuple(draw(st.floats(-2, 2, allow_nan=False)) for _ in range(sizes[0]))
    target = tuple(draw(st.floats(0.05, 0.95)) for _ in range(sizes[-1]))
    return Spec(sizes=tuple(sizes), activations=activations, loss=loss, bias=bias, params=params, x=x,
                target=target, lr=0.5)


def mlp_of(spec):
    """The same network as an nnkit.MLP (biases of 'none' are zeros; its gradients are not compared)."""
    model = nnkit.MLP(list(spec.sizes), hidden=MLP_ACTIVATION[spec.activations[0]],
                      output=MLP_ACTIVATION[spec.activations[-1]], loss=spec.loss, shared_bias=spec.bias == "shared")
    params = {k: np.zeros_like(v) for k, v in model.params.items()}
    for (layer, i, j), w in spec.net.weights.items():
        params[f"W{layer}"][i, j] = spec.params[w]
    for (layer, j), b in spec.net.biases.items():
        params[f"b{layer}"][0 if spec.bias == "shared" else j] = spec.params[b]
    model.params = params
    return model


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(specs())
def test_every_gradient_is_the_mlps(spec):
    values = spec.values()
    model = mlp_of(spec)
    loss, grads = model.loss_and_grads(np.array([spec.x]), np.array([spec.target]))
    assert np.isclose(values["L"], loss, rtol=1e-9, atol=1e-12)
    for (layer, i, j), w in spec.net.weights.items():
        assert np.isclose(values[f"dL_d{w}"], grads[f"W{layer}"][i, j], rtol=1e-8, atol=1e-12), w
    for b in dict.fromkeys(spec.net.biases.values()):
        layer, j = next(key for key, name in spec.net.biases.items() if name == b)
        assert np.isclose(values[f"dL_d{b}"], grads[f"b{layer}"][0 if spec.bias == "shared" else j],
                          rtol=1e-8, atol=1e-12), b
    for p in spec.net.params:
        assert values[f"{p}_new"] == spec.params[p] - 0.5 * values[f"dL_d{p}"]


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(specs())
def test_every_gradient_is_the_central_difference_of_the_loss(spec):
    values, h = spec.values(), 1e-6
    for p in spec.net.params:
        up = replace(spec, params={**spec.params, p: spec.params[p] + h}).values()["L"]
        down = replace(spec, params={**spec.params, p: spec.params[p] - h}).values()["L"]
        assert np.isclose(values[f"dL_d{p}"], (up - down) / (2 * h), rtol=1e-4, atol=1e-7), p


@settings(max_examples=20, deadline=None, derandomize=True, database=None)
@given(specs())
def test_a_calculation_written_to_six_decimals_checks_out_and_has_a_worked_solution(spec):
    values = spec.values()
    written = {s.name: f"{values[s.name]:.6f}" for s in spec.steps}
    report = check(written, spec)
    assert report.first_error is None, str(report)
    solution = worked_solution(spec)
    assert solution.count("$$") >= 2 * len(spec.steps)
