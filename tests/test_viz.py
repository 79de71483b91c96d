"""nnkit.viz: the network diagram and the training pictures.

The pictures are checked through their artists (found by gid or label), not by eye; every
figure must also render to PNG without a warning (pytest runs with -W error).
"""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnkit  # noqa: E402
from nnkit import viz  # noqa: E402
from nnkit.viz.diagram import NEGATIVE, POSITIVE  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def png_bytes(ax):
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def gids(ax, prefix):
    """The gids of all artists of `ax` that start with `prefix`, e.g. "node:"."""
    found = [a.get_gid() for a in ax.get_children() if (a.get_gid() or "").startswith(prefix)]
    return sorted(g[len(prefix):] for g in found)


def artist(ax, gid):
    (match,) = [a for a in ax.get_children() if a.get_gid() == gid]
    return match


# --- draw_network -------------------------------------------------------------------------------

def test_homework_diagram_has_six_units_and_eight_weighted_edges():
    ax = viz.draw_network()
    assert gids(ax, "node:") == ["O1", "O2", "h1", "h2", "x1", "x2"]
    assert gids(ax, "edge:") == ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"]
    assert gids(ax, "bias:") == ["b1", "b2"]
    assert gids(ax, "bias-edge:") == ["b1->h1", "b1->h2", "b2->O1", "b2->O2"]
    assert png_bytes(ax).startswith(b"\x89PNG")


def test_each_weight_label_shows_its_value_and_arrows_follow_the_homework_wiring():
    params = nnkit.homework_params()
    ax = viz.draw_network(params)
    for name in ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"):
        label = artist(ax, f"label:edge:{name}").get_text()
        assert label == f"{name} = {params[name]:.4g}"
    # h1_in = w1·x1 + w2·x2 + b1: w2 runs from x2 (lower left) up to h1 (upper middle).
    centre = {unit: artist(ax, f"node:{unit}").center for unit in ("x1", "x2", "h1", "h2")}
    (x0, y0), (x1, y1) = artist(ax, "edge:w2")._posA_posB
    assert x0 > centre["x2"][0] and y0 > centre["x2"][1] and x1 < centre["h1"][0] and y1 < centre["h1"][1]


def test_colour_shows_the_sign_and_width_the_size_of_each_weight():
    params = {**nnkit.homework_params(), "w3": -0.8}
    ax = viz.draw_network(params)
    assert matplotlib.colors.same_color(artist(ax, "edge:w3").get_edgecolor()[:3], NEGATIVE)
    assert matplotlib.colors.same_color(artist(ax, "edge:w1").get_edgecolor()[:3], POSITIVE)
    widths = {name: artist(ax, f"edge:{name}").get_linewidth() for name in ("w1", "w3", "w4")}
    assert widths["w3"] > widths["w4"] > widths["w1"]     # |−0.8| > |0.4| > |0.1|
    legend_labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "weight > 0" in legend_labels and "weight < 0" in legend_labels


def test_forward_values_and_gradients_are_the_ones_nnkit_computes():
    params = {**nnkit.homework_params(), "w5": -0.3, "b2": 0.05}
    x, target = (0.5, -1.5), (1, 0)
    values, grads = nnkit.forward(params, x), nnkit.backward(params, x, target)
    ax = viz.draw_network(params, values, grads, x=x, target=target)
    h2_text = artist(ax, "value:h2").get_text()
    assert f"{values.h2_in:.4g}".replace("-", "−") in h2_text
    assert f"{values.h2_out:.4g}" in h2_text
    assert f"{values.o1_out:.4g}" in artist(ax, "value:O1").get_text()
    for name in ("w1", "w5", "w8"):
        assert artist(ax, f"label:edge:{name}").get_text().endswith(f"{grads[name]:.4g}".replace("-", "−"))
    assert artist(ax, "value:b1").get_text().endswith(f"{grads['b1']:.4g}".replace("-", "−"))
    assert "forward values" in ax.get_title() and "gradients" in ax.get_title()
    png_bytes(ax)


def test_homework_mlp_is_drawn_in_the_homework_notation():
    params = {**nnkit.homework_params(), "w6": -0.25}
    from_params = viz.draw_network(params)
    from_model = viz.draw_network(nnkit.MLP.from_homework(params))
    assert png_bytes(from_params) == png_bytes(from_model)


