"""The provider behind `pulumi_descope_dynamic.TenantAttribute`, and the preview-time check of
`Tenant.custom_attributes` against attribute definitions.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.tenant_attribute.TenantAttributeProvider`
is written into users' stack state; never rename or move it.

The resource id is the attribute's machine name (`name`, the key tenants use). The API overwrites
an attribute whole, so a write carries the keys this code does not model. Which definitions a
tenant's check knows (README, "Tenant custom attributes"): the ones TenantAttribute.check saw in
this plugin process (the program declares them; the tenant must depend on them to be checked after
them). check() sends no request. In a program that declares tenant attributes, before a tenant
write each other key is looked up in Descope (one GET per key per process) and the write is not sent
when the key is undefined or a value does not fit; a program that declares none leaves that to
Descope (no extra request).
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import ReadResult

from .api.errors import AlreadyExistsError, DescopeError, NotFoundError
from .api.tenant_attributes import ATTRIBUTE_TYPES, TenantAttribute
from .api.tenants import Tenant
from .core import checks
from .core.abilities import Adopts, Lists, Proposal, Update
from .core.fields import TEXT_LIST, Field, ResourceSpec, Sent
from .core.provider import DescopeProvider, ResourceError

if TYPE_CHECKING:
    from .api.client import DescopeClient

SELECTS = ("singleselect", "multiselect")
_MACHINE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\Z")
MAX_MACHINE_NAME = 20  # the official Terraform provider's limit


def _machine_name(prop: str, value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, f'{prop} is required: the key tenants use in custom_attributes, e.g. {prop}="plan"'
    if not isinstance(value, str) or not _MACHINE_NAME.match(value) or len(value) > MAX_MACHINE_NAME:
        return None, (
            f"{prop} must be a machine name of at most {MAX_MACHINE_NAME} letters, digits and '_', "
            f'starting with a letter (e.g. "plan", "seatCount"); got {value!r}'
        )
    return value, None


TENANT_ATTRIBUTE = ResourceSpec(
    type_name="TenantAttribute",
    kind="tenant attribute",
    writes=Sent.REPLACE,
    doc="""A tenant custom attribute definition (type token `pulumi-python:dynamic/descope:TenantAttribute`):
the key `Tenant.custom_attributes` uses, its type and, for a select, its options.

```python
plan = descope.TenantAttribute("plan", name="plan", display_name="Plan", type="singleselect",
                               select_options=["free", "pro", "enterprise"])
acme = descope.Tenant("acme", name="Acme", custom_attributes={"plan": "pro"},
                      opts=pulumi.ResourceOptions(depends_on=[plan]))
```""",
    args_doc="The inputs of a tenant custom attribute definition.",
    example='name="plan", display_name="Plan", type="string"',
    id_doc="its machine name",
    fields=(
        Field(
            "name",
            _machine_name,
            required=True,
            sent=Sent.CREATE,
            doc="""The machine name: the key tenants use in custom_attributes, and the resource id. Changing
it replaces the attribute (the old one is deleted: see clear_tenant_values).""",
        ),
        Field(
            "display_name",
            checks.required_name("Plan"),
            required=True,
            doc="The name the Descope console shows.",
        ),
        Field(
            "type",
            checks.required(checks.one_of(*ATTRIBUTE_TYPES), '"string"'),
            required=True,
            doc="""What a value is: "string", "number", "boolean", "date" ("YYYY-MM-DD"), "singleselect"
(one of select_options) or "multiselect" (a list of select_options).""",
        ),
        Field(
            "select_options",
            checks.string_set,
            type=TEXT_LIST,
            live="options",
            doc="The options of a singleselect or multiselect attribute (a set).",
        ),
        checks.provider_flag(
            "clear_tenant_values",
            """Consent to deleting the attribute while tenants hold values for it: Descope then drops
