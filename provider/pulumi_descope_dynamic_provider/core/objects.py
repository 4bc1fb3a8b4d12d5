"""The provider of a simple object API (api/objects.py: roles, permissions), declared: a type is its
spec, its `ObjectApi`, and what really differs (checks across fields, built-in objects).

It lists (one request per refresh), adopts (found by its unique name in its scope), creates once,
and writes every update whole: the program's managed inputs over the live object, carrying the
fields this program leaves out and the keys this code does not know, so nothing is wiped. A write
that would change nothing is not sent (adopting an object as it is costs no request).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ..api.objects import Named, ObjectApi, key
from .abilities import Adopts, Lists, Update
from .fields import Sent
from .provider import DescopeProvider

if TYPE_CHECKING:
    from ..api.client import DescopeClient

L = TypeVar("L", bound=Named)


class SimpleObjectProvider(Lists[L], Adopts[L], DescopeProvider[L]):
    api: ClassVar[ObjectApi[Any]]

    def list_live(self, client: DescopeClient) -> list[L]:
        return client.list_objects(self.api)

    def live_id(self, live: L) -> str:
        return key(live)

    def scope(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The scope field's value ("" = the project), for a type whose names are unique per scope."""
        return {self.api.scope: values.get(self.api.scope) or ""} if self.api.scope else {}

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> L | None:
        return client.find_object(self.api, inputs["name"], *self.scope(inputs).values())

    def desired(self, inputs: Mapping[str, Any], base: L | None) -> Named:
        """The whole object to send: the managed inputs over `base` (the live object, with the keys
        this code does not know, which a full replace must carry), the API's defaults where there is
        none."""
        fields = self.api.fields
        current = {**base.unknown_keys(), **base.model_dump(include=set(fields.model_fields))} if base else {}
        managed = {name: inputs[name] for name in self.spec.names_sent(Sent.REPLACE) if name in inputs}
        return fields.model_validate({**current, **managed, **self.scope(inputs)})

    def write(self, client: DescopeClient, live: L, inputs: Mapping[str, Any]) -> L:
        """Bring `live` to the inputs (no request when it is there already, in the spec's terms: a
        set's order is not a difference); return it as it now is."""
        desired = self.desired(inputs, live)
        replaced = [f for f in self.spec.remote_inputs if self.spec.sent(f) is Sent.REPLACE]
        if any(f.output_from(desired, {}) != f.output_from(live, {}) for f in replaced):
            client.update_object(self.api, live, desired)
        return live.model_copy(update=desired.known())

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> L:
        created: L = client.create_object(self.api, self.desired(inputs, None))
        return created

    def adopt_remote(self, client: DescopeClient, live: L, inputs: Mapping[str, Any]) -> L:
        return self.write(client, live, inputs)

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        self.write(client, self.listed_now(client, update.id), update.inputs)
        return {}

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        name = props.get("name") or ""  # an id equal to the name: an object Descope gave no id
        address = {"id": id_ if id_ != name else "", "name": name or id_, **self.scope(props)}
        return client.delete_object(self.api, self.api.live.model_validate(address))
