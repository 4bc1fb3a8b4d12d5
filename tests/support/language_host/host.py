"""A test-only Python language host: what `pulumi-language-python` does, for machines without it.

The real host ships with every Pulumi CLI download; it cannot be had here (the Go module proxy refuses
its module, and no package index carries the binary), so `pulumi up` of a Python project needs this
stand-in to run in tests and `make demo`. Users never need it. It is launched by the CLI through the
`pulumi-language-python` launcher beside the cached `pulumi` (installed by scripts/get-pulumi.sh) as
`pulumi-language-python [flags] <engine address>`, in the program directory. Like the real host it
prints its gRPC port as the first line of stdout, serves `pulumirpc.LanguageRuntime`, and stops on
SIGINT (how the CLI stops plugins).

RPCs served (what CLI v3.274 calls for preview/up/refresh/destroy/stack/config/about/install):
GetPluginInfo, GetRequiredPlugins and GetRequiredPackages (empty: a dynamic provider is no package),
Run, About, GetProgramDependencies, InstallDependencies, Cancel. Everything else answers UNIMPLEMENTED.

Run does what the real host does: it resolves the `virtualenv` runtime option of Pulumi.yaml against
the project's root directory, starts that virtualenv's Python (else `PULUMI_PYTHON_CMD` or `python3`)
on `run_program.py` with the engine's settings, passes the stack config in `PULUMI_CONFIG` and
`PULUMI_CONFIG_SECRET_KEYS`, and maps exit code 32 (an error already shown to the user) to `bail`.

This file runs as a script (only the standard library, grpcio and the pulumi SDK's protobuf stubs),
in the interpreter the launcher names; the user's program runs in the project's own interpreter.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

RUN_PROGRAM = Path(__file__).resolve().with_name("run_program.py")
# The exit code with which a program says "the error is already shown to the user" (as the real host).
EXIT_ERROR_SHOWN = 32
# The Python packages the real host reports as the project's language SDK in `pulumi about`.
LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m, json;"
    "print(json.dumps(sorted({d.metadata['Name']: d.version for d in m.distributions()}.items())))"
)


class ProjectError(Exception):
    """A problem the user fixes in Pulumi.yaml or their virtualenv; shown as the Run error."""


@dataclass(frozen=True)
class Interpreter:
    python: str
    virtualenv: Path | None

    def env(self) -> dict[str, str]:
        """The environment of a child: the virtualenv first on PATH, as an activated virtualenv."""
        env = dict(os.environ)
        if self.virtualenv is not None:
            env["VIRTUAL_ENV"] = str(self.virtualenv)
            env["PATH"] = os.pathsep.join([str(self.virtualenv / "bin"), env.get("PATH", "")])
            env.pop("PYTHONHOME", None)
        return env


def project_interpreter(info: language_pb2.ProgramInfo) -> Interpreter:
    """The Python of the project: `runtime.options.virtualenv` (relative to the Pulumi.yaml directory)."""
    options: dict[str, Any] = json_format.MessageToDict(info.options) if info.HasField("options") else {}
    toolchain = options.get("toolchain", "pip")
    if toolchain != "pip":
        raise ProjectError(f"the test language host supports toolchain 'pip' only, not {toolchain!r}")
    configured = options.get("virtualenv")
    if not configured:
        return Interpreter(os.environ.get("PULUMI_PYTHON_CMD") or "python3", None)
    virtualenv = Path(info.root_directory or os.getcwd(), configured).absolute()
    python = virtualenv / "bin" / "python"
    if not python.exists():
        raise ProjectError(
            f"The 'virtualenv' option in Pulumi.yaml is set to {str(virtualenv)!r}, but it is not a "
            f"virtual environment: create it with `python3 -m venv {virtualenv}` and install your "
            "dependencies into it"
        )
    return Interpreter(str(python), virtualenv)


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    def __init__(self, engine_address: str) -> None:
        self.engine_address = engine_address
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen[bytes]] = set()

    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=version("pulumi"))

    def GetRequiredPlugins(
        self, request: language_pb2.GetRequiredPluginsRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetRequiredPluginsResponse:
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(
        self, request: language_pb2.GetRequiredPackagesRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetRequiredPackagesResponse:
        return language_pb2.GetRequiredPackagesResponse()

    def Run(
        self, request: language_pb2.RunRequest, context: grpc.ServicerContext
    ) -> language_pb2.RunResponse:
        info = request.info
        try:
            interpreter = project_interpreter(info)
        except ProjectError as exc:
            return language_pb2.RunResponse(error=str(exc))
        program_dir = info.program_directory or request.pwd or os.getcwd()
        entry_point = info.entry_point or request.program or "."
        settings = {
            "--monitor": request.monitor_address,
            "--engine": self.engine_address,
            "--project": request.project,
            "--stack": request.stack,
            "--organization": request.organization,
            "--root_directory": info.root_directory or program_dir,
            "--dry_run": "true" if request.dryRun else "false",
            "--parallel": str(request.parallel),
        }
        command = [interpreter.python, "-u", str(RUN_PROGRAM)]
        for flag, value in settings.items():
            command += [flag, value]
        command += [str(Path(program_dir, entry_point)), *request.args]
        env = interpreter.env()
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        # The program's output goes where ours goes: the engine shows it, as with the real host.
        process = subprocess.Popen(command, cwd=program_dir, env=env)
        with self.lock:
            self.running.add(process)
        try:
            code = process.wait()
        finally:
            with self.lock:
                self.running.discard(process)
        if code == 0:
            return language_pb2.RunResponse()
        if code == EXIT_ERROR_SHOWN:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {code}")

    def About(
        self, request: language_pb2.AboutRequest, context: grpc.ServicerContext
    ) -> language_pb2.AboutResponse:
        python = project_interpreter(request.info).python
        found = subprocess.run(
            [python, "-c", "import sys; print(sys.executable); print(sys.version.split()[0])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return language_pb2.AboutResponse(executable=found[0], version=found[1])

    def GetProgramDependencies(
        self, request: language_pb2.GetProgramDependenciesRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetProgramDependenciesResponse:
        python = project_interpreter(request.info).python
        listed = subprocess.run(
            [python, "-c", LIST_DISTRIBUTIONS], capture_output=True, text=True, check=True
        )
        return language_pb2.GetProgramDependenciesResponse(
            dependencies=[
                language_pb2.DependencyInfo(name=name, version=found)
                for name, found in json.loads(listed.stdout)
            ]
        )

    def InstallDependencies(
        self, request: language_pb2.InstallDependenciesRequest, context: grpc.ServicerContext
    ) -> Iterator[language_pb2.InstallDependenciesResponse]:
        """`pulumi install`: requirements.txt into the project's virtualenv (which must exist here)."""
        try:
            interpreter = project_interpreter(request.info)
        except ProjectError as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        requirements = Path(request.info.root_directory or request.directory, "requirements.txt")
        if not requirements.exists():
            return
        installed = subprocess.run(
            [interpreter.python, "-m", "pip", "install", "-r", str(requirements)],
            capture_output=True,
            env=interpreter.env(),
        )
        yield language_pb2.InstallDependenciesResponse(stdout=installed.stdout, stderr=installed.stderr)
        if installed.returncode != 0:
            context.abort(grpc.StatusCode.UNKNOWN, f"pip install -r {requirements} failed")

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:
        with self.lock:
            for process in self.running:
                process.terminate()
        return empty_pb2.Empty()


def main(argv: list[str]) -> int:
    # The engine address is the one positional argument; flags (-v=9, --logtostderr, ...) are ignored.
    positional = [arg for arg in argv if not arg.startswith("-")]
    host = LanguageHost(positional[0] if positional else "")
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(host, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()

    def stop(signum: int, frame: object) -> None:
        host.Cancel(empty_pb2.Empty(), None)
        server.stop(grace=1)

    def stop_when_orphaned(parent: int) -> None:
        # A CLI killed outright (SIGKILL, a lost CI runner) never sends SIGINT: do not outlive it.
        while os.getppid() == parent:
            time.sleep(1)
        stop(signal.SIGTERM, None)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    threading.Thread(target=stop_when_orphaned, args=(os.getppid(),), daemon=True).start()
    # Only now, with the handlers in place: a SIGINT right after the port must stop us cleanly.
    print(port, flush=True)
    server.wait_for_termination()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
