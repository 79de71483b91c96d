"""The backprop playground: the homework network with a slider for every number in it.

Move a slider and the diagram, the forward values, L and all ten gradients follow; Step takes one
gradient-descent step. The widget is thin: it reads the sliders, calls the same functions a student
calls (nnkit.forward, nnkit.loss, nnkit.backward, nnkit.sgd_step) and draws what they return.
The pictures are matplotlib Figures redrawn in place and shown through ipywidgets.Image widgets
(nnkit.figure_image), so a change never adds a new figure to the notebook and needs no extra
Jupyter extension.
"""
import ipywidgets as widgets

from .. import validate
from ..viz.diagram import update_network
from ..explain import number
from .figure_image import FigureImage
from ..homework import (HOMEWORK_TARGET, HOMEWORK_X, PARAM_NAMES, backward, check_params, forward, homework_params,
                       loss, sgd_step)
from ..viz import draw_network, plot_loss_curve, update_loss_curve

INPUT_NAMES = ("x1", "x2", "t1", "t2")      # inputs x1, x2 and targets Ô1 = t1, Ô2 = t2
SLIDER_RANGES = {"w": (-4.0, 4.0, 0.01), "b": (-4.0, 4.0, 0.01), "x": (-3.0, 3.0, 0.05), "t": (0.0, 1.0, 0.01)}


def nice_ceiling(n):
    """The smallest of 10, 20, 50, 100, 200, 500, ... that is >= n. Loss curves in the
    playgrounds grow their x axis in these steps, so most updates leave the axes as they are
    and only the curve needs drawing."""
    scale = 10
    while True:
        for step in (1, 2, 5):
            if step * scale >= n:
                return step * scale
        scale *= 10


def _slider(name, value):
    low, high, step = SLIDER_RANGES[name[0]]
    label = {"t1": "Ô1", "t2": "Ô2"}.get(name, name)
    return widgets.FloatSlider(value=value, min=min(low, value), max=max(high, value), step=step,
                               description=label, readout_format=".2f", continuous_update=True,
                               layout=widgets.Layout(width="230px"), style={"description_width": "28px"})


