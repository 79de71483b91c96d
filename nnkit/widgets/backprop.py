"""The backprop playground: the homework network with a slider for every number in it.

The state is the model, held here as synced traits of exact floats: `params` (w1..w8, b1, b2),
`x`, `target`, `lr`, and `losses` (L at the start and after each step since then). The browser
(backprop.js, through anywidget) only draws it: sliders, readouts, the network diagram and the
loss curve as SVG, and the step-through of the chain rule. What a person does there arrives as a
message — move one slider, Step, Train ×N, Reset — and is done here with the functions a student
calls (nnkit.forward, loss, backward, sgd_step); the browser then draws the new state. The browser
never writes the state itself, so an update made here is never taken for a person's move.
"""
import pathlib

import anywidget
import traitlets

from .. import validate
from ..homework import (HOMEWORK_TARGET, HOMEWORK_X, PARAM_NAMES, backward, check_params, forward, homework_params,
                        loss, sgd_step)
from ..notation import number
from ..viz.diagram import draw_network, homework_geometry
from .chain import chain_steps
from .static import static_png, with_picture

HERE = pathlib.Path(__file__).parent
INPUT_NAMES = ("x1", "x2", "t1", "t2")      # inputs x1, x2 and targets Ô1 = t1, Ô2 = t2
SLIDER_RANGES = {"w": (-4.0, 4.0, 0.01), "b": (-4.0, 4.0, 0.01), "x": (-3.0, 3.0, 0.05), "t": (0.0, 1.0, 0.01)}
FORWARD_NAMES = ("h1_in", "h1_out", "h2_in", "h2_out", "o1_in", "o1_out", "o2_in", "o2_out")


