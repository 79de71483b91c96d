"""nnkit.widgets: the playgrounds' models, driven from Python the way their browser front ends
drive them (the same messages), and checked against nnkit itself.

The state is exact: after k Steps the parameters are k nnkit.sgd_step calls to the last bit, and
what the browser is sent to show is what nnkit.forward / nnkit.backward compute. The drawing
itself is checked in a real browser (test_browser.py).
"""
import asyncio
import re

import numpy as np
import pytest

import nnkit
from nnkit.notation import number
from nnkit.widgets import BackpropPlayground, ClassificationPlayground
from nnkit.widgets.backprop import FORWARD_NAMES, HERE
from nnkit.widgets.chain import chain_steps

ALL_NAMES = nnkit.PARAM_NAMES + ("x1", "x2", "t1", "t2")


def browser_says(playground, **message):
    """What the front end sends when a person acts: {"do": "step"}, {"do": "move", ...}."""
    playground._on_browser_message(playground, message, [])


def expected_numbers(params, x, target):
    values, grads = nnkit.forward(params, x), nnkit.backward(params, x, target)
    return {**{name: getattr(values, name) for name in FORWARD_NAMES}, "L": nnkit.loss(values, target),
            **{f"dL_d{name}": grads[name] for name in nnkit.PARAM_NAMES}, **params,
            "x1": x[0], "x2": x[1], "t1": target[0], "t2": target[1]}


def assert_shows(playground, params, x=nnkit.HOMEWORK_X, target=nnkit.HOMEWORK_TARGET):
    """The numbers sent to the browser are nnkit's, exactly, and written as nnkit.explain writes them."""
    expected = expected_numbers(params, x, target)
    assert playground.shown["numbers"] == expected
    assert playground.shown["texts"] == {name: number(value) for name, value in expected.items()}


def sent_messages(playground):
    """Collect the state updates the widget sends to the browser (its comm's messages)."""
    sent = []
    playground.comm.send = lambda data=None, *args, **kwargs: sent.append(data)
    return sent


# --- the backprop playground: the model ---------------------------------------------------------

def test_playground_starts_at_the_homework_and_shows_nnkits_numbers():
    playground = BackpropPlayground()
    assert playground.params == nnkit.homework_params()
    assert playground.x == nnkit.HOMEWORK_X and playground.target == nnkit.HOMEWORK_TARGET
    assert playground.losses == [nnkit.loss(nnkit.forward(nnkit.homework_params()))]
    assert_shows(playground, nnkit.homework_params())


def test_k_steps_are_k_sgd_steps_to_the_last_bit_and_the_curve_has_k_plus_1_points():
    playground = BackpropPlayground(lr=0.8)
    params = nnkit.homework_params()
    losses = [nnkit.loss(nnkit.forward(params))]
    for _ in range(10):
        browser_says(playground, do="step")
        params = nnkit.sgd_step(params, nnkit.backward(params), 0.8)
        losses.append(nnkit.loss(nnkit.forward(params)))
    assert playground.params == params                 # ==: every float equal, not approximately
    assert playground.losses == losses and len(playground.losses) == 11
    assert playground.params["w5"] != round(playground.params["w5"], 2)   # not snapped to a slider's grid
    assert_shows(playground, params)


def test_train_takes_n_steps_and_records_the_loss_after_each():
    playground = BackpropPlayground()
    browser_says(playground, do="train", n=7)
    params, losses = nnkit.homework_params(), [nnkit.loss(nnkit.forward(nnkit.homework_params()))]
    for _ in range(7):
        params = nnkit.sgd_step(params, nnkit.backward(params), 0.5)
        losses.append(nnkit.loss(nnkit.forward(params)))
    assert playground.params == params and playground.losses == losses
    playground.n_steps = 3
    playground.train()                                 # default: n_steps
    assert len(playground.losses) == 7 + 3 + 1


def test_a_person_moving_a_slider_sets_that_one_value_and_starts_a_new_curve():
    playground = BackpropPlayground()
    playground.train(3)
    trained = playground.params
    browser_says(playground, do="move", name="w7", value=1.25)
    assert playground.params == {**trained, "w7": 1.25}
    assert playground.losses == [nnkit.loss(nnkit.forward(playground.params))]
    browser_says(playground, do="move", name="x1", value=-0.5)
    browser_says(playground, do="move", name="t2", value=0.3)
    assert playground.x == (-0.5, 2) and playground.target == (0, 0.3)
    assert_shows(playground, {**trained, "w7": 1.25}, (-0.5, 2), (0, 0.3))
    playground.step()
    assert len(playground.losses) == 2


