"""The provider behind `pulumi_descope_dynamic.Permission`.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.permission.PermissionProvider` is written
into users' stack state; never rename or move it.

The resource id is Descope's permission id, so a rename is an update in place. Deleting a
permission removes it from every role that granted it (Descope does that): those roles' next refresh
shows it. The system permissions exist in every project and are refused at preview.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .api.client import DescopeClient
from .api.permissions import SYSTEM_PERMISSIONS, Permission, PermissionFields
from .core import checks
from .core.abilities import Adopts, Lists, Proposal, Update
from .core.fields import FLAG, Field, ResourceSpec, Sent
from .core.provider import DescopeProvider

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
        Field(
            "adopt",
            checks.boolean,
            type=FLAG,
            sent=Sent.NEVER,
            doc="Take over an existing permission with this name instead of failing.",
        ),
        Field(
            "permission_id",
            output=True,
            live="id",
            doc="Descope's id of the permission, also the resource id.",
        ),
    ),
)


class PermissionProvider(Lists[Permission], Adopts[Permission], DescopeProvider[Permission]):
    spec = PERMISSION
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

    def list_live(self, client: DescopeClient) -> list[Permission]:
        return client.load_all_permissions()

    def live_id(self, live: Permission) -> str:
        return live.key

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Permission | None:
        return client.find_permission(inputs["name"])

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Permission:
        return client.create_permission(
            PermissionFields(name=inputs["name"], description=inputs.get("description") or "")
        )

    def _update(self, client: DescopeClient, live: Permission, inputs: Mapping[str, Any]) -> Permission:
        # A full replace: a description this program does not manage keeps its live value.
        desired = PermissionFields(
            name=inputs["name"], description=inputs.get("description", live.description)
        )
        if desired != PermissionFields(name=live.name, description=live.description):
            client.update_permission(live, desired)
        return live.model_copy(update=desired.known())

    def adopt_remote(self, client: DescopeClient, live: Permission, inputs: Mapping[str, Any]) -> Permission:
        return self._update(client, live, inputs)

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        self._update(client, self.listed_now(client, update.id), update.inputs)
        return {}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        live = Permission(id=id_ if id_ != props.get("name") else "", name=props.get("name") or id_)
        return client.delete_permission(live)
