"""In-memory Descope project state: tenants (with settings), permissions and roles; the tenants' SSO
configurations (``sso.py``) and the access keys (``accesskeys.py``) are parts the store owns.

Each public ``Store`` method takes a decoded JSON request body (or an id from the query string),
validates it the way the Descope Management API does, applies it atomically under one lock and returns
the JSON answer, or raises ``DescopeError``. Nothing here knows about HTTP, quotas or faults.

Choices where Descope's behaviour is not public:
- Tenant names and self-provisioning domains are unique case-insensitively; tenant ids, role names and
  permission names are compared exactly.
- An unknown tenant is a 404 on loads and a 400 on writes (update, patch, delete, settings, default
  roles, a create naming an unknown parent, a tenant-scoped role in an unknown tenant).
- The role or permission a call targets (update, delete, batch entries) missing is 400 ``E112302``
  (role) / ``E112402`` (permission); one merely named (a role's permissionNames, a tenant's
  defaultRoles) missing is 400 ``E011004``.
- A new project (and ``clear()``) has the system permissions Impersonate, User Admin and SSO Admin
  (``systemDefault``: cannot be created, changed or deleted) and the built-in project role
  "Tenant Admin" (User Admin, SSO Admin), which can be updated but not renamed or deleted.
- A role batch delete without names and ids deletes every role (of ``tenantId`` when given), as
  Descope does, except the built-in ones; a permission batch delete without either is a 400.
- Batch calls are all or nothing.
"""

from __future__ import annotations

import copy
import random
import string
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeVar

from descope_emulator import errors

if TYPE_CHECKING:
    from descope_emulator.accesskeys import AccessKeys
    from descope_emulator.sso import SsoConfigurations

ROLE_INHERITANCE_VALUES: Final = ("", "none", "userOnly")
AUTH_TYPES: Final = ("none", "saml", "oidc")
TIME_UNITS: Final = ("minutes", "hours", "days", "weeks")
_ID_ALPHABET: Final = string.ascii_letters + string.digits
# Descope tenant ids look like "T2..." and are 28 characters long.
_TENANT_ID_RANDOM_CHARS: Final = 27
_ROLE_ID_RANDOM_CHARS: Final = 26
_PERMISSION_ID_RANDOM_CHARS: Final = 25
# What every new Descope project has: the system permissions (systemDefault, cannot be created,
# changed or deleted; see the official Terraform provider's list) and the "Tenant Admin" role.
SYSTEM_PERMISSIONS: Final = (
    ("Impersonate", "Impersonate other users"),
    ("User Admin", "Manage the users of a tenant"),
    ("SSO Admin", "Manage the SSO configuration of a tenant"),
)
BUILT_IN_ROLES: Final = (("Tenant Admin", "Administrates a tenant", ("User Admin", "SSO Admin")),)
# Generated ids come from the seeded generator, the built-ins' ids from their own (fixed) one, so
# adding a built-in never shifts the ids of tenants and roles a test creates.
_BUILT_IN_SEED: Final = "descope-emulator-built-ins"

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class _Fields:
    """Typed, validating access to one JSON request body.

    A key that is missing or ``null`` counts as absent: the Python SDK sends ``null`` for every
    argument it was not given.
    """

    def __init__(self, body: Mapping[str, Any]) -> None:
        self._body = body

    def keys(self) -> list[str]:
        return list(self._body)

    def present(self, key: str) -> bool:
        return self._body.get(key) is not None

    def optional(self, key: str, read: Callable[[str], T]) -> T | None:
        """``read(key)`` when the key is present, else None (a partial change leaves it alone)."""
        return read(key) if self.present(key) else None

    def string(self, key: str, default: str = "") -> str:
        value = self._body.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise errors.validation_failed(f"'{key}' must be a string")
        return value

    def required_string(self, key: str) -> str:
        value = self.string(key)
        if not value:
            raise errors.missing_argument(key)
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self._body.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise errors.validation_failed(f"'{key}' must be a boolean")
        return value

    def integer(self, key: str, default: int) -> int:
        value = self._body.get(key)
        if value is None:
            return default
        # bool is an int subclass in Python, but not a number on the wire.
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise errors.validation_failed(f"'{key}' must be a non-negative integer")
        return value

    def string_list(self, key: str) -> list[str]:
        value = self._body.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise errors.validation_failed(f"'{key}' must be a list of strings")
        return list(value)

    def mapping(self, key: str) -> dict[str, Any]:
        value = self._body.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise errors.validation_failed(f"'{key}' must be an object")
        return copy.deepcopy(value)

    def choice(self, key: str, allowed: Iterable[str], default: str) -> str:
        value = self.string(key, default)
        allowed = tuple(allowed)
        if value not in allowed:
            raise errors.invalid_argument(f"'{key}' must be one of {list(allowed)}, got '{value}'")
        return value


def _custom_attributes(fields: _Fields) -> dict[str, Any]:
    attributes = fields.mapping("customAttributes")
    scalar = (str, int, float, bool)
    for key, value in attributes.items():
        ok = isinstance(value, scalar) or (
            isinstance(value, list) and all(isinstance(item, scalar) for item in value)
        )
        if not ok:
            raise errors.validation_failed(
                f"custom attribute '{key}' must be a string, number, boolean or list of those"
            )
    return attributes


