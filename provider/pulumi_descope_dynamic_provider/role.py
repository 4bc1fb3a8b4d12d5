"""The provider behind `pulumi_descope_dynamic.Role`: a project role, or a tenant-scoped role.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.role.RoleProvider` is written into users'
stack state; never rename or move it.

The resource id is Descope's role id, so a rename is an update in place (users keep the role). The
role API has no patch: an update reads the role list (one request), overlays the changed fields and
replaces the role by id (one request), so a field this program does not manage keeps its live value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi

from .api.roles import BUILT_IN_ROLES, ROLES, Role
from .core import checks
from .core.abilities import Proposal
from .core.fields import FLAG, NUMBER, TEXT_LIST, Field, ResourceSpec, Sent
from .core.objects import SimpleObjectProvider

if TYPE_CHECKING:
    from .api.client import DescopeClient

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
        # Left out = a project role. Names are unique per scope, so a new scope replaces the role.
        checks.optional_at_creation(
            "tenant_id",
            checks.identifier,
            """The tenant of a tenant-scoped role (e.g. `acme.id`); None (left out) for a project role.
The scope is part of the role's identity: changing it, or removing it, replaces the role.""",
            live="scope_tenant_id",
        ),
        Field("default", checks.boolean, type=FLAG, doc="Give the role to new users by default."),
        Field(
            "private",
            checks.boolean,
            type=FLAG,
            doc="Hide the role from tenant admins (only project admins can assign it).",
        ),
        checks.provider_flag(
            "adopt",
            """Take over an existing role with this name in this scope instead of failing (also how a
built-in role such as "Tenant Admin" is kept in the stack: with its name only, as Descope refuses any
update of it; destroy then leaves it in place).""",
        ),
        Field(
            "role_id", output=True, live="id", doc="Descope's id of the role (ROL...), also the resource id."
        ),
        Field("created_time", output=True, type=NUMBER, doc="When Descope created the role (epoch seconds)."),
    ),
)
_SENT = ROLE.names_sent(Sent.REPLACE)


class RoleProvider(SimpleObjectProvider[Role]):
    spec = ROLE
    api = ROLES
    unique_fix = "choose another name (role names are unique per tenant, or in the project)"

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        tenant = props.get("tenant_id")
        scope = f" of tenant {tenant!r}" if tenant and not checks.is_unknown(tenant) else ""
        return f"role {props.get('name') or id_!r}{scope}"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        name, old_name = proposal.inputs.get("name"), proposal.olds.get("name")
        if old_name in BUILT_IN_ROLES and name != old_name and not checks.is_unknown(name):
            return [
                (
                    "name",
                    f"{old_name!r} is a built-in Descope role and Descope refuses to rename it; keep "
                    f"name={old_name!r}, and declare another Role for the new name",
                )
            ]
        if name not in BUILT_IN_ROLES:
            return []
        if not proposal.inputs.get("adopt"):
            return [
                (
                    "name",
                    f"{name!r} is a built-in Descope role: it exists already and cannot be created. Set "
                    "adopt=True to keep it in the stack (destroy then leaves it in place), or reference it "
                    "by name",
                )
            ]
        # Descope refuses any update of a built-in role, even one restating its values (400 E024214
        # "version conflict", terraform-provider-descope #377): an input that would be sent is refused
        # here, before any request, rather than failing half-way through `up`.
        return [
            (
                field,
                f'{name!r} is a built-in Descope role and Descope refuses any update of it ("version '
                f'conflict"), so {field} cannot be managed: remove {field} from this Role (with name and '
                "adopt=True alone it is kept in the stack as it is in Descope), or declare a role of your "
                "own with the permissions you need",
            )
            for field in _SENT
            if field != "name" and proposal.inputs.get(field) is not None
        ]

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        if props.get("name") in BUILT_IN_ROLES:
            pulumi.log.info(
                f"descope: {self.label(props, id_)} is a built-in role: it is left in place in Descope "
                "and only removed from the stack"
            )
            return True
        return super().delete_remote(client, id_, props)
