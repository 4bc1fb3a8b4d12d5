"""The provider behind `pulumi_descope_dynamic.User`: a user the program owns (a test or service user,
a customer's first admin), with its tenant memberships and tenant roles.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.user.UserProvider` is written into users'
stack state; never rename or move it.

The resource id is the login id (a change replaces the user). What the program manages: the profile
fields it sets, the custom attribute keys it sets, and in each tenant it names, the roles it names;
never another tenant, role or key, and no password. Writes are patches (only the keys sent change);
tenants and roles go through their own add/remove calls. The outputs show the personal data the
program set, nothing else (an adopted user's other fields stay out of the state).

Deleting a `User` deletes the user, unless it was adopted (`adopt=True`, or descope:adoptExisting):
then the user stays, and only the tenants and roles this program added are taken away again
(`tenants_before` records what the user had in the named tenants when it was adopted).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .api.errors import NotFoundError
from .api.users import PROFILE, User
from .core import checks
from .core.abilities import Adopts, Proposal, Update
from .core.fields import ANY_MAP, FLAG, Field, PyType, ResourceSpec, Sent
from .core.provider import DescopeProvider

if TYPE_CHECKING:
    from .api.client import DescopeClient

__all__ = ["USER", "UserProvider", "declared_login_ids", "login_id_check", "tenant_changes"]

TENANT_ROLES = PyType("Mapping[str, Sequence[str]]", "dict[str, list[str]]")


def login_id_check(prop: str, value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, f'{prop} is required: the user\'s login id, e.g. {prop}="admin@acme.example"'
    return checks.single_line_text(prop, value, required=True, example="admin@acme.example")


USER = ResourceSpec(
    type_name="User",
    kind="user",
    writes=Sent.PATCH,
    doc="""A user the program owns (type token `pulumi-python:dynamic/descope:User`): a test or service
user, a customer's first administrator. Users the program does not own join a tenant with
`TenantMembership` instead.

```python
admin = descope.User("acme-admin", login_id="admin@acme.example", email="admin@acme.example",
                     display_name="Acme Admin", invite=True, tenants={acme.id: ["Tenant Admin"]})
```
Deleting it deletes the user; an adopted user (`adopt=True`) stays, losing only the tenants and roles
the program added. There are no password inputs.""",
    args_doc="""The inputs of a user. A field left as None is not managed: it keeps its value in
Descope.""",
    example='login_id="admin@acme.example"',
    id_doc="its login id",
    fields=(
        Field(
            "login_id",
            login_id_check,
            required=True,
            sent=Sent.CREATE,
            doc="The login id (often the email address), and the resource id. Changing it replaces the user.",
        ),
        Field("email", checks.single_line_text, doc="The email address."),
        Field("phone", checks.single_line_text, doc='The phone number, e.g. "+15555550100".'),
        Field("display_name", checks.single_line_text, live="name", doc="The name shown for the user."),
        Field("given_name", checks.single_line_text, doc="The given name."),
        Field("family_name", checks.single_line_text, doc="The family name."),
        Field(
            "custom_attributes",
            checks.attribute_map,
            type=ANY_MAP,
            doc="""User custom attribute values, by the attribute's machine name (defined in the Descope
console). Only the keys given are managed; the user's other keys are kept.""",
        ),
        Field(
            "tenants",
            checks.set_map(checks.identifier, '{acme.id: ["Tenant Admin"]}'),
            type=TENANT_ROLES,
            sent=Sent.OWN_CALL,
            doc="""Tenant memberships: tenant id -> the user's roles in it (project roles or roles of that
tenant). In each tenant named, the roles named are managed; other tenants and roles are left alone.""",
        ),
        Field(
            "test",
            checks.boolean,
            type=FLAG,
            sent=Sent.CREATE,
            doc="A Descope test user (for smoke tests). Changing it replaces the user.",
        ),
        Field(
            "invite",
            checks.boolean,
            type=FLAG,
            sent=Sent.NEVER,
            doc="Send the invitation (email or SMS) when the user is created; needs email or phone.",
        ),
        checks.provider_flag(
            "adopt",
            """Take over an existing user with this login id instead of failing; destroying the resource
then leaves the user in place and removes only what the program added.""",
        ),
        Field("user_id", output=True, doc="The user id Descope generated."),
        checks.recorded(
            "adopted", "Whether the user existed before (adopted): delete then keeps the user.", type=FLAG
        ),
        checks.recorded(
            "tenants_before",
            "An adopted user's roles in the named tenants when it was adopted: what delete keeps.",
            type=PyType("dict[str, Any]", "dict[str, list[str]] | None"),
        ),
    ),
)
PROFILE_NAMES = tuple(PROFILE)

