"""The provider calls a test makes on the plugin, sent as the Pulumi engine sends them.

The harness talks to the plugin the way the Pulumi engine (pulumi/pulumi, `sdk/go/common/resource/plugin/
provider_plugin.go` and `pkg/resource/deploy/target.go`) does:

* The plugin is started as a subprocess (tests/harness/process.py); it prints its port as the first
  stdout line, then serves `pulumirpc.ResourceProvider` on 127.0.0.1.
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

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.runtime import proto

from tests.harness.process import PluginProcess
from tests.harness.results import (
    CheckResult,
    ConfigureResult,
    CreateResult,
    DiffChanges,
    DiffResult,
    PluginError,
    ReadResult,
    UpdateResult,
)
from tests.harness.wire import (
    DEFAULT_PROJECT,
    DEFAULT_STACK,
    DYNAMIC_PACKAGE,
    PROVIDER_KEY,
    Secret,
    addressed,
    from_struct,
    provider_blob,
    split_provider,
    to_struct,
    urn_for,
)


class DynamicPlugin(PluginProcess):
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
        :param config: if given, `configure(config, secret_keys=...)` is sent right after start-up, as the
            engine configures the default provider before any resource call.
        :param require_configure: refuse resource calls before `configure` (the engine never does that; the
            plugin would configure and cache the provider with an empty config).
        """
        super().__init__(
            env=env,
            project=project,
            pythonpath=pythonpath,
            cwd=cwd,
            start_timeout=start_timeout,
            python=python,
        )
        if isinstance(provider, ResourceProvider):
            blob: str | None = provider_blob(provider)
            as_secret = bool(getattr(provider, "serialize_as_secret_always", True))
        else:
            blob, as_secret = provider, True
        self.blob: str | None = blob
        """The ``__provider`` string added to property bags."""
        self._blob_value: Any = Secret(blob) if (blob is not None and as_secret) else blob
        self._initial_config = dict(config) if config is not None else None
        self._initial_secret_keys = tuple(secret_keys)
        self._require_configure = require_configure
        self.call_timeout: float = call_timeout
        self.configured: ConfigureResult | None = None
        """The last `Configure` response (None before `configure`)."""

    def _handshake(self) -> None:
        # Like the engine: GetPluginInfo first (proves the server answers), then Configure.
        self.plugin_info()
        if self._initial_config is not None:
            self.configure(self._initial_config, secret_keys=self._initial_secret_keys)

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
            **addressed(urn),
            olds=self._struct(olds, keep_unknowns=preview, add_provider=bool(olds)),
            news=self._struct(news, keep_unknowns=preview),
            randomSeed=random_seed or os.urandom(32),
        )
        response = self._call("Check", request)
        inputs, provider = split_provider(from_struct(response.inputs))
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
            **addressed(urn),
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
            properties, provider = split_provider(dict(props))
            return CreateResult(id="", properties=properties, provider=provider, rpc_called=False)
        request = proto.CreateRequest(
            **addressed(urn),
            properties=self._struct(props, keep_unknowns=preview),
            timeout=timeout,
            preview=preview,
        )
        response = self._call("Create", request)
        properties, provider = split_provider(from_struct(response.properties))
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
            **addressed(urn),
            properties=self._struct(props, keep_unknowns=False, add_provider=bool(props)),
            inputs=self._struct(inputs, keep_unknowns=False) if inputs is not None else None,
        )
        response = self._call("Read", request)
        properties, provider = split_provider(from_struct(response.properties))
        new_inputs = None
        if response.HasField("inputs"):
            new_inputs, _ = split_provider(from_struct(response.inputs))
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
            properties, provider = split_provider(dict(news))
            return UpdateResult(properties=properties, provider=provider, rpc_called=False)
        request = proto.UpdateRequest(
            id=id_,
            **addressed(urn),
            olds=self._struct(olds, keep_unknowns=False),
            news=self._struct(news, keep_unknowns=preview),
            old_inputs=self._struct(old_inputs if old_inputs is not None else olds, keep_unknowns=False),
            ignoreChanges=list(ignore_changes),
            preview=preview,
            timeout=timeout,
        )
        response = self._call("Update", request)
        properties, provider = split_provider(from_struct(response.properties))
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
            **addressed(urn),
            properties=self._struct(props, keep_unknowns=False),
            old_inputs=self._struct(old_inputs if old_inputs is not None else props, keep_unknowns=False),
            timeout=timeout,
        )
        self._call("Delete", request)
