"""TenantPasswordPolicy end to end on the real Pulumi CLI against the emulator: set, change one rule
(one write, a field newer than this code kept), a console edit shown by refresh and put back by `up`,
delete putting back the rules the tenant had before, and out-of-range values refused at preview
before any request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

UP = ("up", "--yes", "--skip-preview")
POLICY_PATH = "/v1/mgmt/password/settings"

TENANT_ONLY = """\
import pulumi_descope_dynamic as descope

acme = descope.Tenant("acme", name="Acme", tenant_id="acme")
"""
WITH_POLICY = TENANT_ONLY + 'descope.TenantPasswordPolicy("acme-passwords", tenant_id=acme.id, **{rules!r})\n'


def live(emulator: EmulatorServer) -> dict[str, Any]:
    return emulator.state.load_password_policy("acme")


def policy_calls(emulator: EmulatorServer, after_seq: int) -> list[str]:
    return [
        r["method"]
        for r in emulator.requests()
        if r["seq"] > after_seq and r["path"].split("?")[0] == POLICY_PATH
    ]


def test_set_change_console_edit_and_delete_restores(tmp_path: Path, emulator: EmulatorServer) -> None:
    rules: dict[str, Any] = {"min_length": 12, "uppercase": True, "lock": True, "lock_attempts": 5}
    project = PulumiProject.create(tmp_path, WITH_POLICY.format(rules=rules))
    project.init_stack("e2e", emulator)
    project_policy = emulator.state.load_password_policy("")
    assert changes(project.run(*UP)) == {"create": 3}, project.transcript()
    assert live(emulator) == {
        **project_policy,
        "minLength": 12,
        "uppercase": True,
        "lock": True,
        "lockAttempts": 5,
    }
    project.run("preview", "--expect-no-changes")

    # A field newer than this code appears (set in the console); changing one rule is one read and
    # one write, and the write carries the newer field.
    emulator.state.edit_password_policy("acme", tempLock=True)
    seq = emulator.requests()[-1]["seq"]
    rules["min_length"] = 14
    project.write_program(WITH_POLICY.format(rules=rules))
    assert changes(project.run(*UP)) == {"update": 1, "same": 2}
    assert policy_calls(emulator, seq) == ["GET", "POST"]
    assert live(emulator)["minLength"] == 14 and live(emulator)["tempLock"] is True

    # A console edit: refresh records it, the preview shows it, up puts it back.
    emulator.state.edit_password_policy("acme", lockAttempts=3)
    assert changes(project.run("refresh", "--yes", "--skip-preview")) == {"update": 1, "same": 2}
    preview = project.run("preview", "--diff")
    assert changes(preview).get("update") == 1
    assert any("lock_attempts" in line and "3" in line for line in preview.output.splitlines()), (
        preview.output
    )
    project.run(*UP)
    assert live(emulator)["lockAttempts"] == 5
    project.run("preview", "--expect-no-changes")

    # Deleting the resource puts back the rules it managed as they were before; the rest stays.
    project.write_program(TENANT_ONLY)
    assert changes(project.run(*UP)) == {"delete": 1, "same": 2}
    restored = live(emulator)
    for key in ("minLength", "uppercase", "lock", "lockAttempts"):
        assert restored[key] == project_policy[key], key
    assert restored["tempLock"] is True
    assert emulator.state.get_tenant("acme") is not None


def test_out_of_range_values_are_refused_at_preview_without_a_request(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    rules = {"min_length": 3, "lock_attempts": 11, "expiration_weeks": 0, "reuse_amount": True}
    project = PulumiProject.create(tmp_path, WITH_POLICY.format(rules=rules))
    project.init_stack("e2e", emulator)
    failed = project.run("preview", check=False)
    assert failed.code != 0
    assert "acme-passwords" in failed.output
    assert "min_length must be from 4 to 64; got 3" in failed.output
    assert "lock_attempts must be from 2 to 10; got 11" in failed.output
    assert "expiration_weeks must be from 1 to 999; got 0" in failed.output
    assert "reuse_amount must be a whole number from 1 to 50" in failed.output
    assert emulator.stats()["total"] == 0
