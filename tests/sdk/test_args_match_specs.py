"""The sdk package is generated from the provider's resource specs (scripts/gen_sdk.py), the single
source of a resource's fields: a spec changed without regenerating fails here, and so does a class
that does not match its spec."""

from __future__ import annotations

import importlib
import runpy
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any, get_origin

import pulumi
import pulumi_descope_dynamic as descope
import pytest
from pulumi_descope_dynamic.cli import kinds
from pulumi_descope_dynamic_provider.catalogue import PROVIDERS, module_of
from pulumi_descope_dynamic_provider.core.fields import Field

REPO = Path(__file__).resolve().parents[2]
GENERATOR = runpy.run_path(str(REPO / "scripts" / "gen_sdk.py"), run_name="gen_sdk")
IDS = [p.spec.type_name for p in PROVIDERS]


def test_generated_files_are_current() -> None:
    stale = [
        str(path.relative_to(REPO))
        for path, text in GENERATOR["render_all"]().items()
        if not path.exists() or path.read_text() != text
    ]
    assert stale == [], f"run `make sdk`: {stale} differ from the specs"


def test_every_catalogued_type_is_exported_and_nothing_else() -> None:
    classes = {name for name in descope.__all__ if not name.endswith("Args")}
    assert classes == {p.spec.type_name for p in PROVIDERS}


def test_export_and_drift_cover_every_catalogued_type_or_say_why_not() -> None:
    listed = [kind.spec.type_name for kind in kinds.KINDS]
    assert len(listed) == len(set(listed))
    assert set(listed) | set(kinds.NOT_LISTED) == {p.spec.type_name for p in PROVIDERS}
    assert not set(listed) & set(kinds.NOT_LISTED)


@pytest.mark.parametrize("provider", PROVIDERS, ids=IDS)
def test_args_are_exactly_the_spec_inputs_and_required_ones_have_no_default(provider: Any) -> None:
    spec = provider.spec
    args = getattr(descope, f"{spec.type_name}Args")
    assert {f.name for f in fields(args)} == set(spec.input_names)
    required = {f.name for f in fields(args) if f.default is MISSING}
    assert required == {f.name for f in spec.inputs if f.required}


@pytest.mark.parametrize("provider", PROVIDERS, ids=IDS)
def test_output_attributes_are_exactly_the_spec_fields(provider: Any) -> None:
    resource = getattr(descope, provider.spec.type_name)
    outputs = {name for name, hint in resource.__annotations__.items() if get_origin(hint) is pulumi.Output}
    assert outputs == {f.name for f in provider.spec.fields}


@pytest.mark.parametrize("provider", PROVIDERS, ids=IDS)
def test_type_token_and_module_name_the_resource(provider: Any) -> None:
    spec = provider.spec
    resource = getattr(descope, spec.type_name)
    assert resource._resource_type_name == f"dynamic/descope:{spec.type_name}"
    # The sdk module mirrors the provider module (both are in users' imports and stack state).
    assert importlib.import_module(f"pulumi_descope_dynamic.{module_of(provider)}").__dict__[spec.type_name]


@pytest.mark.parametrize("provider", PROVIDERS, ids=IDS)
def test_a_required_input_is_refused_when_missing_and_an_optional_one_is_not(provider: Any) -> None:
    """`required=True` (what the sdk's Args says) and the field's check agree."""
    for field in provider.spec.inputs:
        assert field.check is not None
        _, problem = field.check(field.name, None)
        assert bool(problem) == field.required, field.name


@pytest.mark.parametrize(
    ("flags", "why"),
    [
        ({"output": True, "required": True}, "never sent nor required"),
        ({}, "an input needs a check"),
        ({"check": lambda p, v: (v, None), "secret": True}, "set returned=False"),
        ({"check": lambda p, v: (v, None), "returned": False, "sent": "never"}, "provider-only"),
    ],
)
def test_impossible_field_combinations_raise_at_declaration(flags: dict[str, Any], why: str) -> None:
    from pulumi_descope_dynamic_provider.core.fields import Sent

    if flags.get("sent") == "never":
        flags["sent"] = Sent.NEVER
    with pytest.raises(ValueError, match=why):
        Field("x", **flags)
