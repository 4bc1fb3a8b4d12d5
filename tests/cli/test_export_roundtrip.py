"""Round trip on the real Pulumi CLI, as the README tells a user to do it: export a live project (the
emulator, seeded as a console would leave it: 200 tenants with parents, domains, custom attributes
and default roles, project and tenant roles, permissions) with `pulumi-descope export`, then in the
directory it wrote `pulumi stack init dev`, `pulumi config set --secret descope:managementKey` and
`pulumi up`: every object adopted with zero write requests to Descope, then `pulumi preview
--expect-no-changes` passes. The engine's `up` of 216 resources is most of the time;
bench/export_requests.py measures the export alone. The YAML export drives the
examples/tenants-from-yaml program the same way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic import customers

from tests.support.cli import PulumiProject, changes
from tests.support.live_project import customers_seed, project_seed, write_requests

pytestmark = pytest.mark.e2e

ROUNDTRIP_TENANTS = 200
CLI = str(Path(sys.executable).parent / "pulumi-descope")


def export(emulator: EmulatorServer, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        "DESCOPE_PROJECT_ID": emulator.project_id,
        "DESCOPE_MANAGEMENT_KEY": emulator.management_key,
        "DESCOPE_BASE_URL": emulator.url,
        # The emulator has no quota; at the default budget (100/60) the 200 per-tenant SSO loads
        # would make this test wait a minute for nothing it checks. Pacing is tested elsewhere.
        "DESCOPE_RATE_LIMIT": "off",
        "PATH": str(Path(sys.executable).parent),
    }
    return subprocess.run(
        [CLI, "export", "--out", str(out), *extra], env=env, capture_output=True, text=True, check=False
    )


def test_export_then_up_adopts_everything_without_a_write_and_previews_clean(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    seed = project_seed(ROUNDTRIP_TENANTS)
    emulator.state.load(seed)
    before = emulator.state.dump()

    out = tmp_path / "program"
    done = export(emulator, out)
    assert done.returncode == 0, done.stderr
    # One list request per type, whatever the number of tenants; SSO configurations, tenant settings
    # and password policies, which Descope serves per tenant only, one per tenant (and the project's
    # password policy once, to leave out the tenants that have it). Tenant attributes, which Descope
    # does not list: one load per key the tenants use (the seed defines none), found in the one
    # tenant list. And the client's license handshake, once.
    assert emulator.stats()["requests"] == {
        "GET /v1/mgmt/license": {"200": 1},
        "GET /v1/mgmt/tenant/all": {"200": 1},
        "GET /v1/mgmt/tenant/attribute": {"404": 2},
        "GET /v1/mgmt/role/all": {"200": 1},
        "GET /v1/mgmt/permission/all": {"200": 1},
        "POST /v1/mgmt/accesskey/search": {"200": 1},
        "GET /v1/mgmt/sso/idp/apps/load": {"200": 1},
        "GET /v2/mgmt/sso/settings/all": {"200": ROUNDTRIP_TENANTS},
        "GET /v1/mgmt/tenant/settings": {"200": ROUNDTRIP_TENANTS},
        "GET /v1/mgmt/password/settings": {"200": ROUNDTRIP_TENANTS + 1},
    }
    assert sorted(p.name for p in out.iterdir()) == [
        "Pulumi.dev.yaml",
        "Pulumi.yaml",
        "__main__.py",
        "requirements.txt",
    ]

    # The generated Pulumi.yaml runs the program in `venv` beside it, which the README has the user
    # create from requirements.txt; this interpreter's virtualenv has those packages already.
    (out / "venv").symlink_to(sys.prefix, target_is_directory=True)
    project = PulumiProject.at(out, tmp_path / "cli")
    # Pulumi.dev.yaml, as export wrote it, holds the project id and the base URL; the key is the
    # one setting the user adds.
    project.run("stack", "init", "dev")
    project.run("config", "set", "--secret", "descope:managementKey", emulator.management_key)
    # Adoption looks each object up (one request each): the test does not wait for the budget.
    project.run("config", "set", "descope:rateLimit", "off")

    # --skip-preview, as CI types it: the preview inside `up` (check and diff of every resource) would
    # only repeat what the `pulumi preview` below asserts, at a few seconds more.
    up = project.run("up", "--yes", "--skip-preview")
    declared = len(seed["tenants"]) + len(seed["roles"]) + len(seed["permissions"])
    assert changes(up) == {"create": declared + 1}, up.output  # and the stack itself
    assert len(project.resources()) == declared + 2  # the stack and its default provider too
    assert write_requests(emulator.stats()) == {}
    assert emulator.state.dump() == before

    project.run("preview", "--expect-no-changes")
    assert write_requests(emulator.stats()) == {}


def test_yaml_export_holds_every_kind_and_drives_the_tenants_from_yaml_example_without_a_write(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    """Every kind export writes goes into the customers file (nothing reported as not written), and
    the example's program takes all of it over: permissions, project and tenant roles, tenant
    attribute definitions, an SSO application, tenants, a tenant's settings, password policy, SSO
    configuration (its client secret a `pulumi config` key, never in the file) and a membership."""
    seed = customers_seed(40, emulator.state.load_password_policy(""))
    emulator.state.load(seed)
    done = export(emulator, tmp_path / "yaml", "--format", "yaml", "--users", "alice@example.com")
    assert done.returncode == 0, done.stderr
    assert "not written" not in done.stderr
    text = (tmp_path / "yaml" / "tenants.dev.yaml").read_text()
    assert "t001-client-secret" not in text
    loaded = customers.load(tmp_path / "yaml" / "tenants.dev.yaml")
    by_id = {t.id: t for t in loaded.tenants}
    assert {key: len(entries) for key, entries in loaded.project.items()} == {
        "permissions": len(seed["permissions"]),
        "tenant_attributes": 2,
        "sso_applications": 1,
        "roles": 3,
    }
    assert [len(by_id[t].parts.get(key, [])) for t, key in WHERE] == [1, 1, 1, 1, 1, 1]
    secret_key = by_id["t001"].parts["sso"][0]["oidc_client_secret"].config
    before = emulator.state.dump()

    # The example reads tenants.<stack>.yaml beside its program: the exported file replaces the
    # example's own, and the exported Pulumi.dev.yaml (project id, base URL) is stack "dev"'s config.
    project = PulumiProject.from_example(
        tmp_path, "examples/tenants-from-yaml", cwd="examples/tenants-from-yaml"
    )
    for name in ("tenants.dev.yaml", "Pulumi.dev.yaml"):
        shutil.copyfile(tmp_path / "yaml" / name, project.dir / name)
    project.run("stack", "init", "dev")
    project.run("config", "set", "--secret", "descope:managementKey", emulator.management_key)
    project.run("config", "set", "descope:rateLimit", "off")
    project.run("config", "set", "--secret", secret_key, "t001-client-secret")

    up = project.run("up", "--yes", "--skip-preview")
    declared = sum(len(entries) for entries in loaded.project.values()) + len(seed["tenants"]) + len(WHERE)
    assert changes(up) == {"create": declared + 1}, up.output
    assert sorted(project.outputs()["tenant_ids"]) == sorted(t["id"] for t in seed["tenants"])
    # Adopting an SSO configuration configures it whole (Descope never returns the client secret, so
    # the program's is sent): its one write; nothing else is written, and nothing changes.
    assert write_requests(emulator.stats()) == {"POST /v1/mgmt/sso/oidc": 1}
    assert emulator.state.dump() == before
    project.run("preview", "--expect-no-changes")
    assert write_requests(emulator.stats()) == {"POST /v1/mgmt/sso/oidc": 1}
    assert "t001-client-secret" not in project.export()


# Where the seed's tenant-owned objects are: (tenant, part of its entry).
WHERE = [
    ("t000", "roles"),
    ("t000", "members"),
    ("t001", "sso"),
    ("t002", "password_policy"),
    ("t003", "settings"),
    ("t025", "roles"),
]
