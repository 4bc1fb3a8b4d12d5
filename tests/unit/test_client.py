"""Unit tests of DescopeClient over mocked HTTP (`responses`): paths, bodies, headers, error mapping
and the retry policy, with an injected clock and sleeper so nothing really sleeps."""

from __future__ import annotations

import random
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
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
)
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.tenant_settings import TenantSettings
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest, TenantSearch
from responses import matchers

from tests.support.clock import FakeClock

BASE = "https://api.descope.test"
KEY = "K2-unit-secret-key-0123456789"
PROJECT = "P2unit"


class RecordingLimiter:
    def __init__(self) -> None:
        self.acquired = 0
        self.pauses: list[float] = []
        self.timeouts: list[float | None] = []

    def acquire(self, timeout: float | None = None, on_wait: Any = None, path: str = "") -> None:
        self.acquired += 1
        self.timeouts.append(timeout)

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter() -> RecordingLimiter:
    return RecordingLimiter()


@pytest.fixture
def events() -> list[ClientEvent]:
    return []


@pytest.fixture
def client(clock: FakeClock, limiter: RecordingLimiter, events: list[ClientEvent]) -> DescopeClient:
    settings = ClientSettings(
        project_id=PROJECT, management_key=KEY, base_url=BASE, call_deadline_seconds=120
    )
    return DescopeClient(
        settings,
        rate_limiter=limiter,
        clock=clock,
        sleeper=clock.sleep,
        rng=random.Random(7),
        on_event=events.append,
    )


def error_body(code: str, description: str, message: str = "") -> dict[str, str]:
    return {"errorCode": code, "errorDescription": description, "errorMessage": message}


TENANT_JSON = {
    "id": "acme",
    "name": "Acme",
    "selfProvisioningDomains": ["acme.com"],
    "customAttributes": {"plan": "gold"},
    "enforceSSO": True,
    "enforceSSOExclusions": ["U1"],
    "disabled": False,
    "federatedAppIds": None,
    "roleInheritance": "userOnly",
    "parent": "",
    "createdTime": 1700000000,
    "authType": "saml",
    "domains": ["sso.acme.com"],
    "successors": [],
    "defaultRoles": ["viewer"],
}


# ---- paths, verbs, bodies, headers --------------------------------------------------------------


@responses.activate
def test_create_posts_every_field_in_camel_case_with_bearer_auth(client: DescopeClient) -> None:
    expected_body = {
        "id": "acme",
        "name": "Acme",
        "selfProvisioningDomains": ["acme.com"],
        "customAttributes": {"plan": "gold", "seats": 5},
        "enforceSSO": True,
        "enforceSSOExclusions": ["U1"],
        "disabled": True,
        "federatedAppIds": ["app1"],
        "roleInheritance": "none",
        "parent": "root",
    }
    responses.post(
        f"{BASE}/v1/mgmt/tenant/create",
        json={"id": "acme"},
        match=[
            matchers.json_params_matcher(expected_body),
            matchers.header_matcher(
                {
                    "Authorization": f"Bearer {PROJECT}:{KEY}",
                    "x-descope-project-id": PROJECT,
                    "x-descope-sdk-name": "pulumi-descope-dynamic",
                }
            ),
        ],
    )
    request = TenantRequest(
        id="acme",
        name="Acme",
        self_provisioning_domains=["acme.com"],
        custom_attributes={"plan": "gold", "seats": 5},
        enforce_sso=True,
        enforce_sso_exclusions=["U1"],
        disabled=True,
        federated_app_ids=["app1"],
        role_inheritance="none",
        parent="root",
    )
    assert client.create_tenant(request) == "acme"


@responses.activate
def test_create_without_id_sends_null_and_returns_the_generated_id(client: DescopeClient) -> None:
    responses.post(
        f"{BASE}/v1/mgmt/tenant/create",
        json={"id": "T2generated"},
        match=[matchers.json_params_matcher({"id": None, "name": "Gen"}, strict_match=False)],
    )
    assert client.create_tenant(TenantRequest(name="Gen")) == "T2generated"


