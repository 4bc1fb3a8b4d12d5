"""TenantProvider callbacks against the in-memory FakeDescopeClient: check, diff, merge, adoption,
drift and the snapshot that keeps a refresh from costing one call per tenant."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import dill
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import Unknown
from pulumi_descope_dynamic_provider.api.errors import ServerError
from pulumi_descope_dynamic_provider.api.tenants import Tenant, TenantFields, TenantRequest
from pulumi_descope_dynamic_provider.core import checks
from pulumi_descope_dynamic_provider.core.fields import Field
from pulumi_descope_dynamic_provider.tenant import TENANT, TenantError, TenantProvider

from tests.support.fake_client import FakeDescopeClient


@pytest.fixture
def fake() -> FakeDescopeClient:
    return FakeDescopeClient()


@pytest.fixture
def provider(fake: FakeDescopeClient) -> TenantProvider:
    p = TenantProvider()
    p.use_client(fake)
    return p


def checked(provider: TenantProvider, news: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


# ---- the spec and the API model ------------------------------------------------------------------


def test_spec_wire_keys_are_the_api_models_aliases_where_it_declares_the_field() -> None:
    declared = {**TenantFields.model_fields, **Tenant.model_fields}
    pairs = [
        (f.wire_key, declared[f.live_attribute].alias) for f in TENANT.fields if f.live_attribute in declared
    ]
    assert len(pairs) >= 8
    assert [wire for wire, _ in pairs] == [alias for _, alias in pairs]


class _TenantWithANewInput(TenantProvider):
    """Tenant plus an input declared by its spec line alone (Descope's wire key "colorScheme")."""

    spec = dataclasses.replace(
        TENANT,
        fields=(*TENANT.fields, Field("color_scheme", checks.one_of("light", "dark"), default="light")),
    )


def test_a_new_input_is_its_spec_line_the_api_model_needs_none(fake: FakeDescopeClient) -> None:
    provider = _TenantWithANewInput()
    provider.use_client(fake)
    news = checked(provider, {"name": "Acme", "tenant_id": "acme", "color_scheme": "dark"})
    created = provider.create(news)
    assert fake.calls[0][1].to_wire()["colorScheme"] == "dark"  # sent by its wire key
    assert created.outs["color_scheme"] == "dark"
    fake.tenants["acme"] = fake.tenants["acme"].patched({"colorScheme": "light"})  # edited in the console
    read = provider.read("acme", created.outs)
    assert read.outs["color_scheme"] == "light"
    assert provider.diff("acme", read.outs, news).changes
    provider.update("acme", read.outs, news)
    assert fake.calls[-1] == ("patch_tenant", ("acme", {"colorScheme": "dark"}))
    assert provider.read("acme", created.outs).outs["color_scheme"] == "dark"
    # Descope answering without the key (or null): the field's declared default.
    fake.tenants["acme"] = Tenant.model_validate({"id": "acme", "name": "Acme", "colorScheme": None})
    fresh = _TenantWithANewInput()  # another plugin process: no snapshot of the earlier reads
    fresh.use_client(fake)
    assert fresh.read("acme", created.outs).outs["color_scheme"] == "light"


@pytest.mark.parametrize("answer", [{}, {"roleInheritance": None}])
def test_a_lost_create_is_adopted_when_descope_answers_an_undeclared_default_as_null_or_not_at_all(
    answer: dict[str, Any],
) -> None:
    sent = TenantRequest.model_validate({"id": "acme", "name": "Acme", "roleInheritance": ""})
    live = Tenant.model_validate({"id": "acme", "name": "Acme", **answer})
    assert TENANT.field("role_inheritance").output_from(live, {}) == ""  # how the provider reads it
    assert live.matches(sent)
    assert not live.matches(sent.model_copy(update={"roleInheritance": "none"}))


def test_an_undeclared_key_given_in_snake_case_is_refused() -> None:
    with pytest.raises(ValueError, match="by its wire key"):
        TenantRequest.model_validate({"name": "A", "role_inheritance": "none"})


# ---- check -------------------------------------------------------------------------------------


def test_check_normalises_sets_and_domains(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    inputs = checked(
        provider,
        {
            "name": "Acme",
            "self_provisioning_domains": ["B.com", "a.com", "b.COM.", " a.com "],
            "default_roles": ["viewer", "admin", "viewer"],
            "custom_attributes": {"seats": 5.0, "plan": "gold"},
            "created_time": None,
        },
    )
    assert inputs["self_provisioning_domains"] == ["a.com", "b.com"]
    assert inputs["default_roles"] == ["admin", "viewer"]
    assert inputs["custom_attributes"] == {"plan": "gold", "seats": 5}
    assert isinstance(inputs["custom_attributes"]["seats"], int)
    assert "created_time" not in inputs
    assert fake.calls == []  # check never calls the API


@pytest.mark.parametrize(
    ("news", "prop", "needle"),
    [
        ({}, "name", "name is required"),
        ({"name": ""}, "name", "must not be empty"),
        ({"name": " Acme"}, "name", "leading or trailing"),
        ({"name": "x" * 300}, "name", "at most 255"),
        ({"name": "A\nB"}, "name", "control characters"),
        ({"name": 5}, "name", "must be a string"),
        ({"name": "A", "tenant_id": "has space"}, "tenant_id", "only letters"),
        ({"name": "A", "tenant_id": ""}, "tenant_id", "let Descope generate"),
        (
            {"name": "A", "self_provisioning_domains": ["not a domain"]},
            "self_provisioning_domains",
            "valid domain",
        ),
        (
            {"name": "A", "self_provisioning_domains": ["https://acme.com"]},
            "self_provisioning_domains",
            "bare",
        ),
        (
            {"name": "A", "self_provisioning_domains": ["bücher.de"]},
            "self_provisioning_domains",
            "xn--bcher-kva.de",
        ),
        ({"name": "A", "self_provisioning_domains": ["10.0.0.1"]}, "self_provisioning_domains", "IP address"),
        (
            {"name": "A", "self_provisioning_domains": "acme.com"},
            "self_provisioning_domains",
            "list of strings",
        ),
        (
            {"name": "A", "custom_attributes": {"plan": {"nested": 1}}},
            "custom_attributes",
            "custom_attributes['plan']",
        ),
        ({"name": "A", "custom_attributes": {"bad key": 1}}, "custom_attributes", "machine name"),
        ({"name": "A", "custom_attributes": {"x": float("nan")}}, "custom_attributes", "finite"),
        ({"name": "A", "enforce_sso": "yes"}, "enforce_sso", "True or False"),
        ({"name": "A", "role_inheritance": "user_only"}, "role_inheritance", "did you mean 'userOnly'"),
        ({"name": "A", "tenant_id": "a", "parent_tenant_id": "a"}, "parent_tenant_id", "own parent"),
        ({"name": "A", "colour": "red"}, "colour", "not a Tenant input"),
    ],
)
def test_check_reports_one_failure_per_bad_property_naming_the_fix(
    provider: TenantProvider, news: dict[str, Any], prop: str, needle: str
) -> None:
    result = provider.check({}, news)
    assert [(f.property, needle in f.reason) for f in result.failures] == [(prop, True)], [
        (f.property, f.reason) for f in result.failures
    ]


def test_check_reports_every_bad_property_at_once(provider: TenantProvider) -> None:
    result = provider.check({}, {"name": "", "enforce_sso": 1, "self_provisioning_domains": ["x"]})
    assert sorted(f.property for f in result.failures) == ["enforce_sso", "name", "self_provisioning_domains"]


def test_check_passes_unknowns_through(provider: TenantProvider) -> None:
    unknown = Unknown()
    inputs = checked(
        provider, {"name": "A", "parent_tenant_id": unknown, "self_provisioning_domains": [unknown]}
    )
    assert inputs["parent_tenant_id"] is unknown
    assert inputs["self_provisioning_domains"] == [unknown]


# ---- diff --------------------------------------------------------------------------------------


def outputs_of(provider: TenantProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    created = provider.create(checked(provider, news))
    assert created.outs is not None
    return created.id, created.outs


def test_unchanged_program_diffs_to_nothing(provider: TenantProvider) -> None:
    news = {
        "name": "Acme",
        "tenant_id": "acme",
        "self_provisioning_domains": ["ACME.com"],
        "custom_attributes": {},
    }
    tenant_id, outs = outputs_of(provider, news)
    result = provider.diff(tenant_id, outs, checked(provider, news))
    assert result.changes is False and result.replaces == []


def test_generated_id_is_not_a_change(provider: TenantProvider) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Gen"})
    assert provider.diff(tenant_id, outs, checked(provider, {"name": "Gen"})).changes is False


def test_name_change_updates_in_place(provider: TenantProvider) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "tenant_id": "acme"})
    result = provider.diff(tenant_id, outs, checked(provider, {"name": "Acme 2", "tenant_id": "acme"}))
    assert result.changes is True and result.replaces == []


@pytest.mark.parametrize("prop", ["tenant_id", "parent_tenant_id"])
def test_id_and_parent_changes_replace_delete_first(provider: TenantProvider, prop: str) -> None:
    outputs_of(provider, {"name": "Root", "tenant_id": "root"})
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "tenant_id": "acme"})
    news = {"name": "Acme", "tenant_id": "acme", prop: "other" if prop == "tenant_id" else "root"}
    result = provider.diff(tenant_id, outs, checked(provider, news))
    assert result.replaces == [prop] and result.delete_before_replace is True