# Login ids of the Users this program declares (seen by UserProvider.check in this process), so a
# TenantMembership of one of them is not refused before the user exists.
_DECLARED: set[str] = set()
_DECLARED_LOCK = threading.Lock()


def declared_login_ids() -> set[str]:
    with _DECLARED_LOCK:
        return set(_DECLARED)


@dataclass(frozen=True)
class LiveUser:
    """A user in the spec's terms; `tenants` holds every tenant of the user (outputs() narrows it)."""

    login_id: str
    user_id: str
    email: str
    phone: str
    name: str
    given_name: str
    family_name: str
    custom_attributes: dict[str, Any]
    tenants: dict[str, list[str]]
    test: bool
    adopted: bool = False
    tenants_before: dict[str, list[str]] | None = None

    @staticmethod
    def of(user: User, **recorded: Any) -> LiveUser:
        return LiveUser(
            login_id=user.login_id,
            user_id=user.user_id,
            email=user.email,
            phone=user.phone,
            name=user.name,
            given_name=user.given_name,
            family_name=user.family_name,
            custom_attributes=dict(user.custom_attributes),
            tenants=user.tenant_roles(),
            test=user.test,
            **recorded,
        )


def named_roles(live: Mapping[str, list[str]], wanted: Mapping[str, Any]) -> dict[str, list[str]]:
    """The live memberships as far as the program names them: each named tenant the user is in, with
    the named roles it has."""
    if checks.is_unknown(wanted):
        return dict(live)
    return {
        tenant: sorted(set(live[tenant]) & set(roles or []))
        for tenant, roles in wanted.items()
        if tenant in live
    }


def tenant_changes(
    client: DescopeClient,
    login_id: str,
    live: Mapping[str, list[str]],
    wanted: Mapping[str, list[str]],
    dropped: Mapping[str, list[str]],
    before: Mapping[str, list[str]],
) -> None:
    """Bring the named tenants to `wanted` (add what is missing) and take back `dropped` (tenant ->
    roles the program no longer names), keeping what the user had `before` the program managed it
    (a tenant in `before` is never left; a role in it never removed)."""
    for tenant, roles in wanted.items():
        if tenant not in live:
            client.add_user_tenant(login_id, tenant, roles)
        else:
            client.add_user_tenant_roles(login_id, tenant, sorted(set(roles) - set(live[tenant])))
    for tenant, roles in dropped.items():
        if tenant not in live:
            continue
        kept = set(before.get(tenant) or [])
        if tenant not in wanted and tenant not in before and set(live[tenant]) <= set(roles):
            client.remove_user_tenant(login_id, tenant)
        else:
            client.remove_user_tenant_roles(login_id, tenant, sorted((set(roles) & set(live[tenant])) - kept))


