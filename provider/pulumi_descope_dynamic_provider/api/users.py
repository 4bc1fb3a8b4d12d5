"""Users: `/v1/mgmt/user/...` and `/v2/mgmt/user/search`, as the official SDKs call them
(docs/api-notes/user.md). A user is addressed by its login id; operations name it by that only,
never by its email, phone or name (personal data stays out of logs and errors).

- create (`/create`, `/create/test` for a test user; `invite` sends the invitation) -> `{"user"}`
- load `GET /v1/mgmt/user?loginId=` -> `{"user"}`; unknown: `E112102`
- patch `PATCH /v1/mgmt/user/patch`: only the keys sent change (so nothing this code does not model
  is ever wiped; no full replace is sent)
- delete `POST /v1/mgmt/user/delete {loginId}`
- search `POST /v2/mgmt/user/search {loginIds, tenantIds, withTestUser, limit, page}`
- tenants: `update/tenant/add|remove {loginId, tenantId}`; tenant roles: `/v2/.../role/add`,
  `/v1/.../role/remove` `{loginId, tenantId, roleNames}`.
No password is ever sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field

from .endpoints import Endpoint
from .errors import AlreadyExistsError
from .models import WireModel
from .transport import Transport

USER_CREATE = "/v1/mgmt/user/create"
USER_CREATE_TEST = "/v1/mgmt/user/create/test"
USER_LOAD = "/v1/mgmt/user"
USER_PATCH = "/v1/mgmt/user/patch"
USER_DELETE = "/v1/mgmt/user/delete"
USER_SEARCH = "/v2/mgmt/user/search"
USER_TENANT_ADD = "/v1/mgmt/user/update/tenant/add"
USER_TENANT_REMOVE = "/v1/mgmt/user/update/tenant/remove"
USER_ROLE_ADD = "/v2/mgmt/user/update/role/add"
USER_ROLE_REMOVE = "/v1/mgmt/user/update/role/remove"

CODE_USER_NOT_FOUND = "E112102"
USER_GONE = frozenset({CODE_USER_NOT_FOUND})
SEARCH_PAGE = 100
# The profile keys this client writes: provider name -> wire key (what a load answers under).
PROFILE = {
    "email": ("email", "email"),
    "phone": ("phone", "phone"),
    "display_name": ("displayName", "name"),
    "given_name": ("givenName", "givenName"),
    "family_name": ("familyName", "familyName"),
}


class UserTenant(WireModel):
    tenant_id: str
    role_names: list[str] = Field(default_factory=list)


class User(WireModel):
    """A user as loaded (only what this provider reads)."""

    user_id: str = ""
    login_ids: list[str] = Field(default_factory=list)
    email: str = ""
    phone: str = ""
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    custom_attributes: dict[str, Any] = Field(default_factory=dict)
    user_tenants: list[UserTenant] = Field(default_factory=list)
    test: bool = False
    status: str = ""

    @property
    def login_id(self) -> str:
        return self.login_ids[0] if self.login_ids else ""

    def tenant_roles(self) -> dict[str, list[str]]:
        """tenant id -> the user's role names in it."""
        return {t.tenant_id: list(t.role_names) for t in self.user_tenants}


class _UserAnswer(WireModel):
    user: User


class _Users(WireModel):
    users: list[User] = Field(default_factory=list)


_LOAD = Endpoint("GET", USER_LOAD, "load user {loginId!r}", USER_GONE, _UserAnswer)


