"""AccessKey end to end as a user works: `pulumi` commands in a project directory on the real CLI
against the emulator, with the secret scan the issue asks for: after every step, no cleartext the
stack ever held appears in plain text in `pulumi stack export` (without --show-secrets), in what the
CLI and the plugin printed, or in any file the CLI wrote (state, backups, history, stack config, the
pickled provider blob inside the state).

`up`, `refresh` and `destroy` run with `--yes --skip-preview`, as in CI: the engine runs once per
command (without the flag each first previews, doubling the time); the test previews explicitly
(`pulumi preview`) where a preview is what it checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

UP = ("up", "--yes", "--skip-preview")
REFRESH = ("refresh", "--yes", "--skip-preview")

KEY_PROGRAM = """\
import pulumi
import pulumi_descope_dynamic as descope

acme = descope.Tenant("acme", name="Acme", tenant_id="acme")
key = descope.AccessKey(
    "backend",
    name="backend",
    tenant_roles=acme.tenant_id.apply(lambda tenant_id: {{tenant_id: ["viewer"]}}),
    permitted_ips=["10.0.0.0/8"],
    rotation_triggers={{"rotated": {rotated!r}}},
)
pulumi.export("key", key.cleartext)
pulumi.export("key_id", key.key_id)
"""

CI_KEY_PROGRAM = """\
import pulumi
import pulumi_descope_dynamic as descope

key = descope.AccessKey("ci", name="ci", role_names=["viewer"], expire_time={expire_time!r})
pulumi.export("key", key.cleartext)
pulumi.export("key_id", key.key_id)
"""


@pytest.fixture
def roles(emulator: EmulatorServer) -> None:
    emulator.state.create_role({"name": "viewer"})


def key_program(rotated: str) -> str:
    """A tenant and a key scoped to it; a new `rotated` value rotates the key."""
    return KEY_PROGRAM.format(rotated=rotated)


def plain_text_places(project: PulumiProject, root: Path) -> dict[str, str]:
    """Everywhere a leaked cleartext could be read without the stack's passphrase."""
    places = {"pulumi stack export": project.export(), "CLI and plugin output": project.plain_output()}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            places[str(path.relative_to(root))] = path.read_bytes().decode("utf-8", errors="replace")
    return places


def assert_nowhere_in_plain_text(project: PulumiProject, root: Path, secrets: list[str]) -> int:
    places = plain_text_places(project, root)
    leaks = [
        (where, i) for where, text in places.items() for i, secret in enumerate(secrets) if secret in text
    ]
    assert leaks == [], f"cleartext found in plain text: {leaks}"
    return len(places)


def current_key(project: PulumiProject) -> tuple[str, str]:
    """The key's id and cleartext; the cleartext is a secret output (`stack output` hides it)."""
    assert project.outputs()["key"] == "[secret]"
    revealed = project.outputs(show_secrets=True)
    return revealed["key_id"], revealed["key"]


def test_cleartext_stays_secret_through_up_refresh_rotate_recreate_and_destroy(
    tmp_path: Path, emulator: EmulatorServer, roles: None
) -> None:
    project = PulumiProject.create(tmp_path, key_program("1"))
    project.init_stack("e2e", emulator)
    keys = emulator.state.access_keys
    seen: list[str] = []

    up = project.run(*UP)
    assert changes(up) == {"create": 3}, project.transcript()
    key_id, secret = current_key(project)
    seen.append(secret)
    assert keys.verify(secret) == key_id
    assert keys.get(key_id)["keyTenants"][0]["tenantId"] == "acme"  # type: ignore[index]
    # The scan is meaningful: the decrypted export does hold the value that is absent elsewhere.
    assert secret in project.export(show_secrets=True)
    assert_nowhere_in_plain_text(project, tmp_path, seen)

    # Refresh cannot see the cleartext and keeps it; the program then previews clean.
    project.run(*REFRESH)
    assert current_key(project) == (key_id, secret)
    project.run("preview", "--expect-no-changes")
    assert_nowhere_in_plain_text(project, tmp_path, seen)

    # Rotation: an in-place update; the old cleartext stops working at once.
    project.write_program(key_program("2"))
    assert changes(project.run(*UP)) == {"update": 1, "same": 2}
    rotated_id, rotated = current_key(project)
    seen.append(rotated)
    assert rotated_id == key_id and rotated != secret
    assert keys.verify(rotated) == key_id and keys.verify(secret) is None
    assert_nowhere_in_plain_text(project, tmp_path, seen)

    # Console drift: an IP range edited in the console shows after a refresh, and up restores it.
    keys.edit(key_id, permittedIps=["0.0.0.0/0"])
    project.run(*REFRESH)
    assert changes(project.run("preview")) == {"update": 1, "same": 2}
    project.run(*UP)
    assert keys.get(key_id)["permittedIps"] == ["10.0.0.0/8"]  # type: ignore[index]

    # Deleted in the console: the refresh drops it with a warning, up makes a new key.
    keys.remove(key_id)
    refresh = project.run(*REFRESH)
    assert "NEW cleartext" in refresh.output
    assert changes(project.run(*UP)) == {"create": 1, "same": 2}
    new_id, new_secret = current_key(project)
    seen.append(new_secret)
    assert keys.ids() == [new_id] and keys.verify(new_secret) == new_id
    assert_nowhere_in_plain_text(project, tmp_path, seen)

    project.run("destroy", "--yes", "--skip-preview")
    assert keys.ids() == []
    places = assert_nowhere_in_plain_text(project, tmp_path, seen)
    assert places > 5  # state, its backups and history were all scanned


def test_expire_time_change_replaces_creating_the_successor_first(
    tmp_path: Path, emulator: EmulatorServer, roles: None
) -> None:
    project = PulumiProject.create(tmp_path, CI_KEY_PROGRAM.format(expire_time="2099-01-01"))
    project.init_stack("e2e", emulator)
    project.run(*UP)
    before = project.outputs()
    assert before["key"] == "[secret]"
    old_id = before["key_id"]
    project.write_program(CI_KEY_PROGRAM.format(expire_time="2099-06-01T00:00:00Z"))
    assert changes(project.run(*UP)) == {"replace": 1, "same": 1}
    new_id, new_secret = current_key(project)
    assert new_id != old_id and emulator.state.access_keys.ids() == [new_id]
    assert emulator.state.access_keys.verify(new_secret) == new_id
    # The successor is created before the old key is deleted (delete_before_replace=False).
    writes = [
        entry["path"] for entry in emulator.requests() if entry["path"].startswith("/v1/mgmt/accesskey/")
    ]
    assert writes[-2:] == ["/v1/mgmt/accesskey/create", "/v1/mgmt/accesskey/delete"]