def test_mlp_gradients_are_drawn_in_the_homework_notation_when_the_mlp_is_the_homework():
    model = nnkit.MLP.from_homework()
    _, cache = model.forward(np.array([nnkit.HOMEWORK_X], dtype=float))
    ax = viz.draw_network(model, grads=model.backward(cache, np.array([nnkit.HOMEWORK_TARGET], dtype=float)))
    expected = nnkit.backward(nnkit.homework_params())
    for name in ("w3", "w7"):
        assert artist(ax, f"label:edge:{name}").get_text().endswith(f"{expected[name]:.4g}".replace("-", "−"))


def test_any_small_mlp_can_be_drawn():
    ax = viz.draw_network(nnkit.MLP([2, 4, 1]))
    assert len(gids(ax, "node:")) == 7 and len(gids(ax, "edge:")) == 2 * 4 + 4 * 1
    deep = viz.draw_network(nnkit.MLP([3, 10, 6, 2], shared_bias=True))
    assert len(gids(deep, "node:")) == 21 and gids(deep, "bias:") == ["b1", "b2", "b3"]
    png_bytes(deep)


def test_the_diagram_is_the_same_on_every_run():
    params, x = nnkit.homework_params(), nnkit.HOMEWORK_X
    first = png_bytes(viz.draw_network(params, nnkit.forward(params, x), nnkit.backward(params)))
    second = png_bytes(viz.draw_network(params, nnkit.forward(params, x), nnkit.backward(params)))
    assert first == second


def test_the_playgrounds_geometry_is_the_diagrams_layout():
    """The backprop playground draws the diagram in the browser from homework_geometry: the same
    units in the same places, the same wiring as draw_network."""
    geometry = viz.diagram.homework_geometry()
    ax = viz.draw_network()
    for unit, (x, y) in geometry["units"].items():
        assert artist(ax, f"node:{unit}").center == pytest.approx((x, y))
    assert sorted(name for name, _, _ in geometry["edges"]) == gids(ax, "edge:")
    assert ["w7", "h1", "O2"] in geometry["edges"] and ["w3", "x1", "h2"] in geometry["edges"]
    assert [(name, units) for name, _, units in geometry["biases"]] == [("b1", ["h1", "h2"]), ("b2", ["O1", "O2"])]
    assert tuple(geometry["xlim"]) == pytest.approx(ax.get_xlim())
    assert tuple(geometry["ylim"]) == pytest.approx(ax.get_ylim())


def test_draw_network_rejects_what_it_cannot_draw():
    with pytest.raises(KeyError, match="unknown w9"):
        viz.draw_network({**nnkit.homework_params(), "w9": 1.0})
    with pytest.raises(ValueError, match="too big to draw"):
        viz.draw_network(nnkit.MLP([2, 30, 1]))
    with pytest.raises(TypeError, match="Forward record"):
        viz.draw_network(values={"h1_in": 0.6})
    with pytest.raises(TypeError, match="only be drawn for the homework network"):
        viz.draw_network(nnkit.MLP([2, 3, 1]), values=nnkit.forward(nnkit.homework_params()))


# --- plot_loss_curve ----------------------------------------------------------------------------

def test_loss_curve_plots_every_epoch_of_a_fit_history():
    X, Y = nnkit.datasets.xor()
    history = nnkit.fit(nnkit.MLP([2, 4, 1], seed=1), X, Y, lr=2.0, epochs=40, progress=False)
    ax = viz.plot_loss_curve(history)
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_ydata(), history["loss"])
    np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 41))
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss L"
    assert f"{100 * history['accuracy'][-1]:.1f} %" in ax.get_title()
    png_bytes(ax)


def test_loss_curve_uses_a_log_axis_when_the_loss_falls_a_hundredfold():
    assert viz.plot_loss_curve([1.0, 0.5, 0.2]).get_yscale() == "linear"
    assert viz.plot_loss_curve([1.0, 0.1, 0.001], xlabel="SGD step").get_yscale() == "log"


@pytest.mark.parametrize("history, error, message", [
    ([], ValueError, "no losses"),
    ([0.5, float("nan")], ValueError, "finite"),
    ({"accuracy": [0.5]}, KeyError, "'loss'"),
])
def test_loss_curve_rejects_bad_histories(history, error, message):
    with pytest.raises(error, match=message):
        viz.plot_loss_curve(history)


# --- plot_decision_boundary ---------------------------------------------------------------------

