"""The license handshake as the official SDKs do it (docs/api-notes/license.md): one
GET /v1/mgmt/license per client before its first management request, its tier in x-descope-license
on every request after it; on failure a warning and no header, never a retry. The emulator gives the
tier its own quota, so the header is what lets a higher tier's customer use it."""

from __future__ import annotations

import random

import pytest
import requests
from descope_emulator import EmulatorServer, Quota
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

pytestmark = pytest.mark.usefixtures("license_handshake")


def client_of(server: EmulatorServer, events: list[ClientEvent] | None = None) -> DescopeClient:
    settings = ClientSettings(
        project_id=server.project_id, management_key=server.management_key, base_url=server.url
    )
    return DescopeClient(
        settings,
        rate_limiter=UnlimitedRateLimiter(),
        sleeper=lambda _: None,
        rng=random.Random(3),
        on_event=None if events is None else events.append,
    )


def test_one_handshake_per_client_then_the_tier_on_every_request() -> None:
    with EmulatorServer(license_tier="tier3") as server:
        client = client_of(server)
        client.create_tenant(TenantRequest(name="a"))
        client.create_tenant(TenantRequest(name="b"))
        client.load_all_tenants()
        log = server.requests()
    assert [(r["method"], r["path"]) for r in log][:2] == [
        ("GET", "/v1/mgmt/license"),
        ("POST", "/v1/mgmt/tenant/create"),
    ]
    assert sum(r["path"] == "/v1/mgmt/license" for r in log) == 1
    assert "x-descope-license" not in {k.lower() for k in log[0]["headers"]}
    for entry in log[1:]:
        headers = {k.lower(): v for k, v in entry["headers"].items()}
        assert headers["x-descope-license"] == "tier3"
    assert client.rate_limit_tier == "tier3"


@pytest.mark.parametrize("status", [500, 503])
def test_a_failed_handshake_is_a_warning_and_requests_go_without_the_header(status: int) -> None:
    events: list[ClientEvent] = []
    with EmulatorServer(license_tier="tier2") as server:
        server.queue_fault("error", method="GET", path="/v1/mgmt/license", status=status)
        client = client_of(server, events)
        client.create_tenant(TenantRequest(name="a"))
        client.load_all_tenants()
        log = server.requests()
    assert sum(r["path"] == "/v1/mgmt/license" for r in log) == 1  # never retried, as the SDKs do
    assert all("x-descope-license" not in {k.lower() for k in r["headers"]} for r in log)
    assert [e.message for e in events if e.operation == "license handshake"] == [
        f"answered HTTP {status}; continuing without x-descope-license"
    ]
    assert client.rate_limit_tier is None


def test_an_unreachable_handshake_does_not_fail_the_client() -> None:
    events: list[ClientEvent] = []
    with EmulatorServer() as server:
        server.queue_fault("reset", method="GET", path="/v1/mgmt/license")
        client = client_of(server, events)
        client.create_tenant(TenantRequest(name="a"))
        assert any(e.operation == "license handshake" and "failed" in e.message for e in events)
        assert client.load_all_tenants()[0].name == "a"


def _raw(server: EmulatorServer, tier: str | None) -> int:
    headers = {"Authorization": f"Bearer {server.project_id}:{server.management_key}"}
    if tier:
        headers["x-descope-license"] = tier
    return requests.get(server.url + "/v1/mgmt/tenant/all", headers=headers, timeout=10).status_code


def test_the_emulator_gives_the_projects_tier_its_own_quota() -> None:
    """tier2 is twice the default quota (the emulator's choice): 10 requests per minute with the
    header, 5 without it or with a tier the project does not have."""
    with EmulatorServer(quota=Quota(5, 60), license_tier="tier2") as server:
        assert [_raw(server, "tier2") for _ in range(10)] == [200] * 10
        assert _raw(server, "tier2") == 429
    with EmulatorServer(quota=Quota(5, 60), license_tier="tier2") as server:
        assert [_raw(server, None) for _ in range(5)] == [200] * 5
        assert _raw(server, None) == 429
        assert _raw(server, "tier4") == 429  # not the project's tier: the default limits


def test_the_emulator_limits_user_paths_per_project_on_top_of_the_quota() -> None:
    with EmulatorServer(quota=Quota(3, 60)) as server:
        headers = {"Authorization": f"Bearer {server.project_id}:{server.management_key}"}
        statuses = [
            requests.post(
                server.url + "/v1/mgmt/user/create", json={}, headers=headers, timeout=10
            ).status_code
            for _ in range(4)
        ]
    assert statuses[:3] != [429] * 3 and statuses[3] == 429


def test_a_client_with_the_handshake_uses_its_tiers_quota_without_429s() -> None:
    with EmulatorServer(quota=Quota(4, 60), license_tier="tier3") as server:
        client = client_of(server)
        for index in range(12):  # 13 requests with the handshake: over 4/60, under 5 x 4/60
            client.create_tenant(TenantRequest(name=f"t{index}"))
        assert server.stats()["rate_limited"] == 0


def test_a_handshake_met_with_429_is_not_retried_but_its_retry_after_holds_the_next_request() -> None:
    events: list[ClientEvent] = []
    with EmulatorServer(quota=Quota(1, 2)) as server:
        assert _raw(server, None) == 200  # the quota's one request of this window is gone
        settings = ClientSettings(
            project_id=server.project_id, management_key=server.management_key, base_url=server.url
        )
        client = DescopeClient(settings, rate_limiter=UnlimitedRateLimiter(), on_event=events.append)
        client.create_tenant(TenantRequest(name="a"))
        log = server.requests()
    assert [(r["path"], r["status"]) for r in log] == [
        ("/v1/mgmt/tenant/all", 200),
        ("/v1/mgmt/license", 429),
        ("/v1/mgmt/tenant/create", 200),  # sent after the Retry-After, so not refused
    ]
    assert any(e.message == "answered HTTP 429; continuing without x-descope-license" for e in events)
