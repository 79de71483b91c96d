"""Kernel replies without a 40 ms wait: a Jupyter server setting that makes the playgrounds quick.

jupyter_server writes kernel messages to the browser's websocket with Nagle's algorithm on
(tornado's default). A slider move's reply is written just after the kernel's small "busy"
status message, so it waits until the browser acknowledges that one — and browsers delay their
ACKs by ~40 ms. Measured here: a round trip to the kernel takes ~48 ms with Nagle, ~5 ms without
(`python -m benchmarks.playground` measures both). This connection class turns Nagle off for the
kernel websockets (tornado's public `WebSocketHandler.set_nodelay`), through jupyter_server's own
setting for the connection class:

    jupyter lab --ServerApp.kernel_websocket_connection_class=nnkit.widgets.nodelay.NoDelayConnection
"""
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

SERVER_ARGS = ["--ServerApp.kernel_websocket_connection_class=nnkit.widgets.nodelay.NoDelayConnection"]


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection, with small messages sent at once."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
