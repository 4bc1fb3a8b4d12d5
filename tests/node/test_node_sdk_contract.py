"""Contract tests: the official Descope Node SDK (``@descope/node-sdk``, pinned in package.json and
installed by ``make test`` with ``npm ci``) against the emulator, a real HTTP server on loopback.

Python drives, Node calls: each test sends a list of SDK calls to ``sdk_runner.mjs`` and checks the
SDK's answers (``{ok, code, data, error}``), the requests the emulator received (the request shapes
the SDK really sends) and the answers' conformance to the SDK's own TypeScript types.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer, Quota

from tests.node.ts_types import TypeScriptTypes

REPO = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("sdk_runner.mjs")
NODE_SDK = REPO / "node_modules" / "@descope" / "node-sdk"
U = {"$undefined": True}  # an omitted optional argument


@pytest.fixture(scope="session")
def node() -> str:
    binary = shutil.which("node")
    if binary is None:
        pytest.fail("Node.js (18 or newer) is required for the Node contract tests: install it and rerun")
    if not (NODE_SDK / "package.json").is_file():
        pytest.fail("@descope/node-sdk is not installed: run `make test` (it runs `npm ci`) or `npm ci`")
    return binary


@pytest.fixture(scope="session")
def ts() -> TypeScriptTypes:
    return TypeScriptTypes(NODE_SDK / "dist" / "index.d.ts")


def call(name: str, *args: Any) -> dict[str, Any]:
    return {"call": name, "args": list(args)}


def run(node: str, emulator: EmulatorServer, *calls: dict[str, Any]) -> list[dict[str, Any]]:
    """Runs the calls in one Node process, in order; answers one result per call."""
    payload = {
        "baseUrl": emulator.url,
        "projectId": emulator.project_id,
        "managementKey": emulator.management_key,
        "calls": list(calls),
    }
    done = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    assert len(results) == len(calls)
    assert not [r for r in results if "thrown" in r], results
    return results


def api_requests(emulator: EmulatorServer) -> list[dict[str, Any]]:
    """The management requests received, without the SDK's license handshake."""
    return [r for r in emulator.requests() if r["path"] != "/v1/mgmt/license"]


def sent(emulator: EmulatorServer, path: str) -> list[Any]:
    return [r["body"] for r in api_requests(emulator) if r["path"] == path]


def assert_ok(result: dict[str, Any]) -> Any:
    assert result["ok"] is True and result["code"] == 200, result
    return result.get("data")


def assert_error(result: dict[str, Any], status: int, code: str) -> dict[str, Any]:
    assert result["ok"] is False and result["code"] == status, result
    error: dict[str, Any] = result["error"]
    assert error["errorCode"] == code, error
    assert error["errorDescription"] and error["errorMessage"]
    return error


def conforms(ts: TypeScriptTypes, value: Any, type_name: str) -> None:
    assert ts.problems(value, type_name) == []


# ----- tenants -----------------------------------------------------------------------------------


