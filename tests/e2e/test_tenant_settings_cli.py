"""TenantSettings end to end as a user works: `pulumi` commands in a project directory on the real CLI
(and the dynamic-provider plugin) against the emulator: create, no-op preview, update, console drift
+ refresh, destroy ordering, and a tenant's domains and session lifetime changed in the same `up`
while the engine runs both at once.

`up`, `refresh` and `destroy` run with `--yes --skip-preview`, as in CI: the engine runs once per
command (without the flag each first previews, doubling the time and the requests a test watches);
the tests preview explicitly (`pulumi preview`) where a preview is what they check."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

UP = ("up", "--yes", "--skip-preview")

PROGRAM = """\
import pulumi_descope_dynamic as descope

acme = descope.Tenant("acme", **{tenant!r})
descope.TenantSettings("acme-session", tenant_id={tenant_id}, **{settings!r})
"""


def settings_program(tenant: dict[str, Any], settings: dict[str, Any], *, by_output: bool = True) -> str:
    """Tenant "acme" and its settings, with these arguments. `by_output=False` names the tenant by a
    literal id: no dependency, so the engine runs the two resources' steps at the same time."""
    return PROGRAM.format(tenant=tenant, settings=settings, tenant_id="acme.id" if by_output else '"acme"')


def settings_project(
    tmp_path: Path, emulator: EmulatorServer, tenant: dict[str, Any], settings: dict[str, Any]
) -> PulumiProject:
    project = PulumiProject.create(tmp_path, settings_program(tenant, settings))
    project.init_stack("e2e", emulator)
    return project


def live(emulator: EmulatorServer) -> dict[str, Any]:
    return emulator.state.load_settings("acme")


def duration(settings: dict[str, Any], key: str) -> tuple[int, str]:
    return settings[key], settings[f"{key}Unit"]


def test_lifecycle_drift_and_destroy_order(tmp_path: Path, emulator: EmulatorServer) -> None:
    tenant = {"name": "Acme", "tenant_id": "acme", "self_provisioning_domains": ["acme.com"]}
    settings: dict[str, Any] = {
        "session_settings_enabled": True,
        "session_token_expiration": "15m",
        "refresh_token_expiration": "2w",
    }
    project = settings_project(tmp_path, emulator, tenant, settings)
    assert changes(project.run(*UP)) == {"create": 3}, project.transcript()
    assert duration(live(emulator), "sessionTokenExpiration") == (15, "minutes")
    assert duration(live(emulator), "refreshTokenExpiration") == (2, "weeks")

    # The same durations written differently: nothing to do.
    settings.update(session_token_expiration=15, refresh_token_expiration="14d")
    project.write_program(settings_program(tenant, settings))
    project.run("preview", "--expect-no-changes")

    settings["session_token_expiration"] = "1h"
    project.write_program(settings_program(tenant, settings))
    assert changes(project.run(*UP)) == {"update": 1, "same": 2}
    assert duration(live(emulator), "sessionTokenExpiration") == (1, "hours")

    # A lifetime changed in the console: the refresh records it, the preview shows it, up puts it back.
    emulator.state.update_settings(
        {**live(emulator), "sessionTokenExpiration": 3, "sessionTokenExpirationUnit": "hours"}
    )
    assert changes(project.run("refresh", "--yes", "--skip-preview")) == {"update": 1, "same": 2}
    preview = project.run("preview", "--diff")
    assert changes(preview).get("update") == 1
    lines = preview.output.splitlines()
    assert any("session_token_expiration" in line and "3h" in line for line in lines), preview.output
    project.run(*UP)
    assert duration(live(emulator), "sessionTokenExpiration") == (1, "hours")
    project.run("preview", "--expect-no-changes")

    # Destroy: the settings go first (they put back what the tenant had), then the tenant.
    last_seq = emulator.requests()[-1]["seq"]
    project.run("destroy", "--yes", "--skip-preview")
    assert emulator.state.tenant_ids() == []
    calls = [(r["method"], r["path"].split("?")[0]) for r in emulator.requests() if r["seq"] > last_seq]
    settings_write = calls.index(("POST", "/v1/mgmt/tenant/settings"))
    assert settings_write < calls.index(("POST", "/v1/mgmt/tenant/delete"))


def test_domains_and_session_lifetime_changed_in_one_up_both_land(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tenant is named by a literal id, so the engine updates the tenant and its settings at the
    same time in one plugin process. Without the provider's per-tenant lock the patch lands between
    the settings read and its write-back, and the write-back undoes the domains (this test fails)."""
    tenant = {
        "name": "Acme",
        "tenant_id": "acme",
        "self_provisioning_domains": ["acme.com"],
        "enforce_sso": True,
    }
    settings: dict[str, Any] = {"session_token_expiration": "15m", "jit_disabled": True}
    # First the tenant with its settings ordered after it, then the same program without the link.
    project = settings_project(tmp_path, emulator, tenant, settings)
    project.run(*UP)
    project.write_program(settings_program(tenant, settings, by_output=False))
    project.run("preview", "--expect-no-changes")
    tenant_before = emulator.state.get_tenant("acme")
    settings_before = live(emulator)

    # The worst interleaving, forced on the server side: a tenant patch waits (up to 3 s) until a
    # settings read has been answered, and that answer waits (up to 1 s) for the patch to land. With
    # the lock, whichever write holds it finishes first and the waits just time out.
    settings_read, patch_landed = threading.Event(), threading.Event()
    load_settings, patch_tenant = emulator.state.load_settings, emulator.state.patch_tenant

    def held_settings_answer(tenant_id: str) -> dict[str, Any]:
        answer = load_settings(tenant_id)
        settings_read.set()
        patch_landed.wait(timeout=1.0)
        return answer

    def signalling_patch(body: Any) -> dict[str, Any]:
        settings_read.wait(timeout=3.0)
        result = patch_tenant(body)
        patch_landed.set()
        return result

    monkeypatch.setattr(emulator.state.tenants, "load_settings", held_settings_answer)
    monkeypatch.setattr(emulator.state.tenants, "patch", signalling_patch)

    tenant["self_provisioning_domains"] = ["acme.com", "acme.org"]
    settings["session_token_expiration"] = "45m"
    project.write_program(settings_program(tenant, settings, by_output=False))
    assert changes(project.run(*UP)) == {"update": 2, "same": 1}, project.transcript()
    assert patch_landed.is_set() and settings_read.is_set()

    tenant_after = emulator.state.get_tenant("acme")
    assert tenant_after is not None and tenant_before is not None
    assert tenant_after["selfProvisioningDomains"] == ["acme.com", "acme.org"]
    assert {k for k in tenant_after if tenant_after[k] != tenant_before[k]} == {"selfProvisioningDomains"}
    settings_after = load_settings("acme")
    assert duration(settings_after, "sessionTokenExpiration") == (45, "minutes")
    moved = {k for k in settings_after if settings_after[k] != settings_before[k]}
    assert moved == {"sessionTokenExpiration", "selfProvisioningDomains"}
    monkeypatch.undo()
    project.run("preview", "--expect-no-changes")
