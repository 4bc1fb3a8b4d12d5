"""The role and permission APIs (simple object APIs, api/objects.py) against the emulator: creates
never duplicated when an answer is lost, deletes that can never widen into "delete everything", and
"gone" decided safely."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.errors import InvalidArgumentError
from pulumi_descope_dynamic_provider.api.permissions import PERMISSIONS, Permission, PermissionFields
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.roles import ROLES, Role, RoleFields
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

PROVIDER_PACKAGE = Path(__file__).resolve().parents[2] / "provider" / "pulumi_descope_dynamic_provider"


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


def role_names(emulator: EmulatorServer) -> list[tuple[str, str]]:
    return sorted((r.get("tenantId") or "", r["name"]) for r in emulator.state.all_roles()["roles"])


def test_no_code_path_can_send_a_batch_role_delete() -> None:
    """Descope deletes EVERY role when role/delete/batch gets no names or ids: the client has no
    batch delete at all, so no input can ever produce that request."""
    sources = "\n".join(path.read_text() for path in PROVIDER_PACKAGE.rglob("*.py"))
    assert "mgmt/role/delete/batch" not in sources
    assert "mgmt/permission/delete/batch" not in sources


def test_a_delete_without_an_id_is_refused_before_any_request(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    with pytest.raises(InvalidArgumentError, match="id"):
        client.delete_object(ROLES, Role(name="", id="", tenant_id="acme"))
    with pytest.raises(InvalidArgumentError):
        client.delete_object(PERMISSIONS, Permission(name="", id=""))
    assert emulator.stats()["total"] == 0


def test_lost_role_create_answer_is_adopted_not_duplicated(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.queue_fault("lost_response", method="POST", path=ROLES.path("create"))
    role = client.create_object(ROLES, RoleFields(name="Admin", tenant_id="acme", description="d"))
    assert role.id and role.tenant_id == "acme"
    assert [name for name in role_names(emulator) if name[0] == "acme"] == [("acme", "Admin")]


def test_lost_permission_create_answer_is_adopted_not_duplicated(
    client: DescopeClient, emulator: EmulatorServer
) -> None:
    emulator.queue_fault("lost_response", method="POST", path=PERMISSIONS.path("create"))
    created = client.create_object(PERMISSIONS, PermissionFields(name="read", description="r"))
    assert created.name == "read"
    assert [p["name"] for p in emulator.state.all_permissions()["permissions"]].count("read") == 1


def test_deleting_what_is_already_gone_reports_gone(client: DescopeClient, emulator: EmulatorServer) -> None:
    role = client.create_object(ROLES, RoleFields(name="Temp"))
    assert client.delete_object(ROLES, role) is True
    assert client.delete_object(ROLES, role) is False
    permission = client.create_object(PERMISSIONS, PermissionFields(name="temp"))
    assert client.delete_object(PERMISSIONS, permission) is True
    assert client.delete_object(PERMISSIONS, permission) is False
