"""TenantSettings end to end on the real Pulumi engine (CLI + dynamic-provider plugin) against the
emulator: create, no-op preview, update, console drift + refresh, destroy ordering, and a tenant's
domains and session lifetime changed in the same `up` while the engine runs both at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi_descope_dynamic as descope
import pytest
from descope_emulator import EmulatorServer

from tests.support.engine import EngineStack, new_stack

StackFactory = Callable[..., EngineStack]


@pytest.fixture
def engine(tmp_path: Path, emulator: EmulatorServer) -> StackFactory:
    def make(program: Callable[[], None], **kwargs: Any) -> EngineStack:
        return new_stack(
            program,
            tmp_path / "stack",
            base_url=emulator.url,
            project_id=emulator.project_id,
            management_key=emulator.management_key,
            **kwargs,
        )

    return make


def settings_program(
    tenant: dict[str, Any], settings: dict[str, Any], *, by_output: bool = True
) -> Callable[[], None]:
    """Tenant "acme" and its settings; edit the dicts between runs to change the program.
    `by_output=False` names the tenant by a literal id: no dependency, so the engine runs the two
    resources' steps at the same time."""

    def program() -> None:
        acme = descope.Tenant("acme", **tenant)
        descope.TenantSettings("acme-session", tenant_id=acme.id if by_output else "acme", **settings)

    return program


def live(emulator: EmulatorServer) -> dict[str, Any]:
    return emulator.state.load_settings("acme")


def duration(settings: dict[str, Any], key: str) -> tuple[int, str]:
    return settings[key], settings[f"{key}Unit"]


def test_lifecycle_drift_and_destroy_order(engine: StackFactory, emulator: EmulatorServer) -> None:
    tenant = {"name": "Acme", "tenant_id": "acme", "self_provisioning_domains": ["acme.com"]}
    settings: dict[str, Any] = {
        "session_settings_enabled": True,
        "session_token_expiration": "15m",
        "refresh_token_expiration": "2w",
    }
    stack = engine(settings_program(tenant, settings))
    assert stack.up().summary.resource_changes == {"create": 3}
    assert duration(live(emulator), "sessionTokenExpiration") == (15, "minutes")
    assert duration(live(emulator), "refreshTokenExpiration") == (2, "weeks")

    # The same durations written differently: nothing to do.
    settings.update(session_token_expiration=15, refresh_token_expiration="14d")
    stack.preview(expect_no_changes=True)

    settings["session_token_expiration"] = "1h"
    assert stack.up().summary.resource_changes == {"update": 1, "same": 2}
    assert duration(live(emulator), "sessionTokenExpiration") == (1, "hours")

    # A lifetime changed in the console: the refresh records it, the preview shows it, up puts it back.
    emulator.state.update_settings(
        {**live(emulator), "sessionTokenExpiration": 3, "sessionTokenExpirationUnit": "hours"}
    )
    assert stack.refresh().summary.resource_changes == {"update": 1, "same": 2}
    preview = stack.preview(diff=True)
    assert preview.change_summary.get("update") == 1
    tail = stack.text().splitlines()[-40:]
    assert any("session_token_expiration" in line and "3h" in line for line in tail), "\n".join(tail)
    stack.up()
    assert duration(live(emulator), "sessionTokenExpiration") == (1, "hours")
    stack.preview(expect_no_changes=True)

    # Destroy: the settings go first (they put back what the tenant had), then the tenant.
    last_seq = emulator.requests()[-1]["seq"]
    stack.destroy()
    assert emulator.state.tenant_ids() == []
    calls = [(r["method"], r["path"].split("?")[0]) for r in emulator.requests() if r["seq"] > last_seq]
    settings_write = calls.index(("POST", "/v1/mgmt/tenant/settings"))
    assert settings_write < calls.index(("POST", "/v1/mgmt/tenant/delete"))


def test_domains_and_session_lifetime_changed_in_one_up_both_land(
    engine: StackFactory, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
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
    stack = engine(settings_program(tenant, settings))
    stack.up()
    stack.set_program(settings_program(tenant, settings, by_output=False))
    stack.preview(expect_no_changes=True)
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

    monkeypatch.setattr(emulator.state, "load_settings", held_settings_answer)
    monkeypatch.setattr(emulator.state, "patch_tenant", signalling_patch)

    tenant["self_provisioning_domains"] = ["acme.com", "acme.org"]
    settings["session_token_expiration"] = "45m"
    assert stack.up().summary.resource_changes == {"update": 2, "same": 1}
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
    stack.preview(expect_no_changes=True)
