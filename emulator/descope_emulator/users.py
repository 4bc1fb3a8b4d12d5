"""Users: the routes the official SDKs (Python ``descope``, ``@descope/node-sdk``, go-sdk) call to
create, load, update, patch, delete and search users and to change their tenants and tenant roles.

- ``POST /v1/mgmt/user/create`` and ``POST /v1/mgmt/user/create/test`` (a test user) ->
  ``{"user": {...}}``; a login id in use is an "already exists" error.
- ``GET /v1/mgmt/user?loginId=`` (or ``?userId=``) -> ``{"user"}``; unknown: 400 ``E112102``.
- ``POST /v1/mgmt/user/update`` (a full replace of what the body models; the user's id, status and
  creation time stay) and ``PATCH /v1/mgmt/user/patch`` (the keys present; the Go SDK names the
  display name ``name`` there, the others ``displayName``: both are taken) -> ``{"user"}``.
- ``POST /v1/mgmt/user/delete`` ``{loginId}`` or ``{userId}`` -> ``{}`` (an unknown user is no error,
  as Descope answers).
- ``POST /v2/mgmt/user/search`` (and ``/search/test``): ``loginIds``, ``userIds``, ``emails``,
  ``tenantIds``, ``testUsersOnly``, ``withTestUser``, ``limit``/``page`` -> ``{"users": [...], "total"}``.
- ``POST /v1/mgmt/user/update/tenant/add|remove`` ``{loginId, tenantId}``;
  ``POST /v2/mgmt/user/update/role/add``, ``/v1/mgmt/user/update/role/remove`` and ``.../role/set``
  ``{loginId, tenantId?, roleNames}`` (without ``tenantId``: the project roles) -> ``{"user"}``.
  Adding tenant roles to a user not in the tenant adds the tenant too (the emulator's choice).

Every role named must exist for the tenant (a tenant role or a project role, as Descope scopes them);
an unknown tenant is ``E112202``. A removed tenant leaves its users; a removed role leaves their role
lists. There is no password field: the emulator stores none. The user-management paths count against
their own per-project quota (quota.PROJECT_PATH_LIMITS).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields
from descope_emulator.project import Project
from descope_emulator.routing import route
from descope_emulator.wire import wire_form

USER_NOT_FOUND: Final = "E112102"  # Descope's user-not-found code (errors.py's comment)
# The user keys a create, update or patch sets (the rest of a body is stored and returned as sent).
_PROFILE: Final = {
    "email": "email",
    "phone": "phone",
    "displayName": "name",
    "givenName": "givenName",
    "middleName": "middleName",
    "familyName": "familyName",
    "picture": "picture",
}
_IGNORED: Final = {"invite", "sendMail", "sendSMS", "inviteUrl", "templateId", "locale", "password",
                   "hashedPassword", "seed", "loginId", "userTenants", "roleNames", "customAttributes",
                   "test", "status", "verifiedEmail", "verifiedPhone", "additionalLoginIds", "ssoAppIDs",
                   "ssoAppIds", "familyAssociations", "templateOptions",
           # what an answer carries (a dump() entry loads back)
           "userId", "loginIds", "name", "createdTime"}  # fmt: skip


def user_not_found(label: str) -> errors.DescopeError:
    return errors.DescopeError(400, USER_NOT_FOUND, "User not found", f"User not found: {label}")


@dataclass
class User:
    user_id: str
    login_id: str
    created_time: int
    profile: dict[str, Any] = field(default_factory=dict)  # wire key -> value
    roles: list[str] = field(default_factory=list)  # project roles
    tenants: dict[str, list[str]] = field(default_factory=dict)  # tenant id -> role names
    custom_attributes: dict[str, Any] = field(default_factory=dict)
    test: bool = False
    status: str = "enabled"
    verified_email: bool = False
    verified_phone: bool = False
    other: dict[str, Any] = field(default_factory=dict)

    def to_wire(self, project: Project) -> dict[str, Any]:
        def tenant_name(tenant_id: str) -> str:
            tenant = project.tenant(tenant_id)
            return tenant.name if tenant is not None else ""

        return {
            **self.other,
            "userId": self.user_id,
            "loginIds": [self.login_id],
            **{key: self.profile.get(key, "") for key in _PROFILE.values()},
            "roleNames": list(self.roles),
            "userTenants": [
                {"tenantId": t, "roleNames": list(r), "tenantName": tenant_name(t)}
                for t, r in self.tenants.items()
            ],
            **wire_form(
                self, ("customAttributes", "test", "status", "verifiedEmail", "verifiedPhone", "createdTime")
            ),
        }


class Users:
    """The users of one project."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._users: dict[str, User] = project.table()  # by login id
        project.tenant_removed.subscribe(self._tenant_removed)
        project.role_removed.subscribe(self._role_removed)
        project.role_renamed.subscribe(self._role_renamed)

    # ----- project hooks ------------------------------------------------------------------------

    def _tenant_removed(self, tenant_id: str) -> None:
        for user in self._users.values():
            user.tenants.pop(tenant_id, None)

    def _role_removed(self, scope: str, name: str) -> None:
        for user in self._users.values():
            lists = [user.roles] if not scope else []
            lists += [roles for t, roles in user.tenants.items() if not scope or t == scope]
            for roles in lists:
                if name in roles:
                    roles.remove(name)

    def _role_renamed(self, scope: str, old: str, new: str) -> None:
        for user in self._users.values():
            lists = [user.roles] if not scope else []
            lists += [roles for t, roles in user.tenants.items() if not scope or t == scope]
            for roles in lists:
                if old in roles:
                    roles[roles.index(old)] = new

    # ----- helpers ------------------------------------------------------------------------------

    def _find(self, login_id: str = "", user_id: str = "") -> User | None:
        if login_id:
            return self._users.get(login_id)
        return next((u for u in self._users.values() if user_id and u.user_id == user_id), None)

    def _require(self, body: Mapping[str, Any]) -> User:
        login_id, user_id = str(body.get("loginId") or ""), str(body.get("userId") or "")
        if not login_id and not user_id:
            raise errors.missing_argument("loginId")
        user = self._find(login_id, user_id)
        if user is None:
            raise user_not_found(login_id or user_id)
        return user

    def _roles(self, tenant_id: str, names: Any) -> list[str]:
        if names is None:
            return []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise errors.validation_failed("'roleNames' must be a list of strings")
        for name in names:
            if self._project.role_id(tenant_id, name) is None:
                where = f" in tenant '{tenant_id}'" if tenant_id else ""
                raise errors.invalid_argument(f"Role '{name}' does not exist{where}")
        return list(dict.fromkeys(names))

    def _tenant(self, tenant_id: Any) -> str:
        if not isinstance(tenant_id, str) or not tenant_id:
            raise errors.missing_argument("tenantId")
        self._project.require_tenant(tenant_id, status=400)
        return tenant_id

    def _user_tenants(self, value: Any) -> dict[str, list[str]]:
        if value is None:
            return {}
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise errors.validation_failed("'userTenants' must be a list of {tenantId, roleNames}")
        tenants: dict[str, list[str]] = {}
        for entry in value:
            tenant_id = self._tenant(entry.get("tenantId"))
            tenants[tenant_id] = self._roles(tenant_id, entry.get("roleNames"))
        return tenants

    def _apply(self, user: User, body: Mapping[str, Any], *, replace: bool) -> None:
        """Set the user's fields from a body: all of them (``replace``) or the ones present."""
        if body.get("displayName") is None and body.get("name") is not None:
            body = {**body, "displayName": body["name"]}  # the Go SDK's patch says "name"
        fields = Fields(body)
        for wire, stored in _PROFILE.items():
            if replace or body.get(wire) is not None:
                user.profile[stored] = fields.string(wire)
        if replace or body.get("roleNames") is not None:
            user.roles = self._roles("", body.get("roleNames"))
        if replace or body.get("userTenants") is not None:
            user.tenants = self._user_tenants(body.get("userTenants"))
        if replace or body.get("customAttributes") is not None:
            user.custom_attributes = dict(fields.mapping("customAttributes"))
        for key, attr in (("verifiedEmail", "verified_email"), ("verifiedPhone", "verified_phone")):
            if body.get(key) is not None:
                setattr(user, attr, fields.boolean(key))
        other = {k: v for k, v in body.items() if k not in _IGNORED and k not in _PROFILE}
        user.other = other if replace else {**user.other, **other}

    def _answer(self, user: User) -> dict[str, Any]:
        return {"user": copy.deepcopy(user.to_wire(self._project))}

    # ----- API ----------------------------------------------------------------------------------

    @route("POST", "/v1/mgmt/user/create")
    @route("POST", "/v1/mgmt/user/create/test", test=True)
    def create(self, body: Mapping[str, Any], test: bool = False) -> dict[str, Any]:
        login_id = Fields(body).required_string("loginId")
        with self._project.lock:
            if login_id in self._users:
                raise errors.already_exists(f"User with login id '{login_id}' already exists")
            user = User(
                user_id=self._project.new_id("U", 27, lambda c: self._find(user_id=c) is not None),
                login_id=login_id,
                created_time=self._project.now(),
                test=test,
                status="invited" if body.get("invite") else "enabled",
            )
            self._apply(user, body, replace=True)
            self._users[login_id] = user
            return self._answer(user)

    @route("GET", "/v1/mgmt/user", "loginId", "userId")
    def load(self, login_id: str, user_id: str) -> dict[str, Any]:
        with self._project.lock:
            return self._answer(self._require({"loginId": login_id, "userId": user_id}))

    @route("POST", "/v1/mgmt/user/update")
    def update(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._change(body, replace=True)

    @route("PATCH", "/v1/mgmt/user/patch")
    def patch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._change(body, replace=False)

    def _change(self, body: Mapping[str, Any], *, replace: bool) -> dict[str, Any]:
        """An update (`replace`: what the body leaves out is cleared) or a patch, all or nothing."""
        with self._project.lock:
            user = self._require(body)
            changed = copy.deepcopy(user)
            self._apply(changed, body, replace=replace)
            self._users[user.login_id] = changed
            return self._answer(changed)

    @route("POST", "/v1/mgmt/user/delete")
    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._project.lock:
            user = self._find(str(body.get("loginId") or ""), str(body.get("userId") or ""))
            if user is not None:
                del self._users[user.login_id]
        return {}

    @route("POST", "/v2/mgmt/user/search")
    @route("POST", "/v2/mgmt/user/search/test", test_only=True)
    def search(self, body: Mapping[str, Any], test_only: bool = False) -> dict[str, Any]:
        fields = Fields(body)
        wanted = {key: set(fields.string_list(key)) for key in ("loginIds", "userIds", "emails", "tenantIds")}
        only_test = test_only or fields.boolean("testUsersOnly")
        with_test = test_only or only_test or fields.boolean("withTestUser")
        limit = fields.integer("limit", 0) or 100
        page = fields.integer("page", 0)
        with self._project.lock:
            found = [
                u
                for u in self._users.values()
                if (not wanted["loginIds"] or u.login_id in wanted["loginIds"])
                and (not wanted["userIds"] or u.user_id in wanted["userIds"])
                and (not wanted["emails"] or u.profile.get("email") in wanted["emails"])
                and (not wanted["tenantIds"] or wanted["tenantIds"] & set(u.tenants))
                and (u.test if only_test else (with_test or not u.test))
            ]
            shown = found[page * limit : (page + 1) * limit]
            return {"users": [copy.deepcopy(u.to_wire(self._project)) for u in shown], "total": len(found)}

    @route("POST", "/v1/mgmt/user/update/tenant/add")
    def add_tenant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._project.lock:
            user = self._require(body)
            user.tenants.setdefault(self._tenant(body.get("tenantId")), [])
            return self._answer(user)

    @route("POST", "/v1/mgmt/user/update/tenant/remove")
    def remove_tenant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._project.lock:
            user = self._require(body)
            user.tenants.pop(self._tenant(body.get("tenantId")), None)
            return self._answer(user)

    @route("POST", "/v2/mgmt/user/update/role/add", how="add")
    @route("POST", "/v1/mgmt/user/update/role/remove", how="remove")
    @route("POST", "/v1/mgmt/user/update/role/set", how="set")
    def change_roles(self, body: Mapping[str, Any], how: str = "add") -> dict[str, Any]:
        with self._project.lock:
            user = self._require(body)
            tenant_id = self._tenant(body["tenantId"]) if body.get("tenantId") else ""
            names = self._roles(tenant_id, body.get("roleNames") or [])
            current = user.tenants.setdefault(tenant_id, []) if tenant_id else user.roles
            if how == "set":
                current[:] = names
            elif how == "add":
                current.extend(n for n in names if n not in current)
            else:
                current[:] = [n for n in current if n not in names]
            return self._answer(user)

    # ----- out-of-band access for tests (console edits) -----------------------------------------

    def get(self, login_id: str) -> dict[str, Any] | None:
        with self._project.lock:
            user = self._users.get(login_id)
            return None if user is None else user.to_wire(self._project)

    def count(self) -> int:
        with self._project.lock:
            return len(self._users)

    def dump(self) -> list[dict[str, Any]]:
        return [
            {**wire, "loginId": u.login_id, "displayName": wire["name"]}
            for u in self._users.values()
            for wire in [u.to_wire(self._project)]
        ]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """A user per entry: a create body (``loginId``, ``userTenants``, ...; ``test`` for a test
        user); ``dump()`` entries load back."""
        for entry in entries:
            body = dict(entry)
            body.setdefault("loginId", (body.get("loginIds") or [""])[0])
            self.create(body, test=bool(body.get("test")))
