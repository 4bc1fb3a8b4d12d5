"""`DescopeClient`: the transport with every API module this provider manages.

One client per (base URL, project, key) serves every resource type in a plugin process (see
core/shared.py), so they share one session and one rate budget.
"""

from __future__ import annotations

from .access_keys import AccessKeysApi
from .objects import ObjectsApi
from .password_policy import PasswordPolicyApi
from .sso import SsoApi
from .sso_apps import SsoAppsApi
from .tenant_attributes import TenantAttributesApi
from .tenant_settings import TenantSettingsApi
from .tenants import TenantsApi
from .transport import ClientEvent, EventListener
from .users import UsersApi

__all__ = ["ClientEvent", "DescopeClient", "EventListener"]


class DescopeClient(
    TenantSettingsApi,
    PasswordPolicyApi,
    TenantsApi,
    ObjectsApi,
    SsoApi,
    AccessKeysApi,
    SsoAppsApi,
    TenantAttributesApi,
    UsersApi,
):
    """A client of the Descope Management API for one project (thread-safe, never pickled)."""
