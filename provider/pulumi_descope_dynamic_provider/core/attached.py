"""The provider of a per-tenant attached singleton (a tenant's settings, its password policy),
declared: a type is its spec, how to load its live form, and how to write values over it.

Every tenant has one, so there is nothing to create or delete. The resource id is the tenant id;
"create" writes the values the program sets and records every value as it was before (the spec's
one recorded output, e.g. `settings_before`); an update records the value before of each field the
program starts managing; "delete" puts back the recorded values of the fields the program managed
(a field with no record goes back to Descope's default). `write` is a read-overlay-write of the full
body under the tenant's lock (api/overlay.py), so it changes only the fields it is given and carries
every other key. Descope lists none of them: refresh is one load per resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from ..api.errors import NotFoundError
from . import checks
from .abilities import Update
from .fields import Field, PyType, ResourceSpec, Sent
from .provider import MANAGED_INPUTS, DescopeProvider, ResourceError

if TYPE_CHECKING:
    from ..api.client import DescopeClient

Live = TypeVar("Live")


def tenant_singleton_spec(
    type_name: str,
    kind: str,
    *,
    doc: str,
    args_doc: str,
    what: str,
    things: str,
    before: str,
    fields: tuple[Field, ...],
) -> ResourceSpec:
    """The spec of a per-tenant singleton: its `tenant_id` (a change moves `what` to another tenant),
    `fields` (written by full replace), and the output `before` recording the `things` before."""
    tenant = checks.owning_tenant(
        f"""The tenant, as its Tenant resource's `.id` (so the tenant is created first). Changing it
moves the {what} to another tenant (replace)."""
    )
    record = checks.recorded(
        before,
        f"The {things} before this resource managed them: what delete puts back.",
        type=PyType("dict[str, Any]", "dict[str, Any] | None"),
    )
    return ResourceSpec(
        type_name=type_name,
        kind=kind,
        writes=Sent.REPLACE,
        doc=doc,
        args_doc=args_doc,
        example="tenant_id=acme.id",
        id_doc="tenant id",
        fields=(tenant, *fields, record),
    )


class TenantSingletonProvider(DescopeProvider[Live]):
    what: ClassVar[str]  # how messages name it: "password policy" -> "password policy of tenant 'acme'"

    # ---- hooks ---------------------------------------------------------------------------------------

    def load(self, client: DescopeClient, tenant_id: str) -> Live:
        """The tenant's object in the provider's form (a dataclass whose attributes are the spec's
        fields); NotFoundError when the tenant does not exist."""
        raise NotImplementedError

    def write(self, client: DescopeClient, tenant_id: str, values: Mapping[str, Any]) -> tuple[Live, Live]:
        """Write `values` (the provider's form; None = Descope's default) over the live object, under
        the tenant's lock; (before, after). NotFoundError when the tenant does not exist."""
        raise NotImplementedError

    # ---- the rest, the same for every such type ------------------------------------------------------

    @property
    def recorded(self) -> str:
        """The output that records the values before (the spec's one recorded output)."""
        (name,) = self.spec.recorded_names
        return name

    @property
    def names(self) -> tuple[str, ...]:
        """The fields this type writes: every input but the tenant id."""
        return self.spec.names_sent(Sent.REPLACE)

    def values(self, live: Live) -> dict[str, Any]:
        return {name: getattr(live, name) for name in self.names}

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        return f"{self.what} of tenant {id_ or props.get('tenant_id')!r}"

    def live_id(self, live: Live) -> str:
        return str(getattr(live, "tenant_id"))  # noqa: B009 (Live is any dataclass with a tenant_id)

    def load_live(self, client: DescopeClient, id_: str) -> Live | None:
        try:
            return self.load(client, id_)
        except NotFoundError:
            return None  # the tenant was deleted, and its object with it

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Live:
        tenant_id = inputs["tenant_id"]
        try:
            before, after = self.write(client, tenant_id, {n: inputs[n] for n in self.names if n in inputs})
        except NotFoundError:
            raise ResourceError(
                f"{self.label(inputs)} cannot be configured: tenant {tenant_id!r} does not exist in this "
                "Descope project; create it first (pass tenant_id=<the Tenant resource>.id, so Pulumi "
                f"creates the tenant before its {self.what})"
            ) from None
        # Every value before: a field the program starts managing later is put back too.
        recorded: Live = replace(cast(Any, after), **{self.recorded: self.values(before)})  # a dataclass
        return recorded

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        before, after = self.write(client, update.id, update.changes(Sent.REPLACE))
        # A field the program manages from now on: its value now is what delete puts back.
        record = dict(update.olds.get(self.recorded) or {})
        previously_managed = set(update.olds.get(MANAGED_INPUTS) or [])
        was = self.values(before)
        record.update({name: was[name] for name in update.changed if name not in previously_managed})
        return {**self.values(after), self.recorded: record}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        record = props.get(self.recorded) or {}
        managed = [name for name in props.get(MANAGED_INPUTS) or [] if name in self.names]
        if not managed:
            return True  # this resource changed nothing, so there is nothing to put back
        try:
            self.write(client, id_, {name: record.get(name) for name in managed})
        except NotFoundError:
            return False  # the tenant is gone, and its object with it
        return True
