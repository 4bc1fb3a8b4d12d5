"""One declaration per resource field: the single source of check(), diff(), the outputs and the
refreshed inputs of read().

A field is an input (checked, diffed, managed when the program sets it), provider-only (an input
that shapes what the provider does and is never sent to Descope, e.g. `adopt`), or output-only (set
by Descope). Its `live` attribute names where the value is on the API model read back from Descope.
Field names are state keys: renaming one is a compatibility break.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# (property name, value) -> (normalised value, None) or (None, how to fix it)
Check = Callable[[str, Any], tuple[Any, str | None]]


@dataclass(frozen=True)
class Field:
    name: str
    check: Check | None = None
    """Validates and normalises the program's value; also normalises live values for outputs, so
    that the two compare like with like. None for output-only fields."""
    live: str | None = None
    """Attribute of the live API model holding the value (default: `name`)."""
    replace_on_change: bool = False
    provider_only: bool = False
    output_only: bool = False
    secret: bool = False
    """Write-only in Descope (never read back): kept from the program's inputs, declared a secret
    output by the sdk class."""
    kept_from_program: bool = False
    """Not stored by Descope at all (an access key's rotation triggers): the output is the
    program's value, read() keeps the last one, and nothing compares it with Descope."""
    recorded: bool = False
    """An output-only value the provider records when it creates (or updates) the object, e.g. what
    an attached setting was before the resource managed it: taken from the live object create and
    update return, then carried unchanged by read(), since Descope does not hold it."""

    @property
    def is_input(self) -> bool:
        return not self.output_only

    @property
    def in_descope(self) -> bool:
        """Whether Descope returns this field's value, so that it can be compared with it."""
        return not (self.provider_only or self.secret or self.kept_from_program)

    @property
    def live_attribute(self) -> str:
        return self.live or self.name

    def output_from(self, live: Any, inputs: Mapping[str, Any]) -> Any:
        """This field's output value, from the live object (or, for provider-only and write-only
        fields, from the inputs)."""
        if self.provider_only:
            return bool(inputs.get(self.name))
        if self.secret or self.kept_from_program:
            return inputs.get(self.name)
        value = getattr(live, self.live_attribute)
        if self.check is None or value is None:
            return value
        normalised, problem = self.check(self.name, value)
        # A live value check() would refuse (the console allows more) is shown as it is.
        return value if problem else normalised


@dataclass(frozen=True)
class ResourceSpec:
    """The fields of one resource type, in the order users see them."""

    type_name: str  # e.g. "Tenant": the sdk class and the type token's last part
    kind: str  # e.g. "tenant": how messages name one object
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.type_name}: a field is declared twice")

    @property
    def inputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_input)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.inputs)

    @property
    def output_only_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.output_only)

    @property
    def provider_only_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.provider_only)

    @property
    def recorded_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.recorded)

    @property
    def secret_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.secret)

    @property
    def remote_inputs(self) -> tuple[Field, ...]:
        """Inputs that Descope stores (not provider-only)."""
        return tuple(f for f in self.inputs if not f.provider_only)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)
