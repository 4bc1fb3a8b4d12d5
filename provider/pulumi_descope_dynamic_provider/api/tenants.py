"""Tenants: `/v1/mgmt/tenant/...`, their wire models and the calls the providers make.

Update is PATCH (only the fields sent change), so a provider never needs the read-merge-replace
dance the full-replace `tenant/update` requires, and a console edit made meanwhile to another field
is never overwritten. Tenant settings (`tenant/settings`, a full replace) are in tenant_settings.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from .endpoints import Endpoint
from .errors import AlreadyExistsError, InvalidArgumentError
from .models import (
    WireModel,
    integral_floats_as_int,
)
from .transport import Transport

TENANT_CREATE = "/v1/mgmt/tenant/create"
TENANT_PATCH = "/v1/mgmt/tenant/patch"
# The full-replace update; not used by the provider (PATCH changes only what is sent), kept for the
# benchmark that replays the 0.1 release's request pattern.
TENANT_UPDATE_FULL = "/v1/mgmt/tenant/update"
TENANT_DELETE = "/v1/mgmt/tenant/delete"
TENANT_LOAD = "/v1/mgmt/tenant"
TENANT_LOAD_ALL = "/v1/mgmt/tenant/all"
TENANT_SEARCH = "/v1/mgmt/tenant/search"
TENANT_DEFAULT_ROLES = "/v1/mgmt/tenant/updateDefaultRoles"

CODE_TENANT_NOT_FOUND = "E112202"
TENANT_GONE = frozenset({CODE_TENANT_NOT_FOUND})


class TenantFields(WireModel):
    """What create and update send and load returns alike.

    Declared here are the fields this API code reasons about (matching a lost create, the settings
    overlay, the tree, export). Every other key is kept as Descope spells it: the tenant provider's
    spec reads and writes such a field by its wire key (`Field.wire_key`), so a new tenant input
    needs no line here; and a key Descope adds later passes through."""

    model_config = ConfigDict(extra="allow")

    name: str
    self_provisioning_domains: list[str] = Field(default_factory=list)
    custom_attributes: dict[str, Any] = Field(default_factory=dict)
    enforce_sso: bool = Field(default=False, alias="enforceSSO")
    enforce_sso_exclusions: list[str] = Field(default_factory=list, alias="enforceSSOExclusions")
    disabled: bool = False
    federated_app_ids: list[str] = Field(default_factory=list)
    # Honoured by Descope on create only; sent on update too so a full replace never clears it.
    parent: str | None = None

    @field_validator("custom_attributes", mode="before")
    @classmethod
    def _attributes_sorted_with_integral_numbers(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: integral_floats_as_int(value[key]) for key in sorted(value)}
        return value


class TenantRequest(TenantFields):
    """The body of tenant create and update. Update is a full replace on the server: every field
    here is sent, so whatever is left at its default is cleared."""

    id: str | None = None  # None on create: Descope generates one

    @model_validator(mode="after")
    def _undeclared_keys_as_descope_spells_them(self) -> TenantRequest:
        # A key TenantFields does not declare is sent as given: a snake_case one is a mistake.
        misspelt = sorted(key for key in self.model_extra or {} if "_" in key)
        if misspelt:
            raise ValueError(f"{misspelt}: give a field TenantFields does not declare by its wire key")
        return self


class Tenant(TenantFields):
    """A tenant as Descope returns it from load, load-all and search."""

    id: str
    # None until Descope reports it: a create is one request and does not read the tenant back.
    created_time: int | None = None
    auth_type: str = "none"
    domains: list[str] = Field(default_factory=list)
    successors: list[str] = Field(default_factory=list)
    default_roles: list[str] = Field(default_factory=list)

    @field_validator("parent", mode="before")
    @classmethod
    def _empty_parent_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("auth_type", mode="before")
    @classmethod
    def _null_auth_type_is_none(cls, value: Any) -> Any:
        return value or "none"

    def patched(self, changes: Mapping[str, Any]) -> Tenant:
        """This tenant as a patch with `changes` (keyed as patch_tenant takes them) leaves it."""
        return Tenant.model_validate({**self.to_wire(), **wire_changes(changes)})

    def matches(self, request: TenantRequest) -> bool:
        """Whether this live tenant is what `request` would have created: used to adopt the result
        of a create whose response was lost instead of creating it twice."""
        return (
            (request.id is None or request.id == self.id)
            and request.name == self.name
            and sorted(request.self_provisioning_domains) == sorted(self.self_provisioning_domains)
            and request.custom_attributes == self.custom_attributes
            and request.enforce_sso == self.enforce_sso
            and request.disabled == self.disabled
            and (request.parent or None) == self.parent
            and all(
                # Absent, null and empty all mean Descope's default (as Field.live_value reads them).
                ((self.model_extra or {}).get(key) or None) == (value or None)
                for key, value in (request.model_extra or {}).items()
            )
        )


def wire_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` (keys: wire keys, or snake_case names of the fields TenantFields declares) as
    Descope takes them: declared fields validated and spelled as on the wire, the others as given."""
    wire = TenantRequest.model_validate({"name": "-", **changes}).to_wire()
    declared = TenantFields.model_fields
    keys = [declared[key].alias or key if key in declared else key for key in changes]
    return {key: wire[key] for key in keys}


