"""Reusable checks of resource inputs, run by check() before any API call.

Each check has the signature of `fields.Check`: (property, value) -> (normalised, None) or
(None, how to fix it). None means "not set" and always passes (a required field says so itself).

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
from ..api.tenant_settings import UNIT_MINUTES, duration_text, wire_duration
from .basics import collection_problem as _collection_problem
from .basics import number_problem as _number_problem
from .basics import shown as _shown
from .basics import sorted_set as _sorted_set
from .basics import type_name as _type_name
from .fields import FLAG, TEXT, Block, Check, Field, PyType, Sent
from .formats import cidr_set as cidr_set
from .formats import epoch_seconds as epoch_seconds
from .formats import https_url as https_url
from .formats import pem_certificate as pem_certificate

MAX_NAME_LENGTH = 255
MAX_ID_LENGTH = 100
MAX_ITEM_LENGTH = 255
MAX_DESCRIPTION_LENGTH = 1000
# \Z, not $: `$` also matches before a trailing newline, which would let "acme\n" through.
_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
_ATTRIBUTE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*\Z")

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


def required_name(example: str) -> Check:
    """A required display name such as `example`: non-empty, no surrounding spaces."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, f"{prop} is required, e.g. {prop}={example!r}"
        return single_line_text(prop, value, required=True, example=example)

    return check


