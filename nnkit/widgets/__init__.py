"""The playgrounds, for Jupyter (anywidget: the model in Python, drawn by the browser). Each shows
itself when it is the last expression of a cell.

    BackpropPlayground()         the homework network: a slider for every weight, input and target,
                                 Step / Train / Reset, the loss curve, a step-through of the chain rule
    ClassificationPlayground()   train a small MLP on 2-D data and watch its decision boundary

Where no kernel draws them (a saved notebook, a web page of it), a notebook shows a static
picture of the same state instead (nnkit.viz, `static_png`) and a line of text.
"""
from .backprop import BackpropPlayground
from .classification import ClassificationPlayground

__all__ = ["BackpropPlayground", "ClassificationPlayground"]