class TenantSearch(WireModel):
    """Filters of POST /v1/mgmt/tenant/search; an omitted filter matches everything."""

    tenant_ids: list[str] | None = None
    tenant_names: list[str] | None = None
    tenant_self_provisioning_domains: list[str] | None = None
    custom_attributes: dict[str, Any] | None = None

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json", exclude_none=True)


class TenantList(WireModel):
    tenants: list[Tenant] = Field(default_factory=list)


class CreatedTenant(WireModel):
    id: str


_LOAD = Endpoint("GET", TENANT_LOAD, "load tenant {id!r}", TENANT_GONE, Tenant)
_DELETE: Endpoint[Any] = Endpoint("POST", TENANT_DELETE, "delete tenant {id!r}", TENANT_GONE)


class TenantsApi(Transport):
    def create_tenant(self, tenant: TenantRequest) -> str:
        """Create a tenant and return its id (Descope generates one when `tenant.id` is None).

        When an attempt's outcome is unknown, the tenant is looked up (by id, else by its unique
        name) before anything is re-sent, and adopted if it is exactly what was sent.
        """
        operation = f"create tenant {tenant.id or tenant.name!r}"

        def send(deadline: float) -> str:
            # One attempt: _create_once decides whether another may be sent.
            data = self._send(operation, "POST", TENANT_CREATE, deadline, body=tenant.to_wire())
            return self._parse(operation, CreatedTenant, data).id

        def recover(deadline: float) -> str | None:
            existing = self._find_tenant_like(tenant, operation, deadline)
            if existing is None:
                return None
            if not existing.matches(tenant):
                raise AlreadyExistsError(
                    f"an earlier attempt got no answer, and the tenant now found ({existing.id!r}, "
                    f"name {existing.name!r}) differs from what was sent, so it was not adopted; "
                    "inspect it in the Descope console, then delete it or adopt it with adopt=True",
                    operation=operation,
                )
            self._emit(
                operation, f"the answer to an earlier attempt was lost; adopting tenant {existing.id!r}"
            )
            return existing.id

        return self._create_once(operation, "tenant", send, recover)

    def _find_tenant_like(self, tenant: TenantRequest, operation: str, deadline: float) -> Tenant | None:
        """The live tenant an earlier, unanswered create may have made: by id when one was sent,
        else by name (unique in a project). Retried like any read, within the create's deadline."""
        if tenant.id:
            return self._found(_LOAD, {"id": tenant.id}, deadline=deadline)
        found = self.search_tenants(TenantSearch(tenant_names=[tenant.name]), deadline=deadline)
        return next((t for t in found if t.name == tenant.name), None)

    def patch_tenant(self, tenant_id: str, changes: Mapping[str, Any]) -> None:
        """Change only the given fields, each named by its wire key or, for a field TenantFields
        declares, its snake_case name (except `parent`, which Descope sets at creation only); every
        other field keeps its value."""
        if not changes:
            return
        if "parent" in changes:
            raise InvalidArgumentError("a tenant's parent is set at creation only and cannot be patched")
        body = {"id": tenant_id, **wire_changes(changes)}
        # The tenant's lock: a settings write (read, overlay, write back the whole body, which
        # carries these fields too) must not straddle this patch, or it would undo it.
        with self.object_lock("tenant", tenant_id):
            self._call(f"patch tenant {tenant_id!r}", "PATCH", TENANT_PATCH, body=body, gone=TENANT_GONE)

    def delete_tenant(self, tenant_id: str, *, cascade: bool = False) -> bool:
        """Delete a tenant (and its child tenants with `cascade`). Returns False when Descope says
        it does not exist, which includes an earlier attempt of this call whose answer was lost."""
        return self._removed(_DELETE, {"id": tenant_id, "cascade": cascade})

    def load_tenant(self, tenant_id: str, *, deadline: float | None = None) -> Tenant:
        """Load one tenant; raises NotFoundError when it does not exist."""
        return self._request(_LOAD, {"id": tenant_id}, deadline=deadline)

    def load_all_tenants(self) -> list[Tenant]:
        found: TenantList = self._get("load all tenants", TENANT_LOAD_ALL, parse=TenantList)
        return found.tenants

    def search_tenants(self, search: TenantSearch, *, deadline: float | None = None) -> list[Tenant]:
        found: TenantList = self._call(
            "search tenants",
            "POST",
            TENANT_SEARCH,
            body=search.to_wire(),
            parse=TenantList,
            read_only=True,
            deadline=deadline,
        )
        return found.tenants

    def update_default_roles(self, tenant_id: str, role_names: list[str]) -> None:
        body = {"id": tenant_id, "defaultRoles": list(role_names)}
        self._call(
            f"update default roles of tenant {tenant_id!r}",
            "POST",
            TENANT_DEFAULT_ROLES,
            body=body,
            gone=TENANT_GONE,
        )