those values (the emulator does; see the README). Without it such a delete fails, naming the tenants,
before anything is deleted. Set it, run `pulumi up`, then remove the resource.""",
        ),
        checks.provider_flag(
            "adopt",
            "Take over an existing attribute with this name instead of failing.",
        ),
    ),
)


# ---- what a tenant's check knows about attributes ------------------------------------------------


@dataclass(frozen=True)
class Definition:
    name: str
    type: str
    options: tuple[str, ...]
    source: str  # "declared in the program" or "in Descope"


_DECLARED: dict[str, Definition] = {}
_DECLARED_LOCK = threading.Lock()
_LIVE_NOTE = "tenant_attribute_definitions"  # Tenant notes: name -> Definition | None (absent)
_LIVE_FAILED = "tenant_attribute_lookup_failed"


def declare(inputs: Mapping[str, Any]) -> None:
    """Record a definition TenantAttribute.check accepted (known values only)."""
    name, type_ = inputs.get("name"), inputs.get("type")
    options = inputs.get("select_options") or []
    if not isinstance(name, str) or not isinstance(type_, str) or checks.is_unknown(options):
        return
    with _DECLARED_LOCK:
        _DECLARED[name] = Definition(name, type_, tuple(options), "declared in the program")


def _date_problem(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return True
    return False


def value_problem(definition: Definition, value: Any) -> str | None:
    """Why `value` does not fit the definition (None when it does)."""
    kind, options = definition.type, definition.options
    if kind == "string":
        return None if isinstance(value, str) else "a string"
    if kind == "number":
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "a number"
    if kind == "boolean":
        return None if isinstance(value, bool) else "True or False"
    if kind == "date":
        ok = isinstance(value, str) and not _date_problem(value)
        return None if ok else 'a date as "YYYY-MM-DD" (e.g. "2026-12-31")'
    choices = ", ".join(repr(o) for o in options)
    if kind == "singleselect":
        return None if isinstance(value, str) and value in options else f"one of {choices}"
    if kind == "multiselect":
        ok = isinstance(value, list) and all(isinstance(v, str) and v in options for v in value)
        return None if ok else f"a list of options from {choices}"
    return None  # a type this version does not know: Descope judges


def _live_definition(tenant: DescopeProvider[Any], name: str) -> tuple[Definition | None, bool]:
    """(the live definition, whether Descope was asked). Asked once per name per process; not at
    all without credentials or after a failed look-up (warned once)."""
    notes = tenant._notes()
    if notes is None or notes.get(_LIVE_FAILED):
        return None, False
    cache: dict[str, Definition | None] = notes.setdefault(_LIVE_NOTE, {})
    if name not in cache:
        try:
            live = tenant.client.load_tenant_attribute(name)
        except DescopeError as exc:
            notes[_LIVE_FAILED] = True
            pulumi.log.warn(
                f"descope: could not load tenant attribute definitions ({exc}); custom_attributes keys "
                "not declared in this program are not checked before `pulumi up`"
            )
            return None, False
        cache[name] = (
            None if live is None else Definition(live.name, live.type, tuple(live.options), "in Descope")
        )
    return cache[name], True


def custom_attribute_problems(
    tenant: DescopeProvider[Any], label: str, values: Any, *, live: bool = False
) -> list[tuple[str, str]]:
    """Check a tenant's custom_attributes against the definitions declared in the program; with
    `live` (before a write, never in check(), which sends no request) also against Descope's
    definition of each other key."""
    if not isinstance(values, Mapping):
        return []
    with _DECLARED_LOCK:
        declared = dict(_DECLARED)
    problems: list[str] = []
    missing: list[str] = []
    for key in sorted(values):
        value = values[key]
        definition = declared.get(key)
        if definition is None:
            if not live or not declared:
                continue
            definition, asked = _live_definition(tenant, key)
            if definition is None:
                if asked:
                    missing.append(key)
                continue
        if checks.is_unknown(value):
            continue
        wanted = value_problem(definition, value)
        if wanted:
            problems.append(
                f"{label}: custom_attributes[{key!r}] = {value!r} does not fit tenant attribute {key!r} "
                f"(type {definition.type!r}, {definition.source}): give {wanted}, or change the attribute"
            )
    if missing:
        known = ", ".join(sorted(declared)) or "none declared"
        problems.extend(
            f"{label}: custom_attributes key {key!r} is not a tenant attribute of this project (declared in "
            f"this program: {known}; Descope has none by that name): fix the key, or declare "
            f'descope.TenantAttribute("{key}", name="{key}", display_name=..., type=...) and make the '
            "tenant depend on it"
            for key in missing
        )
    return [("custom_attributes", problem) for problem in problems]


# ---- the provider --------------------------------------------------------------------------------


def _desired(inputs: Mapping[str, Any], base: TenantAttribute | None) -> TenantAttribute:
    """The whole definition to write: the program's inputs over the live one (its unmodelled keys)."""
    options = inputs.get("select_options")
    if options is None:  # not managed: the live options, unless the type has none
        options = base.options if base is not None and inputs["type"] in SELECTS else []
    return TenantAttribute(
        name=inputs["name"],
        display_name=inputs["display_name"],
        type=inputs["type"],
        options=list(options),
        extra=base.extra if base is not None else {},
    )


def _same(a: TenantAttribute, b: TenantAttribute) -> bool:
    return a.to_wire() == b.to_wire() or (
        (a.display_name, a.type, sorted(a.options)) == (b.display_name, b.type, sorted(b.options))
        and a.extra == b.extra
    )


