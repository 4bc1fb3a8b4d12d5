"""Unit tests of DescopeClient over mocked HTTP (`responses`): the retry policy (429, 5xx, network
errors, deadlines), creates that never duplicate a tenant, and the key kept out of errors, events and
pickles; with an injected clock and sleeper so nothing really sleeps."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses
import urllib3
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    InvalidArgumentError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest
from responses import matchers

from tests.support.clock import FakeClock
from tests.unit._client_shared import (
    BASE,
    KEY,
    PROJECT,
    TENANT_JSON,
    RecordingLimiter,
    error_body,
)

# ---- retries ------------------------------------------------------------------------------------


@responses.activate
def test_429_waits_exactly_retry_after_plus_bounded_jitter_and_pauses_the_shared_limiter(
    client: DescopeClient, clock: FakeClock, limiter: RecordingLimiter, events: list[ClientEvent]
) -> None:
    responses.get(
        f"{BASE}/v1/mgmt/tenant/all",
        status=429,
        json=error_body("E130429", "Rate limit exceeded"),
        headers={"Retry-After": "31"},
    )
    responses.get(f"{BASE}/v1/mgmt/tenant/all", json={"tenants": []})
    assert client.load_all_tenants() == []
    assert len(clock.sleeps) == 1
    assert 31 <= clock.sleeps[0] <= 31.25
    assert limiter.pauses == [31]
    assert limiter.acquired == 2  # one token per attempt, retries included
    assert any("retrying in 31" in e.message and e.wait_seconds >= 31 for e in events)


@responses.activate
def test_429_without_retry_after_backs_off_exponentially(client: DescopeClient, clock: FakeClock) -> None:
    for _ in range(3):
        responses.get(f"{BASE}/v1/mgmt/tenant/all", status=429, json=error_body("E130429", "Rate limit"))
    responses.get(f"{BASE}/v1/mgmt/tenant/all", json={"tenants": []})
    client.load_all_tenants()
    assert len(clock.sleeps) == 3
    assert all(0 <= s <= 0.5 * 2**i for i, s in enumerate(clock.sleeps))


@pytest.mark.parametrize("status", [500, 502, 503, 520, 522, 524, 530])
@responses.activate
def test_5xx_is_retried_with_full_jitter(client: DescopeClient, clock: FakeClock, status: int) -> None:
    responses.get(f"{BASE}/v1/mgmt/tenant", status=status, body="upstream trouble")
    responses.get(f"{BASE}/v1/mgmt/tenant", status=status, json=error_body("E000", "oops"))
    responses.get(f"{BASE}/v1/mgmt/tenant", json=TENANT_JSON)
    assert client.load_tenant("acme").id == "acme"
    assert len(clock.sleeps) == 2
    assert 0 <= clock.sleeps[0] <= 0.5 and 0 <= clock.sleeps[1] <= 1.0


def test_full_jitter_stays_within_the_exponential_ceiling(client: DescopeClient) -> None:
    from pulumi_descope_dynamic_provider.api.retry import BACKOFF_MAX_SECONDS

    policy = client.retry_policy
    delays = [policy.next_wait(backoff, None, client._rng.random()) for backoff in range(1, 13)]
    for attempt, delay in enumerate(delays):
        assert 0 <= delay <= min(BACKOFF_MAX_SECONDS, 0.5 * 2**attempt)
    assert len(set(delays)) > 1  # jittered, not fixed


@responses.activate
def test_network_errors_on_idempotent_calls_are_retried(client: DescopeClient, clock: FakeClock) -> None:
    responses.patch(f"{BASE}/v1/mgmt/tenant/patch", body=requests.exceptions.ConnectionError("reset by peer"))
    responses.patch(f"{BASE}/v1/mgmt/tenant/patch", body=requests.exceptions.ReadTimeout("read timed out"))
    responses.patch(f"{BASE}/v1/mgmt/tenant/patch", body="")
    client.patch_tenant("acme", {"name": "Acme"})
    assert len(responses.calls) == 3


@responses.activate
def test_deadline_ends_a_call_that_keeps_failing(client: DescopeClient, clock: FakeClock) -> None:
    responses.get(f"{BASE}/v1/mgmt/tenant/all", status=503, body="busy")
    with pytest.raises(DeadlineExceededError) as info:
        client.load_all_tenants()
    assert clock.now - 1000.0 <= 120
    assert isinstance(info.value.last_error, ServerError)
    assert "descope:callDeadline" in str(info.value)


@responses.activate
def test_retry_after_beyond_the_deadline_gives_up_at_once(client: DescopeClient, clock: FakeClock) -> None:
    responses.get(
        f"{BASE}/v1/mgmt/tenant/all",
        status=429,
        json=error_body("E130429", "slow down"),
        headers={"Retry-After": "500"},
    )
    with pytest.raises(DeadlineExceededError) as info:
        client.load_all_tenants()
    assert clock.sleeps == []
    assert isinstance(info.value.last_error, RateLimitedError)
    assert info.value.last_error.retry_after == 500


@responses.activate
def test_limiter_timeout_becomes_a_deadline_error(clock: FakeClock) -> None:
    class ExhaustedLimiter(RecordingLimiter):
        def acquire(self, timeout: float | None = None, on_wait: Any = None, path: str = "") -> None:
            raise TimeoutError("no capacity")

    settings = ClientSettings(project_id=PROJECT, management_key=KEY, base_url=BASE)
    client = DescopeClient(settings, rate_limiter=ExhaustedLimiter(), clock=clock, sleeper=clock.sleep)
    with pytest.raises(DeadlineExceededError, match="no capacity"):
        client.load_all_tenants()
    assert len(responses.calls) == 0


@responses.activate
def test_non_retryable_errors_are_not_retried(client: DescopeClient, clock: FakeClock) -> None:
    responses.post(f"{BASE}/v1/mgmt/tenant/create", status=400, json=error_body("E011004", "Invalid domain"))
    with pytest.raises(InvalidArgumentError, match="Invalid domain"):
        client.create_tenant(TenantRequest(name="x"))
    assert len(responses.calls) == 1 and clock.sleeps == []


# ---- create never duplicates --------------------------------------------------------------------


@responses.activate
def test_ambiguous_create_with_id_looks_up_and_adopts_instead_of_reposting(
    client: DescopeClient, events: list[ClientEvent]
) -> None:
    responses.post(
        f"{BASE}/v1/mgmt/tenant/create", body=requests.exceptions.ConnectionError("connection reset")
    )
    responses.get(
        f"{BASE}/v1/mgmt/tenant",
        json={"id": "acme", "name": "Acme", "selfProvisioningDomains": ["acme.com"], "createdTime": 1},
    )
    tenant_id = client.create_tenant(
        TenantRequest(id="acme", name="Acme", self_provisioning_domains=["acme.com"])
    )
    assert tenant_id == "acme"
    creates = [c for c in responses.calls if c.request.url.endswith("/create")]
    assert len(creates) == 1  # never re-posted
    assert any("adopting" in e.message for e in events)


@responses.activate
def test_ambiguous_create_without_id_looks_up_by_name(client: DescopeClient) -> None:
    responses.post(f"{BASE}/v1/mgmt/tenant/create", status=524, body="timeout")
    responses.post(
        f"{BASE}/v1/mgmt/tenant/search",
        json={"tenants": [{"id": "T2gen", "name": "Gen"}]},
        match=[matchers.json_params_matcher({"tenantNames": ["Gen"]})],
    )
    assert client.create_tenant(TenantRequest(name="Gen")) == "T2gen"
    assert sum(c.request.url.endswith("/create") for c in responses.calls) == 1


@responses.activate
def test_ambiguous_create_that_did_not_commit_is_sent_again(client: DescopeClient) -> None:
    responses.post(f"{BASE}/v1/mgmt/tenant/create", body=requests.exceptions.ReadTimeout("timed out"))
    responses.get(f"{BASE}/v1/mgmt/tenant", status=404, json=error_body("E112202", "Tenant not found"))
    responses.post(f"{BASE}/v1/mgmt/tenant/create", json={"id": "acme"})
    assert client.create_tenant(TenantRequest(id="acme", name="Acme")) == "acme"
    assert sum(c.request.url.endswith("/create") for c in responses.calls) == 2


@responses.activate
def test_retry_meeting_already_exists_after_an_ambiguous_attempt_adopts(client: DescopeClient) -> None:
    # The first create committed late: the lookup misses it, the re-post says "already exists".
    responses.post(f"{BASE}/v1/mgmt/tenant/create", status=503, body="busy")
    responses.post(f"{BASE}/v1/mgmt/tenant/search", json={"tenants": []})
    responses.post(
        f"{BASE}/v1/mgmt/tenant/create", status=400, json=error_body("E011004", "Tenant name already exists")
    )
    responses.post(f"{BASE}/v1/mgmt/tenant/search", json={"tenants": [{"id": "T2late", "name": "Late"}]})
    assert client.create_tenant(TenantRequest(name="Late")) == "T2late"


@responses.activate
def test_ambiguous_create_finding_a_different_tenant_refuses_to_adopt(client: DescopeClient) -> None:
    responses.post(f"{BASE}/v1/mgmt/tenant/create", body=requests.exceptions.ConnectionError("reset"))
    responses.get(f"{BASE}/v1/mgmt/tenant", json={"id": "acme", "name": "Somebody else's"})
    with pytest.raises(AlreadyExistsError, match="differs from what was sent"):
        client.create_tenant(TenantRequest(id="acme", name="Acme"))


@responses.activate
def test_create_that_never_connected_is_resent_without_a_lookup(client: DescopeClient) -> None:
    refused = urllib3.exceptions.MaxRetryError(
        pool=None,  # type: ignore[arg-type]
        url="/v1/mgmt/tenant/create",
        reason=urllib3.exceptions.NewConnectionError(None, "connection refused"),  # type: ignore[arg-type]
    )
    responses.post(f"{BASE}/v1/mgmt/tenant/create", body=requests.exceptions.ConnectionError(refused))
    responses.post(f"{BASE}/v1/mgmt/tenant/create", json={"id": "acme"})
    assert client.create_tenant(TenantRequest(id="acme", name="Acme")) == "acme"
    assert [c.request.method for c in responses.calls] == ["POST", "POST"]


@responses.activate
def test_plain_already_exists_is_not_adopted(client: DescopeClient) -> None:
    responses.post(
        f"{BASE}/v1/mgmt/tenant/create", status=400, json=error_body("E011004", "Tenant already exists")
    )
    with pytest.raises(AlreadyExistsError):
        client.create_tenant(TenantRequest(id="acme", name="Acme"))
    assert len(responses.calls) == 1


# ---- secrets ------------------------------------------------------------------------------------


@responses.activate
def test_key_never_appears_in_any_error_or_event(client: DescopeClient, events: list[ClientEvent]) -> None:
    responses.get(
        f"{BASE}/v1/mgmt/tenant/all", status=503, body=f"proxy saw Authorization: Bearer {PROJECT}:{KEY}"
    )
    responses.get(f"{BASE}/v1/mgmt/tenant/all", body=requests.exceptions.ConnectionError(f"oops {KEY}"))
    responses.get(f"{BASE}/v1/mgmt/tenant/all", status=400, json=error_body("E011004", f"bad {KEY}"))
    with pytest.raises(InvalidArgumentError) as info:
        client.load_all_tenants()
    assert KEY not in str(info.value)
    assert events and all(KEY not in e.message for e in events)


def test_client_refuses_to_be_pickled_and_hides_the_key(client: DescopeClient) -> None:
    import pickle

    with pytest.raises(TypeError, match="never be pickled"):
        pickle.dumps(client)
    assert KEY not in repr(client)
    assert KEY not in repr(client._session.auth)


def test_network_error_records_whether_the_request_was_sent() -> None:
    err = NetworkError("x", request_sent=False)
    assert err.retryable and err.request_sent is False


@responses.activate
def test_an_unreachable_server_fails_fast_naming_the_setting(client: DescopeClient, clock: FakeClock) -> None:
    refused = urllib3.exceptions.MaxRetryError(
        pool=None,  # type: ignore[arg-type]
        url="/v1/mgmt/tenant/all",
        reason=urllib3.exceptions.NewConnectionError(None, "connection refused"),  # type: ignore[arg-type]
    )
    responses.get(f"{BASE}/v1/mgmt/tenant/all", body=requests.exceptions.ConnectionError(refused))
    with pytest.raises(DeadlineExceededError, match="descope:baseUrl") as info:
        client.load_all_tenants()
    assert 30 <= clock.now - 1000.0 < 60  # well before the 120 s call deadline
    assert isinstance(info.value.last_error, NetworkError)


@responses.activate
def test_a_404_that_is_not_descopes_tenant_not_found_is_never_read_as_gone(client: DescopeClient) -> None:
    # A wrong base URL or a proxy answers 404 too; taking that for "gone" would make a refresh drop
    # tenants that exist and a destroy report success while deleting nothing.
    responses.get(f"{BASE}/v1/mgmt/tenant/all", status=404, body="404 page not found")
    responses.post(f"{BASE}/v1/mgmt/tenant/delete", status=404, json=error_body("E000404", "No route"))
    with pytest.raises(Exception, match="descope:baseUrl") as info:
        client.load_all_tenants()
    assert not isinstance(info.value, NotFoundError)
    with pytest.raises(Exception, match="descope:baseUrl"):
        client.delete_tenant("acme")


def test_integral_numbers_in_custom_attributes_go_out_as_integers() -> None:
    request = TenantRequest(name="A", custom_attributes={"seats": 300.0, "ratio": 0.5, "ids": [1.0, 2.5]})
    assert request.to_wire()["customAttributes"] == {"ids": [1, 2.5], "ratio": 0.5, "seats": 300}
    assert isinstance(request.to_wire()["customAttributes"]["seats"], int)
