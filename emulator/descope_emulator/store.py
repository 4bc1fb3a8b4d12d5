"""``Store``: the in-memory data of one emulated Descope project, as one object for tests, the admin API
and seed files.

It composes the API areas over one shared ``Project`` (``project.py``): tenants with their settings and
default roles (``tenants.py``), permissions (``permissions.py``), roles (``roles.py``), tenant SSO
configurations (``sso``), access keys (``accesskeys.py``) and password policies (``passwords.py``). Each
area validates a decoded JSON request body the way the Descope Management API does, applies it
atomically under the project lock and returns the JSON answer, or raises ``DescopeError``; nothing here
knows about HTTP, quotas or faults. The ``Store`` methods forward to the areas under the names tests and
the README use (``create_tenant``, ``edit_role``, ...), and add what spans areas: ``dump``, ``load`` and
``clear``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from descope_emulator.accesskeys import AccessKeys
from descope_emulator.fields import list_of_objects
from descope_emulator.passwords import PasswordPolicies
from descope_emulator.permissions import Permissions
from descope_emulator.project import Project
from descope_emulator.roles import Roles
from descope_emulator.sso import SsoConfigurations
from descope_emulator.ssoapps import SsoApps
from descope_emulator.tenant_attributes import TenantAttributes
from descope_emulator.tenants import Tenants
from descope_emulator.users import Users

A = TypeVar("A")
P = ParamSpec("P")
R = TypeVar("R")


class _Forward(Generic[A, P, R]):
    """A ``Store`` method that is the method ``method`` of the area in the attribute ``area``."""

    def __init__(self, area: str, method: Callable[Concatenate[A, P], R]) -> None:
        self._area = area
        self._method = method

    @overload
    def __get__(self, store: None, owner: type[Store]) -> _Forward[A, P, R]: ...
    @overload
    def __get__(self, store: Store, owner: type[Store]) -> Callable[P, R]: ...
    def __get__(self, store: Store | None, owner: type[Store]) -> _Forward[A, P, R] | Callable[P, R]:
        if store is None:
            return self
        area: A = getattr(store, self._area)

        def forwarded(*args: P.args, **kwargs: P.kwargs) -> R:
            return self._method(area, *args, **kwargs)

        forwarded.__doc__ = self._method.__doc__
        return forwarded


class Store:
    """Thread-safe project data. ``seed`` makes generated ids reproducible; ``project_id`` feeds the
    derived SAML SP URLs."""

    def __init__(
        self, *, seed: int = 0, wall_clock: Callable[[], float] = time.time, project_id: str = ""
    ) -> None:
        self.project = Project(seed=seed, wall_clock=wall_clock, project_id=project_id)
        # In this order: ``clear`` installs the built-in permissions, then the built-in role.
        self.tenants = Tenants(self.project)
        self.permissions = Permissions(self.project)
        self.roles = Roles(self.project)
        self.sso = SsoConfigurations(self.project)
        self.access_keys = AccessKeys(self.project)
        self.passwords = PasswordPolicies(self.project)
        self.sso_apps = SsoApps(self.project)  # last: its built-in draws its ids after the others'
        self.tenant_attributes = TenantAttributes(self.project)
        self.users = Users(self.project)
        self.project.clear()

    @property
    def areas(self) -> tuple[object, ...]:
        """The API areas, each declaring its routes (``routing.routes_of``)."""
        return (
            self.tenants,
            self.permissions,
            self.roles,
            self.sso,
            self.access_keys,
            self.passwords,
            self.sso_apps,
            self.tenant_attributes,
            self.users,
        )

    def now(self) -> int:
        """The project's wall clock, in whole epoch seconds (what expiry times are compared with)."""
        return self.project.now()

    def clear(self) -> None:
        """Back to a new project: no tenants, only the built-in roles and system permissions."""
        self.project.clear()

    # ----- tenants, settings, default roles -----------------------------------------------------
    create_tenant = _Forward("tenants", Tenants.create)
    update_tenant = _Forward("tenants", Tenants.update)
    patch_tenant = _Forward("tenants", Tenants.patch)
    delete_tenant = _Forward("tenants", Tenants.delete)
    load_tenant = _Forward("tenants", Tenants.load)
    all_tenants = _Forward("tenants", Tenants.all)
    search_tenants = _Forward("tenants", Tenants.search)
    load_settings = _Forward("tenants", Tenants.load_settings)
    update_settings = _Forward("tenants", Tenants.update_settings)
    update_default_roles = _Forward("tenants", Tenants.update_default_roles)
    # ----- password policies (project and tenants) ----------------------------------------------
    load_password_policy = _Forward("passwords", PasswordPolicies.load)
    configure_password_policy = _Forward("passwords", PasswordPolicies.configure)
    # ----- permissions --------------------------------------------------------------------------
    create_permission = _Forward("permissions", Permissions.create)
    update_permission = _Forward("permissions", Permissions.update)
    delete_permission = _Forward("permissions", Permissions.delete)
    all_permissions = _Forward("permissions", Permissions.all)
    create_permissions_batch = _Forward("permissions", Permissions.create_batch)
    update_permissions_batch = _Forward("permissions", Permissions.update_batch)
    delete_permissions_batch = _Forward("permissions", Permissions.delete_batch)
    # ----- roles --------------------------------------------------------------------------------
    create_role = _Forward("roles", Roles.create)
    update_role = _Forward("roles", Roles.update)
    delete_role = _Forward("roles", Roles.delete)
    all_roles = _Forward("roles", Roles.all)
    search_roles = _Forward("roles", Roles.search)
    role_id = _Forward("roles", Roles.role_id)
    create_roles_batch = _Forward("roles", Roles.create_batch)
    update_roles_batch = _Forward("roles", Roles.update_batch)
    delete_roles_batch = _Forward("roles", Roles.delete_batch)
    # ----- out-of-band access for tests and the admin API (console edits) -----------------------
    get_tenant = _Forward("tenants", Tenants.get)
    tenant_ids = _Forward("tenants", Tenants.ids)
    tenant_count = _Forward("tenants", Tenants.count)
    edit_tenant = _Forward("tenants", Tenants.edit)
    remove_tenant = _Forward("tenants", Tenants.remove)
    get_role = _Forward("roles", Roles.get)
    edit_role = _Forward("roles", Roles.edit)
    remove_role = _Forward("roles", Roles.remove)
    edit_permission = _Forward("permissions", Permissions.edit)
    remove_permission = _Forward("permissions", Permissions.remove)
    edit_password_policy = _Forward("passwords", PasswordPolicies.edit)
    get_sso_app = _Forward("sso_apps", SsoApps.get)
    edit_sso_app = _Forward("sso_apps", SsoApps.edit)
    remove_sso_app = _Forward("sso_apps", SsoApps.remove)
    edit_tenant_attribute = _Forward("tenant_attributes", TenantAttributes.edit)
    remove_tenant_attribute = _Forward("tenant_attributes", TenantAttributes.remove)
    get_user = _Forward("users", Users.get)
    user_count = _Forward("users", Users.count)
    change_user_roles = _Forward("users", Users.change_roles)
    remove_user_tenant = _Forward("users", Users.remove_tenant)

    def dump(self) -> dict[str, Any]:
        """Everything, in a shape ``load`` accepts (parents before their successors)."""
        with self.project.lock:
            return {
                "tenants": self.tenants.dump(),
                "permissions": self.permissions.dump(),
                "roles": self.roles.dump(),
                "ssoConfigurations": self.sso.dump(),
                "accessKeys": self.access_keys.dump(),
                "passwordPolicies": self.passwords.dump(),
                "ssoApplications": self.sso_apps.dump(),
                "tenantAttributes": self.tenant_attributes.dump(),
                "users": self.users.dump(),
            }

    def load(self, data: Mapping[str, Any] | list[Any]) -> int:
        """Adds state from a seed document and returns how many tenants it added.

        Accepts ``{"tenants": [...], "permissions": [...], "roles": [...], "ssoConfigurations": [...],
        "accessKeys": [...], "passwordPolicies": [...], "ssoApplications": [...]}`` or a bare list of
        tenants. Each entry goes through the same validation as the API. A tenant may also carry
        ``createdTime``, ``settings`` (a settings body) and ``defaultRoles``; a role or permission its
        ``id`` (kept when free). The built-ins are already there: a system permission in the document is
        skipped, a built-in role's entry updates it (so ``dump()`` output loads back). See
        ``SsoConfigurations.seed``, ``AccessKeys.seed`` and ``SsoApps.seed`` for three others;
        ``passwordPolicies`` holds policy bodies with their ``tenantId`` ("" for the project's).
        """
        if isinstance(data, list):
            data = {"tenants": data}
        tenants = list_of_objects(data, "tenants")
        permissions = list_of_objects(data, "permissions")
        roles = list_of_objects(data, "roles")
        sso_configurations = list_of_objects(data, "ssoConfigurations")
        access_keys = list_of_objects(data, "accessKeys")
        password_policies = list_of_objects(data, "passwordPolicies")
        sso_apps = list_of_objects(data, "ssoApplications")
        tenant_attributes = list_of_objects(data, "tenantAttributes")
        users = list_of_objects(data, "users")
        with self.project.lock:
            self.tenant_attributes.seed(tenant_attributes)
            self.permissions.seed(permissions)
            self.tenants.seed(tenants)
            self.roles.seed(roles)
            self.tenants.seed_default_roles(tenants)
            self.sso.seed(sso_configurations)
            self.access_keys.seed(access_keys)
            self.passwords.seed(password_policies)
            self.sso_apps.seed(sso_apps)
            self.users.seed(users)
        return len(tenants)