def test_decision_boundary_shows_the_data_and_the_models_accuracy():
    X, Y = nnkit.datasets.moons(n_samples=80)
    model = nnkit.MLP([2, 6, 1], hidden="tanh", loss="bce")
    nnkit.fit(model, X, Y, lr=0.5, epochs=60, progress=False)
    ax = viz.plot_decision_boundary(model, X, Y)
    assert f"{100 * model.accuracy(X, Y):.1f} %" in ax.get_title()
    assert sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets")
               and c.get_label().startswith("class")) == 80
    assert ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.figure.axes) == 2                           # the plot and its colour bar
    png_bytes(ax)


def test_decision_boundary_for_several_classes():
    X, Y = nnkit.datasets.spirals(n_samples=90, classes=3)
    model = nnkit.MLP([2, 8, 3], output="softmax", loss="softmax_ce")
    ax = viz.plot_decision_boundary(model, X, Y)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]
    png_bytes(ax)


def test_decision_boundary_needs_two_dimensional_data():
    model = nnkit.MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        viz.plot_decision_boundary(model, np.zeros((5, 3)), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="2 inputs"):
        viz.plot_decision_boundary(nnkit.MLP([3, 2, 1]), np.zeros((5, 3)), np.zeros((5, 1)))
    with pytest.raises(TypeError, match="nnkit.MLP"):
        viz.plot_decision_boundary("model", np.zeros((5, 2)), np.zeros((5, 1)))


def test_prediction_grid_is_the_models_forward_pass_on_a_grid_around_the_data():
    X, _ = nnkit.datasets.moons(n_samples=40)
    model = nnkit.MLP([2, 5, 1], hidden="tanh", loss="bce")
    (x1_lo, x1_hi, x2_lo, x2_hi), P = viz.prediction_grid(model, X, resolution=7)
    assert P.shape == (7, 7)
    assert x1_lo < X[:, 0].min() and X[:, 0].max() < x1_hi and x2_lo < X[:, 1].min() and X[:, 1].max() < x2_hi
    row, column = 2, 5                          # row i at x2 = linspace(...)[i], column j at x1
    point = [[np.linspace(x1_lo, x1_hi, 7)[column], np.linspace(x2_lo, x2_hi, 7)[row]]]
    assert P[row, column] == pytest.approx(model.forward(np.array(point))[0][0, 0], rel=1e-12)
    with pytest.raises(ValueError, match="2 inputs"):
        viz.prediction_grid(nnkit.MLP([3, 1]), np.zeros((4, 3)))


# --- plot_loss_surface --------------------------------------------------------------------------

def test_loss_surface_arrow_points_downhill_along_the_numerical_gradient():
    params = {**nnkit.homework_params(), "w7": -0.5}
    ax = viz.plot_loss_surface(params, wrt=("w7", "b2"))
    (arrow,) = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]
    direction = np.subtract(arrow.xy, arrow.xyann)
    assert np.allclose(arrow.xyann, (params["w7"], params["b2"]))

    def loss_at(**change):
        return nnkit.loss(nnkit.forward({**params, **change}), nnkit.HOMEWORK_TARGET)
    h = 1e-6   # central differences, independent of nnkit.backward
    numerical = np.array([(loss_at(w7=params["w7"] + h) - loss_at(w7=params["w7"] - h)) / (2 * h),
                          (loss_at(b2=params["b2"] + h) - loss_at(b2=params["b2"] - h)) / (2 * h)])
    cosine = direction @ -numerical / (np.linalg.norm(direction) * np.linalg.norm(numerical))
    assert cosine > 1 - 1e-9
    assert ax.get_xlabel() == "$w_{7}$" and ax.get_ylabel() == "$b_{2}$"
    assert "w7" in ax.get_title() and "b2" in ax.get_title()
    png_bytes(ax)


@pytest.mark.parametrize("wrt, message", [
    (("w7", "w9"), "unknown parameter in wrt 'w9'"),
    (("w7", "w7"), "two different parameters"),
    ("w7", "two parameters"),
])
def test_loss_surface_rejects_unknown_parameters(wrt, message):
    with pytest.raises(ValueError, match=message):
        viz.plot_loss_surface(wrt=wrt)


def test_loss_surface_checks_its_input_before_drawing():
    with pytest.raises(ValueError, match="x must have 2 values"):
        viz.plot_loss_surface(x=(1, 2, 3))
    assert plt.get_fignums() == []
