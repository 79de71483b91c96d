"""Pictures of networks and of training, with matplotlib.

    draw_network(network, values, grads)       the diagram (see nnkit.diagram)
"""
from .diagram import draw_network

__all__ = ["draw_network"]
