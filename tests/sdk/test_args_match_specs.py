"""Each sdk resource class and its Args are held against the provider's field spec (the single
source of a resource's fields): a field added to one and not the other fails here."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pulumi_descope_dynamic as descope
import pytest
from pulumi_descope_dynamic_provider.access_key import ACCESS_KEY
from pulumi_descope_dynamic_provider.core.fields import ResourceSpec
from pulumi_descope_dynamic_provider.permission import PERMISSION
from pulumi_descope_dynamic_provider.role import ROLE
from pulumi_descope_dynamic_provider.sso_admin_link import SSO_ADMIN_LINK
from pulumi_descope_dynamic_provider.sso_configuration import SSO_CONFIGURATION
from pulumi_descope_dynamic_provider.tenant import TENANT
from pulumi_descope_dynamic_provider.tenant_settings import TENANT_SETTINGS

RESOURCES: list[tuple[type[Any], type[Any], ResourceSpec]] = [
    (descope.Tenant, descope.TenantArgs, TENANT),
    (descope.TenantSettings, descope.TenantSettingsArgs, TENANT_SETTINGS),
    (descope.Role, descope.RoleArgs, ROLE),
    (descope.Permission, descope.PermissionArgs, PERMISSION),
    (descope.SsoConfiguration, descope.SsoConfigurationArgs, SSO_CONFIGURATION),
    (descope.SsoAdminLink, descope.SsoAdminLinkArgs, SSO_ADMIN_LINK),
    (descope.AccessKey, descope.AccessKeyArgs, ACCESS_KEY),
]


@pytest.mark.parametrize(
    ("resource", "args", "spec"), RESOURCES, ids=[spec.type_name for *_, spec in RESOURCES]
)
def test_args_are_exactly_the_spec_inputs(resource: type[Any], args: type[Any], spec: ResourceSpec) -> None:
    assert {f.name for f in fields(args)} == set(spec.input_names)


@pytest.mark.parametrize(
    ("resource", "args", "spec"), RESOURCES, ids=[spec.type_name for *_, spec in RESOURCES]
)
def test_output_attributes_are_exactly_the_spec_fields(
    resource: type[Any], args: type[Any], spec: ResourceSpec
) -> None:
    outputs = {
        name for name, hint in resource.__annotations__.items() if str(hint).startswith("pulumi.Output")
    }
    assert outputs == {f.name for f in spec.fields}


@pytest.mark.parametrize(
    ("resource", "args", "spec"), RESOURCES, ids=[spec.type_name for *_, spec in RESOURCES]
)
def test_type_token_names_the_resource(resource: type[Any], args: type[Any], spec: ResourceSpec) -> None:
    assert resource.__name__ == spec.type_name
    # The engine prefixes "pulumi-python:": the token users see is pulumi-python:dynamic/descope:<Type>.
    assert resource._resource_type_name == f"dynamic/descope:{spec.type_name}"  # type: ignore[attr-defined]
