"""What a resource type may be able to do beyond the required create/delete, declared by mixing in
an ability (as terraform-plugin-framework's `ResourceWithImportState`), never by stubbing a hook;
and the request objects the base hands its hooks.

- `Lists`: every object of the type in one request, so a refresh of N resources costs one list.
  Without it, read() loads each object by id (`load_live`); a type that can do neither (a link
  Descope never shows again) keeps its state as it is.
- `Adopts`: take over an existing object (`adopt=True`, or the stack-wide descope:adoptExisting)
  instead of creating one. A spec with an `adopt` input must have it (checked when the class is
  declared).
- `update_remote(client, Update)`: needed unless every input the type sends is create-only (then
  every change replaces the object).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .fields import ResourceSpec, Sent

if TYPE_CHECKING:
    from ..api.client import DescopeClient

Live = TypeVar("Live")


@dataclass(frozen=True)
class Proposal:
    """What check() was given, for checks across fields (`validate`)."""

    inputs: Mapping[str, Any]
    """The normalised inputs; a field whose own check failed is absent; unknowns may be present."""
    given: Mapping[str, Any]
    """The program's raw values (what it sets, valid or not)."""
    olds: Mapping[str, Any]
    """The previous inputs ({} on create)."""


@dataclass(frozen=True)
class Update:
    """One update: the resource, its previous outputs, the program's managed inputs, and which of
    them changed (only those are sent where Descope patches)."""

    spec: ResourceSpec
    id: str
    olds: Mapping[str, Any]
    inputs: Mapping[str, Any]
    changed: tuple[str, ...]

    def changes(self, *how: Sent) -> dict[str, Any]:
        """The changed inputs Descope takes in one of these ways, e.g. what a PATCH carries."""
        sent = set(self.spec.names_sent(*how))
        return {name: self.inputs[name] for name in self.changed if name in sent}


class Lists(Generic[Live]):
    """Ability: list every object of the type in one request (the refresh snapshot)."""

    def list_live(self, client: DescopeClient) -> list[Live]:
        raise NotImplementedError


class Adopts(Generic[Live]):
    """Ability: find an existing object and bring it to the program's inputs."""

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Live | None:
        """The live object `adopt=True` takes over, if any."""
        raise NotImplementedError

    def adopt_remote(self, client: DescopeClient, live: Live, inputs: Mapping[str, Any]) -> Live:
        """Bring an existing object to the program's inputs; return it as it now is."""
        raise NotImplementedError
