"""Permissions.

Served as the official SDKs call it: ``POST /v1/mgmt/permission/create|update|delete`` and their
``/batch`` variants -> ``{}``; ``GET /v1/mgmt/permission/all`` -> ``{"permissions"}``.

Choices where Descope's behaviour is not public:
- Names are compared exactly. A permission is found by ``id`` (``PERM...``) when the body has a
  non-empty one, else by ``name``; the official SDKs' ``update``/``delete`` send the name, their
  ``...WithId``/``..._by_id`` variants the id. One a call targets missing is 400 ``E112402``.
- A new project (and ``clear()``) has the system permissions Impersonate, User Admin and SSO Admin
  (``systemDefault``: cannot be created, changed or deleted).
- Keys of a create or update body the emulator does not model are kept and answered back (an update,
  a full replace, replaces them); a console edit keeps them.
- A rename or delete is announced on the project, so roles follow it. Batches are all or nothing; a
  batch delete without names and ids is a 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields, batch_entries, rekey, seeded_id
from descope_emulator.project import Project
from descope_emulator.routing import route
from descope_emulator.wire import Answered

_PERMISSION_ID_RANDOM_CHARS: Final = 25
# What every new Descope project has (systemDefault, cannot be created, changed or deleted; see the
# official Terraform provider's list).
SYSTEM_PERMISSIONS: Final = (
    ("Impersonate", "Impersonate other users"),
    ("User Admin", "Manage the users of a tenant"),
    ("SSO Admin", "Manage the SSO configuration of a tenant"),
)


@dataclass
class Permission(Answered):
    WIRE_KEYS = ("id", "name", "description", "systemDefault")
    id: str
    name: str
    description: str = ""
    system_default: bool = False


# The keys of a permission's write bodies and answers; any other key of a create or update is kept in
# ``extra`` (replaced by each update, a full replace) and answered back.
PERMISSION_FIELDS: Final = (*Permission.WIRE_KEYS, "newName")


class Permissions:
    """The permissions of one project (the project's "permission exists" look-up)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._permissions: dict[str, Permission] = project.table()  # by name
        project.cleared.subscribe(self._install_system_permissions)
        project.provide_permissions(lambda name: name in self._permissions)

    # ----- project hooks ------------------------------------------------------------------------

    def _install_system_permissions(self) -> None:
        for name, description in SYSTEM_PERMISSIONS:
            self._permissions[name] = Permission(
                id=self._project.built_in_id("PERM", _PERMISSION_ID_RANDOM_CHARS),
                name=name,
                description=description,
                system_default=True,
            )

    # ----- look-ups (called with the project lock held) -----------------------------------------

    def _by_id(self, permission_id: str) -> Permission | None:
        for permission in self._permissions.values():
            if permission.id == permission_id:
                return permission
        return None

    def _find(self, fields: Fields) -> Permission:
        permission_id = fields.string("id")
        if permission_id:
            found = self._by_id(permission_id)
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

    # ----- API ----------------------------------------------------------------------------------

    @route("POST", "/v1/mgmt/permission/create")
    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        name, description = fields.required_string("name"), fields.string("description")
        with self._project.lock:
            existing = self._permissions.get(name)
            if existing is not None:
                kind = "System permission" if existing.system_default else "Permission"
                raise errors.already_exists(f"{kind} '{name}' already exists")
            permission_ids = {p.id for p in self._permissions.values()}
            self._permissions[name] = Permission(
                id=self._project.new_id("PERM", _PERMISSION_ID_RANDOM_CHARS, lambda c: c in permission_ids),
                name=name,
                description=description,
                extra=fields.unknown(PERMISSION_FIELDS),
            )
        return {}

    @route("POST", "/v1/mgmt/permission/update")
    def update(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Full replace; a rename is applied to every role granting the permission."""
        fields = Fields(body)
        new_name, description = fields.required_string("newName"), fields.string("description")
        with self._project.lock:
            permission = self._find(fields)
            self._refuse_system_permission(permission, "changed")
            old_name = permission.name
            if new_name != old_name and new_name in self._permissions:
                raise errors.already_exists(f"Permission '{new_name}' already exists")
            permission.name = new_name
            permission.description = description
            permission.extra = fields.unknown(PERMISSION_FIELDS)
            rekey(self._permissions, old_name, new_name)
            self._project.permission_renamed.emit(old_name, new_name)
        return {}

    @route("POST", "/v1/mgmt/permission/delete")
    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Deleting a permission silently removes it from every role granting it."""
        fields = Fields(body)
        with self._project.lock:
            permission = self._find(fields)
            self._refuse_system_permission(permission, "deleted")
            del self._permissions[permission.name]
            self._project.permission_removed.emit(permission.name)
        return {}

    @route("GET", "/v1/mgmt/permission/all")
    def all(self) -> dict[str, Any]:
        return self._project.listing("permissions", self._permissions)

    @route("POST", "/v1/mgmt/permission/create/batch")
    def create_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"permissions": [{name, description?}]}``, all or nothing."""
        entries = batch_entries(body, "permissions")
        self._project.atomically(lambda: [self.create(entry) for entry in entries])
        return {}

    @route("POST", "/v1/mgmt/permission/update/batch")
    def update_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"permissions": [{id or name, newName, description?}]}``, all or nothing."""
        entries = batch_entries(body, "permissions")
        self._project.atomically(lambda: [self.update(entry) for entry in entries])
        return {}

    @route("POST", "/v1/mgmt/permission/delete/batch")
    def delete_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"names"?, "ids"?}``, all or nothing. Without either it is a 400 (our choice: no public
        source says what Descope does, and every official SDK refuses to send it)."""
        fields = Fields(body)
        names = fields.string_list("names")
        ids = fields.string_list("ids")
        if not names and not ids:
            raise errors.missing_argument("names")
        entries = [{"name": name} for name in names] + [{"id": permission_id} for permission_id in ids]
        self._project.atomically(lambda: [self.delete(entry) for entry in entries])
        return {}

    # ----- out-of-band access for tests and the admin API ---------------------------------------

    def edit(self, name: str, /, **changes: Any) -> dict[str, Any]:
        """A console edit of a permission: ``name=...`` renames it (in every role too),
        ``description=...``."""
        with self._project.lock:
            permission = self._find(Fields({"name": name}))
            body = {
                **permission.extra,  # a console edit changes only what it names
                "id": permission.id,
                "newName": changes.pop("name", permission.name),
                "description": changes.pop("description", permission.description),
            }
            if changes:
                raise errors.validation_failed(f"a permission has no field(s) {sorted(changes)}")
            self.update(body)
            return permission.to_wire()

    def remove(self, name: str) -> None:
        """A console delete of a permission (it also disappears from every role)."""
        self.delete({"name": name})

    def dump(self) -> list[dict[str, Any]]:
        return [p.to_wire() for p in self._permissions.values()]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """Creates permissions from ``dump`` entries, keeping a free ``id``; a system permission's
        entry is skipped (it is already there)."""
        for entry in entries:
            existing = self._permissions.get(str(entry.get("name")))
            if existing is not None and existing.system_default:
                continue
            self.create(entry)
            wanted = seeded_id(entry, lambda candidate: self._by_id(candidate) is not None)
            if wanted is not None:
                self._permissions[entry["name"]].id = wanted
