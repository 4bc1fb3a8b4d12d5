"""The provider behind `pulumi_descope_dynamic.Tenant`.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.tenant.TenantProvider` is written into
every user's stack state (the pickled `__provider` property) and imported again at refresh and
destroy time. Never rename or move it; tests/compat unpickles a blob from the first release.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .api.client import DescopeClient
from .api.errors import DescopeError, NotFoundError
from .api.tenants import Tenant, TenantRequest, TenantSearch
from .core import checks
from .core.fields import Field, ResourceSpec
from .core.provider import DescopeProvider, ResourceError, TenantError

__all__ = ["TENANT", "TenantError", "TenantProvider"]

TENANT = ResourceSpec(
    type_name="Tenant",
    kind="tenant",
    fields=(
        Field("name", checks.required_name("Acme Corp")),
        # Descope cannot change a tenant's id, and honours `parent` on create only.
        Field("tenant_id", checks.identifier, live="id", replace_on_change=True),
        Field("self_provisioning_domains", checks.domain_set),
        Field("enforce_sso_exclusions", checks.string_set),
        Field("federated_app_ids", checks.string_set),
        Field("default_roles", checks.string_set),
        Field("custom_attributes", checks.attribute_map),
        Field("enforce_sso", checks.boolean),
        Field("disabled", checks.boolean),
        Field("parent_tenant_id", checks.identifier, live="parent", replace_on_change=True),
        Field("role_inheritance", checks.one_of("", "none", "userOnly")),
        Field("cascade_delete", checks.boolean, provider_only=True),
        Field("adopt", checks.boolean, provider_only=True),
        Field("created_time", output_only=True),
        Field("auth_type", output_only=True),
        Field("domains", checks.domain_set, output_only=True),
    ),
)
# Inputs stored on the tenant object itself (default roles have their own endpoint; the parent and
# the id are set at creation only).
PATCHABLE = (
    "name",
    "self_provisioning_domains",
    "custom_attributes",
    "enforce_sso",
    "enforce_sso_exclusions",
    "disabled",
    "federated_app_ids",
    "role_inheritance",
)


def _patch(inputs: Mapping[str, Any], names: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {name: inputs[name] for name in names if name in PATCHABLE and name in inputs}


def _create_request(inputs: Mapping[str, Any]) -> TenantRequest:
    """The create body: the managed inputs, defaults for the rest."""
    return TenantRequest.model_validate(
        {**_patch(inputs, PATCHABLE), "id": inputs.get("tenant_id"), "parent": inputs.get("parent_tenant_id")}
    )


class TenantProvider(DescopeProvider[Tenant]):
    """check/diff/create/read/update/delete of one Descope tenant."""

    spec = TENANT
    unique_fix = "choose another tenant_id, name or domain"

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        tenant_id = id_ or props.get("tenant_id")
        name = props.get("name")
        if tenant_id and name:
            return f"tenant {tenant_id!r} ({name})"
        return f"tenant {tenant_id or name!r}"

    def validate(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        tenant_id, parent = inputs.get("tenant_id"), inputs.get("parent_tenant_id")
        if tenant_id is not None and tenant_id == parent and not checks.is_unknown(tenant_id):
            return [("parent_tenant_id", "a tenant cannot be its own parent; remove parent_tenant_id")]
        return []

    def list_live(self, client: DescopeClient) -> list[Tenant]:
        return client.load_all_tenants()

    def live_id(self, live: Tenant) -> str:
        return live.id

    def load_live(self, client: DescopeClient, id_: str) -> Tenant | None:
        try:
            return client.load_tenant(id_)
        except NotFoundError:
            return None

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Tenant | None:
        if inputs.get("tenant_id"):
            return self.load_live(client, inputs["tenant_id"])
        found = client.search_tenants(TenantSearch(tenant_names=[inputs["name"]]))
        return next((tenant for tenant in found if tenant.name == inputs["name"]), None)

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Tenant:
        request = _create_request(inputs)
        tenant_id = client.create_tenant(request)
        roles = inputs.get("default_roles")
        if roles:
            try:
                client.update_default_roles(tenant_id, roles)
            except DescopeError as exc:
                self._roll_back_create(client, tenant_id, exc)
        # No read-back (a create costs one request): what Descope adds, the created time, is
        # recorded by the next refresh. A new tenant has no SSO configuration yet.
        return Tenant.model_validate(
            {**request.model_dump(exclude={"id"}), "id": tenant_id, "default_roles": roles or []}
        )

    def _roll_back_create(self, client: DescopeClient, tenant_id: str, cause: DescopeError) -> None:
        """Create must be all or nothing: undo the tenant when a later step of create failed."""
        label = f"tenant {tenant_id!r}"
        try:
            client.delete_tenant(tenant_id)
        except DescopeError as undo:
            raise ResourceError(
                f"{label} was created but setting its default roles failed ({cause}); removing it "
                f"again failed too ({undo}). Delete it in the Descope console, or rerun with adopt=True"
            ) from None
        raise ResourceError(f"{label} was not created: setting its default roles failed: {cause}") from None

    def adopt_remote(self, client: DescopeClient, live: Tenant, inputs: Mapping[str, Any]) -> Tenant:
        parent = inputs.get("parent_tenant_id")
        if parent is not None and parent != live.parent:
            raise ResourceError(
                f"{self.label(inputs, live.id)} exists with parent {live.parent!r}, but the program sets "
                f"parent_tenant_id={parent!r}; Descope cannot move a tenant, so fix parent_tenant_id or "
                "recreate it"
            )
        outs = self.outputs(live, inputs)
        changes = {
            name: value for name, value in _patch(inputs, PATCHABLE).items() if outs.get(name) != value
        }
        client.patch_tenant(live.id, changes)
        roles = inputs.get("default_roles")
        if roles is not None and sorted(roles) != sorted(live.default_roles):
            client.update_default_roles(live.id, roles)
            changes["default_roles"] = roles
        return live.model_copy(update=changes)

    def update_remote(
        self,
        client: DescopeClient,
        id_: str,
        olds: Mapping[str, Any],
        inputs: Mapping[str, Any],
        changed: list[str],
    ) -> Mapping[str, Any]:
        # PATCH changes only the fields sent: one request, and a console edit made meanwhile to a
        # field this program does not change is kept.
        client.patch_tenant(id_, _patch(inputs, changed))
        if "default_roles" in changed:
            client.update_default_roles(id_, inputs["default_roles"])
        return {}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        return client.delete_tenant(id_, cascade=bool(props.get("cascade_delete")))

    def delete_hint(self, exc: DescopeError) -> str:
        if "child" in exc.message.lower() or "successor" in exc.message.lower():
            return "; delete its child tenants first, or set cascade_delete=True to delete them with it"
        return ""
