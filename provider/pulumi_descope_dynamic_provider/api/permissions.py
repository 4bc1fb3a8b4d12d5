"""Permissions: `/v1/mgmt/permission/...`, a simple object API (api/objects.py). Names are unique in
a project; update is a full replace addressed by id (or name) that renames with `newName`. Deleting a
permission removes it from every role that granted it. The system permissions cannot be created or
deleted."""

from __future__ import annotations

from .objects import Named, ObjectApi

# As the emulator documents it; no public source names Descope's "permission not found" code.
CODE_PERMISSION_NOT_FOUND = "E112402"
SYSTEM_PERMISSIONS = ("Impersonate", "User Admin", "SSO Admin")


class PermissionFields(Named):
    description: str = ""


class Permission(PermissionFields):
    id: str = ""
    system_default: bool = False


PERMISSIONS = ObjectApi(
    "permission",
    "/v1/mgmt/permission",
    PermissionFields,
    Permission,
    "permissions",
    frozenset({CODE_PERMISSION_NOT_FOUND}),
)
