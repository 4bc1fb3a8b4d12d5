"""Security properties of the client and the provider.

- The management key never travels in clear text to a non-loopback host: plain http is refused.
- The key never follows a redirect: nothing is sent to the host a redirect points at.
- The key appears in no error message (whatever the server echoes back), in no emulator request-log
  entry and in nothing the plugin prints.
- Tenant outputs are exactly the documented properties and carry nothing secret.
"""

from __future__ import annotations

import json
import socket
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer, FaultConfig, Quota
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
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
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, SettingsError
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest
from pulumi_descope_dynamic_provider.tenant import TenantError, TenantProvider

from tests.harness import DynamicPlugin, PluginError, dynamic_type, urn_for
from tests.harness.fixtures import PluginFactory
from tests.support.clock import FakeClock

PROJECT = "P2securityprobe"
# Random-looking, so that any 8 characters of it showing up anywhere can only be a leak.
KEY = "K2Sxq7RmV4tLp9WcZ3nB8yHdJ6fG"
WRONG_KEY = "K2wrongUu5Tz1Qe8Nr4Ys7Mk2Vb"
CLEAN_ENV = {
    name: ""
    for name in (
        "DESCOPE_PROJECT_ID",
        "DESCOPE_MANAGEMENT_KEY",
        "DESCOPE_BASE_URL",
        "DESCOPE_BASE_URI",
        "DESCOPE_RATE_LIMIT",
    )
}
TYPE = dynamic_type("descope", "Tenant")

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


def leaked_fragments(text: str, secret: str = KEY, width: int = 8) -> list[str]:
    """Every `width`-character piece of `secret` found in `text` (a cut-off key leaks too)."""
    pieces = {secret[i : i + width] for i in range(len(secret) - width + 1)}
    return sorted(piece for piece in pieces if piece in text)


def exception_texts(exc: BaseException) -> list[str]:
    """Everything a user could see of an error: str, repr, the printed traceback, and the same for
    the errors it carries (cause, last_error, and the context unless `raise ... from None` hid it,
    as a printed traceback does)."""
    texts: list[str] = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), str(getattr(current, "message", ""))]
        context = None if current.__suppress_context__ else current.__context__
        pending += [current.__cause__, context, getattr(current, "last_error", None)]
    return texts


def assert_no_key(*texts: str, secrets: tuple[str, ...] = (KEY,)) -> None:
    for text in texts:
        for secret in secrets:
            assert not leaked_fragments(text, secret), f"key fragment in: {text[:400]}"


def make_client(
    base_url: str,
    *,
    key: str = KEY,
    project: str = PROJECT,
    events: list[ClientEvent] | None = None,
    real_time: bool = False,
    **overrides: Any,
) -> DescopeClient:
    """A client whose retry waits cost no real time (one fake clock for its deadline, sleeper and
    limiter), unless `real_time` (for faults that take real time, such as a server that hangs)."""
    settings = ClientSettings(
        project_id=project, management_key=key, base_url=base_url, rate_limit=None, **overrides
    )
    sink = events.append if events is not None else None
    if real_time:
        return DescopeClient(settings, rate_limiter=UnlimitedRateLimiter(), on_event=sink)
    fake = FakeClock()
    return DescopeClient(
        settings,
        rate_limiter=UnlimitedRateLimiter(clock=fake, sleeper=fake.sleep),
        clock=fake,
        sleeper=fake.sleep,
        on_event=sink,
    )


# ---- a tiny stdlib HTTP server for answers the emulator does not give -----------------------------

