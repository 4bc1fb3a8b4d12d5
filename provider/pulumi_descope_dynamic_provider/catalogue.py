"""Every resource type this package provides, in one list: the sdk package (whose classes
scripts/gen_sdk.py generates from it), the `pulumi-descope` CLI and the tests read it instead of
keeping lists of their own. A new resource type is its module here (spec + provider) and one line
in `PROVIDERS`.

The names the CLI needs from the engine-facing core are re-exported here: the CLI imports this
module and the API models, never `core` (an import-linter contract holds it).
"""

from __future__ import annotations

from typing import Any

from .access_key import AccessKeyProvider
from .core.abilities import Adopts, Lists
from .core.fields import Field, ResourceSpec, Sent
from .core.provider import MANAGED_INPUTS, DescopeProvider, canonical
from .permission import PermissionProvider
from .role import RoleProvider
from .sso_admin_link import SsoAdminLinkProvider
from .sso_application import SsoApplicationProvider
from .sso_configuration import SsoConfigurationProvider
from .tenant import TenantProvider
from .tenant_attribute import TenantAttributeProvider
from .tenant_membership import TenantMembershipProvider
from .tenant_password_policy import TenantPasswordPolicyProvider
from .tenant_settings import TenantSettingsProvider
from .user import UserProvider

__all__ = [
    "MANAGED_INPUTS",
    "PROVIDERS",
    "Adopts",
    "DescopeProvider",
    "Field",
    "Lists",
    "ResourceSpec",
    "Sent",
    "canonical",
    "module_of",
    "provider_of",
]

PROVIDERS: tuple[type[DescopeProvider[Any]], ...] = (
    TenantProvider,
    TenantSettingsProvider,
    TenantPasswordPolicyProvider,
    RoleProvider,
    PermissionProvider,
    SsoConfigurationProvider,
    SsoAdminLinkProvider,
    AccessKeyProvider,
    SsoApplicationProvider,
    TenantAttributeProvider,
    UserProvider,
    TenantMembershipProvider,
)


def module_of(provider: type[DescopeProvider[Any]]) -> str:
    """The module name of a type, the same in the provider and the sdk package: "tenant_settings"."""
    return provider.__module__.rpartition(".")[2]


def provider_of(type_name: str) -> type[DescopeProvider[Any]]:
    return next(p for p in PROVIDERS if p.spec.type_name == type_name)
