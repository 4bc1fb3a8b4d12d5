"""pulumi_descope_dynamic.customers: the customers file and what `declare` declares from it, under
pulumi.runtime.set_mocks (what a program declares, not what Descope does)."""

from __future__ import annotations

from pathlib import Path

from pulumi_descope_dynamic import customers

from tests.sdk.test_program_graphs import run

FILE = """\
tenants:
  - id: root
    name: Root
    settings: {session_settings_enabled: true, session_token_expiration: 15m}
  - id: child
    name: Child
    parent: root
    settings: {jit_disabled: true}
  - id: other
    name: Other
"""


def test_include_declares_a_shard_with_its_own_objects_and_refers_to_a_parent_elsewhere_by_id(
    tmp_path: Path,
) -> None:
    path = tmp_path / "customers.yaml"
    path.write_text(FILE, encoding="utf-8")
    loaded = customers.load(path)
    declared: list[customers.Declared] = []

    def shard() -> None:
        declared.append(customers.declare(loaded, include=lambda t: t.id != "root", project_level=False))

    mocks = run(shard)
    assert set(mocks.resources) == {"child", "child-settings", "other"}
    assert sorted(declared[0].tenants) == ["child", "other"]
    # The parent belongs to another stack: its id, a plain value, not a resource of this one.
    assert mocks.resources["child"]["parent_tenant_id"] == "root"
    assert mocks.resources["child-settings"] == {"tenant_id": "child", "jit_disabled": True}

    everything = run(lambda: customers.declare(loaded))
    assert set(everything.resources) == {"root", "root-settings", "child", "child-settings", "other"}
