"""One declaration per resource field: the single source of check(), diff(), the outputs, the
refreshed inputs of read(), what each write sends, and the generated sdk classes and docs
(scripts/gen_sdk.py).

A field is an input the program sets, or an output (set by Descope or recorded by the provider).
An input says how Descope takes it (`sent`): patched alone, carried by every full-replace write,
set at creation only (a change replaces the object), sent by a call of its own, or never sent (it
shapes what the provider does, e.g. `adopt`). Whether it is a secret output and whether Descope
returns it are separate flags. Impossible combinations raise when the spec is declared (at import).
Field names are state keys: renaming one is a compatibility break.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass
from enum import StrEnum
from typing import Any

from pydantic.alias_generators import to_camel

# (property name, value) -> (normalised value, None) or (None, how to fix it)
Check = Callable[[str, Any], tuple[Any, str | None]]


class _Unmanaged:
    """The default meaning of an input left out (None): not managed, Descope's value is kept."""

    def __repr__(self) -> str:
        return "UNMANAGED"


UNMANAGED: Any = _Unmanaged()


class Sent(StrEnum):
    """How Descope takes an input."""

    PATCH = "patched"
    """Sent alone when it changes (a PATCH, or an update that changes only the fields it is given)."""
    REPLACE = "full replace"
    """Part of a full-replace body: every write carries it, with the live value when the program
    leaves it out (so a field this program does not manage keeps its value)."""
    CREATE = "create only"
    """Set when the object is created and never changed after: a change replaces the object."""
    OWN_CALL = "own call"
    """Sent by a call of its own (a tenant's default roles, a key's activation or rotation)."""
    NEVER = "never"
    """Never sent to Descope: it shapes what the provider does (adopt, cascade_delete)."""


@dataclass(frozen=True)
class PyType:
    """A field's user-facing Python type, as the generated sdk annotates it."""

    input: str
    """Inside `pulumi.Input[...]` of the Args class and the keyword overload."""
    output: str
    """Inside `pulumi.Output[...]` of the resource class."""
    block: Block | None = None
    """The nested block whose Args class this type is (or is a list of)."""


TEXT = PyType("str", "str")
NUMBER = PyType("int", "int")
FLAG = PyType("bool", "bool")
TEXT_LIST = PyType("Sequence[pulumi.Input[str]]", "list[str]")
ANY_MAP = PyType("Mapping[str, Any]", "dict[str, Any]")
ANY = PyType("Any", "Any")