def test_tenant_calls_shapes_and_types(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    emulator.state.create_role({"name": "viewer"})
    results = run(
        node,
        emulator,
        call("tenant.create", "Acme", ["acme.com"], {"tier": "gold"}, True, False, U, "userOnly"),
        call("tenant.createWithId", "kid", "Kid", U, U, U, U, U, U),
        call("tenant.loadAll"),
        call("tenant.update", "kid", "Kid Renamed", ["kid.io"], {"tier": "gold"}, False, True, "none"),
        call("tenant.updateDefaultRoles", "kid", ["viewer"]),
        call("tenant.load", "kid"),
        call("tenant.delete", "kid", True),
        call("tenant.loadAll"),
    )
    created = assert_ok(results[0])
    conforms(ts, created, "CreateTenantResponse")
    assert_ok(results[1])
    tenants = assert_ok(results[2])
    conforms(ts, tenants, "Tenant[]")
    assert [t["name"] for t in tenants] == ["Acme", "Kid"]
    assert (tenants[0]["customAttributes"], tenants[0]["enforceSSO"]) == ({"tier": "gold"}, True)
    assert tenants[0]["roleInheritance"] == "userOnly"
    assert_ok(results[3])
    assert_ok(results[4])
    kid = assert_ok(results[5])
    conforms(ts, kid, "Tenant")
    assert (kid["name"], kid["selfProvisioningDomains"], kid["disabled"]) == ("Kid Renamed", ["kid.io"], True)
    assert kid["defaultRoles"] == ["viewer"]
    assert_ok(results[6])
    assert [t["id"] for t in assert_ok(results[7])] == [created["id"]]

    # What the SDK puts on the wire: undefined arguments are left out, ids travel as given.
    assert sent(emulator, "/v1/mgmt/tenant/create") == [
        {
            "name": "Acme",
            "selfProvisioningDomains": ["acme.com"],
            "customAttributes": {"tier": "gold"},
            "enforceSSO": True,
            "disabled": False,
            "roleInheritance": "userOnly",
        },
        {"id": "kid", "name": "Kid"},
    ]
    assert sent(emulator, "/v1/mgmt/tenant/delete") == [{"id": "kid", "cascade": True}]
    assert sent(emulator, "/v1/mgmt/tenant/updateDefaultRoles") == [{"id": "kid", "defaultRoles": ["viewer"]}]


def test_tenant_search_filters(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    store = emulator.state
    store.create_tenant({"id": "root", "name": "Root", "selfProvisioningDomains": ["root.com"]})
    store.create_tenant({"id": "a", "name": "Alpha", "parent": "root", "customAttributes": {"tier": "gold"}})
    store.create_tenant({"id": "b", "name": "Beta", "parent": "root"})
    store.create_tenant({"id": "c", "name": "Gamma", "customAttributes": {"tier": "gold"}})
    results = run(
        node,
        emulator,
        call("tenant.searchAll"),
        call("tenant.searchAll", ["a", "c"]),
        call("tenant.searchAll", U, ["beta"]),
        call("tenant.searchAll", U, U, ["ROOT.com"]),
        call("tenant.searchAll", U, U, U, {"tier": "gold"}),
        call("tenant.searchAll", U, U, U, U, "root"),
        call("tenant.searchAll", U, U, U, {"tier": "gold"}, "root"),
        call("tenant.searchAll", [], [], [], {}, ""),
    )
    found = [[t["id"] for t in assert_ok(result)] for result in results]
    for result in results:
        conforms(ts, result["data"], "Tenant[]")
    assert found == [
        ["root", "a", "b", "c"],
        ["a", "c"],
        ["b"],
        ["root"],
        ["a", "c"],
        ["a", "b"],
        ["a"],
        ["root", "a", "b", "c"],  # empty filters, "" parent: no filter at all
    ]
    assert sent(emulator, "/v1/mgmt/tenant/search")[5] == {"parentTenantId": "root"}


def test_tenant_errors(node: str, emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "t1", "name": "Taken", "selfProvisioningDomains": ["taken.com"]})
    results = run(
        node,
        emulator,
        call("tenant.load", "ghost"),
        call("tenant.update", "ghost", "Ghost"),
        call("tenant.delete", "ghost"),
        call("tenant.create", "taken"),
        call("tenant.createWithId", "t1", "Other"),
        call("tenant.create", "Other", ["TAKEN.com"]),
        call("tenant.create", "Bad", U, U, U, U, U, "everyone"),
        call("tenant.getSettings", "ghost"),
    )
    assert_error(results[0], 404, "E112202")
    assert_error(results[1], 400, "E112202")
    assert_error(results[2], 400, "E112202")
    for duplicate in results[3:6]:
        assert "already exists" in assert_error(duplicate, 400, "E011004")["errorMessage"]
    assert "roleInheritance" in assert_error(results[6], 400, "E011004")["errorMessage"]
    assert_error(results[7], 404, "E112202")


def test_tenant_settings(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    emulator.state.create_tenant({"id": "t1", "name": "Acme", "enforceSSO": True})
    settings = {
        "selfProvisioningDomains": ["acme.com"],
        "domains": ["sso.acme.com"],
        "authType": "oidc",
        "enabled": True,
        "refreshTokenExpiration": 2,
        "refreshTokenExpirationUnit": "weeks",
        "sessionTokenExpiration": 15,
        "sessionTokenExpirationUnit": "minutes",
        "stepupTokenExpiration": 5,
        "stepupTokenExpirationUnit": "minutes",
        "enableInactivity": True,
        # The Node SDK's TypeScript type spells these two with a capital I.
        "InactivityTime": 3,
        "InactivityTimeUnit": "days",
        "JITDisabled": True,
        "ssoSetupSuiteSettings": {"enabled": True, "styleId": "dark", "disabledFeatures": {"scim": True}},
    }
    results = run(
        node,
        emulator,
        call("tenant.getSettings", "t1"),
        call("tenant.configureSettings", "t1", settings),
        call("tenant.getSettings", "t1"),
        call("tenant.configureSettings", "t1", {"selfProvisioningDomains": [], "inactivityTime": 2}),
        call("tenant.getSettings", "t1"),
        call(
            "tenant.configureSettings",
            "t1",
            {"selfProvisioningDomains": [], "sessionTokenExpirationUnit": "years"},
        ),
        call(
            "tenant.configureSettings",
            "t1",
            {"selfProvisioningDomains": [], "ssoSetupSuiteSettings": {"x": 1}},
        ),
    )
    conforms(ts, assert_ok(results[0]), "TenantSettings")
    assert_ok(results[1])
    assert sent(emulator, "/v1/mgmt/tenant/settings")[0] == {**settings, "tenantId": "t1"}
    loaded = assert_ok(results[2])
    conforms(ts, loaded, "TenantSettings")
    assert (loaded["inactivityTime"], loaded["inactivityTimeUnit"]) == (3, "days")
    assert (loaded["sessionTokenExpiration"], loaded["refreshTokenExpirationUnit"]) == (15, "weeks")
    assert (loaded["authType"], loaded["domains"], loaded["JITDisabled"]) == ("oidc", ["sso.acme.com"], True)
    assert loaded["ssoSetupSuiteSettings"] == {
        "enabled": True,
        "styleId": "dark",
        "disabledFeatures": {
            "saml": False,
            "oidc": False,
            "scim": True,
            "ssoDomains": False,
            "groupMapping": False,
        },
    }
    assert loaded["enforceSSO"] is True  # a tenant field the settings call did not send
    assert_ok(results[3])
    reset = assert_ok(results[4])  # a full replace: what was not sent is back to the defaults
    assert (reset["inactivityTime"], reset["inactivityTimeUnit"], reset["enabled"]) == (2, "hours", False)
    assert (reset["authType"], reset["ssoSetupSuiteSettings"]["enabled"]) == ("none", False)
    assert "sessionTokenExpirationUnit" in assert_error(results[5], 400, "E011004")["errorMessage"]
    assert "ssoSetupSuiteSettings" in assert_error(results[6], 400, "E011003")["errorMessage"]


# ----- permissions -------------------------------------------------------------------------------


def test_permission_calls(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    emulator.state.create_role({"name": "editor"})
    first = run(
        node,
        emulator,
        call("permission.loadAll"),
        call("permission.create", "read", "Read things"),
        call("permission.createBatch", [{"name": "write"}, {"name": "share", "description": "Share"}]),
        call("permission.update", "write", "edit", "Edit things"),
        call("role.update", "editor", "editor", U, ["read", "edit", "share"]),
        call("permission.loadAll"),
    )
    builtin = assert_ok(first[0])
    conforms(ts, builtin, "Permission[]")
    assert [(p["name"], p["systemDefault"]) for p in builtin] == [
        ("Impersonate", True),
        ("User Admin", True),
        ("SSO Admin", True),
    ]
    for result in first[1:5]:
        assert_ok(result)
    permissions = {p["name"]: p for p in assert_ok(first[5])}
    conforms(ts, list(permissions.values()), "Permission[]")
    assert list(permissions)[3:] == ["read", "edit", "share"]
    assert permissions["edit"]["description"] == "Edit things"
    assert all(p["id"].startswith("PERM") for p in permissions.values())
    assert sent(emulator, "/v1/mgmt/permission/create/batch") == [
        {"permissions": [{"name": "write"}, {"name": "share", "description": "Share"}]}
    ]

    read_id, edit_id, share_id = (permissions[n]["id"] for n in ("read", "edit", "share"))
    second = run(
        node,
        emulator,
        call("permission.updateWithId", read_id, "view", "View things"),
        call("permission.updateBatch", [{"id": edit_id, "newName": "modify"}]),
        call("permission.loadAll"),
        call("permission.deleteWithId", share_id),
        call("permission.delete", "modify"),
        call("role.loadAll"),
        call("permission.deleteBatch", ["view"], U),
        call("permission.loadAll"),
    )
    for index in (0, 1, 3, 4, 6):
        assert_ok(second[index])
    renamed = {p["id"]: p for p in assert_ok(second[2])}
    assert (renamed[read_id]["name"], renamed[read_id]["description"]) == ("view", "View things")
    assert (renamed[edit_id]["name"], renamed[edit_id]["description"]) == ("modify", "")
    editor = next(r for r in assert_ok(second[5]) if r["name"] == "editor")
    assert editor["permissionNames"] == ["view"]  # renames followed, deletions cascaded
    assert [p["name"] for p in assert_ok(second[7])] == ["Impersonate", "User Admin", "SSO Admin"]
    assert sent(emulator, "/v1/mgmt/permission/delete") == [{"id": share_id}, {"name": "modify"}]
    assert sent(emulator, "/v1/mgmt/permission/delete/batch") == [{"names": ["view"]}]


def test_permission_errors(node: str, emulator: EmulatorServer) -> None:
    emulator.state.create_permission({"name": "read"})
    results = run(
        node,
        emulator,
        call("permission.create", "read"),
        call("permission.create", "Impersonate"),
        call("permission.delete", "User Admin"),
        call("permission.update", "SSO Admin", "Renamed"),
        call("permission.update", "ghost", "x"),
        call("permission.deleteWithId", "PERMghost"),
        call("permission.deleteBatch", ["read", "ghost"]),
        call("permission.createBatch", [{"name": "new"}, {"name": "read"}]),
        call("permission.loadAll"),
    )
    assert "already exists" in assert_error(results[0], 400, "E011004")["errorMessage"]
    assert "already exists" in assert_error(results[1], 400, "E011004")["errorMessage"]
    assert "system permission" in assert_error(results[2], 400, "E011004")["errorMessage"]
    assert "system permission" in assert_error(results[3], 400, "E011004")["errorMessage"]
    assert_error(results[4], 400, "E112402")
    assert_error(results[5], 400, "E112402")
    assert_error(results[6], 400, "E112402")
    assert_error(results[7], 400, "E011004")
    # Both batches were all or nothing.
    assert [p["name"] for p in assert_ok(results[8])][3:] == ["read"]


# ----- roles -------------------------------------------------------------------------------------


def test_role_calls(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    store = emulator.state
    store.create_tenant({"id": "t1", "name": "Acme"})
    store.create_permission({"name": "read"})
    store.create_permission({"name": "write"})
    first = run(
        node,
        emulator,
        call("role.create", "viewer", "Views", ["read"], U, True),
        call("role.create", "Admin", U, ["read", "write"], "t1"),
        call("role.createBatch", [{"name": "auditor", "permissionNames": ["read"]}, {"name": "Admin"}]),
        call("role.loadAll"),
    )
    for result in first[:2]:
        assert_ok(result)
    batch = assert_ok(first[2])
    conforms(ts, batch, "Role[]")
    assert [(r["name"], r["tenantId"]) for r in batch] == [("auditor", ""), ("Admin", "")]
    roles = assert_ok(first[3])
    conforms(ts, roles, "Role[]")
    assert [(r["name"], r["tenantId"]) for r in roles] == [
        ("Tenant Admin", ""),
        ("viewer", ""),
        ("Admin", "t1"),
        ("auditor", ""),
        ("Admin", ""),
    ]
    assert all(r["id"].startswith("ROL") for r in roles)
    viewer = roles[1]
    assert (viewer["description"], viewer["permissionNames"], viewer["default"]) == ("Views", ["read"], True)
    assert sent(emulator, "/v1/mgmt/role/create")[0] == {
        "name": "viewer",
        "description": "Views",
        "permissionNames": ["read"],
        "default": True,
    }
    viewer_id, auditor_id, admin_id = viewer["id"], roles[3]["id"], roles[4]["id"]
    store.update_default_roles({"id": "t1", "defaultRoles": ["viewer"]})

    second = run(
        node,
        emulator,
        call("role.updateWithId", viewer_id, "reader", "Reads", ["read"]),
        call("role.update", "Admin", "Owner", U, ["write"], "t1"),
        call("role.updateBatch", [{"id": auditor_id, "newName": "inspector", "permissionNames": ["write"]}]),
        call("role.search", {"tenantIds": ["t1"]}),
        call("role.search", {"tenantIds": ["t1"], "includeProjectRoles": True, "roleNameLike": "o"}),
        call("role.search", {"permissionNames": ["write"]}),
        call("role.search", {"roleNames": ["reader", "Owner"]}),
        call("role.search", {"roleIds": [viewer_id]}),
        call("role.search", {}),
    )
    for result in second[:2]:
        assert_ok(result)
    updated = assert_ok(second[2])
    conforms(ts, updated, "Role[]")
    assert [(r["id"], r["name"], r["permissionNames"]) for r in updated] == [
        (auditor_id, "inspector", ["write"])
    ]
    names = [[(r["name"], r["tenantId"]) for r in assert_ok(result)] for result in second[3:]]
    for result in second[3:]:
        conforms(ts, result["data"], "Role[]")
    assert names == [
        [("Owner", "t1")],
        [("Owner", "t1"), ("inspector", "")],
        [("Owner", "t1"), ("inspector", "")],
        [("reader", ""), ("Owner", "t1")],
        [("reader", "")],
        [("Tenant Admin", ""), ("reader", ""), ("Owner", "t1"), ("inspector", ""), ("Admin", "")],
    ]
    reader = store.get_role(viewer_id)
    assert reader is not None and (reader["id"], reader["description"], reader["default"]) == (
        viewer_id,
        "Reads",
        False,
    )
    assert store.load_tenant("t1")["defaultRoles"] == ["reader"]  # the rename followed
    assert store.get_role("Owner", "t1") is not None and store.get_role("Admin", "t1") is None

    third = run(
        node,
        emulator,
        call("role.delete", "Owner", "t1"),
        call("role.deleteWithId", viewer_id),
        call("role.deleteBatch", ["inspector"], U, U),
        call("role.deleteBatch", U, U, [admin_id]),
        call("role.loadAll"),
    )
    for result in third[:4]:
        assert_ok(result)
    assert [r["name"] for r in assert_ok(third[4])] == ["Tenant Admin"]
    assert store.load_tenant("t1")["defaultRoles"] == []
    assert sent(emulator, "/v1/mgmt/role/delete") == [{"name": "Owner", "tenantId": "t1"}, {"id": viewer_id}]
    assert sent(emulator, "/v1/mgmt/role/delete/batch")[0] == {"roleNames": ["inspector"]}


def test_role_errors(node: str, emulator: EmulatorServer) -> None:
    store = emulator.state
    store.create_tenant({"id": "t1", "name": "Acme"})
    store.create_role({"name": "viewer"})
    results = run(
        node,
        emulator,
        call("role.create", "viewer"),
        call("role.create", "x", U, ["ghost"]),
        call("role.create", "x", U, U, "no-such-tenant"),
        call("role.update", "ghost", "x"),
        call("role.update", "viewer", "x", U, U, "t1"),  # viewer is a project role, not one of t1
        call("role.deleteWithId", "ROLghost"),
        call("role.delete", "Tenant Admin"),
        call("role.update", "Tenant Admin", "Boss"),
        call("role.deleteBatch", ["viewer", "ghost"]),
        call("role.createBatch", [{"name": "new"}, {"name": "viewer"}]),
        call("role.loadAll"),
    )
    assert "already exists" in assert_error(results[0], 400, "E011004")["errorMessage"]
    assert "ghost" in assert_error(results[1], 400, "E011004")["errorMessage"]
    assert_error(results[2], 400, "E112202")
    assert_error(results[3], 400, "E112302")
    assert_error(results[4], 400, "E112302")
    assert_error(results[5], 400, "E112302")
    assert "built in" in assert_error(results[6], 400, "E011004")["errorMessage"]
    assert "built in" in assert_error(results[7], 400, "E011004")["errorMessage"]
    assert_error(results[8], 400, "E112302")
    assert "already exists" in assert_error(results[9], 400, "E011004")["errorMessage"]
    assert [r["name"] for r in assert_ok(results[10])] == [
        "Tenant Admin",
        "viewer",
    ]  # batches: all or nothing


def test_role_batch_delete_without_a_filter_deletes_every_role(node: str, emulator: EmulatorServer) -> None:
    """What Descope does (the official Python SDK warns about it): only the built-ins survive."""
    store = emulator.state
    store.create_tenant({"id": "t1", "name": "Acme"})
    store.create_tenant({"id": "t2", "name": "Beta"})
    for scope in ("", "t1", "t2"):
        store.create_role({"name": "viewer", "tenantId": scope})
    results = run(
        node,
        emulator,
        call("role.deleteBatch", U, "t1"),
        call("role.loadAll"),
        call("role.deleteBatch"),
        call("role.loadAll"),
    )
    assert_ok(results[0])
    assert [(r["name"], r["tenantId"]) for r in assert_ok(results[1])] == [
        ("Tenant Admin", ""),
        ("viewer", ""),
        ("viewer", "t2"),
    ]
    assert_ok(results[2])
    assert [r["name"] for r in assert_ok(results[3])] == ["Tenant Admin"]
    assert sent(emulator, "/v1/mgmt/role/delete/batch") == [{"tenantId": "t1"}, {}]


# ----- transport: headers, auth, rate limits -----------------------------------------------------


def test_headers_and_license_handshake(node: str, emulator: EmulatorServer) -> None:
    assert_ok(run(node, emulator, call("tenant.loadAll"))[0])
    assert emulator.stats()["requests"]["GET /v1/mgmt/license"] == {"200": 1}
    last = api_requests(emulator)[-1]
    headers = {name.lower(): value for name, value in last["headers"].items()}
    assert headers["x-descope-sdk-name"] == "nodejs"
    assert headers["x-descope-project-id"] == emulator.project_id
    assert "authorization" not in headers  # the emulator's request log drops credentials


def test_wrong_key_is_a_401(node: str, emulator: EmulatorServer) -> None:
    payload = {"baseUrl": emulator.url, "projectId": emulator.project_id, "managementKey": "K2wrong"}
    payload["calls"] = [call("tenant.loadAll")]
    done = subprocess.run(
        [node, str(RUNNER)], input=json.dumps(payload), capture_output=True, text=True, timeout=60, check=True
    )
    assert_error(json.loads(done.stdout)[0], 401, "E011005")


def test_rate_limit_answers_429_with_retry_after(node: str, emulator: EmulatorServer) -> None:
    # Quota 2: the SDK's license handshake (sent, unawaited, when the client is built) and the first
    # call fit; the third call is the fourth request at best, so it is limited whatever the order.
    emulator.set_quota(Quota(requests=2, seconds=60))
    results = run(node, emulator, call("tenant.loadAll"), call("tenant.loadAll"), call("role.loadAll"))
    assert_ok(results[0])
    error = assert_error(results[2], 429, "E130429")
    assert isinstance(error["retryAfter"], int) and 0 < error["retryAfter"] <= 60  # from Retry-After
    assert emulator.stats()["rate_limited"] == 2