def test_unknown_parent_is_a_replace_when_the_parent_is_replaced_in_this_run(
    provider: TenantProvider,
) -> None:
    # When a parent is replaced delete-first, the engine asks each child referring to `parent.id`
    # for a diff with the parent id unknown; "replace" makes it delete the children first and create
    # them again under the new parent (tests/e2e/test_tenant_trees.py).
    _, parent = outputs_of(provider, {"name": "Parent", "tenant_id": "parent"})
    child_id, child = outputs_of(provider, {"name": "Child", "parent_tenant_id": "parent"})
    unknown_parent = {"name": "Child", "parent_tenant_id": Unknown()}

    renamed = checked(provider, {"name": "Parent 2", "tenant_id": "parent"})
    assert provider.diff("parent", parent, renamed).replaces == []
    # The parent merely updated (e.g. `parent.tenant_id` of a generated id is unknown in a preview).
    result = provider.diff(child_id, child, unknown_parent)
    assert result.changes is True and result.replaces == []

    new_id = checked(provider, {"name": "Parent", "tenant_id": "parent-2"})
    assert provider.diff("parent", parent, new_id).replaces == ["tenant_id"]
    result = provider.diff(child_id, child, unknown_parent)
    assert result.replaces == ["parent_tenant_id"] and result.delete_before_replace is True


