"""HTTP transport (stdlib ``ThreadingHTTPServer``) and the in-process ``EmulatorServer``.

The stdlib server gives direct control of the socket, which the faults need: a TCP RST (SO_LINGER 0)
instead of an answer, or no answer at all. HTTP/1.1 keep-alive works because every answer carries a
Content-Length. The Authorization header is never logged.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Unpack

from descope_emulator.app import DEFAULT_MANAGEMENT_KEY, Action, Emulator, EmulatorOptions, Outcome, Request
from descope_emulator.faults import FaultConfig, FaultKind, FaultTarget
from descope_emulator.quota import Quota
from descope_emulator.store import Store

logger = logging.getLogger(__name__)

_MAX_BODY_BYTES = 10 * 1024 * 1024


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: Emulator) -> None:
        super().__init__(address, _Handler)
        self.app = app
        # Open client connections, so stop() can close idle keep-alive ones and free their threads.
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "descope-emulator"

    def version_string(self) -> str:
        return self.server_version

    def _server(self) -> _HTTPServer:
        assert isinstance(self.server, _HTTPServer)
        return self.server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY the body waits for the
        # client's delayed ACK (~40 ms per request).
        with suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        server = self._server()
        with server.connections_lock:
            server.connections.add(self.connection)

    def finish(self) -> None:
        server = self._server()
        with server.connections_lock:
            server.connections.discard(self.connection)
        with suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds method, path and query only; headers are never logged.
        logger.debug("%s %s", self.client_address[0], format % args)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= _MAX_BODY_BYTES:
            raise ValueError("bad Content-Length")
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                # Skip trailers up to the blank line.
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > _MAX_BODY_BYTES:
                raise ValueError("body too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _dispatch(self) -> None:
        app = self._server().app
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(
                Outcome(
                    Action.RESPOND,
                    400,
                    b'{"errorCode":"E011003","errorDescription":'
                    b'"Request failed validation","errorMessage":"Bad body"}',
                )
            )
            return
        request = Request(
            method=self.command,
            target=self.path,
            headers=dict(self.headers.items()),
            body=body,
            peer=self.client_address[0],
        )
        try:
            outcome = app.handle(request)
        except Exception:
            logger.exception("unexpected error handling %s %s", self.command, self.path.split("?")[0])
            outcome = Outcome(
                Action.RESPOND,
                500,
                b'{"errorCode":"E000500","errorDescription":"Internal error","errorMessage":"emulator bug"}',
            )
        if outcome.action is Action.RESPOND:
            self._send(outcome)
        elif outcome.action is Action.HANG:
            # Bounded: the stop event ends the wait at shutdown.
            app.stop_event.wait(outcome.hang_seconds)
            self._reset_connection()
        else:
            self._reset_connection()

    def _send(self, outcome: Outcome) -> None:
        try:
            self.send_response(outcome.status)
            self.send_header("Content-Type", outcome.content_type)
            self.send_header("Content-Length", str(len(outcome.body)))
            for name, value in outcome.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(outcome.body)
        except OSError:
            # The client went away mid-answer; nothing left to do on this connection.
            self.close_connection = True

    def _reset_connection(self) -> None:
        """Closes the socket with a TCP RST: the client sees ECONNRESET, not a clean end of stream."""
        self.close_connection = True
        with suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with suppress(OSError):
            self.connection.close()
        # The descriptor is released (and the RST sent) once the buffered reader lets go of it too.
        with suppress(OSError):
            self.rfile.close()


class EmulatorServer:
    """A Descope Management API emulator serving HTTP on a background thread.

    >>> with EmulatorServer() as emulator:
    ...     requests.post(emulator.url + "/v1/mgmt/tenant/create", json={"name": "A"},
    ...                   headers=emulator.headers)
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options: Unpack[EmulatorOptions]) -> None:
        """``options`` are ``Emulator``'s (project id, management key, quota, faults, seed, clocks,
        license tier), with its defaults."""
        self._host = host
        self._requested_port = port
        self.app = Emulator(**options)
        self.project_id = self.app.project_id
        self.management_key = options.get("management_key", DEFAULT_MANAGEMENT_KEY)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----- lifecycle ----------------------------------------------------------------------------

    def start(self) -> EmulatorServer:
        if self._httpd is not None:
            raise RuntimeError("already started")
        self.app.stop_event.clear()
        self._httpd = _HTTPServer((self._host, self._requested_port), self.app)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="descope-emulator",
            daemon=True,
        )
        self._thread.start()
        logger.info("descope emulator listening on %s", self.url)
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self.app.stop_event.set()
        httpd.shutdown()
        httpd.server_close()
        with httpd.connections_lock:
            open_connections = list(httpd.connections)
        for connection in open_connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ----- addresses and credentials ------------------------------------------------------------

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def authorization(self) -> str:
        return f"Bearer {self.project_id}:{self.management_key}"

    @property
    def headers(self) -> dict[str, str]:
        """Headers of a valid management call, for raw HTTP tests."""
        return {"Authorization": self.authorization, "Content-Type": "application/json"}

    # ----- state and control --------------------------------------------------------------------

    @property
    def state(self) -> Store:
        """The live store: tests read it and edit it out-of-band (``edit_tenant``, ``remove_tenant``,
        ``edit_role``, ``remove_role``, ``edit_permission``, ``remove_permission``)."""
        return self.app.store

    def stats(self) -> dict[str, Any]:
        return self.app.stats()

    def requests(self, limit: int | None = None) -> list[dict[str, Any]]:
        return self.app.stats_recorder.recent(limit)

    def reset(self, *, keep_config: bool = False) -> None:
        self.app.reset(keep_config=keep_config)

    def set_faults(self, faults: FaultConfig | None, *, seed: int | None = None) -> None:
        self.app.faults.configure(faults, seed)

    def set_quota(self, quota: Quota | None) -> None:
        self.app.quota.configure(quota)

    def queue_fault(self, kind: FaultKind | str, **target: Unpack[FaultTarget]) -> None:
        """The next /v1/ request matching ``method``/``path`` meets this fault, with ``status`` and
        ``variant`` (see ``FaultInjector.enqueue``)."""
        self.app.faults.enqueue(kind, **target)
