"""Start Streamlit's server with Nagle's algorithm off on every connection.

Streamlit 1.67 binds its listening socket itself, as `socket.socket(family)`, whose protocol
number is 0; asyncio turns Nagle's algorithm off only on sockets that say IPPROTO_TCP, so every
connection keeps it. A rerun sends a burst of small messages: the first goes out, the rest wait
for the browser's acknowledgement, which browsers delay by 40 ms on Linux (up to 200 ms
elsewhere). Measured with bench/bench_load.py, one session's page took 44 ms longer for nothing.
Linux copies TCP_NODELAY from a listening socket to each connection it accepts, so setting it
once on that socket is enough.

    python -m dashboard.serve run app.py [streamlit options]   # as `streamlit run`
"""

import logging
import socket
import sys
from collections.abc import Callable

from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server

_log = logging.getLogger(__name__)


def without_nagle(bind: Callable[..., socket.socket]) -> Callable[..., socket.socket]:
    """`bind`, whose listening socket then hands out connections with TCP_NODELAY set."""

    def bind_without_nagle(*args, **kwargs) -> socket.socket:
        listening = bind(*args, **kwargs)
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return listening

    return bind_without_nagle


def main() -> None:
    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None:
        # A later Streamlit may bind differently: serve anyway, only slower.
        _log.warning("Streamlit has no _bind_socket: connections keep Nagle's algorithm")
    else:
        starlette_server._bind_socket = without_nagle(bind)
    sys.argv[0] = "streamlit"
    cli.main()


if __name__ == "__main__":
    main()