def _domains(fields: _Fields, key: str) -> list[str]:
    domains = fields.string_list(key)
    for domain in domains:
        if not domain.strip():
            raise errors.invalid_argument(f"'{key}' must not contain empty domains")
    return domains


_SETTINGS_ALIASES: Final = {"InactivityTime": "inactivityTime", "InactivityTimeUnit": "inactivityTimeUnit"}
_SSO_SUITE_FEATURES: Final = ("saml", "oidc", "scim", "ssoDomains", "groupMapping")


def _with_aliases(body: Mapping[str, Any], aliases: Mapping[str, str]) -> dict[str, Any]:
    """The body with each alias renamed to its canonical key; both present and different is a 400."""
    result = dict(body)
    for alias, canonical in aliases.items():
        if result.get(alias) is None:
            result.pop(alias, None)
            continue
        value = result.pop(alias)
        if result.get(canonical) is not None and result[canonical] != value:
            raise errors.validation_failed(f"'{alias}' and '{canonical}' disagree; send one of them")
        result[canonical] = value
    return result


def _sso_setup_suite(fields: _Fields) -> dict[str, Any]:
    """``ssoSetupSuiteSettings`` in full: ``{enabled, styleId, disabledFeatures{saml, oidc, scim,
    ssoDomains, groupMapping}}``, what is not sent being false or ""; unknown keys are a 400."""
    suite = _Fields(fields.mapping("ssoSetupSuiteSettings"))
    features = _Fields(suite.mapping("disabledFeatures"))
    _reject_unknown(suite, "ssoSetupSuiteSettings", ("enabled", "styleId", "disabledFeatures"))
    _reject_unknown(features, "ssoSetupSuiteSettings.disabledFeatures", _SSO_SUITE_FEATURES)
    return {
        "enabled": suite.boolean("enabled"),
        "styleId": suite.string("styleId"),
        "disabledFeatures": {name: features.boolean(name) for name in _SSO_SUITE_FEATURES},
    }


def _reject_unknown(fields: _Fields, where: str, known: Iterable[str]) -> None:
    unknown = sorted(set(fields.keys()) - set(known))
    if unknown:
        raise errors.validation_failed(f"'{where}' has unknown field(s) {unknown}; known: {sorted(known)}")


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
    sso_setup_suite_settings: dict[str, Any] = field(default_factory=lambda: _sso_setup_suite(_Fields({})))


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
        return copy.deepcopy(
            {
                "id": self.id,
                "name": self.name,
                "selfProvisioningDomains": self.self_provisioning_domains,
                "customAttributes": self.custom_attributes,
                "enforceSSO": self.enforce_sso,
                "enforceSSOExclusions": self.enforce_sso_exclusions,
                "disabled": self.disabled,
                "federatedAppIds": self.federated_app_ids,
                "roleInheritance": self.role_inheritance,
                "parent": self.parent,
                "successors": self.successors,
                "createdTime": self.created_time,
                "authType": self.auth_type,
                "domains": self.domains,
                "defaultRoles": self.default_roles,
            }
        )

    def settings_to_wire(self) -> dict[str, Any]:
        s = self.settings
        return copy.deepcopy(
            {
                "tenantId": self.id,
                "domains": self.domains,
                "selfProvisioningDomains": self.self_provisioning_domains,
                "authType": self.auth_type,
                "enabled": s.enabled,
                "refreshTokenExpiration": s.refresh_token_expiration,
                "refreshTokenExpirationUnit": s.refresh_token_expiration_unit,
                "sessionTokenExpiration": s.session_token_expiration,
                "sessionTokenExpirationUnit": s.session_token_expiration_unit,
                "stepupTokenExpiration": s.stepup_token_expiration,
                "stepupTokenExpirationUnit": s.stepup_token_expiration_unit,
                "enableInactivity": s.enable_inactivity,
                "inactivityTime": s.inactivity_time,
                "inactivityTimeUnit": s.inactivity_time_unit,
                "JITDisabled": s.jit_disabled,
                "ssoSetupSuiteSettings": s.sso_setup_suite_settings,
                "enforceSSO": self.enforce_sso,
                "enforceSSOExclusions": self.enforce_sso_exclusions,
                "federatedAppIds": self.federated_app_ids,
            }
        )


@dataclass
class Permission:
    id: str
    name: str
    description: str = ""
    system_default: bool = False

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "systemDefault": self.system_default,
        }


@dataclass
class Role:
    id: str
    name: str
    tenant_id: str
    created_time: int
    description: str = ""
    permission_names: list[str] = field(default_factory=list)
    default: bool = False
    private: bool = False
    # A role every new project has: it can be updated but neither renamed nor deleted.
    built_in: bool = False

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "permissionNames": list(self.permission_names),
            "tenantId": self.tenant_id,
            "default": self.default,
            "private": self.private,
            "createdTime": self.created_time,
        }


def _optional_sso_fields(fields: _Fields) -> dict[str, Any]:
    """The SSO-related tenant fields that patch and settings update change only when given."""
    return {
        "enforce_sso": fields.optional("enforceSSO", fields.boolean),
        "enforce_sso_exclusions": fields.optional("enforceSSOExclusions", fields.string_list),
        "federated_app_ids": fields.optional("federatedAppIds", fields.string_list),
    }


