"""The playgrounds, for Jupyter (ipywidgets + matplotlib). Each shows itself when it is the last
expression of a cell; its widget tree is `.ui`.

    BackpropPlayground()         the homework network: a slider for every weight, input and target
    ClassificationPlayground()   train a small MLP on 2-D data and watch its decision boundary
"""
from .classification import ClassificationPlayground
from .backprop import BackpropPlayground

__all__ = ["BackpropPlayground", "ClassificationPlayground"]
