"""A classification playground in the spirit of TensorFlow Playground: pick 2-D data and a network,
press Train and watch the decision boundary and the loss move.

The kernel does the math — `nnkit.fit` for a few epochs per frame, then the network's prediction
on a grid over the plane (`nnkit.viz.prediction_grid`, MLP.forward) — and sends the numbers; the
browser (classification.js) paints the grid on a canvas and the loss curve as SVG. Training runs
as an asyncio task on the kernel's event loop, `await asyncio.sleep(...)` between frames, so the
notebook and the Pause button stay responsive. `train_frames(n)` does the same frames at once,
for tests and benchmarks.
"""
import asyncio
import pathlib

import anywidget
import numpy as np
import traitlets

from .. import validate
from ..datasets import DATASETS
from ..mlp import MLP
from ..notation import number
from ..train import fit
from ..viz import plot_decision_boundary, prediction_grid
from .static import static_png, with_picture

HERE = pathlib.Path(__file__).parent
ACTIVATIONS = ("tanh", "relu", "sigmoid")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)     # as in TensorFlow Playground
MAX_UNITS, MAX_HIDDEN_LAYERS = 32, 6          # beyond this a frame gets slow and the picture busy
RESOLUTION = 60                               # the prediction grid is RESOLUTION × RESOLUTION
SETTINGS = ("dataset", "noise", "hidden", "activation", "lr", "epochs_per_frame")


def parse_hidden_sizes(text):
    """'4, 4' -> [4, 4]; '' -> [] (no hidden layer: a linear boundary). Raises ValueError with a
    message a student can act on."""
    if not isinstance(text, str):
        raise ValueError(f"hidden layer sizes must be text such as '4, 4', got {text!r}")
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


