"""The resource types `pulumi-descope export` and `drift` know: one `Kind` per type, one entry in
`KINDS`. A kind is its provider (whose spec declares the fields and normalises live values, and
whose `list_live`/`live_id` read the project with one list request) plus what the commands need
beyond the provider:

- `built_in`: objects every project has (system permissions, the built-in roles): never exported,
  never reported as unmanaged; other objects refer to them by name.
- `resource_name`: the Pulumi resource name an exported object gets (made unique by the exporter).
- `order`: where its declaration goes in the generated program; every reference must point to an
  object declared earlier (the exporter checks it), so a kind that refers to another sorts after it.
  The first element is the kind's phase: 0 permissions, 1 project roles, 1.5 SSO applications,
  2 tenants (parents first), 3 tenant-scoped roles, 4 SSO configurations and tenant settings,
  5 access keys.
- `links`: the inputs that refer to other exported objects, as `Ref`s (`tenant_id=acme.id`).
- `per_tenant`: for types Descope lists tenant by tenant only (one request per tenant).
- `standalone`: False for a part of another object (tenant settings): never "unmanaged".

A new type is one more `Kind(...)` in `KINDS`; its
secret fields (`Field(secret=True)`) are exported as `pulumi config` secrets, never read, and
`adopt=True` is written only for types whose spec has an `adopt` input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.permissions import SYSTEM_PERMISSIONS, Permission
from pulumi_descope_dynamic_provider.api.roles import BUILT_IN_ROLES, Role
from pulumi_descope_dynamic_provider.api.tenants import Tenant
from pulumi_descope_dynamic_provider.catalogue import DescopeProvider, Lists, ResourceSpec, provider_of
from pulumi_descope_dynamic_provider.sso_configuration import SsoLive
from pulumi_descope_dynamic_provider.tenant_attribute import attributes_held
from pulumi_descope_dynamic_provider.tenant_membership import LiveMembership
from pulumi_descope_dynamic_provider.tenant_password_policy import tenant_policies
from pulumi_descope_dynamic_provider.tenant_settings import SSO_DEFAULT, LiveSettings

TYPE_TOKEN_PREFIX = "pulumi-python:dynamic/descope:"


@dataclass(frozen=True)
class Ref:
    """An input that refers to another exported object's output, e.g. `acme.id`."""

    kind: str  # the referenced object's kind key
    live_id: str  # and its live id
    attribute: str  # the output read: "id", "name"
    value: Any  # the plain value (what the YAML format and a literal would hold)


class Index:
    """The live objects being exported, by kind and id, so links can find what they refer to."""

    def __init__(self, objects: Mapping[str, list[Any]], kinds: tuple[Kind, ...]) -> None:
        self._objects = objects
        self._by_id: dict[str, dict[str, Any]] = {
            kind.key: {kind.live_id(obj): obj for obj in objects.get(kind.key, [])} for kind in kinds
        }

    def get(self, kind: str, live_id: str) -> Any | None:
        return self._by_id.get(kind, {}).get(live_id)

    def all(self, kind: str) -> list[Any]:
        return list(self._objects.get(kind, []))

    def ref(self, kind: str, live_id: str | None, attribute: str, value: Any) -> Any:
        """A Ref when the object is exported, else the plain value."""
        if live_id is not None and self.get(kind, live_id) is not None:
            return Ref(kind, live_id, attribute, value)
        return value


