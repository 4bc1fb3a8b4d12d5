"""The provider behind `pulumi_descope_dynamic.Permission`.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.permission.PermissionProvider` is written
into users' stack state; never rename or move it.

The resource id is Descope's permission id, so a rename is an update in place. Deleting a
permission removes it from every role that granted it (Descope does that): those roles' next refresh
shows it. The system permissions exist in every project and are refused at preview.
"""

from __future__ import annotations

from .api.permissions import PERMISSIONS, SYSTEM_PERMISSIONS, Permission
from .core import checks
from .core.abilities import Proposal
from .core.fields import Field, ResourceSpec, Sent
from .core.objects import SimpleObjectProvider

PERMISSION = ResourceSpec(
    type_name="Permission",
    kind="permission",
    writes=Sent.REPLACE,
    doc="""A Descope permission (type token `pulumi-python:dynamic/descope:Permission`). Deleting it
removes it from every role that grants it.""",
    args_doc="The inputs of a Descope permission.",
    example='name="Read invoices"',
    fields=(
        Field(
            "name",
            checks.required_name("Read invoices"),
            required=True,
            doc="""The permission's name, unique in the project. Changing it renames it in place. The system
permissions ("Impersonate", "User Admin", "SSO Admin") exist already: reference them by name.""",
        ),
        Field(
            "description",
            checks.description,
            doc="What the permission allows; None keeps the live description.",
        ),
        checks.provider_flag(
            "adopt",
            "Take over an existing permission with this name instead of failing.",
        ),
        Field(
            "permission_id",
            output=True,
            live="id",
            doc="Descope's id of the permission, also the resource id.",
        ),
    ),
)


class PermissionProvider(SimpleObjectProvider[Permission]):
    spec = PERMISSION
    api = PERMISSIONS
    unique_fix = "choose another name (permission names are unique in a project)"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        name = proposal.inputs.get("name")
        if name in SYSTEM_PERMISSIONS:
            return [
                (
                    "name",
                    f"{name!r} is a Descope system permission: it exists in every project and cannot be "
                    "created or deleted; do not declare it, reference it by name in Role.permission_names",
                )
            ]
        return []
