"""Users and tenant memberships on the real Pulumi CLI against the emulator: a tenant with its first
admin (a new user, invited, Tenant Admin) and an existing support engineer added by TenantMembership
in one `up`; a console role removal shown at refresh and restored by `up`; a membership destroyed
taking back only what it added; many memberships applied within the user-API quota, none failing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer, Quota

from tests.cli.test_drift import drift
from tests.cli.test_export_roundtrip import export
from tests.support.cli import PulumiProject, changes

pytestmark = pytest.mark.e2e

PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_descope_dynamic as descope

config = json.loads((Path(__file__).parent / "program.json").read_text())
acme = descope.Tenant("acme", name="Acme", tenant_id="acme")
support = descope.Role("support", name="Support", tenant_id=acme.id)
admin = descope.User(
    "acme-admin",
    login_id="admin@acme.example",
    email="admin@acme.example",
    display_name="Acme Admin",
    invite=True,
    tenants={"acme": ["Tenant Admin"]},
    opts=pulumi.ResourceOptions(depends_on=[acme]),
)
if config["support"]:
    descope.TenantMembership(
        "acme-support",
        tenant_id=acme.id,
        login_id="support@vendor.example",
        roles=["Support"],
        opts=pulumi.ResourceOptions(depends_on=[support]),
    )
pulumi.export("admin_id", admin.user_id)
"""


def configure(project: PulumiProject, *, support: bool) -> None:
    (project.dir / "program.json").write_text(json.dumps({"support": support}))


def tenants_of(emulator: EmulatorServer, login_id: str) -> dict[str, list[str]]:
    user = emulator.state.get_user(login_id)
    assert user is not None
    return {t["tenantId"]: sorted(t["roleNames"]) for t in user["userTenants"]}


def test_first_admin_and_support_engineer_in_one_up_drift_restored_destroy_takes_back_only_its_own(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    store = emulator.state
    # The support engineer exists already, a member of another tenant.
    store.create_tenant({"id": "vendor", "name": "Vendor"})
    store.users.create({"loginId": "support@vendor.example", "userTenants": [{"tenantId": "vendor"}]})

    project = PulumiProject.create(tmp_path, PROGRAM)
    configure(project, support=True)
    project.init_stack("e2e", emulator)
    assert changes(project.run("up", "--yes")) == {"create": 5}  # stack, tenant, role, user, membership
    admin = store.get_user("admin@acme.example")
    assert admin is not None and admin["status"] == "invited"
    assert tenants_of(emulator, "admin@acme.example") == {"acme": ["Tenant Admin"]}
    assert tenants_of(emulator, "support@vendor.example") == {"vendor": [], "acme": ["Support"]}
    assert project.outputs()["admin_id"] == admin["userId"]

    # Drift: the managed user and membership only; the engineer's other tenant, and other users, are
    # not "unmanaged".
    store.users.create({"loginId": "someone@acme.example", "userTenants": [{"tenantId": "acme"}]})
    clean = drift(project, emulator, "--json", "--only", "users,tenant_memberships")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert json.loads(clean.stdout)["counts"]["managed"] == 2

    # Export: the memberships of the users named, never all users.
    done = export(
        emulator,
        tmp_path / "exported",
        "--users",
        "support@vendor.example",
        "--only",
        "tenants,tenant_memberships",
    )
    assert done.returncode == 0, done.stderr
    program = (tmp_path / "exported" / "__main__.py").read_text()
    assert program.count("descope.TenantMembership(") == 2  # acme and vendor
    assert "someone@acme.example" not in program and "admin@acme.example" not in program

    # A role removed in the console: drift and refresh show it, `up` restores it.
    store.change_user_roles(
        {"loginId": "admin@acme.example", "tenantId": "acme", "roleNames": ["Tenant Admin"]}, how="remove"
    )
    drifted = drift(project, emulator, "--json", "--only", "users,tenant_memberships")
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    found = json.loads(drifted.stdout)["drifted"]
    assert [(d["type"], d["field"], d["live_value"]) for d in found] == [("User", "tenants", {"acme": []})]
    project.run("refresh", "--yes")
    assert changes(project.run("up", "--yes")) == {"update": 1, "same": 4}
    assert tenants_of(emulator, "admin@acme.example") == {"acme": ["Tenant Admin"]}

    # The membership removed from the program: only what it added goes (the user and its other tenant
    # stay).
    configure(project, support=False)
    assert changes(project.run("up", "--yes")) == {"delete": 1, "same": 4}
    assert tenants_of(emulator, "support@vendor.example") == {"vendor": []}

    # Destroy deletes the program's user, and no other.
    project.run("destroy", "--yes")
    assert store.get_user("admin@acme.example") is None
    assert store.get_user("support@vendor.example") is not None


MANY = """\
import pulumi_descope_dynamic as descope

for t in range({tenants}):
    tenant = descope.Tenant(f"t{{t}}", name=f"Tenant {{t}}", tenant_id=f"t{{t}}")
    for u in range({users}):
        descope.TenantMembership(
            f"m{{t}}-{{u}}", tenant_id=tenant.id, login_id=f"user{{u}}@corp.example", roles=["Tenant Admin"]
        )
"""


def test_memberships_within_the_user_api_quota(tmp_path: Path) -> None:
    tenants, users = 3, 10  # 30 memberships: bench/ measures 300
    # The per-IP quota at 10 requests a second, so the test takes seconds; the user-API limits are
    # the emulator's factors of it (quota.PROJECT_PATH_LIMITS). The client budget is a quarter below
    # the quota: a request counts on the client when it leaves and at the quota when it arrives, and
    # on a loaded machine the two drift apart by up to a second (tests/reliability/test_shared_budget.py).
    with EmulatorServer(quota=Quota(60, 6)) as emulator:
        for u in range(users):
            emulator.state.users.create({"loginId": f"user{u}@corp.example"})
        project = PulumiProject.create(tmp_path, MANY.format(tenants=tenants, users=users))
        project.init_stack("e2e", emulator)
        project.run("config", "set", "descope:rateLimit", "45/6")
        # One budget for the preview's and the update's plugin processes.
        project.run("config", "set", "descope:rateLimitStore", f"sqlite:///{tmp_path / 'budget.sqlite'}")
        assert changes(project.run("up", "--yes")) == {"create": 1 + tenants + tenants * users}
        stats = emulator.stats()
        assert stats["rate_limited"] == 0, stats["requests"]
        for u in range(users):
            assert tenants_of(emulator, f"user{u}@corp.example") == {
                f"t{t}": ["Tenant Admin"] for t in range(tenants)
            }
