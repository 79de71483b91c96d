"""A playground's state as a static PNG (nnkit.viz, matplotlib), for where no kernel draws it.

A notebook output holds the widget and, beside it, this picture: JupyterLab with a kernel shows
the widget; a saved notebook opened without one, nbviewer or GitHub show the picture. It is drawn
once, when the playground is displayed.
"""
import io

from matplotlib.figure import Figure


def static_png(draw, figsize):
    """PNG bytes of what draw(ax) draws, on a figure of its own (nothing leaks into pyplot)."""
    figure = Figure(figsize=figsize, dpi=72, layout="constrained")
    draw(figure.add_subplot())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def with_picture(bundle, png):
    """anywidget's (data, metadata) mime bundle with the static picture added."""
    data, metadata = bundle
    return {**data, "image/png": png}, metadata
