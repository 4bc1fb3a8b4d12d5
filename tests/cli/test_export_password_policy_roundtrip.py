"""Round trip of tenant password policies on the real CLI: export a project where one tenant has rules
of its own (and a field newer than this code), one has its own rules equal to the project's, and one
has none; only the first is declared; `pulumi up` of the export takes everything over with zero write
requests, then `pulumi preview --expect-no-changes` passes; a console edit of the policy then shows in
`pulumi-descope drift`, reading only the managed tenant's policy and the project's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer

from tests.cli.test_drift import drift
from tests.cli.test_export_settings_roundtrip import adopt_without_a_write, export
from tests.support.cli import PulumiProject

pytestmark = pytest.mark.e2e


def test_python_export_declares_only_policies_unlike_the_projects_and_adopts_without_a_write(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project_policy = emulator.state.load_password_policy("")
    emulator.state.load(
        {
            "tenants": [
                {"id": "acme", "name": "Acme"},
                {"id": "globex", "name": "Globex"},
                {"id": "plain", "name": "Plain"},
            ],
            "passwordPolicies": [
                {
                    "tenantId": "acme",
                    **project_policy,
                    "minLength": 16,
                    "lock": True,
                    "lockAttempts": 4,
                    "tempLock": True,
                },
                {"tenantId": "globex", **project_policy},
            ],
        }
    )
    out = tmp_path / "program"
    export(emulator, out)
    (out / "venv").symlink_to(sys.prefix, target_is_directory=True)  # Pulumi.yaml's virtualenv
    text = (out / "__main__.py").read_text()
    assert text.count("descope.TenantPasswordPolicy(") == 1 and text.count("descope.Tenant(") == 3
    declared = text[text.index("descope.TenantPasswordPolicy(") :]
    assert "min_length=16" in declared and "lock_attempts=4" in declared
    # One GET per tenant and one for the project's policy; no write.
    assert emulator.stats()["requests"]["GET /v1/mgmt/password/settings"] == {"200": 4}
    project = PulumiProject.at(out, tmp_path)
    adopt_without_a_write(project, emulator, declared=4)

    emulator.state.edit_password_policy("acme", lockAttempts=6, minLength=16)
    emulator.state.edit_password_policy("globex", minLength=20)  # no stack manages it: not reported
    before = emulator.stats()["requests"].get("GET /v1/mgmt/password/settings", {}).get("200", 0)
    found = drift(project, emulator, "--stack", "dev", "--json")
    assert found.returncode == 1, found.stderr
    report = json.loads(found.stdout)
    assert [(d["type"], d["field"], d["stack_value"], d["live_value"]) for d in report["drifted"]] == [
        ("TenantPasswordPolicy", "lock_attempts", 4, 6)
    ]
    assert report["unmanaged"] == []
    # acme's policy and the project's, nothing else.
    assert emulator.stats()["requests"]["GET /v1/mgmt/password/settings"]["200"] - before == 2