class BackpropPlayground:
    """Sliders for w1..w8, b1, b2, x1, x2 and the targets Ô1, Ô2 (keys t1, t2) of the homework.

    .sliders   name -> FloatSlider: the state. Every number shown is computed from them.
    .lr        learning-rate slider;  .n_steps  how many steps "Train ×N" takes
    .readout   HTML widget with the forward values, L and the ten gradients
    .losses    L before the first step and after each step of the latest run of steps
    .diagram, .curve   the two pictures (FigureImage: .figure, .widget);  .ui  the widget tree
    step(), train(n), reset(): what the buttons do.
    """

    def __init__(self, params=None, x=HOMEWORK_X, target=HOMEWORK_TARGET, lr=0.5):
        start = {**check_params(homework_params() if params is None else params),
                 **dict(zip(INPUT_NAMES, validate.vector("x", x, 2) + validate.vector("target", target, 2)))}
        self.sliders = {name: _slider(name, start[name]) for name in PARAM_NAMES + INPUT_NAMES}
        lr = validate.positive_number("lr", lr)
        self.lr = widgets.FloatSlider(value=lr, min=min(0.05, lr), max=max(5.0, lr), step=0.05, description="lr",
                                      readout_format=".2f", layout=widgets.Layout(width="230px"),
                                      style={"description_width": "28px"})
        self.n_steps = widgets.BoundedIntText(value=20, min=1, max=10_000, description="N",
                                              layout=widgets.Layout(width="110px"),
                                              style={"description_width": "16px"})
        self.buttons = {"step": widgets.Button(description="Step", tooltip="one gradient-descent step"),
                        "train": widgets.Button(description="Train ×N", tooltip="N steps"),
                        "reset": widgets.Button(description="Reset", tooltip="back to the homework's values")}
        for key, action in (("step", self.step), ("train", self.train), ("reset", self.reset)):
            self.buttons[key].on_click(lambda _button, action=action: action())
            self.buttons[key].layout.width = "90px"
        self.readout = widgets.HTML()
        self.diagram = FigureImage(figsize=(7.0, 5.0))
        self.curve = FigureImage(figsize=(3.6, 3.0))
        self._holding = False
        self._manual_change = False
        self.losses = [self.current_loss()]
        for slider in self.sliders.values():
            slider.observe(self._slider_moved, names="value")
        self.ui = self._layout()
        self._draw()

    # --- state ---------------------------------------------------------------------------------
    @property
    def params(self):
        """The ten parameters w1..w8, b1, b2 as the sliders hold them (a new dict)."""
        return {name: self.sliders[name].value for name in PARAM_NAMES}

    @property
    def x(self):
        return (self.sliders["x1"].value, self.sliders["x2"].value)

    @property
    def target(self):
        return (self.sliders["t1"].value, self.sliders["t2"].value)

    def current_loss(self):
        return loss(forward(self.params, self.x), self.target)

    def _set(self, values):
        """Set several sliders, then update once (not once per slider)."""
        self._holding = True
        try:
            for name, value in values.items():
                slider = self.sliders[name]
                # Widen the range first, so the slider holds the value exactly instead of clipping it.
                slider.min, slider.max = min(slider.min, value), max(slider.max, value)
                slider.value = value
        finally:
            self._holding = False

    def _slider_moved(self, _change):
        if not self._holding:
            self._manual_change = True      # the next step starts a new loss curve
            self.update()

    # --- the buttons ---------------------------------------------------------------------------
    def step(self):
        """One gradient-descent step: params ← nnkit.sgd_step(params, nnkit.backward(...), lr)."""
        self.train(1)

    def train(self, n=None):
        """`n` gradient-descent steps (default: the N box), then one update of the pictures."""
        if self._manual_change:
            self.losses, self._manual_change = [self.current_loss()], False
        n = validate.positive_int("n (steps)", self.n_steps.value if n is None else n)
        params = self.params
        for _ in range(n):
            params = sgd_step(params, backward(params, self.x, self.target), self.lr.value)
            self.losses.append(loss(forward(params, self.x), self.target))
        self._set(params)
        self.update(curve=True)

    def reset(self):
        """Back to the homework's parameters, inputs and targets; the loss curve starts again."""
        self._set({**homework_params(), **dict(zip(INPUT_NAMES, HOMEWORK_X + HOMEWORK_TARGET))})
        self.losses, self._manual_change = [self.current_loss()], False
        self.update(curve=True)

    # --- pictures and numbers ------------------------------------------------------------------
    def _draw(self):
        """Lay the diagram out once; later updates only restyle its arrows and texts."""
        ax = self.diagram.figure.add_axes((0.0, 0.06, 1.0, 0.86))
        draw_network(self.params, ax=ax, x=self.x, target=self.target,
                     title="Move a slider: values flow forward, gradients ∂L/∂w flow back")
        self._diagram_ax = ax
        self._curve_ax = self.curve.figure.add_axes((0.2, 0.16, 0.75, 0.72))
        plot_loss_curve(self.losses, ax=self._curve_ax, xlabel="SGD steps taken", first=0)
        self._curve_ax.get_legend().remove()    # one curve, named by its axis label
        self.update(curve=True, layout=True)

    def update(self, curve=False, layout=False):
        """Recompute everything from the sliders and redraw the pictures in place."""
        params, x, target = self.params, self.x, self.target
        values, grads = forward(params, x), backward(params, x, target)
        self.readout.value = _readout_html(values, loss(values, target), grads)
        moving = update_network(self._diagram_ax, params, values, grads, x=x, target=target)
        (self.diagram.redraw if layout else self.diagram.blit)(moving)
        if curve:
            ax = self._curve_ax
            axes_before = (ax.get_xlim(), ax.get_ylim(), ax.get_yscale())
            update_loss_curve(ax, self.losses, title="L after each step", first=0,
                              xmax=nice_ceiling(len(self.losses) - 1))
            same_axes = (ax.get_xlim(), ax.get_ylim(), ax.get_yscale()) == axes_before
            (self.curve.blit if same_axes and not layout else self.curve.redraw)(ax.get_lines())

    def _layout(self):
        # Columns keep their width and wrap onto a new row in a narrow notebook, rather than
        # squeezing the sliders until their numbers are cut off.
        column_layout = widgets.Layout(flex="0 0 auto", margin="0 16px 8px 0")

        def column(title, children):
            return widgets.VBox([widgets.HTML(f"<b>{title}</b>"), *children], layout=column_layout)
        controls = widgets.HBox([
            column("hidden layer", [self.sliders[n] for n in ("w1", "w2", "w3", "w4", "b1")]),
            column("output layer", [self.sliders[n] for n in ("w5", "w6", "w7", "w8", "b2")]),
            column("inputs and targets", [self.sliders[n] for n in INPUT_NAMES]),
            column("gradient descent", [self.lr, widgets.HBox([self.buttons["step"], self.buttons["reset"]]),
                                        widgets.HBox([self.buttons["train"], self.n_steps])]),
        ], layout=widgets.Layout(flex_flow="row wrap"))
        pictures = widgets.HBox([self.diagram.widget, self.curve.widget],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        return widgets.VBox([controls, pictures, self.readout])

    def _ipython_display_(self):
        from IPython.display import display
        display(self.ui)


FORWARD_ROWS = (("h1_in", "h<sub>1i</sub>"), ("h1_out", "h<sub>1o</sub>"), ("h2_in", "h<sub>2i</sub>"),
                ("h2_out", "h<sub>2o</sub>"), ("o1_in", "O<sub>1i</sub>"), ("o1_out", "O<sub>1</sub>"),
                ("o2_in", "O<sub>2i</sub>"), ("o2_out", "O<sub>2</sub>"))


def readout_row(label, value):
    """One table row of the readout: the symbol and the value as nnkit.explain writes numbers."""
    return f"<tr><td>{label}</td><td style='text-align:right'>{number(value)}</td></tr>"


def _readout_html(values, L, grads):
    forward_rows = "".join(readout_row(f"{label} ({field})", getattr(values, field))
                           for field, label in FORWARD_ROWS)
    grad_rows = "".join(readout_row(f"∂L/∂{name[0]}<sub>{name[1:]}</sub>", grads[name]) for name in PARAM_NAMES)
    table = "<table style='display:inline-block; vertical-align:top; margin-right:2em'>{}</table>"
    return (table.format("<tr><th colspan=2>forward pass</th></tr>" + forward_rows)
            + table.format("<tr><th colspan=2>loss</th></tr>" + readout_row("L", L))
            + table.format("<tr><th colspan=2>gradients</th></tr>" + grad_rows))
