"""The provider behind `pulumi_descope_dynamic.TenantMembership`: one existing user (by login id) in
one tenant, with a set of tenant roles, for people whose user the program does not own.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.tenant_membership.TenantMembershipProvider`
is written into users' stack state; never rename or move it.

The resource id is "<tenant id>/<login id>". Create adds the user to the tenant (or only the roles
missing, when it is already a member) and records what was there before (`member_before`,
`roles_before`); delete removes exactly what it added: the roles it added, and the membership when
the user was not a member before (and has no roles in the tenant beyond the ones this resource
added). It never creates a user: an unknown login id is refused at preview (check() loads it, once
per login id per process; a login id a `User` of the same program declares is not looked up).

Refresh: the user is loaded (one GET per membership). The roles shown are the named ones the user
has, so a role removed in the console is drift that `up` puts back, and a role the console added is
not this resource's concern. A user no longer in the tenant: the membership is gone, `up` adds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .api.errors import NotFoundError
from .core import checks
from .core.abilities import Proposal, Update
from .core.fields import FLAG, TEXT_LIST, Field, ResourceSpec, Sent
from .core.provider import DescopeProvider, ResourceError
from .user import declared_login_ids, login_id_check, tenant_changes

if TYPE_CHECKING:
    from .api.client import DescopeClient

__all__ = ["TENANT_MEMBERSHIP", "TenantMembershipProvider"]

TENANT_MEMBERSHIP = ResourceSpec(
    type_name="TenantMembership",
    kind="tenant membership",
    writes=Sent.PATCH,
    doc="""An existing user in a tenant with tenant roles (type token
`pulumi-python:dynamic/descope:TenantMembership`), for a user the program does not own (a support
engineer). It never creates the user, and deleting it removes only what it added.

```python
descope.TenantMembership("acme-support", tenant_id=acme.id, login_id="support@vendor.example",
                         roles=["Support"])
```""",
    args_doc="The user, the tenant and the roles it must have there.",
    example='tenant_id=acme.id, login_id="support@vendor.example"',
    id_doc='"<tenant>/<login id>"',
    fields=(
        checks.owning_tenant(
            "The tenant, as its Tenant resource's `.id`. Changing it replaces the membership."
        ),
        Field(
            "login_id",
            login_id_check,
            required=True,
            sent=Sent.CREATE,
            doc="The login id of an existing user. Changing it replaces the membership.",
        ),
        Field(
            "roles",
            checks.string_set,
            type=TEXT_LIST,
            doc="""Tenant roles the user must have in the tenant (project roles or roles of that tenant).
Roles the user has beyond these are left alone.""",
        ),
        Field("user_id", output=True, doc="The user's id."),
        checks.recorded(
            "member_before",
            "Whether the user was in the tenant before this resource: delete then keeps the membership.",
            type=FLAG,
        ),
        checks.recorded(
            "roles_before",
            "The named roles the user already had in the tenant: delete keeps them.",
            type=TEXT_LIST,
        ),
    ),
)


@dataclass(frozen=True)
class LiveMembership:
    tenant_id: str
    login_id: str
    user_id: str
    roles: list[str]  # every role of the user in the tenant (outputs() narrows it)
    member_before: bool = False
    roles_before: list[str] | None = None


def _split(id_: str) -> tuple[str, str]:
    tenant_id, _, login_id = id_.partition("/")
    return tenant_id, login_id


class TenantMembershipProvider(DescopeProvider[LiveMembership]):
    spec = TENANT_MEMBERSHIP

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        tenant_id, login_id = _split(id_) if id_ else (props.get("tenant_id"), props.get("login_id"))
        return f"membership of user {login_id!r} in tenant {tenant_id!r}"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        login_id = proposal.inputs.get("login_id")
        if not isinstance(login_id, str) or login_id in declared_login_ids():
            return []
        try:
            api = self._api()
        except ResourceError:
            return []  # no credentials at preview: `up` finds out
        user = api.once(f"user {login_id}", lambda: api.client.load_user(login_id) or False)
        if user is False:
            return [
                (
                    "login_id",
                    f"no user with login id {login_id!r} exists in this Descope project, and a "
                    "TenantMembership never creates one: fix the login id, create the user first (in the "
                    f'console, or as descope.User("...", login_id="{login_id}", ...) in this program), '
                    "then run `pulumi up` again",
                )
            ]
        return []

    def live_id(self, live: LiveMembership) -> str:
        return f"{live.tenant_id}/{live.login_id}"

    def outputs(self, live: LiveMembership, inputs: Mapping[str, Any]) -> dict[str, Any]:
        outs = super().outputs(live, inputs)
        wanted = inputs.get("roles")
        outs["roles"] = None if wanted is None else sorted(set(live.roles) & set(wanted))
        return outs

    def _kept_from_inputs(self, name: str) -> bool:
        return True  # read() needs the program's roles to narrow the live ones

    def load_live(self, client: DescopeClient, id_: str) -> LiveMembership | None:
        tenant_id, login_id = _split(id_)
        user = client.load_user(login_id)
        if user is None or tenant_id not in user.tenant_roles():
            return None
        return LiveMembership(tenant_id, login_id, user.user_id, user.tenant_roles()[tenant_id])

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> LiveMembership:
        tenant_id, login_id = inputs["tenant_id"], inputs["login_id"]
        user = client.load_user(login_id)
        if user is None:
            raise ResourceError(
                f"{self.label(inputs)} was not created: no user with login id {login_id!r} exists, and a "
                "TenantMembership never creates one; create the user first, or fix the login id"
            )
        live = user.tenant_roles()
        wanted = sorted(inputs.get("roles") or [])
        member_before = tenant_id in live
        roles_before = sorted(set(live.get(tenant_id) or []) & set(wanted))
        tenant_changes(client, login_id, live, {tenant_id: wanted}, {}, {})
        return LiveMembership(
            tenant_id,
            login_id,
            user.user_id,
            sorted(set(live.get(tenant_id) or []) | set(wanted)),
            member_before=member_before,
            roles_before=roles_before,
        )

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        tenant_id, login_id = _split(update.id)
        user = client.load_user(login_id)
        if user is None or tenant_id not in user.tenant_roles():
            raise NotFoundError(f"{self.label({}, update.id)} does not exist")
        wanted = sorted(update.inputs.get("roles") or [])
        previous = set(update.olds.get("roles") or [])
        dropped = sorted(previous - set(wanted))
        live = user.tenant_roles()
        # A role named from now on that the user already has: kept at delete, as at create.
        had = set(update.olds.get("roles_before") or []) | ((set(wanted) - previous) & set(live[tenant_id]))
        before = {tenant_id: sorted(had)}
        # The tenant stays (it is named); only roles are added or taken back.
        tenant_changes(client, login_id, live, {tenant_id: wanted}, {tenant_id: dropped}, before)
        return {"roles_before": sorted(had)}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        tenant_id, login_id = _split(id_)
        user = client.load_user(login_id)
        if user is None or tenant_id not in user.tenant_roles():
            return False
        added = sorted(set(props.get("roles") or []) - set(props.get("roles_before") or []))
        before = {tenant_id: list(props.get("roles_before") or [])} if props.get("member_before") else {}
        tenant_changes(client, login_id, user.tenant_roles(), {}, {tenant_id: added}, before)
        return True
