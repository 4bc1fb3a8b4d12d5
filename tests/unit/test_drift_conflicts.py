"""`pulumi-descope drift` over shard stacks: an object two listed stacks both manage (a tenant moved
between shards by declaring it in the new stack without `pulumi state move`) is a finding of its own,
in the JSON report and the table, and makes the exit code 1. The CLI runs in tests/cli/test_drift.py
and tests/e2e/test_sharded_cli.py; this is the comparison alone, on the real kinds and wire model."""

from __future__ import annotations

from pulumi_descope_dynamic.cli import drift
from pulumi_descope_dynamic.cli.kinds import TENANTS
from pulumi_descope_dynamic_provider.api.tenants import Tenant
from pulumi_descope_dynamic_provider.catalogue import MANAGED_INPUTS


def managed(stack: str, tenant_id: str, name: str) -> drift.Managed:
    inputs = {"name": name, "tenant_id": tenant_id, MANAGED_INPUTS: ["name", "tenant_id"]}
    return drift.Managed(
        stack=stack,
        kind=TENANTS,
        urn=f"urn:pulumi:{stack}::sharded::pulumi-python:dynamic/descope:Tenant::{tenant_id}",
        id=tenant_id,
        inputs=inputs,
        outputs=inputs,
    )


def test_a_tenant_in_two_shard_stacks_is_a_conflict_naming_both() -> None:
    live = {"tenants": [Tenant(id="acme", name="Acme"), Tenant(id="globex", name="Globex")]}
    objects = [managed("a", "acme", "Acme"), managed("c", "acme", "Acme"), managed("b", "globex", "Globex")]
    report = drift.report("P2x", ["a", "b", "c"], (TENANTS,), objects, live, requests=1)
    assert report["conflicts"] == [
        {"type": "Tenant", "id": "acme", "label": report["conflicts"][0]["label"], "stacks": ["a", "c"]}
    ]
    assert "acme" in report["conflicts"][0]["label"]
    assert report["drifted"] == report["gone"] == report["unmanaged"] == []
    assert report["counts"]["conflicts"] == 1 and report["drift"] is True
    table = drift.render_table(report)
    assert any(line.split()[:2] == ["conflict", "Tenant"] and " a,c " in line for line in table.splitlines())
    assert "0 unmanaged, 1 in several stacks; 3 managed object(s) in stack(s) a, b, c" in table


def test_each_tenant_in_one_stack_is_no_conflict() -> None:
    live = {"tenants": [Tenant(id="acme", name="Acme"), Tenant(id="globex", name="Globex")]}
    objects = [managed("a", "acme", "Acme"), managed("b", "globex", "Globex")]
    report = drift.report("P2x", ["a", "b"], (TENANTS,), objects, live, requests=1)
    assert report["conflicts"] == [] and report["drift"] is False
    assert drift.render_table(report).startswith(
        "No drift: 0 drifted field(s) on 0 object(s), 0 gone, 0 unmanaged; 2 managed object(s)"
    )
