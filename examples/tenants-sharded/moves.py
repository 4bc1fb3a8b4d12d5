"""Print the `pulumi state move` commands that carry tenants to their new shard stack when K changes,
so no tenant is deleted by its old stack and created again by its new one (a new tenant: its users'
memberships would be gone). In this order, before any `pulumi up` with the new K:

    pulumi stack init d                                    # a new stack first: the moves need it
    python moves.py --from a,b,c --to a,b,c,d > moves.sh   # `shardStacks` before and after
    sh moves.sh                                            # review it first
    then put d in Pulumi.yaml's `shardStacks` and `pulumi up` every stack

(Shrinking: the same without `stack init`. Keep the first stack first: it holds the objects that
belong to no tenant, which this script never moves.)

A tenant moves with its own objects (what its entry in the customers file declares: settings,
password policy, roles, SSO configurations, access keys, members; or what holds its id as
`tenant_id` in the state) and with its child tenants and theirs, which live in its shard. Nothing
else moves, whatever depends on it: the objects that belong to no tenant (project roles, users,
project keys) stay with the first stack, which declares them, and other tenants' objects stay in
their tenant's stack; `pulumi state move` drops their dependencies on what left.
Each stack is only read (`pulumi stack export`); nothing is moved by this script itself.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pulumi_descope_dynamic import customers, sharding

HERE = Path(__file__).parent
TYPE_PREFIX = "pulumi-python:dynamic/descope:"
TENANT_TYPE = TYPE_PREFIX + "Tenant"
TENANT_PART_TYPES = {TYPE_PREFIX + part.type_name for part in customers.TENANT_PARTS.values()}


def resource_name(urn: str) -> str:
    """The resource name a URN ends with (`urn:pulumi:STACK::PROJECT::TYPE::NAME`; a name may hold `::`)."""
    return urn.split("::", 3)[-1]


def owned(entries: Iterable[customers.TenantEntry], tenants: set[str]) -> set[tuple[str, str]]:
    """(type token, resource name) of what the entries of `tenants` declare inside them: named by
    `customers.resource_name`, as `customers.declare` names them."""
    found: set[tuple[str, str]] = set()
    for entry in entries:
        if entry.id not in tenants:
            continue
        for key, items in entry.parts.items():
            part = customers.TENANT_PARTS[key]
            for item in items:
                found.add((TYPE_PREFIX + part.type_name, customers.resource_name(part, item, entry.id)))
    return found


def carried(resources: list[dict[str, Any]], tenants: set[str], declared: set[tuple[str, str]]) -> list[str]:
    """The URNs (in state order) of the moving `tenants` and their own objects: those `declared`
    inside their entries, and any other object of a tenant's part type whose state holds one of
    their ids as `tenant_id` (one removed from the file but still in the state). Never a
    project-level object, whatever its dependencies say."""
    urns = []
    for resource in resources:
        type_token = resource.get("type") or ""
        if type_token == TENANT_TYPE:
            mine = resource.get("id") in tenants
        elif type_token in TENANT_PART_TYPES:
            held = (resource.get("inputs") or {}).get("tenant_id")
            mine = (type_token, resource_name(resource["urn"])) in declared or held in tenants
        else:
            mine = False
        if mine:
            urns.append(resource["urn"])
    return urns


def stack_moves(entries: list[Any], old: Sequence[str], new: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Tenant id -> (its stack now, its stack after), for the tenants whose stack changes (by stack,
    not by shard number: removing a stack from the middle of the list renumbers the ones after it)."""
    before = sharding.assign(entries, len(old)).by_tenant
    after = sharding.assign(entries, len(new)).by_tenant
    found = {tenant: (old[before[tenant]], new[after[tenant]]) for tenant in before}
    return {tenant: pair for tenant, pair in sorted(found.items()) if pair[0] != pair[1]}


def commands(
    moves: dict[str, tuple[str, str]],
    export: Any,
    entries: Iterable[customers.TenantEntry],
    pulumi: str = "pulumi",
) -> list[str]:
    """One `pulumi state move` per (source, destination) pair of stacks; `export(stack)` is the
    stack's deployment (`pulumi stack export`), `entries` the customers file's tenants."""
    entries = list(entries)
    pairs: dict[tuple[str, str], set[str]] = {}
    for tenant, pair in moves.items():
        pairs.setdefault(pair, set()).add(tenant)
    lines = []
    for (source, dest), tenants in sorted(pairs.items()):
        resources = export(source)["deployment"].get("resources") or []
        roots = {r["urn"] for r in resources if r.get("type") == TENANT_TYPE and r.get("id") in tenants}
        if not roots:
            continue  # none of them was applied yet: nothing to carry
        urns = carried(resources, tenants, owned(entries, tenants))
        move = [pulumi, "state", "move", "--source", source, "--dest", dest, "--yes", *urns]
        lines.append(" ".join(shlex.quote(part) for part in move))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="old", required=True, help="`shardStacks` now, e.g. a,b,c")
    parser.add_argument("--to", dest="new", required=True, help="`shardStacks` after, e.g. a,b,c,d")
    parser.add_argument("--customers", type=Path, default=HERE / "customers.yaml")
    parser.add_argument("--pulumi", default="pulumi")
    args = parser.parse_args(argv)
    old, new = ([s.strip() for s in value.split(",") if s.strip()] for value in (args.old, args.new))
    if not old or not new:
        parser.error("--from and --to each name at least one stack")

    def export(stack: str) -> Any:
        done = subprocess.run(
            [args.pulumi, "stack", "export", "--stack", stack, "--non-interactive"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)

    entries = customers.load(args.customers).tenants
    plan = stack_moves(entries, old, new)
    print(f"# {len(plan)} tenant(s) change stacks from {','.join(old)} to {','.join(new)}", file=sys.stderr)
    for line in commands(plan, export, entries, args.pulumi):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