@responses.activate
def test_load_uses_get_with_id_query_and_parses_a_flat_tenant(client: DescopeClient) -> None:
    responses.get(
        f"{BASE}/v1/mgmt/tenant", json=TENANT_JSON, match=[matchers.query_param_matcher({"id": "acme"})]
    )
    tenant = client.load_tenant("acme")
    assert tenant.enforce_sso is True and tenant.role_inheritance == "userOnly"
    assert tenant.federated_app_ids == [] and tenant.parent is None
    assert tenant.default_roles == ["viewer"] and tenant.domains == ["sso.acme.com"]


@responses.activate
def test_load_all_and_search(client: DescopeClient) -> None:
    responses.get(f"{BASE}/v1/mgmt/tenant/all", json={"tenants": [TENANT_JSON]})
    responses.post(
        f"{BASE}/v1/mgmt/tenant/search",
        json={"tenants": [TENANT_JSON]},
        match=[
            matchers.json_params_matcher(
                {"tenantNames": ["Acme"], "tenantSelfProvisioningDomains": ["acme.com"]}
            )
        ],
    )
    assert [t.id for t in client.load_all_tenants()] == ["acme"]
    found = client.search_tenants(
        TenantSearch(tenant_names=["Acme"], tenant_self_provisioning_domains=["acme.com"])
    )
    assert [t.name for t in found] == ["Acme"]


@responses.activate
def test_patch_sends_only_the_changed_fields(client: DescopeClient) -> None:
    responses.patch(
        f"{BASE}/v1/mgmt/tenant/patch",
        body="",
        match=[
            matchers.json_params_matcher(
                {"id": "acme", "name": "New", "enforceSSO": True, "selfProvisioningDomains": []}
            )
        ],
    )
    client.patch_tenant("acme", {"name": "New", "enforce_sso": True, "self_provisioning_domains": []})
    assert len(responses.calls) == 1


def test_patch_refuses_the_parent_and_sends_nothing_when_nothing_changes(
    client: DescopeClient, limiter: RecordingLimiter
) -> None:
    client.patch_tenant("acme", {})
    with pytest.raises(InvalidArgumentError, match="parent"):
        client.patch_tenant("acme", {"parent": "other"})
    assert limiter.acquired == 0


@responses.activate
def test_delete_sends_cascade_and_treats_not_found_as_gone(client: DescopeClient) -> None:
    responses.post(
        f"{BASE}/v1/mgmt/tenant/delete",
        body="",
        match=[matchers.json_params_matcher({"id": "a", "cascade": True})],
    )
    responses.post(
        f"{BASE}/v1/mgmt/tenant/delete",
        status=400,
        json=error_body("E112202", "Tenant not found"),
        match=[matchers.json_params_matcher({"id": "gone", "cascade": False})],
    )
    assert client.delete_tenant("a", cascade=True) is True
    assert client.delete_tenant("gone") is False


@responses.activate
def test_settings_and_default_roles_endpoints(client: DescopeClient) -> None:
    responses.get(
        f"{BASE}/v1/mgmt/tenant/settings",
        json={
            "enabled": True,
            "sessionTokenExpiration": 10,
            "sessionTokenExpirationUnit": "minutes",
            "JITDisabled": True,
        },
        match=[matchers.query_param_matcher({"id": "acme"})],
    )
    responses.post(
        f"{BASE}/v1/mgmt/tenant/settings",
        body="",
        match=[matchers.json_params_matcher({"tenantId": "acme", "enabled": False, "JITDisabled": True})],
    )
    responses.post(
        f"{BASE}/v1/mgmt/tenant/updateDefaultRoles",
        body="",
        match=[matchers.json_params_matcher({"id": "acme", "defaultRoles": ["viewer"]})],
    )
    settings = client.load_tenant_settings("acme")
    assert settings.session_token_expiration_unit == "minutes" and settings.jit_disabled is True
    client.update_tenant_settings("acme", TenantSettings(enabled=False, jit_disabled=True))
    client.update_default_roles("acme", ["viewer"])


