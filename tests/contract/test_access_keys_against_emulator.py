"""The access-key calls of DescopeClient against the emulator over real HTTP: every operation, and
above all creates whose answer is lost, which must end with exactly one key whose cleartext the
caller holds (never an adopted key nobody can use, never two keys)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from descope_emulator import EmulatorServer, FaultConfig
from pulumi_descope_dynamic_provider.api.access_keys import (
    ACCESS_KEY_CREATE,
    ACCESS_KEY_DELETE,
    ACCESS_KEY_ROTATE,
    ACCESS_KEY_SEARCH,
    CLOCK_SKEW_MARGIN_SECONDS,
    AccessKey,
    AccessKeyRequest,
    KeyTenant,
)
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.errors import DescopeError, InvalidArgumentError, NotFoundError

from tests.support.clock import FakeClock

LOST_CREATE_SEEDS = range(50)

ClientFactory = Callable[..., DescopeClient]


@pytest.fixture
def make_client(make_client: ClientFactory) -> ClientFactory:
    """The contract tests' factory (conftest.py), with waits between retries on a fake clock (no real
    sleeping) unless a test passes its own."""

    def make(*, seed: int = 1234, clock: FakeClock | None = None, **settings: Any) -> DescopeClient:
        fake = clock or FakeClock()
        return make_client(clock=fake, sleep=fake.sleep, seed=seed, **settings)

    return make


@pytest.fixture
def roles(emulator: EmulatorServer) -> None:
    emulator.state.create_role({"name": "viewer"})
    emulator.state.create_role({"name": "deployer"})
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})


def outcomes(server: EmulatorServer, path: str) -> dict[str, int]:
    return dict(server.stats()["requests"].get(f"POST {path}", {}))


def cleartext(key: AccessKey) -> str:
    assert key.cleartext is not None
    return key.cleartext.get_secret_value()


def assert_one_usable_key(emulator: EmulatorServer, key: AccessKey) -> None:
    """The project holds exactly this key, and the cleartext the caller got is its working secret."""
    assert emulator.state.access_keys.ids() == [key.id]
    assert emulator.state.access_keys.verify(cleartext(key)) == key.id


def assert_no_answer_quoted(events: list[ClientEvent]) -> None:
    """A garbled answer of create or rotate holds a cleartext: the progress shown to the user (and
    the error, were it final) must not quote it, as the transport does for other unreadable bodies."""
    for event in events:
        assert '"cleartext"' not in event.message, event


CI = AccessKeyRequest(
    name="ci",
    description="deploys billing",
    key_tenants=[KeyTenant(tenant_id="acme", role_names=["viewer", "deployer"])],
    permitted_ips=["10.0.0.0/8"],
    custom_claims={"team": "billing", "level": 2},
    custom_attributes={},
)


# ---- operations ----------------------------------------------------------------------------------


def test_create_returns_the_key_with_its_cleartext_which_never_shows_in_a_repr(
    client: DescopeClient, emulator: EmulatorServer, roles: None
) -> None:
    key = client.create_access_key(CI)
    assert_one_usable_key(emulator, key)
    assert key.tenant_roles == {"acme": ["deployer", "viewer"]}
    assert key.status == "active" and key.client_id and key.created_time
    assert cleartext(key) not in repr(key) and cleartext(key) not in str(key.model_dump())
    assert outcomes(emulator, ACCESS_KEY_CREATE) == {"200": 1}  # one request


def test_search_without_a_filter_lists_every_key_in_one_request(
    client: DescopeClient, emulator: EmulatorServer, roles: None
) -> None:
    made = {client.create_access_key(CI.model_copy(update={"name": f"k{i}"})).id for i in range(5)}
    found = client.search_access_keys()
    assert {key.id for key in found} == made
    assert all(key.cleartext is None for key in found)  # the cleartext is never returned again
    assert outcomes(emulator, ACCESS_KEY_SEARCH) == {"200": 1}


def test_update_is_patch_like_and_switches_project_and_tenant_roles(
    client: DescopeClient, emulator: EmulatorServer, roles: None
) -> None:
    key = client.create_access_key(CI)
    updated = client.update_access_key(key.id, "ci", {"description": "new"})
    assert updated.description == "new" and updated.permitted_ips == ["10.0.0.0/8"]
    assert updated.custom_claims == {"team": "billing", "level": 2}
    switched = client.update_access_key(key.id, "ci", {"role_names": ["viewer"], "key_tenants": []})
    assert switched.role_names == ["viewer"] and switched.key_tenants == []
    assert client.load_access_key(key.id).role_names == ["viewer"]


def test_activate_deactivate_rotate_delete(
    client: DescopeClient, emulator: EmulatorServer, roles: None
) -> None:
    key = client.create_access_key(CI)
    client.set_access_key_active(key.id, False)
    assert client.load_access_key(key.id).disabled
    client.set_access_key_active(key.id, True)
    assert client.load_access_key(key.id).status == "active"
    rotated = client.rotate_access_key(key.id)
    assert emulator.state.access_keys.verify(cleartext(key)) is None  # the old secret died at once
    assert emulator.state.access_keys.verify(cleartext(rotated)) == key.id
    assert client.delete_access_key(key.id) is True
    assert client.delete_access_key(key.id) is False  # already gone is not an error
    with pytest.raises(NotFoundError):
        client.load_access_key(key.id)


def test_an_unknown_key_is_not_found_on_every_write(client: DescopeClient) -> None:
    for call in (
        lambda: client.update_access_key("Kmissing", "x", {}),
        lambda: client.set_access_key_active("Kmissing", False),
        lambda: client.rotate_access_key("Kmissing"),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_update_refuses_fields_descope_cannot_change(client: DescopeClient) -> None:
    with pytest.raises(InvalidArgumentError, match="expire_time"):
        client.update_access_key("K1", "x", {"expire_time": 5})


# ---- lost create answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "variant"),
    [("lost_response", None), ("malformed", "truncated"), ("malformed", "empty")],
    ids=["lost", "truncated", "empty"],
)
def test_a_create_whose_answer_is_lost_is_deleted_and_made_again(
    client: DescopeClient,
    emulator: EmulatorServer,
    events: list[ClientEvent],
    roles: None,
    kind: str,
    variant: str | None,
) -> None:
    emulator.queue_fault(kind, method="POST", path=ACCESS_KEY_CREATE, variant=variant)
    key = client.create_access_key(CI)
    assert_one_usable_key(emulator, key)
    assert sum(outcomes(emulator, ACCESS_KEY_CREATE).values()) == 2  # processed twice, one survives
    assert outcomes(emulator, ACCESS_KEY_DELETE) == {"200": 1}
    assert any("deleted the key it created" in event.message for event in events)
    assert_no_answer_quoted(events)


def test_a_create_refused_before_processing_looks_but_deletes_nothing(
    client: DescopeClient, emulator: EmulatorServer, roles: None
) -> None:
    emulator.queue_fault("error", method="POST", path=ACCESS_KEY_CREATE, status=503)
    key = client.create_access_key(CI)
    assert_one_usable_key(emulator, key)
    assert outcomes(emulator, ACCESS_KEY_SEARCH) == {"200": 1}
    assert outcomes(emulator, ACCESS_KEY_DELETE) == {}


def test_keys_like_it_that_are_held_or_older_or_different_survive_a_lost_create(
    client: DescopeClient, emulator: EmulatorServer, roles: None
) -> None:
    """Names are not unique: only the key this create made may be deleted."""
    held = client.create_access_key(CI)  # same content, created by this process: its cleartext is held
    store = emulator.state.access_keys
    emulator.state.load({"accessKeys": [{**CI.to_wire(), "id": "Kold", "createdTime": 1_000_000_000}]})
    emulator.state.load({"accessKeys": [{**CI.to_wire(), "description": "other", "id": "Kother"}]})
    emulator.queue_fault("lost_response", method="POST", path=ACCESS_KEY_CREATE)

    key = client.create_access_key(CI)

    assert sorted(store.ids()) == sorted([held.id, "Kold", "Kother", key.id])
    assert store.verify(cleartext(held)) == held.id and store.verify(cleartext(key)) == key.id
    assert sum(outcomes(emulator, ACCESS_KEY_CREATE).values()) == 3  # held, lost, final


def test_keys_made_by_another_client_within_the_clock_margin_are_deleted_only_when_unanswered(
    make_client: ClientFactory, emulator: EmulatorServer, roles: None
) -> None:
    """A key seeded (as by an unanswered attempt) just before the create started is inside the skew
    margin and matches, so it is taken for this create's own lost attempt and removed."""
    client = make_client()
    client.wall_clock = lambda: emulator.state.now() + CLOCK_SKEW_MARGIN_SECONDS / 2  # type: ignore[method-assign]
    emulator.state.load({"accessKeys": [{**CI.to_wire(), "id": "Korphan"}]})
    emulator.queue_fault("lost_response", method="POST", path=ACCESS_KEY_CREATE)
    key = client.create_access_key(CI)
    assert_one_usable_key(emulator, key)


