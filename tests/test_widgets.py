"""nnkit.widgets: the playgrounds, driven from Python through their real ipywidgets.

What a student sees must be what nnkit computes: the readout is parsed back into numbers and
compared with nnkit.forward / nnkit.backward, and the buttons with nnkit.sgd_step / nnkit.fit.
"""
import asyncio
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import PIL.Image  # noqa: E402
import pytest  # noqa: E402

import nnkit  # noqa: E402
from nnkit.explain import number  # noqa: E402
from nnkit.widgets.figure_image import FAST_TEXT  # noqa: E402
from nnkit.widgets import BackpropPlayground, ClassificationPlayground  # noqa: E402

FORWARD_FIELDS = ("h1_in", "h1_out", "h2_in", "h2_out", "o1_in", "o1_out", "o2_in", "o2_out")


def readout_numbers(playground):
    """The readout's table as {label: text of the number}."""
    return dict(re.findall(r"<tr><td>(.*?)</td><td[^>]*>(.*?)</td></tr>", playground.readout.value))


def expected_readout(params, x, target):
    """The same table computed with nnkit directly, numbers written as nnkit.explain writes them."""
    values, grads = nnkit.forward(params, x), nnkit.backward(params, x, target)
    shown = {}
    for field in FORWARD_FIELDS:
        shown[field] = number(getattr(values, field))
    shown["L"] = number(nnkit.loss(values, target))
    for name in nnkit.PARAM_NAMES:
        shown[f"dL/d{name}"] = number(grads[name])
    return shown


def by_name(readout):
    """Key the readout by code names: '(h1_in)' rows -> h1_in, '∂L/∂w<sub>7</sub>' -> dL/dw7."""
    named = {}
    for label, value in readout.items():
        if match := re.search(r"\((\w+)\)$", label):
            named[match.group(1)] = value
        elif label.startswith("∂L/∂"):
            named["dL/d" + re.sub(r"</?sub>", "", label[4:])] = value
        else:
            named[label] = value
    return named


def shown_matches_a_full_redraw(picture):
    """The PNG in the widget (drawn by blitting) looks like the figure drawn from scratch: at most
    a few pixels differ (blitting paints the moving artists last, e.g. over arrow heads)."""
    shown = np.asarray(PIL.Image.open(io.BytesIO(bytes(picture.widget.value))).convert("RGB"), dtype=float)
    buffer = io.BytesIO()
    with matplotlib.rc_context(FAST_TEXT):       # the playgrounds' text settings
        picture.figure.savefig(buffer, format="png")
    full = np.asarray(PIL.Image.open(buffer).convert("RGB"), dtype=float)
    assert shown.shape == full.shape
    differing = np.mean(np.abs(shown - full).max(axis=2) > 64)
    assert differing < 0.001, f"{100 * differing:.2f} % of the pixels differ from a full redraw"


def png_of(image_widget):
    data = bytes(image_widget.value)
    assert data.startswith(b"\x89PNG")
    return data


# --- the backprop playground --------------------------------------------------------------------

def test_playground_starts_at_the_homework_and_shows_nnkits_numbers():
    playground = BackpropPlayground()
    assert playground.params == nnkit.homework_params()
    assert playground.x == nnkit.HOMEWORK_X and playground.target == nnkit.HOMEWORK_TARGET
    shown = by_name(readout_numbers(playground))
    assert shown == expected_readout(nnkit.homework_params(), nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET)
    assert len(shown) == 8 + 1 + 10                   # forward values, L, ten gradients


def test_moving_sliders_updates_numbers_and_diagram_to_match_nnkit():
    playground = BackpropPlayground()
    before = png_of(playground.diagram.widget)
    playground.sliders["w3"].value = -1.25
    playground.sliders["b2"].value = 0.75
    playground.sliders["x1"].value = 0.5
    playground.sliders["t2"].value = 0.3
    params = {**nnkit.homework_params(), "w3": -1.25, "b2": 0.75}
    assert by_name(readout_numbers(playground)) == expected_readout(params, (0.5, 2), (0, 0.3))

    ax = playground.diagram.figure.axes[0]
    label = next(a for a in ax.texts if a.get_gid() == "label:edge:w3").get_text()
    grad_w3 = nnkit.backward(params, (0.5, 2), (0, 0.3))["w3"]
    assert label == f"w3 = −1.25\n∂L/∂w3 = {grad_w3:.4g}".replace("-", "−")
    assert png_of(playground.diagram.widget) != before
    shown_matches_a_full_redraw(playground.diagram)