@dataclass(frozen=True)
class Field:
    name: str
    check: Check | None = None
    """Validates and normalises the program's value; also normalises live values for outputs, so
    that the two compare like with like. Optional for outputs (a normaliser of the live value)."""
    _: KW_ONLY
    doc: str = ""
    """What the field is, for the sdk docstrings and docs/resources (user-facing)."""
    type: PyType = TEXT
    required: bool = False
    """The program must set it (the sdk's Args has no default; `check` refuses None)."""
    sent: Sent | None = None
    """Inputs: how Descope takes it; None = the resource's `ResourceSpec.writes`."""
    output: bool = False
    """Set by Descope, or recorded by the provider; never by the program."""
    secret: bool = False
    """A secret output: encrypted in state (the sdk declares it); never quoted in a message."""
    returned: bool = True
    """Whether Descope returns the value. An input it never returns (a write-only secret, a
    rotation trigger it does not store) is kept from the program and never compared with Descope;
    an output it does not return is recorded from the create/update answer and carried by read()."""
    live: str | None = None
    """Attribute of the live API model holding the value (default: `name`)."""
    wire: str = ""
    """Its key in Descope's JSON body when that is not the camelCase of `live` or `name` (e.g.
    "enforceSSO").
    A provider builds bodies from it, and reads by it a field its API model does not declare."""
    default: Any = None
    """The value Descope stores when the key is absent or null (a callable for a fresh list/dict):
    what a field read by its wire key takes then, and what a nested block fills in; None with
    `required=False` means the key may stay absent."""
    output_doc: str = ""
    """For an input: what its output adds to `doc` (e.g. the id Descope generated)."""
    absent: Any = UNMANAGED
    """What leaving the input out (None) means. UNMANAGED (the default): it is not managed, and
    Descope's value is kept. Any other value: left out means that value, so removing the input from
    the program is a change like any other (a role's `tenant_id`: None = the project scope; a key's
    `expire_time`: 0 = never). For an input that is part of the object's identity (create-only),
    where "keep whatever is there" would leave the object in a scope the program no longer says.
    Its check() never sees None."""
    known_after_refresh: bool = False
    """An output Descope does not return when the object is created (a tenant's created time):
    None for an object this stack created until the next `pulumi refresh`."""

    def __post_init__(self) -> None:
        problems = []
        if self.output and (self.sent is not None or self.required):
            problems.append("an output is never sent nor required")
        if not self.output and self.check is None:
            problems.append("an input needs a check")
        if self.sent is Sent.NEVER and (self.secret or not self.returned):
            problems.append("a provider-only input (sent=NEVER) is neither a secret nor write-only")
        if self.secret and not self.output and self.returned:
            problems.append("Descope never returns a secret input: set returned=False")
        if self.absent is not UNMANAGED and (self.required or self.sent is not Sent.CREATE):
            # A change of a create-only input replaces the object, so no update has to send it.
            problems.append("absent= (what leaving it out means) is for an optional create-only input")
        if self.known_after_refresh and not (self.output and self.returned):
            problems.append("known_after_refresh is for an output Descope returns")
        if problems:
            raise ValueError(f"Field {self.name!r}: " + "; ".join(problems))

    # ---- what the flags mean to the engine-facing code ---------------------------------------------

    @property
    def is_input(self) -> bool:
        return not self.output

    @property
    def output_only(self) -> bool:
        return self.output

    @property
    def provider_only(self) -> bool:
        return self.sent is Sent.NEVER

    @property
    def replace_on_change(self) -> bool:
        return self.sent is Sent.CREATE

    @property
    def recorded(self) -> bool:
        """An output Descope does not return: recorded when the object is created (or updated),
        then carried unchanged by read()."""
        return self.output and not self.returned

    @property
    def kept_from_program(self) -> bool:
        """An input Descope does not return: its output is the program's value."""
        return self.is_input and not self.returned

    @property
    def in_descope(self) -> bool:
        """Whether Descope returns this field's value, so that it can be compared with it."""
        return self.returned and not self.provider_only

    @property
    def left_out_means_value(self) -> bool:
        """Whether leaving the input out means a value (`absent`) rather than "not managed"."""
        return self.absent is not UNMANAGED

    @property
    def live_attribute(self) -> str:
        return self.live or self.name

    @property
    def wire_key(self) -> str:
        return self.wire or to_camel(self.live_attribute)

    def live_value(self, live: Any) -> Any:
        """The value in the live API object: its attribute when the API model declares the field;
        else the key Descope sent (an API model that keeps unknown keys carries them as Descope
        spells them), so that a new input needs no line in the API model."""
        unknown_keys = getattr(live, "model_extra", None)
        if unknown_keys is None or hasattr(live, self.live_attribute):
            return getattr(live, self.live_attribute)
        value = unknown_keys.get(self.wire_key)
        return self.default_value() if value is None else value

    def default_value(self) -> Any:
        """What Descope stores when the key is absent or null (a fresh one when `default` makes it)."""
        return self.default() if callable(self.default) else self.default

    def output_from(self, live: Any, inputs: Mapping[str, Any]) -> Any:
        """This field's output value, from the live object (or, for provider-only and write-only
        fields, from the inputs)."""
        if self.provider_only:
            return bool(inputs.get(self.name))
        if self.kept_from_program:
            return inputs.get(self.name)
        value = self.live_value(live)
        if self.check is None or value is None:
            return value
        normalised, problem = self.check(self.name, value)
        # A live value check() would refuse (the console allows more) is shown as it is.
        return value if problem else normalised