class UsersApi(Transport):
    def create_user(self, body: Mapping[str, Any], *, test: bool) -> User:
        """Create a user (a test user with `test`) from a create body (`loginId`, profile keys,
        `userTenants`, `customAttributes`, `invite`). A create whose answer was lost is recognised by
        its unique login id and adopted when it is a user of the same kind."""
        login_id = str(body["loginId"])
        operation = f"create user {login_id!r}"
        path = USER_CREATE_TEST if test else USER_CREATE

        def send(deadline: float) -> User:
            data = self._send(operation, "POST", path, deadline, body=dict(body))
            return self._parse(operation, _UserAnswer, data).user

        def recover(deadline: float) -> User | None:
            found = self.load_user(login_id, deadline=deadline)
            if found is None:
                return None
            if found.test != test:
                raise AlreadyExistsError(
                    f"an earlier attempt got no answer, and user {login_id!r} now found is not what was "
                    "sent, so it was not adopted; adopt it with adopt=True",
                    operation=operation,
                )
            self._emit(operation, "the answer to an earlier attempt was lost; adopting the user")
            return found

        return self._create_once(operation, "user", send, recover)

    def load_user(self, login_id: str, *, deadline: float | None = None) -> User | None:
        """The user with this login id, or None."""
        found = self._found(_LOAD, {"loginId": login_id}, deadline=deadline)
        return None if found is None else found.user

    def search_users(self, login_ids: Sequence[str]) -> list[User]:
        """The users with these login ids (test users included), SEARCH_PAGE a request."""
        found: list[User] = []
        wanted = sorted(set(login_ids))
        for start in range(0, len(wanted), SEARCH_PAGE):
            chunk = wanted[start : start + SEARCH_PAGE]
            data = self._call(
                f"search {len(chunk)} users",
                "POST",
                USER_SEARCH,
                body={"loginIds": chunk, "withTestUser": True, "limit": SEARCH_PAGE, "page": 0},
                parse=_Users,
                read_only=True,
            )
            found.extend(data.users)
        return found

    def patch_user(self, login_id: str, changes: Mapping[str, Any]) -> User:
        """Change only the given wire keys."""
        data = self._call(
            f"update user {login_id!r}",
            "PATCH",
            USER_PATCH,
            body={**changes, "loginId": login_id},
            gone=USER_GONE,
            parse=_UserAnswer,
        )
        user: User = data.user
        return user

    def delete_user(self, login_id: str) -> bool:
        """Delete a user; False when it was already gone (Descope answers either way, so look first)."""
        if self.load_user(login_id) is None:
            return False
        self._call(
            f"delete user {login_id!r}", "POST", USER_DELETE, body={"loginId": login_id}, gone=USER_GONE
        )
        return True

    def add_user_tenant(self, login_id: str, tenant_id: str, roles: Sequence[str]) -> None:
        """Add the user to a tenant, then the roles (when any)."""
        self._in_tenant(f"add user {login_id!r} to", USER_TENANT_ADD, login_id, tenant_id)
        self.add_user_tenant_roles(login_id, tenant_id, roles)

    def remove_user_tenant(self, login_id: str, tenant_id: str) -> None:
        self._in_tenant(f"remove user {login_id!r} from", USER_TENANT_REMOVE, login_id, tenant_id)

    def add_user_tenant_roles(self, login_id: str, tenant_id: str, roles: Sequence[str]) -> None:
        if roles:
            self._in_tenant(f"add roles to user {login_id!r} in", USER_ROLE_ADD, login_id, tenant_id, roles)

    def remove_user_tenant_roles(self, login_id: str, tenant_id: str, roles: Sequence[str]) -> None:
        if roles:
            self._in_tenant(
                f"remove roles of user {login_id!r} in", USER_ROLE_REMOVE, login_id, tenant_id, roles
            )

    def _in_tenant(
        self, operation: str, path: str, login_id: str, tenant_id: str, roles: Sequence[str] | None = None
    ) -> None:
        """One change of a user in one tenant (the tenant itself, or some of its roles there)."""
        body: dict[str, Any] = {"loginId": login_id, "tenantId": tenant_id}
        if roles is not None:
            body["roleNames"] = sorted(roles)
        self._call(f"{operation} tenant {tenant_id!r}", "POST", path, body=body, gone=USER_GONE)
