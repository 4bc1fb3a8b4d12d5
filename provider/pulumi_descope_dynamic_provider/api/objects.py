"""Simple objects, declared rather than written: an API of `<base>/create`, `/update` (a full replace
addressed by id, else by name, that renames with `newName`), `/delete`, `/all` (the whole list under
one key) and optionally `/search` by names; a name unique in the project or in a scope (a tenant).
Roles and permissions are such APIs: each is an `ObjectApi` value, and `ObjectsApi` (a mixin of the
client) serves every one of them the same way:

- create never makes two objects: its answer carries no id, so the object is found by its unique
  name, which is also how a create whose answer was lost is recognised and adopted (when it is what
  was sent; otherwise AlreadyExistsError asks for adopt=True);
- update sends the object whole, built from the live one (its keys this code does not know too);
- delete names its object (never an empty filter: some Descope deletes treat none as "all") and says
  whether it was there, asking the list when Descope's "not found" code is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from pydantic import Field, create_model
from pydantic.alias_generators import to_camel

from .errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from .models import KeepsUnknownKeys, WireModel
from .transport import Transport


class Named(KeepsUnknownKeys):
    """What create and update send: a name unique in its scope, and the fields of the type."""

    name: str


L = TypeVar("L", bound=Named)


def key(obj: Named) -> str:
    """How the provider addresses an object: the id where Descope gives one, else the unique name."""
    return str(getattr(obj, "id", "") or obj.name)


@dataclass(frozen=True)
class ObjectApi(Generic[L]):
    kind: str  # "permission": how operations and messages name one
    base: str  # "/v1/mgmt/permission"
    fields: type[Named]
    """What create and update send: the model's fields, with the keys it does not know carried."""
    live: type[L]
    """What the list returns: `fields` plus what Descope sets (an `id`, at least)."""
    list_key: str  # the key of the list in the answer of `/all` (and `/search`)
    gone: frozenset[str]  # Descope's "not found" codes
    scope: str = ""
    """The field of `fields` naming the scope a name is unique in ("tenant_id"; "" = the project):
    sent only when set."""
    search_keys: tuple[str, str] | None = None
    """The body keys of `/search` (names, scopes); None: the list is searched."""
    listing: type[WireModel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A model made at run time (its list key is data), which mypy cannot type.
        items: dict[str, Any] = {self.list_key: (cast(Any, list)[self.live], Field(default_factory=list))}
        listing = cast(Any, create_model)(f"{self.live.__name__}List", __base__=WireModel, **items)
        object.__setattr__(self, "listing", listing)

    def path(self, action: str) -> str:
        return f"{self.base}/{action}"

    def where(self, scope: str) -> str:
        return f" in tenant {scope!r}" if scope else (" in the project" if self.scope else "")

    def scope_of(self, obj: Named) -> str:
        return str(getattr(obj, self.scope, "") or "") if self.scope else ""

    def address(self, obj: Named, scoped: bool = False) -> dict[str, Any]:
        """How a write names the object: its id where Descope gave one, else its unique name (and,
        `scoped`, its scope where it has one)."""
        id_ = str(getattr(obj, "id", "") or "")
        named = {"id": id_} if id_ else {"name": obj.name}
        scope = self.scope_of(obj)
        return {**named, to_camel(self.scope): scope} if scoped and scope else named


class ObjectsApi(Transport):
    def list_objects(self, api: ObjectApi[L], *, deadline: float | None = None) -> list[L]:
        found = self._get(f"load all {api.kind}s", api.path("all"), parse=api.listing, deadline=deadline)
        return list(getattr(found, api.list_key))

    def find_object(
        self, api: ObjectApi[L], name: str, scope: str = "", *, deadline: float | None = None
    ) -> L | None:
        """The object named `name` in its scope, if it exists (one request)."""
        if api.search_keys is None:
            listed = self.list_objects(api, deadline=deadline)
        else:
            names, scopes = api.search_keys
            body: dict[str, Any] = {names: [name], **({scopes: [scope]} if scope else {})}
            found = self._call(
                f"search {api.kind} {name!r}",
                "POST",
                api.path("search"),
                body=body,
                parse=api.listing,
                read_only=True,
                deadline=deadline,
            )
            listed = getattr(found, api.list_key)
        return next((o for o in listed if o.name == name and api.scope_of(o) == scope), None)

    def create_object(self, api: ObjectApi[L], desired: Named) -> L:
        """Create the object and return it as listed (with its id); a create whose answer was lost
        is found by its unique name and adopted when it is what was sent."""
        name, scope = desired.name, api.scope_of(desired)
        operation = f"create {api.kind} {name!r}{api.where(scope)}"
        body = {key: value for key, value in desired.to_wire().items() if value not in ("", None)}

        def send(deadline: float) -> L:
            self._send(operation, "POST", api.path("create"), deadline, body=body)  # one attempt
            created = self.find_object(api, name, scope, deadline=deadline)
            if created is None:
                raise NotFoundError(f"the {api.kind} was created but is not listed", operation=operation)
            return created

        def recover(deadline: float) -> L | None:
            found = self.find_object(api, name, scope, deadline=deadline)
            if found is None:
                return None
            if api.fields.model_validate(found.known()).known() != desired.known():
                raise AlreadyExistsError(
                    f"an earlier attempt got no answer, and the {api.kind} now found ({key(found)!r}) "
                    "differs from what was sent, so it was not adopted; adopt it with adopt=True",
                    operation=operation,
                )
            self._emit(operation, f"the answer to an earlier attempt was lost; adopting the {api.kind}")
            return found

        return self._create_once(operation, api.kind, send, recover)

    def update_object(self, api: ObjectApi[L], current: L, desired: Named) -> None:
        """Replace `current` with `desired` (whole: build it from the live object, so the keys this
        code does not know are carried); a new name renames it in place."""
        sent = {k: v for k, v in desired.to_wire().items() if k != "name" and (v or k != to_camel(api.scope))}
        body = {**sent, "newName": desired.name, **api.address(current)}
        operation = f"update {api.kind} {key(current)!r} ({desired.name}){api.where(api.scope_of(current))}"
        self._call(operation, "POST", api.path("update"), body=body, gone=api.gone)

    def delete_object(self, api: ObjectApi[L], current: L) -> bool:
        """Delete one object (by id, else by name). False when it was already gone."""
        if not key(current):
            # An empty filter must never reach Descope: some delete endpoints treat none as "all".
            raise InvalidArgumentError(f"deleting a {api.kind} needs its id or name")
        operation = f"delete {api.kind} {key(current)!r}"
        try:
            self._call(operation, "POST", api.path("delete"), body=api.address(current, True), gone=api.gone)
        except NotFoundError:
            return False
        except InvalidArgumentError:
            # No public source names Descope's "not found" code: the list decides.
            if all(key(o) != key(current) for o in self.list_objects(api)):
                return False
            raise
        return True
