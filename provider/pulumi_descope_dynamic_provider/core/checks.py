"""Validation and normalisation of Tenant inputs, run by check() before any API call.

Normalised inputs (domains lower-cased, sets de-duplicated and sorted) are what the engine diffs and
stores, so an unchanged program always previews as "no changes". Values still unknown during a
preview (outputs of resources not created yet) are passed through untouched, never rejected.
Nothing here raises: every problem becomes one (property, how-to-fix) failure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from ..api.models import integral_floats_as_int

# Input properties of the Tenant resource (state keys: a compatibility contract).
STRING_SETS = (
    "self_provisioning_domains",
    "enforce_sso_exclusions",
    "federated_app_ids",
    "default_roles",
)
BOOLEANS = ("enforce_sso", "disabled")
PROVIDER_ONLY = ("cascade_delete", "adopt")  # shape what the provider does; never sent to Descope
INPUTS = (
    "name",
    "tenant_id",
    *STRING_SETS,
    "custom_attributes",
    *BOOLEANS,
    "parent_tenant_id",
    "role_inheritance",
    *PROVIDER_ONLY,
)
OUTPUT_ONLY = ("created_time", "auth_type", "domains", "managed_inputs")
ROLE_INHERITANCE_VALUES = ("", "none", "userOnly")

MAX_NAME_LENGTH = 255
MAX_ID_LENGTH = 100
MAX_LIST_ITEMS = 1000
MAX_ITEM_LENGTH = 255
# \Z, not $: `$` also matches before a trailing newline, which would let "acme\n" through.
_TENANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
_ATTRIBUTE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*\Z")
# How much of a rejected value a failure message quotes: enough to find it, never the whole of a
# huge string or list.
_MAX_SHOWN = 80

Failure = tuple[str, str]


def is_unknown(value: Any) -> bool:
    """A value the engine does not know yet (preview), at any depth. The plugin hands check/diff
    `Unknown` objects; the sentinel string is what other paths carry."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    return False


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _shown(value: Any) -> str:
    """repr() of a user's value for a failure message, cut short when long."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _check_name(value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, 'name is required: give the tenant its display name, e.g. name="Acme Corp"'
    if not isinstance(value, str):
        return None, f'name must be a string, e.g. name="Acme Corp"; got {_type_name(value)}'
    if not value.strip():
        return None, "name must not be empty or only spaces: give the tenant a display name"
    if value != value.strip():
        return None, (
            f"name {_shown(value)} has leading or trailing spaces; remove them (Descope would keep them)"
        )
    if len(value) > MAX_NAME_LENGTH:
        return None, f"name is {len(value)} characters long; shorten it to at most {MAX_NAME_LENGTH}"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return None, "name contains control characters (newline, tab, ...); remove them"
    return value, None


def check_tenant_id(value: Any, prop: str) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f'{prop} must be a string such as "acme"; got {_type_name(value)}'
    if not value:
        return None, f"{prop} must not be empty; leave it out to let Descope generate an id"
    if len(value) > MAX_ID_LENGTH:
        return None, f"{prop} is {len(value)} characters long; use at most {MAX_ID_LENGTH}"
    if not _TENANT_ID.match(value):
        return None, (
            f"{prop} {_shown(value)} may contain only letters, digits, '_', '.' and '-', and must start "
            "with a letter or digit"
        )
    return value, None


def _normalise_domain(raw: str) -> tuple[str | None, str | None]:
    domain = raw.strip().lower().rstrip(".")
    if not domain.isascii():
        try:
            hint = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None, f"{_shown(raw)} is not a valid domain name"
        return None, f"{_shown(raw)} is an internationalised domain; write it in its ASCII form {hint!r}"
    if "://" in domain or "/" in domain or "@" in domain:
        return None, f"{_shown(raw)} must be a bare domain such as 'acme.com' (no scheme, path or e-mail)"
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return None, f"{_shown(raw)} is not a valid domain name such as 'acme.com'"
    if labels[-1].isdigit():
        return None, f"{_shown(raw)} looks like an IP address; self-provisioning needs a domain name"
    return domain, None


def _check_string_set(prop: str, value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, list | tuple):
        return None, f'{prop} must be a list of strings, e.g. ["a", "b"]; got {_type_name(value)}'
    if len(value) > MAX_LIST_ITEMS:
        return None, f"{prop} has {len(value)} entries; at most {MAX_LIST_ITEMS} are supported"
    cleaned: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str):
            return None, f"{prop}[{index}] must be a string; got {_type_name(item)}"
        if not item.strip():
            return None, f"{prop}[{index}] is empty; remove it"
        if len(item) > MAX_ITEM_LENGTH:
            return None, f"{prop}[{index}] is longer than {MAX_ITEM_LENGTH} characters"
        if prop == "self_provisioning_domains":
            domain, problem = _normalise_domain(item)
            if problem:
                return None, f"{prop}[{index}]: {problem}"
            assert domain is not None
            cleaned.add(domain)
        else:
            if item != item.strip():
                return None, f"{prop}[{index}] {_shown(item)} has leading or trailing spaces; remove them"
            cleaned.add(item)
    # A set, not a sequence: stored sorted so reordering the program never shows as a change.
    return sorted(cleaned), None


def _check_attribute_value(key: str, value: Any) -> str | None:
    scalar = (str, int, float, bool)
    where = f"custom_attributes[{_shown(key)}]"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where} must be a finite number; got {value}"
    if isinstance(value, scalar):
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if isinstance(item, float) and not math.isfinite(item):
                return f"{where}[{index}] must be a finite number; got {item}"
            if not isinstance(item, scalar):
                return f"{where}[{index}] must be a string, number or boolean; got {_type_name(item)}"
        return None
    return f"{where} must be a string, number, boolean or a list of those; got {_type_name(value)}"


def _check_custom_attributes(value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        return None, f"custom_attributes must be a map of attribute name to value; got {_type_name(value)}"
    if len(value) > MAX_LIST_ITEMS:
        return None, f"custom_attributes has {len(value)} entries; at most {MAX_LIST_ITEMS} are supported"
    cleaned: dict[str, Any] = {}
    for key in value:
        if not isinstance(key, str) or not _ATTRIBUTE_KEY.match(key) or len(key) > MAX_ITEM_LENGTH:
            return None, (
                f"custom_attributes key {_shown(key)} must be the machine name of a tenant custom attribute "
                "defined in the Descope console (letters, digits, '_', '.', '-')"
            )
        problem = _check_attribute_value(key, value[key])
        if problem:
            return None, problem
        cleaned[key] = integral_floats_as_int(value[key])
    return dict(sorted(cleaned.items())), None


def _check_bool(prop: str, value: Any) -> tuple[Any, str | None]:
    if value is None or isinstance(value, bool):
        return value, None
    return None, f"{prop} must be True or False; got {_type_name(value)} {_shown(value)}"


def _check_role_inheritance(value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if isinstance(value, str) and value in ROLE_INHERITANCE_VALUES:
        return value, None
    hint = ""
    if isinstance(value, str):
        close = [v for v in ROLE_INHERITANCE_VALUES if v and v.lower() == value.lower().replace("_", "")]
        hint = f"; did you mean {close[0]!r}?" if close else ""
    allowed = ", ".join(repr(v) for v in ROLE_INHERITANCE_VALUES)
    return None, f"role_inheritance must be one of {allowed}; got {_shown(value)}{hint}"


def check_tenant_inputs(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """Validate and normalise a Tenant's inputs. Returns (inputs, failures); inputs hold only the
    properties that are set (None means "not managed by this program")."""
    inputs: dict[str, Any] = {}
    failures: list[Failure] = []

    for key, value in news.items():
        if key.startswith("__") or key in OUTPUT_ONLY or key in INPUTS:
            continue
        if value is not None:
            reason = f"{_shown(key)} is not a Tenant input; the inputs are: {', '.join(INPUTS)}"
            failures.append((key, reason))

    for prop in INPUTS:
        value = news.get(prop)
        if is_unknown(value):
            inputs[prop] = value
            continue
        if prop == "name":
            normalised, problem = _check_name(value)
        elif prop in ("tenant_id", "parent_tenant_id"):
            normalised, problem = check_tenant_id(value, prop)
        elif prop in STRING_SETS:
            normalised, problem = _check_string_set(prop, value)
        elif prop == "custom_attributes":
            normalised, problem = _check_custom_attributes(value)
        elif prop == "role_inheritance":
            normalised, problem = _check_role_inheritance(value)
        else:
            normalised, problem = _check_bool(prop, value)
        if problem:
            failures.append((prop, problem))
        elif normalised is not None:
            inputs[prop] = normalised

    tenant_id, parent = inputs.get("tenant_id"), inputs.get("parent_tenant_id")
    if tenant_id is not None and tenant_id == parent and not is_unknown(tenant_id):
        failures.append(("parent_tenant_id", "a tenant cannot be its own parent; remove parent_tenant_id"))
    return inputs, failures
