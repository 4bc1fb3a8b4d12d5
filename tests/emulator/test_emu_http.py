"""Raw HTTP behaviour: auth, error shapes, routing, keep-alive, admin endpoints, stats, concurrency."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from descope_emulator import DEFAULT_MANAGEMENT_KEY, DEFAULT_PROJECT_ID, EmulatorServer, FaultConfig, Quota
from emu_support import admin, api, assert_error

CREATE = "/v1/mgmt/tenant/create"


def test_defaults_and_url(emulator: EmulatorServer) -> None:
    assert emulator.project_id == DEFAULT_PROJECT_ID == "P2emulator000000000000000000"
    assert emulator.management_key == DEFAULT_MANAGEMENT_KEY == "K2emulator"
    assert emulator.url == f"http://127.0.0.1:{emulator.port}"
    assert emulator.port > 0


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        f"Bearer {DEFAULT_PROJECT_ID}",
        f"Bearer {DEFAULT_PROJECT_ID}:wrong",
        f"Bearer Pother:{DEFAULT_MANAGEMENT_KEY}",
        f"Basic {DEFAULT_PROJECT_ID}:{DEFAULT_MANAGEMENT_KEY}",
        f"Bearer {DEFAULT_PROJECT_ID}:{DEFAULT_MANAGEMENT_KEY}x",
    ],
)
def test_every_v1_route_needs_the_management_key(emulator: EmulatorServer, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in [("POST", CREATE), ("GET", "/v1/mgmt/tenant/all"), ("GET", "/v1/mgmt/license")]:
        response = api(emulator, method, path, {"name": "A"}, headers=headers)
        body = assert_error(response, 401, "E011005")
        assert DEFAULT_MANAGEMENT_KEY not in json.dumps(body)
    assert emulator.state.tenant_count() == 0


def test_license(emulator: EmulatorServer) -> None:
    response = api(emulator, "GET", "/v1/mgmt/license")
    assert response.status_code == 200
    assert response.json() == {"rateLimitTier": "tier1"}


def test_error_shapes(emulator: EmulatorServer) -> None:
    assert_error(api(emulator, "POST", CREATE, {}), 400, "E011002")
    assert_error(api(emulator, "POST", CREATE, data=b"{not json"), 400, "E011003")
    assert_error(api(emulator, "POST", CREATE, data=b"[1, 2]"), 400, "E011003")
    assert_error(api(emulator, "POST", "/v1/mgmt/tenant/update", {"name": "x"}), 400, "E011002")
    assert_error(api(emulator, "POST", "/v1/mgmt/tenant/delete", {}), 400, "E011002")
    assert_error(api(emulator, "GET", "/v1/mgmt/tenant?id=nope"), 404, "E112202")
    assert_error(api(emulator, "GET", "/v1/mgmt/tenant"), 400, "E011002")
    assert_error(api(emulator, "POST", "/v1/mgmt/tenant/update", {"id": "nope", "name": "x"}), 400, "E112202")
    assert_error(api(emulator, "GET", "/v1/mgmt/nothing"), 404, "E000404")
    assert_error(api(emulator, "GET", CREATE), 405, "E000405")
    # Outside /v1/ and /emulator: a plain 404, no credentials involved.
    assert_error(requests.get(emulator.url + "/", timeout=5), 404, "E000404")


def test_duplicates_are_400_already_exists(emulator: EmulatorServer) -> None:
    assert api(emulator, "POST", CREATE, {"name": "Acme", "selfProvisioningDomains": ["acme.com"]}).ok
    for body in ({"name": "acme"}, {"name": "Other", "selfProvisioningDomains": ["ACME.com"]}):
        error = assert_error(api(emulator, "POST", CREATE, body), 400, "E011004")
        assert "already exists" in error["errorMessage"]
        assert "already exists" in error["errorDescription"]


def test_tenant_round_trip_over_http(emulator: EmulatorServer) -> None:
    created = api(emulator, "POST", CREATE, {"name": "Acme", "id": None}).json()
    tenant_id = created["id"]
    assert set(created) == {"id"}
    loaded = api(emulator, "GET", f"/v1/mgmt/tenant?id={tenant_id}").json()
    assert loaded["name"] == "Acme"
    assert isinstance(loaded["createdTime"], int)
    assert api(emulator, "GET", "/v1/mgmt/tenant/all").json()["tenants"] == [loaded]
    update = api(emulator, "POST", "/v1/mgmt/tenant/update", {"id": tenant_id, "name": "Acme 2"})
    assert (update.status_code, update.json()) == (200, {})
    patched = api(emulator, "PATCH", "/v1/mgmt/tenant/patch", {"id": tenant_id, "disabled": True})
    assert patched.status_code == 200
    assert emulator.state.get_tenant(tenant_id) == {**loaded, "name": "Acme 2", "disabled": True}
    assert api(emulator, "POST", "/v1/mgmt/tenant/delete", {"id": tenant_id, "cascade": False}).ok
    assert emulator.state.tenant_count() == 0


def test_keep_alive_serves_many_requests_on_one_connection(emulator: EmulatorServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    try:
        for i in range(5):
            connection.request("POST", CREATE, body=json.dumps({"name": f"T{i}"}), headers=emulator.headers)
            response = connection.getresponse()
            assert response.status == 200
            assert response.getheader("Content-Length") == str(len(response.read()))
            assert response.version == 11
        sock_before = connection.sock
        connection.request("GET", "/v1/mgmt/tenant/all", headers=emulator.headers)
        assert len(json.loads(connection.getresponse().read())["tenants"]) == 5
        assert connection.sock is sock_before  # still the same TCP connection
    finally:
        connection.close()


def test_chunked_request_body(emulator: EmulatorServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": '
        yield b'"Chunky"}'

    response = requests.post(emulator.url + CREATE, data=chunks(), headers=emulator.headers, timeout=5)
    assert response.status_code == 200
    assert emulator.state.search_tenants({"tenantNames": ["Chunky"]})["tenants"]


def test_stats_count_by_route_and_status(emulator: EmulatorServer) -> None:
    api(emulator, "POST", CREATE, {"name": "A"})
    api(emulator, "POST", CREATE, {"name": "A"})
    api(emulator, "GET", "/v1/mgmt/tenant?id=nope")
    api(emulator, "GET", "/v1/mgmt/tenant/all", headers={})
    admin(emulator, "GET", "/health")  # admin calls are not counted
    stats = admin(emulator, "GET", "/stats").json()
    assert stats == {
        "requests": {
            f"POST {CREATE}": {"200": 1, "400": 1},
            "GET /v1/mgmt/tenant": {"404": 1},
            "GET /v1/mgmt/tenant/all": {"401": 1},
        },
        "total": 4,
        "rate_limited": 0,
        "faults": {"error": 0, "reset": 0, "slow": 0, "lost_response": 0, "malformed": 0, "hang": 0},
        "tenants": 1,
    }
    assert emulator.stats() == stats


def test_request_log_never_holds_the_management_key(emulator: EmulatorServer) -> None:
    api(emulator, "POST", CREATE, {"name": "A"}, headers={**emulator.headers, "X-Api-Key": "also-secret"})
    api(emulator, "GET", "/v1/mgmt/tenant/all", headers={"Authorization": "Bearer P:guess"})
    log = admin(emulator, "GET", "/requests").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", CREATE, 200),
        ("GET", "/v1/mgmt/tenant/all", 401),
    ]
    assert log[0]["body"] == {"name": "A"}
    text = json.dumps(log)
    for secret in (DEFAULT_MANAGEMENT_KEY, "also-secret", "guess", "Authorization", "authorization"):
        assert secret not in text
    assert admin(emulator, "GET", "/requests?limit=1").json()["requests"] == log[-1:]
    assert emulator.requests(1) == log[-1:]


def test_admin_endpoints(emulator: EmulatorServer) -> None:
    assert admin(emulator, "GET", "/health").json() == {"ok": True}

    seeded = admin(
        emulator,
        "POST",
        "/seed",
        {
            "permissions": [{"name": "read"}],
            "tenants": [{"id": "root", "name": "Root"}, {"id": "kid", "name": "Kid", "parent": "root"}],
            "roles": [{"name": "viewer", "permissionNames": ["read"]}],
        },
    )
    assert seeded.json() == {"tenants": 2}
    state = admin(emulator, "GET", "/state").json()
    assert [t["id"] for t in state["tenants"]] == ["root", "kid"]
    assert state["tenants"][0]["successors"] == ["kid"]
    assert [r["name"] for r in state["roles"]] == ["Tenant Admin", "viewer"]
    assert_error(admin(emulator, "POST", "/seed", {"tenants": [{"name": "Root"}]}), 400, "E011004")

    faults = admin(emulator, "POST", "/faults", {"error_rate": 0.25, "slow_seconds": 0.5, "seed": 9}).json()
    assert faults["error_rate"] == 0.25
    assert faults["slow_seconds"] == 0.5
    assert faults["seed"] == 9
    assert admin(emulator, "GET", "/faults").json() == faults
    shorthand = admin(emulator, "POST", "/faults", {"fault_rate": 0.4}).json()
    assert [
        shorthand[f"{k}_rate"] for k in ("error", "reset", "slow", "lost_response", "malformed", "hang")
    ] == [
        0.1,
        0.1,
        0.1,
        0.1,
        0.0,
        0.0,
    ]
    queued = admin(emulator, "POST", "/faults/queue", {"kind": "error", "path": CREATE, "status": 530}).json()
    assert queued["queue"] == [{"kind": "error", "method": None, "path": CREATE, "status": 530}]
    assert_error(admin(emulator, "POST", "/faults", {"error_rate": 2}), 400, "E011003")
    assert_error(admin(emulator, "POST", "/faults", {"typo_rate": 0.1}), 400, "E011003")
    assert_error(admin(emulator, "POST", "/faults/queue", {"kind": "gremlins"}), 400, "E011003")
    assert admin(emulator, "POST", "/faults", None).json()["error_rate"] == 0.0

    assert admin(emulator, "POST", "/quota", {"requests": 5, "seconds": 60}).json() == {
        "quota": {"requests": 5, "seconds": 60.0}
    }
    assert admin(emulator, "GET", "/quota").json() == {"quota": {"requests": 5, "seconds": 60.0}}
    assert admin(emulator, "POST", "/quota", None).json() == {"quota": None}
    assert_error(admin(emulator, "POST", "/quota", {"requests": 0, "seconds": 1}), 400, "E011003")
    assert_error(admin(emulator, "POST", "/quota", [1]), 400, "E011003")

    assert_error(admin(emulator, "GET", "/nothing"), 404, "E000404")
    assert_error(admin(emulator, "GET", "/reset"), 405, "E000405")
    bad_json = requests.post(emulator.url + "/emulator/faults", data=b"{", timeout=5)
    assert_error(bad_json, 400, "E011003")


def test_admin_reset_restores_start_up_config_unless_kept() -> None:
    start_faults = FaultConfig(slow_rate=0.5, slow_seconds=0.0)
    with EmulatorServer(faults=start_faults, quota=Quota(100, 60)) as emulator:
        api(emulator, "POST", CREATE, {"name": "A"})
        admin(emulator, "POST", "/quota", {"requests": 1, "seconds": 1})
        admin(emulator, "POST", "/faults", {"error_rate": 1.0})
        assert admin(emulator, "POST", "/reset", {"keep_config": True}).json() == {
            "ok": True,
            "keep_config": True,
        }
        assert emulator.state.tenant_count() == 0
        assert emulator.stats()["total"] == 0
        assert admin(emulator, "GET", "/quota").json() == {"quota": {"requests": 1, "seconds": 1.0}}
        assert admin(emulator, "GET", "/faults").json()["error_rate"] == 1.0

        assert admin(emulator, "POST", "/reset").json() == {"ok": True, "keep_config": False}
        assert admin(emulator, "GET", "/quota").json() == {"quota": {"requests": 100, "seconds": 60.0}}
        assert admin(emulator, "GET", "/faults").json()["slow_rate"] == 0.5
        assert admin(emulator, "GET", "/faults").json()["error_rate"] == 0.0


def test_admin_is_exempt_from_quota_and_faults(emulator: EmulatorServer) -> None:
    emulator.set_quota(Quota(1, 60))
    emulator.set_faults(FaultConfig(reset_rate=1.0))
    for _ in range(5):
        assert admin(emulator, "GET", "/stats").status_code == 200
    assert emulator.stats()["total"] == 0


def test_concurrent_creates_are_all_unique_and_counted(emulator: EmulatorServer) -> None:
    def worker(n: int) -> list[str]:
        with requests.Session() as session:
            return [
                api(emulator, "POST", CREATE, {"name": f"w{n}-{i}"}, session=session).json()["id"]
                for i in range(25)
            ]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = [tenant_id for batch in pool.map(worker, range(4)) for tenant_id in batch]
    assert len(ids) == len(set(ids)) == 100
    stats = emulator.stats()
    assert stats["tenants"] == 100
    assert stats["total"] == 100
    assert stats["requests"][f"POST {CREATE}"] == {"200": 100}


def test_concurrent_duplicate_names_yield_exactly_one_tenant(emulator: EmulatorServer) -> None:
    barrier = threading.Barrier(8)

    def worker(_: int) -> int:
        barrier.wait()
        return api(emulator, "POST", CREATE, {"name": "Contested"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(worker, range(8)))
    assert statuses == [200] + [400] * 7
    assert emulator.state.tenant_count() == 1


def test_stop_closes_idle_keep_alive_connections_promptly() -> None:
    emulator = EmulatorServer().start()
    url = emulator.url
    session = requests.Session()
    api(emulator, "GET", "/v1/mgmt/tenant/all", session=session)
    started = time.monotonic()
    emulator.stop()
    assert time.monotonic() - started < 2
    emulator.stop()  # idempotent
    with pytest.raises(requests.ConnectionError):
        session.get(url + "/v1/mgmt/tenant/all", headers=emulator.headers, timeout=1)
    session.close()


def test_admin_console_edits(emulator: EmulatorServer) -> None:
    """The console edits of Store.edit_*/remove_*, over HTTP for an emulator in another process."""
    emulator.state.load(
        {
            "permissions": [{"name": "read"}, {"name": "write"}],
            "tenants": [{"id": "t1", "name": "Acme"}, {"id": "kid", "name": "Kid", "parent": "t1"}],
            "roles": [{"name": "viewer", "permissionNames": ["read"]}, {"name": "admin", "tenantId": "t1"}],
        }
    )
    edited = admin(
        emulator, "POST", "/tenants/edit", {"id": "t1", "name": "Acme Inc", "disabled": True}
    ).json()
    assert (edited["name"], edited["disabled"]) == ("Acme Inc", True)
    role = admin(
        emulator,
        "POST",
        "/roles/edit",
        {"role": "admin", "tenantId": "t1", "name": "owner", "permissionNames": ["write"]},
    ).json()
    assert (role["name"], role["tenantId"], role["permissionNames"]) == ("owner", "t1", ["write"])
    by_id = admin(emulator, "POST", "/roles/edit", {"role": role["id"], "description": "Owns"}).json()
    assert (by_id["name"], by_id["description"], by_id["permissionNames"]) == ("owner", "Owns", ["write"])
    permission = admin(emulator, "POST", "/permissions/edit", {"permission": "read", "name": "view"}).json()
    assert permission["name"] == "view"
    assert emulator.state.get_role("viewer") is not None
    assert emulator.state.get_role("viewer")["permissionNames"] == ["view"]  # type: ignore[index]

    assert admin(emulator, "POST", "/permissions/remove", {"permission": "view"}).json() == {"ok": True}
    assert admin(emulator, "POST", "/roles/remove", {"role": "viewer"}).json() == {"ok": True}
    assert admin(emulator, "POST", "/tenants/remove", {"id": "t1"}).json() == {"ok": True}  # cascades
    state = admin(emulator, "GET", "/state").json()
    assert state["tenants"] == []
    assert [r["name"] for r in state["roles"]] == ["Tenant Admin"]
    assert [p["name"] for p in state["permissions"]] == ["Impersonate", "User Admin", "SSO Admin", "write"]

    assert_error(admin(emulator, "POST", "/roles/remove", {"role": "viewer"}), 400, "E112302")
    assert_error(admin(emulator, "POST", "/permissions/edit", {"permission": "ghost"}), 400, "E112402")
    assert_error(
        admin(emulator, "POST", "/permissions/edit", {"permission": "write", "color": "red"}), 400, "E011003"
    )
    assert_error(admin(emulator, "POST", "/tenants/edit", {"name": "no handle"}), 400, "E011003")
    assert_error(admin(emulator, "POST", "/roles/remove", {"role": "Tenant Admin"}), 400, "E011004")
