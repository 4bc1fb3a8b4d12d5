"""Descope tenants, roles and permissions as code on the real Pulumi engine.

```python
import pulumi_descope_dynamic as descope
acme = descope.Tenant("acme", name="Acme Corp", tenant_id="acme", self_provisioning_domains=["acme.com"])
```
Configure the stack with `descope:projectId` and `descope:managementKey` (secret), or the
DESCOPE_PROJECT_ID / DESCOPE_MANAGEMENT_KEY environment variables.
"""

from .access_key import AccessKey, AccessKeyArgs
from .permission import Permission, PermissionArgs
from .role import Role, RoleArgs
from .sso_admin_link import SsoAdminLink, SsoAdminLinkArgs
from .sso_configuration import (
    OidcArgs,
    RoleMappingArgs,
    SamlArgs,
    SamlMetadataArgs,
    SsoConfiguration,
    SsoConfigurationArgs,
)
from .tenant import Tenant, TenantArgs
from .tenant_settings import SsoSetupSuiteArgs, TenantSettings, TenantSettingsArgs

__all__ = [
    "AccessKey",
    "AccessKeyArgs",
    "OidcArgs",
    "Permission",
    "PermissionArgs",
    "Role",
    "RoleArgs",
    "RoleMappingArgs",
    "SamlArgs",
    "SamlMetadataArgs",
    "SsoAdminLink",
    "SsoAdminLinkArgs",
    "SsoConfiguration",
    "SsoConfigurationArgs",
    "SsoSetupSuiteArgs",
    "Tenant",
    "TenantArgs",
    "TenantSettings",
    "TenantSettingsArgs",
]
