"""Password policies: the project's and each tenant's.

Served as the official SDKs call it (Python ``mgmt.password``, Node ``management.password``, Go
``Management.Password()``):
- ``GET /v1/mgmt/password/settings?tenantId=`` -> ``{enabled, minLength, lowercase, uppercase, number,
  nonAlphanumeric, expiration, expirationWeeks, reuse, reuseAmount, lock, lockAttempts}`` (an empty or
  absent ``tenantId``: the project's policy)
- ``POST /v1/mgmt/password/settings {tenantId, ...}`` -> ``{}``: a full replace (a rule left out is off
  or 0, as the Go SDK's zero values say).

Choices where Descope's behaviour is not public (docs/api-notes/tenant-password-policy.md):
- A tenant without a policy of its own answers the project's; its first write gives it its own.
- The project's policy starts as ``PROJECT_DEFAULT``.
- ``nonAlphaNumeric`` (the Node SDK's TypeScript spelling) is taken for ``nonAlphanumeric``.
- A count that is set (not 0) must be within the bounds of Descope's Terraform provider (``BOUNDS``).
- Other keys (fields newer than this emulator, e.g. the project-level ``tempLock``) are stored as
  given when they are JSON scalars, and returned: a full replace that leaves them out drops them.
- An unknown tenant is a 404 on the load and a 400 on the write.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields, with_aliases
from descope_emulator.project import Project
from descope_emulator.routing import route

FLAGS: Final = (
    "enabled",
    "lowercase",
    "uppercase",
    "number",
    "nonAlphanumeric",
    "expiration",
    "reuse",
    "lock",
)
BOUNDS: Final = {
    "minLength": (4, 64),
    "expirationWeeks": (1, 999),
    "reuseAmount": (1, 50),
    "lockAttempts": (2, 10),
}
PROJECT_DEFAULT: Final = {
    "enabled": True,
    "minLength": 8,
    "lowercase": True,
    "uppercase": True,
    "number": True,
    "nonAlphanumeric": False,
    "expiration": False,
    "expirationWeeks": 0,
    "reuse": False,
    "reuseAmount": 0,
    "lock": False,
    "lockAttempts": 0,
}
_ALIASES: Final = {"nonAlphaNumeric": "nonAlphanumeric"}
_PROJECT: Final = ""  # the project's policy's key in the table


def _policy(body: Mapping[str, Any]) -> dict[str, Any]:
    """A full policy from a write body: what is left out is off or 0; newer keys kept as given."""
    fields = Fields(with_aliases(body, _ALIASES))
    policy: dict[str, Any] = {key: fields.boolean(key) for key in FLAGS}
    for key, (low, high) in BOUNDS.items():
        value = fields.integer(key, 0)
        if value and not low <= value <= high:
            raise errors.invalid_argument(f"'{key}' must be from {low} to {high}, got {value}")
        policy[key] = value
    for key, value in body.items():
        if key in policy or key in _ALIASES or key in ("tenantId", "id") or value is None:
            continue
        if not isinstance(value, str | int | float | bool):
            raise errors.validation_failed(f"'{key}' must be a string, number or boolean")
        policy[key] = value
    return policy


class PasswordPolicies:
    """The project's password policy and the tenants' own ones."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._policies: dict[str, dict[str, Any]] = project.table()
        project.tenant_removed.subscribe(self._tenant_removed)

    def _tenant_removed(self, tenant_id: str) -> None:
        self._policies.pop(tenant_id, None)

    def _scope(self, tenant_id: str, *, status: int) -> str:
        if tenant_id:
            self._project.require_tenant(tenant_id, status=status)
        return tenant_id

    def _current(self, scope: str) -> dict[str, Any]:
        found = self._policies.get(scope) or self._policies.get(_PROJECT) or PROJECT_DEFAULT
        return copy.deepcopy(found)

    @route("GET", "/v1/mgmt/password/settings", "tenantId")
    def load(self, tenant_id: str) -> dict[str, Any]:
        with self._project.lock:
            return self._current(self._scope(tenant_id, status=404))

    @route("POST", "/v1/mgmt/password/settings")
    def configure(self, body: Mapping[str, Any]) -> dict[str, Any]:
        policy = _policy(body)
        tenant_id = Fields(body).string("tenantId")
        with self._project.lock:
            self._policies[self._scope(tenant_id, status=400)] = policy
        return {}

    # ----- out-of-band access for tests and the admin API ---------------------------------------

    def edit(self, /, tenant_id: str = "", **changes: Any) -> dict[str, Any]:
        """A console edit of the tenant's policy (``tenant_id=""``: the project's): patch semantics
        with wire field names, e.g. ``minLength=10``. Answers the policy as it now is."""
        with self._project.lock:
            scope = self._scope(tenant_id, status=404)
            self.configure({**self._current(scope), **changes, "tenantId": scope})
            return self._current(scope)

    def dump(self) -> list[dict[str, Any]]:
        """Each policy set (the project's, if changed, has ``tenantId`` "")."""
        return [{"tenantId": scope, **copy.deepcopy(policy)} for scope, policy in self._policies.items()]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self.configure(entry)
