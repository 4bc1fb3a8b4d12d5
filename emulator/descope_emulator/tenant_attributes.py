"""Tenant custom attribute definitions.

Served as the official Terraform provider (v1.0, ``internal/resources/attributes.go``) calls it, the
only public client: ``POST /v1/mgmt/tenant/attribute`` (create, or overwrite whole) -> ``{}``;
``GET /v1/mgmt/tenant/attribute?name=`` -> ``{name, displayName, type, options, ...}`` (flat, as the
provider reads it); ``DELETE /v1/mgmt/tenant/attribute?name=`` -> ``{}``.

Choices where Descope's behaviour is not public (docs/api-notes/tenant_attribute.md):
- ``name`` is the machine name (letters, digits, ``_``, at most 20, as the provider validates);
  ``type`` one of string, number, boolean, singleselect, multiselect, date (a select needs options);
  ``options`` is a list of strings (``{label, value}`` objects are accepted too, stored by value); any
  other key (``viewPermissions``, ...) is stored and returned as sent. An unknown name is a 404 on GET
  and a 400 on DELETE, code ``E112502``.
- Tenant values: a project with at least one definition refuses a tenant write whose
  ``customAttributes`` has an undefined key or a value that does not fit its definition (400
  ``E011004``; Descope refuses unknown keys). A project with none accepts any key, as this emulator
  always did (tests and examples that set values without defining them).
- Changing a definition leaves tenants' values as they are; deleting one drops its values from
  every tenant.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields
from descope_emulator.project import Project
from descope_emulator.routing import route
from descope_emulator.wire import Answered

TYPES: Final = ("string", "number", "boolean", "singleselect", "multiselect", "date")
_SELECTS: Final = ("singleselect", "multiselect")
_NAME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}\Z")


@dataclass
class TenantAttribute(Answered):
    WIRE_KEYS = ("name", "displayName", "type", "options")
    name: str
    display_name: str
    type: str
    options: list[str] = field(default_factory=list)

    def misfit(self, value: Any) -> str | None:
        """What a value of this attribute must be, when ``value`` is not that."""
        fits = {
            "string": isinstance(value, str),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "date": isinstance(value, str) and _is_date(value),
            "singleselect": isinstance(value, str) and value in self.options,
            "multiselect": isinstance(value, list) and all(v in self.options for v in value),
        }[self.type]
        return None if fits else f"a {self.type} value" + (f" from {self.options}" if self.options else "")


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def attribute_not_found(name: str, *, status: int) -> errors.DescopeError:
    return errors.DescopeError(
        status,
        errors.TENANT_ATTRIBUTE_NOT_FOUND,
        "Attribute not found",
        f"Tenant attribute '{name}' not found",
    )


class TenantAttributes:
    """The tenant attribute definitions of one project (the project's tenant-values check)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._attributes: dict[str, TenantAttribute] = project.table()  # by name
        project.provide_tenant_attribute_check(self._check_values)

    def _check_values(self, values: Mapping[str, Any]) -> None:
        if not self._attributes:
            return
        for key, value in values.items():
            attribute = self._attributes.get(key)
            if attribute is None:
                raise errors.invalid_argument(f"Custom attribute '{key}' is not a tenant attribute")
            wanted = attribute.misfit(value)
            if wanted:
                raise errors.invalid_argument(f"Custom attribute '{key}' must be {wanted}, got {value!r}")

    @route("POST", "/v1/mgmt/tenant/attribute")
    def put(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        name = fields.required_string("name")
        if not _NAME.match(name):
            raise errors.invalid_argument(
                f"'name' must be a machine name (letters, digits, '_'), got '{name}'"
            )
        kind = fields.choice("type", TYPES, "")
        raw_options = body.get("options") or []
        if not isinstance(raw_options, list):
            raise errors.validation_failed("'options' must be a list")
        options = [str(o.get("value") or o.get("label")) if isinstance(o, dict) else o for o in raw_options]
        if not all(isinstance(o, str) and o for o in options):
            raise errors.validation_failed("'options' must be a list of non-empty strings")
        if (kind in _SELECTS) != bool(options):
            raise errors.invalid_argument(
                f"a '{kind}' attribute " + ("needs" if kind in _SELECTS else "takes no") + " options"
            )
        attribute = TenantAttribute(
            name=name,
            display_name=fields.string("displayName") or name,
            type=kind,
            options=list(options),
            extra={k: v for k, v in body.items() if k not in TenantAttribute.WIRE_KEYS},
        )
        with self._project.lock:
            self._attributes[name] = attribute
        return {}

    @route("GET", "/v1/mgmt/tenant/attribute", "name")
    def load(self, name: str) -> dict[str, Any]:
        with self._project.lock:
            attribute = self._attributes.get(name)
            if attribute is None:
                raise attribute_not_found(name, status=404)
            return attribute.to_wire()

    @route("DELETE", "/v1/mgmt/tenant/attribute", "name")
    def delete(self, name: str) -> dict[str, Any]:
        with self._project.lock:
            if self._attributes.pop(name, None) is None:
                raise attribute_not_found(name, status=400)
            self._project.tenant_attribute_removed.emit(name)
        return {}

    # ----- out-of-band access for tests (console edits) -----------------------------------------

    def edit(self, name: str, /, **changes: Any) -> dict[str, Any]:
        """A console edit: ``display_name=``, ``type=``, ``options=``; tenants' values stay."""
        with self._project.lock:
            current = self.load(name)
            body = {
                **current,
                "displayName": changes.pop("display_name", current["displayName"]),
                "type": changes.pop("type", current["type"]),
                "options": changes.pop("options", current["options"]),
            }
            if changes:
                raise errors.validation_failed(f"a tenant attribute has no field(s) {sorted(changes)}")
            self.put(body)
            return self.load(name)

    def remove(self, name: str) -> None:
        """A console delete (tenants lose their values)."""
        self.delete(name)

    def dump(self) -> list[dict[str, Any]]:
        return [a.to_wire() for a in self._attributes.values()]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self.put(entry)