class ClassificationPlayground(anywidget.AnyWidget):
    """Train an MLP with one sigmoid output (loss "bce") on xor, moons, circles or spirals.

    Settings (traits; changing dataset, noise, hidden or activation starts again): dataset, noise,
    hidden (text "4, 4"), activation, lr, epochs_per_frame. Actions: start() (Train: an asyncio
    task), pause(), reset(), train_frames(n). The run: .model, .X, .Y, .history ({"loss": [...],
    "accuracy": [...]}), .epoch. Sent to the browser: points [[x1, x2, class]], extent, grid
    (float32 bytes of P(class 1), RESOLUTION² values, row by row from the bottom), losses,
    accuracy, running, status, and message (what is wrong with the settings).
    """
    _esm = HERE / "classification.js"
    _css = HERE / "playground.css"

    dataset = traitlets.Unicode("moons").tag(sync=True)
    noise = traitlets.Float(0.2).tag(sync=True)
    hidden = traitlets.Unicode("4, 4").tag(sync=True)
    activation = traitlets.Unicode("tanh").tag(sync=True)
    lr = traitlets.Float(0.3).tag(sync=True)
    epochs_per_frame = traitlets.Int(5).tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    points = traitlets.List().tag(sync=True)
    extent = traitlets.List().tag(sync=True)
    resolution = traitlets.Int(RESOLUTION).tag(sync=True)
    grid = traitlets.Bytes(b"").tag(sync=True)
    losses = traitlets.List().tag(sync=True)
    accuracy = traitlets.Float(0.0).tag(sync=True)
    epoch = traitlets.Int(0).tag(sync=True)
    running = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)

    def __init__(self, dataset="moons", noise=0.2, hidden="4, 4", activation="tanh", lr=0.3,
                 epochs_per_frame=5, batch_size=16, n_samples=200, max_epochs=5000):
        validate.choice("dataset", dataset, list(DATASETS))
        validate.choice("activation", activation, ACTIVATIONS)
        noise, lr = validate.finite_number("noise", noise), validate.positive_number("lr", lr)
        if noise < 0:
            raise ValueError(f"noise must be >= 0, got {noise}")
        self.batch_size, self.n_samples, self.max_epochs = batch_size, n_samples, max_epochs
        self.model = self.X = self.Y = self._task = None
        self.history = {"loss": [], "accuracy": []}
        super().__init__(dataset=dataset, noise=noise, hidden=hidden, activation=activation, lr=lr,
                         epochs_per_frame=validate.positive_int("epochs_per_frame", epochs_per_frame),
                         options={"dataset": list(DATASETS), "activation": list(ACTIVATIONS),
                                  "lr": sorted({*LEARNING_RATES, lr}),
                                  # slider ranges [min, max, step], wide enough to show the value given
                                  "noise": [0, max(0.5, noise), 0.01],
                                  "epochs_per_frame": [1, max(50, epochs_per_frame), 1]})
        self.observe(lambda _change: self.reset(), names=["dataset", "noise", "hidden", "activation"])
        self.on_msg(self._on_browser_message)
        self.reset()

    # --- settings ------------------------------------------------------------------------------
    def reset(self):
        """New data and a freshly initialised network from the settings (the run starts again)."""
        self.pause()
        with self.hold_sync():
            self.history, self.epoch, self.losses, self.accuracy = {"loss": [], "accuracy": []}, 0, [], 0.0
            try:
                validate.choice("dataset", self.dataset, list(DATASETS))
                validate.choice("activation", self.activation, ACTIVATIONS)
                sizes = [2, *parse_hidden_sizes(self.hidden), 1]
                model = MLP(sizes, hidden=self.activation, output="sigmoid", loss="bce", seed=0)
                make = DATASETS[self.dataset]
                X, Y = make() if self.dataset == "xor" else make(n_samples=self.n_samples, noise=self.noise)
            except (ValueError, TypeError) as error:
                self.model = None
                self.status, self.grid = "", b""      # the picture of the last run is gone with it
                self._say(f"⚠ {error}")
                return
            self.model, self.X, self.Y = model, X, Y
            self.points = [[float(a), float(b), int(c)] for (a, b), c in zip(X, Y[:, 0])]
            self._say("")
            self._send_frame()

    def _say(self, text):
        self.message = text

    def set(self, name, value):
        """A person changed the setting `name` (one of SETTINGS) to `value`."""
        validate.choice("setting", name, SETTINGS)
        if name == "lr":
            value = validate.positive_number("lr", value)
        elif name == "noise":
            value = validate.finite_number("noise", value)
            if value < 0:
                raise ValueError(f"noise must be >= 0, got {value}")
        elif name == "epochs_per_frame":
            value = validate.positive_int("epochs per frame", value)
        elif not isinstance(value, str):
            raise ValueError(f"{name} must be text, got {value!r}")
        setattr(self, name, value)

    # --- training ------------------------------------------------------------------------------
    def train_frames(self, n=1):
        """Train for `n` frames of `epochs_per_frame` epochs each, sending a picture after every
        frame. Returns False when training cannot go on (bad settings, diverged, max_epochs reached)."""
        for _ in range(n):
            if self.model is None:
                return False
            if self.epoch >= self.max_epochs:
                self._say(f"Stopped after max_epochs = {self.max_epochs} epochs; Reset starts again.")
                return False
            try:
                run = fit(self.model, self.X, self.Y, lr=self.lr, epochs=self.epochs_per_frame,
                          batch_size=self.batch_size, seed=self.epoch, progress=False)
            except FloatingPointError as error:
                self._say(f"⚠ {error}")
                self.model = None
                return False
            for key in self.history:
                self.history[key] += run[key]
            with self.hold_sync():
                self.epoch += len(run["loss"])
                self._send_frame()
        return True

    def _send_frame(self):
        """The prediction grid, the loss curve and the status, as numbers for the browser."""
        extent, P = prediction_grid(self.model, self.X, RESOLUTION)
        self.extent, self.grid = list(extent), P.astype(np.float32).tobytes()
        self.losses = list(self.history["loss"])
        # The accuracy now (history["accuracy"] is measured during each epoch).
        self.accuracy = self.model.accuracy(self.X, self.Y)
        self.status = (f"epoch {self.epoch} · {len(self.X)} samples · network {self.model.sizes}" if not self.epoch
                       else f"epoch {self.epoch} · loss {number(self.history['loss'][-1], significant=4)} · "
                            f"accuracy {100 * self.accuracy:.1f} %")

    def start(self):
        """Train in the background (the Train button): frames until Pause, Reset or max_epochs."""
        if self.running or self.model is None:
            return
        try:
            self._task = asyncio.get_running_loop().create_task(self._train_forever())
        except RuntimeError:               # plain Python, no event loop: nothing can run in the background
            self._say("Train needs a running event loop (Jupyter); call train_frames(n) instead.")
            return
        self.running = True

    async def _train_forever(self):
        try:
            while self.train_frames(1):
                await asyncio.sleep(0.01)  # let the kernel handle messages (Pause) between frames
        finally:
            self.running = False

    def pause(self):
        """Stop the background training after the current frame (the Pause button)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self.running = False

    ACTIONS = {"train": lambda self, m: self.start(), "pause": lambda self, m: self.pause(),
               "reset": lambda self, m: self.reset(), "set": lambda self, m: self.set(m["name"], m["value"])}

    def _on_browser_message(self, _widget, message, _buffers):
        """{"do": action, ...} from classification.js; a bad value becomes a message."""
        try:
            if not isinstance(message, dict) or message.get("do") not in self.ACTIONS:
                raise ValueError(f"unknown action {message!r}; expected one of {sorted(self.ACTIONS)}")
            self.ACTIONS[message["do"]](self, message)
        except (KeyError, TypeError, ValueError) as error:
            self._say(f"⚠ {error}")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if self.model is None:
            return bundle
        model, X, Y = self.model, self.X, self.Y
        picture = static_png(lambda ax: plot_decision_boundary(model, X, Y, ax=ax, resolution=RESOLUTION),
                             figsize=(5.6, 4.4))
        return with_picture(bundle, picture)

    def __repr__(self):
        """What a notebook shows where the widget cannot be drawn (e.g. as plain text)."""
        return (f"ClassificationPlayground: {self.dataset}, hidden layers {self.hidden!r}, {self.activation}, "
                f"lr {self.lr} (run the cell in Jupyter to train and watch the decision boundary)")