@pytest.mark.parametrize("seed", LOST_CREATE_SEEDS)
def test_creates_under_heavy_faults_end_with_one_usable_key(
    make_client: ClientFactory, emulator: EmulatorServer, events: list[ClientEvent], roles: None, seed: int
) -> None:
    """Every request (create, search, delete) may be lost, reset, refused with a 5xx or garbled."""
    client = make_client(seed=seed)
    emulator.set_faults(
        FaultConfig(lost_response_rate=0.25, error_rate=0.1, reset_rate=0.1, malformed_rate=0.1), seed=seed
    )
    key = client.create_access_key(CI)
    emulator.set_faults(None)
    assert_one_usable_key(emulator, key)
    assert_no_answer_quoted(events)


def test_concurrent_creates_of_one_name_each_end_with_their_own_usable_key(
    make_client: ClientFactory, emulator: EmulatorServer, roles: None
) -> None:
    """Eight resources with the same name and content, created four at a time with lost answers:
    the recovery of one never deletes another's key."""
    client = make_client()
    emulator.set_faults(FaultConfig(lost_response_rate=0.4), seed=7)
    with ThreadPoolExecutor(4) as pool:
        keys = list(pool.map(lambda _: client.create_access_key(CI), range(8)))
    emulator.set_faults(None)
    assert sorted(emulator.state.access_keys.ids()) == sorted(key.id for key in keys)
    assert len({key.id for key in keys}) == 8
    for key in keys:
        assert emulator.state.access_keys.verify(cleartext(key)) == key.id


