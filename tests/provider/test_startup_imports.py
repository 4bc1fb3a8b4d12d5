"""What a plugin process and a program load to serve tenants (issue 28: every `pulumi preview`,
`up` and `refresh` starts a new plugin process and a new program, so their imports are paid per
operation). The plugin is the real `python -m pulumi.dynamic` process, asked by Python's own import
log (`PYTHONPROFILEIMPORTTIME`) what it imported."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

import pulumi_descope_dynamic as descope
import pytest
from descope_emulator import EmulatorServer
from pulumi import _types
from pulumi_descope_dynamic.tenant import _PROVIDER

from tests.harness import CLEAN_ENV, DiffChanges, dynamic_type, urn_for
from tests.harness.fixtures import PluginFactory

URN = urn_for(dynamic_type("descope", "Tenant"), "acme")
# Loaded only once a request is sent: the HTTP stack and the client-side rate budget.
REQUEST_TIME = ("requests", "urllib3", "pyrate_limiter")


def imported(import_log: str) -> set[str]:
    """Top-level names of the modules in a `-X importtime` log."""
    return {match[1].split(".")[0] for match in re.finditer(r"^import time:.*\|\s*(\S+)$", import_log, re.M)}


def test_a_preview_of_tenants_loads_no_http_stack_and_a_refresh_does(
    running_plugin: PluginFactory, emulator: EmulatorServer
) -> None:
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
    }
    secret_keys = ["descope:managementKey"]
    with running_plugin(_PROVIDER, config=config, secret_keys=secret_keys, env=CLEAN_ENV) as plugin:
        inputs = plugin.check(URN, {}, {"name": "Acme", "tenant_id": "acme"}).inputs
        created = plugin.create(URN, inputs)

    env = {**CLEAN_ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    with running_plugin(_PROVIDER, config=config, secret_keys=secret_keys, env=env) as plugin:
        news = plugin.check(URN, inputs, inputs, preview=True).inputs
        diff = plugin.diff(created.id, URN, created.properties, news, old_inputs=inputs, preview=True)
        assert diff.changes is DiffChanges.NONE
        previewed = imported(plugin.stderr())
        assert "pulumi_descope_dynamic_provider" in previewed  # the log is read right
        assert previewed.isdisjoint(REQUEST_TIME), sorted(previewed & set(REQUEST_TIME))

        assert plugin.read(created.id, URN, created.properties, inputs).id == "acme"
        assert set(REQUEST_TIME) <= imported(plugin.stderr())


def test_a_program_of_tenants_loads_no_other_resource_module() -> None:
    probe = (
        "import sys\n"
        "import pulumi_descope_dynamic as descope\n"
        "descope.Tenant, descope.TenantArgs\n"
        "print(sorted(m for m in sys.modules if m.startswith('pulumi_descope_dynamic.')))\n"
        "descope.User\n"
        "print('pulumi_descope_dynamic.user' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded, user_after = result.stdout.splitlines()
    assert loaded == "['pulumi_descope_dynamic._resource', 'pulumi_descope_dynamic.tenant']"
    assert user_after == "True"


@pytest.mark.parametrize("name", [name for name in descope.__all__ if not name.endswith("Args")])
def test_resource_classes_hold_their_output_types_evaluated(name: str) -> None:
    """pulumi reads a resource class's annotations at every registration; strings would be compiled
    again each time (`from __future__ import annotations` in the generated modules)."""
    cls = getattr(descope, name)
    annotations = inspect.get_annotations(cls)
    assert annotations and not [key for key, hint in annotations.items() if isinstance(hint, str)]
    if name == "Tenant":
        # What the types are for: the engine sends numbers as floats, pulumi casts an int output back.
        assert _types.resource_types(cls)["created_time"] is int
