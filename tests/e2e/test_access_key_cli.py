"""AccessKey end to end on the real Pulumi engine against the emulator, with the secret scan the issue
asks for: after every step, no cleartext the stack ever held appears in plain text in
`pulumi stack export` (without --show-secrets), in the engine's and plugin's output, or in any file
the engine wrote (state, backups, history, logs, the pickled provider blob inside the state)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pulumi_descope_dynamic as descope
import pytest
from descope_emulator import EmulatorServer

from tests.support.engine import EngineStack, new_stack

KEY_TYPE = "pulumi-python:dynamic/descope:AccessKey"


@pytest.fixture
def roles(emulator: EmulatorServer) -> None:
    emulator.state.create_role({"name": "viewer"})


def key_program(settings: dict[str, Any]) -> Callable[[], None]:
    """A tenant and a key scoped to it; edit `settings` between runs to change the program."""

    def program() -> None:
        acme = descope.Tenant("acme", name="Acme", tenant_id="acme")
        key = descope.AccessKey(
            "backend",
            name="backend",
            tenant_roles=acme.tenant_id.apply(lambda tenant_id: {tenant_id: ["viewer"]}),
            permitted_ips=["10.0.0.0/8"],
            rotation_triggers=settings.get("rotation_triggers"),
        )
        pulumi.export("key", key.cleartext)
        pulumi.export("key_id", key.key_id)

    return program


def plain_text_places(stack: EngineStack, root: Path) -> dict[str, str]:
    """Everywhere a leaked cleartext could be read without the stack's passphrase."""
    places = {"pulumi stack export": stack.export_text(), "engine and plugin output": stack.text()}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            places[str(path.relative_to(root))] = path.read_bytes().decode("utf-8", errors="replace")
    return places


def assert_nowhere_in_plain_text(stack: EngineStack, root: Path, secrets: list[str]) -> int:
    places = plain_text_places(stack, root)
    leaks = [
        (where, i) for where, text in places.items() for i, secret in enumerate(secrets) if secret in text
    ]
    assert leaks == [], f"cleartext found in plain text: {leaks}"
    return len(places)


def current_key(stack: EngineStack) -> tuple[str, str]:
    outputs = stack.stack.outputs()
    assert outputs["key"].secret is True
    return outputs["key_id"].value, outputs["key"].value


def test_cleartext_stays_secret_through_up_refresh_rotate_recreate_and_destroy(
    tmp_path: Path, emulator: EmulatorServer, roles: None
) -> None:
    settings: dict[str, Any] = {"rotation_triggers": {"rotated": "1"}}
    root = tmp_path / "stack"
    stack = new_stack(
        key_program(settings),
        root,
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
    )
    keys = emulator.state.access_keys
    seen: list[str] = []

    up = stack.up()
    assert up.summary.resource_changes == {"create": 3}
    key_id, secret = current_key(stack)
    seen.append(secret)
    assert keys.verify(secret) == key_id
    assert keys.get(key_id)["keyTenants"][0]["tenantId"] == "acme"  # type: ignore[index]
    # The scan is meaningful: the decrypted export does hold the value that is absent elsewhere.
    assert secret in stack.export_text(show_secrets=True)
    assert_nowhere_in_plain_text(stack, root, seen)

    # Refresh cannot see the cleartext and keeps it; the program then previews clean.
    stack.refresh()
    assert current_key(stack) == (key_id, secret)
    stack.preview(expect_no_changes=True)
    assert_nowhere_in_plain_text(stack, root, seen)

    # Rotation: an in-place update; the old cleartext stops working at once.
    settings["rotation_triggers"] = {"rotated": "2"}
    up = stack.up()
    assert up.summary.resource_changes == {"update": 1, "same": 2}
    rotated_id, rotated = current_key(stack)
    seen.append(rotated)
    assert rotated_id == key_id and rotated != secret
    assert keys.verify(rotated) == key_id and keys.verify(secret) is None
    assert_nowhere_in_plain_text(stack, root, seen)

    # Console drift: an IP range edited in the console shows after a refresh, and up restores it.
    keys.edit(key_id, permittedIps=["0.0.0.0/0"])
    stack.refresh()
    preview = stack.preview()
    assert preview.change_summary == {"update": 1, "same": 2}
    stack.up()
    assert keys.get(key_id)["permittedIps"] == ["10.0.0.0/8"]  # type: ignore[index]

    # Deleted in the console: the refresh drops it with a warning, up makes a new key.
    keys.remove(key_id)
    stack.refresh()
    assert "NEW cleartext" in stack.text()
    up = stack.up()
    assert up.summary.resource_changes == {"create": 1, "same": 2}
    new_id, new_secret = current_key(stack)
    seen.append(new_secret)
    assert keys.ids() == [new_id] and keys.verify(new_secret) == new_id
    assert_nowhere_in_plain_text(stack, root, seen)

    stack.destroy()
    assert keys.ids() == []
    places = assert_nowhere_in_plain_text(stack, root, seen)
    assert places > 5  # state, its backups and history were all scanned


def test_expire_time_change_replaces_creating_the_successor_first(
    tmp_path: Path, emulator: EmulatorServer, roles: None
) -> None:
    settings: dict[str, Any] = {"expire_time": "2099-01-01"}

    def program() -> None:
        key = descope.AccessKey("ci", name="ci", role_names=["viewer"], expire_time=settings["expire_time"])
        pulumi.export("key", key.cleartext)
        pulumi.export("key_id", key.key_id)

    stack = new_stack(
        program,
        tmp_path / "stack",
        base_url=emulator.url,
        project_id=emulator.project_id,
        management_key=emulator.management_key,
    )
    stack.up()
    old_id, _ = current_key(stack)
    settings["expire_time"] = "2099-06-01T00:00:00Z"
    up = stack.up()
    assert up.summary.resource_changes == {"replace": 1, "same": 1}
    new_id, new_secret = current_key(stack)
    assert new_id != old_id and emulator.state.access_keys.ids() == [new_id]
    assert emulator.state.access_keys.verify(new_secret) == new_id
    # The successor is created before the old key is deleted (delete_before_replace=False).
    writes = [
        entry["path"] for entry in emulator.requests() if entry["path"].startswith("/v1/mgmt/accesskey/")
    ]
    assert writes[-2:] == ["/v1/mgmt/accesskey/create", "/v1/mgmt/accesskey/delete"]
