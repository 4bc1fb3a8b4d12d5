"""Access keys over raw HTTP: every endpoint, the cleartext returned once, expiry on the store's clock,
faults on the write routes (a lost create answer commits the key), console-edit hooks and seeding."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from descope_emulator import DescopeError, EmulatorServer, FaultConfig
from descope_emulator.accesskeys import ACCESS_KEY_NOT_FOUND
from emu_support import admin, api, assert_error

from tests.support.clock import FakeClock

CREATE = "/v1/mgmt/accesskey/create"
LOAD = "/v1/mgmt/accesskey"
SEARCH = "/v1/mgmt/accesskey/search"
UPDATE = "/v1/mgmt/accesskey/update"
ACTIVATE = "/v1/mgmt/accesskey/activate"
DEACTIVATE = "/v1/mgmt/accesskey/deactivate"
DELETE = "/v1/mgmt/accesskey/delete"
ROTATE = "/v1/mgmt/accesskey/rotate"
NOW = 1_700_000_000
KEY_FIELDS = {
    "id",
    "name",
    "roleNames",
    "keyTenants",
    "status",
    "createdTime",
    "expireTime",
    "createdBy",
    "clientId",
    "boundUserId",
    "customClaims",
    "description",
    "permittedIps",
    "customAttributes",
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def emulator(clock: FakeClock) -> Iterator[EmulatorServer]:
    """Overrides the shared fixture: a wall clock the tests move, for createdTime and expiry."""
    with EmulatorServer(wall_clock=clock) as server:
        server.state.create_tenant({"id": "acme", "name": "Acme"})
        server.state.create_tenant({"id": "globex", "name": "Globex"})
        server.state.create_role({"name": "viewer"})
        server.state.create_role({"name": "operator", "tenantId": "acme"})
        yield server


def ok(response: requests.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def create(emulator: EmulatorServer, **body: Any) -> dict[str, Any]:
    return dict(ok(api(emulator, "POST", CREATE, {"name": "ci", "expireTime": 0, **body})))


def load(emulator: EmulatorServer, key_id: str) -> dict[str, Any]:
    answer = ok(api(emulator, "GET", f"{LOAD}?id={key_id}"))
    assert set(answer) == {"key"}
    return dict(answer["key"])


def test_create_returns_the_cleartext_once(emulator: EmulatorServer) -> None:
    created = create(
        emulator,
        name="deployer",
        description="CI deployer",
        keyTenants=[{"tenantId": "acme", "roleNames": ["operator", "viewer"]}],
        userId="U2user",
        customClaims={"team": "platform"},
        permittedIps=["10.0.0.0/8", "192.168.1.7"],
        customAttributes={"env": "prod"},
    )
    assert set(created) == {"cleartext", "key"}
    cleartext, key = created["cleartext"], created["key"]
    assert isinstance(cleartext, str) and len(cleartext) >= 40
    assert set(key) == KEY_FIELDS
    assert key["id"].startswith("K") and len(key["id"]) == 28
    assert key["clientId"].startswith("C") and key["clientId"] != key["id"]
    assert (key["name"], key["description"], key["status"]) == ("deployer", "CI deployer", "active")
    assert key["keyTenants"] == [
        {"tenantId": "acme", "tenantName": "Acme", "roleNames": ["operator", "viewer"]}
    ]
    assert (key["roleNames"], key["boundUserId"], key["createdBy"]) == ([], "U2user", "")
    assert (key["createdTime"], key["expireTime"]) == (NOW, 0)
    assert key["permittedIps"] == ["10.0.0.0/8", "192.168.1.7"]
    assert (key["customClaims"], key["customAttributes"]) == ({"team": "platform"}, {"env": "prod"})
    assert emulator.state.access_keys.verify(cleartext) == key["id"]

    assert load(emulator, key["id"]) == key
    assert ok(api(emulator, "POST", SEARCH, {})) == {"keys": [key]}
    updated = ok(api(emulator, "POST", UPDATE, {"id": key["id"], "name": "deployer"}))
    seen = json.dumps([load(emulator, key["id"]), updated, emulator.requests(), emulator.state.dump()])
    assert cleartext not in seen


def test_create_validation(emulator: EmulatorServer, clock: FakeClock) -> None:
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"name": ""}, 400, "E011002"),
        ({"roleNames": ["viewer"], "keyTenants": [{"tenantId": "acme"}]}, 400, "E011004"),
        ({"roleNames": ["ghost"]}, 400, "E011004"),
        ({"roleNames": ["operator"]}, 400, "E011004"),  # a tenant role is not a project role
        ({"keyTenants": [{"tenantId": "nope"}]}, 400, "E112202"),
        ({"keyTenants": [{"tenantId": "globex", "roleNames": ["operator"]}]}, 400, "E011004"),
        ({"keyTenants": [{"tenantId": "acme"}, {"tenantId": "acme"}]}, 400, "E011004"),
        ({"keyTenants": [{"roleNames": []}]}, 400, "E011002"),
        ({"keyTenants": "acme"}, 400, "E011003"),
        ({"permittedIps": ["not-an-ip"]}, 400, "E011004"),
        ({"expireTime": NOW}, 400, "E011004"),
        ({"expireTime": -5}, 400, "E011003"),
        ({"expireTime": True}, 400, "E011003"),
        ({"customAttributes": {"nested": {"a": 1}}}, 400, "E011003"),
        ({"customClaims": ["x"]}, 400, "E011003"),
    ]
    for body, status, code in cases:
        error = assert_error(api(emulator, "POST", CREATE, {"name": "k", **body}), status, code)
        assert error["errorMessage"]
    assert emulator.state.access_keys.count() == 0
    # Go sends empty lists and strings for everything unset: that is a plain project key.
    go_style = create(emulator, roleNames=None, keyTenants=[], userId="", description="", permittedIps=None)
    assert go_style["key"]["keyTenants"] == [] and go_style["key"]["boundUserId"] == ""
    # Names need not be unique: a second "ci" is a second key with its own id, client id and secret.
    twin = create(emulator)
    assert (
        twin["key"]["id"] != go_style["key"]["id"] and twin["key"]["clientId"] != go_style["key"]["clientId"]
    )
    assert twin["cleartext"] != go_style["cleartext"]


def test_expired_keys(emulator: EmulatorServer, clock: FakeClock) -> None:
    created = create(emulator, expireTime=NOW + 60)
    key_id = created["key"]["id"]
    assert created["key"]["status"] == "active"
    clock.advance(59)
    assert load(emulator, key_id)["status"] == "active"
    clock.advance(1)
    assert load(emulator, key_id)["status"] == "expired"
    assert emulator.state.access_keys.verify(created["cleartext"]) is None
    assert [k["status"] for k in ok(api(emulator, "POST", SEARCH, {}))["keys"]] == ["expired"]
    ok(api(emulator, "POST", ACTIVATE, {"id": key_id}))  # allowed; still expired
    assert load(emulator, key_id)["status"] == "expired"


def test_search_filters(emulator: EmulatorServer) -> None:
    a = create(emulator, name="a", keyTenants=[{"tenantId": "acme"}], customAttributes={"env": "prod"})["key"]
    b = create(emulator, name="b", keyTenants=[{"tenantId": "globex"}], userId="U1")["key"]
    c = create(emulator, name="c", roleNames=["viewer"], customAttributes={"env": "dev"})["key"]

    def names(**filters: Any) -> list[str]:
        return [key["name"] for key in ok(api(emulator, "POST", SEARCH, filters))["keys"]]

    assert names() == names(tenantIds=[], boundUserId="", creatingUser="") == ["a", "b", "c"]
    assert names(tenantIds=["acme", "globex"]) == ["a", "b"]
    assert names(tenantIds=["globex"]) == ["b"]
    assert names(boundUserId="U1") == ["b"]
    assert names(customAttributes={"env": "dev"}) == ["c"]
    assert names(customAttributes={"env": ["dev", "prod"]}) == ["a", "c"]
    assert names(creatingUser="someone") == []
    assert {a["id"], b["id"], c["id"]} == set(emulator.state.access_keys.ids())


def test_update_is_patch_like(emulator: EmulatorServer) -> None:
    key = create(
        emulator,
        name="k",
        description="first",
        roleNames=["viewer"],
        permittedIps=["10.0.0.1"],
        customClaims={"a": 1},
        customAttributes={"env": "prod"},
        expireTime=NOW + 3600,
        userId="U1",
    )["key"]
    answer = ok(
        api(emulator, "POST", UPDATE, {"id": key["id"], "name": "renamed", "expireTime": 0, "userId": "U9"})
    )
    assert set(answer) == {"key"}
    updated = answer["key"]
    assert updated == {**key, "name": "renamed"}  # expireTime and userId cannot change
    updated = ok(
        api(
            emulator,
            "POST",
            UPDATE,
            {
                "id": key["id"],
                "name": "renamed",
                "description": "",
                "permittedIps": [],
                "customClaims": {"b": 2},
            },
        )
    )["key"]
    assert (updated["description"], updated["permittedIps"], updated["customClaims"]) == ("", [], {"b": 2})
    assert (updated["roleNames"], updated["customAttributes"]) == (["viewer"], {"env": "prod"})
    # Moving to tenant roles needs the project roles cleared in the same call.
    moved = {
        "id": key["id"],
        "name": "renamed",
        "keyTenants": [{"tenantId": "acme", "roleNames": ["operator"]}],
    }
    assert_error(api(emulator, "POST", UPDATE, moved), 400, "E011004")
    updated = ok(api(emulator, "POST", UPDATE, {**moved, "roleNames": []}))["key"]
    assert (updated["roleNames"], [kt["tenantId"] for kt in updated["keyTenants"]]) == ([], ["acme"])
    assert_error(api(emulator, "POST", UPDATE, {"id": key["id"]}), 400, "E011002")
    assert_error(api(emulator, "POST", UPDATE, {"id": "Kmissing", "name": "x"}), 400, ACCESS_KEY_NOT_FOUND)
    assert_error(
        api(emulator, "POST", UPDATE, {"id": key["id"], "name": "x", "permittedIps": ["300.1.1.1"]}),
        400,
        "E011004",
    )
    assert load(emulator, key["id"])["name"] == "renamed"


def test_activate_deactivate_and_batches(emulator: EmulatorServer) -> None:
    first = create(emulator, name="one")
    second = create(emulator, name="two")
    ids = [first["key"]["id"], second["key"]["id"]]
    assert ok(api(emulator, "POST", DEACTIVATE, {"id": ids[0]})) == {}
    assert load(emulator, ids[0])["status"] == "inactive"
    assert emulator.state.access_keys.verify(first["cleartext"]) is None
    assert ok(api(emulator, "POST", ACTIVATE, {"id": ids[0]})) == {}
    assert emulator.state.access_keys.verify(first["cleartext"]) == ids[0]
    ok(api(emulator, "POST", DEACTIVATE + "/batch", {"ids": ids}))
    assert [load(emulator, key_id)["status"] for key_id in ids] == ["inactive", "inactive"]
    ok(api(emulator, "POST", ACTIVATE + "/batch", {"ids": ids}))
    assert [load(emulator, key_id)["status"] for key_id in ids] == ["active", "active"]
    assert_error(
        api(emulator, "POST", ACTIVATE + "/batch", {"ids": [ids[0], "Kmissing"]}), 400, ACCESS_KEY_NOT_FOUND
    )
    assert_error(api(emulator, "POST", ACTIVATE + "/batch", {"ids": []}), 400, "E011002")
    for path in (ACTIVATE, DEACTIVATE, DELETE, ROTATE):
        assert_error(api(emulator, "POST", path, {}), 400, "E011002")
        assert_error(api(emulator, "POST", path, {"id": "Kmissing"}), 400, ACCESS_KEY_NOT_FOUND)
    assert_error(
        api(emulator, "POST", DELETE + "/batch", {"ids": [ids[1], "Kmissing"]}), 400, ACCESS_KEY_NOT_FOUND
    )
    assert emulator.state.access_keys.count() == 2  # a rejected batch deletes nothing
    ok(api(emulator, "POST", DELETE + "/batch", {"ids": ids}))
    assert emulator.state.access_keys.count() == 0


def test_rotate_kills_the_old_secret_at_once(emulator: EmulatorServer) -> None:
    created = create(emulator, name="rotating", roleNames=["viewer"])
    key_id = created["key"]["id"]
    rotated = ok(api(emulator, "POST", ROTATE, {"id": key_id}))
    assert set(rotated) == {"cleartext", "key"}
    assert rotated["cleartext"] != created["cleartext"]
    assert rotated["key"] == created["key"]  # same id, name, roles, expiry and metadata
    assert emulator.state.access_keys.verify(created["cleartext"]) is None
    assert emulator.state.access_keys.verify(rotated["cleartext"]) == key_id
    logged = json.dumps([emulator.requests(), admin(emulator, "GET", "/state").json()])
    assert created["cleartext"] not in logged and rotated["cleartext"] not in logged


def test_load_and_delete(emulator: EmulatorServer) -> None:
    key_id = create(emulator)["key"]["id"]
    assert_error(api(emulator, "GET", LOAD), 400, "E011002")
    error = assert_error(api(emulator, "GET", f"{LOAD}?id=Kmissing"), 404, ACCESS_KEY_NOT_FOUND)
    assert "Kmissing" in error["errorMessage"]
    assert ok(api(emulator, "POST", DELETE, {"id": key_id})) == {}
    assert_error(api(emulator, "GET", f"{LOAD}?id={key_id}"), 404, ACCESS_KEY_NOT_FOUND)
    assert_error(api(emulator, "POST", DELETE, {"id": key_id}), 400, ACCESS_KEY_NOT_FOUND)


def test_tenant_delete_and_rename_show_on_keys(emulator: EmulatorServer) -> None:
    key_id = create(emulator, keyTenants=[{"tenantId": "acme"}, {"tenantId": "globex"}])["key"]["id"]
    emulator.state.edit_tenant("globex", name="Globex Corp")
    assert [kt["tenantName"] for kt in load(emulator, key_id)["keyTenants"]] == ["Acme", "Globex Corp"]
    ok(api(emulator, "POST", "/v1/mgmt/tenant/delete", {"id": "acme"}))
    assert [kt["tenantId"] for kt in load(emulator, key_id)["keyTenants"]] == ["globex"]


# ----- faults on the write routes -----------------------------------------------------------------


def test_lost_create_answer_commits_the_key_and_the_cleartext_is_gone(emulator: EmulatorServer) -> None:
    emulator.queue_fault("lost_response", path=CREATE)
    with pytest.raises(requests.ConnectionError):
        api(emulator, "POST", CREATE, {"name": "ghost", "expireTime": 0})
    keys = ok(api(emulator, "POST", SEARCH, {}))["keys"]
    assert [(k["name"], k["status"]) for k in keys] == [("ghost", "active")]
    assert emulator.stats()["requests"][f"POST {CREATE}"] == {"lost_response": 1}
    # Nobody holds its cleartext: the only way to a usable key is rotate (or delete and create again).
    rotated = ok(api(emulator, "POST", ROTATE, {"id": keys[0]["id"]}))
    assert emulator.state.access_keys.verify(rotated["cleartext"]) == keys[0]["id"]


@pytest.mark.parametrize("kind", ["reset", "error", "hang"])
def test_faults_before_processing_create_nothing(emulator: EmulatorServer, kind: str) -> None:
    emulator.set_faults(FaultConfig(hang_seconds=0.05))
    emulator.queue_fault(kind, path=CREATE)
    if kind == "error":
        assert api(emulator, "POST", CREATE, {"name": "k", "expireTime": 0}).status_code == 503
    else:
        with pytest.raises(requests.ConnectionError):
            api(emulator, "POST", CREATE, {"name": "k", "expireTime": 0})
    assert emulator.state.access_keys.count() == 0


def test_lost_rotate_answer_leaves_a_secret_nobody_has(emulator: EmulatorServer) -> None:
    created = create(emulator)
    emulator.queue_fault("lost_response", path=ROTATE)
    with pytest.raises(requests.ConnectionError):
        api(emulator, "POST", ROTATE, {"id": created["key"]["id"]})
    assert emulator.state.access_keys.verify(created["cleartext"]) is None


def test_malformed_and_slow_answers_on_the_new_routes(emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultConfig(slow_seconds=0.01))
    emulator.queue_fault("malformed", path=CREATE, variant="truncated")
    response = api(emulator, "POST", CREATE, {"name": "half", "expireTime": 0})
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert emulator.state.access_keys.count() == 1  # processed, then mangled
    emulator.queue_fault("slow", path=SEARCH)
    assert len(ok(api(emulator, "POST", SEARCH, {}))["keys"]) == 1


# ----- console edits and seeding -------------------------------------------------------------------


def test_console_edit_and_remove_hooks(emulator: EmulatorServer, clock: FakeClock) -> None:
    key_id = create(emulator, roleNames=["viewer"], permittedIps=["10.0.0.1"])["key"]["id"]
    edited = emulator.state.access_keys.edit(
        key_id, permittedIps=["10.0.0.0/24"], roleNames=[], status="inactive", expireTime=NOW + 10
    )
    assert edited == load(emulator, key_id)
    assert (edited["permittedIps"], edited["roleNames"], edited["status"]) == (
        ["10.0.0.0/24"],
        [],
        "inactive",
    )
    clock.advance(10)
    assert load(emulator, key_id)["status"] == "expired"
    with pytest.raises(DescopeError, match="not an IP address"):
        emulator.state.access_keys.edit(key_id, permittedIps=["x"])
    emulator.state.access_keys.remove(key_id)
    assert emulator.state.access_keys.get(key_id) is None


def test_dump_and_seed_round_trip(emulator: EmulatorServer, clock: FakeClock) -> None:
    created = create(
        emulator, keyTenants=[{"tenantId": "acme", "roleNames": ["operator"]}], expireTime=NOW + 5
    )
    ok(api(emulator, "POST", DEACTIVATE, {"id": created["key"]["id"]}))
    dumped = admin(emulator, "GET", "/state").json()
    assert created["cleartext"] not in json.dumps(dumped)
    with EmulatorServer(wall_clock=clock) as copy:
        assert admin(copy, "POST", "/seed", dumped).status_code == 200
        assert ok(api(copy, "POST", SEARCH, {}))["keys"] == [load(emulator, created["key"]["id"])]
        ok(api(copy, "POST", ACTIVATE, {"id": created["key"]["id"]}))
        assert copy.state.access_keys.verify(created["cleartext"]) == created["key"]["id"]
        clock.advance(5)
        assert copy.state.access_keys.verify(created["cleartext"]) is None


def test_seed_with_a_plain_cleartext(emulator: EmulatorServer) -> None:
    seed = {
        "accessKeys": [
            {"id": "Kseeded", "name": "seeded", "cleartext": "seeded-secret", "status": "inactive"}
        ]
    }
    assert admin(emulator, "POST", "/seed", seed).status_code == 200
    assert load(emulator, "Kseeded")["status"] == "inactive"
    emulator.state.access_keys.edit("Kseeded", status="active")
    assert emulator.state.access_keys.verify("seeded-secret") == "Kseeded"
    assert admin(emulator, "POST", "/seed", seed).status_code == 400  # the id is taken
    admin(emulator, "POST", "/reset")
    assert emulator.state.access_keys.count() == 0