def test_step_is_one_nnkit_sgd_step():
    playground = BackpropPlayground()
    playground.lr.value = 0.8
    params, x, target = playground.params, playground.x, playground.target
    playground.buttons["step"].click()
    assert playground.params == nnkit.sgd_step(params, nnkit.backward(params, x, target), 0.8)


def test_train_takes_n_steps_and_records_the_loss_after_each():
    playground = BackpropPlayground()
    playground.n_steps.value = 7
    playground.buttons["train"].click()
    params, losses = nnkit.homework_params(), [nnkit.loss(nnkit.forward(nnkit.homework_params()))]
    for _ in range(7):
        params = nnkit.sgd_step(params, nnkit.backward(params), 0.5)
        losses.append(nnkit.loss(nnkit.forward(params)))
    assert playground.params == params
    assert playground.losses == losses
    line = playground.curve.figure.axes[0].get_lines()[0]
    np.testing.assert_array_equal(line.get_ydata(), losses)
    shown_matches_a_full_redraw(playground.curve)
    playground.step()                             # the axes stay: only the curve is redrawn
    shown_matches_a_full_redraw(playground.curve)


def test_a_step_past_the_end_of_a_slider_widens_it_instead_of_clipping():
    playground = BackpropPlayground(lr=10.0)
    playground.sliders["w7"].value = 3.99           # ∂L/∂w7 < 0 here, so the step pushes w7 above 4
    params = playground.params
    expected = nnkit.sgd_step(params, nnkit.backward(params), 10.0)
    assert expected["w7"] > playground.sliders["w7"].max
    playground.step()
    assert playground.params == expected
    assert playground.sliders["w7"].max >= expected["w7"]


def test_moving_a_slider_after_training_starts_a_new_loss_curve():
    playground = BackpropPlayground()
    playground.train(3)
    playground.sliders["w1"].value = 1.0
    moved_to = playground.params
    playground.step()
    assert playground.losses == [nnkit.loss(nnkit.forward(moved_to)), nnkit.loss(nnkit.forward(playground.params))]


def test_reset_restores_the_homework():
    playground = BackpropPlayground()
    playground.train(5)
    playground.sliders["x2"].value = -1.0
    playground.sliders["t1"].value = 0.9
    playground.buttons["reset"].click()
    assert playground.params == nnkit.homework_params()
    assert playground.x == nnkit.HOMEWORK_X and playground.target == nnkit.HOMEWORK_TARGET
    assert playground.losses == [nnkit.loss(nnkit.forward(nnkit.homework_params()))]
    assert by_name(readout_numbers(playground)) == expected_readout(
        nnkit.homework_params(), nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET)


def test_updates_reuse_the_same_figure_and_artists():
    figures_before = plt.get_fignums()
    playground = BackpropPlayground()
    ax = playground.diagram.figure.axes[0]
    artists = len(ax.get_children())
    image = playground.diagram.widget
    for value in (0.3, -0.7, 1.9):
        playground.sliders["w5"].value = value
    playground.train(4)
    assert len(ax.get_children()) == artists                     # restyled, not redrawn anew
    assert playground.diagram.widget is image
    assert plt.get_fignums() == figures_before                   # nothing leaks into pyplot
    for figure in (playground.diagram.figure, playground.curve.figure):
        figure.savefig(io.BytesIO(), format="png")


def test_the_playground_displays_its_widget_tree():
    playground = BackpropPlayground()
    shown = []

    def walk(widget):
        shown.append(widget)
        for child in getattr(widget, "children", ()):
            walk(child)
    walk(playground.ui)
    assert all(slider in shown for slider in playground.sliders.values())
    assert playground.readout in shown and playground.diagram.widget in shown
    assert callable(playground._ipython_display_)


def test_playground_rejects_bad_starting_values():
    with pytest.raises(KeyError, match="w9"):
        BackpropPlayground(params={**nnkit.homework_params(), "w9": 1.0})
    with pytest.raises(ValueError, match="x must have 2 values"):
        BackpropPlayground(x=(1, 2, 3))
    with pytest.raises(ValueError, match="n \\(steps\\) must be >= 1"):
        BackpropPlayground().train(0)


# --- the classification playground --------------------------------------------------------------

