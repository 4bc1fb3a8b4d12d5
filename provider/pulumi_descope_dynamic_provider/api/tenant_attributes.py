"""Tenant custom attribute definitions: `/v1/mgmt/tenant/attribute`. No official SDK calls it; the
official Terraform provider (v1.0, `internal/resources/attributes.go`, `internal/models/attribute`)
is the only public client (docs/api-notes/tenant_attribute.md says what was taken from where).

- `POST` creates or overwrites (a full replace) the attribute named by the body's `name`; no body back.
- `GET ?name=` loads one: `{name, displayName, type, options, ...}`.
- `DELETE ?name=` deletes one.
There is no list: `tenant_attribute_names_in_use` finds the names tenants hold values for.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .endpoints import Endpoint
from .errors import NotFoundError
from .models import WireModel
from .transport import Transport

TENANT_ATTRIBUTE = "/v1/mgmt/tenant/attribute"

# No public source names Descope's "attribute not found" code: the emulator's (its errors.py).
CODE_ATTRIBUTE_NOT_FOUND = "E112502"
ATTRIBUTE_GONE = frozenset({CODE_ATTRIBUTE_NOT_FOUND})
ATTRIBUTE_TYPES = ("string", "number", "boolean", "singleselect", "multiselect", "date")


class TenantAttribute(WireModel):
    """An attribute definition as loaded. `extra` holds the keys this client does not model
    (`viewPermissions`, whatever Descope adds): every overwrite carries them back."""

    name: str
    display_name: str = ""
    type: str = "string"
    options: list[str] = Field(default_factory=list)
    extra: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @classmethod
    def from_wire(cls, data: Any) -> TenantAttribute:
        if isinstance(data, dict) and isinstance(data.get("attribute"), dict):
            data = data["attribute"]  # tolerate a wrapped answer
        if not isinstance(data, dict):
            data = {}
        known = {"name", "displayName", "type", "options"}
        options = [
            o.get("value") or o.get("label") if isinstance(o, dict) else o for o in data.get("options") or []
        ]
        return cls.model_validate(
            {
                **{k: v for k, v in data.items() if k in known},
                "options": [str(o) for o in options if o is not None],
                "extra": {k: v for k, v in data.items() if k not in known},
            }
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            **self.extra,
            "name": self.name,
            "displayName": self.display_name,
            "type": self.type,
            "options": list(self.options),
        }


# Fields as a query (`?name=`); the load's answer is read by TenantAttribute.from_wire.
_LOAD: Endpoint[Any] = Endpoint("GET", TENANT_ATTRIBUTE, "load tenant attribute {name!r}", ATTRIBUTE_GONE)
_DELETE: Endpoint[Any] = Endpoint(
    "DELETE", TENANT_ATTRIBUTE, "delete tenant attribute {name!r}", ATTRIBUTE_GONE
)


class TenantAttributesApi(Transport):
    def load_tenant_attribute(self, name: str) -> TenantAttribute | None:
        """One definition, or None when Descope has none by that name."""
        try:
            data = self._request(_LOAD, {"name": name})
        except NotFoundError:
            return None
        return TenantAttribute.from_wire(data)

    def put_tenant_attribute(self, attribute: TenantAttribute) -> None:
        """Create, or overwrite whole (every key the body leaves out is cleared)."""
        self._call(
            f"write tenant attribute {attribute.name!r}", "POST", TENANT_ATTRIBUTE, body=attribute.to_wire()
        )

    def delete_tenant_attribute(self, name: str) -> bool:
        """Delete one; False when it was already gone."""
        return self._removed(_DELETE, {"name": name})