def test_each_action_reaches_the_browser_as_one_message():
    """A move or a Step changes several traits (params, losses, shown, chain): they go together,
    so the browser never draws a half-updated state."""
    playground = BackpropPlayground()
    sent = sent_messages(playground)
    browser_says(playground, do="move", name="w1", value=0.7)
    browser_says(playground, do="step")
    assert len(sent) == 2
    assert {"params", "losses", "shown", "chain"} <= set(sent[1]["state"])


def test_code_that_assigns_the_state_directly_is_followed_by_the_views():
    playground = BackpropPlayground()
    playground.params = {**nnkit.homework_params(), "b2": -0.4}
    assert_shows(playground, {**nnkit.homework_params(), "b2": -0.4})
    assert playground.losses == [playground.shown["numbers"]["L"]]
    playground.x = (0.5, 0.5)
    assert playground.shown["numbers"]["x1"] == 0.5


def test_a_step_past_the_end_of_a_slider_widens_it_instead_of_clipping():
    playground = BackpropPlayground(lr=10.0)
    playground.move("w7", 3.99)                        # ∂L/∂w7 < 0 here, so the step pushes w7 above 4
    params = playground.params
    expected = nnkit.sgd_step(params, nnkit.backward(params), 10.0)
    assert expected["w7"] > 4
    playground.step()
    assert playground.params == expected
    assert playground.ranges["w7"][1] == expected["w7"] and playground.ranges["w7"][2] == 0.01


def test_reset_restores_the_homework():
    playground = BackpropPlayground()
    playground.train(5)
    playground.move("x2", -1.0)
    playground.move("t1", 0.9)
    browser_says(playground, do="reset")
    assert playground.params == nnkit.homework_params()
    assert playground.x == nnkit.HOMEWORK_X and playground.target == nnkit.HOMEWORK_TARGET
    assert playground.losses == [nnkit.loss(nnkit.forward(nnkit.homework_params()))]
    assert_shows(playground, nnkit.homework_params())


def test_learning_rate_from_the_browser_is_used_by_the_next_step():
    playground = BackpropPlayground()
    browser_says(playground, do="lr", value=1.5)
    playground.step()
    params = nnkit.homework_params()
    assert playground.params == nnkit.sgd_step(params, nnkit.backward(params), 1.5)


@pytest.mark.parametrize("message, shown", [
    ({"do": "move", "name": "w9", "value": 1.0}, "unknown slider 'w9'"),
    ({"do": "move", "name": "w1", "value": float("nan")}, "w1 must be finite, got nan"),
    ({"do": "move", "name": "w1", "value": "abc"}, "w1 must be a"),
    ({"do": "train", "n": 0}, r"n \(steps\) must be >= 1, got 0"),
    ({"do": "train", "n": None}, r"n \(steps\)"),
    ({"do": "lr", "value": -1}, "lr must be > 0"),
    ({"do": "explain", "name": "h1"}, "unknown parameter 'h1'"),
    ({"do": "jump"}, "unknown action"),
])
def test_bad_input_from_the_browser_is_shown_as_a_message_and_changes_nothing(message, shown):
    playground = BackpropPlayground()
    before = (playground.params, playground.x, playground.target, playground.lr, playground.losses)
    browser_says(playground, **message)
    assert re.search(shown, playground.message), playground.message
    assert (playground.params, playground.x, playground.target, playground.lr, playground.losses) == before
    browser_says(playground, do="step")                # the next good action clears the message
    assert playground.message == ""


def test_playground_rejects_bad_starting_values_and_assignments():
    with pytest.raises(KeyError, match="w9"):
        BackpropPlayground(params={**nnkit.homework_params(), "w9": 1.0})
    with pytest.raises(ValueError, match="x must have 2 values"):
        BackpropPlayground(x=(1, 2, 3))
    with pytest.raises(ValueError, match="lr must be > 0"):
        BackpropPlayground(lr=0)
    playground = BackpropPlayground()
    with pytest.raises(KeyError, match="missing w2"):
        playground.params = {"w1": 1.0}
    with pytest.raises(ValueError, match="n \\(steps\\) must be >= 1"):
        playground.train(0)
    assert playground.params == nnkit.homework_params()


# --- the step-through of the chain rule ---------------------------------------------------------