def attributes_held(client: DescopeClient, tenants: Iterable[Tenant]) -> list[TenantAttribute]:
    """Descope lists no attributes: the ones these tenants hold values for (one request a name)."""
    names = sorted({key for tenant in tenants for key in tenant.custom_attributes})
    found = (client.load_tenant_attribute(name) for name in names)
    return [attribute for attribute in found if attribute is not None]


class TenantAttributeProvider(
    Lists[TenantAttribute], Adopts[TenantAttribute], DescopeProvider[TenantAttribute]
):
    spec = TENANT_ATTRIBUTE
    unique_fix = "set adopt=True to take it over, or choose another name"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        inputs = proposal.inputs
        type_, options = inputs.get("type"), inputs.get("select_options")
        if checks.is_unknown(type_) or checks.is_unknown(options) or type_ is None:
            return []
        if type_ in SELECTS and not options:
            return [("select_options", f'a "{type_}" attribute needs select_options, e.g. ["free", "pro"]')]
        if type_ not in SELECTS and options:
            return [("select_options", 'only a select has options; remove them, or make type "singleselect"')]
        declare(inputs)
        return []

    def list_live(self, client: DescopeClient) -> list[TenantAttribute]:
        return attributes_held(client, client.load_all_tenants())

    def list_for_refresh(self, client: DescopeClient) -> list[TenantAttribute]:
        # The tenants as the Tenant reads of this refresh list them (TenantProvider.list_live): one
        # tenant list for both.
        tenants = self.shared_snapshot("Tenant", client.load_all_tenants, lambda tenant: tenant.id)
        return attributes_held(client, tenants.all())

    def live_id(self, live: TenantAttribute) -> str:
        return live.name

    def load_live(self, client: DescopeClient, id_: str) -> TenantAttribute | None:
        return client.load_tenant_attribute(id_)

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> TenantAttribute | None:
        return client.load_tenant_attribute(inputs["name"])

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> TenantAttribute:
        # The API creates and overwrites alike: look first, so an existing one is never overwritten
        # without adopt=True.
        if client.load_tenant_attribute(inputs["name"]) is not None:
            raise AlreadyExistsError(f"tenant attribute {inputs['name']!r} already exists")
        desired = _desired(inputs, None)
        client.put_tenant_attribute(desired)
        return desired

    def adopt_remote(
        self, client: DescopeClient, live: TenantAttribute, inputs: Mapping[str, Any]
    ) -> TenantAttribute:
        desired = _desired(inputs, live)
        if not _same(desired, live):
            client.put_tenant_attribute(desired)
        return desired

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        live = client.load_tenant_attribute(update.id)
        if live is None:
            raise NotFoundError(f"tenant attribute {update.id!r} does not exist")
        client.put_tenant_attribute(_desired(update.inputs, live))
        return {}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        holders = [t for t in client.load_all_tenants() if id_ in t.custom_attributes]
        shown = ", ".join(f"{t.id!r} ({t.name}) = {t.custom_attributes[id_]!r}" for t in holders)
        if holders and not props.get("clear_tenant_values"):
            raise ResourceError(
                f"{self.label(props, id_)} was not deleted: these tenants hold values for it: {shown}. "
                "Nothing was deleted. Either remove the key from those tenants' custom_attributes first, "
                "or consent to losing the values: set clear_tenant_values=True on it (put it back in the "
                "program if you removed it), run `pulumi up`, then remove it and run `pulumi up` again"
            )
        existed = client.delete_tenant_attribute(id_)
        if holders:
            pulumi.log.warn(
                f"descope: {self.label(props, id_)} was deleted; these tenants lost their value: {shown}"
            )
        return existed

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """A refresh; when the type or options changed in Descope, the tenants whose value no longer
        fits are named (one more request, only then)."""
        result = super().read(id_, props)
        outs = result.outs or {}
        changed = (
            result.id is not None
            and props.get("type") is not None
            and (
                outs.get("type") != props.get("type")
                or outs.get("select_options") != props.get("select_options")
            )
        )
        if changed:
            definition = Definition(id_, outs["type"], tuple(outs.get("select_options") or []), "in Descope")
            try:
                tenants = self.client.load_all_tenants()
            except DescopeError:
                return result
            misfits = [
                f"{t.id!r} ({t.name}) = {t.custom_attributes[id_]!r}"
                for t in tenants
                if id_ in t.custom_attributes and value_problem(definition, t.custom_attributes[id_])
            ]
            if misfits:
                pulumi.log.warn(
                    f"descope: {self.label(props, id_)} is now of type {definition.type!r} in Descope, and "
                    f"these tenants' values no longer fit it: {', '.join(misfits)}; fix the values, or put "
                    "the attribute back (`pulumi up` with the program's type)"
                )
        return result