class BackpropPlayground(anywidget.AnyWidget):
    """Sliders for w1..w8, b1, b2, x1, x2 and the targets Ô1, Ô2 (names t1, t2) of the homework.

    The model (synced traits, written only here):
      params   {w1: float, ...}: the ten parameters, exact
      x, target   (x1, x2) and (Ô1, Ô2);   lr   the learning rate;   n_steps   N of "Train ×N"
      losses   L at the start and after each step since (k steps: k + 1 values); a person's
               slider move starts it again
    What the browser shows, computed here from the model by nnkit (so never stale):
      shown    {"numbers": {name: float}, "texts": {name: text}, "short": {name: 4 digits}} for
               the forward values, L, the gradients dL_dw1 ... dL_db2, the parameters and inputs
      chain    the step-through of ∂L/∂`chain_wrt` (nnkit.widgets.chain)
      ranges   each slider's [min, max, step], widened to hold its value;  message  an error
    Actions: move(name, value), step(), train(n), reset(), set_lr(lr), explain(name) — what the
    browser's controls send.
    """
    _esm = HERE / "backprop.js"
    _css = HERE / "playground.css"

    params = traitlets.Dict().tag(sync=True)
    x = traitlets.Tuple(traitlets.Float(), traitlets.Float()).tag(sync=True)
    target = traitlets.Tuple(traitlets.Float(), traitlets.Float()).tag(sync=True)
    lr = traitlets.Float().tag(sync=True)
    n_steps = traitlets.Int(20).tag(sync=True)
    losses = traitlets.List().tag(sync=True)
    shown = traitlets.Dict().tag(sync=True)
    chain_wrt = traitlets.Unicode("w3").tag(sync=True)
    chain = traitlets.List().tag(sync=True)
    ranges = traitlets.Dict().tag(sync=True)
    geometry = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)

    def __init__(self, params=None, x=HOMEWORK_X, target=HOMEWORK_TARGET, lr=0.5):
        params = dict(check_params(homework_params() if params is None else params))
        x, target = tuple(validate.vector("x", x, 2)), tuple(validate.vector("target", target, 2))
        ranges = {name: list(SLIDER_RANGES[name[0]]) for name in PARAM_NAMES + INPUT_NAMES}
        # The whole state goes to the browser with the widget itself: it is drawn complete at once.
        super().__init__(geometry=homework_geometry(), lr=validate.positive_number("lr", lr),
                         **self._state(params, x, target, None, ranges, self.chain_wrt))
        self._setting = False
        self.on_msg(self._on_browser_message)

    # --- the model -----------------------------------------------------------------------------
    def _set(self, params, x=None, target=None, losses=None):
        """Put a new state in place with what it shows, as one message to the browser."""
        x, target = (self.x, self.target) if x is None else (x, target)
        state = self._state(params, x, target, losses, self.ranges, self.chain_wrt)
        with self.hold_sync():
            self._setting = True
            try:
                for name, value in state.items():
                    setattr(self, name, value)
            finally:
                self._setting = False

    @staticmethod
    def _state(params, x, target, losses, ranges, chain_wrt):
        """The traits for the model (params, x, target, losses) and what it shows, all computed by
        nnkit: the forward values, L, the gradients, the step-through and the slider ranges."""
        values, grads = forward(params, x), backward(params, x, target)
        inputs = dict(zip(INPUT_NAMES, x + target))
        numbers = {**{name: getattr(values, name) for name in FORWARD_NAMES}, "L": loss(values, target),
                   **{f"dL_d{name}": grads[name] for name in PARAM_NAMES}, **params, **inputs}
        # A slider's range grows to hold its value, so that it shows the value instead of clipping it.
        ranges = {name: [min(low, numbers[name]), max(high, numbers[name]), step]
                  for name, (low, high, step) in ranges.items()}
        return {"params": params, "x": x, "target": target, "ranges": ranges,
                "losses": [numbers["L"]] if losses is None else losses,
                "shown": {"numbers": numbers, "texts": {name: number(value) for name, value in numbers.items()},
                          "short": {name: number(value, significant=4) for name, value in numbers.items()}},
                "chain": chain_steps(params, x, target, chain_wrt)}

    @traitlets.validate("params")
    def _check_params(self, proposal):
        return dict(check_params(proposal["value"]))

    @traitlets.validate("x", "target")
    def _check_pair(self, proposal):
        return tuple(validate.vector(proposal["trait"].name, proposal["value"], 2))

    @traitlets.observe("params", "x", "target")
    def _assigned(self, _change):
        """Code that assigns params, x or target directly: the views follow, the curve starts again."""
        if not getattr(self, "_setting", True):
            self._set(self.params)

    # --- what a person does --------------------------------------------------------------------
    def move(self, name, value):
        """A person moved the slider `name` (w1..w8, b1, b2, x1, x2, t1, t2) to `value`: that one
        value changes, and the loss curve starts again from here."""
        validate.choice("slider", name, PARAM_NAMES + INPUT_NAMES)
        value = validate.finite_number(name, value)
        if name in INPUT_NAMES:
            inputs = dict(zip(INPUT_NAMES, self.x + self.target), **{name: value})
            self._set(self.params, (inputs["x1"], inputs["x2"]), (inputs["t1"], inputs["t2"]))
        else:
            self._set({**self.params, name: value})

    def step(self):
        """One gradient-descent step: params ← nnkit.sgd_step(params, nnkit.backward(...), lr)."""
        self.train(1)

    def train(self, n=None):
        """`n` gradient-descent steps (default: n_steps), the loss recorded after each."""
        n = validate.positive_int("n (steps)", self.n_steps if n is None else n)
        params, losses = self.params, list(self.losses)
        for _ in range(n):
            params = sgd_step(params, backward(params, self.x, self.target), self.lr)
            losses.append(loss(forward(params, self.x), self.target))
        self._set(params, losses=losses)

    def reset(self):
        """Back to the homework's parameters, inputs and targets; the loss curve starts again."""
        self._set(homework_params(), tuple(map(float, HOMEWORK_X)), tuple(map(float, HOMEWORK_TARGET)))

    def set_lr(self, lr):
        self.lr = validate.positive_number("lr", lr)

    def explain(self, name):
        """Show the step-through of ∂L/∂`name` (w1..w8, b1, b2)."""
        validate.choice("parameter", name, PARAM_NAMES)
        with self.hold_sync():
            self.chain_wrt = name
            self.chain = chain_steps(self.params, self.x, self.target, name)

    ACTIONS = {"move": lambda self, m: self.move(m["name"], m["value"]),
               "step": lambda self, m: self.step(),
               "train": lambda self, m: self.train(validate.positive_int("n (steps)", m["n"])),
               "reset": lambda self, m: self.reset(),
               "lr": lambda self, m: self.set_lr(m["value"]),
               "explain": lambda self, m: self.explain(m["name"])}

    def _on_browser_message(self, _widget, message, _buffers):
        """{"do": action, ...} from backprop.js. A bad value is shown as a message, not raised:
        in the browser nobody would see the traceback."""
        try:
            if not isinstance(message, dict) or message.get("do") not in self.ACTIONS:
                raise ValueError(f"unknown action {message!r}; expected one of {sorted(self.ACTIONS)}")
            self.ACTIONS[message["do"]](self, message)
            self.message = ""
        except (KeyError, TypeError, ValueError) as error:
            self.message = f"⚠ {error}"

    # --- without a running kernel --------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        params, x, target = self.params, self.x, self.target
        png = static_png(lambda ax: draw_network(params, forward(params, x), backward(params, x, target), ax=ax,
                                                 x=x, target=target), figsize=(7.0, 5.0))
        return with_picture(super()._repr_mimebundle_(**kwargs), png)

    def __repr__(self):
        """What a notebook shows where the widget cannot be drawn (e.g. as plain text)."""
        t = self.shown["texts"]
        return (f"BackpropPlayground: L = {t['L']}, ∂L/∂w7 = {t['dL_dw7']}, ∂L/∂w3 = {t['dL_dw3']} after "
                f"{len(self.losses) - 1} steps (run the cell in Jupyter for the sliders and the diagram)")

