"""The provider behind `pulumi_descope_dynamic.AccessKey`: a Descope access key (machine credential).

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.access_key.AccessKeyProvider` is written into
every user's stack state and imported again at refresh and destroy time. Never rename or move it.

The cleartext exists only in the create and rotate answers. It becomes the `cleartext` output, which
the sdk class declares a secret (`additional_secret_outputs`), so the engine encrypts it in state; read()
cannot see it and carries it over from the previous outputs. It never appears in a log or an error.

Choices:
- `expire_time` and `user_id` cannot change in Descope: a change replaces the key. Left out,
  `expire_time` means "never" (0), so removing it is a change too.
- A replacement is created before the old key is deleted (`delete_before_replace = False`): names are
  not unique, so both can exist for a moment, and whatever consumes `cleartext` is updated to the new
  key before the old one stops working.
- A change of `rotation_triggers` rotates the key in place: new cleartext, the old one revoked at once.
- Adoption does not apply (an existing key's cleartext cannot be obtained), not even with
  `descope:adoptExisting=true`: a create always makes a new key.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi

from .api.access_keys import AccessKey, AccessKeyRequest
from .api.errors import DescopeError, NotFoundError
from .core import checks
from .core.abilities import Lists, Proposal, Update
from .core.fields import ANY, ANY_MAP, FLAG, NUMBER, TEXT_LIST, Field, PyType, ResourceSpec, Sent
from .core.provider import MANAGED_INPUTS, DescopeProvider, ResourceError, roll_back_create

if TYPE_CHECKING:
    from .api.client import DescopeClient

__all__ = ["ACCESS_KEY", "SECRET_OUTPUTS", "AccessKeyProvider"]


ACCESS_KEY = ResourceSpec(
    type_name="AccessKey",
    kind="access key",
    doc="""A Descope access key (type token `pulumi-python:dynamic/descope:AccessKey`).

```python
import pulumi_descope_dynamic as descope
key = descope.AccessKey("billing-ci", name="billing CI", tenant_roles={"acme": ["Tenant Admin"]})
pulumi.export("billing_ci_key", key.cleartext)  # a secret output
```""",
    args_doc="""The inputs of a Descope access key. An input left as None is not managed by the program (on
update its current value in Descope is kept), except `expire_time`, where None means "never", and
`user_id`, where None means "not bound to a user".""",
    example='name="billing CI"',
    id_doc="its id (its outputs only; `cleartext` is None, as Descope never shows it again). Fails when no "
    "key has that id",
    fields=(
        Field(
            "name",
            checks.required_name("ci-deployer"),
            required=True,
            doc="Display name (required). Names need not be unique.",
        ),
        Field("description", checks.description, doc="Free text shown in the Descope console."),
        Field(
            "expire_time",
            checks.epoch_seconds,
            type=PyType("str | int", "int"),
            sent=Sent.CREATE,
            absent=0,  # never expires: removing it is a change (a new key)
            doc="""When the key expires: an ISO 8601 date or date/time ("2027-01-31", "2027-01-31T18:00:00Z";
UTC when no zone is given) or epoch seconds; must be in the future. None: never. Descope cannot
change it, so changing it replaces the key (a new key, a new cleartext).""",
            output_doc="Epoch seconds; 0 = never.",
        ),
        Field(
            "role_names",
            checks.string_set,
            type=TEXT_LIST,
            doc="Project roles of the key. Excludes tenant_roles.",
        ),
        Field(
            "tenant_roles",
            checks.set_map(checks.identifier, '{"acme": ["Tenant Admin"]}'),
            type=PyType("Mapping[str, Sequence[str]]", "dict[str, list[str]]"),
            doc="""Roles of the key per tenant: tenant id -> role names (project roles or roles of that
tenant). Excludes role_names (checked at preview).""",
        ),
        Field(
            "user_id",
            checks.identifier,
            live="bound_user_id",
            sent=Sent.CREATE,
            absent=None,
            doc="""Bind the key to this user; None (left out): not bound. Descope cannot change it, so
