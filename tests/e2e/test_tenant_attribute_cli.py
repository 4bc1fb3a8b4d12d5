"""Tenant custom attributes on the real Pulumi CLI against the emulator: an attribute and the tenant
using it in one `up`; a value of the wrong type refused at preview without a request; a console type
change shown at refresh with the tenant whose value no longer fits named; a console delete recreated
by `up`; an export of a project with attributes adopted with zero writes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.cli.test_export_roundtrip import export
from tests.support.cli import PulumiProject, changes
from tests.support.live_project import write_requests

pytestmark = pytest.mark.e2e

PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_descope_dynamic as descope

values = json.loads((Path(__file__).parent / "values.json").read_text())
plan = descope.TenantAttribute(
    "plan", name="plan", display_name="Plan", type="singleselect", select_options=["free", "pro"]
)
seats = descope.TenantAttribute("seats", name="seats", display_name="Seats", type="number")
descope.Tenant(
    "acme",
    name="Acme",
    tenant_id="acme",
    custom_attributes=values,
    opts=pulumi.ResourceOptions(depends_on=[plan, seats]),
)
"""


def set_values(project: PulumiProject, **values: Any) -> None:
    (project.dir / "values.json").write_text(json.dumps(values))


def acme_values(emulator: EmulatorServer) -> dict[str, Any]:
    return dict(emulator.state.get_tenant("acme")["customAttributes"])


def test_define_and_use_in_one_up_then_wrong_type_refused_at_preview_without_a_request(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = PulumiProject.create(tmp_path, PROGRAM)
    set_values(project, plan="pro", seats=250)
    project.init_stack("e2e", emulator)
    assert changes(project.run("up", "--yes")) == {"create": 4}
    assert acme_values(emulator) == {"plan": "pro", "seats": 250}
    attributes = {a["name"]: a for a in emulator.state.dump()["tenantAttributes"]}
    assert attributes["plan"]["type"] == "singleselect"
    assert sorted(attributes["plan"]["options"]) == ["free", "pro"]
    assert attributes["seats"]["type"] == "number"

    # A string where the attribute is a number, and an option the select does not have.
    set_values(project, plan="gold", seats="many")
    before = emulator.stats()["total"]
    preview = project.run("preview", check=False)
    assert preview.code != 0
    text = preview.output
    assert "tenant 'acme' (Acme)" in text
    assert "custom_attributes['seats'] = 'many'" in text and "type 'number'" in text
    assert "give a number" in text
    assert "custom_attributes['plan'] = 'gold'" in text and "one of 'free', 'pro'" in text
    assert emulator.stats()["total"] == before  # refused before any request
    assert acme_values(emulator) == {"plan": "pro", "seats": 250}

    # An undeclared key, in a program that declares attributes: refused at `up` before the write.
    set_values(project, plan="pro", seats=250, region="eu")
    up = project.run("up", "--yes", check=False)
    assert up.code != 0
    assert "custom_attributes key 'region' is not a tenant attribute" in up.output
    assert acme_values(emulator) == {"plan": "pro", "seats": 250}


def test_console_type_change_shows_at_refresh_naming_the_tenant_and_console_delete_is_recreated(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    project = PulumiProject.create(tmp_path, PROGRAM)
    set_values(project, plan="free", seats=10)
    project.init_stack("e2e", emulator)
    project.run("up", "--yes")

    # In the console, seats becomes a text attribute: acme's 10 no longer fits it.
    emulator.state.edit_tenant_attribute("seats", type="string")
    refresh = project.run("refresh", "--yes")
    assert changes(refresh).get("update") == 1, refresh.output
    assert "is now of type 'string'" in refresh.output
    assert "'acme' (Acme) = 10" in refresh.output
    # The program still says number: `up` puts it back.
    up = project.run("up", "--yes")
    assert changes(up).get("update") == 1, up.output
    assert {a["name"]: a["type"] for a in emulator.state.dump()["tenantAttributes"]}["seats"] == "number"

    # Deleted in the console (the tenant loses its value): `up --refresh` recreates both.
    emulator.state.remove_tenant_attribute("plan")
    assert "plan" not in acme_values(emulator)
    up = project.run("up", "--yes", "--refresh")
    assert changes(up).get("create") == 1, up.output
    assert acme_values(emulator) == {"plan": "free", "seats": 10}
    project.run("preview", "--expect-no-changes")


def test_export_round_trip_with_attributes_is_zero_writes(tmp_path: Path, emulator: EmulatorServer) -> None:
    emulator.state.load(
        {
            "tenantAttributes": [
                {"name": "plan", "displayName": "Plan", "type": "singleselect", "options": ["free", "pro"]},
                {"name": "seats", "displayName": "Seats", "type": "number"},
            ],
            "tenants": [
                {"id": "acme", "name": "Acme", "customAttributes": {"plan": "pro", "seats": 3}},
                {"id": "globex", "name": "Globex", "customAttributes": {"plan": "free"}},
                {"id": "initech", "name": "Initech"},
            ],
        }
    )
    before = emulator.state.dump()
    out = tmp_path / "program"
    done = export(emulator, out)
    assert done.returncode == 0, done.stderr
    program = (out / "__main__.py").read_text()
    # Declared before the tenants, which depend on them.
    assert program.index("descope.TenantAttribute(") < program.index("descope.Tenant(")
    assert "depends_on=[attr_plan, attr_seats]" in program

    (out / "venv").symlink_to(sys.prefix, target_is_directory=True)
    project = PulumiProject.at(out, tmp_path / "cli")
    project.run("stack", "init", "dev")
    project.run("config", "set", "--secret", "descope:managementKey", emulator.management_key)
    up = project.run("up", "--yes")
    assert changes(up) == {"create": 6}, up.output  # 2 attributes, 3 tenants, the stack
    assert write_requests(emulator.stats()) == {}
    assert emulator.state.dump() == before
    project.run("preview", "--expect-no-changes")
    assert write_requests(emulator.stats()) == {}
