"""The provider behind `pulumi_descope_dynamic.TenantPasswordPolicy`: a tenant's password rules.

An attached singleton like TenantSettings: every tenant has a password policy (its own, or the
project's until it gets one), so there is nothing to create or delete. The id is the tenant id;
"create" configures the rules the program sets, "delete" puts back what they were before this
resource managed them (recorded in the output `policy_before`).

Every write is a read-overlay-write of the full policy body (api/overlay.py), under the tenant's lock
every tenant write of the client holds, so it changes only the rules the program sets and carries
every key this code does not know. Refresh is one GET per policy: Descope lists none. What every
per-tenant singleton does is core/attached.py's; this module declares the rules and their wire form.

Bounds: those of Descope's official Terraform provider v1.0 for the project's policy (min_length
4-64, expiration_weeks 1-999, reuse_amount 1-50, lock_attempts 2-10); applying them to a tenant's
policy is this project's choice (docs/api-notes/tenant-password-policy.md).

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.tenant_password_policy.TenantPasswordPolicyProvider`
is written into users' stack state. Never rename or move it.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .api.password_policy import COUNT_KEYS, PasswordPolicy
from .core import checks
from .core.attached import TenantSingletonProvider, tenant_singleton_spec
from .core.fields import FLAG, NUMBER, Check, Field, Sent

if TYPE_CHECKING:
    from .api.client import DescopeClient

__all__ = ["TENANT_PASSWORD_POLICY", "LivePolicy", "TenantPasswordPolicyProvider"]


def count(low: int, high: int) -> Check:
    """A whole number from `low` to `high` (a float that is whole, e.g. 8.0 from a YAML file, too)."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            return (
                None,
                f"{prop} must be a whole number from {low} to {high}; got {type(value).__name__} {value!r}",
            )
        if not low <= value <= high:
            return None, f"{prop} must be from {low} to {high}; got {value}: choose a value in that range"
        return value, None

    return check


def _flag(name: str, wire: str, doc: str) -> Field:
    return Field(name, checks.boolean, type=FLAG, wire=wire, doc=doc)


def _count(name: str, wire: str, low: int, high: int, doc: str) -> Field:
    return Field(name, count(low, high), type=NUMBER, wire=wire, doc=f"{doc} From {low} to {high}.")


TENANT_PASSWORD_POLICY = tenant_singleton_spec(
    "TenantPasswordPolicy",
    "tenant password policy",
    doc="""A tenant's password rules (type token `pulumi-python:dynamic/descope:TenantPasswordPolicy`).

```python
descope.TenantPasswordPolicy("acme-passwords", tenant_id=acme.id, min_length=12, uppercase=True,
                             lock=True, lock_attempts=5)
```
Deleting the resource puts back the rules the tenant had before (`policy_before`).""",
    args_doc="""The password rules of one tenant. A rule left as None is not managed: it keeps its value in
Descope.""",
    what="policy",
    things="rules",
    before="policy_before",
    fields=(
        _flag("enabled", "enabled", "Password authentication is enabled for the tenant."),
        _count("min_length", "minLength", 4, 64, "Minimum password length."),
        _flag("lowercase", "lowercase", "Passwords must contain a lowercase letter."),
        _flag("uppercase", "uppercase", "Passwords must contain an uppercase letter."),
        _flag("number", "number", "Passwords must contain a digit."),
        _flag("non_alphanumeric", "nonAlphanumeric", "Passwords must contain a non-alphanumeric character."),
        _flag("expiration", "expiration", "Passwords expire after expiration_weeks."),
        _count("expiration_weeks", "expirationWeeks", 1, 999, "Weeks after which a password expires."),
        _flag("reuse", "reuse", "Forbid reusing the last reuse_amount passwords."),
        _count("reuse_amount", "reuseAmount", 1, 50, "How many previous passwords cannot be reused."),
        _flag("lock", "lock", "Lock the account after lock_attempts failed sign-ins."),
        _count("lock_attempts", "lockAttempts", 2, 10, "Failed sign-ins before the account is locked."),
    ),
)
# The rules (every input but the tenant id), with their wire names.
RULES = {
    f.name: f.wire for f in TENANT_PASSWORD_POLICY.inputs if TENANT_PASSWORD_POLICY.sent(f) is Sent.REPLACE
}


@dataclass(frozen=True)
class LivePolicy:
    """A tenant's policy in the provider's form (the attributes are the spec's fields); a count of 0
    (Descope's "not set") is None."""

    tenant_id: str
    enabled: bool
    min_length: int | None
    lowercase: bool
    uppercase: bool
    number: bool
    non_alphanumeric: bool
    expiration: bool
    expiration_weeks: int | None
    reuse: bool
    reuse_amount: int | None
    lock: bool
    lock_attempts: int | None
    policy_before: dict[str, Any] | None = None
    as_project: bool = False
    """The rules are the project's (see tenant_policies); not a field."""

    @staticmethod
    def of(tenant_id: str, loaded: PasswordPolicy) -> LivePolicy:
        wire = loaded.body()
        values: dict[str, Any] = {
            name: (wire.get(key) or None) if key in COUNT_KEYS else bool(wire.get(key))
            for name, key in RULES.items()
        }
        return LivePolicy(tenant_id=tenant_id, **values)


def wire_changes(values: Mapping[str, Any]) -> dict[str, Any]:
    """Rules in the provider's form as wire keys; None is off (a switch) or not set (0, a count)."""
    return {
        RULES[name]: (int(value or 0) if RULES[name] in COUNT_KEYS else bool(value))
        for name, value in values.items()
    }


# The project's policy, read once per client by `tenant_policies` (one CLI command is one client).
_PROJECT_POLICY: weakref.WeakKeyDictionary[DescopeClient, dict[str, Any]] = weakref.WeakKeyDictionary()


def tenant_policies(client: DescopeClient, tenant_id: str) -> list[LivePolicy]:
    """The policy of one tenant, for `pulumi-descope export`/`drift`: one GET, plus one for the
    project's policy the first time a client asks; none when the tenant was deleted since the
    tenants were listed. `as_project` tells whether the tenant's rules are the project's."""
    provider = TenantPasswordPolicyProvider()
    project = _PROJECT_POLICY.get(client)
    if project is None:
        project = _PROJECT_POLICY[client] = provider.values(provider.load(client, ""))
    found = provider.load_live(client, tenant_id)
    return [] if found is None else [replace(found, as_project=provider.values(found) == project)]


class TenantPasswordPolicyProvider(TenantSingletonProvider[LivePolicy]):
    """check/diff/create/read/update/delete of one tenant's password policy."""

    spec = TENANT_PASSWORD_POLICY
    what = "password policy"

    def load(self, client: DescopeClient, tenant_id: str) -> LivePolicy:
        return LivePolicy.of(tenant_id, client.load_password_policy(tenant_id))

    def write(
        self, client: DescopeClient, tenant_id: str, values: Mapping[str, Any]
    ) -> tuple[LivePolicy, LivePolicy]:
        written = client.overlay_password_policy(tenant_id, wire_changes(values))
        return LivePolicy.of(tenant_id, written.before), LivePolicy.of(tenant_id, written.after)