def test_classification_frames_are_nnkit_fit_runs():
    playground = ClassificationPlayground(dataset="moons", noise=0.1, hidden="5, 3", activation="relu",
                                          lr=0.2, epochs_per_frame=4)
    assert playground.train_frames(3)
    X, Y = nnkit.datasets.moons(n_samples=200, noise=0.1)
    model = nnkit.MLP([2, 5, 3, 1], hidden="relu", output="sigmoid", loss="bce", seed=0)
    losses = []
    for frame in range(3):
        losses += nnkit.fit(model, X, Y, lr=0.2, epochs=4, batch_size=16, seed=4 * frame, progress=False)["loss"]
    assert playground.epoch == 12
    assert playground.history["loss"] == losses
    for key in model.params:
        np.testing.assert_array_equal(playground.model.params[key], model.params[key])
    assert f"accuracy {100 * model.accuracy(X, Y):.1f} %" in playground.status.value
    shown_matches_a_full_redraw(playground.picture)
    playground.train_frames(20)                   # past epoch 50: the loss axes grow, redrawn
    shown_matches_a_full_redraw(playground.picture)


@pytest.mark.parametrize("text, message", [
    ("abc", "whole numbers separated by commas"),
    ("4, 0", "1 to 32 units, got 0"),
    ("4,, 4", "whole numbers"),
    ("4, 4, 4, 4, 4, 4, 4", "at most 6 hidden layers"),
])
def test_invalid_hidden_sizes_show_a_message_not_a_traceback(text, message):
    playground = ClassificationPlayground()
    playground.hidden.value = text
    assert message in playground.message.value.replace("&#x27;", "'")
    assert playground.model is None
    assert playground.train_frames(2) is False
    playground.hidden.value = "3"                                 # fixing it clears the message
    assert playground.message.value == "" and playground.model.sizes == [2, 3, 1]


def test_no_hidden_layer_is_allowed():
    playground = ClassificationPlayground(hidden="")
    assert playground.model.sizes == [2, 1]
    assert playground.train_frames(1)


def test_changing_the_data_set_starts_again_with_that_data():
    playground = ClassificationPlayground()
    playground.train_frames(2)
    playground.dataset.value = "circles"
    X, Y = nnkit.datasets.circles(n_samples=200, noise=0.2)
    np.testing.assert_array_equal(playground.X, X)
    assert playground.epoch == 0 and playground.history == {"loss": [], "accuracy": []}
    fresh = nnkit.MLP([2, 4, 4, 1], hidden="tanh", output="sigmoid", loss="bce", seed=0)
    for key in fresh.params:
        np.testing.assert_array_equal(playground.model.params[key], fresh.params[key])
    playground.dataset.value = "xor"
    assert playground.noise.disabled and len(playground.X) == 4


def test_reset_button_restarts_the_run():
    playground = ClassificationPlayground(dataset="spirals", hidden="6")
    playground.train_frames(2)
    playground.buttons["reset"].click()
    assert playground.epoch == 0 and playground.history["loss"] == []


def test_training_stops_at_max_epochs():
    playground = ClassificationPlayground(epochs_per_frame=5, max_epochs=10)
    assert playground.train_frames(5) is False
    assert playground.epoch == 10
    assert "max_epochs = 10" in playground.message.value


@pytest.mark.parametrize("settings, error, message", [
    ({"dataset": "iris"}, ValueError, "unknown dataset 'iris'"),
    ({"activation": "softplus"}, ValueError, "unknown activation 'softplus'"),
    ({"lr": 0}, ValueError, "lr must be > 0"),
    ({"noise": -0.1}, ValueError, "noise must be >= 0"),
])
def test_classification_playground_rejects_bad_arguments(settings, error, message):
    with pytest.raises(error, match=message):
        ClassificationPlayground(**settings)


def test_train_runs_in_the_background_and_pause_stops_it():
    async def scenario():
        playground = ClassificationPlayground(epochs_per_frame=1)
        playground.buttons["train"].click()
        assert playground.running
        for _ in range(200):                      # the event loop runs frames while we wait
            await asyncio.sleep(0.01)
            if playground.epoch >= 3:
                break
        playground.buttons["pause"].click()
        await asyncio.sleep(0.05)
        stopped_at = playground.epoch
        await asyncio.sleep(0.1)
        return playground, stopped_at

    playground, stopped_at = asyncio.run(scenario())
    assert stopped_at >= 3
    assert playground.epoch == stopped_at and not playground.running


def test_train_without_an_event_loop_says_what_to_do():
    playground = ClassificationPlayground()
    playground.buttons["train"].click()
    assert "train_frames" in playground.message.value
    assert not playground.running