@dataclass(frozen=True)
class Kind:
    key: str  # --only name, and the JSON key of `drift --json`
    provider: type[DescopeProvider[Any]]
    var_prefix: str  # Python variable prefix in the generated program
    resource_name: Callable[[Any], str]
    order: Callable[[Any, Index], tuple[Any, ...]]
    built_in: Callable[[Any], bool] = lambda live: False
    links: Callable[[Any, Index], dict[str, Any]] = lambda live, index: {}
    exportable: bool = True
    """False for a type export must not declare (an AccessKey cannot be adopted: declaring a live
    key would mint a new one); drift still checks it."""
    per_tenant: Callable[[DescopeClient, str], list[Any]] | None = None
    """For a type Descope lists per tenant only (SSO configurations, tenant settings): the objects
    of one tenant (one request per tenant). None: the provider's list_live, one request in all."""
    depends_on: Callable[[Any, Index], list[Ref]] = lambda live, index: []
    """Exported objects it must be declared after without referring to an output (a tenant after
    the attributes it holds values for): written as `opts=pulumi.ResourceOptions(depends_on=...)`."""
    lists_all: bool = True
    """False when the list may miss objects that exist (tenant attributes: only those tenants hold
    values for are found): drift then never calls a managed one missing from it "gone"."""
    standalone: bool = True
    """False for a part of another object that exists exactly when that object does (every tenant
    has settings): drift never lists one as unmanaged; see TENANT_SETTINGS."""
    by_ids: Callable[[DescopeClient, set[str]], list[Any]] | None = None
    """For a type never listed whole (users: runtime data): the live objects of the ids given (drift:
    the managed ones; export: those of the users `--users` names). None: listed."""
    narrowed: bool = False
    """Its provider's outputs narrow live values to what the program sets (a user's roles in the
    tenants it names): drift compares those, not everything live."""
    from_tenants: Callable[[DescopeClient, list[Tenant]], list[Any]] | None = None
    """For a type whose list is found through the tenants (tenant attributes): its objects, given
    the tenant list the command reads anyway (so the tenants are listed once). None: list_live."""

    @property
    def spec(self) -> ResourceSpec:
        return self.provider.spec

    @property
    def type_token(self) -> str:
        return TYPE_TOKEN_PREFIX + self.spec.type_name

    @property
    def instance(self) -> DescopeProvider[Any]:
        # Unconfigured: only its spec-driven helpers (live_id, label, list_live) are used.
        return self.provider()

    def live_id(self, live: Any) -> str:
        return self.instance.live_id(live)

    def list_live(self, client: DescopeClient) -> list[Any]:
        """Every object of the type in one request (a type Descope lists per tenant has `per_tenant`)."""
        instance = self.instance
        if not isinstance(instance, Lists):
            raise TypeError(f"{self.spec.type_name} cannot list its objects in one request: set per_tenant")
        return instance.list_live(client)

    def stack_view(self, live: Any, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The live object as the stack sees it: narrowed by the provider to what `inputs` set."""
        if not self.narrowed:
            return self.live_values(live)
        return dict(self.instance.outputs(live, inputs))

    def live_values(self, live: Any) -> dict[str, Any]:
        """The live object's inputs, normalised by the spec's checks exactly as the provider's
        outputs are (so they compare with a stack's values like with like). Fields Descope does not
        return (provider-only, write-only, kept from the program) have no live value: left out."""
        values = {f.name: f.output_from(live, {}) for f in self.spec.inputs if f.in_descope}
        return {name: value for name, value in values.items() if value is not None}

    def label(self, values: Mapping[str, Any], live_id: str) -> str:
        return self.instance.label(values, live_id)


# ---- tenants ------------------------------------------------------------------------------------


def _tenant_depth(tenant: Tenant, index: Index) -> int:
    depth, seen, parent = 0, {tenant.id}, tenant.parent
    while parent and parent not in seen:
        depth, seen = depth + 1, seen | {parent}
        found = index.get("tenants", parent)
        parent = found.parent if found is not None else None
    return depth


def _project_role_ids(index: Index) -> dict[str, str]:
    return {role.name: role.id for role in index.all("roles") if not role.tenant_id}


def _tenant_links(tenant: Tenant, index: Index) -> dict[str, Any]:
    links: dict[str, Any] = {}
    if tenant.parent:
        links["parent_tenant_id"] = index.ref("tenants", tenant.parent, "id", tenant.parent)
    if tenant.federated_app_ids:
        links["federated_app_ids"] = [
            index.ref("sso_apps", app_id, "id", app_id) for app_id in sorted(tenant.federated_app_ids)
        ]
    if tenant.default_roles:
        # Only project roles: a tenant's own role is declared after the tenant (it refers to it).
        roles = _project_role_ids(index)
        links["default_roles"] = [
            index.ref("roles", roles.get(name), "name", name) for name in sorted(tenant.default_roles)
        ]
    return links


TENANTS = Kind(
    key="tenants",
    provider=provider_of("Tenant"),
    var_prefix="tenant",
    resource_name=lambda tenant: tenant.id,
    order=lambda tenant, index: (2, _tenant_depth(tenant, index), tenant.id),
    links=_tenant_links,
    depends_on=lambda tenant, index: [
        ref
        for key in sorted(tenant.custom_attributes)
        if isinstance(ref := index.ref("tenant_attributes", key, "name", key), Ref)
    ],
)

# ---- roles --------------------------------------------------------------------------------------


def _role_links(role: Role, index: Index) -> dict[str, Any]:
    links: dict[str, Any] = {}
    if role.tenant_id:
        links["tenant_id"] = index.ref("tenants", role.tenant_id, "id", role.tenant_id)
    if role.permission_names:
        permissions = {p.name: p.id or p.name for p in index.all("permissions")}
        links["permission_names"] = [
            index.ref("permissions", permissions.get(name), "name", name)
            for name in sorted(role.permission_names)
        ]
    return links


ROLES = Kind(
    key="roles",
    provider=provider_of("Role"),
    var_prefix="role",
    resource_name=lambda role: f"{role.tenant_id}-{role.name}" if role.tenant_id else role.name,
    order=lambda role, index: (3, role.tenant_id, role.name) if role.tenant_id else (1, role.name),
    built_in=lambda role: not role.tenant_id and role.name in BUILT_IN_ROLES,
    links=_role_links,
)

# ---- permissions --------------------------------------------------------------------------------


def _system_permission(permission: Permission) -> bool:
    return permission.system_default or permission.name in SYSTEM_PERMISSIONS


PERMISSIONS = Kind(
    key="permissions",
    provider=provider_of("Permission"),
    var_prefix="perm",
    resource_name=lambda permission: permission.name,
    order=lambda permission, index: (0, permission.name),
    built_in=_system_permission,
)

# ---- SSO configurations -------------------------------------------------------------------------

SSO_CONFIGURATIONS = Kind(
    key="sso",
    provider=provider_of("SsoConfiguration"),
    var_prefix="sso",
    resource_name=lambda sso: f"{sso.tenant_id}-{sso.sso_id}",
    order=lambda sso, index: (4, sso.tenant_id, sso.sso_id),
    links=lambda sso, index: {"tenant_id": index.ref("tenants", sso.tenant_id, "id", sso.tenant_id)},
    # Descope lists them per tenant only. The OIDC client secret (a secret field) is exported as a
    # `pulumi config` secret placeholder.
    per_tenant=lambda client, tenant_id: [SsoLive.from_loaded(sso) for sso in client.load_all_sso(tenant_id)],
)

# ---- SSO applications ---------------------------------------------------------------------------

SSO_APPLICATIONS = Kind(
    key="sso_apps",
    provider=provider_of("SsoApplication"),
    var_prefix="app",
    resource_name=lambda app: app.name,
    # Before the tenants, which list them in federated_app_ids.
    order=lambda app, index: (1.5, app.id),
    # The project's default OIDC app (its id is the project id).
    built_in=lambda app: app.built_in,
)

# ---- tenant settings ----------------------------------------------------------------------------


def _default_settings(settings: LiveSettings) -> bool:
    """Settings that override nothing: session management off (the tenant follows the project's
    session policy: the durations Descope shows for it are the project's, not the tenant's), no
    inactivity sign-out, just-in-time provisioning on, SSO setup suite off. That is what a new
    tenant gets, so the export leaves them out: declaring them would pin the project's defaults into
    a resource per tenant (200 tenants, 200 declarations saying nothing) and cost a request each on
    every `pulumi up`. A tenant whose settings override anything gets a TenantSettings with every
    setting as it is live, so any later console edit of it shows in `pulumi-descope drift`."""
    return not (
        settings.session_settings_enabled
        or settings.enable_inactivity
        or settings.jit_disabled
        or settings.sso_setup_suite != SSO_DEFAULT
    )


def _settings_of(client: DescopeClient, tenant_id: str) -> list[LiveSettings]:
    # One GET per tenant (Descope has no endpoint listing settings); none when the tenant was
    # deleted since the tenants were listed.
    found = provider_of("TenantSettings")().load_live(client, tenant_id)
    return [] if found is None else [found]


TENANT_SETTINGS = Kind(
    key="tenant_settings",
    provider=provider_of("TenantSettings"),
    var_prefix="settings",
    # The name examples/tenants-from-yaml gives them, so the YAML and Python exports agree.
    resource_name=lambda settings: f"{settings.tenant_id}-settings",
    order=lambda settings, index: (4, settings.tenant_id),
    # "Built in" = as a new tenant has them: never exported (see _default_settings). Drift does not
    # ask (they are not standalone).
    built_in=_default_settings,
    links=lambda settings, index: {
        "tenant_id": index.ref("tenants", settings.tenant_id, "id", settings.tenant_id)
    },
    per_tenant=_settings_of,
    # Every tenant has settings, from its creation to its deletion: settings no stack declares are
    # not an object the console created behind the stacks' back but a part of a tenant (reported as
    # unmanaged itself when no stack manages it) that the program leaves to Descope, as it leaves
    # any input it does not set. A managed TenantSettings still shows as drifted (field by field)
    # and as gone when its tenant was deleted.
    standalone=False,
)

# ---- tenant password policies -------------------------------------------------------------------

PASSWORD_POLICIES = Kind(
    key="password_policies",
    provider=provider_of("TenantPasswordPolicy"),
    var_prefix="passwords",
    resource_name=lambda policy: f"{policy.tenant_id}-passwords",
    order=lambda policy, index: (4, policy.tenant_id),
    # A tenant whose rules are the project's is not exported: declaring them would pin the project's
    # policy into every tenant (and cost a request each on every `pulumi up`).
    built_in=lambda policy: policy.as_project,
    links=lambda policy, index: {"tenant_id": index.ref("tenants", policy.tenant_id, "id", policy.tenant_id)},
    # One GET per tenant, and one for the project's policy; a part of its tenant, like its settings.
    per_tenant=tenant_policies,
    standalone=False,
)

# ---- access keys --------------------------------------------------------------------------------

ACCESS_KEYS = Kind(
    key="access_keys",
    provider=provider_of("AccessKey"),
    var_prefix="key",
    resource_name=lambda key: f"key-{key.name}",
    order=lambda key, index: (5, key.name, key.id),
    # Never declared by an export: a key cannot be adopted (its cleartext exists only in Descope's
    # create answer), so declaring a live key would mint a new one. Drift still checks keys.
    exportable=False,
)

# ---- tenant attributes --------------------------------------------------------------------------

TENANT_ATTRIBUTES = Kind(
    key="tenant_attributes",
    provider=provider_of("TenantAttribute"),
    var_prefix="attr",
    resource_name=lambda attribute: attribute.name,
    # Before the tenants that hold values for them.
    order=lambda attribute, index: (0, attribute.name),
    # Descope lists no attributes: the provider finds those tenants hold values for.
    lists_all=False,
    from_tenants=attributes_held,
)

# ---- users and tenant memberships ---------------------------------------------------------------


def _users_by_ids(client: DescopeClient, ids: set[str]) -> list[Any]:
    provider = provider_of("User")()
    return [user for user in (provider.load_live(client, id_) for id_ in sorted(ids)) if user is not None]


def _memberships_by_ids(client: DescopeClient, ids: set[str]) -> list[Any]:
    """Memberships by id ("<tenant id>/<login id>", one load each); a bare login id (export's
    `--users`) stands for every membership of that user (one load)."""
    provider = provider_of("TenantMembership")()
    found: list[Any] = []
    for id_ in sorted(ids):
        if "/" in id_:
            membership = provider.load_live(client, id_)
            found += [membership] if membership is not None else []
            continue
        user = client.load_user(id_)
        if user is not None:
            tenants = user.tenant_roles()
            found += [LiveMembership(t, id_, user.user_id, sorted(tenants[t])) for t in sorted(tenants)]
    return found


USERS = Kind(
    key="users",
    provider=provider_of("User"),
    var_prefix="user",
    resource_name=lambda user: user.login_id,
    order=lambda user, index: (6, user.login_id),
    # Users are runtime data: never exported, never "unmanaged"; drift loads the managed ones only.
    exportable=False,
    standalone=False,
    by_ids=_users_by_ids,
    narrowed=True,
)
TENANT_MEMBERSHIPS = Kind(
    key="tenant_memberships",
    provider=provider_of("TenantMembership"),
    var_prefix="member",
    resource_name=lambda m: f"{m.tenant_id}-{m.login_id}",
    order=lambda m, index: (6, m.tenant_id, m.login_id),
    links=lambda m, index: {"tenant_id": index.ref("tenants", m.tenant_id, "id", m.tenant_id)},
    # A tenant's other members are not "unmanaged"; export emits those of the users named only.
    standalone=False,
    by_ids=_memberships_by_ids,
    narrowed=True,
)

# The table.
KINDS: tuple[Kind, ...] = (
    TENANTS,
    ROLES,
    PERMISSIONS,
    SSO_CONFIGURATIONS,
    TENANT_SETTINGS,
    PASSWORD_POLICIES,
    ACCESS_KEYS,
    SSO_APPLICATIONS,
    TENANT_ATTRIBUTES,
    USERS,
    TENANT_MEMBERSHIPS,
)
KIND_BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}
# The catalogued types that have no kind, and why: the commands skip them (tests/sdk holds that
# every type of the catalogue is in KINDS or here).
NOT_LISTED = {
    "SsoAdminLink": "a link cannot be read back from Descope: there is nothing to export or compare",
}
KIND_BY_TYPE: dict[str, Kind] = {kind.type_token: kind for kind in KINDS}


def select(only: str | None) -> tuple[Kind, ...]:
    """The kinds named by `--only tenants,roles` (all of them when None), in table order."""
    if not only:
        return KINDS
    names = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in KIND_BY_KEY]
    if unknown or not names:
        raise ValueError(
            f"--only {only!r}: unknown type(s) {', '.join(unknown) or '(none given)'}; choose from "
            f"{','.join(KIND_BY_KEY)}"
        )
    return tuple(kind for kind in KINDS if kind.key in names)
