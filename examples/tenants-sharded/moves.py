"""Print the `pulumi state move` commands that carry tenants to their new shard stack when K changes,
so no tenant is deleted by its old stack and created again by its new one (a new tenant: its users'
memberships would be gone). Run them before any `pulumi up` with the new K:

    python moves.py --from a,b,c --to a,b,c,d > moves.sh   # `shardStacks` before and after
    sh moves.sh                                            # review it first
    then put d in Pulumi.yaml's `shardStacks`, `pulumi stack init d`, and `pulumi up` every stack

A tenant moves with every resource of its stack that depends on it, at any depth (its settings, its
child tenants and theirs): what `pulumi state move` must carry so no dependency is left dangling.
Each stack is only read (`pulumi stack export`); nothing is moved by this script itself.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pulumi_descope_dynamic import customers, sharding

HERE = Path(__file__).parent
TENANT_TYPE = "pulumi-python:dynamic/descope:Tenant"


def with_dependents(resources: list[dict[str, Any]], roots: set[str]) -> list[str]:
    """`roots` (URNs) and every resource depending on one of them, in state order."""
    chosen = set(roots)
    changed = True
    while changed:
        changed = False
        for resource in resources:
            if resource["urn"] not in chosen and chosen & set(resource.get("dependencies") or []):
                chosen.add(resource["urn"])
                changed = True
    return [resource["urn"] for resource in resources if resource["urn"] in chosen]


def stack_moves(entries: list[Any], old: Sequence[str], new: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Tenant id -> (its stack now, its stack after), for the tenants whose stack changes (by stack,
    not by shard number: removing a stack from the middle of the list renumbers the ones after it)."""
    before = sharding.assign(entries, len(old)).by_tenant
    after = sharding.assign(entries, len(new)).by_tenant
    found = {tenant: (old[before[tenant]], new[after[tenant]]) for tenant in before}
    return {tenant: pair for tenant, pair in sorted(found.items()) if pair[0] != pair[1]}


def commands(moves: dict[str, tuple[str, str]], export: Any, pulumi: str = "pulumi") -> list[str]:
    """One `pulumi state move` per (source, destination) pair of stacks; `export(stack)` is the
    stack's deployment (`pulumi stack export`)."""
    pairs: dict[tuple[str, str], set[str]] = {}
    for tenant, pair in moves.items():
        pairs.setdefault(pair, set()).add(tenant)
    lines = []
    for (source, dest), tenants in sorted(pairs.items()):
        resources = export(source)["deployment"].get("resources") or []
        roots = {r["urn"] for r in resources if r.get("type") == TENANT_TYPE and r.get("id") in tenants}
        if not roots:
            continue  # none of them was applied yet: nothing to carry
        urns = with_dependents(resources, roots)
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

    plan = stack_moves(customers.load(args.customers).tenants, old, new)
    print(f"# {len(plan)} tenant(s) change stacks from {','.join(old)} to {','.join(new)}", file=sys.stderr)
    for line in commands(plan, export, args.pulumi):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
