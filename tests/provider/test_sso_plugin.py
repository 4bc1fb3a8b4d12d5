"""SsoConfiguration through the real `python -m pulumi.dynamic` plugin over gRPC, with the blob the sdk
class produces, against the emulator: the engine's calls one by one, and the plugin's logs."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi.runtime.rpc import UNKNOWN
from pulumi_descope_dynamic.sso_configuration import _PROVIDER
from pulumi_descope_dynamic.tenant import _PROVIDER as TENANT_PROVIDER

from tests.harness import (
    CLEAN_ENV,
    DiffChanges,
    DynamicPlugin,
    PluginError,
    dynamic_type,
    provider_blob,
    urn_for,
)
from tests.harness.fixtures import PluginFactory
from tests.support.sso import CLIENT_SECRET, NEW_CLIENT_SECRET, OIDC_PROGRAM, SAML_BLOCK

TYPE = dynamic_type("descope", "SsoConfiguration")
ID = "acme/default_ssoid"


def urn(name: str = "acme-okta") -> str:
    return urn_for(TYPE, name)


def config_for(emulator: EmulatorServer) -> dict[str, str]:
    return {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }


@pytest.fixture
def plugin(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    return running_plugin(
        _PROVIDER, config=config_for(emulator), secret_keys=["descope:managementKey"], env=CLEAN_ENV
    )


def create(plugin: DynamicPlugin, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    inputs, failures = plugin.check(urn(), {}, news)
    assert failures == []
    created = plugin.create(urn(), inputs)
    return created.id, created.properties


def test_lifecycle_through_the_plugin(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    id_, outs = create(plugin, OIDC_PROGRAM)
    assert id_ == ID
    assert emulator.stats()["total"] == 3  # the plugin's license handshake, then slot + configure
    assert outs["oidc_client_secret"] == CLIENT_SECRET and outs["auth_type"] == "oidc"

    # Refresh: nothing changed, the secret is kept, the program previews as no change.
    read = plugin.read(id_, urn(), outs)
    assert read.properties == outs
    inputs, _ = plugin.check(urn(), OIDC_PROGRAM, OIDC_PROGRAM)
    assert read.inputs == inputs
    assert plugin.diff(id_, urn(), read.properties, inputs).changes == DiffChanges.NONE

    # Rotating the secret is an update in place.
    rotated, _ = plugin.check(urn(), inputs, {**OIDC_PROGRAM, "oidc_client_secret": NEW_CLIENT_SECRET})
    diff = plugin.diff(id_, urn(), read.properties, rotated)
    assert diff.changes == DiffChanges.SOME and diff.replaces == []
    updated = plugin.update(id_, urn(), read.properties, rotated)
    assert emulator.state.sso.client_secret_matches("acme", "default_ssoid", NEW_CLIENT_SECRET)

    # OIDC -> SAML: in place too.
    saml, _ = plugin.check(
        urn(), rotated, {**OIDC_PROGRAM, "oidc": None, "oidc_client_secret": None, "saml": SAML_BLOCK}
    )
    diff = plugin.diff(id_, urn(), updated.properties, saml)
    assert diff.changes == DiffChanges.SOME and diff.replaces == []
    updated = plugin.update(id_, urn(), updated.properties, saml)
    assert updated.properties["auth_type"] == "saml" and updated.properties.get("oidc") is None

    # A new display name replaces it (Descope sets it with the slot only).
    renamed, _ = plugin.check(
        urn(), saml, {**OIDC_PROGRAM, "oidc": None, "saml": SAML_BLOCK, "display_name": "X"}
    )
    diff = plugin.diff(id_, urn(), updated.properties, renamed)
    assert diff.replaces == ["display_name"] and diff.delete_before_replace is True

    plugin.delete(id_, urn(), updated.properties)
    assert emulator.state.sso.count() == 0

    for secret in (CLIENT_SECRET, NEW_CLIENT_SECRET):
        assert secret not in plugin.logs()


def test_preview_with_an_unknown_tenant_id(plugin: DynamicPlugin) -> None:
    news = {**OIDC_PROGRAM, "tenant_id": UNKNOWN}
    inputs, failures = plugin.check(urn(), {}, news, preview=True)
    assert failures == []
    assert inputs["tenant_id"] == UNKNOWN and inputs["oidc"]["grant_type"] == "authorization_code"


def test_failures_and_errors_never_show_the_secret(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    bad = {**OIDC_PROGRAM, "oidc": {**OIDC_PROGRAM["oidc"], "issuer": "http://idp.example.com"}}
    _, failures = plugin.check(urn(), {}, bad)
    assert [prop for prop, _ in failures] == ["oidc"]
    # An API error on create (the tenant does not exist): rolled back, reported, secret not in it.
    inputs, _ = plugin.check(urn(), {}, {**OIDC_PROGRAM, "tenant_id": "nope"})
    with pytest.raises(PluginError) as info:
        plugin.create(urn(), inputs)
    assert "was not created" in info.value.message
    assert CLIENT_SECRET not in info.value.message + repr(failures) + plugin.logs()


def test_console_edit_shows_as_drift(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    id_, outs = create(plugin, OIDC_PROGRAM)
    emulator.state.sso.edit("acme", domains=["acme.com", "acme.org"])
    read = plugin.read(id_, urn(), outs)
    assert read.inputs is not None and read.inputs["domains"] == ["acme.com", "acme.org"]
    inputs, _ = plugin.check(urn(), read.inputs, OIDC_PROGRAM)
    assert plugin.diff(id_, urn(), read.properties, inputs).changes == DiffChanges.SOME


def test_console_delete_drops_it(plugin: DynamicPlugin, emulator: EmulatorServer) -> None:
    id_, outs = create(plugin, OIDC_PROGRAM)
    emulator.state.sso.remove("acme")
    assert plugin.read(id_, urn(), outs).id is None
    assert "no longer exists" in plugin.logs()


def test_the_tenant_follows_its_sso_configuration_after_a_refresh(
    plugin: DynamicPlugin, running_plugin: PluginFactory, emulator: EmulatorServer
) -> None:
    tenants = running_plugin(
        TENANT_PROVIDER, config=config_for(emulator), secret_keys=["descope:managementKey"], env=CLEAN_ENV
    )
    tenant_urn = urn_for(dynamic_type("descope", "Tenant"), "globex")
    inputs, _ = tenants.check(tenant_urn, {}, {"name": "Globex", "tenant_id": "globex"})
    tenant = tenants.create(tenant_urn, inputs).properties
    assert tenant["auth_type"] == "none" and tenant["domains"] == []

    create(plugin, {**OIDC_PROGRAM, "tenant_id": "globex", "domains": ["globex.com"]})
    refreshed = tenants.read("globex", tenant_urn, tenant)
    assert refreshed.properties["auth_type"] == "oidc"
    assert refreshed.properties["domains"] == ["globex.com"]


def test_blob_is_the_class_path_only() -> None:
    """The class path is a compatibility contract (README "Compatibility"); the blob names it by
    reference and holds nothing else: no configuration, client or key."""
    raw = base64.b64decode(provider_blob(_PROVIDER))
    assert b"pulumi_descope_dynamic_provider.sso_configuration" in raw and b"SsoConfigurationProvider" in raw
    assert len(raw) < 200