# ---- error mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (404, error_body("E112202", "Tenant not found"), NotFoundError),
        (400, error_body("E112202", "Tenant not found"), NotFoundError),
        (401, error_body("E011005", "Unauthorized", f"bad key {KEY}"), UnauthorizedError),
        (403, {}, UnauthorizedError),
        (400, error_body("E011004", "Invalid argument", "Tenant name already exists"), AlreadyExistsError),
        (409, error_body("E000000", "Conflict"), AlreadyExistsError),
        (400, error_body("E011002", "Missing argument", "name is required"), InvalidArgumentError),
        (400, error_body("E011003", "Request failed validation"), InvalidArgumentError),
    ],
)
@responses.activate
def test_error_bodies_become_typed_errors(
    client: DescopeClient, status: int, body: dict[str, str], error: type[Exception]
) -> None:
    responses.get(f"{BASE}/v1/mgmt/tenant", status=status, json=body)
    with pytest.raises(error) as info:
        client.load_tenant("acme")
    assert KEY not in str(info.value)
    assert "load tenant 'acme'" in str(info.value)


@responses.activate
def test_unauthorized_tells_how_to_fix_it(client: DescopeClient) -> None:
    responses.get(f"{BASE}/v1/mgmt/tenant/all", status=401, json=error_body("E011005", "Unauthorized"))
    with pytest.raises(UnauthorizedError, match="descope:managementKey"):
        client.load_all_tenants()


@responses.activate
def test_redirects_are_not_followed(client: DescopeClient) -> None:
    responses.post(
        f"{BASE}/v1/mgmt/tenant/create",
        status=307,
        headers={"Location": "https://evil.example/v1/mgmt/tenant/create"},
    )
    with pytest.raises(Exception, match="redirect") as info:
        client.create_tenant(TenantRequest(name="x"))
    assert len(responses.calls) == 1
    assert KEY not in str(info.value)


@pytest.mark.parametrize(
    ("body", "content_type", "needle"),
    [
        ("<html><body>502 Bad Gateway</body></html>", "text/html", "not JSON"),
        ("", "application/json", "empty body"),
        ('{"tenants": [{"name": 5}]}', "application/json", "documented shape"),
        ('{"id": 17}', "application/json", "documented shape"),
    ],
)
@responses.activate
def test_malformed_success_bodies_are_typed_and_readable(
    client: DescopeClient, body: str, content_type: str, needle: str
) -> None:
    responses.get(f"{BASE}/v1/mgmt/tenant/all", body=body, content_type=content_type)
    responses.post(f"{BASE}/v1/mgmt/tenant/create", body=body, content_type=content_type)
    # A create answered with a malformed 2xx looks the tenant up before giving up: here it is absent.
    responses.post(f"{BASE}/v1/mgmt/tenant/search", json={"tenants": []})
    if '"id"' in body:
        with pytest.raises(MalformedResponseError, match=needle):
            client.create_tenant(TenantRequest(name="x"))
        return
    # A read is retried (a proxy may have mangled one answer) until the deadline, then the last
    # readable reason is given.
    with pytest.raises(DeadlineExceededError, match=needle) as info:
        client.load_all_tenants()
    assert isinstance(info.value.last_error, MalformedResponseError)
    assert len(responses.calls) > 1


@responses.activate
def test_a_read_recovers_when_a_mangled_answer_is_followed_by_a_good_one(client: DescopeClient) -> None:
    responses.get(f"{BASE}/v1/mgmt/tenant/all", body="<html>oops</html>", content_type="text/html")
    responses.get(f"{BASE}/v1/mgmt/tenant/all", body="", content_type="application/json")
    responses.get(f"{BASE}/v1/mgmt/tenant/all", json={"tenants": [TENANT_JSON]})
    assert [t.id for t in client.load_all_tenants()] == ["acme"]


@responses.activate
def test_html_error_page_from_a_proxy_is_summarised(client: DescopeClient, clock: FakeClock) -> None:
    responses.get(
        f"{BASE}/v1/mgmt/tenant/all",
        status=418,
        body="<html><h1>I'm a teapot</h1></html>",
        content_type="text/html",
    )
    with pytest.raises(Exception, match="teapot"):
        client.load_all_tenants()


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
