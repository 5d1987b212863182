"""The server's connections send each message at once (TCP_NODELAY), not after the browser's
delayed acknowledgement: see dashboard.serve."""

import socket

from streamlit.web.server.starlette import starlette_server

from dashboard.serve import without_nagle


def listening_socket(*_args: object) -> socket.socket:
    """As Streamlit 1.67 binds it: protocol number 0, so asyncio leaves Nagle's algorithm on."""
    sock = socket.socket(family=socket.AF_INET)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    return sock


def nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_streamlit_still_binds_its_socket_where_the_patch_expects_it():
    assert callable(starlette_server._bind_socket)


def test_accepted_connections_inherit_nodelay():
    plain = listening_socket()
    patched = without_nagle(listening_socket)()
    try:
        for listening, expected in ((plain, False), (patched, True)):
            client = socket.create_connection(listening.getsockname())
            accepted, _ = listening.accept()
            try:
                assert nodelay(accepted) is expected
            finally:
                accepted.close()
                client.close()
    finally:
        plain.close()
        patched.close()