def test_unknown_tenant_id_is_shown_as_an_update(provider: TenantProvider) -> None:
    # An id computed from another resource's output: `up` diffs again with the real value.
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "tenant_id": "acme"})
    result = provider.diff(tenant_id, outs, {"name": "Acme", "tenant_id": Unknown()})
    assert result.changes is True and result.replaces == []


def test_diff_keeps_booleans_and_numbers_apart(provider: TenantProvider) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "custom_attributes": {"active": 1}})
    news = checked(provider, {"name": "Acme", "custom_attributes": {"active": True}})
    assert provider.diff(tenant_id, outs, news).changes is True
    same = checked(provider, {"name": "Acme", "custom_attributes": {"active": 1.0}})
    assert provider.diff(tenant_id, outs, same).changes is False


def test_cascade_delete_change_updates_state_without_calling_descope(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme"})
    news = checked(provider, {"name": "Acme", "cascade_delete": True})
    assert provider.diff(tenant_id, outs, news).changes is True
    fake.calls.clear()
    updated = provider.update(tenant_id, outs, news)
    assert fake.calls == []
    assert updated.outs is not None and updated.outs["cascade_delete"] is True


# ---- create / adopt ----------------------------------------------------------------------------


def test_create_sends_everything_and_sets_default_roles(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    tenant_id, outs = outputs_of(
        provider,
        {
            "name": "Acme",
            "tenant_id": "acme",
            "self_provisioning_domains": ["acme.com"],
            "custom_attributes": {"plan": "gold"},
            "enforce_sso": True,
            "role_inheritance": "userOnly",
            "default_roles": ["viewer"],
        },
    )
    assert tenant_id == "acme"
    live = fake.tenants["acme"]
    assert live.enforce_sso and live.default_roles == ["viewer"]
    assert live.model_extra == {"roleInheritance": "userOnly"}  # not declared by the API model
    # One request per create: the created time is recorded by the next refresh, not read back.
    assert outs["created_time"] is None and outs["auth_type"] == "none"
    assert fake.call_names() == ["create_tenant", "update_default_roles"]
    assert outs["managed_inputs"] == [
        "custom_attributes",
        "default_roles",
        "enforce_sso",
        "name",
        "role_inheritance",
        "self_provisioning_domains",
        "tenant_id",
    ]


def test_create_of_an_existing_tenant_explains_adopt(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    fake.create_tenant(TenantRequest(id="acme", name="Acme"))
    with pytest.raises(TenantError, match="adopt=True"):
        provider.create(checked(provider, {"name": "Acme", "tenant_id": "acme"}))
    assert len(fake.tenants) == 1


def test_adopt_takes_over_and_converges_keeping_unmanaged_fields(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    fake.create_tenant(
        TenantRequest(
            id="acme", name="Old name", federated_app_ids=["app1"], self_provisioning_domains=["acme.com"]
        )
    )
    created = provider.create(checked(provider, {"name": "Acme", "tenant_id": "acme", "adopt": True}))
    assert created.id == "acme"
    live = fake.tenants["acme"]
    assert live.name == "Acme"
    assert live.federated_app_ids == ["app1"] and live.self_provisioning_domains == ["acme.com"]
    assert "create_tenant" not in fake.call_names()[1:]


def test_adopt_by_name_without_id(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    existing = fake.create_tenant(TenantRequest(name="Acme"))
    created = provider.create(checked(provider, {"name": "Acme", "adopt": True, "disabled": True}))
    assert created.id == existing and fake.tenants[existing].disabled is True


def test_adopt_without_a_match_creates(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    created = provider.create(checked(provider, {"name": "New", "tenant_id": "new", "adopt": True}))
    assert created.id == "new" and "new" in fake.tenants


def test_failed_default_roles_roll_the_create_back(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    def failing(tenant_id: str, roles: list[str]) -> None:
        raise ServerError("role 'ghost' does not exist", status=400)

    fake.update_default_roles = failing  # type: ignore[method-assign]
    with pytest.raises(TenantError, match="default roles"):
        provider.create(checked(provider, {"name": "Acme", "tenant_id": "acme", "default_roles": ["ghost"]}))
    assert fake.tenants == {}  # nothing left behind


# ---- update ------------------------------------------------------------------------------------


def test_update_patches_only_the_changed_fields_so_unmanaged_ones_survive(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "tenant_id": "acme", "disabled": False})
    # Somebody sets a field in the console that the program does not manage.
    fake.patch_tenant("acme", {"enforce_sso_exclusions": ["U9"]})
    fake.calls.clear()
    news = checked(provider, {"name": "Acme 2", "tenant_id": "acme", "disabled": False})
    result = provider.update(tenant_id, outs, news)
    assert fake.calls == [("patch_tenant", ("acme", {"name": "Acme 2"}))]  # one request, one field
    assert fake.tenants["acme"].name == "Acme 2"
    assert fake.tenants["acme"].enforce_sso_exclusions == ["U9"]
    assert result.outs is not None and result.outs["name"] == "Acme 2"


def test_update_of_default_roles(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "default_roles": ["a"]})
    provider.update(tenant_id, outs, checked(provider, {"name": "Acme", "default_roles": ["b", "a"]}))
    assert fake.tenants[tenant_id].default_roles == ["a", "b"]


def test_update_of_a_vanished_tenant_says_to_refresh(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme"})
    fake.tenants.clear()
    with pytest.raises(TenantError, match="pulumi refresh"):
        provider.update(tenant_id, outs, checked(provider, {"name": "Acme 2"}))


# ---- read / drift ------------------------------------------------------------------------------


def test_read_returns_live_state_and_refreshed_inputs_of_managed_fields_only(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "tenant_id": "acme", "cascade_delete": True})
    fake.update_tenant(TenantRequest(id="acme", name="Renamed in console", disabled=True))
    result = provider.read(tenant_id, outs)
    assert result.outs is not None and result.outs["name"] == "Renamed in console"
    assert result.inputs == {"name": "Renamed in console", "tenant_id": "acme", "cascade_delete": True}


def test_read_of_a_deleted_tenant_drops_it(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme"})
    fake.tenants.clear()
    result = provider.read(tenant_id, outs)
    assert result.id is None and result.outs == {}


def test_reads_of_many_tenants_cost_one_load_all(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    states = [outputs_of(provider, {"name": f"T{i}"}) for i in range(20)]
    fake.calls.clear()
    for tenant_id, outs in states:
        assert provider.read(tenant_id, outs).id == tenant_id
    assert fake.call_names() == ["load_all_tenants"]


def test_a_write_invalidates_the_snapshot(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme"})
    provider.read(tenant_id, outs)
    updated = provider.update(tenant_id, outs, checked(provider, {"name": "Acme 2"}))
    assert updated.outs is not None
    assert provider.read(tenant_id, updated.outs).outs["name"] == "Acme 2"  # type: ignore[index]


def test_get_reads_without_inputs(provider: TenantProvider, fake: FakeDescopeClient) -> None:
    tenant_id = fake.create_tenant(TenantRequest(name="Existing"))
    result = provider.read(tenant_id, {})
    assert result.id == tenant_id and result.inputs is None
    assert result.outs is not None and result.outs["name"] == "Existing"


# ---- delete ------------------------------------------------------------------------------------


def test_delete_honours_cascade_and_gone_is_success(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    tenant_id, outs = outputs_of(provider, {"name": "Acme", "cascade_delete": True})
    provider.delete(tenant_id, outs)
    assert ("delete_tenant", (tenant_id, True)) in fake.calls
    provider.delete(tenant_id, outs)  # already gone: no error


# ---- configuration and pickling ----------------------------------------------------------------


def test_missing_credentials_fail_at_first_api_use_naming_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("DESCOPE_PROJECT_ID", "DESCOPE_MANAGEMENT_KEY", "DESCOPE_BASE_URL", "DESCOPE_BASE_URI"):
        monkeypatch.delenv(var, raising=False)
    provider = TenantProvider()
    provider.configure(ConfigureRequest(Config({"descope:projectId": "P1"}, "proj")))
    assert provider.check({}, {"name": "A"}).failures == []  # preview works without the key
    with pytest.raises(TenantError, match=r"descope:managementKey.*DESCOPE_MANAGEMENT_KEY"):
        provider.read("x", {"name": "A"})


def test_pickled_provider_holds_nothing_but_a_format_marker(fake: FakeDescopeClient) -> None:
    provider = TenantProvider()
    provider.configure(
        ConfigureRequest(Config({"descope:projectId": "P1", "descope:managementKey": "K-secret-123"}, "proj"))
    )
    provider.use_client(fake)
    blob = dill.dumps(provider)
    assert b"K-secret-123" not in blob and b"P1" not in blob
    restored = pickle.loads(blob)
    assert isinstance(restored, TenantProvider) and restored._shared is None


def test_adopt_blocked_by_another_tenants_name_says_so(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    fake.create_tenant(TenantRequest(id="acme", name="Old Acme"))
    fake.create_tenant(TenantRequest(id="other", name="Acme"))
    with pytest.raises(TenantError, match="Another tenant already uses"):
        provider.create(checked(provider, {"name": "Acme", "tenant_id": "acme", "adopt": True}))


def test_read_failure_other_than_not_found_is_an_error_not_a_drop(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    from pulumi_descope_dynamic_provider.api.errors import DescopeError

    tenant_id, outs = outputs_of(provider, {"name": "Acme"})

    def broken() -> list[Tenant]:
        raise DescopeError(
            "unexpected 404 from https://x (page not found); check descope:baseUrl", status=404
        )

    fake.load_all_tenants = broken  # type: ignore[method-assign]
    provider.use_client(fake)  # a fresh snapshot over the broken load-all
    with pytest.raises(TenantError, match="descope:baseUrl"):
        provider.read(tenant_id, outs)


# ---- trees: cascade_delete as the program says now, and deletes that would be refused --------------


def tree(provider: TenantProvider, *, cascade: bool = False) -> dict[str, dict[str, Any]]:
    """root -> child -> grandchild, created through the provider; returns each one's outputs."""
    outs: dict[str, dict[str, Any]] = {}
    for tenant_id, parent in (("root", None), ("child", "root"), ("grandchild", "child")):
        news = {"name": tenant_id.title(), "tenant_id": tenant_id, "parent_tenant_id": parent}
        if tenant_id == "root":
            news["cascade_delete"] = cascade
        _, outs[tenant_id] = outputs_of(provider, news)
    # What follows is a later `pulumi up` (a new plugin process): the tree was declared by this one.
    provider.use_client(provider.client)
    return outs


def test_delete_with_children_and_no_cascade_deletes_nothing_and_gives_two_steps(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    outs = tree(provider)
    fake.calls.clear()
    with pytest.raises(TenantError) as info:
        provider.delete("root", outs["root"])
    message = str(info.value)
    assert "'child' (Child), 'grandchild' (Grandchild, under 'child')" in message
    assert "Nothing was deleted" in message and "1) declare this Tenant with cascade_delete=True" in message
    assert sorted(fake.tenants) == ["child", "grandchild", "root"]
    assert fake.call_names() == ["delete_tenant", "load_all_tenants"]  # refused, then explained


def test_replace_uses_the_programs_cascade_delete_not_the_recorded_one(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    outs = tree(provider)  # recorded: cascade_delete=False
    news = checked(provider, {"name": "Root", "tenant_id": "root-2", "cascade_delete": True})
    assert provider.diff("root", outs["root"], news).replaces == ["tenant_id"]
    provider.delete("root", outs["root"])
    assert ("delete_tenant", ("root", True)) in fake.calls
    assert sorted(fake.tenants) == []


def test_replacement_blocked_below_fails_at_its_first_delete_before_deleting_anything(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    outs = tree(provider)
    fake.tenants["console"] = Tenant(id="console", name="Console", parent="child")
    # The engine: the root's own diff, then each child's diff with its parent id unknown.
    news = checked(provider, {"name": "Root", "tenant_id": "root-2"})
    provider.diff("root", outs["root"], news)
    for tenant_id in ("child", "grandchild"):
        unknown_parent = {**checked(provider, {"name": tenant_id.title()}), "parent_tenant_id": Unknown()}
        assert provider.diff(tenant_id, outs[tenant_id], unknown_parent).replaces == ["parent_tenant_id"]
    fake.calls.clear()
    with pytest.raises(TenantError) as info:
        provider.delete("grandchild", outs["grandchild"])  # the engine deletes the deepest first
    message = str(info.value)
    assert "tenant 'root' (Root) cannot be replaced" in message
    assert "'console' (Console, under 'child')" in message
    assert "cascade_delete=True on tenant 'root-2' (Root)" in message
    assert "delete_tenant" not in fake.call_names()

    # With cascade_delete=True on the root, every delete of the chain goes through.
    provider.diff("root", outs["root"], {**news, "cascade_delete": True})
    for tenant_id in ("grandchild", "child", "root"):
        provider.delete(tenant_id, outs[tenant_id])
    assert fake.tenants == {}


def test_a_child_gone_from_descope_diffs_as_a_replacement(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    outs = tree(provider, cascade=True)
    del fake.tenants["grandchild"]
    news = checked(provider, {"name": "Grandchild", "tenant_id": "grandchild", "parent_tenant_id": "child"})
    assert provider.diff("grandchild", outs["grandchild"], news).replaces == ["tenant_id"]
    still_there = checked(provider, {"name": "Child", "tenant_id": "child", "parent_tenant_id": "root"})
    assert provider.diff("child", outs["child"], still_there).changes is False


def test_parent_replaced_before_its_literal_id_child_refuses_and_names_the_child(
    provider: TenantProvider, fake: FakeDescopeClient
) -> None:
    # Literal parent ids: both are replaced in this run, but the engine may delete the parent first.
    _, root = outputs_of(provider, {"name": "Root", "tenant_id": "root"})
    _, child = outputs_of(provider, {"name": "Child", "tenant_id": "child", "parent_tenant_id": "root"})
    provider.diff("root", root, checked(provider, {"name": "Root", "tenant_id": "root-2"}))
    moved = checked(provider, {"name": "Child", "tenant_id": "child", "parent_tenant_id": "root-2"})
    assert provider.diff("child", child, moved).replaces == ["parent_tenant_id"]
    with pytest.raises(TenantError) as info:
        provider.delete("root", root)
    message = str(info.value)
    assert "cannot be replaced yet: its child tenants 'child' (Child) are still there" in message
    assert "Nothing was deleted" in message and "parent_tenant_id=<parent resource>.id" in message
    assert sorted(fake.tenants) == ["child", "root"]
