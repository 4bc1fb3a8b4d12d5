"""Security properties of the client and the provider: nothing secret leaks.

- The key appears in no error message on any error path, in no emulator request-log entry and in
  nothing the plugin prints.
- Tenant outputs are exactly the documented properties and carry nothing secret.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, get_origin

import pulumi
import pytest
from descope_emulator import EmulatorServer, FaultConfig, Quota
from pulumi_descope_dynamic.tenant import _PROVIDER, Tenant
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    DescopeError,
    InvalidArgumentError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
)
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

from tests.harness import CLEAN_ENV, DynamicPlugin, PluginError, urn_for
from tests.harness.fixtures import PluginFactory
from tests.reliability._security_shared import (
    KEY,
    PROJECT,
    TYPE,
    assert_no_key,
    exception_texts,
    make_client,
)
from tests.support.clock import FakeClock

WRONG_KEY = "K2wrongUu5Tz1Qe8Nr4Ys7Mk2Vb"

# The properties a Tenant has, as documented by the SDK class, plus the provider's bookkeeping.
DOCUMENTED_OUTPUTS = {
    "tenant_id",
    "name",
    "self_provisioning_domains",
    "custom_attributes",
    "enforce_sso",
    "enforce_sso_exclusions",
    "disabled",
    "parent_tenant_id",
    "role_inheritance",
    "default_roles",
    "federated_app_ids",
    "cascade_delete",
    "adopt",
    "created_time",
    "auth_type",
    "domains",
    "managed_inputs",
}


# ---- no error path puts the key in a message or the emulator's request log -----------------------


@dataclass
class ErrorCase:
    setup: Callable[[EmulatorServer], None]
    call: Callable[[DescopeClient], object]
    expected: type[DescopeError]
    inner: type[DescopeError] | None = None  # DeadlineExceededError.last_error
    client_options: dict[str, Any] = field(default_factory=dict)
    key: str = KEY


def _seed_acme(server: EmulatorServer) -> None:
    server.state.create_tenant({"id": "acme", "name": "Acme", "selfProvisioningDomains": ["acme.com"]})


def _faults(**rates: float) -> Callable[[EmulatorServer], None]:
    return lambda server: server.set_faults(FaultConfig(**rates, hang_seconds=10))


def _queued(kind: str, count: int = 200, **options: Any) -> Callable[[EmulatorServer], None]:
    def setup(server: EmulatorServer) -> None:
        for _ in range(count):
            server.queue_fault(kind, **options)

    return setup


def _nothing(server: EmulatorServer) -> None:
    pass


def _create_acme(client: DescopeClient) -> object:
    return client.create_tenant(TenantRequest(id="acme", name="Acme"))


ERROR_CASES = {
    "unauthorized": ErrorCase(_nothing, lambda c: c.load_all_tenants(), UnauthorizedError, key=WRONG_KEY),
    "not-found": ErrorCase(_nothing, lambda c: c.load_tenant("nope"), NotFoundError),
    "already-exists": ErrorCase(_seed_acme, _create_acme, AlreadyExistsError),
    "invalid-argument": ErrorCase(
        _seed_acme, lambda c: c.update_default_roles("acme", ["nosuchrole"]), InvalidArgumentError
    ),
    "rate-limited": ErrorCase(
        lambda server: server.set_quota(Quota(1, 3600)),
        lambda c: [c.load_all_tenants(), c.load_all_tenants()],
        DeadlineExceededError,
        RateLimitedError,
    ),
    "5xx-json": ErrorCase(
        _queued("error", status=503, variant="json"), _create_acme, DeadlineExceededError, ServerError
    ),
    "5xx-text": ErrorCase(
        _queued("error", status=520, variant="text"), _create_acme, DeadlineExceededError, ServerError
    ),
    "5xx-html": ErrorCase(
        _queued("error", status=530, variant="html"), _create_acme, DeadlineExceededError, ServerError
    ),
    "reset": ErrorCase(_faults(reset_rate=1.0), _create_acme, DeadlineExceededError, NetworkError),
    "not-found-on-write": ErrorCase(
        _nothing, lambda c: c.patch_tenant("nope", {"name": "Nope"}), NotFoundError
    ),
    # The create's answer is unreadable, and so is every look-up that would settle it.
    "malformed-empty": ErrorCase(
        _queued("malformed", variant="empty"), _create_acme, DeadlineExceededError, MalformedResponseError
    ),
    "malformed-truncated": ErrorCase(
        _queued("malformed", variant="truncated"),
        lambda c: c.load_all_tenants(),
        DeadlineExceededError,
        MalformedResponseError,
    ),
    "malformed-html": ErrorCase(
        _queued("malformed", variant="html"), _create_acme, DeadlineExceededError, ServerError
    ),
    "hang": ErrorCase(
        _faults(hang_rate=1.0),
        lambda c: c.load_all_tenants(),
        DeadlineExceededError,
        NetworkError,
        {"real_time": True, "call_deadline_seconds": 1.0, "read_timeout_seconds": 0.4},
    ),
    "connection-refused": ErrorCase(
        _nothing, lambda c: c.load_all_tenants(), DeadlineExceededError, NetworkError
    ),
}


@pytest.fixture
def keyed_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(project_id=PROJECT, management_key=KEY, clock=FakeClock()) as server:
        yield server


@pytest.mark.parametrize("case", list(ERROR_CASES.values()), ids=list(ERROR_CASES))
def test_no_error_path_shows_the_key(keyed_emulator: EmulatorServer, case: ErrorCase) -> None:
    server = keyed_emulator
    case.setup(server)
    base_url = server.url
    if case is ERROR_CASES["connection-refused"]:
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            base_url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    events: list[ClientEvent] = []
    options = {"call_deadline_seconds": 60.0, **case.client_options}
    client = make_client(base_url, key=case.key, events=events, **options)
    try:
        with pytest.raises(DescopeError) as info:
            case.call(client)
    finally:
        client.close()

    assert isinstance(info.value, case.expected), repr(info.value)
    if case.inner is not None:
        assert isinstance(info.value, DeadlineExceededError)
        assert isinstance(info.value.last_error, case.inner), repr(info.value.last_error)
    secrets = (KEY, WRONG_KEY)
    assert_no_key(*exception_texts(info.value), *(event.message for event in events), secrets=secrets)
    assert_no_key(json.dumps(server.requests(), default=str), secrets=secrets)
    if base_url == server.url:
        log = server.requests()
        assert log, "the emulator saw the requests (so it had the key to leak)"
        assert all("x-descope-project-id" in {name.lower() for name in entry["headers"]} for entry in log)
        assert not any("authorization" in name.lower() for entry in log for name in entry["headers"])


def test_error_kinds_cover_every_client_error_type() -> None:
    """The cases above really reach each error the client raises (directly or as last_error)."""
    covered = {case.expected for case in ERROR_CASES.values()} | {
        case.inner for case in ERROR_CASES.values() if case.inner is not None
    }
    assert {
        UnauthorizedError,
        NotFoundError,
        AlreadyExistsError,
        InvalidArgumentError,
        MalformedResponseError,
        DeadlineExceededError,
        RateLimitedError,
        ServerError,
        NetworkError,
    } <= covered


# ---- the plugin prints nothing secret -------------------------------------------------------------


def _urn(name: str) -> str:
    return urn_for(TYPE, name)


def _plugin_for(running_plugin: PluginFactory, server: EmulatorServer, key: str = KEY) -> DynamicPlugin:
    return running_plugin(
        _PROVIDER,
        config={
            "descope:projectId": server.project_id,
            "descope:managementKey": key,
            "descope:baseUrl": server.url,
            "descope:rateLimit": "off",
        },
        secret_keys=["descope:managementKey"],
        env=CLEAN_ENV,
    )


def test_plugin_logs_and_errors_never_show_the_key(running_plugin: PluginFactory) -> None:
    with EmulatorServer(project_id=PROJECT, management_key=KEY) as server:
        plugin = _plugin_for(running_plugin, server)
        errors: list[str] = []

        # A successful lifecycle.
        news = {"name": "Acme", "tenant_id": "acme", "self_provisioning_domains": ["acme.com"]}
        inputs, failures = plugin.check(_urn("acme"), {}, news)
        assert failures == []
        created = plugin.create(_urn("acme"), inputs)
        read = plugin.read("acme", _urn("acme"), created.properties)
        changed, _ = plugin.check(_urn("acme"), inputs, {**news, "name": "Acme Inc"})
        updated = plugin.update("acme", _urn("acme"), created.properties, changed)

        # A failing create (duplicate name).
        dup, _ = plugin.check(_urn("dup"), {}, {"name": "Acme Inc"})
        with pytest.raises(PluginError) as duplicate:
            plugin.create(_urn("dup"), dup)
        assert "already exists" in duplicate.value.summary
        errors.append(duplicate.value.message)

        # A rate-limited create: the second of two creates within the quota's second meets a 429
        # and waits it out.
        server.set_quota(Quota(1, 1))
        limited, _ = plugin.check(_urn("beta"), {}, {"name": "Beta", "tenant_id": "beta"})
        beta = plugin.create(_urn("beta"), limited)
        limited, _ = plugin.check(_urn("gamma"), {}, {"name": "Gamma", "tenant_id": "gamma"})
        gamma = plugin.create(_urn("gamma"), limited)
        assert (beta.id, gamma.id) == ("beta", "gamma")
        assert server.stats()["rate_limited"] >= 1
        server.set_quota(None)

        plugin.delete("acme", _urn("acme"), updated.properties)
        plugin.delete("beta", _urn("beta"), beta.properties)
        plugin.delete("gamma", _urn("gamma"), gamma.properties)
        assert server.state.tenant_ids() == []

        # A plugin configured with a wrong key: the error names the setting, not the value.
        wrong = _plugin_for(running_plugin, server, key=WRONG_KEY)
        with pytest.raises(PluginError) as unauthorized:
            wrong.create(_urn("gamma"), {"name": "Gamma"})
        assert "descope:managementKey" in unauthorized.value.summary
        errors.append(unauthorized.value.message)

        logs = plugin.logs() + wrong.logs()
        assert "rate limited" in logs, "the rate-limit wait was logged (the path was exercised)"
        outputs = [created.properties, read.properties, updated.properties]
        assert_no_key(
            logs, *errors, json.dumps(outputs), json.dumps(server.requests()), secrets=(KEY, WRONG_KEY)
        )


# ---- outputs -------------------------------------------------------------------------------------


SECRET_LOOKING_NAME = ("secret", "password", "token", "key", "credential")


def test_tenant_outputs_are_exactly_the_documented_properties(running_plugin: PluginFactory) -> None:
    sdk_outputs = {name for name, hint in Tenant.__annotations__.items() if get_origin(hint) is pulumi.Output}
    assert sdk_outputs | {"managed_inputs"} == DOCUMENTED_OUTPUTS

    with EmulatorServer(project_id=PROJECT, management_key=KEY) as server:
        server.state.create_tenant({"id": "root", "name": "Root"})
        plugin = _plugin_for(running_plugin, server)
        # Every property set (the plugin leaves null outputs out of the wire struct).
        news = {
            "name": "Acme",
            "tenant_id": "acme",
            "parent_tenant_id": "root",
            "self_provisioning_domains": ["acme.com"],
            "custom_attributes": {"plan": "gold"},
            "default_roles": [],
        }
        inputs, _ = plugin.check(_urn("acme"), {}, news)
        created = plugin.create(_urn("acme"), inputs)
        read = plugin.read("acme", _urn("acme"), created.properties)
        # A create is one request: the created time (null, so left out) comes with the next read.
        assert set(created.properties) == DOCUMENTED_OUTPUTS - {"created_time"}
        assert set(read.properties) == DOCUMENTED_OUTPUTS
        for properties in (created.properties, read.properties):
            assert not [name for name in properties if any(word in name for word in SECRET_LOOKING_NAME)]
            flat = json.dumps(properties)
            assert "Bearer" not in flat and "managementKey" not in flat
            assert_no_key(flat)
        plugin.delete("acme", _urn("acme"), read.properties)
