"""Tenants, their settings and default roles.

Served as the official SDKs call it:
- ``POST /v1/mgmt/tenant/create`` -> ``{"id"}``; ``POST .../update`` (full replace), ``PATCH .../patch``
  (partial), ``POST .../delete {id, cascade?}`` -> ``{}``
- ``GET /v1/mgmt/tenant?id=`` -> the tenant; ``GET .../all`` and ``POST .../search`` -> ``{"tenants"}``
- ``GET|POST /v1/mgmt/tenant/settings`` (a full replace); ``POST /v1/mgmt/tenant/updateDefaultRoles``

Choices where Descope's behaviour is not public:
- Tenant names and self-provisioning domains are unique case-insensitively; tenant ids are compared
  exactly.
- An unknown tenant is a 404 on loads and a 400 on writes (update, patch, delete, settings, default
  roles, a create naming an unknown parent).
- A default role must be a project role or a role of that tenant (else 400 ``E011004``); it follows a
  rename of the role and disappears with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import (
    Fields,
    attributes_match,
    casefolded,
    custom_attributes,
    domain_list,
    reject_unknown,
    set_given,
    with_aliases,
)
from descope_emulator.project import Project
from descope_emulator.routing import route
from descope_emulator.wire import wire_form

ROLE_INHERITANCE_VALUES: Final = ("", "none", "userOnly")
AUTH_TYPES: Final = ("none", "saml", "oidc")
TIME_UNITS: Final = ("minutes", "hours", "days", "weeks")
# Descope tenant ids look like "T2..." and are 28 characters long.
_TENANT_ID_RANDOM_CHARS: Final = 27
_SETTINGS_ALIASES: Final = {"InactivityTime": "inactivityTime", "InactivityTimeUnit": "inactivityTimeUnit"}
_SSO_SUITE_FEATURES: Final = ("saml", "oidc", "scim", "ssoDomains", "groupMapping")


def _sso_setup_suite(fields: Fields) -> dict[str, Any]:
    """``ssoSetupSuiteSettings`` in full: ``{enabled, styleId, disabledFeatures{saml, oidc, scim,
    ssoDomains, groupMapping}}``, what is not sent being false or ""; unknown keys are a 400."""
    suite = Fields(fields.mapping("ssoSetupSuiteSettings"))
    features = Fields(suite.mapping("disabledFeatures"))
    reject_unknown(suite, "ssoSetupSuiteSettings", ("enabled", "styleId", "disabledFeatures"))
    reject_unknown(features, "ssoSetupSuiteSettings.disabledFeatures", _SSO_SUITE_FEATURES)
    return {
        "enabled": suite.boolean("enabled"),
        "styleId": suite.string("styleId"),
        "disabledFeatures": {name: features.boolean(name) for name in _SSO_SUITE_FEATURES},
    }


@dataclass
class SessionSettings:
    """The tenant's session settings; the emulator's defaults stand in for the project's."""

    enabled: bool = False
    refresh_token_expiration: int = 4
    refresh_token_expiration_unit: str = "weeks"
    session_token_expiration: int = 10
    session_token_expiration_unit: str = "minutes"
    stepup_token_expiration: int = 10
    stepup_token_expiration_unit: str = "minutes"
    enable_inactivity: bool = False
    inactivity_time: int = 12
    inactivity_time_unit: str = "hours"
    jit_disabled: bool = False
    sso_setup_suite_settings: dict[str, Any] = field(default_factory=lambda: _sso_setup_suite(Fields({})))


@dataclass
class Tenant:
    id: str
    name: str
    created_time: int
    self_provisioning_domains: list[str] = field(default_factory=list)
    custom_attributes: dict[str, Any] = field(default_factory=dict)
    enforce_sso: bool = False
    enforce_sso_exclusions: list[str] = field(default_factory=list)
    disabled: bool = False
    federated_app_ids: list[str] = field(default_factory=list)
    role_inheritance: str = ""
    parent: str = ""
    successors: list[str] = field(default_factory=list)
    auth_type: str = "none"
    domains: list[str] = field(default_factory=list)
    default_roles: list[str] = field(default_factory=list)
    settings: SessionSettings = field(default_factory=SessionSettings)

    def to_wire(self) -> dict[str, Any]:
        return wire_form(self, _WIRE_KEYS)

    def settings_to_wire(self) -> dict[str, Any]:
        return {
            "tenantId": self.id,
            **wire_form(self, ("domains", "selfProvisioningDomains", "authType")),
            **wire_form(self.settings, _SESSION_SETTINGS_KEYS),
            **wire_form(self, ("enforceSSO", "enforceSSOExclusions", "federatedAppIds")),
        }


