"""Roles: project roles and tenant roles.

Served as the official SDKs call it: ``POST /v1/mgmt/role/create|update|delete`` -> ``{}``, their
``/batch`` variants (create and update answer ``{"roles"}``), ``GET /v1/mgmt/role/all`` and
``POST /v1/mgmt/role/search`` -> ``{"roles"}``.

Choices where Descope's behaviour is not public:
- A role is found by ``id`` (``ROL...``, any scope) when the body has a non-empty one, else by ``name``
  within the scope ``tenantId`` names ("" or absent = the project); names are unique per scope and
  compared exactly. A role's scope never changes. One a call targets missing is 400 ``E112302``; a
  permission it names missing is 400 ``E011004``; a tenant-scoped role in an unknown tenant ``E112202``.
- A new project (and ``clear()``) has the built-in project role "Tenant Admin" (User Admin, SSO Admin),
  which can be neither updated, renamed nor deleted: an update (even one restating every field) is
  400 ``E024214`` "Failed to save role, version conflict", as Descope answers it
  (terraform-provider-descope #377); a rename or delete is 400 ``E011004``. Only ``load()`` of a dump
  sets its fields.
- A role batch delete without names and ids deletes every role (of ``tenantId`` when given), as
  Descope does, except the built-in ones. Batch calls are all or nothing.
- Keys of a create or update body the emulator does not model are kept and answered back (an update,
  a full replace, replaces them; a console edit keeps them).
- Renames and deletes are announced on the project (tenants' default roles follow them); a removed
  tenant's roles go with it. Roles follow renamed and deleted permissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields, batch_entries, rekey, seeded_id
from descope_emulator.project import Project
from descope_emulator.routing import route
from descope_emulator.wire import Answered

_ROLE_ID_RANDOM_CHARS: Final = 26
BUILT_IN_ROLES: Final = (("Tenant Admin", "Administrates a tenant", ("User Admin", "SSO Admin")),)


@dataclass
class Role(Answered):
    WIRE_KEYS = (
        "id", "name", "description", "permissionNames", "tenantId", "default", "private", "createdTime",
    )  # fmt: skip
    id: str
    name: str
    tenant_id: str
    created_time: int
    description: str = ""
    permission_names: list[str] = field(default_factory=list)
    default: bool = False
    private: bool = False
    # A role every new project has: it can be neither updated, renamed nor deleted.
    built_in: bool = False


# The keys of a role's write bodies and answers; any other key of a create or update is kept in
# ``extra`` (replaced by each update, a full replace) and answered back.
ROLE_FIELDS: Final = (*Role.WIRE_KEYS, "newName")


def _replaced_fields(fields: Fields) -> dict[str, Any]:
    """What a create sets and an update replaces, besides the name (left out means cleared)."""
    return {
        "description": fields.string("description"),
        "permission_names": list(dict.fromkeys(fields.string_list("permissionNames"))),
        "default": fields.boolean("default"),
        "private": fields.boolean("private"),
        "extra": fields.unknown(ROLE_FIELDS),
    }


class Roles:
    """The roles of one project (the project's role look-up)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        # Keyed by (tenantId or "" for project-wide, role name): a role name is unique per scope.
        self._roles: dict[tuple[str, str], Role] = project.table()
        project.cleared.subscribe(self._install_built_ins)
        project.provide_roles(self.role_id)
        project.tenant_removed.subscribe(self._tenant_removed)
        project.permission_renamed.subscribe(self._permission_renamed)
        project.permission_removed.subscribe(self._permission_removed)

    # ----- project hooks ------------------------------------------------------------------------

    def _install_built_ins(self) -> None:
        for name, description, permission_names in BUILT_IN_ROLES:
            self._roles[("", name)] = Role(
                id=self._project.built_in_id("ROL", _ROLE_ID_RANDOM_CHARS),
                name=name,
                tenant_id="",
                created_time=self._project.now(),
                description=description,
                permission_names=list(permission_names),
                built_in=True,
            )

    def _tenant_removed(self, tenant_id: str) -> None:
        for key in [key for key in self._roles if key[0] == tenant_id]:
            del self._roles[key]

    def _permission_renamed(self, old: str, new: str) -> None:
        for role in self._roles.values():
            role.permission_names = [new if p == old else p for p in role.permission_names]

    def _permission_removed(self, name: str) -> None:
        for role in self._roles.values():
            role.permission_names = [p for p in role.permission_names if p != name]

    # ----- look-ups (called with the project lock held) -----------------------------------------

    def _scope(self, fields: Fields) -> str:
        tenant_id = fields.string("tenantId")
        if tenant_id:
            self._project.require_tenant(tenant_id, status=400)
        return tenant_id

    def _by_id(self, role_id: str) -> Role | None:
        for role in self._roles.values():
            if role.id == role_id:
                return role
        return None

    def _find(self, fields: Fields, tenant_id: str) -> Role:
        role_id = fields.string("id")
        if role_id:
            role = self._by_id(role_id)
            # A tenantId sent with an id must be the role's own ("" is what Go sends when unset).
            if role is None or (tenant_id and role.tenant_id != tenant_id):
                raise errors.role_not_found(role_id, tenant_id)
            return role
        name = fields.required_string("name")
        found = self._roles.get((tenant_id, name))
        if found is None:
            raise errors.role_not_found(name, tenant_id)
        return found

    def _check_permissions_exist(self, names: list[str]) -> None:
        # An unknown permission named in a role is a bad argument of the role call, not "not found".
        for name in names:
            if not self._project.permission_exists(name):
                raise errors.invalid_argument(f"Permission '{name}' does not exist")

    def role_id(self, tenant_id: str, name: str) -> str | None:
        """The id of the role ``name`` as seen from ``tenant_id`` (a role of that tenant, else a
        project role; ``tenant_id=""`` sees project roles only), or None."""
        with self._project.lock:
            role = self._roles.get((tenant_id, name)) or self._roles.get(("", name))
            return None if role is None else role.id

    # ----- API ----------------------------------------------------------------------------------

    @route("POST", "/v1/mgmt/role/create")
    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self._create(body)
        return {}

    def _create(self, body: Mapping[str, Any]) -> Role:
        fields = Fields(body)
        name = fields.required_string("name")
        values = _replaced_fields(fields)
        with self._project.lock:
            tenant_id = self._scope(fields)
            if (tenant_id, name) in self._roles:
                scope = f"tenant '{tenant_id}'" if tenant_id else "the project"
                raise errors.already_exists(f"Role '{name}' already exists in {scope}")
            self._check_permissions_exist(values["permission_names"])
            role_ids = {role.id for role in self._roles.values()}
            role = Role(
                id=self._project.new_id(
                    "ROL", _ROLE_ID_RANDOM_CHARS, lambda candidate: candidate in role_ids
                ),
                name=name,
                tenant_id=tenant_id,
                created_time=self._project.now(),
                **values,
            )
            self._roles[(tenant_id, name)] = role
            return role

    @route("POST", "/v1/mgmt/role/update")
    def update(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Full replace. With ``id`` and ``newName`` it renames in place (the id stays)."""
        self._update(body)
        return {}

    def _update(self, body: Mapping[str, Any], *, seeding: bool = False) -> Role:
        fields = Fields(body)
        new_name = fields.required_string("newName")
        values = _replaced_fields(fields)
        with self._project.lock:
            tenant_id = self._scope(fields)
            role = self._find(fields, tenant_id)
            key = (role.tenant_id, role.name)
            new_key = (role.tenant_id, new_name)
            if new_key != key and role.built_in:
                raise errors.invalid_argument(f"Role '{role.name}' is built in and cannot be renamed")
            if role.built_in and not seeding:
                raise errors.built_in_role_conflict(role.name)
            if new_key != key and new_key in self._roles:
                raise errors.already_exists(f"Role '{new_name}' already exists")
            self._check_permissions_exist(values["permission_names"])
            if new_name != role.name:
                self._project.role_renamed.emit(role.tenant_id, role.name, new_name)
            role.name = new_name
            for attribute, value in values.items():
                setattr(role, attribute, value)
            rekey(self._roles, key, new_key)
            return role

    def _remove(self, role: Role) -> None:
        if role.built_in:
            raise errors.invalid_argument(f"Role '{role.name}' is built in and cannot be deleted")
        self._project.role_removed.emit(role.tenant_id, role.name)
        del self._roles[(role.tenant_id, role.name)]

    @route("POST", "/v1/mgmt/role/delete")
    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        with self._project.lock:
            tenant_id = self._scope(fields)
            self._remove(self._find(fields, tenant_id))
        return {}

    @route("GET", "/v1/mgmt/role/all")
    def all(self) -> dict[str, Any]:
        return self._project.listing("roles", self._roles)

    @route("POST", "/v1/mgmt/role/search")
    def search(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Filters (AND across, OR within; empty, null or "" = no filter): tenantIds (plus project
        roles when includeProjectRoles), roleNames, roleNameLike (case-insensitive substring),
        permissionNames (roles granting any of them), roleIds."""
        fields = Fields(body)
        tenant_ids = set(fields.string_list("tenantIds"))
        include_project = fields.boolean("includeProjectRoles")
        names = set(fields.string_list("roleNames"))
        like = fields.string("roleNameLike").casefold()
        permissions = set(fields.string_list("permissionNames"))
        role_ids = set(fields.string_list("roleIds"))

        def matches(role: Role) -> bool:
            if (
                tenant_ids
                and role.tenant_id not in tenant_ids
                and not (include_project and not role.tenant_id)
            ):
                return False
            if names and role.name not in names:
                return False
            if like and like not in role.name.casefold():
                return False
            if permissions and not permissions & set(role.permission_names):
                return False
            return not role_ids or role.id in role_ids

        with self._project.lock:
            return {"roles": [role.to_wire() for role in self._roles.values() if matches(role)]}

    @route("POST", "/v1/mgmt/role/create/batch")
    def create_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"roles": [create bodies]}``, all or nothing; answers ``{"roles": [created roles]}``."""
        entries = batch_entries(body, "roles")
        created = self._project.atomically(lambda: [self._create(entry).to_wire() for entry in entries])
        return {"roles": created}

    @route("POST", "/v1/mgmt/role/update/batch")
    def update_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"roles": [update bodies, by id or name]}``, all or nothing; answers the updated roles."""
        entries = batch_entries(body, "roles")
        updated = self._project.atomically(lambda: [self._update(entry).to_wire() for entry in entries])
        return {"roles": updated}

    @route("POST", "/v1/mgmt/role/delete/batch")
    def delete_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``{"roleNames"?, "roleIds"?, "tenantId"?}``, all or nothing.

        Names are looked up in the ``tenantId`` scope, ids anywhere. WITHOUT names and ids it deletes
        every role (of the ``tenantId`` tenant when given, else of the whole project, tenant roles
        included), as Descope does; only the built-in roles survive, since they cannot be deleted.
        """
        fields = Fields(body)
        names = fields.string_list("roleNames")
        ids = fields.string_list("roleIds")
        with self._project.lock:
            tenant_id = self._scope(fields)
            if not names and not ids:
                doomed = [
                    role
                    for role in self._roles.values()
                    if not role.built_in and (not tenant_id or role.tenant_id == tenant_id)
                ]
                for role in doomed:
                    self._remove(role)
                return {}
            entries = [{"name": n, "tenantId": tenant_id} for n in names] + [{"id": i} for i in ids]
            self._project.atomically(lambda: [self.delete(entry) for entry in entries])
        return {}

    # ----- out-of-band access for tests and the admin API ---------------------------------------

    def get(self, name_or_id: str, tenant_id: str = "") -> dict[str, Any] | None:
        """The role with this id, else with this name in the ``tenant_id`` scope; None if neither."""
        with self._project.lock:
            role = self._by_id(name_or_id) or self._roles.get((tenant_id, name_or_id))
            return None if role is None else role.to_wire()

    def edit(self, name_or_id: str, /, tenant_id: str = "", **changes: Any) -> dict[str, Any]:
        """A console edit of a role (found as in ``get``): patch semantics with wire names,
        e.g. ``permissionNames=[...]``, ``description=...``, ``name=...`` (a rename keeps the id)."""
        with self._project.lock:
            current = self.get(name_or_id, tenant_id)
            if current is None:
                raise errors.role_not_found(name_or_id, tenant_id)
            new_name = changes.pop("name", current["name"])
            body = {**current, **changes, "newName": new_name}
            return self._update(body).to_wire()

    def remove(self, name_or_id: str, tenant_id: str = "") -> None:
        """A console delete of a role (found as in ``get``)."""
        with self._project.lock:
            current = self.get(name_or_id, tenant_id)
            if current is None:
                raise errors.role_not_found(name_or_id, tenant_id)
            self.delete({"id": current["id"]})

    def dump(self) -> list[dict[str, Any]]:
        return [role.to_wire() for role in self._roles.values()]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """Creates roles from ``dump`` entries, keeping a free ``id`` and an integer ``createdTime``; a
        built-in role's entry updates it (so ``dump()`` output loads back)."""
        for entry in entries:
            built_in = self._roles.get((str(entry.get("tenantId") or ""), str(entry.get("name"))))
            if built_in is not None and built_in.built_in:
                role = self._update({**entry, "id": built_in.id, "newName": built_in.name}, seeding=True)
            else:
                role = self._create(entry)
                wanted = seeded_id(entry, lambda candidate: self._by_id(candidate) is not None)
                if wanted is not None:
                    role.id = wanted
            if isinstance(entry.get("createdTime"), int):
                role.created_time = entry["createdTime"]
