"""The project's own DescopeClient against the Descope emulator over real HTTP on loopback: faults.

Covers the server quota (429 + Retry-After) and each fault the emulator can inject: 5xx, connection
reset, lost response, slow answer, malformed body and a server that never answers. Waits on the
retry path go through an injected sleeper; where a test needs time to pass on both sides (quota), the
emulator and the client share one fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from descope_emulator import EmulatorServer, FaultConfig, Quota
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.errors import (
    DeadlineExceededError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from pulumi_descope_dynamic_provider.api.ratelimit import (
    SharedRateLimiter,
    UnlimitedRateLimiter,
)
from pulumi_descope_dynamic_provider.api.settings import RateBudget
from pulumi_descope_dynamic_provider.api.tenant_settings import TENANT_SETTINGS, TenantSettings
from pulumi_descope_dynamic_provider.api.tenants import (
    TENANT_CREATE,
    TENANT_DEFAULT_ROLES,
    TENANT_DELETE,
    TENANT_LOAD,
    TENANT_LOAD_ALL,
    TENANT_PATCH,
    TENANT_SEARCH,
    TenantRequest,
    TenantSearch,
)

from tests.contract._client_shared import (
    FULL,
    ClientFactory,
    RecordingSleeper,
    assert_readable,
    outcomes,
    stored,
)
from tests.support.clock import FakeClock as SharedFakeClock

# ---- helpers -----------------------------------------------------------------------------------------


def names_in_emulator(server: EmulatorServer) -> list[str]:
    return sorted(stored(server, tenant_id)["name"] for tenant_id in server.state.tenant_ids())


# ---- quota: 429 with Retry-After -----------------------------------------------------------------


def test_burst_succeeds_through_429s_waiting_exactly_retry_after(
    make_client: ClientFactory, events: list[ClientEvent]
) -> None:
    clock = SharedFakeClock()
    with EmulatorServer(quota=Quota(5, 10), clock=clock) as server:
        limiter = UnlimitedRateLimiter(clock=clock, sleeper=clock.sleep)
        client = make_client(server=server, clock=clock, sleep=clock.sleep, limiter=limiter)

        ids = [client.create_tenant(TenantRequest(name=f"Burst {i}")) for i in range(8)]
        assert len(client.load_all_tenants()) == 8
        assert client.load_tenant(ids[0]).name == "Burst 0"
        ids += [client.create_tenant(TenantRequest(name=f"Burst {i}")) for i in range(8, 12)]

        stats = server.stats()
        assert len(set(ids)) == 12 and server.state.tenant_count() == 12
        # 14 calls, 5 per 10 s: calls 6 and 11 meet a 429; each retry, sent after Retry-After (10 s),
        # is admitted at once. Retrying sooner would have met more 429s.
        assert stats["rate_limited"] == 2 and stats["total"] == 16
        assert len(clock.sleeps) == 2 and all(10.0 <= s <= 10.25 for s in clock.sleeps), clock.sleeps
        # A 429 means "not processed": no look-up for a lost create.
        assert "POST /v1/mgmt/tenant/search" not in stats["requests"]
    waits = [event for event in events if "rate limited" in event.message]
    assert len(waits) == 2 and all(event.wait_seconds >= 10.0 for event in waits)


def test_retry_after_beyond_the_deadline_gives_up_at_once(make_client: ClientFactory) -> None:
    clock = SharedFakeClock()
    with EmulatorServer(quota=Quota(1, 60), clock=clock) as server:
        limiter = UnlimitedRateLimiter(clock=clock, sleeper=clock.sleep)
        client = make_client(
            server=server, clock=clock, sleep=clock.sleep, limiter=limiter, call_deadline_seconds=30
        )
        client.load_all_tenants()
        with pytest.raises(DeadlineExceededError) as info:
            client.load_all_tenants()
    assert isinstance(info.value.last_error, RateLimitedError)
    assert info.value.last_error.retry_after == 60
    assert "descope:callDeadline" in str(info.value)
    assert clock.sleeps == []  # no pointless wait that could not end in time


def test_concurrent_burst_on_a_real_short_window_all_succeed(
    make_client: ClientFactory, events: list[ClientEvent]
) -> None:
    with EmulatorServer(quota=Quota(5, 1)) as server:
        client = make_client(server=server, sleep=time.sleep, call_deadline_seconds=20)
        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            ids = list(pool.map(lambda i: client.create_tenant(TenantRequest(name=f"Par {i}")), range(12)))
        elapsed = time.monotonic() - started
        assert len(set(ids)) == 12 and server.state.tenant_count() == 12
        assert server.stats()["rate_limited"] >= 1
    assert elapsed < 8.0
    waits = [event for event in events if "rate limited by Descope:" in event.message]
    assert waits and all(event.wait_seconds >= 1.0 for event in waits)


def test_client_budget_keeps_a_burst_under_the_server_quota(make_client: ClientFactory) -> None:
    # A budget 30% below the quota: room for ~0.85 s between a request leaving (counted by the
    # client) and arriving (counted by the quota) on a loaded machine.
    budget = RateBudget(7, 2)
    with EmulatorServer(quota=Quota(10, 2)) as server:
        client = make_client(server=server, limiter=SharedRateLimiter(budget), rate_limit=budget)
        started = time.monotonic()
        for _ in range(11):
            client.load_all_tenants()
        elapsed = time.monotonic() - started
        assert server.stats()["rate_limited"] == 0 and server.stats()["total"] == 11
    assert 2.0 <= elapsed < 6.0  # a full budget window was waited out on the client (7 + 4 requests)


# ---- faults: 5xx, reset ------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["json", "text", "html"])
@pytest.mark.parametrize("status", [503, 520, 522, 524, 530])
def test_gateway_error_is_retried_and_the_read_succeeds(
    client: DescopeClient, emulator: EmulatorServer, sleeper: RecordingSleeper, status: int, style: str
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.queue_fault("error", method="GET", path=TENANT_LOAD_ALL, status=status, variant=style)
    assert [t.id for t in client.load_all_tenants()] == ["acme"]
    assert outcomes(emulator, "GET", TENANT_LOAD_ALL) == {str(status): 1, "200": 1}
    assert len(sleeper.sleeps) == 1 and 0 <= sleeper.sleeps[0] <= 0.5  # one back-off, full jitter


@pytest.mark.parametrize("tenant_id", ["acme", None], ids=["with-id", "without-id"])
@pytest.mark.parametrize("fault", ["error", "reset"])
def test_unprocessed_create_is_retried_and_creates_exactly_one(
    client: DescopeClient, emulator: EmulatorServer, fault: str, tenant_id: str | None
) -> None:
    emulator.queue_fault(fault, method="POST", path=TENANT_CREATE, status=522 if fault == "error" else None)
    returned = client.create_tenant(TenantRequest(id=tenant_id, name="Acme"))
    assert emulator.state.tenant_ids() == [returned]
    assert tenant_id is None or returned == tenant_id
    assert outcomes(emulator, "POST", TENANT_CREATE) == {
        ("522" if fault == "error" else "reset"): 1,
        "200": 1,
    }


@pytest.mark.parametrize(
    ("method", "path", "call", "expected"),
    [
        ("GET", TENANT_LOAD, lambda c: c.load_tenant("acme").name, "Acme"),
        (
            "POST",
            TENANT_SEARCH,
            lambda c: [t.id for t in c.search_tenants(TenantSearch(tenant_ids=["acme"]))],
            ["acme"],
        ),
        ("GET", TENANT_SETTINGS, lambda c: c.load_tenant_settings("acme").session_token_expiration, 10),
        ("PATCH", TENANT_PATCH, lambda c: c.patch_tenant("acme", {"name": "Acme"}), None),
    ],
    ids=["load", "search", "settings", "patch"],
)
def test_connection_reset_is_retried(
    client: DescopeClient,
    emulator: EmulatorServer,
    method: str,
    path: str,
    call: Callable[[DescopeClient], object],
    expected: object,
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.queue_fault("reset", method=method, path=path)
    assert call(client) == expected
    assert outcomes(emulator, method, path) == {"reset": 1, "200": 1}


# ---- faults: lost responses (the request was processed, the answer never came) ----------------------


@pytest.mark.parametrize("tenant_id", ["acme", None], ids=["with-id", "without-id"])
def test_lost_create_response_adopts_the_tenant_instead_of_duplicating_it(
    client: DescopeClient, emulator: EmulatorServer, events: list[ClientEvent], tenant_id: str | None
) -> None:
    emulator.queue_fault("lost_response", method="POST", path=TENANT_CREATE)
    request = FULL.model_copy(update={"id": tenant_id})

    returned = client.create_tenant(request)

    assert emulator.state.tenant_ids() == [returned]
    assert tenant_id is None or returned == tenant_id
    assert stored(emulator, returned)["name"] == "Acme Corp"
    # One create reached the store; the retry looked the tenant up rather than creating it again.
    assert outcomes(emulator, "POST", TENANT_CREATE) == {"lost_response": 1}
    lookup = (
        outcomes(emulator, "GET", TENANT_LOAD) if tenant_id else outcomes(emulator, "POST", TENANT_SEARCH)
    )
    assert lookup == {"200": 1}
    assert any("adopting tenant" in event.message and returned in event.message for event in events)


def test_lost_create_response_amid_other_tenants_returns_the_right_id(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    for i in range(3):
        client.create_tenant(TenantRequest(name=f"Neighbour {i}"))
    emulator.queue_fault("lost_response", method="POST", path=TENANT_CREATE)
    returned = client.create_tenant(TenantRequest(name="Target", custom_attributes={"k": 1}))
    assert stored(emulator, returned)["name"] == "Target"
    assert names_in_emulator(emulator) == ["Neighbour 0", "Neighbour 1", "Neighbour 2", "Target"]


def test_lost_update_response_converges(client: DescopeClient, emulator: EmulatorServer) -> None:
    client.create_tenant(FULL)
    emulator.queue_fault("lost_response", method="PATCH", path=TENANT_PATCH)
    client.patch_tenant("acme", {"name": "Acme Inc", "enforce_sso": False})
    live = client.load_tenant("acme")
    assert live.name == "Acme Inc" and live.enforce_sso is False
    assert live.self_provisioning_domains == FULL.self_provisioning_domains
    assert outcomes(emulator, "PATCH", TENANT_PATCH) == {"lost_response": 1, "200": 1}


@pytest.mark.parametrize("cascade", [False, True])
def test_lost_delete_response_converges(
    client: DescopeClient, emulator: EmulatorServer, cascade: bool
) -> None:
    client.create_tenant(TenantRequest(id="root", name="Root"))
    if cascade:
        client.create_tenant(TenantRequest(id="child", name="Child", parent="root"))
    client.create_tenant(TenantRequest(id="other", name="Other"))
    emulator.queue_fault("lost_response", method="POST", path=TENANT_DELETE)

    # The first attempt deleted it; the retry is told "not found", which delete_tenant documents as
    # False ("already gone"), not as an error.
    assert client.delete_tenant("root", cascade=cascade) is False
    assert emulator.state.tenant_ids() == ["other"]
    assert outcomes(emulator, "POST", TENANT_DELETE) == {"lost_response": 1, "400": 1}


def test_lost_settings_and_default_roles_responses_converge(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    emulator.state.create_role({"name": "viewer"})
    client.create_tenant(TenantRequest(id="acme", name="Acme"))
    emulator.queue_fault("lost_response", method="POST", path=TENANT_SETTINGS)
    emulator.queue_fault("lost_response", method="POST", path=TENANT_DEFAULT_ROLES)

    client.update_tenant_settings("acme", TenantSettings(enabled=True, session_token_expiration=20))
    client.update_default_roles("acme", ["viewer"])

    settings = client.load_tenant_settings("acme")
    assert settings.enabled is True and settings.session_token_expiration == 20
    assert client.load_tenant("acme").default_roles == ["viewer"]


# ---- faults: slow answers and servers that never answer -----------------------------------------


def test_slow_answer_within_the_read_timeout_is_not_retried(
    make_client: ClientFactory, emulator: EmulatorServer, sleeper: RecordingSleeper
) -> None:
    client = make_client(call_deadline_seconds=2, read_timeout_seconds=1)
    emulator.set_faults(FaultConfig(slow_seconds=0.3))
    emulator.queue_fault("slow", method="POST", path=TENANT_CREATE)
    started = time.monotonic()
    assert client.create_tenant(TenantRequest(id="acme", name="Acme")) == "acme"
    assert 0.3 <= time.monotonic() - started < 1.0
    assert outcomes(emulator, "POST", TENANT_CREATE) == {"200": 1} and sleeper.sleeps == []


@pytest.mark.parametrize("tenant_id", ["acme", None], ids=["with-id", "without-id"])
def test_create_slower_than_the_read_timeout_still_makes_exactly_one(
    make_client: ClientFactory, emulator: EmulatorServer, tenant_id: str | None
) -> None:
    """The first attempt times out on the client but commits later on the server; whichever way
    the race with the retry goes, one tenant results and its id is returned."""
    client = make_client(call_deadline_seconds=4, read_timeout_seconds=0.5)
    emulator.set_faults(FaultConfig(slow_seconds=0.8))
    emulator.queue_fault("slow", method="POST", path=TENANT_CREATE)
    returned = client.create_tenant(TenantRequest(id=tenant_id, name="Acme"))
    time.sleep(0.5)  # let the slow first attempt finish on the server (bounded)
    assert emulator.state.tenant_ids() == [returned]
    assert tenant_id is None or returned == tenant_id


def test_single_hang_is_cut_by_the_read_timeout_and_retried(
    make_client: ClientFactory, emulator: EmulatorServer
) -> None:
    client = make_client(call_deadline_seconds=2, read_timeout_seconds=1)
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.queue_fault("hang", method="GET", path=TENANT_LOAD)
    started = time.monotonic()
    assert client.load_tenant("acme").name == "Acme"
    assert time.monotonic() - started < 2.0
    assert outcomes(emulator, "GET", TENANT_LOAD) == {"hang": 1, "200": 1}


@pytest.mark.parametrize("operation", ["load", "create"])
def test_server_that_never_answers_ends_the_call_within_its_deadline(
    make_client: ClientFactory, emulator: EmulatorServer, operation: str
) -> None:
    client = make_client(call_deadline_seconds=2, read_timeout_seconds=1)
    emulator.set_faults(FaultConfig(hang_rate=1.0, hang_seconds=20))
    started = time.monotonic()
    with pytest.raises((DeadlineExceededError, NetworkError)) as info:
        if operation == "load":
            client.load_tenant("acme")
        else:
            client.create_tenant(TenantRequest(name="Acme"))
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.6, elapsed
    assert_readable(info.value)
    assert "no answer within" in str(info.value) or "deadline" in str(info.value)
    assert emulator.state.tenant_ids() == []  # a hung request is never processed


# ---- faults: malformed answers -------------------------------------------------------------------


def test_empty_200_where_data_is_expected_is_retried_on_a_read(
    client: DescopeClient, emulator: EmulatorServer, events: list[ClientEvent]
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.queue_fault("malformed", method="GET", path=TENANT_LOAD, variant="empty")
    assert client.load_tenant("acme").name == "Acme"
    # A read changes nothing, so an answer a proxy emptied is simply asked for again.
    assert outcomes(emulator, "GET", TENANT_LOAD) == {"200": 2}
    assert any("empty body" in event.message for event in events)


def test_empty_200_where_nothing_is_expected_is_success(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    client.create_tenant(TenantRequest(id="acme", name="Acme"))
    emulator.queue_fault("malformed", method="PATCH", path=TENANT_PATCH, variant="empty")
    client.patch_tenant("acme", {"name": "Acme 2"})
    assert stored(emulator, "acme")["name"] == "Acme 2"


@pytest.mark.parametrize(
    ("method", "path", "call"),
    [
        ("GET", TENANT_LOAD, lambda c: c.load_tenant("acme")),
        ("GET", TENANT_LOAD_ALL, lambda c: c.load_all_tenants()),
        ("POST", TENANT_SEARCH, lambda c: c.search_tenants(TenantSearch())),
    ],
    ids=["load", "load-all", "search"],
)
def test_truncated_json_on_a_read_is_retried_and_reported_with_an_excerpt(
    client: DescopeClient,
    emulator: EmulatorServer,
    events: list[ClientEvent],
    method: str,
    path: str,
    call: Callable[[DescopeClient], object],
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.queue_fault("malformed", method=method, path=path, variant="truncated")
    call(client)
    assert outcomes(emulator, method, path) == {"200": 2}  # a read is repeated; a write never is
    retry = next(event.message for event in events if "not JSON" in event.message)
    assert '{"' in retry  # the excerpt shows what came back


def test_not_found_cut_short_on_a_read_is_asked_again_and_then_is_not_found(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    # The look-up after a lost create meets this too: a 404 whose JSON (and so its error code) was
    # cut off cannot say "gone"; a read asks again rather than fail the create.
    emulator.queue_fault("malformed", method="GET", path=TENANT_LOAD, variant="truncated")
    with pytest.raises(NotFoundError):
        client.load_tenant("missing")
    assert outcomes(emulator, "GET", TENANT_LOAD) == {"404": 2}


@pytest.mark.parametrize("tenant_id", ["acme-2", None])
def test_create_answered_with_a_truncated_body_finds_the_created_tenant_instead_of_orphaning_it(
    client: DescopeClient, emulator: EmulatorServer, tenant_id: str | None
) -> None:
    emulator.queue_fault("malformed", method="POST", path=TENANT_CREATE, variant="truncated")
    created = client.create_tenant(TenantRequest(id=tenant_id, name="New"))
    assert emulator.state.tenant_ids() == [created]
    assert tenant_id is None or created == tenant_id
    assert outcomes(emulator, "POST", TENANT_CREATE) == {"200": 1}  # looked up, not re-sent


def test_html_proxy_page_once_is_retried(client: DescopeClient, emulator: EmulatorServer) -> None:
    emulator.queue_fault("malformed", method="POST", path=TENANT_CREATE, variant="html")
    assert client.create_tenant(TenantRequest(name="Acme")) in emulator.state.tenant_ids()
    assert emulator.state.tenant_count() == 1
    assert outcomes(emulator, "POST", TENANT_CREATE) == {"502": 1, "200": 1}


def test_html_proxy_page_that_persists_ends_in_a_readable_server_error(
    make_client: ClientFactory, emulator: EmulatorServer
) -> None:
    clock = SharedFakeClock()
    client = make_client(clock=clock, sleep=clock.sleep, call_deadline_seconds=10)
    for _ in range(50):
        emulator.queue_fault("malformed", method="GET", path=TENANT_LOAD_ALL, variant="html")
    with pytest.raises(DeadlineExceededError) as info:
        client.load_all_tenants()
    assert isinstance(info.value.last_error, ServerError)
    assert_readable(info.value)
    assert_readable(info.value.last_error)
    assert "502 Bad Gateway" in info.value.last_error.message
    assert "nginx" in info.value.last_error.message  # an excerpt of the page, on one line
    assert sum(clock.sleeps) <= 10.0


@pytest.mark.parametrize("style", ["json", "text", "html"])
def test_persistent_5xx_ends_with_the_last_error_named(
    make_client: ClientFactory, emulator: EmulatorServer, style: str
) -> None:
    clock = SharedFakeClock()
    client = make_client(clock=clock, sleep=clock.sleep, call_deadline_seconds=60)
    for _ in range(40):
        emulator.queue_fault("error", method="POST", path=TENANT_CREATE, status=530, variant=style)
    with pytest.raises(DeadlineExceededError) as info:
        client.create_tenant(TenantRequest(id="acme", name="Acme"))
    assert isinstance(info.value.last_error, ServerError) and info.value.status == 530
    assert_readable(info.value)
    assert "530" in str(info.value) and "descope:callDeadline" in str(info.value)
    assert emulator.state.tenant_ids() == []
    assert len(clock.sleeps) >= 3  # it did retry, with growing back-off, before giving up