# The tenant's own fields as the API takes them: (attribute of Tenant, wire key, how a body's value is
# read). Create sets them all, update replaces them all, PATCH changes the ones present, and load
# answers them: a new tenant field is one row here and its default in Tenant.
_FIELDS: tuple[tuple[str, str, Callable[[Fields, str], Any]], ...] = (
    ("self_provisioning_domains", "selfProvisioningDomains", domain_list),
    ("custom_attributes", "customAttributes", lambda fields, key: custom_attributes(fields)),
    ("enforce_sso", "enforceSSO", Fields.boolean),
    ("enforce_sso_exclusions", "enforceSSOExclusions", Fields.string_list),
    ("disabled", "disabled", Fields.boolean),
    ("federated_app_ids", "federatedAppIds", Fields.string_list),
    (
        "role_inheritance",
        "roleInheritance",
        lambda fields, key: fields.choice(key, ROLE_INHERITANCE_VALUES, ""),
    ),
)


# A tenant's answer (load, all, search), in order.
_WIRE_KEYS: Final = (
    "id", "name", *(key for _, key, _ in _FIELDS), "parent", "successors", "createdTime", "authType",
    "domains", "defaultRoles",
)  # fmt: skip
# The session settings' keys in a settings answer (``JITDisabled`` is read from ``jit_disabled``).
_SESSION_SETTINGS_KEYS: Final = (
    "enabled", "refreshTokenExpiration", "refreshTokenExpirationUnit", "sessionTokenExpiration",
    "sessionTokenExpirationUnit", "stepupTokenExpiration", "stepupTokenExpirationUnit", "enableInactivity",
    "inactivityTime", "inactivityTimeUnit", "JITDisabled", "ssoSetupSuiteSettings",
)  # fmt: skip


def _replaced_fields(fields: Fields) -> dict[str, Any]:
    """The tenant fields a create sets and an update replaces (everything left out is cleared)."""
    return {attribute: read(fields, key) for attribute, key, read in _FIELDS}


def _patched_fields(fields: Fields) -> dict[str, Any]:
    """The tenant fields a PATCH changes: the ones present (None for the others)."""
    return {attribute: read(fields, key) if fields.present(key) else None for attribute, key, read in _FIELDS}


def _optional_sso_fields(fields: Fields) -> dict[str, Any]:
    """The SSO-related tenant fields that patch and settings update change only when given."""
    return {
        "enforce_sso": fields.optional("enforceSSO", fields.boolean),
        "enforce_sso_exclusions": fields.optional("enforceSSOExclusions", fields.string_list),
        "federated_app_ids": fields.optional("federatedAppIds", fields.string_list),
    }


def _session_settings(fields: Fields) -> SessionSettings:
    """A settings body's session settings, "not set" (absent, null, 0, "") meaning the default."""
    defaults = SessionSettings()

    def duration(key: str, default: int) -> int:
        return fields.integer(key, default) or default

    def unit(key: str, default: str) -> str:
        return fields.choice(key, ("", *TIME_UNITS), "") or default

    return SessionSettings(
        enabled=fields.boolean("enabled"),
        refresh_token_expiration=duration("refreshTokenExpiration", defaults.refresh_token_expiration),
        refresh_token_expiration_unit=unit(
            "refreshTokenExpirationUnit", defaults.refresh_token_expiration_unit
        ),
        session_token_expiration=duration("sessionTokenExpiration", defaults.session_token_expiration),
        session_token_expiration_unit=unit(
            "sessionTokenExpirationUnit", defaults.session_token_expiration_unit
        ),
        stepup_token_expiration=duration("stepupTokenExpiration", defaults.stepup_token_expiration),
        stepup_token_expiration_unit=unit("stepupTokenExpirationUnit", defaults.stepup_token_expiration_unit),
        enable_inactivity=fields.boolean("enableInactivity"),
        inactivity_time=duration("inactivityTime", defaults.inactivity_time),
        inactivity_time_unit=unit("inactivityTimeUnit", defaults.inactivity_time_unit),
        jit_disabled=fields.boolean("JITDisabled"),
        sso_setup_suite_settings=_sso_setup_suite(fields),
    )


