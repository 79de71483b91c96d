"""FigureImage: a matplotlib Figure shown as an ipywidgets.Image and redrawn in place, fast.

The playgrounds redraw on every slider move, so this module is about speed: blitting (only the
artists that move are drawn again), and text drawn a line at a time (LineAtOnceRenderer), which
is most of the saving. `python -m benchmarks.playground` measures it.
"""
import io

import ipywidgets as widgets
import matplotlib
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure

# Unhinted text draws about a third faster (measured: most of an update is drawing text), and
# looks the same at this size.
FAST_TEXT = {"text.hinting": "no_hinting"}


class LineAtOnceRenderer(RendererAgg):
    """Agg, but each line of plain text is rasterised by FreeType in one call, and kept.

    matplotlib 3.11 places every glyph on its own from Python (for sub-pixel placement), about
    80 µs a glyph; the diagram's labels hold ~400 glyphs, so that was most of a slider update.
    Lines are drawn here as matplotlib 3.10 drew them (FT2Font.draw_glyphs_to_bitmap, the line
    snapped to whole pixels): it halves an update, and the picture looks the same. A line is
    laid out once for its size and its bitmap together, and kept, because a slider changes about
    half of them ("w5 = 0.6" stays while its ∂L/∂w5 line changes). Only the playgrounds draw
    this way; static figures in the notebooks keep matplotlib's own text.
    """
    MAX_KEPT_LINES = 500            # a few frames' worth; then start again (bounded memory)

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._lines = {}            # (text, font, hinting) -> (bitmap, x offset, y offset, w, h, d)

    # The fast path uses matplotlib internals (checked with the pinned 3.11). If another version
    # lacks them, draw the way matplotlib does: slower, never broken.
    fast = True

    def get_text_width_height_descent(self, s, prop, ismath):
        if not ismath and self.fast:
            try:
                return self._line(s, prop)[3:]
            except (AttributeError, TypeError):
                LineAtOnceRenderer.fast = False
        return super().get_text_width_height_descent(s, prop, ismath)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle != 0 or not gc.get_antialiased() or not self.fast:   # matplotlib's way
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        bitmap, x_offset, y_offset = self._line(s, prop)[:3]
        self._renderer.draw_text_image(bitmap, round(x + x_offset), round(y + y_offset) + 1, angle, gc)

    def _line(self, s, prop):
        """A line of text as (grey-level bitmap, where the bitmap's lower-left corner goes
        relative to the start of the baseline, then width, height and descent), in pixels."""
        key = (s, prop, get_hinting_flag())
        if key not in self._lines:
            if len(self._lines) >= self.MAX_KEPT_LINES:
                self._lines.clear()
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=key[2])
            font.draw_glyphs_to_bitmap(antialiased=True)
            (x_offset, y_offset), (width, height) = font.get_bitmap_offset(), font.get_width_height()
            descent = font.get_descent()
            sizes = (x_offset, y_offset + descent, width, height, descent)   # FreeType's 1/64 pixel
            self._lines[(s, prop.copy(), key[2])] = (np.array(font.get_image()), *(v / 64 for v in sizes))
        return self._lines[key]


class LineAtOnceCanvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with a LineAtOnceRenderer (one per figure size and dpi)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        renderer = getattr(self, "renderer", None)
        if not (isinstance(renderer, LineAtOnceRenderer)
                and (renderer.width, renderer.height, renderer.dpi) == (w, h, self.figure.dpi)):
            self.renderer = LineAtOnceRenderer(w, h, self.figure.dpi)
        return self.renderer


class FigureImage:
    """A matplotlib Figure shown as an ipywidgets.Image, redrawn in place.

    `redraw(moving)` draws the whole figure, keeping a copy of everything except the `moving`
    artists; `blit(moving)` then paints only those over that copy (matplotlib's blitting), which
    is what keeps a slider fast. The picture goes to the widget as a PNG.
    """

    def __init__(self, figsize, dpi=72):
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = LineAtOnceCanvas(self.figure)   # draw with Agg, whatever backend pyplot uses
        self.widget = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self._background = None
        self._moving = []

    def redraw(self, moving=()):
        for artist in self._moving:
            artist.set_animated(False)                 # what moved last time may be still now
        self._moving = list(moving)
        for artist in self._moving:
            artist.set_animated(True)                  # left out of canvas.draw(), drawn by blit
        with matplotlib.rc_context(FAST_TEXT):
            self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.blit(moving)

    def blit(self, moving):
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        with matplotlib.rc_context(FAST_TEXT):
            for artist in sorted(moving, key=lambda a: a.get_zorder()):
                artist.draw(renderer)
        # The figure is opaque, so alpha carries nothing: an RGB PNG encodes a quarter faster.
        # Light compression: a few kB more per picture cost less than the time to squeeze them.
        buffer = io.BytesIO()
        rgb = PIL.Image.fromarray(np.asarray(self.canvas.buffer_rgba())).convert("RGB")
        rgb.save(buffer, "png", compress_level=1)
        self.widget.value = buffer.getvalue()
