"""A real `redis-server` on a free loopback port, started and stopped by the test that needs it.

`make test` installs redis-server when it is missing (the Makefile's `redis-server` target); a
missing binary is a failure with that fix, never a skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

START_TIMEOUT_SECONDS = 15.0


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """Yield the URL (redis://127.0.0.1:PORT/0) of a fresh, empty server that keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run `make redis-server` (or `make test`)")
    port = free_loopback_port()
    # Loopback only, nothing saved to disk.
    options = {"bind": "127.0.0.1", "port": str(port), "save": "", "appendonly": "no", "dir": str(workdir)}
    log_path = workdir / "redis-server.log"  # a file, not a pipe nobody drains
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [binary, *(item for name, value in options.items() for item in (f"--{name}", value))],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log_path.read_text(errors="replace")
                    message = f"redis-server did not start on port {port}: {output[-2000:]}"
                    raise RuntimeError(message) from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