def test_a_create_whose_answer_is_still_on_its_way_is_not_taken_for_a_lost_one(
    client: DescopeClient, emulator: EmulatorServer, roles: None
) -> None:
    """A's create was committed but its answer has not been read yet when B's create of the same name
    loses its answer: B must not delete A's key (creates of one name wait for each other)."""
    a_committed = threading.Event()
    b_done = threading.Event()
    original = client._send

    def send(*args: Any, **kwargs: Any) -> Any:
        answer = original(*args, **kwargs)
        if args[2] == ACCESS_KEY_CREATE and not a_committed.is_set():
            emulator.queue_fault("lost_response", method="POST", path=ACCESS_KEY_CREATE)  # for B
            a_committed.set()
            b_done.wait(0.5)  # B could run its whole recovery now, were it not held back
        return answer

    client._send = send  # type: ignore[method-assign]
    with ThreadPoolExecutor(2) as pool:
        a = pool.submit(client.create_access_key, CI)
        assert a_committed.wait(10)
        b = pool.submit(client.create_access_key, CI)
        key_b = b.result()
        b_done.set()
        key_a = a.result()
    assert sorted(emulator.state.access_keys.ids()) == sorted([key_a.id, key_b.id])
    assert emulator.state.access_keys.verify(cleartext(key_a)) == key_a.id
    assert emulator.state.access_keys.verify(cleartext(key_b)) == key_b.id


