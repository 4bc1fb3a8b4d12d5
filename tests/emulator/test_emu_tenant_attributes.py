"""Tenant attribute definitions in the emulator, over HTTP as the official Terraform provider calls
them, and the emulator's rule for tenants' values: a project with definitions refuses an undefined key
or a value that does not fit; a project with none accepts any key (as it always did)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer

PATH = "/v1/mgmt/tenant/attribute"


def call(emulator: EmulatorServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, emulator.url + path, headers=emulator.headers, timeout=10, **kwargs)


def create_tenant(emulator: EmulatorServer, tenant_id: str, values: dict[str, Any]) -> requests.Response:
    return call(
        emulator,
        "POST",
        "/v1/mgmt/tenant/create",
        json={"id": tenant_id, "name": tenant_id, "customAttributes": values},
    )


def test_routes_create_overwrite_load_delete(emulator: EmulatorServer) -> None:
    body = {"name": "tier", "displayName": "Tier", "type": "singleselect", "options": ["a", "b"]}
    assert call(emulator, "POST", PATH, json=body).status_code == 200
    # {label, value} options, as the provider's older project-level model sends them, are stored by value.
    overwrite = {**body, "options": [{"label": "a", "value": "a"}], "viewPermissions": ["x"]}
    assert call(emulator, "POST", PATH, json=overwrite).status_code == 200
    loaded = call(emulator, "GET", PATH, params={"name": "tier"}).json()
    assert loaded == {
        "name": "tier",
        "displayName": "Tier",
        "type": "singleselect",
        "options": ["a"],
        "viewPermissions": ["x"],
    }
    assert call(emulator, "DELETE", PATH, params={"name": "tier"}).status_code == 200
    missing = call(emulator, "GET", PATH, params={"name": "tier"})
    assert missing.status_code == 404 and missing.json()["errorCode"] == "E112502"
    assert call(emulator, "DELETE", PATH, params={"name": "tier"}).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"name": "bad name", "type": "string"},
        {"name": "tier", "type": "text"},
        {"name": "tier", "type": "singleselect"},
        {"name": "tier", "type": "number", "options": ["1"]},
    ],
)
def test_bad_definitions_are_refused(emulator: EmulatorServer, body: dict[str, Any]) -> None:
    assert call(emulator, "POST", PATH, json=body).status_code == 400


def test_values_are_checked_only_in_a_project_with_definitions(emulator: EmulatorServer) -> None:
    assert create_tenant(emulator, "legacy", {"anything": "goes"}).status_code == 200
    call(emulator, "POST", PATH, json={"name": "seats", "displayName": "Seats", "type": "number"})
    refused = create_tenant(emulator, "t1", {"seats": "many"})
    assert refused.status_code == 400 and "seats" in refused.json()["errorMessage"]
    assert create_tenant(emulator, "t2", {"other": 1}).status_code == 400
    assert create_tenant(emulator, "t3", {"seats": 3}).status_code == 200
    patch = call(
        emulator, "PATCH", "/v1/mgmt/tenant/patch", json={"id": "t3", "customAttributes": {"seats": True}}
    )
    assert patch.status_code == 400
    # Deleting a definition drops its values from every tenant.
    call(emulator, "DELETE", PATH, params={"name": "seats"})
    assert call(emulator, "GET", "/v1/mgmt/tenant", params={"id": "t3"}).json()["customAttributes"] == {}
