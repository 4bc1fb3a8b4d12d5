"""Permissions: `/v1/mgmt/permission/...`. Names are unique in a project; update is a full replace
addressed by id (or name) that renames with `newName`. Deleting a permission removes it from every
role that granted it. The system permissions cannot be created or deleted."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from .models import KeepsUnknownKeys, WireModel
from .transport import Transport

PERMISSION_CREATE = "/v1/mgmt/permission/create"
PERMISSION_UPDATE = "/v1/mgmt/permission/update"
PERMISSION_DELETE = "/v1/mgmt/permission/delete"
PERMISSION_LOAD_ALL = "/v1/mgmt/permission/all"

CODE_PERMISSION_NOT_FOUND = "E112402"  # as the emulator documents it; no public source names Descope's
PERMISSION_GONE = frozenset({CODE_PERMISSION_NOT_FOUND})
SYSTEM_PERMISSIONS = ("Impersonate", "User Admin", "SSO Admin")


class PermissionFields(KeepsUnknownKeys):
    name: str
    description: str = ""


class Permission(PermissionFields):
    id: str = ""
    system_default: bool = False

    @property
    def key(self) -> str:
        """How the provider addresses it: the id where Descope gives one, else the unique name."""
        return self.id or self.name


class PermissionList(WireModel):
    permissions: list[Permission] = Field(default_factory=list)


class PermissionsApi(Transport):
    def create_permission(self, permission: PermissionFields) -> Permission:
        """Create a permission and return it as listed (with its id). A create whose answer was
        lost is recognised by the unique name and adopted when it is what was sent."""
        operation = f"create permission {permission.name!r}"

        def send(deadline: float) -> Permission:
            self._send(
                operation, "POST", PERMISSION_CREATE, deadline, body=permission.to_wire()
            )  # one attempt
            created = self.find_permission(permission.name, deadline=deadline)
            if created is None:
                raise NotFoundError("the permission was created but is not listed", operation=operation)
            return created

        def recover(deadline: float) -> Permission | None:
            found = self.find_permission(permission.name, deadline=deadline)
            if found is None:
                return None
            if found.description != permission.description:
                raise AlreadyExistsError(
                    f"an earlier attempt got no answer, and permission {found.name!r} now found differs "
                    "from what was sent, so it was not adopted; adopt it with adopt=True",
                    operation=operation,
                )
            self._emit(operation, "the answer to an earlier attempt was lost; adopting the permission")
            return found

        return self._create_once(operation, "permission", send, recover)

    def update_permission(self, current: Permission, permission: PermissionFields) -> None:
        """Replace `current` (addressed by id, else by name) with `permission`; renames in place. A
        full replace: the keys of `current` this code does not know are carried."""
        body: dict[str, Any] = {
            **current.unknown_keys(),
            "newName": permission.name,
            "description": permission.description,
        }
        body.update({"id": current.id} if current.id else {"name": current.name})
        self._call(
            f"update permission {current.name!r}", "POST", PERMISSION_UPDATE, body=body, gone=PERMISSION_GONE
        )

    def delete_permission(self, permission: Permission) -> bool:
        """Delete one permission (by id, else by name). Returns False when it was already gone."""
        if not permission.key:
            raise InvalidArgumentError("delete_permission needs the permission's id or name")
        body = {"id": permission.id} if permission.id else {"name": permission.name}
        try:
            self._call(
                f"delete permission {permission.name!r}",
                "POST",
                PERMISSION_DELETE,
                body=body,
                gone=PERMISSION_GONE,
            )
        except NotFoundError:
            return False
        except InvalidArgumentError:
            # No public source names Descope's "permission not found" code: the list decides.
            if all(p.key != permission.key for p in self.load_all_permissions()):
                return False
            raise
        return True

    def load_all_permissions(self, *, deadline: float | None = None) -> list[Permission]:
        found: PermissionList = self._call(
            "load all permissions",
            "GET",
            PERMISSION_LOAD_ALL,
            parse=PermissionList,
            read_only=True,
            deadline=deadline,
        )
        return found.permissions

    def find_permission(self, name: str, *, deadline: float | None = None) -> Permission | None:
        return next((p for p in self.load_all_permissions(deadline=deadline) if p.name == name), None)