def test_step_through_of_dL_dw3_goes_forward_then_back_with_nnkits_factors():
    params, x, target = nnkit.homework_params(), nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET
    playground = BackpropPlayground()
    steps = playground.chain
    assert playground.chain_wrt == "w3"                # ∂L/∂w3 first, as in the homework
    phases = [step["phase"] for step in steps]
    assert phases == sorted(phases, key=["forward", "backward"].index)
    values, grads = nnkit.forward(params, x), nnkit.backward(params, x, target)
    forward_steps = [step for step in steps if step["phase"] == "forward"]
    assert [step["name"] for step in forward_steps] == ["h2_in", "h2_out", "o1_in", "o1_out", "o2_in", "o2_out", "L"]
    for step in forward_steps[:-1]:
        assert step["value"] == getattr(values, step["name"])
    assert forward_steps[-1]["value"] == nnkit.loss(values, target)
    backward_steps = [step for step in steps if step["phase"] == "backward"]
    from_factors = [step for step in backward_steps if step["factor_key"]]
    assert [step["factor_key"] for step in from_factors] == [
        "dL_do1_out", "do1_out_do1_in", "dL_do2_out", "do2_out_do2_in", "dL_dh2_out", "dh2_out_dh2_in"]
    for step in from_factors:
        assert step["value"] == grads.factors[step["factor_key"]]
    local = {step["name"]: step["value"] for step in backward_steps if not step["factor_key"]}
    assert local == {"do1_in_dh2_out": params["w6"], "do2_in_dh2_out": params["w8"], "dh2_in_dw3": x[0]}
    assert backward_steps[-1]["running"] == grads["w3"]
    assert "∂L/∂O<sub>1</sub> = 2(O<sub>1</sub> − Ô<sub>1</sub>)" in backward_steps[0]["formula"]
    assert backward_steps[0]["formula"].endswith(number(grads.factors["dL_do1_out"]))
    assert backward_steps[-1]["highlight"] == ["w3", "x1"]


@pytest.mark.parametrize("wrt", nnkit.PARAM_NAMES)
def test_every_step_through_ends_at_nnkits_gradient_exactly(wrt):
    params = {**nnkit.homework_params(), "w6": -0.7}
    x, target = (0.5, -1.0), (0.2, 0.9)
    steps = chain_steps(params, x, target, wrt)
    assert steps[-1]["running"] == nnkit.backward(params, x, target)[wrt]
    assert steps[-1]["running_text"] == number(steps[-1]["running"])
    assert all(step["formula"].endswith(number(step["value"])) for step in steps)


def test_choosing_another_parameter_in_the_browser_shows_its_step_through():
    playground = BackpropPlayground()
    browser_says(playground, do="explain", name="b1")
    assert playground.chain_wrt == "b1"
    assert playground.chain == chain_steps(nnkit.homework_params(), nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET, "b1")
    playground.step()                                  # the step-through follows the model
    assert playground.chain[-1]["running"] == nnkit.backward(playground.params)["b1"]


# --- what ships to the browser ------------------------------------------------------------------

def test_the_front_end_is_a_small_module_in_the_package_that_loads_nothing_from_the_network():
    for name in ("backprop.js", "classification.js", "playground.css"):
        text = (HERE / name).read_text()
        assert len(text.splitlines()) < 300
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), f"{name} refers to the network"
        assert not re.search(r"^\s*import\b", text, re.MULTILINE), f"{name} imports another module"
    assert BackpropPlayground()._esm == (HERE / "backprop.js").read_text()
    assert ClassificationPlayground()._css == (HERE / "playground.css").read_text()


def test_without_a_kernel_the_notebook_shows_a_picture_and_a_text_summary():
    for playground in (BackpropPlayground(), ClassificationPlayground()):
        data, _ = playground._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in data
        assert data["image/png"].startswith(b"\x89PNG") and data["text/plain"] == repr(playground)


def test_the_text_summary_names_nnkits_numbers():
    text = repr(BackpropPlayground())
    params = nnkit.homework_params()
    assert f"L = {number(nnkit.loss(nnkit.forward(params)))}" in text
    assert f"∂L/∂w7 = {number(nnkit.backward(params)['w7'])}" in text and "0x" not in text
    assert "moons" in repr(ClassificationPlayground()) and "0x" not in repr(ClassificationPlayground())


# --- the classification playground --------------------------------------------------------------