def test_a_lost_create_that_cannot_be_cleaned_up_says_so_without_the_secret(
    make_client: ClientFactory, emulator: EmulatorServer, roles: None
) -> None:
    client = make_client(call_deadline_seconds=20)
    emulator.queue_fault("lost_response", method="POST", path=ACCESS_KEY_CREATE)
    emulator.set_faults(FaultConfig(error_rate=1.0))  # every later request: 5xx
    with pytest.raises(DescopeError) as info:
        client.create_access_key(CI)
    emulator.set_faults(None)
    message = str(info.value)
    assert "no usable answer" in message and "delete it in the Descope console" in message
    assert "'ci'" in message  # the key's id never reached the client; its name tells which it is
    assert len(emulator.state.access_keys.ids()) == 1


# ---- rotate --------------------------------------------------------------------------------------


def test_a_rotation_whose_answer_is_lost_rotates_again_and_the_last_cleartext_works(
    client: DescopeClient, emulator: EmulatorServer, events: list[ClientEvent], roles: None
) -> None:
    key = client.create_access_key(CI)
    emulator.queue_fault("lost_response", method="POST", path=ACCESS_KEY_ROTATE)
    emulator.queue_fault("malformed", method="POST", path=ACCESS_KEY_ROTATE, variant="truncated")
    rotated = client.rotate_access_key(key.id)
    assert outcomes(emulator, ACCESS_KEY_ROTATE) == {"lost_response": 1, "200": 2}
    assert emulator.state.access_keys.verify(cleartext(rotated)) == key.id
    assert emulator.state.access_keys.verify(cleartext(key)) is None
    assert_no_answer_quoted(events)


def test_a_key_answered_to_another_client_never_shields_this_clients_orphan(
    make_client: ClientFactory, emulator: EmulatorServer, roles: None
) -> None:
    """What a client knows about answered creates is its own. The emulator replays its ids after a
    reset (as it does on a port a finished test freed): the key an earlier client was answered for
    has the id of the one this client's lost create makes, and that orphan must still go."""
    earlier = make_client().create_access_key(CI)
    emulator.reset()
    emulator.state.create_role({"name": "viewer"})
    emulator.state.create_role({"name": "deployer"})
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.queue_fault("lost_response", method="POST", path=ACCESS_KEY_CREATE)
    key = make_client().create_access_key(CI)
    assert outcomes(emulator, ACCESS_KEY_CREATE) == {"lost_response": 1, "200": 1}
    assert earlier.id not in emulator.state.access_keys.ids()  # the orphan had the earlier key's id
    assert_one_usable_key(emulator, key)


def test_guard_is_per_name(client: DescopeClient, emulator: EmulatorServer, roles: None) -> None:
    """Creates of different names do not wait for each other."""
    started = threading.Event()
    release = threading.Event()
    original = client._send

    def slow_send(*args: Any, **kwargs: Any) -> Any:
        if args[2] == ACCESS_KEY_CREATE and kwargs.get("body", {}).get("name") == "slow":
            started.set()
            release.wait(10)
        return original(*args, **kwargs)

    client._send = slow_send  # type: ignore[method-assign]
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(client.create_access_key, CI.model_copy(update={"name": "slow"}))
        assert started.wait(10)
        fast = client.create_access_key(CI.model_copy(update={"name": "fast"}))  # not blocked
        release.set()
        assert slow.result().name == "slow" and fast.name == "fast"
