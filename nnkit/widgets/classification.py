"""A classification playground in the spirit of TensorFlow Playground: pick 2-D data and a network,
press Train and watch the decision boundary and the loss move.

Training runs as an asyncio task on the kernel's event loop: a few epochs of `nnkit.fit` per
frame, then `await asyncio.sleep(...)` so that the notebook (and the Pause button) stay
responsive. `train_frames(n)` does the same frames synchronously, for tests and benchmarks.
"""
import asyncio
import html

import ipywidgets as widgets

from .. import validate
from ..datasets import DATASETS
from ..mlp import MLP
from .backprop import FigureImage, nice_ceiling
from ..train import fit
from ..viz import plot_decision_boundary, plot_loss_curve, update_decision_boundary, update_loss_curve

ACTIVATIONS = ("tanh", "relu", "sigmoid")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)     # as in TensorFlow Playground
MAX_UNITS, MAX_HIDDEN_LAYERS = 32, 6          # beyond this a frame gets slow and the picture busy


def parse_hidden_sizes(text):
    """'4, 4' -> [4, 4]; '' -> [] (no hidden layer: a linear boundary). Raises ValueError with a
    message a student can act on."""
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    sizes = []
    for part in parts:
        if not part.lstrip("-").isdigit():
            raise ValueError(f"hidden layer sizes must be whole numbers separated by commas, "
                             f"e.g. '4, 4'; {part!r} is not one")
        size = int(part)
        if not 1 <= size <= MAX_UNITS:
            raise ValueError(f"each hidden layer needs 1 to {MAX_UNITS} units, got {size}")
        sizes.append(size)
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(sizes)}")
    return sizes


