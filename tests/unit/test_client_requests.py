"""Unit tests of DescopeClient over mocked HTTP (`responses`): the paths, verbs, bodies and headers of
each tenant call, and how error and malformed answers map to typed errors."""

from __future__ import annotations

import pytest
import responses
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    InvalidArgumentError,
    MalformedResponseError,
    NotFoundError,
    UnauthorizedError,
)
from pulumi_descope_dynamic_provider.api.tenant_settings import TenantSettings
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest, TenantSearch
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
        parent="root",
        # TenantFields does not declare it: given, and sent, as Descope spells it.
        roleInheritance="none",
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
    assert tenant.enforce_sso is True and tenant.model_extra == {"roleInheritance": "userOnly"}
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