def test_classification_frames_are_nnkit_fit_runs_and_the_grid_is_the_models_prediction():
    playground = ClassificationPlayground(dataset="moons", noise=0.1, hidden="5, 3", activation="relu",
                                          lr=0.2, epochs_per_frame=4)
    assert playground.train_frames(3)
    X, Y = nnkit.datasets.moons(n_samples=200, noise=0.1)
    model = nnkit.MLP([2, 5, 3, 1], hidden="relu", output="sigmoid", loss="bce", seed=0)
    losses = []
    for frame in range(3):
        losses += nnkit.fit(model, X, Y, lr=0.2, epochs=4, batch_size=16, seed=4 * frame, progress=False)["loss"]
    assert playground.epoch == 12
    assert playground.history["loss"] == losses and playground.losses == losses
    for key in model.params:
        np.testing.assert_array_equal(playground.model.params[key], model.params[key])
    extent, P = nnkit.viz.prediction_grid(model, X, playground.resolution)
    assert playground.extent == list(extent)
    np.testing.assert_array_equal(np.frombuffer(playground.grid, dtype=np.float32), P.astype(np.float32).ravel())
    assert playground.points == [[float(a), float(b), int(c)] for (a, b), c in zip(X, Y[:, 0])]
    assert f"accuracy {100 * model.accuracy(X, Y):.1f} %" in playground.status


@pytest.mark.parametrize("text, message", [
    ("abc", "whole numbers separated by commas"),
    ("4, 0", "1 to 32 units, got 0"),
    ("4,, 4", "whole numbers"),
    ("4, 4, 4, 4, 4, 4, 4", "at most 6 hidden layers"),
])
def test_invalid_hidden_sizes_show_a_message_not_a_traceback(text, message):
    playground = ClassificationPlayground()
    playground.train_frames(1)
    browser_says(playground, do="set", name="hidden", value=text)
    assert message in playground.message
    assert playground.model is None
    assert (playground.status, playground.grid) == ("", b"")     # the last run's picture is not left up
    assert playground.train_frames(2) is False
    browser_says(playground, do="set", name="hidden", value="3")    # fixing it clears the message
    assert playground.message == "" and playground.model.sizes == [2, 3, 1]


@pytest.mark.parametrize("name, value, message", [
    ("lr", 0, "lr must be > 0"), ("noise", -0.1, "noise must be >= 0"),
    ("epochs_per_frame", 0, "epochs per frame must be >= 1"), ("dataset", "iris", "unknown dataset 'iris'"),
    ("batch_size", 3, "unknown setting 'batch_size'"),
])
def test_bad_settings_from_the_browser_show_a_message(name, value, message):
    playground = ClassificationPlayground()
    browser_says(playground, do="set", name=name, value=value)
    assert message in playground.message


def test_no_hidden_layer_is_allowed():
    playground = ClassificationPlayground(hidden="")
    assert playground.model.sizes == [2, 1]
    assert playground.train_frames(1)


def test_changing_the_data_set_starts_again_with_that_data():
    playground = ClassificationPlayground()
    playground.train_frames(2)
    browser_says(playground, do="set", name="dataset", value="circles")
    X, Y = nnkit.datasets.circles(n_samples=200, noise=0.2)
    np.testing.assert_array_equal(playground.X, X)
    assert playground.epoch == 0 and playground.history == {"loss": [], "accuracy": []} and playground.losses == []
    fresh = nnkit.MLP([2, 4, 4, 1], hidden="tanh", output="sigmoid", loss="bce", seed=0)
    for key in fresh.params:
        np.testing.assert_array_equal(playground.model.params[key], fresh.params[key])
    playground.dataset = "xor"
    assert len(playground.X) == 4 and len(playground.points) == 4


def test_reset_restarts_the_run():
    playground = ClassificationPlayground(dataset="spirals", hidden="6")
    playground.train_frames(2)
    browser_says(playground, do="reset")
    assert playground.epoch == 0 and playground.history["loss"] == []


def test_training_stops_at_max_epochs():
    playground = ClassificationPlayground(epochs_per_frame=5, max_epochs=10)
    assert playground.train_frames(5) is False
    assert playground.epoch == 10
    assert "max_epochs = 10" in playground.message


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
        browser_says(playground, do="train")
        assert playground.running
        for _ in range(200):                      # the event loop runs frames while we wait
            await asyncio.sleep(0.01)
            if playground.epoch >= 3:
                break
        browser_says(playground, do="pause")
        await asyncio.sleep(0.05)
        stopped_at = playground.epoch
        await asyncio.sleep(0.1)
        return playground, stopped_at

    playground, stopped_at = asyncio.run(scenario())
    assert stopped_at >= 3
    assert playground.epoch == stopped_at and not playground.running


def test_train_without_an_event_loop_says_what_to_do():
    playground = ClassificationPlayground()
    browser_says(playground, do="train")
    assert "train_frames" in playground.message
    assert not playground.running


def test_the_sliders_reach_the_values_the_playground_was_given():
    playground = ClassificationPlayground(noise=0.8, epochs_per_frame=80)
    low, high, _ = playground.options["noise"]
    assert low <= playground.noise <= high
    low, high, _ = playground.options["epochs_per_frame"]
    assert low <= playground.epochs_per_frame <= high
