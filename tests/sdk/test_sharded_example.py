"""examples/tenants-sharded's program under pulumi.runtime.set_mocks, once per shard: together the
shards declare every tenant of customers.yaml exactly once, a tenant tree in one shard, a pinned
tenant where its `shard:` says, and a bad pin fails before anything is declared. The real CLI, in
parallel against a quota, is tests/e2e/test_sharded_cli.py."""

from __future__ import annotations

import importlib.util
import json
import shlex
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi
import pytest
import yaml
from pulumi_descope_dynamic import customers
from pulumi_descope_dynamic.sharding import ShardError

from tests.support.examples import REPO_ROOT, load_example_program

EXAMPLE = REPO_ROOT / "examples" / "tenants-sharded"
TENANT_TYPE = "pulumi-python:dynamic/descope:Tenant"


def load_example_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"sharded_{name.removesuffix('.py')}", EXAMPLE / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.declared: dict[str, tuple[str, dict[str, Any]]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        self.declared[args.name] = (args.typ, inputs)
        return inputs.get("tenant_id") or args.name, inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def declared_by(shard: int, customers_path: Path | None = None) -> dict[str, tuple[str, dict[str, Any]]]:
    mocks = Mocks()
    stacks = ["a", "b", "c"]  # `shardStacks`: the i-th owns shard i
    pulumi.runtime.set_mocks(mocks, project="sharded", stack=stacks[shard], preview=False)
    pulumi.runtime.set_all_config({"sharded:shardStacks": json.dumps(stacks)})
    program = load_example_program("examples/tenants-sharded/__main__.py")

    @pulumi.runtime.test
    def body() -> None:
        program(customers_path)

    body()
    return mocks.declared


def test_the_shards_declare_every_tenant_once_trees_whole_pins_kept() -> None:
    entries = yaml.safe_load((EXAMPLE / "customers.yaml").read_text())["tenants"]
    by_shard = {shard: declared_by(shard) for shard in range(3)}
    tenants = {shard: {n for n, (t, _) in d.items() if t == TENANT_TYPE} for shard, d in by_shard.items()}
    assert sorted(n for names in tenants.values() for n in names) == sorted(e["id"] for e in entries)
    assert all(tenants.values())  # every shard has some
    assert "hooli" in tenants[0]  # `shard: 0` in the file
    (home,) = [shard for shard, names in tenants.items() if "acme" in names]
    assert "acme-eu" in tenants[home]
    assert by_shard[home]["acme-eu"][1]["parent_tenant_id"] == "acme"
    (owner,) = [shard for shard, names in tenants.items() if "initech" in names]
    assert by_shard[owner]["initech-settings"][1]["tenant_id"] == "initech"  # settings follow


def test_a_pin_outside_the_shards_fails_before_anything_is_declared(tmp_path: Path) -> None:
    bad = tmp_path / "customers.yaml"
    bad.write_text("tenants:\n  - {id: acme, name: Acme}\n  - {id: globex, name: Globex, shard: 3}\n")
    with pytest.raises(ShardError, match=r"tenant 'globex': shard 3 is not in 0\.\.2 \(shards is 3\)"):
        declared_by(0, bad)


def test_a_stack_outside_shard_stacks_is_refused_naming_the_list() -> None:
    pulumi.runtime.set_mocks(Mocks(), project="sharded", stack="prod", preview=False)
    pulumi.runtime.set_all_config({"sharded:shardStacks": json.dumps(["a", "b", "c"])})
    program = load_example_program("examples/tenants-sharded/__main__.py")

    @pulumi.runtime.test
    def body() -> None:
        program()

    with pytest.raises(
        ShardError, match=r"stack 'prod' is not a shard stack \(a, b, c\): select one of them"
    ):
        body()


def test_a_shard_that_is_not_a_number_is_named_with_its_entry(tmp_path: Path) -> None:
    bad = tmp_path / "customers.yaml"
    bad.write_text("tenants:\n  - {id: acme, name: Acme, shard: first}\n")
    with pytest.raises(
        customers.CustomersFileError, match=r"tenants\.0 \(acme\)\.shard: a shard number \(0, 1, \.\.\.\)"
    ):
        customers.load(bad)


MOVING_FILE = """\
roles: [{name: Admin}]
users:
  - {login_id: alice@c3.com, tenants: {c3: [R3]}}
tenants:
  - id: c3
    name: C3
    settings: {session_token_expiration: 15m}
    roles: [{name: R3}]
    access_keys: [{name: ci}]
    members: [{login_id: alice@c3.com, roles: [R3]}]
  - {id: c3-eu, name: C3 EU, parent: c3, roles: [{name: R3}]}
  - id: c0
    name: C0
    default_roles: [Admin]
    sso:
      - sso_id: okta
        display_name: C0 Okta
        oidc: {name: Okta, client_id: c0-okta, auth_url: "https://c0.example/authorize",
               token_url: "https://c0.example/token", role_mappings: [{groups: [admins], role_name: Admin}]}
        oidc_client_secret: {env: C0_OKTA_SECRET}
  - {id: c1, name: C1}
"""


def declared_with(loaded: customers.CustomersFile, **options: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, name, inputs) of what `customers.declare(loaded, **options)` declares, in order."""
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="sharded", stack="a", preview=False)

    @pulumi.runtime.test
    def body() -> None:
        customers.declare(loaded, **options)

    body()
    return [(typ, name, inputs) for name, (typ, inputs) in mocks.declared.items()]


def test_moves_carry_a_tenant_its_own_objects_and_children_never_project_or_other_tenants_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stack a holds everything; c3 (and its child c3-eu) move to c. Whatever the dependency edges
    say (here the worst: every resource depends on every one declared before it, which puts c0's SSO
    configuration and the user alice after c3's role), only c3, c3-eu and what their entries declare
    move: what `declare(include=...)` of those two tenants alone declares. The user naming c3 and the
    project role stay with stack a, which declares them; c0 and its SSO configuration stay too."""
    monkeypatch.setenv("C0_OKTA_SECRET", "s3cret")
    path = tmp_path / "customers.yaml"
    path.write_text(MOVING_FILE, encoding="utf-8")
    loaded = customers.load(path)
    moves = load_example_module("moves.py")
    prefix = "urn:pulumi:a::descope-tenants-sharded::"
    state: list[dict[str, Any]] = []
    for typ, name, inputs in declared_with(loaded):
        state.append(
            {
                "urn": f"{prefix}{typ}::{name}",
                "type": typ,
                "id": inputs.get("tenant_id") if typ == TENANT_TYPE else f"live-{name}",
                "inputs": inputs,
                "dependencies": [r["urn"] for r in state],
            }
        )
    own = declared_with(loaded, include=lambda t: t.id in ("c3", "c3-eu"), project_level=False)
    expected = [f"{prefix}{typ}::{name}" for typ, name, _ in own]
    assert {name for _, name, _ in own} >= {"c3", "c3-eu", "c3-settings"} and len(own) == 7

    [line] = moves.commands(
        {"c3": ("a", "c"), "c3-eu": ("a", "c")},
        lambda stack: {"deployment": {"resources": state}},
        loaded.tenants,
    )
    words = shlex.split(line)
    assert words[:7] == ["pulumi", "state", "move", "--source", "a", "--dest", "c"]
    assert sorted(words[8:]) == sorted(expected)


def test_moves_carry_a_tenants_object_left_out_of_the_file_by_the_tenant_id_it_holds() -> None:
    """An object of c3 still in the state but no longer in its entry (removed from the file with the
    same change as K) moves with c3 by its `tenant_id`; a project role (no tenant id) does not."""
    moves = load_example_module("moves.py")
    prefix = "urn:pulumi:a::descope-tenants-sharded::pulumi-python:dynamic/descope:"
    state = [
        {"urn": f"{prefix}Tenant::c3", "type": TENANT_TYPE, "id": "c3", "dependencies": []},
        {
            "urn": f"{prefix}Role::old-role",
            "type": TENANT_TYPE.replace("Tenant", "Role"),
            "id": "x",
            "inputs": {"tenant_id": "c3", "name": "Old"},
            "dependencies": [f"{prefix}Tenant::c3"],
        },
        {
            "urn": f"{prefix}Role::Admin",
            "type": TENANT_TYPE.replace("Tenant", "Role"),
            "id": "y",
            "inputs": {"name": "Admin"},
            "dependencies": [f"{prefix}Tenant::c3"],
        },
    ]
    entries = customers.parse({"tenants": [{"id": "c3", "name": "C3"}]}).tenants
    [line] = moves.commands({"c3": ("a", "c")}, lambda stack: {"deployment": {"resources": state}}, entries)
    assert shlex.split(line)[8:] == [f"{prefix}Tenant::c3", f"{prefix}Role::old-role"]