changing it, or removing it, replaces the key.""",
        ),
        Field(
            "permitted_ips",
            checks.cidr_set,
            type=TEXT_LIST,
            doc="""IP addresses and CIDR ranges the key may be used from (IPv4 or IPv6; validated, stored
canonical and sorted); any when empty.""",
        ),
        Field(
            "custom_claims",
            checks.json_map,
            type=ANY_MAP,
            doc="Claims added to the session tokens the key exchanges for (any JSON values).",
        ),
        Field(
            "custom_attributes",
            checks.attribute_map,
            type=ANY_MAP,
            doc="Values of access-key custom attributes defined in the Descope console.",
        ),
        Field(
            "disabled",
            checks.boolean,
            type=FLAG,
            sent=Sent.OWN_CALL,
            doc="Deactivate the key (it stays, and can be activated again).",
        ),
        Field(
            "rotation_triggers",
            checks.any_json,
            type=ANY,
            sent=Sent.OWN_CALL,
            returned=False,
            doc="""Any value; when it changes, the key is rotated in place: a new cleartext, and the old one
stops working at once. E.g. rotation_triggers={"rotated": "2026-11"}.""",
        ),
        Field("key_id", live="id", output=True, doc="The key's id (also the resource id)."),
        Field("client_id", output=True),
        Field("status", output=True, doc='"active", "inactive" or "expired".'),
        Field("created_time", output=True, type=NUMBER, doc="When Descope created the key (epoch seconds)."),
        checks.recorded(
            "cleartext",
            """The key's secret, to hand to whatever calls Descope with it. A secret output: encrypted in
