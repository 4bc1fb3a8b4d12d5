"""Contract test: the official Descope Node SDK's `management.user` calls this project's User and
TenantMembership use, against the emulator (see test_node_sdk_contract.py for the harness)."""

from __future__ import annotations

from descope_emulator import EmulatorServer

from tests.node.test_node_sdk_contract import assert_error, assert_ok, call, run, sent


def test_user_calls(node: str, emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_role({"name": "Support", "tenantId": "acme"})
    results = run(
        node,
        emulator,
        call(
            "user.create",
            "admin@acme.example",
            {
                "email": "admin@acme.example",
                "displayName": "Acme Admin",
                "userTenants": [{"tenantId": "acme", "roleNames": ["Tenant Admin"]}],
            },
        ),
        call("user.createTestUser", "smoke@acme.example", {"displayName": "Smoke"}),
        call("user.load", "admin@acme.example"),
        call("user.patch", "admin@acme.example", {"givenName": "Ada"}),
        call("user.addTenant", "smoke@acme.example", "acme"),
        call("user.addTenantRoles", "smoke@acme.example", "acme", ["Support"]),
        call("user.removeTenantRoles", "smoke@acme.example", "acme", ["Support"]),
        call("user.removeTenant", "smoke@acme.example", "acme"),
        call("user.search", {"tenantIds": ["acme"], "withTestUser": True}),
        call("user.delete", "admin@acme.example"),
        call("user.load", "admin@acme.example"),
    )
    created = assert_ok(results[0])
    assert created["loginIds"] == ["admin@acme.example"] and created["name"] == "Acme Admin"
    assert created["userTenants"] == [
        {"tenantId": "acme", "roleNames": ["Tenant Admin"], "tenantName": "Acme"}
    ]
    assert assert_ok(results[1])["test"] is True
    assert sent(emulator, "/v1/mgmt/user/create/test")[0]["test"] is True
    assert assert_ok(results[2]) == created
    patched = assert_ok(results[3])
    assert patched["givenName"] == "Ada" and patched["name"] == "Acme Admin"
    assert assert_ok(results[4])["userTenants"][0]["roleNames"] == []
    assert assert_ok(results[5])["userTenants"][0]["roleNames"] == ["Support"]
    assert assert_ok(results[6])["userTenants"][0]["roleNames"] == []
    assert assert_ok(results[7])["userTenants"] == []
    found = assert_ok(results[8])
    assert [u["loginIds"] for u in found["users"]] == [["admin@acme.example"]] and found["total"] == 1
    assert_ok(results[9])
    assert_error(results[10], 400, "E112102")
