"""The project's own DescopeClient against the Descope emulator over real HTTP on loopback: tenants.

Covers every tenant operation (create, load, search, patch, delete, settings, default roles) and
the mapping of each error the emulator answers (not found, already exists, unauthorized).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.errors import (
    AlreadyExistsError,
    InvalidArgumentError,
    NotFoundError,
    UnauthorizedError,
)
from pulumi_descope_dynamic_provider.api.tenant_settings import TENANT_SETTINGS, TenantSettings
from pulumi_descope_dynamic_provider.api.tenants import (
    TENANT_CREATE,
    TENANT_DEFAULT_ROLES,
    TENANT_DELETE,
    TENANT_PATCH,
    TENANT_SEARCH,
    Tenant,
    TenantFields,
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

# ---- helpers -----------------------------------------------------------------------------------------


def sent_bodies(server: EmulatorServer, method: str, path: str) -> list[Any]:
    return [
        entry["body"]
        for entry in server.requests()
        if entry["method"] == method and entry["path"].split("?", 1)[0] == path
    ]


def as_request(tenant: Tenant) -> TenantRequest:
    """The create body that would make this tenant as it is: the declared fields, and the keys it
    keeps as Descope spells them (the emulator answers no other key TenantFields does not declare)."""
    declared = tenant.model_dump(include={"id", *TenantFields.model_fields})
    return TenantRequest.model_validate({**declared, **(tenant.model_extra or {})})


# ---- tenant operations -------------------------------------------------------------------------------


def test_create_without_id_returns_the_id_descope_generated(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    tenant_id = client.create_tenant(TenantRequest(name="Generated"))
    assert emulator.state.tenant_ids() == [tenant_id]
    assert tenant_id.startswith("T") and len(tenant_id) == 28
    assert stored(emulator, tenant_id)["name"] == "Generated"
    # The id is sent as null (what the Python SDK does), never as a made-up value.
    assert sent_bodies(emulator, "POST", TENANT_CREATE)[0]["id"] is None


def test_create_with_id_stores_every_field_and_load_returns_them(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    client.create_tenant(TenantRequest(id="root", name="Root"))
    request = FULL.model_copy(update={"parent": "root"})
    assert client.create_tenant(request) == "acme"

    loaded = client.load_tenant("acme")
    assert as_request(loaded) == request
    assert loaded.created_time == stored(emulator, "acme")["createdTime"] > 0
    assert loaded.auth_type == "none" and loaded.domains == [] and loaded.default_roles == []
    assert client.load_tenant("root").successors == ["acme"]


def test_load_all_returns_every_tenant(client: DescopeClient) -> None:
    assert client.load_all_tenants() == []
    ids = {client.create_tenant(TenantRequest(name=f"Tenant {i}")) for i in range(3)}
    ids.add(client.create_tenant(FULL))
    tenants = client.load_all_tenants()
    assert {tenant.id for tenant in tenants} == ids
    assert as_request(next(t for t in tenants if t.id == "acme")) == FULL


@pytest.mark.parametrize(
    ("search", "expected_ids", "wire"),
    [
        (TenantSearch(), {"acme", "beta", "gamma"}, {}),
        (TenantSearch(tenant_ids=["acme", "gamma"]), {"acme", "gamma"}, {"tenantIds": ["acme", "gamma"]}),
        (TenantSearch(tenant_names=["Beta"]), {"beta"}, {"tenantNames": ["Beta"]}),
        (
            TenantSearch(tenant_self_provisioning_domains=["acme.com"]),
            {"acme"},
            {"tenantSelfProvisioningDomains": ["acme.com"]},
        ),
        (TenantSearch(custom_attributes={"plan": "gold"}), {"acme"}, {"customAttributes": {"plan": "gold"}}),
        (
            TenantSearch(tenant_ids=["acme", "beta"], custom_attributes={"plan": "free"}),
            {"beta"},
            {"tenantIds": ["acme", "beta"], "customAttributes": {"plan": "free"}},
        ),
        (TenantSearch(tenant_names=["Nobody"]), set(), {"tenantNames": ["Nobody"]}),
    ],
    ids=["no-filter", "ids", "names", "domains", "custom-attributes", "ids-and-attributes", "no-match"],
)
def test_search_with_each_filter(
    client: DescopeClient,
    emulator: EmulatorServer,
    search: TenantSearch,
    expected_ids: set[str],
    wire: dict[str, Any],
) -> None:
    client.create_tenant(FULL)
    client.create_tenant(
        TenantRequest(
            id="beta", name="Beta", self_provisioning_domains=["beta.io"], custom_attributes={"plan": "free"}
        )
    )
    client.create_tenant(TenantRequest(id="gamma", name="Gamma"))

    found = client.search_tenants(search)
    assert {tenant.id for tenant in found} == expected_ids
    assert all(isinstance(tenant, Tenant) for tenant in found)
    # Filters left out are not sent at all (an empty list would mean something else to Descope).
    assert sent_bodies(emulator, "POST", TENANT_SEARCH) == [wire]


def test_patch_changes_only_the_fields_sent(client: DescopeClient, emulator: EmulatorServer) -> None:
    client.create_tenant(TenantRequest(id="root", name="Root"))
    client.create_tenant(FULL.model_copy(update={"parent": "root"}))
    before = client.load_tenant("acme")

    client.patch_tenant("acme", {"name": "Acme Inc", "disabled": True, "federated_app_ids": []})

    live = client.load_tenant("acme")
    assert live.name == "Acme Inc" and live.disabled is True and live.federated_app_ids == []
    unchanged = {"name", "disabled", "federated_app_ids"}
    assert live.model_dump(exclude=unchanged) == before.model_dump(exclude=unchanged)
    assert outcomes(emulator, "PATCH", TENANT_PATCH) == {"200": 1}  # one request


def test_delete_removes_the_tenant_and_reports_whether_it_existed(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    client.create_tenant(FULL)
    assert client.delete_tenant("acme") is True
    assert emulator.state.tenant_ids() == []
    assert sent_bodies(emulator, "POST", TENANT_DELETE) == [{"id": "acme", "cascade": False}]

    assert client.delete_tenant("acme") is False  # already gone: not an error
    assert outcomes(emulator, "POST", TENANT_DELETE) == {"200": 1, "400": 1}  # not retried


def test_delete_of_a_parent_needs_cascade(client: DescopeClient, emulator: EmulatorServer) -> None:
    client.create_tenant(TenantRequest(id="root", name="Root"))
    client.create_tenant(TenantRequest(id="child", name="Child", parent="root"))
    client.create_tenant(TenantRequest(id="grandchild", name="Grandchild", parent="child"))
    client.create_tenant(TenantRequest(id="other", name="Other"))

    with pytest.raises(InvalidArgumentError) as info:
        client.delete_tenant("root")
    assert "successor" in info.value.message
    assert sorted(emulator.state.tenant_ids()) == ["child", "grandchild", "other", "root"]

    assert client.delete_tenant("root", cascade=True) is True
    assert emulator.state.tenant_ids() == ["other"]
    assert sent_bodies(emulator, "POST", TENANT_DELETE)[-1] == {"id": "root", "cascade": True}


def test_settings_load_and_full_replace_update(client: DescopeClient, emulator: EmulatorServer) -> None:
    client.create_tenant(TenantRequest(id="acme", name="Acme", self_provisioning_domains=["acme.com"]))
    defaults = client.load_tenant_settings("acme")
    assert defaults.enabled is False and defaults.self_provisioning_domains == ["acme.com"]
    assert (defaults.session_token_expiration, defaults.session_token_expiration_unit) == (10, "minutes")

    wanted = TenantSettings(
        enabled=True,
        refresh_token_expiration=2,
        refresh_token_expiration_unit="days",
        session_token_expiration=30,
        session_token_expiration_unit="minutes",
        enable_inactivity=True,
        inactivity_time=1,
        inactivity_time_unit="hours",
        jit_disabled=True,
        self_provisioning_domains=["acme.com"],
        domains=["sso.acme.com"],
        auth_type="saml",
    )
    client.update_tenant_settings("acme", wanted)

    loaded = client.load_tenant_settings("acme")
    given = wanted.model_dump(exclude_none=True)
    assert {key: value for key, value in loaded.model_dump().items() if key in given} == given
    assert (loaded.stepup_token_expiration, loaded.stepup_token_expiration_unit) == (10, "minutes")
    tenant = client.load_tenant("acme")
    assert tenant.auth_type == "saml" and tenant.domains == ["sso.acme.com"]
    body = sent_bodies(emulator, "POST", TENANT_SETTINGS)[0]
    assert body["tenantId"] == "acme" and body["JITDisabled"] is True and "jitDisabled" not in body

    # A full replace: what the second update leaves out returns to the defaults (or is cleared).
    client.update_tenant_settings("acme", TenantSettings(enabled=False))
    reset = client.load_tenant_settings("acme")
    assert reset.session_token_expiration == 10 and reset.jit_disabled is False
    assert reset.self_provisioning_domains == [] and reset.auth_type == "none"


def test_default_roles(client: DescopeClient, emulator: EmulatorServer) -> None:
    emulator.state.create_role({"name": "viewer"})
    emulator.state.create_role({"name": "editor"})
    client.create_tenant(TenantRequest(id="acme", name="Acme"))

    client.update_default_roles("acme", ["viewer", "editor"])
    assert client.load_tenant("acme").default_roles == ["viewer", "editor"]
    assert sent_bodies(emulator, "POST", TENANT_DEFAULT_ROLES) == [
        {"id": "acme", "defaultRoles": ["viewer", "editor"]}
    ]

    with pytest.raises(InvalidArgumentError, match="nosuchrole"):
        client.update_default_roles("acme", ["nosuchrole"])
    assert client.load_tenant("acme").default_roles == ["viewer", "editor"]

    client.update_default_roles("acme", [])
    assert client.load_tenant("acme").default_roles == []


# ---- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "status"),
    [
        (lambda c: c.load_tenant("nope"), 404),
        (lambda c: c.patch_tenant("nope", {"name": "X"}), 400),
        (lambda c: c.load_tenant_settings("nope"), 404),
        (lambda c: c.update_tenant_settings("nope", TenantSettings(enabled=True)), 400),
        (lambda c: c.update_default_roles("nope", []), 400),
    ],
    ids=["load", "patch", "settings-load", "settings-update", "default-roles"],
)
def test_unknown_tenant_is_not_found_and_not_retried(
    client: DescopeClient,
    emulator: EmulatorServer,
    sleeper: RecordingSleeper,
    call: Callable[[DescopeClient], object],
    status: int,
) -> None:
    with pytest.raises(NotFoundError) as info:
        call(client)
    assert info.value.status == status and info.value.error_code == "E112202"
    assert "nope" in str(info.value)
    assert emulator.stats()["total"] == 1 and sleeper.sleeps == []


@pytest.mark.parametrize(
    ("duplicate", "word"),
    [
        (TenantRequest(id="other", name="Acme Corp"), "name"),
        (TenantRequest(id="acme", name="Another name"), "id"),
        (TenantRequest(name="Another name", self_provisioning_domains=["acme.io"]), "domain"),
    ],
    ids=["name", "id", "domain"],
)
def test_duplicate_create_is_already_exists_and_creates_nothing(
    client: DescopeClient, emulator: EmulatorServer, duplicate: TenantRequest, word: str
) -> None:
    client.create_tenant(FULL)
    with pytest.raises(AlreadyExistsError) as info:
        client.create_tenant(duplicate)
    assert word in info.value.message.lower() and "already exists" in info.value.message
    assert_readable(info.value)
    assert emulator.state.tenant_ids() == ["acme"]
    # The first attempt's outcome was known: no retry and no look-up to adopt somebody else's tenant.
    assert outcomes(emulator, "POST", TENANT_CREATE) == {"200": 1, "400": 1}
    assert outcomes(emulator, "POST", TENANT_SEARCH) == {}


def test_update_onto_another_tenants_name_or_domain_is_already_exists(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    client.create_tenant(FULL)
    client.create_tenant(TenantRequest(id="beta", name="Beta"))
    with pytest.raises(AlreadyExistsError):
        client.patch_tenant("beta", {"name": "Acme Corp"})
    with pytest.raises(AlreadyExistsError):
        client.patch_tenant("beta", {"self_provisioning_domains": ["acme.com"]})
    assert stored(emulator, "beta")["name"] == "Beta"
    assert stored(emulator, "beta")["selfProvisioningDomains"] == []


@pytest.mark.parametrize("wrong", ["key", "project"])
def test_wrong_credentials_are_unauthorized_and_not_retried(
    make_client: ClientFactory, emulator: EmulatorServer, sleeper: RecordingSleeper, wrong: str
) -> None:
    bad_key = "K2-wrong-key-0123456789"
    overrides = {"management_key": bad_key} if wrong == "key" else {"project_id": "P2someoneelse"}
    client = make_client(**overrides)
    for call in (client.load_all_tenants, lambda: client.create_tenant(TenantRequest(name="X"))):
        with pytest.raises(UnauthorizedError) as info:
            call()
        assert info.value.status == 401
        assert "descope:managementKey" in str(info.value) and "descope:projectId" in str(info.value)
        assert bad_key not in str(info.value) and emulator.management_key not in str(info.value)
    assert emulator.state.tenant_ids() == [] and emulator.stats()["total"] == 2 and sleeper.sleeps == []