state. Changes when the key is replaced or rotated.""",
            secret=True,
        ),
    ),
)
# Declared secret by the sdk class; the engine encrypts them in state.
SECRET_OUTPUTS = ACCESS_KEY.secret_names
# Inputs Descope's update changes in place (patch-like); tenant_roles goes on the wire as keyTenants.
_UPDATABLE = ACCESS_KEY.names_sent(Sent.PATCH)


def _key_tenants(tenant_roles: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    return [{"tenant_id": tenant, "role_names": list(roles)} for tenant, roles in tenant_roles.items()]


def _create_request(inputs: Mapping[str, Any]) -> AccessKeyRequest:
    return AccessKeyRequest.model_validate(
        {
            "name": inputs["name"],
            "description": inputs.get("description") or "",
            "expire_time": inputs.get("expire_time") or 0,
            "role_names": inputs.get("role_names") or [],
            "key_tenants": _key_tenants(inputs.get("tenant_roles") or {}),
            "user_id": inputs.get("user_id") or "",
            "permitted_ips": inputs.get("permitted_ips") or [],
            "custom_claims": inputs.get("custom_claims") or {},
            "custom_attributes": inputs.get("custom_attributes") or {},
        }
    )


def _update_changes(inputs: Mapping[str, Any], changed: list[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in changed:
        if name in _UPDATABLE:
            value = inputs[name]
            if name == "tenant_roles":
                changes["key_tenants"] = _key_tenants(value)
            else:
                changes[name] = value
    # Project roles and tenant roles exclude each other in Descope: setting one clears the other, so
    # switching a key from one to the other works even when the program no longer sets the old one.
    if changes.get("role_names"):
        changes.setdefault("key_tenants", [])
    if changes.get("key_tenants"):
        changes.setdefault("role_names", [])
    return changes


class AccessKeyProvider(Lists[AccessKey], DescopeProvider[AccessKey]):
    """check/diff/create/read/update/delete of one Descope access key."""

    spec = ACCESS_KEY
    unique_fix = "check the key's inputs"
    delete_before_replace = False  # see the module docstring

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        name = props.get("name")
        if id_ and name:
            return f"access key {name!r} ({id_})"
        return f"access key {name or id_!r}"

    # ---- preview ----------------------------------------------------------------------------------

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        problems = []
        role_names, tenant_roles = proposal.inputs.get("role_names"), proposal.inputs.get("tenant_roles")
        if (
            role_names
            and tenant_roles
            and not (checks.is_unknown(role_names) or checks.is_unknown(tenant_roles))
        ):
            problems.append(
                (
                    "tenant_roles",
                    "role_names and tenant_roles exclude each other: give the key project roles "
                    "(role_names) or roles in tenants (tenant_roles), not both",
                )
            )
        # expire_time must be in the future when it is set or changed, but a key created earlier may
        # expire while its program stays the same, and that program must keep previewing cleanly.
        expire_time = proposal.inputs.get("expire_time")
        if (
            isinstance(expire_time, int)
            and expire_time
            and expire_time != proposal.olds.get("expire_time")
            and expire_time <= time.time()
        ):
            now = int(time.time())
            problems.append(
                (
                    "expire_time",
                    f"expire_time {proposal.given.get('expire_time')!r} ({expire_time}) is not in the future "
                    f"(now {now}); set a later time, or leave expire_time out for a key that never expires",
                )
            )
        return problems

    # ---- live state -------------------------------------------------------------------------------

    def list_live(self, client: DescopeClient) -> list[AccessKey]:
        return client.search_access_keys()  # no filter: every key of the project, one request

    def live_id(self, live: AccessKey) -> str:
        return live.id

    def load_live(self, client: DescopeClient, id_: str) -> AccessKey | None:
        try:
            return client.load_access_key(id_)
        except NotFoundError:
            return None

    def outputs(self, live: AccessKey, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # Overridden for the cleartext, which only the create and rotate answers hold.
        outs = {f.name: f.output_from(live, inputs) for f in self.spec.fields if f.name != "cleartext"}
        outs["cleartext"] = live.cleartext.get_secret_value() if live.cleartext is not None else None
        if live.status == "expired" and inputs.get("disabled") is not None:
            # An expired key's status hides whether it is also deactivated: keep the program's value.
            outs["disabled"] = inputs["disabled"]
        outs[MANAGED_INPUTS] = sorted(inputs)
        return outs

    def _kept_from_inputs(self, name: str) -> bool:
        # read() hands outputs() the previous `disabled` too: it is needed for expired keys (above).
        return name == "disabled" or super()._kept_from_inputs(name)

    def gone_hint(self) -> str:
        return (
            " with a NEW cleartext: whatever uses the old one must be given the new `cleartext` output "
            "(resources that take it from this output are updated by that `pulumi up`)"
        )

    # ---- apply ------------------------------------------------------------------------------------

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> AccessKey:
        key = client.create_access_key(_create_request(inputs))
        if inputs.get("disabled"):
            # A key is created active; deactivating it is a second call. Create is all or nothing.
            try:
                client.set_access_key_active(key.id, False)
            except DescopeError as exc:
                roll_back_create(
                    self.label({"name": key.name}, key.id),
                    lambda: client.delete_access_key(key.id),
                    exc,
                    step="deactivating it",
                    fix="Delete it in the Descope console, then rerun",
                    removing="deleting",
                )
            key = key.model_copy(update={"status": "inactive"})
        return key

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        id_, olds, inputs, changed = update.id, update.olds, update.inputs, list(update.changed)
        label = self.label(inputs, id_)
        outs: dict[str, Any] = {}
        changes = _update_changes(inputs, changed)
        if changes:
            # Descope's update is patch-like (fields left out are unchanged) but wants the name always.
            key = client.update_access_key(id_, inputs.get("name") or olds["name"], changes)
            outs.update(self.outputs(key, inputs))
            del outs["cleartext"], outs[MANAGED_INPUTS]
        if "disabled" in changed:
            client.set_access_key_active(id_, not inputs["disabled"])
            outs["disabled"] = inputs["disabled"]
            if (outs.get("status") or olds.get("status")) != "expired":
                outs["status"] = "inactive" if inputs["disabled"] else "active"
        if "rotation_triggers" in changed:
            try:
                rotated = client.rotate_access_key(id_)
            except NotFoundError:
                raise
            except DescopeError as exc:
                raise ResourceError(
                    f"{label} was not rotated: {exc}. If a rotation reached Descope, the cleartext in the "
                    "stack no longer works: run `pulumi up` again, which rotates the key again"
                ) from None
            assert rotated.cleartext is not None
            outs["cleartext"] = rotated.cleartext.get_secret_value()
            pulumi.log.info(f"descope: {label} was rotated: its old cleartext no longer works")
        return outs

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        return client.delete_access_key(id_)
