"""Drive the real Pulumi dynamic-provider plugin (`python -u -m pulumi.dynamic`) over gRPC.

The harness talks to the plugin the way the Pulumi engine (pulumi/pulumi, `sdk/go/common/resource/plugin/
provider_plugin.go` and `pkg/resource/deploy/target.go`) does:

* The plugin is started as a subprocess; it prints its port as the first stdout line, then serves
  `pulumirpc.ResourceProvider` on 127.0.0.1.
* `Configure` gets the *whole* stack config (dynamic providers are special-cased by the engine):
  `args` holds every key fully qualified (``"descope:managementKey"``) as a string, wrapped as a
  secret when the key was set with ``--secret``; `variables` holds the same values, unwrapped, under
  ``"pulumi-python:config:<key>"``. The plugin reads only `args` (and unwraps top-level secrets) and
  answers ``acceptSecrets=False``, ``supportsPreview=False``.
* Because the plugin does not accept secrets, the engine sends every later property bag with
  secrets stripped (plain values). The harness does the same with :class:`Secret` values, unless the
  plugin says otherwise.
* Unknowns (:data:`UNKNOWN`) only travel in preview (`Check`/`Diff` with ``preview=True``); the
  harness refuses them elsewhere, since the engine never produces them there.
* Every property bag carries the pickled provider under ``__provider``; the harness adds it for you.
* Because ``supportsPreview`` is false, the engine never calls `Create`/`Update` during a preview: it uses the
  inputs as the previewed outputs. ``create(..., preview=True)`` reproduces that without an RPC.

Errors raised by provider callbacks come back as gRPC ``UNKNOWN`` status with the full Python traceback as
details; they surface here as :class:`PluginError`.
"""

from __future__ import annotations

import enum
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import proto
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime._serialization import _serialize
from pulumi.runtime.proto import provider_pb2_grpc
from pulumi_descope_dynamic._resource import unwrap_pulumi_pickler_patch

REPO_ROOT: Final[Path] = Path(__file__).resolve().parents[2]

PROVIDER_KEY: Final = "__provider"
"""The property that carries the pickled provider in every property bag."""

UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The wire sentinel of an unknown (computed) value, as sent by the engine during preview."""

_SIG_KEY: Final = "4dabf18193072939515e22adb298388d"
_SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"

DYNAMIC_PACKAGE: Final = "pulumi-python"
"""The package (and plugin name, `pulumi-resource-pulumi-python`) of Python dynamic resources."""

DEFAULT_STACK: Final = "dev"
DEFAULT_PROJECT: Final = "proj"

# --------------------------------------------------------------------------------------------------
# Value types
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    """A property or config value the engine knows to be secret."""

    value: Any

    def __repr__(self) -> str:  # never print the value by accident
        return "Secret(***)"


class PluginError(Exception):
    """A provider callback (or the plugin itself) failed; carries the gRPC status details and code."""

    def __init__(self, message: str, code: grpc.StatusCode, method: str = "") -> None:
        super().__init__(message)
        self.message: str = message
        self.code: grpc.StatusCode = code
        self.method: str = method

    @property
    def summary(self) -> str:
        """The last non-empty line of the details: for a callback exception, ``"ExcType: message"``."""
        lines = [line for line in self.message.strip().splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""

    def __str__(self) -> str:
        prefix = f"{self.method}: " if self.method else ""
        return f"{prefix}[{self.code.name}] {self.message}"


class PluginStartError(RuntimeError):
    """The plugin process did not come up (no port line, early exit, or no gRPC connection)."""


class DiffChanges(enum.IntEnum):
    """`pulumirpc.DiffResponse.DiffChanges`."""

    UNKNOWN = 0
    NONE = 1
    SOME = 2


@dataclass(frozen=True)
class ConfigureResult:
    accept_secrets: bool
    supports_preview: bool
    accept_resources: bool
    accept_outputs: bool
    supports_autonaming_configuration: bool


@dataclass(frozen=True)
class CheckResult:
    """Checked inputs (without ``__provider``) and failures as ``(property, reason)``; unpacks as a pair."""

    inputs: dict[str, Any]
    failures: list[tuple[str, str]]
    provider: Any = None
    """The ``__provider`` value the plugin returned in the inputs."""

    def __iter__(self) -> Iterator[Any]:
        yield self.inputs
        yield self.failures


@dataclass(frozen=True)
class DiffResult:
    changes: DiffChanges
    replaces: list[str] = field(default_factory=list)
    stables: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    diffs: list[str] = field(default_factory=list)
    detailed_diff: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CreateResult:
    id: str
    properties: dict[str, Any]
    provider: Any = None
    rpc_called: bool = True
    """False when the engine would not call the plugin (preview of a provider without preview support)."""


@dataclass(frozen=True)
class ReadResult:
    id: str | None
    """None when the provider reported the object gone (empty id on the wire)."""
    properties: dict[str, Any]
    inputs: dict[str, Any] | None
    provider: Any = None


@dataclass(frozen=True)
class UpdateResult:
    properties: dict[str, Any]
    provider: Any = None
    rpc_called: bool = True


# --------------------------------------------------------------------------------------------------
# Helpers: provider blob, URNs, marshalling
# --------------------------------------------------------------------------------------------------


def provider_blob(provider: ResourceProvider) -> str:
    """The ``__provider`` value exactly as `pulumi.dynamic.Resource` computes it (dill + base64).

    Uses the SDK's own `serialize_provider` inside the SDK's serialization context, like `Resource.__init__`.
    """
    blob, _contains_secrets = _serialize(True, serialize_provider, provider)
    # The SDK leaves a pickling wrapper behind on every call: peel it off, as the sdk classes do,
    # or a long test session ends in RecursionError.
    unwrap_pulumi_pickler_patch()
    return str(blob)


def dynamic_type(module: str = "", name: str = "Resource") -> str:
    """The type token of a dynamic resource: ``dynamic_type("descope", "Tenant")`` ->
    ``"pulumi-python:dynamic/descope:Tenant"`` (as `Resource.__init_subclass__(module=, name=)`)."""
    mod = f"/{module}" if module else ""
    return f"{DYNAMIC_PACKAGE}:dynamic{mod}:{name}"


def urn_for(
    type_token: str,
    name: str,
    *,
    stack: str = DEFAULT_STACK,
    project: str = DEFAULT_PROJECT,
    parent_type: str | None = None,
) -> str:
    """``urn:pulumi:<stack>::<project>::[<parent_type>$]<type>::<name>``."""
    qualified = f"{parent_type}${type_token}" if parent_type else type_token
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def _addressed(urn: str) -> dict[str, str]:
    """The `urn`, `name` and `type` fields of a resource request, as the engine fills them."""
    parts = urn.split("::", 3)
    if not urn.startswith("urn:pulumi:") or len(parts) != 4:
        raise ValueError(f"not a Pulumi URN: {urn!r}")
    qualified_type, name = parts[2], parts[3]
    return {"urn": urn, "name": name, "type": qualified_type.rsplit("$", 1)[-1]}


def _to_wire(value: Any, *, keep_secrets: bool, keep_unknowns: bool, path: str) -> Any:
    """A plain Python value -> something `Struct.update` accepts, applying the engine's marshal options."""
    if isinstance(value, Secret):
        inner = _to_wire(value.value, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path=path)
        return {_SIG_KEY: _SECRET_SIG, "value": inner} if keep_secrets else inner
    if isinstance(value, str) and value == UNKNOWN and not keep_unknowns:
        raise ValueError(
            f"unknown value at {path!r}: the engine only sends unknowns in preview (pass preview=True)"
        )
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"property keys must be str, got {key!r} at {path!r}")
            out[key] = _to_wire(
                item, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path=f"{path}.{key}"
            )
        return out
    if isinstance(value, list | tuple):
        return [
            _to_wire(item, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path=f"{path}[{index}]")
            for index, item in enumerate(value)
        ]
    raise TypeError(f"cannot marshal {type(value).__name__} at {path!r}")


def to_struct(
    props: Mapping[str, Any], *, keep_secrets: bool = False, keep_unknowns: bool = False
) -> struct_pb2.Struct:
    """Marshal a property bag like the engine's `MarshalProperties` (numbers become doubles)."""
    struct = struct_pb2.Struct()
    wire = _to_wire(dict(props), keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, path="")
    struct.update(wire)
    return struct


def _from_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return _from_struct_value(value.struct_value)
    if kind == "list_value":
        return [_from_value(item) for item in value.list_value.values]
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        return value.number_value
    if kind == "bool_value":
        return value.bool_value
    return None


