"""The SSO application API module against the emulator: a create whose answer is lost is adopted, not
made twice; the load answer in the docs' wrapped shape is read too; a delete of a gone app is False."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.errors import AlreadyExistsError
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.sso_apps import SSO_APP_CREATE, SSO_APP_LOAD

OIDC_CREATE = SSO_APP_CREATE.format(protocol="oidc")


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[DescopeClient]:
    settings = ClientSettings(
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        base_url=emulator.url,
        rate_limit=None,
    )
    client = DescopeClient(
        settings, rate_limiter=UnlimitedRateLimiter(), sleeper=lambda _: None, rng=random.Random(7)
    )
    yield client
    client.close()


def names(emulator: EmulatorServer) -> list[str]:
    return sorted(app["name"] for app in emulator.state.sso_apps.dump())


@pytest.mark.parametrize("app_id", ["", "portal"])
def test_a_lost_create_answer_is_adopted_by_id_or_name(
    client: DescopeClient, emulator: EmulatorServer, app_id: str
) -> None:
    emulator.queue_fault("lost_response", method="POST", path=OIDC_CREATE)
    created = client.create_sso_app("oidc", {"id": app_id, "name": "Portal", "loginPageUrl": ""})
    assert names(emulator) == ["OIDC default application", "Portal"]
    assert emulator.state.get_sso_app(created) is not None
    assert app_id in ("", created)


def test_a_lost_create_answer_is_not_confused_with_another_protocol(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    emulator.queue_fault("lost_response", method="POST", path=OIDC_CREATE)
    emulator.state.sso_apps.create(
        {"name": "Portal", "useMetadataInfo": True, "metadataUrl": "https://m"}, protocol="saml"
    )
    with pytest.raises(AlreadyExistsError):
        client.create_sso_app("oidc", {"id": "", "name": "Portal", "loginPageUrl": ""})


def test_load_reads_both_shapes_and_delete_of_a_gone_app(
    client: DescopeClient, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id = client.create_sso_app("oidc", {"id": "", "name": "Portal", "loginPageUrl": ""})
    flat = client.load_sso_app(app_id)
    assert flat is not None and flat.name == "Portal" and flat.protocol == "oidc"
    # The docs show the answer wrapped in {"app": ...} (every SDK parses it flat): both are read.
    real = client._call

    def wrapped(operation: str, method: str, path: str, **kwargs: Any) -> Any:
        answer = real(operation, method, path, **kwargs)
        return {"app": answer} if path == SSO_APP_LOAD else answer

    monkeypatch.setattr(client, "_call", wrapped)
    assert client.load_sso_app(app_id) == flat
    assert client.delete_sso_app(app_id) is True
    assert client.delete_sso_app(app_id) is False
    assert client.load_sso_app(app_id) is None
