"""Security properties of the client on the wire.

- The management key never travels in clear text to a non-loopback host: plain http is refused.
- The key never follows a redirect: nothing is sent to the host a redirect points at.
- Whatever the server echoes back, the key is redacted from every error message.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_descope_dynamic.tenant import _PROVIDER
from pulumi_descope_dynamic_provider.api.client import ClientEvent
from pulumi_descope_dynamic_provider.api.errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    DescopeError,
    InvalidArgumentError,
    UnauthorizedError,
)
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, SettingsError
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest
from pulumi_descope_dynamic_provider.tenant import TenantError, TenantProvider

from tests.harness import CLEAN_ENV, PluginError, urn_for
from tests.harness.fixtures import PluginFactory
from tests.reliability._security_shared import (
    KEY,
    PROJECT,
    TYPE,
    assert_no_key,
    exception_texts,
    make_client,
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
