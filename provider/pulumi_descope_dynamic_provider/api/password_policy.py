"""Password policy: `GET|POST /v1/mgmt/password/settings`, per tenant with `tenantId` (an empty
`tenantId` is the project's policy), as the official Python, Node and Go SDKs call it.

A write is a FULL REPLACE (the Go SDK sends every field, zero values included), so the one safe way to
change a few rules is `overlay_password_policy`: read, overlay the changed keys, write the whole body
back under the tenant's lock (api/overlay.py), keeping the keys this client does not know.
docs/api-notes/tenant-password-policy.md says where each fact comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ConfigDict

from .endpoints import Endpoint
from .models import WireModel
from .overlay import Overlaid, full_replace, overlay_tenant_body
from .tenants import TENANT_GONE, TenantsApi

PASSWORD_SETTINGS = "/v1/mgmt/password/settings"

# The policy's switches and counts, as the SDKs spell them on the wire.
FLAG_KEYS = ("enabled", "lowercase", "uppercase", "number", "nonAlphanumeric", "expiration", "reuse", "lock")
COUNT_KEYS = ("minLength", "expirationWeeks", "reuseAmount", "lockAttempts")


class PasswordPolicy(WireModel):
    """A password policy as loaded; keys this client does not know are kept (a full replace must
    carry them). Absent, null, false and 0 all mean "off" / "not set"."""

    model_config = ConfigDict(**{**WireModel.model_config, "extra": "allow"})

    enabled: bool | None = None
    min_length: int | None = None
    lowercase: bool | None = None
    uppercase: bool | None = None
    number: bool | None = None
    non_alphanumeric: bool | None = None
    expiration: bool | None = None
    expiration_weeks: int | None = None
    reuse: bool | None = None
    reuse_amount: int | None = None
    lock: bool | None = None
    lock_attempts: int | None = None

    def body(self) -> dict[str, Any]:
        """The policy as it can be written back: nulls and the tenant id dropped."""
        body = self.model_dump(by_alias=True, mode="json", exclude_none=True)
        body.pop("tenantId", None)
        return body


def policy_meaning(body: Mapping[str, Any]) -> dict[str, Any]:
    """What Descope understands by a body: a missing switch is off, a missing count is 0; other keys
    (newer fields) as they are."""
    meaning = {key: value for key, value in body.items() if value is not None and key != "tenantId"}
    meaning.update({key: bool(meaning.get(key)) for key in FLAG_KEYS})
    meaning.update({key: int(meaning.get(key) or 0) for key in COUNT_KEYS})
    return meaning


def _load_operation(fields: Mapping[str, Any]) -> str:
    tenant_id = fields["tenantId"]
    return f"load password policy of {f'tenant {tenant_id!r}' if tenant_id else 'the project'}"


_LOAD = Endpoint("GET", PASSWORD_SETTINGS, _load_operation, TENANT_GONE, PasswordPolicy)
_WRITE = full_replace(PASSWORD_SETTINGS, "password policy")
# What one overlay read and wrote: the policy before, and the body sent.
PolicyWrite = Overlaid[PasswordPolicy]


class PasswordPolicyApi(TenantsApi):
    def load_password_policy(self, tenant_id: str) -> PasswordPolicy:
        """The tenant's password policy (`tenant_id=""`: the project's); NotFoundError when the tenant
        does not exist."""
        return self._request(_LOAD, {"tenantId": tenant_id})

    def overlay_password_policy(self, tenant_id: str, changes: Mapping[str, Any]) -> PolicyWrite:
        """Change only the wire keys in `changes`; every other rule (and every key this client does not
        know) is written back as read, under the tenant's lock. 2 requests; 1 (no write) when the
        policy already means what the change asks for."""

        def read() -> tuple[PasswordPolicy, dict[str, Any], int]:
            loaded = self.load_password_policy(tenant_id)
            return loaded, loaded.body(), 1

        return overlay_tenant_body(
            self,
            tenant_id,
            read=read,
            meaning=policy_meaning,
            write=_WRITE,
            model=PasswordPolicy,
            changes=changes,
        )