def _dropped(old: Mapping[str, list[str]], new: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The tenant roles the program named before and names no more."""
    gone: dict[str, list[str]] = {}
    for tenant, roles in old.items():
        if tenant not in new:
            gone[tenant] = list(roles)
        elif set(roles) - set(new[tenant]):
            gone[tenant] = sorted(set(roles) - set(new[tenant]))
    return gone


def _profile_body(inputs: Mapping[str, Any], live_attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    body = {PROFILE[name][0]: inputs[name] for name in PROFILE_NAMES if inputs.get(name) is not None}
    if inputs.get("custom_attributes") is not None:
        # The user's other keys are carried: a patch replaces the whole map.
        body["customAttributes"] = {**(live_attributes or {}), **inputs["custom_attributes"]}
    return body


class UserProvider(Adopts[LiveUser], DescopeProvider[LiveUser]):
    spec = USER
    unique_fix = "set adopt=True to take that user over, or use TenantMembership for a user you do not own"

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        return f"user {id_ or props.get('login_id')!r}"  # the login id only: no personal data

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        inputs = proposal.inputs
        problems = []
        if inputs.get("invite") is True and not (inputs.get("email") or inputs.get("phone")):
            problems.append(
                ("invite", "invite=True needs an email or phone to send the invitation to; set one")
            )
        if inputs.get("invite") is True and inputs.get("test") is True:
            problems.append(("invite", "a test user is never invited; remove invite=True or test=True"))
        login_id = inputs.get("login_id")
        if isinstance(login_id, str):
            with _DECLARED_LOCK:
                _DECLARED.add(login_id)
        return problems

    def live_id(self, live: LiveUser) -> str:
        return live.login_id

    def outputs(self, live: LiveUser, inputs: Mapping[str, Any]) -> dict[str, Any]:
        outs = super().outputs(live, inputs)
        for name in PROFILE_NAMES:  # personal data only where the program put it
            if inputs.get(name) is None:
                outs[name] = None
        wanted_keys = inputs.get("custom_attributes")
        outs["custom_attributes"] = (
            None
            if wanted_keys is None
            else {
                k: v
                for k, v in live.custom_attributes.items()
                if checks.is_unknown(wanted_keys) or k in wanted_keys
            }
        )
        wanted = inputs.get("tenants")
        outs["tenants"] = None if wanted is None else named_roles(live.tenants, wanted)
        return outs

    def _kept_from_inputs(self, name: str) -> bool:
        # read() needs the program's values to narrow the outputs to what the program sets.
        return True

    def load_live(self, client: DescopeClient, id_: str) -> LiveUser | None:
        user = client.load_user(id_)
        return None if user is None else LiveUser.of(user)

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> LiveUser | None:
        return self.load_live(client, inputs["login_id"])

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> LiveUser:
        body: dict[str, Any] = {
            "loginId": inputs["login_id"],
            **_profile_body(inputs, None),
            "userTenants": [
                {"tenantId": tenant, "roleNames": roles}
                for tenant, roles in (inputs.get("tenants") or {}).items()
            ],
            "invite": bool(inputs.get("invite")),
        }
        return LiveUser.of(client.create_user(body, test=bool(inputs.get("test"))))

    def adopt_remote(self, client: DescopeClient, live: LiveUser, inputs: Mapping[str, Any]) -> LiveUser:
        login_id = live.login_id
        wanted = inputs.get("tenants") or {}
        before = {tenant: sorted(live.tenants[tenant]) for tenant in wanted if tenant in live.tenants}
        body = _profile_body(inputs, live.custom_attributes)
        if body:
            client.patch_user(login_id, body)
        tenant_changes(client, login_id, live.tenants, wanted, {}, before)
        now = client.load_user(login_id)
        if now is None:
            raise NotFoundError(f"user {login_id!r} was deleted while it was being adopted")
        return LiveUser.of(now, adopted=True, tenants_before=before)

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        login_id = update.id
        current = client.load_user(login_id)
        if current is None:
            raise NotFoundError(f"user {login_id!r} does not exist")
        live = LiveUser.of(current)
        changes = update.changes(Sent.PATCH)
        body = _profile_body(changes, live.custom_attributes)
        if body:
            client.patch_user(login_id, body)
        if "tenants" not in update.changed:
            return {}
        previous = _previous_tenants(update.olds)
        wanted = update.inputs.get("tenants") or {}
        before = dict(update.olds.get("tenants_before") or {})
        if update.olds.get("adopted"):
            # A tenant the program names from now on: what the user had there is kept at delete too.
            named_before = set(update.olds.get("tenants_before") or {}) | set(previous)
            before.update(
                {t: sorted(live.tenants[t]) for t in wanted if t in live.tenants and t not in named_before}
            )
        tenant_changes(client, login_id, live.tenants, wanted, _dropped(previous, wanted), before)
        return {"tenants_before": before} if update.olds.get("adopted") else {}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        if not props.get("adopted"):
            return client.delete_user(id_)
        current = client.load_user(id_)
        if current is None:
            return False
        managed = props.get("tenants") or {}
        tenant_changes(client, id_, current.tenant_roles(), {}, managed, props.get("tenants_before") or {})
        return True


def _previous_tenants(olds: Mapping[str, Any]) -> dict[str, list[str]]:
    """The tenant roles the program named at the last apply (the outputs hold the named ones the
    user had; a role removed in the console since is not there, and needs no removing)."""
    return dict(olds.get("tenants") or {})
