"""Roles: `/v1/mgmt/role/...`. A role's name is unique per scope: the project (no tenant id) or one
tenant. Update is a full replace addressed by id, and renames in place with `newName`.

Never send `role/delete/batch` without names or ids: Descope then deletes EVERY role of the project.
This module offers no batch delete at all; a single delete always names its role (see delete_role).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from .models import KeepsUnknownKeys, WireModel
from .transport import Transport

ROLE_CREATE = "/v1/mgmt/role/create"
ROLE_UPDATE = "/v1/mgmt/role/update"
ROLE_DELETE = "/v1/mgmt/role/delete"
ROLE_LOAD_ALL = "/v1/mgmt/role/all"
ROLE_SEARCH = "/v1/mgmt/role/search"

CODE_ROLE_NOT_FOUND = "E112302"  # as the emulator documents it; no public source names Descope's
ROLE_GONE = frozenset({CODE_ROLE_NOT_FOUND})
# Roles every project has: they can be adopted and managed, never created or deleted.
BUILT_IN_ROLES = ("Tenant Admin",)


class RoleFields(KeepsUnknownKeys):
    """What create and update send and the role list returns alike. Update is a full replace: a role
    built from a listed one (`from_live`) carries its unknown keys back."""

    name: str
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


class RoleList(WireModel):
    roles: list[Role] = Field(default_factory=list)


def _scope(tenant_id: str) -> str:
    return f"tenant {tenant_id!r}" if tenant_id else "the project"


class RolesApi(Transport):
    def create_role(self, role: RoleFields) -> Role:
        """Create a role and return it with its id. Descope's create answer carries no id, so the
        role is found by its name, unique in its scope: that look-up is also how a create whose
        answer was lost is recognised and adopted instead of failing as a duplicate."""
        operation = f"create role {role.name!r} in {_scope(role.tenant_id)}"
        body = {key: value for key, value in role.to_wire().items() if value not in ("", None)}

        def send(deadline: float) -> Role:
            # One attempt: _create_once decides whether another may be sent.
            self._send(operation, "POST", ROLE_CREATE, deadline, body=body)
            created = self.find_role(role.name, role.tenant_id, deadline=deadline)
            if created is None:
                raise NotFoundError("the role was created but is not in the role list", operation=operation)
            return created

        def recover(deadline: float) -> Role | None:
            found = self.find_role(role.name, role.tenant_id, deadline=deadline)
            if found is None:
                return None
            if RoleFields.model_validate(found.known()).known() != role.known():
                raise AlreadyExistsError(
                    f"an earlier attempt got no answer, and the role now found ({found.id!r}) differs "
                    "from what was sent, so it was not adopted; adopt it with adopt=True",
                    operation=operation,
                )
            self._emit(operation, f"the answer to an earlier attempt was lost; adopting role {found.id!r}")
            return found

        return self._create_once(operation, "role", send, recover)

    def update_role(self, role_id: str, role: RoleFields) -> None:
        """Replace the role `role_id` with `role` (a full replace; a new name renames it in place)."""
        if not role_id:
            raise InvalidArgumentError("update_role needs the role's id")
        body: dict[str, Any] = {"id": role_id, "newName": role.name, **role.to_wire()}
        body.pop("name")
        if not role.tenant_id:
            body.pop("tenantId")
        self._call(f"update role {role_id!r} ({role.name})", "POST", ROLE_UPDATE, body=body, gone=ROLE_GONE)

    def delete_role(self, role_id: str, tenant_id: str = "") -> bool:
        """Delete one role by its id. Returns False when it was already gone."""
        if not role_id:
            # An empty id must never reach Descope: some delete endpoints treat "no filter" as "all".
            raise InvalidArgumentError("delete_role needs the role's id")
        body: dict[str, Any] = {"id": role_id}
        if tenant_id:
            body["tenantId"] = tenant_id
        try:
            self._call(f"delete role {role_id!r}", "POST", ROLE_DELETE, body=body, gone=ROLE_GONE)
        except NotFoundError:
            return False
        except InvalidArgumentError:
            # No public source names Descope's "role not found" code: the role list decides.
            if all(role.id != role_id for role in self.load_all_roles()):
                return False
            raise
        return True

    def load_all_roles(self, *, deadline: float | None = None) -> list[Role]:
        """Every role of the project, project-wide and tenant-scoped."""
        found: RoleList = self._call(
            "load all roles", "GET", ROLE_LOAD_ALL, parse=RoleList, read_only=True, deadline=deadline
        )
        return found.roles

    def find_role(self, name: str, tenant_id: str = "", *, deadline: float | None = None) -> Role | None:
        """The role named `name` in its scope, if it exists."""
        body: dict[str, Any] = {"roleNames": [name]}
        if tenant_id:
            body["tenantIds"] = [tenant_id]
        found: RoleList = self._call(
            f"search role {name!r}",
            "POST",
            ROLE_SEARCH,
            body=body,
            parse=RoleList,
            read_only=True,
            deadline=deadline,
        )
        return next((r for r in found.roles if r.name == name and r.tenant_id == tenant_id), None)