def required(check: Check, example: str) -> Check:
    """`check`, and the value must be set, e.g. `example`."""

    def checked(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, f"{prop} is required, e.g. {prop}={example}"
        return check(prop, value)

    return checked


def single_line_text(
    prop: str, value: Any, *, required: bool = False, example: str = "..."
) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"{prop} must be a string, e.g. {prop}={example!r}; got {_type_name(value)}"
    if required and not value.strip():
        return None, f"{prop} must not be empty or only spaces"
    if value != value.strip():
        return (
            None,
            f"{prop} {_shown(value)} has leading or trailing spaces; remove them (Descope would keep them)",
        )
    if len(value) > MAX_NAME_LENGTH:
        return None, f"{prop} is {len(value)} characters long; shorten it to at most {MAX_NAME_LENGTH}"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return None, f"{prop} contains control characters (newline, tab, ...); remove them"
    return value, None


def text_or_empty(prop: str, value: Any) -> tuple[Any, str | None]:
    """One line of text, or "" (a block key whose empty value is Descope's own)."""
    if value == "":
        return "", None
    return single_line_text(prop, value)


def description(prop: str, value: Any) -> tuple[Any, str | None]:
    """Free text (several lines allowed), at most MAX_DESCRIPTION_LENGTH characters."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"{prop} must be a string; got {_type_name(value)}"
    if len(value) > MAX_DESCRIPTION_LENGTH:
        return None, f"{prop} is {len(value)} characters long; shorten it to at most {MAX_DESCRIPTION_LENGTH}"
    return value, None


def identifier(prop: str, value: Any) -> tuple[Any, str | None]:
    """A custom id such as a tenant id: letters, digits, '_', '.', '-'."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f'{prop} must be a string such as "acme"; got {_type_name(value)}'
    if not value:
        return None, f"{prop} must not be empty; leave it out to let Descope generate an id"
    if len(value) > MAX_ID_LENGTH:
        return None, f"{prop} is {len(value)} characters long; use at most {MAX_ID_LENGTH}"
    if not _IDENTIFIER.match(value):
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


def string_set(prop: str, value: Any) -> tuple[Any, str | None]:
    """A set of names: de-duplicated and sorted, so reordering the program never shows as a change."""
    return _string_set(prop, value, domains=False)


def domain_set(prop: str, value: Any) -> tuple[Any, str | None]:
    """A set of domain names, lower-cased, de-duplicated and sorted."""
    return _string_set(prop, value, domains=True)


def _string_set(prop: str, value: Any, *, domains: bool) -> tuple[Any, str | None]:
    def item(where: str, text: str) -> tuple[str | None, str | None]:
        if not text.strip():
            return None, f"{where} is empty; remove it"
        if len(text) > MAX_ITEM_LENGTH:
            return None, f"{where} is longer than {MAX_ITEM_LENGTH} characters"
        if domains:
            domain, problem = _normalise_domain(text)
            return (None, f"{where}: {problem}") if problem else (domain, None)
        if text != text.strip():
            return None, f"{where} {_shown(text)} has leading or trailing spaces; remove them"
        return text, None

    return _sorted_set(prop, value, 'a list of strings, e.g. ["a", "b"]', item)


def _check_attribute_value(key: str, value: Any) -> str | None:
    scalar = (str, int, float, bool)
    where = f"custom_attributes[{_shown(key)}]"
    problem = _number_problem(where, value)
    if problem:
        return problem
    if isinstance(value, scalar):
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            problem = _number_problem(f"{where}[{index}]", item)
            if problem:
                return problem
            if not isinstance(item, scalar):
                return f"{where}[{index}] must be a string, number or boolean; got {_type_name(item)}"
        return None
    return f"{where} must be a string, number, boolean or a list of those; got {_type_name(value)}"


def attribute_map(prop: str, value: Any) -> tuple[Any, str | None]:
    """Custom attribute values keyed by the attribute's machine name."""
    if value is None:
        return None, None
    problem = _collection_problem("custom_attributes", value, Mapping, "a map of attribute name to value")
    if problem:
        return None, problem
    cleaned: dict[str, Any] = {}
    for key in value:
        if not isinstance(key, str) or not _ATTRIBUTE_KEY.match(key) or len(key) > MAX_ITEM_LENGTH:
            return None, (
                f"custom_attributes key {_shown(key)} must be the machine name of a custom attribute defined "
                "in the Descope console (for this kind of object) (letters, digits, '_', '.', '-')"
            )
        problem = _check_attribute_value(key, value[key])
        if problem:
            return None, problem
        cleaned[key] = integral_floats_as_int(value[key])
    return dict(sorted(cleaned.items())), None


def boolean(prop: str, value: Any) -> tuple[Any, str | None]:
    if value is None or isinstance(value, bool):
        return value, None
    return None, f"{prop} must be True or False; got {_type_name(value)} {_shown(value)}"


def one_of(*allowed: str) -> Check:
    """One of a few strings; a near miss in case or underscores gets a "did you mean"."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, None
        if isinstance(value, str) and value in allowed:
            return value, None
        hint = ""
        if isinstance(value, str):
            folded = value.lower().replace("_", "")
            close = [v for v in allowed if v and v.lower() == folded]
            hint = f"; did you mean {close[0]!r}?" if close else ""
        return None, f"{prop} must be one of {', '.join(repr(v) for v in allowed)}; got {_shown(value)}{hint}"

    return check


# ---- durations ------------------------------------------------------------------------------------

# Bounds of Descope's session durations. Descope does not publish them; these are the ones the
# official Descope Terraform provider enforces: token lifetimes of at least 3 minutes, an inactivity
# timeout of at least 10 minutes, and at most 1000 of the unit sent (here the largest unit that
# expresses the duration exactly), so at most 1000 weeks.
MAX_DURATION_UNITS = 1000
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*\Z")
_UNIT_NAMES: dict[str, str] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
}
_DURATION_EXAMPLES = '"15m", "12h", "30d", "2w" or a number of minutes'


def _duration_minutes(prop: str, value: Any) -> tuple[int | None, str | None]:
    """Minutes of a duration written as "15m", "12h", "30d", "2w" (or long unit names) or a number
    of minutes; or how to fix it."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, f"{prop} must be a duration such as {_DURATION_EXAMPLES}; got {_type_name(value)}"
    if isinstance(value, int | float):
        if not math.isfinite(value) or value != int(value):
            return (
                None,
                f"{prop} is {value!r} minutes; use a whole number of minutes (Descope has no seconds)",
            )
        return int(value), None
    match = _DURATION.match(value)
    if not match:
        return None, f"{prop} {_shown(value)} is not a duration; write it as {_DURATION_EXAMPLES}"
    number, unit_text = match.groups()
    unit = _UNIT_NAMES.get(unit_text.lower())
    if unit is None:
        hint = " (Descope's smallest unit is minutes)" if unit_text.lower().startswith("s") else ""
        return None, (
            f"{prop} {_shown(value)} has an unknown unit {unit_text!r}{hint}; use m, h, d or w, e.g. "
            f"{_DURATION_EXAMPLES}"
        )
    if "." in number:
        return None, f"{prop} {_shown(value)} is not a whole number of {unit}; write it in a smaller unit"
    return int(number) * UNIT_MINUTES[unit], None


def duration(min_minutes: int) -> Check:
    """A duration of at least `min_minutes`, normalised to its canonical text in the largest unit
    that expresses it exactly ("90m", "2h", "1d", "2w"), so that 120, "120m" and "2h" are one value
    and never show as a diff. The same text is what read() makes of the live value + unit."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, None
        minutes, problem = _duration_minutes(prop, value)
        if problem:
            return None, problem
        assert minutes is not None
        if minutes <= 0:
            return (
                None,
                f"{prop} must be a positive duration such as {_DURATION_EXAMPLES}; got {_shown(value)}",
            )
        if minutes < min_minutes:
            return None, (
                f"{prop} {_shown(value)} is shorter than Descope's minimum of {duration_text(min_minutes)}; "
                "use a longer duration"
            )
        count, unit = wire_duration(minutes)
        if count > MAX_DURATION_UNITS:
            larger = {"minutes": "hours", "hours": "days", "days": "weeks"}.get(unit)
            rounding = f", or round it to whole {larger}" if larger else ""
            return None, (
                f"{prop} {_shown(value)} is {count} {unit}: Descope accepts at most {MAX_DURATION_UNITS} "
                f"of a unit; use a shorter duration{rounding}"
            )
        return duration_text(minutes), None

    return check


def _json_problem(where: str, value: Any, depth: int = 0) -> str | None:
    if depth > 10:
        return f"{where} is nested too deeply (at most 10 levels)"
    if value is None or isinstance(value, str | bool):
        return None
    if isinstance(value, int | float):
        return _number_problem(where, value)
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            problem = _json_problem(f"{where}[{index}]", item, depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{where} has a key {_shown(key)} that is not a string"
            problem = _json_problem(f"{where}[{key!r}]", item, depth + 1)
            if problem:
                return problem
        return None
    return f"{where} must be a string, number, boolean, null, list or map; got {_type_name(value)}"


def _json_normalised(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _json_normalised(value[key]) for key in sorted(value)}
    if isinstance(value, list | tuple):
        return [_json_normalised(item) for item in value]
    return integral_floats_as_int(value)


def json_map(prop: str, value: Any) -> tuple[Any, str | None]:
    """A map of names to any JSON values (e.g. custom claims); integral numbers become integers."""
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        return (
            None,
            f'{prop} must be a map of names to values, e.g. {{"team": "billing"}}; got {_type_name(value)}',
        )
    for key in value:
        if not isinstance(key, str) or not key.strip() or len(key) > MAX_ITEM_LENGTH:
            return (
                None,
                f"{prop} key {_shown(key)} must be a non-empty string of at most {MAX_ITEM_LENGTH} "
                "characters",
            )
    problem = _json_problem(prop, value)
    if problem:
        return None, problem
    return _json_normalised(value), None


def any_json(prop: str, value: Any) -> tuple[Any, str | None]:
    """Any JSON value (a map, list or scalar), kept as given with integral numbers as integers."""
    if value is None:
        return None, None
    problem = _json_problem(prop, value)
    if problem:
        return None, problem
    return _json_normalised(value), None


def set_map(key_check: Check, example: str) -> Check:
    """A map of ids (checked by `key_check`) to sets of names, e.g. tenant id -> role names."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, None
        problem = _collection_problem(prop, value, Mapping, f"a map, e.g. {prop}={example}")
        if problem:
            return None, problem
        cleaned: dict[str, list[str]] = {}
        for key in sorted(value, key=str):
            _, problem = key_check(f"{prop} key", key)
            if problem:
                return None, problem
            names, problem = string_set(f"{prop}[{key!r}]", value[key])
            if problem:
                return None, problem
            cleaned[key] = names if names is not None else []
        return cleaned, None

    return check


def block(kind: str, block: Block, hints: Mapping[str, str] | None = None) -> Check:
    """A protocol block: a map with known keys, every absent key filled with its default, so the
    program's block and the block read back from Descope compare key by key."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, None
        if not isinstance(value, Mapping):
            return None, f"{prop} must be a {kind} block (a map or the sdk's args class)"
        for key in value:
            if key not in block.keys:
                hint = (hints or {}).get(key) or f"the keys are: {', '.join(block.keys)}"
                return None, f"{prop} has an unknown key {key!r}; {hint}"
        normalised_block: dict[str, Any] = {}
        for field in block.fields:
            item = value.get(field.name)
            if item is None:
                if field.required:
                    return None, f"{prop}.{field.name} is required"
                item = field.default_value()
            assert field.check is not None  # every Field input has one
            normalised, problem = field.check(f"{prop}.{field.name}", item)
            if problem:
                return None, problem
            normalised_block[field.name] = normalised
        return normalised_block, None

    return check


def provider_flag(name: str, doc: str) -> Field:
    """An on/off input that shapes what the provider does and is never sent (`adopt`)."""
    return Field(name, boolean, type=FLAG, sent=Sent.NEVER, doc=doc)


def optional_at_creation(name: str, check: Check, doc: str, *, python: str = "str", live: str = "") -> Field:
    """An optional input set when the object is created (a change, or removing it, replaces the
    object), whose leaving out means "not set" (None, which the sdk's output type says)."""
    return Field(
        name,
        check,
        type=PyType(python, f"{python} | None"),
        live=live or None,
        sent=Sent.CREATE,
        absent=None,
        doc=doc,
    )


def recorded(name: str, doc: str, *, type: PyType = TEXT, secret: bool = False) -> Field:
    """An output Descope does not return: recorded when the object is created (or adopted) and
    carried unchanged by read(); e.g. a secret Descope shows once, or what was there before."""
    return Field(name, output=True, returned=False, secret=secret, type=type, doc=doc)


def owning_tenant(doc: str) -> Field:
    """The `tenant_id` input of an object that belongs to one tenant (a membership, a tenant's
    settings): required, given as the Tenant resource's `.id`, set at creation (a change replaces)."""
    return Field("tenant_id", required(identifier, "acme.id"), required=True, sent=Sent.CREATE, doc=doc)
