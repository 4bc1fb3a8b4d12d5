"""SsoApplication and the Tenant's check of federated_app_ids through the real `python -m pulumi.dynamic`
plugin over gRPC, against the emulator: preview-time refusals (protocol blocks, SAML details, ids
naming no app, only with credentials and with one list per process), a protocol switch replaces,
adoption of the built-in app (never deleted), a lost client secret never shown."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.sso_application import _PROVIDER as APP_PROVIDER
from pulumi_descope_dynamic.tenant import _PROVIDER as TENANT_PROVIDER

from tests.harness import CLEAN_ENV, DynamicPlugin, dynamic_type, urn_for
from tests.harness.fixtures import PluginFactory

APP_URN = urn_for(dynamic_type("descope", "SsoApplication"), "portal")
TENANT_URN = urn_for(dynamic_type("descope", "Tenant"), "acme")
OIDC = {"login_page_url": "https://auth.example.com/login"}


def config_for(emulator: EmulatorServer) -> dict[str, str]:
    return {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }


def app_lists(emulator: EmulatorServer) -> int:
    stats = requests.get(emulator.url + "/emulator/stats", timeout=5).json()["requests"]
    return sum(stats.get("GET /v1/mgmt/sso/idp/apps/load", {}).values())


@pytest.fixture
def apps(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    return running_plugin(
        APP_PROVIDER, config=config_for(emulator), secret_keys=["descope:managementKey"], env=CLEAN_ENV
    )


@pytest.fixture
def tenants(running_plugin: PluginFactory, emulator: EmulatorServer) -> DynamicPlugin:
    return running_plugin(
        TENANT_PROVIDER, config=config_for(emulator), secret_keys=["descope:managementKey"], env=CLEAN_ENV
    )


def failures_of(
    plugin: DynamicPlugin, urn: str, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> dict[str, str]:
    _, failures = plugin.check(urn, olds or {}, news)
    return dict(failures)


def test_preview_refuses_what_descope_would(apps: DynamicPlugin, emulator: EmulatorServer) -> None:
    assert "exactly one of oidc and saml" in failures_of(apps, APP_URN, {"name": "P"})["oidc"]
    both = failures_of(apps, APP_URN, {"name": "P", "oidc": OIDC, "saml": {"metadata_url": "https://sp/m"}})
    assert "exactly one" in both["saml"]
    saml = failures_of(apps, APP_URN, {"name": "P", "saml": {"entity_id": "https://sp"}})
    assert "acs_url, certificate" in saml["saml"]
    assert (
        "unknown key 'client_secret'"
        in failures_of(apps, APP_URN, {"name": "P", "oidc": {"client_secret": "x"}})["oidc"]
    )
    built_in = failures_of(apps, APP_URN, {"name": "P", "oidc": OIDC, "app_id": emulator.project_id})
    assert "built-in" in built_in["app_id"]
    assert failures_of(apps, APP_URN, {"name": "P", "oidc": OIDC}) == {}


def test_tenant_app_ids_checked_once_per_process_only_with_credentials(
    tenants: DynamicPlugin, running_plugin: PluginFactory, emulator: EmulatorServer
) -> None:
    app_id = emulator.state.sso_apps.create({"name": "Portal"}, protocol="oidc")["id"]
    refused = failures_of(tenants, TENANT_URN, {"name": "Acme", "federated_app_ids": [app_id, "ghost"]})
    assert "'ghost'" in refused["federated_app_ids"] and repr(app_id) not in refused["federated_app_ids"]
    assert failures_of(tenants, TENANT_URN, {"name": "Acme", "federated_app_ids": [app_id]}) == {}
    # Ids already in the previous inputs are not checked again (no request when none is new).
    assert (
        failures_of(
            tenants,
            TENANT_URN,
            {"name": "Acme", "federated_app_ids": ["ghost"]},
            {"federated_app_ids": ["ghost"]},
        )
        == {}
    )
    assert app_lists(emulator) == 1

    # Without credentials (a preview may run so) nothing is asked and nothing refused.
    bare = running_plugin(TENANT_PROVIDER, config={}, env=CLEAN_ENV)
    assert failures_of(bare, TENANT_URN, {"name": "Acme", "federated_app_ids": ["ghost"]}) == {}
    assert app_lists(emulator) == 1


def test_create_switch_protocol_replaces_and_secret_is_a_recorded_output(
    apps: DynamicPlugin, emulator: EmulatorServer
) -> None:
    inputs, _ = apps.check(APP_URN, {}, {"name": "Portal", "oidc": OIDC})
    created = apps.create(APP_URN, inputs)
    secret = emulator.state.sso_apps.secret(created.id)["cleartext"]
    assert created.properties["client_secret"] == secret
    assert created.properties["client_id"] == created.id and created.properties["app_id"] == created.id

    read = apps.read(created.id, APP_URN, created.properties, inputs)
    assert read.properties["client_secret"] == secret, "kept across refreshes"
    saml = {"metadata_url": "https://wiki.example.com/metadata"}
    news, _ = apps.check(APP_URN, inputs, {"name": "Portal", "saml": saml})
    diff = apps.diff(created.id, APP_URN, created.properties, news)
    assert "saml" in diff.replaces


def test_built_in_app_adopted_and_left_in_place(apps: DynamicPlugin, emulator: EmulatorServer) -> None:
    news = {"name": "Main", "app_id": emulator.project_id, "adopt": True, "oidc": OIDC}
    inputs, failures = apps.check(APP_URN, {}, news)
    assert failures == []
    created = apps.create(APP_URN, inputs)
    assert created.id == emulator.project_id
    assert emulator.state.get_sso_app(emulator.project_id)["name"] == "Main"
    apps.delete(created.id, APP_URN, created.properties)
    assert emulator.state.get_sso_app(emulator.project_id) is not None