def _from_struct_value(struct: struct_pb2.Struct) -> Any:
    fields = struct.fields
    if _SIG_KEY in fields and fields[_SIG_KEY].string_value == _SECRET_SIG:
        return Secret(_from_value(fields["value"]) if "value" in fields else None)
    return {key: _from_value(item) for key, item in fields.items()}


def from_struct(struct: struct_pb2.Struct | None) -> dict[str, Any]:
    """Unmarshal a property bag; secrets become :class:`Secret`, unknowns stay :data:`UNKNOWN` strings."""
    if struct is None:
        return {}
    result = _from_struct_value(struct)
    if not isinstance(result, dict):
        raise TypeError(f"expected a property map, got {result!r}")
    return result


def _split_provider(props: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    rest = dict(props)
    return rest, rest.pop(PROVIDER_KEY, None)


# --------------------------------------------------------------------------------------------------
# The plugin
# --------------------------------------------------------------------------------------------------


class DynamicPlugin:
    """A running `python -u -m pulumi.dynamic` process plus a `ResourceProviderStub` connected to it.

    Usage::

        with DynamicPlugin(MyProvider(), config={"descope:projectId": "P1"}) as plugin:
            inputs, failures = plugin.check(urn, {}, {"name": "acme"})
            created = plugin.create(urn, inputs)

    ``provider`` is a provider instance (pickled with :func:`provider_blob`), a ready ``__provider``
    string, or None (then every property bag must carry ``__provider`` itself). A bag that already has
    ``__provider`` is sent as is, so tests can pass another blob or :data:`UNKNOWN`.
    """

    def __init__(
        self,
        provider: ResourceProvider | str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        config: Mapping[str, Any] | None = None,
        secret_keys: Iterable[str] = (),
        project: str | None = None,
        pythonpath: Sequence[str | os.PathLike[str]] = (),
        cwd: str | os.PathLike[str] | None = None,
        require_configure: bool = True,
        start_timeout: float = 30.0,
        call_timeout: float = 60.0,
        python: str = sys.executable,
    ) -> None:
        """
        :param env: overrides merged over ``os.environ`` for the child (``COVERAGE_PROCESS_START`` etc.
            pass through). ``PYTHONPATH`` always starts with the repo root, then ``pythonpath``, then any
            existing one.
        :param config: if given, `configure(config, secret_keys=...)` is sent right after start-up, as the
            engine configures the default provider before any resource call.
        :param project: sets ``PULUMI_PROJECT`` for the child; the plugin uses it as the namespace of config
            keys requested without one (``req.config.get("greeting")``); it defaults to ``"project"``.
        :param require_configure: refuse resource calls before `configure` (the engine never does that; the
            plugin would configure and cache the provider with an empty config).
        """
        if isinstance(provider, ResourceProvider):
            blob: str | None = provider_blob(provider)
            as_secret = bool(getattr(provider, "serialize_as_secret_always", True))
        else:
            blob, as_secret = provider, True
        self.blob: str | None = blob
        """The ``__provider`` string added to property bags."""
        self._blob_value: Any = Secret(blob) if (blob is not None and as_secret) else blob
        self._env_overrides = dict(env or {})
        self._initial_config = dict(config) if config is not None else None
        self._initial_secret_keys = tuple(secret_keys)
        self._project = project
        self._pythonpath = [os.fspath(p) for p in pythonpath]
        self._cwd = os.fspath(cwd) if cwd is not None else None
        self._require_configure = require_configure
        self._start_timeout = start_timeout
        self.call_timeout: float = call_timeout
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
        self.configured: ConfigureResult | None = None
        """The last `Configure` response (None before `configure`)."""

    # -- lifecycle ---------------------------------------------------------------------------------

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
            # Like the engine: GetPluginInfo first (proves the server answers), then Configure.
            self.plugin_info()
            if self._initial_config is not None:
                self.configure(self._initial_config, secret_keys=self._initial_secret_keys)
        except BaseException:
            self.close()
            raise
        return self

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

    # -- RPC plumbing ------------------------------------------------------------------------------

    def _call(self, method: str, request: Any) -> Any:
        rpc = getattr(self.stub, method)
        try:
            return rpc(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            code = exc.code() if hasattr(exc, "code") else grpc.StatusCode.UNKNOWN
            details = (exc.details() if hasattr(exc, "details") else None) or str(exc)
            if not self.alive:
                details += f"\n(plugin process exited with code {self._process and self._process.poll()})"
            raise PluginError(details, code, method) from None

    def _require_configured(self, method: str) -> None:
        if self._require_configure and self.configured is None:
            raise RuntimeError(
                f"{method} before configure(): the engine always configures first; the plugin would "
                "configure and cache the provider with an empty config. Pass require_configure=False to do "
                "it anyway."
            )

    @property
    def _keep_secrets(self) -> bool:
        return bool(self.configured and self.configured.accept_secrets)

    def _bag(self, props: Mapping[str, Any], *, add_provider: bool = True) -> dict[str, Any]:
        bag = dict(props)
        if add_provider and PROVIDER_KEY not in bag:
            if self._blob_value is None:
                raise ValueError(f"no provider given: put {PROVIDER_KEY!r} in the properties")
            bag[PROVIDER_KEY] = self._blob_value
        return bag

    def _struct(self, props: Mapping[str, Any], *, keep_unknowns: bool, add_provider: bool = True) -> Any:
        return to_struct(
            self._bag(props, add_provider=add_provider),
            keep_secrets=self._keep_secrets,
            keep_unknowns=keep_unknowns,
        )

    # -- provider protocol -------------------------------------------------------------------------

    def plugin_info(self) -> str:
        """`GetPluginInfo`: the plugin's version string."""
        return str(self._call("GetPluginInfo", empty_pb2.Empty()).version)

    def cancel(self) -> None:
        self._call("Cancel", empty_pb2.Empty())

    def configure(
        self,
        variables: Mapping[str, Any],
        *,
        secret_keys: Iterable[str] = (),
        stack: str = DEFAULT_STACK,
        project: str = DEFAULT_PROJECT,
    ) -> ConfigureResult:
        """Send `Configure` as the engine does for the default `pulumi-python` provider.

        ``variables`` is the stack config keyed like ``pulumi config``: ``{"descope:managementKey": "K"}``.
        Keys in ``secret_keys`` (or values wrapped in :class:`Secret`) are secret config. Non-string
        values are JSON-encoded, as the engine does for structured config.
        """
        secret_set = set(secret_keys)
        unknown_secret_keys = secret_set - set(variables)
        if unknown_secret_keys:
            raise KeyError(f"secret_keys not in variables: {sorted(unknown_secret_keys)}")
        args: dict[str, Any] = {}
        flat: dict[str, str] = {}
        for key, raw in variables.items():
            if ":" not in key:
                raise ValueError(f"config key {key!r} must be namespaced, e.g. 'descope:{key}'")
            is_secret = isinstance(raw, Secret) or key in secret_set
            plain = raw.value if isinstance(raw, Secret) else raw
            text = plain if isinstance(plain, str) else json.dumps(plain)
            flat[f"{DYNAMIC_PACKAGE}:config:{key}"] = text
            args[key] = Secret(text) if is_secret else text
        provider_type = f"pulumi:providers:{DYNAMIC_PACKAGE}"
        request = proto.ConfigureRequest(
            variables=flat,
            args=to_struct(args, keep_secrets=True, keep_unknowns=False),
            acceptSecrets=True,
            acceptResources=True,
            sends_old_inputs=True,
            sends_old_inputs_to_delete=True,
            urn=urn_for(provider_type, "default", stack=stack, project=project),
            name="default",
            type=provider_type,
        )
        response = self._call("Configure", request)
        self.configured = ConfigureResult(
            accept_secrets=response.acceptSecrets,
            supports_preview=response.supportsPreview,
            accept_resources=response.acceptResources,
            accept_outputs=response.acceptOutputs,
            supports_autonaming_configuration=response.supports_autonaming_configuration,
        )
        return self.configured

    def check(
        self,
        urn: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        preview: bool = False,
        random_seed: bytes = b"",
    ) -> CheckResult:
        """`Check(olds=old inputs, news=new inputs)`.

        ``olds`` empty (a create) is sent without ``__provider``, as the engine has no state yet."""
        self._require_configured("Check")
        request = proto.CheckRequest(
            **_addressed(urn),
            olds=self._struct(olds, keep_unknowns=preview, add_provider=bool(olds)),
            news=self._struct(news, keep_unknowns=preview),
            randomSeed=random_seed or os.urandom(32),
        )
        response = self._call("Check", request)
        inputs, provider = _split_provider(from_struct(response.inputs))
        failures = [(failure.property, failure.reason) for failure in response.failures]
        return CheckResult(inputs=inputs, failures=failures, provider=provider)

    def diff(
        self,
        id_: str,
        urn: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        ignore_changes: Sequence[str] = (),
        preview: bool = False,
    ) -> DiffResult:
        """`Diff(olds=old OUTPUTS, news=new inputs, old_inputs=old inputs)`."""
        self._require_configured("Diff")
        request = proto.DiffRequest(
            id=id_,
            **_addressed(urn),
            olds=self._struct(olds, keep_unknowns=preview),
            news=self._struct(news, keep_unknowns=preview),
            old_inputs=self._struct(old_inputs if old_inputs is not None else olds, keep_unknowns=preview),
            ignoreChanges=list(ignore_changes),
        )
        response = self._call("Diff", request)
        return DiffResult(
            changes=DiffChanges(response.changes),
            replaces=list(response.replaces),
            stables=list(response.stables),
            delete_before_replace=response.deleteBeforeReplace,
            diffs=list(response.diffs),
            detailed_diff={key: int(value.kind) for key, value in response.detailedDiff.items()},
        )

    def create(
        self, urn: str, props: Mapping[str, Any], *, preview: bool = False, timeout: float = 0.0
    ) -> CreateResult:
        """`Create`. In preview, a plugin without preview support is not called (engine behaviour): the inputs
        come back as the outputs with an empty id and ``rpc_called=False``."""
        self._require_configured("Create")
        if preview and not (self.configured and self.configured.supports_preview):
            properties, provider = _split_provider(dict(props))
            return CreateResult(id="", properties=properties, provider=provider, rpc_called=False)
        request = proto.CreateRequest(
            **_addressed(urn),
            properties=self._struct(props, keep_unknowns=preview),
            timeout=timeout,
            preview=preview,
        )
        response = self._call("Create", request)
        properties, provider = _split_provider(from_struct(response.properties))
        return CreateResult(id=response.id, properties=properties, provider=provider)

    def read(
        self,
        id_: str,
        urn: str,
        props: Mapping[str, Any],
        inputs: Mapping[str, Any] | None = None,
    ) -> ReadResult:
        """`Read(properties=state, inputs=old inputs)` as in `pulumi refresh`. ``props`` empty with ``inputs``
        given is the user-driven `get` case."""
        self._require_configured("Read")
        request = proto.ReadRequest(
            id=id_,
            **_addressed(urn),
            properties=self._struct(props, keep_unknowns=False, add_provider=bool(props)),
            inputs=self._struct(inputs, keep_unknowns=False) if inputs is not None else None,
        )
        response = self._call("Read", request)
        properties, provider = _split_provider(from_struct(response.properties))
        new_inputs = None
        if response.HasField("inputs"):
            new_inputs, _ = _split_provider(from_struct(response.inputs))
        return ReadResult(id=response.id or None, properties=properties, inputs=new_inputs, provider=provider)

    def update(
        self,
        id_: str,
        urn: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        preview: bool = False,
        ignore_changes: Sequence[str] = (),
        timeout: float = 0.0,
    ) -> UpdateResult:
        """`Update(olds=old OUTPUTS, news=new inputs)`; in preview without plugin support, not called."""
        self._require_configured("Update")
        if preview and not (self.configured and self.configured.supports_preview):
            properties, provider = _split_provider(dict(news))
            return UpdateResult(properties=properties, provider=provider, rpc_called=False)
        request = proto.UpdateRequest(
            id=id_,
            **_addressed(urn),
            olds=self._struct(olds, keep_unknowns=False),
            news=self._struct(news, keep_unknowns=preview),
            old_inputs=self._struct(old_inputs if old_inputs is not None else olds, keep_unknowns=False),
            ignoreChanges=list(ignore_changes),
            preview=preview,
            timeout=timeout,
        )
        response = self._call("Update", request)
        properties, provider = _split_provider(from_struct(response.properties))
        return UpdateResult(properties=properties, provider=provider)

    def delete(
        self,
        id_: str,
        urn: str,
        props: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        timeout: float = 0.0,
    ) -> None:
        """`Delete(properties=outputs, old_inputs=inputs)`."""
        self._require_configured("Delete")
        request = proto.DeleteRequest(
            id=id_,
            **_addressed(urn),
            properties=self._struct(props, keep_unknowns=False),
            old_inputs=self._struct(old_inputs if old_inputs is not None else props, keep_unknowns=False),
            timeout=timeout,
        )
        self._call("Delete", request)
