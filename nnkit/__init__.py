"""nnkit: from one hand-worked backpropagation homework to training a real network.

The homework's 2-2-2 network, step by step:  homework_params, forward, loss, backward, explain,
sgd_step.  Any network, vectorized:  MLP, fit.  Checking gradients:  numerical_gradient,
rel_error, check_gradients.  A hand calculation, checked with error carried forward:
check_homework.  Data:  nnkit.datasets.  Pictures and playgrounds:  nnkit.viz, nnkit.widgets.
"""
from . import datasets
from .check import HANDED_IN, check_homework
from .explain import explain
from .gradcheck import check_gradients, numerical_gradient, rel_error
from .homework import (HOMEWORK_TARGET, HOMEWORK_X, PARAM_NAMES, Forward, Gradients, backward,
                       forward, homework_params, loss, sgd_step)
from .mlp import MLP
from .train import fit

__all__ = ["HANDED_IN", "HOMEWORK_TARGET", "HOMEWORK_X", "PARAM_NAMES", "Forward", "Gradients", "MLP", "backward",
           "check_gradients", "check_homework", "datasets", "explain", "fit", "forward", "homework_params", "loss",
           "numerical_gradient", "rel_error", "sgd_step"]