Responder = Callable[["SeenRequest"], tuple[int, dict[str, str], bytes]]


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StubServer:
    """Answers every request with `responder(request)` and records what it saw."""

    host: str
    responder: Responder
    seen: list[SeenRequest] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None

    def start(self) -> StubServer:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = SeenRequest(
                    self.command, self.path, dict(self.headers.items()), self.rfile.read(length)
                )
                stub.seen.append(request)
                status, headers, body = stub.responder(request)
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer((self.host, 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


@pytest.fixture
def stub_servers() -> Iterator[Callable[[str, Responder], StubServer]]:
    started: list[StubServer] = []

    def start(host: str, responder: Responder) -> StubServer:
        server = StubServer(host, responder).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def other_loopback_host() -> str:
    """127.0.0.2 is another host on the loopback range (Linux routes all of 127/8 to lo); where it
    cannot be bound, `localhost` is another host *by name* for the client and for requests."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.2", 0))
        except OSError:
            return "localhost"
    return "127.0.0.2"


def ok_json(payload: Any) -> Responder:
    body = json.dumps(payload).encode()
    return lambda request: (200, {"Content-Type": "application/json"}, body)


# ---- plain http is refused except on loopback ------------------------------------------------------

NON_LOOPBACK_HTTP = [
    "http://example.com",
    "http://api.descope.com",
    "http://10.0.0.1:8080",
    "http://192.168.1.10",
    "http://[2001:db8::1]:80",
    "http://127.0.0.1.nip.io",
    "http://localhost.example.com",
    "http://127.0.0.1@example.com",
    "http://user:pass@example.com/",
]


@pytest.mark.parametrize("url", NON_LOOPBACK_HTTP)
def test_plain_http_to_a_non_loopback_host_is_refused(url: str) -> None:
    with pytest.raises(SettingsError) as info:
        ClientSettings(project_id=PROJECT, management_key=KEY, base_url=url)
    message = str(info.value)
    assert "https" in message and "descope:baseUrl" in message
    assert_no_key(message)


@pytest.mark.parametrize("url", NON_LOOPBACK_HTTP[:3])
def test_plain_http_from_the_environment_is_refused(url: str) -> None:
    env = {"DESCOPE_PROJECT_ID": PROJECT, "DESCOPE_MANAGEMENT_KEY": KEY, "DESCOPE_BASE_URL": url}
    with pytest.raises(SettingsError, match="https"):
        ClientSettings.resolve({}, env)


@pytest.mark.parametrize(
    "url",
    ["https://example.com", "http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "http://127.0.0.2"],
)
def test_https_anywhere_and_plain_http_on_loopback_are_allowed(url: str) -> None:
    assert ClientSettings(project_id=PROJECT, management_key=KEY, base_url=url).base_url == url


def test_provider_configured_with_plain_http_fails_naming_https() -> None:
    provider = TenantProvider()
    config = {
        "descope:projectId": PROJECT,
        "descope:managementKey": KEY,
        "descope:baseUrl": "http://example.com",
    }
    provider.configure(ConfigureRequest(Config(config, "proj")))
    assert provider.check({}, {"name": "Acme"}).failures == []  # preview needs no connection
    for callback in (
        lambda: provider.create({"name": "Acme"}),
        lambda: provider.read("acme", {"name": "Acme"}),
        lambda: provider.delete("acme", {"name": "Acme"}),
    ):
        with pytest.raises(TenantError) as info:
            callback()
        message = str(info.value)
        assert "https" in message and "http://example.com" in message and "descope:baseUrl" in message
        assert_no_key(*exception_texts(info.value))


def test_plugin_configured_with_plain_http_fails_naming_https(running_plugin: PluginFactory) -> None:
    plugin = running_plugin(
        _PROVIDER,
        config={
            "descope:projectId": PROJECT,
            "descope:managementKey": KEY,
            "descope:baseUrl": "http://example.com",
        },
        secret_keys=["descope:managementKey"],
        env=CLEAN_ENV,
    )
    urn = urn_for(TYPE, "acme")
    inputs, failures = plugin.check(urn, {}, {"name": "Acme"})
    assert failures == []
    with pytest.raises(PluginError) as info:
        plugin.create(urn, inputs)
    assert "https" in info.value.summary and "descope:baseUrl" in info.value.summary
    assert_no_key(info.value.message, plugin.logs())


# ---- redirects are never followed ----------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("operation", ["load", "create"])
def test_a_redirect_to_another_host_is_not_followed(
    stub_servers: Callable[[str, Responder], StubServer], status: int, operation: str
) -> None:
    # The target would answer like Descope, so following the redirect would "work".
    target = stub_servers(other_loopback_host(), ok_json({"tenants": [], "id": "stolen"}))

    def redirect(request: SeenRequest) -> tuple[int, dict[str, str], bytes]:
        return status, {"Location": f"{target.url}{request.path}"}, b""

    origin = stub_servers("127.0.0.1", redirect)
    client = make_client(origin.url)
    with pytest.raises(DescopeError) as info:
        if operation == "load":
            client.load_all_tenants()
        else:
            client.create_tenant(TenantRequest(id="acme", name="Acme"))

    assert target.seen == [], "the redirect target must receive nothing (no key, no replayed write)"
    assert len(origin.seen) == 1, "a redirect is not retried"
    assert origin.seen[0].headers.get("Authorization") == f"Bearer {PROJECT}:{KEY}"
    message = str(info.value)
    assert "redirect" in message and target.url in message and "descope:baseUrl" in message
    assert info.value.status == status
    assert_no_key(*exception_texts(info.value))

    # Control: the target does record what reaches it.
    requests.get(target.url + "/probe", timeout=5)
    assert [seen.path for seen in target.seen] == ["/probe"]


# ---- whatever the server echoes, the key is redacted from messages --------------------------------


def echo(status: int, template: str, content_type: str = "text/plain", **headers: str) -> Responder:
    """Answers with the request's Authorization header (project:key) put into the body or headers."""

    def respond(request: SeenRequest) -> tuple[int, dict[str, str], bytes]:
        auth = request.headers.get("Authorization", "")
        extra = {name.replace("_", "-"): value.format(auth=auth) for name, value in headers.items()}
        return status, {"Content-Type": content_type, **extra}, template.format(auth=auth).encode()

    return respond


PAD = "x" * 165  # puts the echoed key across the 200-character cut of message excerpts
REDACTED = "[REDACTED]"
AT_CUT = f"Bearer {PROJECT}:"  # the excerpt reaches the key and stops: nothing of it may follow


@pytest.mark.parametrize(
    ("responder", "error_type", "quoted"),
    [
        # A read is retried through answers it cannot read, until the deadline.
        (echo(200, "{auth}"), DeadlineExceededError, REDACTED),
        (echo(200, PAD + " {auth}"), DeadlineExceededError, AT_CUT),
        (echo(200, '{{"tenants": "{auth}"}}', "application/json"), DeadlineExceededError, None),
        (
            echo(400, '{{"errorCode": "E011004", "errorMessage": "bad {auth}"}}', "application/json"),
            InvalidArgumentError,
            REDACTED,
        ),
        (echo(400, PAD + " {auth}"), InvalidArgumentError, AT_CUT),
        (
            echo(401, '{{"errorMessage": "token {auth} refused"}}', "application/json"),
            UnauthorizedError,
            REDACTED,
        ),
        (echo(404, "<h1>no such page for {auth}</h1>", "text/html"), DescopeError, REDACTED),
        (echo(409, "duplicate: {auth}"), AlreadyExistsError, REDACTED),
        (echo(502, PAD + " {auth}</html>", "text/html"), DeadlineExceededError, AT_CUT),
        (echo(429, "slow down {auth}", Retry_After="600"), DeadlineExceededError, REDACTED),
        (echo(307, "", Location="https://elsewhere.example/?stolen={auth}"), DescopeError, REDACTED),
    ],
    ids=[
        "200-text",
        "200-text-at-cut",
        "200-wrong-shape",
        "400-json",
        "400-text-at-cut",
        "401-json",
        "404-html",
        "409-text",
        "502-html-at-cut",
        "429",
        "redirect-location",
    ],
)
def test_a_key_echoed_by_the_server_is_redacted_from_every_message(
    stub_servers: Callable[[str, Responder], StubServer],
    responder: Responder,
    error_type: type[DescopeError],
    quoted: str | None,
) -> None:
    server = stub_servers("127.0.0.1", responder)
    events: list[ClientEvent] = []
    client = make_client(server.url, events=events, call_deadline_seconds=30)
    with pytest.raises(DescopeError) as info:
        client.load_all_tenants()
    assert type(info.value) is error_type
    texts = exception_texts(info.value) + [event.message for event in events]
    assert_no_key(*texts)
    assert server.seen and all(seen.headers["Authorization"].endswith(KEY) for seen in server.seen)
    if quoted:  # the message quotes the answer up to (or including) the redacted key
        assert any(quoted in text for text in texts), texts[0][-400:]


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
    sdk_outputs = {
        name for name, hint in Tenant.__annotations__.items() if str(hint).startswith("pulumi.Output")
    }
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