def _set_given(target: object, **values: Any) -> None:
    """Set the attributes whose value is not None (None means "not in this request")."""
    for name, value in values.items():
        if value is not None:
            setattr(target, name, value)


def _casefolded(values: Iterable[str]) -> set[str]:
    return {value.casefold() for value in values}


class Store:
    """Thread-safe project state. ``seed`` makes generated ids reproducible."""

    def __init__(
        self, *, seed: int = 0, wall_clock: Callable[[], float] = time.time, project_id: str = ""
    ) -> None:
        self._lock = threading.RLock()
        self._seed = seed
        self._rng = random.Random(seed)
        self._wall_clock = wall_clock
        self._tenants: dict[str, Tenant] = {}
        self._permissions: dict[str, Permission] = {}
        # Keyed by (tenantId or "" for project-wide, role name): a role name is unique per scope.
        self._roles: dict[tuple[str, str], Role] = {}
        # Imported here: these parts build on this module's field readers and tenant objects.
        from descope_emulator.accesskeys import AccessKeys
        from descope_emulator.sso import SsoConfigurations

        # Parts owned by the store: they share its lock, clocks and id generator (``project_id`` feeds
        # the derived SAML SP URLs).
        self.sso: SsoConfigurations = SsoConfigurations(self, project_id)
        self.access_keys: AccessKeys = AccessKeys(self)
        self._install_built_ins()

    # ----- housekeeping -------------------------------------------------------------------------

    def clear(self) -> None:
        """Back to a new project: no tenants, only the built-in roles and system permissions."""
        with self._lock:
            self._tenants.clear()
            self._permissions.clear()
            self._roles.clear()
            self.sso.clear()
            self.access_keys.clear()
            self._rng = random.Random(self._seed)
            self._install_built_ins()

    def _install_built_ins(self) -> None:
        rng = random.Random(_BUILT_IN_SEED)

        def fixed_id(prefix: str, length: int) -> str:
            return prefix + "".join(rng.choice(_ID_ALPHABET) for _ in range(length))

        for name, description in SYSTEM_PERMISSIONS:
            self._permissions[name] = Permission(
                id=fixed_id("PERM", _PERMISSION_ID_RANDOM_CHARS),
                name=name,
                description=description,
                system_default=True,
            )
        for name, description, permission_names in BUILT_IN_ROLES:
            self._roles[("", name)] = Role(
                id=fixed_id("ROL", _ROLE_ID_RANDOM_CHARS),
                name=name,
                tenant_id="",
                created_time=self._now(),
                description=description,
                permission_names=list(permission_names),
                built_in=True,
            )

    def _now(self) -> int:
        return int(self._wall_clock())

    def _new_id(self, prefix: str, length: int, taken: Callable[[str], bool]) -> str:
        while True:
            candidate = prefix + "".join(self._rng.choice(_ID_ALPHABET) for _ in range(length))
            if not taken(candidate):
                return candidate

    def _require_tenant(self, tenant_id: str, *, status: int) -> Tenant:
        tenant = self._tenants.get(tenant_id)
        if tenant is None:
            raise errors.tenant_not_found(tenant_id, status=status)
        return tenant

    def _check_name_free(self, name: str, exclude: str | None) -> None:
        wanted = name.casefold()
        for tenant in self._tenants.values():
            if tenant.id != exclude and tenant.name.casefold() == wanted:
                raise errors.already_exists(f"Tenant name '{name}' already exists")

    def _check_domains_free(self, domains: list[str], exclude: str | None) -> None:
        wanted = _casefolded(domains)
        for tenant in self._tenants.values():
            if tenant.id == exclude:
                continue
            clash = wanted & _casefolded(tenant.self_provisioning_domains)
            if clash:
                raise errors.already_exists(
                    f"Self provisioning domain '{sorted(clash)[0]}' already exists in another tenant"
                )

    # ----- tenants ------------------------------------------------------------------------------

    def create_tenant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = _Fields(body)
        name = fields.required_string("name")
        requested_id = fields.string("id")
        if any(ch.isspace() for ch in requested_id):
            raise errors.invalid_argument("'id' must not contain whitespace")
        parent = fields.string("parent")
        domains = _domains(fields, "selfProvisioningDomains")
        attributes = _custom_attributes(fields)
        enforce_sso = fields.boolean("enforceSSO")
        exclusions = fields.string_list("enforceSSOExclusions")
        disabled = fields.boolean("disabled")
        app_ids = fields.string_list("federatedAppIds")
        inheritance = fields.choice("roleInheritance", ROLE_INHERITANCE_VALUES, "")
        with self._lock:
            if requested_id and requested_id in self._tenants:
                raise errors.already_exists(f"Tenant id '{requested_id}' already exists")
            self._check_name_free(name, exclude=None)
            self._check_domains_free(domains, exclude=None)
            parent_tenant = self._require_tenant(parent, status=400) if parent else None
            tenant_id = requested_id or self._new_id(
                "T", _TENANT_ID_RANDOM_CHARS, lambda candidate: candidate in self._tenants
            )
            self._tenants[tenant_id] = Tenant(
                id=tenant_id,
                name=name,
                created_time=self._now(),
                self_provisioning_domains=domains,
                custom_attributes=attributes,
                enforce_sso=enforce_sso,
                enforce_sso_exclusions=exclusions,
                disabled=disabled,
                federated_app_ids=app_ids,
                role_inheritance=inheritance,
                parent=parent,
            )
            if parent_tenant is not None:
                parent_tenant.successors.append(tenant_id)
        return {"id": tenant_id}

    def update_tenant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Full replace: every create/update field left out is cleared. ``parent`` is ignored."""
        fields = _Fields(body)
        tenant_id = fields.required_string("id")
        name = fields.required_string("name")
        domains = _domains(fields, "selfProvisioningDomains")
        attributes = _custom_attributes(fields)
        enforce_sso = fields.boolean("enforceSSO")
        exclusions = fields.string_list("enforceSSOExclusions")
        disabled = fields.boolean("disabled")
        app_ids = fields.string_list("federatedAppIds")
        inheritance = fields.choice("roleInheritance", ROLE_INHERITANCE_VALUES, "")
        with self._lock:
            tenant = self._require_tenant(tenant_id, status=400)
            self._check_name_free(name, exclude=tenant_id)
            self._check_domains_free(domains, exclude=tenant_id)
            tenant.name = name
            tenant.self_provisioning_domains = domains
            tenant.custom_attributes = attributes
            tenant.enforce_sso = enforce_sso
            tenant.enforce_sso_exclusions = exclusions
            tenant.disabled = disabled
            tenant.federated_app_ids = app_ids
            tenant.role_inheritance = inheritance
        return {}

    def patch_tenant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Partial update (``PATCH /v1/mgmt/tenant/patch``, used by the SDK's ``patch_tenant``)."""
        fields = _Fields(body)
        tenant_id = fields.required_string("id")
        changes: dict[str, Any] = {
            "name": fields.required_string("name") if "name" in body else None,
            "self_provisioning_domains": fields.optional(
                "selfProvisioningDomains", lambda key: _domains(fields, key)
            ),
            "custom_attributes": _custom_attributes(fields) if fields.present("customAttributes") else None,
            "role_inheritance": fields.optional(
                "roleInheritance", lambda key: fields.choice(key, ROLE_INHERITANCE_VALUES, "")
            ),
            "disabled": fields.optional("disabled", fields.boolean),
            **_optional_sso_fields(fields),
        }
        with self._lock:
            tenant = self._require_tenant(tenant_id, status=400)
            if changes["name"] is not None:
                self._check_name_free(changes["name"], exclude=tenant_id)
            if changes["self_provisioning_domains"] is not None:
                self._check_domains_free(changes["self_provisioning_domains"], exclude=tenant_id)
            # Validated everything first, so a rejected patch changes nothing.
            _set_given(tenant, **changes)
        return {}

    def delete_tenant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Deletes a tenant; with ``cascade`` also all its successors, else one with successors is a 400."""
        fields = _Fields(body)
        tenant_id = fields.required_string("id")
        cascade = fields.boolean("cascade")
        with self._lock:
            tenant = self._require_tenant(tenant_id, status=400)
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
        for key in [key for key in self._roles if key[0] == tenant.id]:
            del self._roles[key]
        self.sso.tenant_removed(tenant.id)
        self.access_keys.tenant_removed(tenant.id)
        del self._tenants[tenant.id]

    def load_tenant(self, tenant_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("id")
        with self._lock:
            return self._require_tenant(tenant_id, status=404).to_wire()

    def all_tenants(self) -> dict[str, Any]:
        with self._lock:
            return {"tenants": [tenant.to_wire() for tenant in self._tenants.values()]}

    def search_tenants(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """AND across the given filters, OR within one filter; empty, null or "" filters match everything.

        Filters: tenantIds, tenantNames, tenantSelfProvisioningDomains, customAttributes, authType
        (Go, Node), parentTenantId (Node).

        Names and domains match case-insensitively. A custom-attribute filter value that is a list
        matches a tenant whose value equals the list or is one of its items.
        """
        fields = _Fields(body)
        ids = set(fields.string_list("tenantIds"))
        names = _casefolded(fields.string_list("tenantNames"))
        domains = _casefolded(fields.string_list("tenantSelfProvisioningDomains"))
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
            if domains and not domains & _casefolded(tenant.self_provisioning_domains):
                return False
            for key, wanted in attributes.items():
                if key not in tenant.custom_attributes:
                    return False
                actual = tenant.custom_attributes[key]
                if actual != wanted and not (isinstance(wanted, list) and actual in wanted):
                    return False
            return True

        with self._lock:
            return {"tenants": [t.to_wire() for t in self._tenants.values() if matches(t)]}

    # ----- tenant settings and default roles ----------------------------------------------------

    def load_settings(self, tenant_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("id")
        with self._lock:
            return self._require_tenant(tenant_id, status=404).settings_to_wire()

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
        fields = _Fields(_with_aliases(body, _SETTINGS_ALIASES))
        tenant_id = fields.string("tenantId") or fields.required_string("id")
        domains = _domains(fields, "selfProvisioningDomains")
        sso_domains = _domains(fields, "domains")
        auth_type = fields.choice("authType", ("", *AUTH_TYPES), "") or "none"
        defaults = SessionSettings()

        def duration(key: str, default: int) -> int:
            return fields.integer(key, default) or default

        def unit(key: str, default: str) -> str:
            return fields.choice(key, ("", *TIME_UNITS), "") or default

        settings = SessionSettings(
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
            stepup_token_expiration_unit=unit(
                "stepupTokenExpirationUnit", defaults.stepup_token_expiration_unit
            ),
            enable_inactivity=fields.boolean("enableInactivity"),
            inactivity_time=duration("inactivityTime", defaults.inactivity_time),
            inactivity_time_unit=unit("inactivityTimeUnit", defaults.inactivity_time_unit),
            jit_disabled=fields.boolean("JITDisabled"),
            sso_setup_suite_settings=_sso_setup_suite(fields),
        )
        sso = _optional_sso_fields(fields)
        with self._lock:
            tenant = self._require_tenant(tenant_id, status=400)
            self._check_domains_free(domains, exclude=tenant_id)
            tenant.settings = settings
            tenant.self_provisioning_domains = domains
            tenant.domains = sso_domains
            tenant.auth_type = auth_type
            _set_given(tenant, **sso)
        return {}

    def update_default_roles(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Each name must be a project-wide role or a role of this tenant."""
        fields = _Fields(body)
        tenant_id = fields.required_string("id")
        role_names = fields.string_list("defaultRoles")
        with self._lock:
            tenant = self._require_tenant(tenant_id, status=400)
            for role_name in role_names:
                if ("", role_name) not in self._roles and (tenant_id, role_name) not in self._roles:
                    raise errors.invalid_argument(f"Role '{role_name}' not found")
            tenant.default_roles = list(dict.fromkeys(role_names))
        return {}

    # ----- permissions --------------------------------------------------------------------------
    # Found by ``id`` (``PERM...``) when the body has a non-empty one, else by ``name``; the official
    # SDKs' ``update``/``delete`` send the name, their ``...WithId``/``..._by_id`` variants the id.

    def _permission_by_id(self, permission_id: str) -> Permission | None:
        for permission in self._permissions.values():
            if permission.id == permission_id:
                return permission
        return None

    def _find_permission(self, fields: _Fields) -> Permission:
        permission_id = fields.string("id")
        if permission_id:
            found = self._permission_by_id(permission_id)
            if found is None:
                raise errors.permission_not_found(permission_id)
            return found
        name = fields.required_string("name")
        permission = self._permissions.get(name)
        if permission is None:
            raise errors.permission_not_found(name)
        return permission

    @staticmethod
    def _refuse_system_permission(permission: Permission, action: str) -> None:
        if permission.system_default:
            raise errors.invalid_argument(
                f"Permission '{permission.name}' is a system permission and cannot be {action}"
            )

    def create_permission(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = _Fields(body)
        name = fields.required_string("name")
        description = fields.string("description")
        with self._lock:
            existing = self._permissions.get(name)
            if existing is not None:
                kind = "System permission" if existing.system_default else "Permission"
                raise errors.already_exists(f"{kind} '{name}' already exists")
            permission_ids = {p.id for p in self._permissions.values()}
            self._permissions[name] = Permission(
                id=self._new_id("PERM", _PERMISSION_ID_RANDOM_CHARS, lambda c: c in permission_ids),
                name=name,
                description=description,
            )
        return {}

    def update_permission(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Full replace; a rename is applied to every role granting the permission."""
        fields = _Fields(body)
        new_name = fields.required_string("newName")
        description = fields.string("description")
        with self._lock:
            permission = self._find_permission(fields)
            self._refuse_system_permission(permission, "changed")
            old_name = permission.name
            if new_name != old_name and new_name in self._permissions:
                raise errors.already_exists(f"Permission '{new_name}' already exists")
            permission.name = new_name
            permission.description = description
            self._permissions = _rekeyed(self._permissions, old_name, new_name)
            for role in self._roles.values():
                role.permission_names = [new_name if p == old_name else p for p in role.permission_names]
        return {}

    def delete_permission(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Deleting a permission silently removes it from every role granting it."""
        fields = _Fields(body)
        with self._lock:
            permission = self._find_permission(fields)
            self._refuse_system_permission(permission, "deleted")
            del self._permissions[permission.name]
            for role in self._roles.values():
                role.permission_names = [p for p in role.permission_names if p != permission.name]
        return {}

    def all_permissions(self) -> dict[str, Any]:
        with self._lock:
            return {"permissions": [p.to_wire() for p in self._permissions.values()]}

    def create_permissions_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"permissions": [{name, description?}]}``, all or nothing."""
        entries = _batch_entries(body, "permissions")
        self._atomically(lambda: [self.create_permission(entry) for entry in entries])
        return {}

    def update_permissions_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"permissions": [{id or name, newName, description?}]}``, all or nothing."""
        entries = _batch_entries(body, "permissions")
        self._atomically(lambda: [self.update_permission(entry) for entry in entries])
        return {}

    def delete_permissions_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"names"?, "ids"?}``, all or nothing. Without either it is a 400 (our choice: no public
        source says what Descope does, and every official SDK refuses to send it)."""
        fields = _Fields(body)
        names = fields.string_list("names")
        ids = fields.string_list("ids")
        if not names and not ids:
            raise errors.missing_argument("names")
        entries = [{"name": name} for name in names] + [{"id": permission_id} for permission_id in ids]
        self._atomically(lambda: [self.delete_permission(entry) for entry in entries])
        return {}

    # ----- roles --------------------------------------------------------------------------------
    # Found by ``id`` (``ROL...``, any scope) when the body has a non-empty one, else by ``name``
    # within the scope ``tenantId`` names ("" or absent = the project). A role's scope never changes.

    def _role_scope(self, fields: _Fields) -> str:
        tenant_id = fields.string("tenantId")
        if tenant_id:
            self._require_tenant(tenant_id, status=400)
        return tenant_id

    def _role_by_id(self, role_id: str) -> Role | None:
        for role in self._roles.values():
            if role.id == role_id:
                return role
        return None

    def _find_role(self, fields: _Fields, tenant_id: str) -> Role:
        role_id = fields.string("id")
        if role_id:
            role = self._role_by_id(role_id)
            # A tenantId sent with an id must be the role's own ("" is what Go sends when unset).
            if role is None or (tenant_id and role.tenant_id != tenant_id):
                raise errors.role_not_found(role_id, tenant_id)
            return role
        name = fields.required_string("name")
        found = self._roles.get((tenant_id, name))
        if found is None:
            raise errors.role_not_found(name, tenant_id)
        return found

    def _check_permissions_exist(self, names: list[str]) -> None:
        # An unknown permission named in a role is a bad argument of the role call, not "not found".
        for name in names:
            if name not in self._permissions:
                raise errors.invalid_argument(f"Permission '{name}' does not exist")

    def _default_role_holders(self, role: Role) -> list[Tenant]:
        # A project role can be a default role of any tenant; a tenant role only of its own tenant.
        if role.tenant_id:
            tenant = self._tenants.get(role.tenant_id)
            return [tenant] if tenant is not None else []
        return list(self._tenants.values())

    def create_role(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self._create_role(body)
        return {}

    def _create_role(self, body: Mapping[str, Any]) -> Role:
        fields = _Fields(body)
        name = fields.required_string("name")
        description = fields.string("description")
        permission_names = fields.string_list("permissionNames")
        default = fields.boolean("default")
        private = fields.boolean("private")
        with self._lock:
            tenant_id = self._role_scope(fields)
            if (tenant_id, name) in self._roles:
                scope = f"tenant '{tenant_id}'" if tenant_id else "the project"
                raise errors.already_exists(f"Role '{name}' already exists in {scope}")
            self._check_permissions_exist(permission_names)
            role_ids = {role.id for role in self._roles.values()}
            role = Role(
                id=self._new_id("ROL", _ROLE_ID_RANDOM_CHARS, lambda candidate: candidate in role_ids),
                name=name,
                tenant_id=tenant_id,
                created_time=self._now(),
                description=description,
                permission_names=list(dict.fromkeys(permission_names)),
                default=default,
                private=private,
            )
            self._roles[(tenant_id, name)] = role
            return role

    def update_role(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Full replace. With ``id`` and ``newName`` it renames in place (the id stays)."""
        self._update_role(body)
        return {}

    def _update_role(self, body: Mapping[str, Any]) -> Role:
        fields = _Fields(body)
        new_name = fields.required_string("newName")
        description = fields.string("description")
        permission_names = fields.string_list("permissionNames")
        default = fields.boolean("default")
        private = fields.boolean("private")
        with self._lock:
            tenant_id = self._role_scope(fields)
            role = self._find_role(fields, tenant_id)
            key = (role.tenant_id, role.name)
            new_key = (role.tenant_id, new_name)
            if new_key != key and role.built_in:
                raise errors.invalid_argument(f"Role '{role.name}' is built in and cannot be renamed")
            if new_key != key and new_key in self._roles:
                raise errors.already_exists(f"Role '{new_name}' already exists")
            self._check_permissions_exist(permission_names)
            if new_name != role.name:
                for tenant in self._default_role_holders(role):
                    tenant.default_roles = [new_name if r == role.name else r for r in tenant.default_roles]
            role.name = new_name
            role.description = description
            role.permission_names = list(dict.fromkeys(permission_names))
            role.default = default
            role.private = private
            self._roles = _rekeyed(self._roles, key, new_key)
            return role

    def _remove_role(self, role: Role) -> None:
        if role.built_in:
            raise errors.invalid_argument(f"Role '{role.name}' is built in and cannot be deleted")
        for tenant in self._default_role_holders(role):
            tenant.default_roles = [r for r in tenant.default_roles if r != role.name]
        del self._roles[(role.tenant_id, role.name)]

    def delete_role(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = _Fields(body)
        with self._lock:
            tenant_id = self._role_scope(fields)
            self._remove_role(self._find_role(fields, tenant_id))
        return {}

    def all_roles(self) -> dict[str, Any]:
        with self._lock:
            return {"roles": [role.to_wire() for role in self._roles.values()]}

    def search_roles(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Filters (AND across, OR within; empty, null or "" = no filter): tenantIds (plus project
        roles when includeProjectRoles), roleNames, roleNameLike (case-insensitive substring),
        permissionNames (roles granting any of them), roleIds."""
        fields = _Fields(body)
        tenant_ids = set(fields.string_list("tenantIds"))
        include_project = fields.boolean("includeProjectRoles")
        names = set(fields.string_list("roleNames"))
        like = fields.string("roleNameLike").casefold()
        permissions = set(fields.string_list("permissionNames"))
        role_ids = set(fields.string_list("roleIds"))

        def matches(role: Role) -> bool:
            if (
                tenant_ids
                and role.tenant_id not in tenant_ids
                and not (include_project and not role.tenant_id)
            ):
                return False
            if names and role.name not in names:
                return False
            if like and like not in role.name.casefold():
                return False
            if permissions and not permissions & set(role.permission_names):
                return False
            return not role_ids or role.id in role_ids

        with self._lock:
            return {"roles": [role.to_wire() for role in self._roles.values() if matches(role)]}

    def role_id(self, tenant_id: str, name: str) -> str | None:
        """The id of the role ``name`` as seen from ``tenant_id`` (a role of that tenant, else a
        project role; ``tenant_id=""`` sees project roles only), or None."""
        with self._lock:
            role = self._roles.get((tenant_id, name)) or self._roles.get(("", name))
            return None if role is None else role.id

    def create_roles_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"roles": [create bodies]}``, all or nothing; answers ``{"roles": [created roles]}``."""
        entries = _batch_entries(body, "roles")
        created = self._atomically(lambda: [self._create_role(entry).to_wire() for entry in entries])
        return {"roles": created}

    def update_roles_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"roles": [update bodies, by id or name]}``, all or nothing; answers the updated roles."""
        entries = _batch_entries(body, "roles")
        updated = self._atomically(lambda: [self._update_role(entry).to_wire() for entry in entries])
        return {"roles": updated}

    def delete_roles_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"roleNames"?, "roleIds"?, "tenantId"?}``, all or nothing.

        Names are looked up in the ``tenantId`` scope, ids anywhere. WITHOUT names and ids it deletes
        every role (of the ``tenantId`` tenant when given, else of the whole project, tenant roles
        included), as Descope does; only the built-in roles survive, since they cannot be deleted.
        """
        fields = _Fields(body)
        names = fields.string_list("roleNames")
        ids = fields.string_list("roleIds")
        with self._lock:
            tenant_id = self._role_scope(fields)
            if not names and not ids:
                doomed = [
                    role
                    for role in self._roles.values()
                    if not role.built_in and (not tenant_id or role.tenant_id == tenant_id)
                ]
                for role in doomed:
                    self._remove_role(role)
                return {}
            entries = [{"name": n, "tenantId": tenant_id} for n in names] + [{"id": i} for i in ids]
            self._atomically(lambda: [self.delete_role(entry) for entry in entries])
        return {}

    def _atomically(self, apply: Callable[[], list[T]]) -> list[T]:
        """Runs several single-object calls as one: if one fails, nothing has changed."""
        with self._lock:
            saved = copy.deepcopy((self._tenants, self._permissions, self._roles))
            try:
                return apply()
            except errors.DescopeError:
                self._tenants, self._permissions, self._roles = saved
                raise

    # ----- out-of-band access for tests and the admin API ---------------------------------------

    def get_tenant(self, tenant_id: str) -> dict[str, Any] | None:
        with self._lock:
            tenant = self._tenants.get(tenant_id)
            return None if tenant is None else tenant.to_wire()

    def tenant_ids(self) -> list[str]:
        with self._lock:
            return list(self._tenants)

    def tenant_count(self) -> int:
        with self._lock:
            return len(self._tenants)

    def edit_tenant(self, tenant_id: str, **changes: Any) -> dict[str, Any]:
        """A console edit: patch semantics with wire (camelCase) field names, e.g. ``name="New"``.

        ``createdTime`` may also be set here, so tests can fake old tenants.
        """
        created_time = changes.pop("createdTime", None)
        self.patch_tenant({**changes, "id": tenant_id})
        with self._lock:
            tenant = self._require_tenant(tenant_id, status=404)
            if created_time is not None:
                tenant.created_time = int(created_time)
            return tenant.to_wire()

    def remove_tenant(self, tenant_id: str, *, cascade: bool = True) -> None:
        """A console delete."""
        self.delete_tenant({"id": tenant_id, "cascade": cascade})

    def get_role(self, name_or_id: str, tenant_id: str = "") -> dict[str, Any] | None:
        """The role with this id, else with this name in the ``tenant_id`` scope; None if neither."""
        with self._lock:
            role = self._role_by_id(name_or_id) or self._roles.get((tenant_id, name_or_id))
            return None if role is None else role.to_wire()

    def edit_role(self, name_or_id: str, /, tenant_id: str = "", **changes: Any) -> dict[str, Any]:
        """A console edit of a role (found as in ``get_role``): patch semantics with wire names,
        e.g. ``permissionNames=[...]``, ``description=...``, ``name=...`` (a rename keeps the id)."""
        with self._lock:
            current = self.get_role(name_or_id, tenant_id)
            if current is None:
                raise errors.role_not_found(name_or_id, tenant_id)
            new_name = changes.pop("name", current["name"])
            body = {**current, **changes, "newName": new_name}
            return self._update_role(body).to_wire()

    def remove_role(self, name_or_id: str, tenant_id: str = "") -> None:
        """A console delete of a role (found as in ``get_role``)."""
        with self._lock:
            current = self.get_role(name_or_id, tenant_id)
            if current is None:
                raise errors.role_not_found(name_or_id, tenant_id)
            self.delete_role({"id": current["id"]})

    def edit_permission(self, name: str, /, **changes: Any) -> dict[str, Any]:
        """A console edit of a permission: ``name=...`` renames it (in every role too),
        ``description=...``."""
        with self._lock:
            permission = self._find_permission(_Fields({"name": name}))
            body = {
                "id": permission.id,
                "newName": changes.pop("name", permission.name),
                "description": changes.pop("description", permission.description),
            }
            if changes:
                raise errors.validation_failed(f"a permission has no field(s) {sorted(changes)}")
            self.update_permission(body)
            return permission.to_wire()

    def remove_permission(self, name: str) -> None:
        """A console delete of a permission (it also disappears from every role)."""
        self.delete_permission({"name": name})

    def dump(self) -> dict[str, Any]:
        """Everything, in a shape ``load`` accepts (parents before their successors)."""
        with self._lock:
            tenants = []
            for tenant in self._tenants.values():
                wire = tenant.to_wire()
                wire["settings"] = tenant.settings_to_wire()
                tenants.append(wire)
            return {
                "tenants": tenants,
                "permissions": [p.to_wire() for p in self._permissions.values()],
                "roles": [role.to_wire() for role in self._roles.values()],
                "ssoConfigurations": self.sso.dump(),
                "accessKeys": self.access_keys.dump(),
            }

    def load(self, data: Mapping[str, Any] | list[Any]) -> int:
        """Adds state from a seed document and returns how many tenants it added.

        Accepts ``{"tenants": [...], "permissions": [...], "roles": [...], "ssoConfigurations": [...],
        "accessKeys": [...]}`` or a bare list of tenants. Each entry goes through the same validation as
        the API. A tenant may also carry ``createdTime``, ``settings`` (a settings body) and
        ``defaultRoles``; a role or permission its ``id`` (kept when free). The built-ins are already
        there: a system permission in the document is skipped, a built-in role's entry updates it (so
        ``dump()`` output loads back). See ``SsoConfigurations.seed`` and ``AccessKeys.seed`` for the
        other two.
        """
        if isinstance(data, list):
            data = {"tenants": data}
        tenants = _list_of_objects(data, "tenants")
        permissions = _list_of_objects(data, "permissions")
        roles = _list_of_objects(data, "roles")
        sso_configurations = _list_of_objects(data, "ssoConfigurations")
        access_keys = _list_of_objects(data, "accessKeys")
        with self._lock:
            for entry in permissions:
                existing = self._permissions.get(str(entry.get("name")))
                if existing is not None and existing.system_default:
                    continue
                self.create_permission(entry)
                self._keep_seeded_id(self._permissions[entry["name"]], entry, self._permission_by_id)
            for entry in tenants:
                tenant_id = self.create_tenant(entry)["id"]
                tenant = self._tenants[tenant_id]
                if isinstance(entry.get("createdTime"), int):
                    tenant.created_time = entry["createdTime"]
                settings = entry.get("settings")
                if isinstance(settings, dict):
                    self.update_settings({**settings, "tenantId": tenant_id})
            for entry in roles:
                built_in = self._roles.get((str(entry.get("tenantId") or ""), str(entry.get("name"))))
                if built_in is not None and built_in.built_in:
                    self._update_role({**entry, "id": built_in.id, "newName": built_in.name})
                    continue
                self._keep_seeded_id(self._create_role(entry), entry, self._role_by_id)
            for entry in tenants:
                if entry.get("defaultRoles"):
                    tenant_id = entry.get("id") or self._tenant_id_by_name(entry["name"])
                    self.update_default_roles({"id": tenant_id, "defaultRoles": entry["defaultRoles"]})
            self.sso.seed(sso_configurations)
            self.access_keys.seed(access_keys)
        return len(tenants)

    @staticmethod
    def _keep_seeded_id(
        target: Role | Permission, entry: Mapping[str, Any], by_id: Callable[[str], object | None]
    ) -> None:
        wanted = entry.get("id")
        if isinstance(wanted, str) and wanted and by_id(wanted) is None:
            target.id = wanted

    def _tenant_id_by_name(self, name: str) -> str:
        for tenant in self._tenants.values():
            if tenant.name.casefold() == str(name).casefold():
                return tenant.id
        raise errors.tenant_not_found(name, status=400)


def _rekeyed(items: dict[K, V], old: K, new: K) -> dict[K, V]:
    """The same mapping with one key renamed in place, so a rename keeps the listing order."""
    return {(new if key == old else key): value for key, value in items.items()}


def _batch_entries(body: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    entries = _list_of_objects(body, key)
    if not entries:
        raise errors.missing_argument(key)
    return entries


def _list_of_objects(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise errors.validation_failed(f"'{key}' must be a list of objects")
    return value
