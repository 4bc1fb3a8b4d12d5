"""Wire objects of the Descope Management API as pydantic v2 models.

snake_case in Python, camelCase on the wire (explicit aliases where Descope's spelling is not plain
camelCase, e.g. `enforceSSO`). Models parse leniently what the server may send as null (lists and
maps become empty) but reject wrong types, which the client turns into a MalformedResponseError.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

RoleInheritance = Literal["", "none", "userOnly"]
TokenUnit = Literal["minutes", "hours", "days", "weeks"]
CustomAttributeValue = str | int | float | bool | list[Any]


class WireModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")


def _none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


def _none_to_empty_dict(value: Any) -> Any:
    return {} if value is None else value


class TenantFields(WireModel):
    """What create and update send and load returns alike."""

    name: str
    self_provisioning_domains: list[str] = Field(default_factory=list)
    custom_attributes: dict[str, Any] = Field(default_factory=dict)
    enforce_sso: bool = Field(default=False, alias="enforceSSO")
    enforce_sso_exclusions: list[str] = Field(default_factory=list, alias="enforceSSOExclusions")
    disabled: bool = False
    federated_app_ids: list[str] = Field(default_factory=list)
    role_inheritance: RoleInheritance = ""
    # Honoured by Descope on create only; sent on update too so a full replace never clears it.
    parent: str | None = None

    @field_validator("custom_attributes", mode="before")
    @classmethod
    def _attributes_sorted_with_integral_numbers(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: integral_floats_as_int(value[key]) for key in sorted(value)}
        return value


def integral_floats_as_int(value: Any) -> Any:
    """The plugin protocol carries every number as a float; Descope should get 250, not 250.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [integral_floats_as_int(item) for item in value]
    return value


class TenantRequest(TenantFields):
    """The body of tenant create and update. Update is a full replace on the server: every field
    here is sent, so whatever is left at its default is cleared."""

    id: str | None = None  # None on create: Descope generates one


class Tenant(TenantFields):
    """A tenant as Descope returns it from load, load-all and search."""

    id: str
    created_time: int = 0
    auth_type: str = "none"
    domains: list[str] = Field(default_factory=list)
    successors: list[str] = Field(default_factory=list)
    default_roles: list[str] = Field(default_factory=list)

    @field_validator(
        "self_provisioning_domains",
        "enforce_sso_exclusions",
        "federated_app_ids",
        "domains",
        "successors",
        "default_roles",
        mode="before",
    )
    @classmethod
    def _lists_may_be_null(cls, value: Any) -> Any:
        return _none_to_empty_list(value)

    @field_validator("custom_attributes", mode="before")
    @classmethod
    def _maps_may_be_null(cls, value: Any) -> Any:
        return _none_to_empty_dict(value)

    @field_validator("parent", mode="before")
    @classmethod
    def _empty_parent_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("role_inheritance", mode="before")
    @classmethod
    def _null_inheritance_is_default(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("auth_type", mode="before")
    @classmethod
    def _null_auth_type_is_none(cls, value: Any) -> Any:
        return value or "none"

    def to_request(self) -> TenantRequest:
        """The full create/update body that keeps this tenant exactly as it is."""
        return TenantRequest.model_validate(self.model_dump(include={"id", *TenantFields.model_fields}))

    def merged_with(self, changes: Mapping[str, Any]) -> TenantRequest:
        """The full update body that applies `changes` (snake_case fields) and keeps the rest: the
        API replaces the whole tenant, so a partial change must carry everything else along."""
        return TenantRequest.model_validate({**self.to_request().model_dump(), **changes, "id": self.id})

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
        )


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

    @field_validator("tenants", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return _none_to_empty_list(value)


class CreatedTenant(WireModel):
    id: str


class TenantSettings(WireModel):
    """Tenant session and SSO settings; the update is a full replace too."""

    enabled: bool | None = None
    refresh_token_expiration: int | None = None
    refresh_token_expiration_unit: TokenUnit | None = None
    session_token_expiration: int | None = None
    session_token_expiration_unit: TokenUnit | None = None
    stepup_token_expiration: int | None = None
    stepup_token_expiration_unit: TokenUnit | None = None
    enable_inactivity: bool | None = None
    inactivity_time: int | None = None
    inactivity_time_unit: TokenUnit | None = None
    jit_disabled: bool | None = Field(default=None, alias="JITDisabled")
    self_provisioning_domains: list[str] | None = None
    domains: list[str] | None = None
    auth_type: str | None = None
