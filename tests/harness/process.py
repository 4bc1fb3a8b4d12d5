"""The plugin process's lifecycle: start `python -u -m pulumi.dynamic` as the engine starts a plugin, read
the port it prints first, connect a gRPC channel, keep what it writes to stdout and stderr, and stop it
(SIGINT first, so coverage and other atexit hooks run). The RPCs themselves are in
tests/harness/plugin.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Final, Self

import grpc
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc
from pulumi_descope_dynamic_provider.api import settings

from tests.harness.results import PluginStartError

REPO_ROOT: Final[Path] = Path(__file__).resolve().parents[2]

# Every environment variable the client reads, emptied: a plugin under test must take its settings
# from the stack config it is sent, never from the environment of whoever runs the tests.
CLEAN_ENV: Final[dict[str, str]] = {
    name: ""
    for name in (
        settings.ENV_PROJECT_ID,
        settings.ENV_MANAGEMENT_KEY,
        settings.ENV_BASE_URL,
        settings.ENV_BASE_URL_SDK,
        settings.ENV_RATE_LIMIT,
        settings.ENV_CALL_DEADLINE,
        settings.ENV_RATE_LIMIT_STORE,
        settings.ENV_RATE_LIMIT_SHARE,
    )
}


class PluginProcess:
    """A `python -u -m pulumi.dynamic` process and a `ResourceProviderStub` connected to it.

    :class:`tests.harness.DynamicPlugin` adds the provider calls; use that.
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        project: str | None = None,
        pythonpath: Sequence[str | os.PathLike[str]] = (),
        cwd: str | os.PathLike[str] | None = None,
        start_timeout: float = 30.0,
        python: str = sys.executable,
    ) -> None:
        """
        :param env: overrides merged over ``os.environ`` for the child (``COVERAGE_PROCESS_START`` etc.
            pass through). ``PYTHONPATH`` always starts with the repo root, then ``pythonpath``, then any
            existing one.
        :param project: sets ``PULUMI_PROJECT`` for the child; the plugin uses it as the namespace of config
            keys requested without one (``req.config.get("greeting")``); it defaults to ``"project"``.
        """
        self._env_overrides = dict(env or {})
        self._project = project
        self._pythonpath = [os.fspath(p) for p in pythonpath]
        self._cwd = os.fspath(cwd) if cwd is not None else None
        self._start_timeout = start_timeout
        self._python = python

        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self._log_dir: tempfile.TemporaryDirectory[str] | None = None
        self._stdout_path: Path | None = None
        self._stderr_path: Path | None = None
        self._final_logs: tuple[str, str] | None = None
        self.port: int | None = None
        self.returncode: int | None = None

    def child_env(self) -> dict[str, str]:
        """The environment the plugin process gets."""
        merged = {**os.environ, **self._env_overrides}
        paths = [str(REPO_ROOT), *self._pythonpath]
        existing = merged.get("PYTHONPATH", "")
        merged["PYTHONPATH"] = os.pathsep.join([*paths, *([existing] if existing else [])])
        if self._project is not None:
            merged["PULUMI_PROJECT"] = self._project
        return merged

    def start(self) -> Self:
        if self._process is not None:
            raise RuntimeError("plugin already started")
        self._log_dir = tempfile.TemporaryDirectory(prefix="dynamic-plugin-")
        self._stdout_path = Path(self._log_dir.name) / "stdout.log"
        self._stderr_path = Path(self._log_dir.name) / "stderr.log"
        # Files, not pipes: the child writes unbuffered (-u), so whatever a callback printed is on disk when
        # its RPC returns, and a chatty plugin can never block on a full pipe.
        with open(self._stdout_path, "wb") as out, open(self._stderr_path, "wb") as err:
            self._process = subprocess.Popen(
                [self._python, "-u", "-m", "pulumi.dynamic"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=self.child_env(),
                cwd=self._cwd,
                start_new_session=True,
            )
        try:
            self.port = self._wait_for_port()
            self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=_GRPC_CHANNEL_OPTIONS)
            try:
                grpc.channel_ready_future(self._channel).result(timeout=self._start_timeout)
            except grpc.FutureTimeoutError as exc:
                raise PluginStartError(f"plugin on port {self.port} did not accept a connection") from exc
            self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
            self._handshake()
        except BaseException:
            self.close()
            raise
        return self

    def _handshake(self) -> None:
        """What the client sends first once connected (nothing here); ``start`` stops the process if it
        fails."""

    def _wait_for_port(self) -> int:
        assert self._process is not None and self._stdout_path is not None
        deadline = time.monotonic() + self._start_timeout
        while True:
            data = self._stdout_path.read_bytes()
            if b"\n" in data:
                line = data.split(b"\n", 1)[0].strip()
                try:
                    port = int(line)
                except ValueError:
                    raise PluginStartError(f"plugin wrote an invalid port line: {line!r}") from None
                if not 0 < port < 65536:
                    raise PluginStartError(f"plugin wrote an invalid port: {port}")
                return port
            if self._process.poll() is not None:
                raise PluginStartError(
                    f"plugin exited with code {self._process.returncode} before printing its port:\n"
                    + self.stderr()
                )
            if time.monotonic() > deadline:
                raise PluginStartError(
                    f"plugin printed no port within {self._start_timeout}s:\n" + self.stderr()
                )
            time.sleep(0.01)

    def close(self, timeout: float = 10.0) -> int | None:
        """Close the channel and stop the plugin: SIGINT (clean exit, so atexit hooks such as coverage run),
        then SIGTERM, then SIGKILL. Idempotent; returns the exit code. Logs stay readable afterwards."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
            self._stub = None
        process = self._process
        if process is not None and process.poll() is None:
            for sig, wait in ((signal.SIGINT, timeout), (signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)):
                try:
                    process.send_signal(sig)
                except ProcessLookupError:
                    break
                try:
                    process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if process is not None:
            self.returncode = process.poll()
        if self._log_dir is not None:
            if self._final_logs is None:
                self._final_logs = (self._read(self._stdout_path), self._read(self._stderr_path))
            self._log_dir.cleanup()
            self._log_dir = None
        return self.returncode

    def __enter__(self) -> Self:
        return self if self._process is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def stub(self) -> provider_pb2_grpc.ResourceProviderStub:
        """The raw gRPC stub, for requests the helpers do not cover."""
        if self._stub is None:
            raise RuntimeError("plugin is not running")
        return self._stub

    # -- output ------------------------------------------------------------------------------------

    @staticmethod
    def _read(path: Path | None) -> str:
        if path is None or not path.exists():
            return ""
        return path.read_bytes().decode("utf-8", errors="replace")

    def stdout(self) -> str:
        """Everything the plugin wrote to stdout after its port line."""
        text = self._final_logs[0] if self._final_logs is not None else self._read(self._stdout_path)
        return text.split("\n", 1)[1] if "\n" in text else ""

    def stderr(self) -> str:
        return self._final_logs[1] if self._final_logs is not None else self._read(self._stderr_path)

    def logs(self) -> str:
        """Plugin stdout (after the port line) followed by stderr. The engine shows both to the user."""
        return self.stdout() + self.stderr()
