"""The provider behind `pulumi_descope_dynamic.Role`: a project role, or a tenant-scoped role.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.role.RoleProvider` is written into users'
stack state; never rename or move it.

The resource id is Descope's role id, so a rename is an update in place (users keep the role). The
role API has no patch: an update reads the role list (one request), overlays the changed fields and
replaces the role by id (one request), so a field this program does not manage keeps its live value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from .api.client import DescopeClient
from .api.roles import BUILT_IN_ROLES, Role, RoleFields
from .core import checks
from .core.abilities import Adopts, Lists, Proposal, Update
from .core.fields import FLAG, NUMBER, TEXT_LIST, Field, PyType, ResourceSpec, Sent
from .core.provider import DescopeProvider

ROLE = ResourceSpec(
    type_name="Role",
    kind="role",
    writes=Sent.REPLACE,
    doc="""A Descope role (type token `pulumi-python:dynamic/descope:Role`).

```python
read = descope.Permission("read", name="Read invoices")
admin = descope.Role("acme-admin", name="Admin", tenant_id=acme.id, permission_names=[read.name])
```""",
    args_doc="The inputs of a Descope role. An input left as None is not managed: its live value is kept.",
    example='name="Admin"',
    id_doc="its id (ROL...)",
    fields=(
        Field(
            "name",
            checks.required_name("Admin"),
            required=True,
            doc="""The role's name, unique in its scope (the project, or its tenant). Changing it renames the
role in place: users who hold it keep it.""",
        ),
        Field("description", checks.description, doc="What the role allows."),
        Field(
            "permission_names",
            checks.string_set,
            type=TEXT_LIST,
            doc="""Names of the permissions the role grants (a set; the permissions must exist). Refer to
Permission resources as `perm.name` so they are created first.""",
        ),
        # None = a project role. Names are unique per scope, so a new scope replaces the role.
        Field(
            "tenant_id",
            checks.identifier,
            type=PyType("str", "str | None"),
            live="scope_tenant_id",
            sent=Sent.CREATE,
            doc="""The tenant of a tenant-scoped role (e.g. `acme.id`); None for a project role. Changing it
replaces the role.""",
        ),
        Field("default", checks.boolean, type=FLAG, doc="Give the role to new users by default."),
        Field(
            "private",
            checks.boolean,
            type=FLAG,
            doc="Hide the role from tenant admins (only project admins can assign it).",
        ),
        Field(
            "adopt",
            checks.boolean,
            type=FLAG,
            sent=Sent.NEVER,
            doc="""Take over an existing role with this name in this scope instead of failing (also how a
built-in role such as "Tenant Admin" is managed: destroy then leaves it in place).""",
        ),
        Field(
            "role_id", output=True, live="id", doc="Descope's id of the role (ROL...), also the resource id."
        ),
        Field("created_time", output=True, type=NUMBER, doc="When Descope created the role (epoch seconds)."),
    ),
)
_SENT = ROLE.names_sent(Sent.REPLACE)


def _as_set(role: RoleFields) -> RoleFields:
    return role.model_copy(update={"permission_names": sorted(role.permission_names)})


class RoleProvider(Lists[Role], Adopts[Role], DescopeProvider[Role]):
    spec = ROLE
    unique_fix = "choose another name (role names are unique per tenant, or in the project)"

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        tenant = props.get("tenant_id")
        scope = f" of tenant {tenant!r}" if tenant and not checks.is_unknown(tenant) else ""
        return f"role {props.get('name') or id_!r}{scope}"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        name = proposal.inputs.get("name")
        if name in BUILT_IN_ROLES and not proposal.inputs.get("adopt"):
            return [
                (
                    "name",
                    f"{name!r} is a built-in Descope role: it exists already and cannot be created. Set "
                    "adopt=True to manage it (destroy then leaves it in place), or reference it by name",
                )
            ]
        return []

    def list_live(self, client: DescopeClient) -> list[Role]:
        return client.load_all_roles()

    def live_id(self, live: Role) -> str:
        return live.id

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Role | None:
        return client.find_role(inputs["name"], inputs.get("tenant_id") or "")

    def _desired(self, inputs: Mapping[str, Any], base: Role | None) -> RoleFields:
        """The full role to send: the managed inputs over `base` (the live role), defaults where
        there is none."""
        current = base.model_dump(include=set(RoleFields.model_fields)) if base else {}
        managed = {name: inputs[name] for name in _SENT if name in inputs}
        return RoleFields.model_validate({**current, **managed, "tenant_id": inputs.get("tenant_id") or ""})

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Role:
        return client.create_role(self._desired(inputs, None))

    def adopt_remote(self, client: DescopeClient, live: Role, inputs: Mapping[str, Any]) -> Role:
        desired = self._desired(inputs, live)
        current = RoleFields.model_validate(live.model_dump(include=set(RoleFields.model_fields)))
        # permission_names is a set: Descope's order is not a difference (adopting must not write).
        if _as_set(desired) != _as_set(current):
            client.update_role(live.id, desired)
        return live.model_copy(update=desired.model_dump())

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        client.update_role(update.id, self._desired(update.inputs, self.listed_now(client, update.id)))
        return {}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        if props.get("name") in BUILT_IN_ROLES:
            pulumi.log.info(
                f"descope: {self.label(props, id_)} is a built-in role: it is left in place in Descope "
                "and only removed from the stack"
            )
            return True
        return client.delete_role(id_, props.get("tenant_id") or "")