@dataclass(frozen=True)
class Block:
    """A nested block of an input (an SSO configuration's `oidc`): its keys are Fields too, and the
    sdk generates an Args class from them."""

    args_class: str  # e.g. "OidcArgs"
    doc: str
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        for field in self.fields:
            if field.output or field.sent is not None or field.secret or not field.returned:
                raise ValueError(f"{self.args_class}.{field.name}: a block key is a plain input")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def block_of(block: Block) -> PyType:
    return PyType(block.args_class, "dict[str, Any] | None", block)


def list_of(block: Block) -> PyType:
    return PyType(f"Sequence[pulumi.Input[{block.args_class}]]", "list[dict[str, Any]]", block)


@dataclass(frozen=True)
class ResourceSpec:
    """The fields of one resource type, in the order users see them."""

    type_name: str  # e.g. "Tenant": the sdk class and the type token's last part
    kind: str  # e.g. "tenant": how messages name one object
    fields: tuple[Field, ...]
    writes: Sent = Sent.PATCH
    """How Descope takes this type's inputs unless a field says otherwise."""
    doc: str = ""
    """The sdk class's docstring (what it is; an example)."""
    args_doc: str = ""
    """The Args class's docstring."""
    example: str = ""
    """The required inputs as a call would give them, for "missing input" errors: 'name="Acme"'."""
    id_doc: str = "its id"
    """What `Resource.get()` takes, e.g. '"<tenant id>/<SSO id>"'."""

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.type_name}: a field is declared twice")
        if self.writes not in (Sent.PATCH, Sent.REPLACE):
            raise ValueError(f"{self.type_name}: a resource is written by patch or by full replace")
        adopt = next((f for f in self.fields if f.name == "adopt"), None)
        if adopt is not None and adopt.sent is not Sent.NEVER:
            raise ValueError(f"{self.type_name}: `adopt` is provider-only (sent=Sent.NEVER)")

    def sent(self, field: Field) -> Sent | None:
        """How Descope takes `field` (None for an output)."""
        if field.output:
            return None
        return field.sent or self.writes

    @property
    def inputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_input)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.inputs)

    @property
    def output_only_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.output)

    @property
    def provider_only_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.provider_only)

    @property
    def recorded_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.recorded)

    @property
    def secret_names(self) -> tuple[str, ...]:
        """Every secret: the sdk declares them secret outputs."""
        return tuple(f.name for f in self.fields if f.secret)

    @property
    def secret_input_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.inputs if f.secret)

    @property
    def remote_inputs(self) -> tuple[Field, ...]:
        """Inputs that Descope stores (not provider-only)."""
        return tuple(f for f in self.inputs if not f.provider_only)

    def names_sent(self, *how: Sent) -> tuple[str, ...]:
        """The inputs Descope takes in one of these ways, e.g. what a PATCH may carry."""
        return tuple(f.name for f in self.inputs if self.sent(f) in how)

    def sent_values(self, inputs: Mapping[str, Any], *how: Sent) -> dict[str, Any]:
        """The inputs the program sets (managed) that Descope takes in one of these ways."""
        return {name: inputs[name] for name in self.names_sent(*how) if name in inputs}

    def to_wire(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """`values` (keyed by field name) keyed by the fields' wire keys, as Descope takes them: an
        API model that keeps unknown keys needs no line for a field to be written."""
        return {self.field(name).wire_key: value for name, value in values.items()}

    @property
    def adoptable(self) -> bool:
        """Whether the type takes over existing objects (it has an `adopt` input)."""
        return "adopt" in self.input_names

    @property
    def blocks(self) -> tuple[Block, ...]:
        found: list[Block] = []
        pending = [f.type.block for f in self.fields if f.type.block is not None]
        while pending:
            block = pending.pop(0)
            if block is not None and block not in found:
                found.append(block)
                pending.extend(f.type.block for f in block.fields if f.type.block is not None)
        return tuple(found)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)