class Tenants:
    """The tenants of one project (the project's tenant look-up)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._tenants: dict[str, Tenant] = project.table()
        project.provide_tenants(self._tenants.get)
        project.provide_app_users(
            lambda app_id: [t.id for t in self._tenants.values() if app_id in t.federated_app_ids]
        )
        project.role_renamed.subscribe(self._role_renamed)
        project.role_removed.subscribe(self._role_removed)
        project.tenant_attribute_removed.subscribe(self._attribute_removed)

    # ----- project hooks ------------------------------------------------------------------------

    def _default_role_holders(self, scope: str) -> list[Tenant]:
        # A project role can be a default role of any tenant; a tenant role only of its own tenant.
        if scope:
            tenant = self._tenants.get(scope)
            return [tenant] if tenant is not None else []
        return list(self._tenants.values())

    def _role_renamed(self, scope: str, old: str, new: str) -> None:
        for tenant in self._default_role_holders(scope):
            tenant.default_roles = [new if r == old else r for r in tenant.default_roles]

    def _attribute_removed(self, name: str) -> None:
        for tenant in self._tenants.values():
            tenant.custom_attributes.pop(name, None)

    def _role_removed(self, scope: str, name: str) -> None:
        for tenant in self._default_role_holders(scope):
            tenant.default_roles = [r for r in tenant.default_roles if r != name]

    # ----- checks (called with the project lock held) -------------------------------------------

    def _require(self, tenant_id: str, *, status: int) -> Tenant:
        tenant = self._tenants.get(tenant_id)
        if tenant is None:
            raise errors.tenant_not_found(tenant_id, status=status)
        return tenant

    def _answer(self, tenant_id: str, answer: Callable[[Tenant], dict[str, Any]]) -> dict[str, Any]:
        """What a GET of one tenant (``?id=``, required; unknown is a 404) answers about it."""
        if not tenant_id:
            raise errors.missing_argument("id")
        with self._project.lock:
            return answer(self._require(tenant_id, status=404))

    def _check_name_free(self, name: str, exclude: str | None) -> None:
        wanted = name.casefold()
        for tenant in self._tenants.values():
            if tenant.id != exclude and tenant.name.casefold() == wanted:
                raise errors.already_exists(f"Tenant name '{name}' already exists")

    def _check_domains_free(self, wanted_domains: list[str], exclude: str | None) -> None:
        wanted = casefolded(wanted_domains)
        if not wanted:  # nothing to clash with: no scan of every tenant (a create of thousands)
            return
        for tenant in self._tenants.values():
            if tenant.id == exclude:
                continue
            clash = wanted & casefolded(tenant.self_provisioning_domains)
            if clash:
                raise errors.already_exists(
                    f"Self provisioning domain '{sorted(clash)[0]}' already exists in another tenant"
                )

    # ----- API ----------------------------------------------------------------------------------

    @route("POST", "/v1/mgmt/tenant/create")
    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        name = fields.required_string("name")
        requested_id = fields.string("id")
        if any(ch.isspace() for ch in requested_id):
            raise errors.invalid_argument("'id' must not contain whitespace")
        parent = fields.string("parent")
        values = _replaced_fields(fields)
        with self._project.lock:
            self._project.check_tenant_attributes(values["custom_attributes"])
            if requested_id and requested_id in self._tenants:
                raise errors.already_exists(f"Tenant id '{requested_id}' already exists")
            self._check_name_free(name, exclude=None)
            self._check_domains_free(values["self_provisioning_domains"], exclude=None)
            parent_tenant = self._require(parent, status=400) if parent else None
            tenant_id = requested_id or self._project.new_id(
                "T", _TENANT_ID_RANDOM_CHARS, lambda candidate: candidate in self._tenants
            )
            self._tenants[tenant_id] = Tenant(
                id=tenant_id, name=name, created_time=self._project.now(), parent=parent, **values
            )
            if parent_tenant is not None:
                parent_tenant.successors.append(tenant_id)
        return {"id": tenant_id}

    @route("POST", "/v1/mgmt/tenant/update")
    def update(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Full replace: every create/update field left out is cleared. ``parent`` is ignored."""
        fields = Fields(body)
        tenant_id = fields.required_string("id")
        name = fields.required_string("name")
        values = _replaced_fields(fields)
        with self._project.lock:
            self._project.check_tenant_attributes(values["custom_attributes"])
            tenant = self._require(tenant_id, status=400)
            self._check_name_free(name, exclude=tenant_id)
            self._check_domains_free(values["self_provisioning_domains"], exclude=tenant_id)
            set_given(tenant, name=name, **values)  # none of them None: every one is replaced
        return {}

    @route("PATCH", "/v1/mgmt/tenant/patch")
    def patch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Partial update (``PATCH /v1/mgmt/tenant/patch``, used by the SDK's ``patch_tenant``)."""
        fields = Fields(body)
        tenant_id = fields.required_string("id")
        changes: dict[str, Any] = {
            "name": fields.required_string("name") if "name" in body else None,
            **_patched_fields(fields),
        }
        with self._project.lock:
            tenant = self._require(tenant_id, status=400)
            if changes["custom_attributes"] is not None:
                self._project.check_tenant_attributes(changes["custom_attributes"])
            if changes["name"] is not None:
                self._check_name_free(changes["name"], exclude=tenant_id)
            if changes["self_provisioning_domains"] is not None:
                self._check_domains_free(changes["self_provisioning_domains"], exclude=tenant_id)
            # Validated everything first, so a rejected patch changes nothing.
            set_given(tenant, **changes)
        return {}

    @route("POST", "/v1/mgmt/tenant/delete")
    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Deletes a tenant; with ``cascade`` also all its successors, else one with successors is a 400."""
        fields = Fields(body)
        tenant_id = fields.required_string("id")
        cascade = fields.boolean("cascade")
        with self._project.lock:
            tenant = self._require(tenant_id, status=400)
            if tenant.successors and not cascade:
                raise errors.invalid_argument(
                    f"Tenant '{tenant_id}' has successor tenants; delete them first or use cascade"
                )
            self._remove_tree(tenant)
        return {}

    def _remove_tree(self, tenant: Tenant) -> None:
        # Children first; list() because each removal edits the parent's successors.
        for child_id in list(tenant.successors):
            child = self._tenants.get(child_id)
            if child is not None:
                self._remove_tree(child)
        parent = self._tenants.get(tenant.parent) if tenant.parent else None
        if parent is not None and tenant.id in parent.successors:
            parent.successors.remove(tenant.id)
        self._project.tenant_removed.emit(tenant.id)
        del self._tenants[tenant.id]

    @route("GET", "/v1/mgmt/tenant", "id")
    def load(self, tenant_id: str) -> dict[str, Any]:
        return self._answer(tenant_id, Tenant.to_wire)

    @route("GET", "/v1/mgmt/tenant/all")
    def all(self) -> dict[str, Any]:
        return self._project.listing("tenants", self._tenants)

    @route("POST", "/v1/mgmt/tenant/search")
    def search(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """AND across the given filters, OR within one filter; empty, null or "" filters match everything.

        Filters: tenantIds, tenantNames, tenantSelfProvisioningDomains, customAttributes, authType
        (Go, Node), parentTenantId (Node).

        Names and domains match case-insensitively. A custom-attribute filter value that is a list
        matches a tenant whose value equals the list or is one of its items.
        """
        fields = Fields(body)
        ids = set(fields.string_list("tenantIds"))
        names = casefolded(fields.string_list("tenantNames"))
        wanted_domains = casefolded(fields.string_list("tenantSelfProvisioningDomains"))
        attributes = fields.mapping("customAttributes")
        # Go sends "" for both when unset: "" is "no filter", never an invalid value.
        auth_type = fields.string("authType")
        if auth_type and auth_type not in AUTH_TYPES:
            raise errors.invalid_argument(f"'authType' must be one of {list(AUTH_TYPES)}, got '{auth_type}'")
        parent = fields.string("parentTenantId")

        def matches(tenant: Tenant) -> bool:
            if auth_type and tenant.auth_type != auth_type:
                return False
            if parent and tenant.parent != parent:
                return False
            if ids and tenant.id not in ids:
                return False
            if names and tenant.name.casefold() not in names:
                return False
            if wanted_domains and not wanted_domains & casefolded(tenant.self_provisioning_domains):
                return False
            return attributes_match(tenant.custom_attributes, attributes)

        with self._project.lock:
            return {"tenants": [t.to_wire() for t in self._tenants.values() if matches(t)]}

    # ----- settings and default roles -----------------------------------------------------------

    @route("GET", "/v1/mgmt/tenant/settings", "id")
    def load_settings(self, tenant_id: str) -> dict[str, Any]:
        return self._answer(tenant_id, Tenant.settings_to_wire)

    @route("POST", "/v1/mgmt/tenant/settings")
    def update_settings(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Full replace of the session settings and of selfProvisioningDomains/domains/authType.

        "Not set" (the field left out, ``null``, and the zero values the Go SDK always sends: ``0``
        for a duration, ``""`` for a unit or authType) means the default: the project's value
        (here: the emulator's ``SessionSettings`` defaults) or ``authType`` ``"none"``.
        ``InactivityTime``/``InactivityTimeUnit`` (the Node SDK's TypeScript spelling) are accepted
        for ``inactivityTime``/``inactivityTimeUnit``.

        enforceSSO, enforceSSOExclusions and federatedAppIds are tenant fields the SDK sends here only
        when given, so they change only when present.
        """
        fields = Fields(with_aliases(body, _SETTINGS_ALIASES))
        tenant_id = fields.string("tenantId") or fields.required_string("id")
        provisioning = domain_list(fields, "selfProvisioningDomains")
        sso_domains = domain_list(fields, "domains")
        auth_type = fields.choice("authType", ("", *AUTH_TYPES), "") or "none"
        settings = _session_settings(fields)
        sso = _optional_sso_fields(fields)
        with self._project.lock:
            tenant = self._require(tenant_id, status=400)
            self._check_domains_free(provisioning, exclude=tenant_id)
            tenant.settings = settings
            tenant.self_provisioning_domains = provisioning
            tenant.domains = sso_domains
            tenant.auth_type = auth_type
            set_given(tenant, **sso)
        return {}

    @route("POST", "/v1/mgmt/tenant/updateDefaultRoles")
    def update_default_roles(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Each name must be a project-wide role or a role of this tenant."""
        fields = Fields(body)
        tenant_id = fields.required_string("id")
        role_names = fields.string_list("defaultRoles")
        with self._project.lock:
            tenant = self._require(tenant_id, status=400)
            for role_name in role_names:
                if self._project.role_id(tenant_id, role_name) is None:
                    raise errors.invalid_argument(f"Role '{role_name}' not found")
            tenant.default_roles = list(dict.fromkeys(role_names))
        return {}

    # ----- out-of-band access for tests and the admin API ---------------------------------------

    def get(self, tenant_id: str) -> dict[str, Any] | None:
        with self._project.lock:
            tenant = self._tenants.get(tenant_id)
            return None if tenant is None else tenant.to_wire()

    def ids(self) -> list[str]:
        with self._project.lock:
            return list(self._tenants)

    def count(self) -> int:
        return len(self.ids())

    def edit(self, /, tenant_id: str, **changes: Any) -> dict[str, Any]:
        """A console edit: patch semantics with wire (camelCase) field names, e.g. ``name="New"``.

        ``createdTime`` may also be set here, so tests can fake old tenants.
        """
        created_time = changes.pop("createdTime", None)
        self.patch({**changes, "id": tenant_id})
        with self._project.lock:
            tenant = self._require(tenant_id, status=404)
            if created_time is not None:
                tenant.created_time = int(created_time)
            return tenant.to_wire()

    def remove(self, tenant_id: str, *, cascade: bool = True) -> None:
        """A console delete."""
        self.delete({"id": tenant_id, "cascade": cascade})

    def dump(self) -> list[dict[str, Any]]:
        """Each tenant as loaded plus its ``settings`` (parents before their successors)."""
        tenants = []
        for tenant in self._tenants.values():
            wire = tenant.to_wire()
            wire["settings"] = tenant.settings_to_wire()
            tenants.append(wire)
        return tenants

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """Creates tenants from ``dump`` entries: a create body plus ``createdTime`` and ``settings``
        (a settings body). Their ``defaultRoles`` come with ``seed_default_roles``, once roles exist."""
        for entry in entries:
            tenant_id = self.create(entry)["id"]
            tenant = self._tenants[tenant_id]
            if isinstance(entry.get("createdTime"), int):
                tenant.created_time = entry["createdTime"]
            settings = entry.get("settings")
            if isinstance(settings, dict):
                self.update_settings({**settings, "tenantId": tenant_id})

    def seed_default_roles(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if entry.get("defaultRoles"):
                tenant_id = entry.get("id") or self._tenant_id_by_name(entry["name"])
                self.update_default_roles({"id": tenant_id, "defaultRoles": entry["defaultRoles"]})

    def _tenant_id_by_name(self, name: str) -> str:
        for tenant in self._tenants.values():
            if tenant.name.casefold() == str(name).casefold():
                return tenant.id
        raise errors.tenant_not_found(name, status=400)