class ClassificationPlayground:
    """Train an MLP with one sigmoid output (loss "bce") on xor, moons, circles or spirals.

    Settings: .dataset, .noise, .hidden (text "4, 4"), .activation, .lr, .epochs_per_frame.
    Buttons: Train (start(): an asyncio task), Pause (pause()), Reset (reset()).
    .model, .history ({"loss": [...], "accuracy": [...]}) and .epoch hold the run; .message shows
    what is wrong with the settings; .status the latest loss and accuracy; .ui is the widget tree.
    """

    def __init__(self, dataset="moons", noise=0.2, hidden="4, 4", activation="tanh", lr=0.3,
                 epochs_per_frame=5, batch_size=16, n_samples=200, max_epochs=5000):
        validate.choice("dataset", dataset, list(DATASETS))
        validate.choice("activation", activation, ACTIVATIONS)
        noise, lr = validate.finite_number("noise", noise), validate.positive_number("lr", lr)
        if noise < 0:
            raise ValueError(f"noise must be >= 0, got {noise}")
        style, wide = {"description_width": "110px"}, widgets.Layout(width="320px")
        self.dataset = widgets.Dropdown(options=list(DATASETS), value=dataset, description="data set",
                                        style=style, layout=wide)
        self.noise = widgets.FloatSlider(value=noise, min=0.0, max=max(0.5, noise), step=0.01, description="noise",
                                         continuous_update=False, style=style, layout=wide)
        self.hidden = widgets.Text(value=hidden, description="hidden layers", placeholder="e.g. 4, 4",
                                   continuous_update=False, style=style, layout=wide)
        self.activation = widgets.Dropdown(options=ACTIVATIONS, value=activation, description="activation",
                                           style=style, layout=wide)
        self.lr = widgets.Dropdown(options=sorted({*LEARNING_RATES, lr}), value=lr, description="learning rate",
                                   style=style, layout=wide)
        self.epochs_per_frame = widgets.IntSlider(value=epochs_per_frame, min=1, max=50,
                                                  description="epochs / frame", style=style, layout=wide)
        self.buttons = {"train": widgets.Button(description="Train", icon="play"),
                        "pause": widgets.Button(description="Pause", icon="pause"),
                        "reset": widgets.Button(description="Reset", icon="refresh")}
        for key, action in (("train", self.start), ("pause", self.pause), ("reset", self.reset)):
            self.buttons[key].on_click(lambda _button, action=action: action())
            self.buttons[key].layout.width = "100px"
        self.message = widgets.HTML()
        self.status = widgets.HTML()
        self.picture = FigureImage(figsize=(9.6, 4.0))
        figure = self.picture.figure
        self._boundary_ax = figure.add_axes((0.08, 0.13, 0.36, 0.77))
        self._colorbar_ax = figure.add_axes((0.455, 0.13, 0.012, 0.77))
        self._loss_ax = figure.add_axes((0.6, 0.13, 0.37, 0.77))
        self.batch_size, self.n_samples, self.max_epochs = batch_size, n_samples, max_epochs
        self.model = self.X = self.Y = self._task = None
        self.history, self.epoch = {"loss": [], "accuracy": []}, 0
        for control in (self.dataset, self.noise, self.hidden, self.activation):
            control.observe(lambda _change: self.reset(), names="value")
        column = widgets.Layout(flex="0 0 auto", margin="0 16px 8px 0")
        self.ui = widgets.VBox([
            widgets.HBox([widgets.VBox([self.dataset, self.noise, self.hidden, self.activation], layout=column),
                          widgets.VBox([self.lr, self.epochs_per_frame, widgets.HBox(list(self.buttons.values())),
                                        self.status, self.message], layout=column)],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.picture.widget])
        self.reset()

    @property
    def running(self):
        return self._task is not None and not self._task.done()

    # --- settings ------------------------------------------------------------------------------
    def reset(self):
        """New data and a freshly initialised network from the settings (the run starts again)."""
        self.pause()
        self.noise.disabled = self.dataset.value == "xor"         # the four xor corners have no noise
        try:
            sizes = [2, *parse_hidden_sizes(self.hidden.value), 1]
            model = MLP(sizes, hidden=self.activation.value, output="sigmoid", loss="bce", seed=0)
            make = DATASETS[self.dataset.value]
            X, Y = make() if self.dataset.value == "xor" else make(n_samples=self.n_samples, noise=self.noise.value)
        except (ValueError, TypeError) as error:
            self.model = None
            self._say(f"⚠ {error}", error=True)
            return
        self.model, self.X, self.Y = model, X, Y
        self.history, self.epoch = {"loss": [], "accuracy": []}, 0
        self._say("")
        self._draw()

    def _say(self, text, error=False):
        colour = "#b00020" if error else "inherit"
        self.message.value = f"<span style='color:{colour}'>{html.escape(text)}</span>" if text else ""

    # --- training ------------------------------------------------------------------------------
    def train_frames(self, n=1):
        """Train for `n` frames of `epochs_per_frame` epochs each, redrawing after every frame.
        Returns False when training cannot go on (bad settings, diverged, max_epochs reached)."""
        for _ in range(n):
            if self.model is None:
                return False
            if self.epoch >= self.max_epochs:
                self._say(f"Stopped after max_epochs = {self.max_epochs} epochs; Reset starts again.")
                return False
            try:
                run = fit(self.model, self.X, self.Y, lr=self.lr.value, epochs=self.epochs_per_frame.value,
                          batch_size=self.batch_size, seed=self.epoch, progress=False)
            except FloatingPointError as error:
                self._say(f"⚠ {error}", error=True)
                self.model = None
                return False
            for key in self.history:
                self.history[key] += run[key]
            self.epoch += len(run["loss"])
            self.update()
        return True

    def start(self):
        """Train in the background (the Train button): frames until Pause, Reset or max_epochs."""
        if self.running or self.model is None:
            return
        try:
            self._task = asyncio.get_running_loop().create_task(self._train_forever())
        except RuntimeError:               # plain Python, no event loop: nothing can run in the background
            self._say("Train needs a running event loop (Jupyter); call train_frames(n) instead.", error=True)

    async def _train_forever(self):
        while self.train_frames(1):
            await asyncio.sleep(0.01)      # let the kernel handle widget messages (Pause) between frames

    def pause(self):
        """Stop the background training after the current frame (the Pause button)."""
        if self.running:
            self._task.cancel()

    # --- pictures ------------------------------------------------------------------------------
    def _draw(self):
        """Draw the data and the untrained network's prediction; frames then update them."""
        for ax in (self._boundary_ax, self._colorbar_ax, self._loss_ax):
            ax.clear()
        plot_decision_boundary(self.model, self.X, self.Y, ax=self._boundary_ax, cax=self._colorbar_ax,
                               resolution=60)
        self._loss_ax.set(title="Training loss", xlabel="epoch", ylabel="loss L")
        self._loss_ax.text(0.5, 0.5, "press Train", ha="center", va="center", transform=self._loss_ax.transAxes)
        self.status.value = f"epoch 0 · {len(self.X)} samples · network {self.model.sizes}"
        self.picture.redraw(self._moving())

    def update(self):
        """Redraw the prediction and the loss curve in place after a frame of training."""
        update_decision_boundary(self._boundary_ax, self.model, self.X, self.Y)
        ax = self._loss_ax
        axes_before = (ax.get_xlim(), ax.get_ylim(), ax.get_yscale())
        if not ax.get_lines():                  # the first frame replaces "press Train"
            ax.clear()
            plot_loss_curve(self.history["loss"], ax=ax)
            ax.get_legend().remove()            # one curve, named by the axis label; and the
                                                # curve, drawn alone each frame, would cover it
        update_loss_curve(ax, self.history["loss"], xmax=nice_ceiling(self.epoch))
        # The accuracy now, as in the picture's title (history["accuracy"] is measured during the epoch).
        self.status.value = (f"epoch {self.epoch} · loss {self.history['loss'][-1]:.4f} · "
                             f"accuracy {100 * self.model.accuracy(self.X, self.Y):.1f} %")
        if (ax.get_xlim(), ax.get_ylim(), ax.get_yscale()) == axes_before:
            self.picture.blit(self._moving(loss_axes=False))
        else:
            self.picture.redraw(self._moving(loss_axes=False))

    def _moving(self, loss_axes=True):
        """What a frame changes: the prediction (and the samples, legend and frame drawn over it),
        the title, and the loss plot (the whole Axes, or just its curve when its axes stay put).
        The boundary's frame and ticks and the colour bar stay as drawn."""
        ax = self._boundary_ax
        loss = [self._loss_ax] if loss_axes else self._loss_ax.get_lines()
        return [*ax.images, *ax.collections, *ax.spines.values(), ax.title, ax.get_legend(), *loss]

    def _ipython_display_(self):
        from IPython.display import display
        display(self.ui)
