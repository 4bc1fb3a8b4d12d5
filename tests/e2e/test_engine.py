"""End to end on the real Pulumi engine (CLI + dynamic-provider plugin) against the emulator, each
test with its own file backend: what a user sees from preview, up, refresh and destroy."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pulumi_descope_dynamic as descope
import pytest
import requests
from descope_emulator import EmulatorServer, Quota
from pulumi import automation as auto

from tests.support.engine import EngineStack, new_stack
from tests.support.examples import load_example_program

StackFactory = Callable[..., EngineStack]


@pytest.fixture
def engine(tmp_path: Path, emulator: EmulatorServer) -> StackFactory:
    def make(program: Callable[[], None], **kwargs: Any) -> EngineStack:
        return new_stack(
            program,
            tmp_path / kwargs.pop("name", "stack"),
            base_url=emulator.url,
            project_id=emulator.project_id,
            management_key=emulator.management_key,
            **kwargs,
        )

    return make


def tenants_program(desired: dict[str, dict[str, Any]]) -> Callable[[], None]:
    """A program declaring `desired` (resource name -> Tenant keyword args); edit the dict between
    runs to change the program."""

    def program() -> None:
        for resource_name, args in desired.items():
            tenant = descope.Tenant(resource_name, **args)
            pulumi.export(resource_name, tenant.tenant_id)

    return program


def tenant_ids(emulator: EmulatorServer) -> list[str]:
    return sorted(emulator.state.tenant_ids())


def tenant_urns(stack: EngineStack) -> list[str]:
    deployment = stack.stack.export_stack().deployment
    return sorted(
        r["urn"]
        for r in deployment.get("resources") or []
        if r["type"] == "pulumi-python:dynamic/descope:Tenant"
    )


def live_roles(emulator: EmulatorServer) -> dict[tuple[str, str], dict[str, Any]]:
    roles = emulator.state.all_roles()["roles"]
    return {(role.get("tenantId") or "", role["name"]): role for role in roles}


def test_quickstart_up_then_preview_shows_no_changes(engine: StackFactory, emulator: EmulatorServer) -> None:
    stack = engine(load_example_program("examples/quickstart/__main__.py"))
    up = stack.up()
    # 5 tenants, 3 roles, 2 permissions, 1 SSO configuration, 1 access key, Acme's settings and the
    # stack itself.
    assert up.summary.resource_changes == {"create": 14}
    assert tenant_ids(emulator) == sorted(
        ["acme", "acme-eu", "initech", "umbrella", up.outputs["globex_id"].value]
    )
    assert emulator.state.get_tenant("acme-eu")["parent"] == "acme"
    assert emulator.state.get_tenant("acme")["defaultRoles"] == ["Viewer"]
    roles = live_roles(emulator)
    assert roles[("", "Billing Admin")]["permissionNames"] == ["invoices.read", "invoices.write"]
    assert roles[("", "Billing Admin")]["id"] == up.outputs["billing_admin_role_id"].value
    assert roles[("acme", "Auditor")]["permissionNames"] == ["invoices.read"]
    assert emulator.state.get_tenant("initech")["authType"] == "oidc"
    session = emulator.state.load_settings("acme")
    assert session["enabled"] is True
    assert (session["inactivityTime"], session["inactivityTimeUnit"]) == (1, "hours")
    assert stack.preview(expect_no_changes=True).change_summary == {"same": 14}
    # A refresh of the whole stack costs one list request per resource type.
    before = emulator.stats()["total"]
    stack.refresh()
    # (tenants, roles, permissions, access keys; SSO configurations: one per tenant that has them;
    # settings: one load per TenantSettings, Descope has no list of them)
    assert emulator.stats()["total"] - before == 5 + 1
    assert stack.preview(expect_no_changes=True).change_summary == {"same": 14}


def test_roles_and_permissions_rename_in_place_drift_and_destroy(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    desired = {"perm": "reports.read", "role": "Analyst", "scope": "acme"}

    def program() -> None:
        acme = descope.Tenant("acme", name="Acme", tenant_id="acme")
        perm = descope.Permission("perm", name=desired["perm"])
        role = descope.Role("role", name=desired["role"], tenant_id=acme.id, permission_names=[perm.name])
        pulumi.export("role_id", role.role_id)

    stack = engine(program)
    first = stack.up()
    role_id = first.outputs["role_id"].value
    assert live_roles(emulator)[("acme", "Analyst")]["permissionNames"] == ["reports.read"]

    # Renames are updates in place: the role keeps its id (and its users).
    desired.update(perm="reports.view", role="Report Analyst")
    assert stack.up().summary.resource_changes == {"update": 2, "same": 2}
    renamed = live_roles(emulator)[("acme", "Report Analyst")]
    assert renamed["id"] == role_id and renamed["permissionNames"] == ["reports.view"]

    # A permission added in the console shows after a refresh and `up` takes it away again.
    emulator.state.create_permission({"name": "console.extra"})
    emulator.state.update_role(
        {
            "id": role_id,
            "tenantId": "acme",
            "newName": "Report Analyst",
            "permissionNames": ["reports.view", "console.extra"],
        }
    )
    stack.refresh()
    assert stack.preview().change_summary.get("update") == 1
    stack.up()
    assert live_roles(emulator)[("acme", "Report Analyst")]["permissionNames"] == ["reports.view"]

    # A role deleted in the console is dropped by refresh and recreated by `up`.
    emulator.state.delete_role({"id": role_id, "tenantId": "acme"})
    stack.refresh()
    stack.up()
    assert ("acme", "Report Analyst") in live_roles(emulator)

    stack.destroy()
    assert live_roles(emulator).get(("acme", "Report Analyst")) is None
    assert "reports.view" not in {p["name"] for p in emulator.state.all_permissions()["permissions"]}


def test_tenants_from_yaml_example(engine: StackFactory, emulator: EmulatorServer) -> None:
    stack = engine(load_example_program("examples/tenants-from-yaml/__main__.py"), stack_name="dev")
    stack.up()
    assert tenant_ids(emulator) == ["dev-acme", "dev-acme-qa", "dev-globex"]
    assert emulator.state.get_tenant("dev-acme-qa")["parent"] == "dev-acme"
    session = emulator.state.load_settings("dev-acme")
    assert (session["refreshTokenExpiration"], session["refreshTokenExpirationUnit"]) == (1, "weeks")  # 7d
    assert session["JITDisabled"] is True
    stack.preview(expect_no_changes=True)


def test_rename_updates_and_new_id_replaces(engine: StackFactory, emulator: EmulatorServer) -> None:
    desired = {"acme": {"name": "Acme", "tenant_id": "acme", "self_provisioning_domains": ["acme.com"]}}
    stack = engine(tenants_program(desired))
    stack.up()
    created_time = emulator.state.get_tenant("acme")["createdTime"]

    desired["acme"]["name"] = "Acme Corp"
    assert stack.preview().change_summary.get("update") == 1
    assert stack.up().summary.resource_changes == {"update": 1, "same": 1}
    assert emulator.state.get_tenant("acme")["name"] == "Acme Corp"
    assert emulator.state.get_tenant("acme")["createdTime"] == created_time  # same tenant, in place

    desired["acme"]["tenant_id"] = "acme-corp"
    assert stack.preview().change_summary.get("replace") == 1
    stack.up()
    assert tenant_ids(emulator) == ["acme-corp"]  # the old one went first: no name/domain clash
    stack.preview(expect_no_changes=True)


def test_out_of_band_edit_refresh_preview_and_restore(engine: StackFactory, emulator: EmulatorServer) -> None:
    desired = {"acme": {"name": "Acme", "tenant_id": "acme", "custom_attributes": {"plan": "gold"}}}
    stack = engine(tenants_program(desired))
    stack.up()
    emulator.state.edit_tenant("acme", name="Renamed in the console")

    refresh = stack.refresh()
    assert refresh.summary.resource_changes == {"update": 1, "same": 1}
    preview = stack.preview(diff=True)
    assert preview.change_summary.get("update") == 1
    changed_lines = [line for line in stack.text().splitlines()[-40:] if line.strip().startswith("~ name")]
    assert changed_lines, stack.text()[-2000:]
    assert "custom_attributes" not in "".join(line for line in stack.text().splitlines()[-40:] if "~" in line)

    stack.up()
    assert emulator.state.get_tenant("acme")["name"] == "Acme"
    stack.preview(expect_no_changes=True)


def test_out_of_band_delete_refresh_drops_and_up_recreates(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    desired = {
        "acme": {"name": "Acme", "tenant_id": "acme"},
        "globex": {"name": "Globex", "tenant_id": "globex"},
    }
    stack = engine(tenants_program(desired))
    stack.up()
    emulator.state.remove_tenant("globex")

    refresh = stack.refresh()
    assert refresh.summary.resource_changes == {"delete": 1, "same": 2}
    assert "no longer exists in Descope" in stack.text()
    assert not any(urn.endswith("::globex") for urn in tenant_urns(stack))
    assert stack.up().summary.resource_changes == {"create": 1, "same": 2}
    assert tenant_ids(emulator) == ["acme", "globex"]


def test_adoption_of_an_existing_tenant(engine: StackFactory, emulator: EmulatorServer) -> None:
    emulator.state.create_tenant({"id": "legacy", "name": "Legacy Inc", "federatedAppIds": ["app-1"]})
    desired = {"legacy": {"name": "Legacy Incorporated", "tenant_id": "legacy"}}
    stack = engine(tenants_program(desired))
    with pytest.raises(auto.CommandError) as info:
        stack.up()
    assert "adopt=True" in str(info.value)
    assert tenant_ids(emulator) == ["legacy"]

    desired["legacy"]["adopt"] = True
    stack.up()
    live = emulator.state.get_tenant("legacy")
    assert live["name"] == "Legacy Incorporated"
    assert live["federatedAppIds"] == ["app-1"]  # not managed by the program: kept
    assert tenant_ids(emulator) == ["legacy"]
    stack.preview(expect_no_changes=True)


def test_bad_input_fails_preview_naming_resource_and_field_without_calling_descope(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    desired = {
        "broken": {"name": "Broken", "self_provisioning_domains": ["not a domain"], "role_inheritance": "all"}
    }
    stack = engine(tenants_program(desired))
    with pytest.raises(auto.CommandError) as info:
        stack.preview()
    message = str(info.value)
    assert "broken" in message
    assert "self_provisioning_domains" in message and "role_inheritance" in message
    assert emulator.stats()["total"] == 0


def test_sixty_tenants_through_a_quota_that_forces_429s(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    emulator.set_quota(Quota(40, 2))
    desired = {f"t{i:02d}": {"name": f"Tenant {i:02d}", "tenant_id": f"t{i:02d}"} for i in range(60)}
    stack = engine(tenants_program(desired), extra_config={"descope:rateLimit": "off"})
    up = stack.up()
    assert up.summary.result == "succeeded"
    assert emulator.stats()["rate_limited"] > 0  # the quota really pushed back
    assert tenant_ids(emulator) == sorted(desired)
    assert len(tenant_urns(stack)) == 60
    stack.preview(expect_no_changes=True)


def test_destroy_removes_everything(engine: StackFactory, emulator: EmulatorServer) -> None:
    def program() -> None:
        parent = descope.Tenant("parent", name="Parent", tenant_id="parent", cascade_delete=True)
        descope.Tenant("child", name="Child", tenant_id="child", parent_tenant_id=parent.tenant_id)
        descope.Tenant("solo", name="Solo")

    stack = engine(program)
    stack.up()
    assert len(tenant_ids(emulator)) == 3
    stack.destroy()
    assert tenant_ids(emulator) == []
    assert tenant_urns(stack) == []


def test_key_as_secret_config_is_only_in_the_engines_encrypted_provider_config(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    stack = engine(tenants_program({"acme": {"name": "Acme", "tenant_id": "acme"}}))
    stack.up()
    key = emulator.management_key
    assert key not in stack.export_text()
    # --show-secrets decrypts what the engine itself keeps: the default provider's configuration,
    # as for any provider's secret config. No Tenant resource, blob or output holds the key.
    revealed = json.loads(stack.export_text(show_secrets=True))["deployment"]["resources"]
    holders = [r["type"] for r in revealed if key in json.dumps(r)]
    assert holders == ["pulumi:providers:pulumi-python"]


def test_key_from_the_environment_never_reaches_state(engine: StackFactory, emulator: EmulatorServer) -> None:
    stack = engine(tenants_program({"acme": {"name": "Acme", "tenant_id": "acme"}}), key_in_config=False)
    stack.up()
    assert tenant_ids(emulator) == ["acme"]
    for show_secrets in (False, True):
        assert emulator.management_key not in stack.export_text(show_secrets=show_secrets)
    assert emulator.management_key not in stack.text()


def test_generated_ids_stay_stable_across_runs(engine: StackFactory, emulator: EmulatorServer) -> None:
    desired = {"gen": {"name": "Generated"}}
    stack = engine(tenants_program(desired))
    first = stack.up().outputs["gen"].value
    assert stack.up().outputs["gen"].value == first
    assert tenant_ids(emulator) == [first]
    response = requests.get(emulator.url + "/emulator/stats", timeout=5).json()
    assert response["tenants"] == 1
