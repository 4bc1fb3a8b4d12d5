"""Roles: `/v1/mgmt/role/...`, a simple object API (api/objects.py). A role's name is unique per
scope: the project (no tenant id) or one tenant. Update is a full replace addressed by id, and renames
in place with `newName`.

Never send `role/delete/batch` without names or ids: Descope then deletes EVERY role of the project.
The client offers no batch delete at all; a single delete always names its role.
"""

from __future__ import annotations

from pydantic import Field

from .objects import Named, ObjectApi

# As the emulator documents it; no public source names Descope's "role not found" code.
CODE_ROLE_NOT_FOUND = "E112302"
# Roles every project has: they can be adopted and managed, never created or deleted.
BUILT_IN_ROLES = ("Tenant Admin",)


class RoleFields(Named):
    """What create and update send and the role list returns alike."""

    description: str = ""
    permission_names: list[str] = Field(default_factory=list)
    tenant_id: str = ""  # "" = a project role
    default: bool = False
    private: bool = False


class Role(RoleFields):
    id: str = ""
    created_time: int | None = None

    @property
    def scope_tenant_id(self) -> str | None:
        """The tenant of a tenant-scoped role; None for a project role."""
        return self.tenant_id or None


ROLES = ObjectApi(
    "role",
    "/v1/mgmt/role",
    RoleFields,
    Role,
    "roles",
    frozenset({CODE_ROLE_NOT_FOUND}),
    scope="tenant_id",
    search_keys=("roleNames", "tenantIds"),
)
