"""examples/tenants-sharded's program under pulumi.runtime.set_mocks, once per shard: together the
shards declare every tenant of customers.yaml exactly once, a tenant tree in one shard, a pinned
tenant where its `shard:` says, and a bad pin fails before anything is declared. The real CLI, in
parallel against a quota, is tests/e2e/test_sharded_cli.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from pulumi_descope_dynamic import customers
from pulumi_descope_dynamic.sharding import ShardError

from tests.support.examples import REPO_ROOT, load_example_program

EXAMPLE = REPO_ROOT / "examples" / "tenants-sharded"
TENANT_TYPE = "pulumi-python:dynamic/descope:Tenant"


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
