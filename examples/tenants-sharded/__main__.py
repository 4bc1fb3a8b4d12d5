"""One customers file (customers.yaml), K stacks: each declares the tenants of its shard, and shard 0
also the objects that belong to no tenant. Every shard shares one rate budget through Redis
(`descope:rateLimitStore` in Pulumi.yaml), so all K can apply at once:

    pulumi stack init a; pulumi stack init b; pulumi stack init c    # the stacks of `shardStacks`
    pulumi up --stack a --yes & pulumi up --stack b --yes & pulumi up --stack c --yes & wait
    pulumi-descope drift --stack a --stack b --stack c

Which shard owns a tenant: pulumi_descope_dynamic.sharding (a hash of its tree's root id, stable when
other tenants come and go; `shard:` in the file pins it). The README's "More than one stack:
sharding" says what changes with K and how a tenant changes stacks without being deleted.
"""

from __future__ import annotations

from pathlib import Path

import pulumi
from pulumi_descope_dynamic import customers, sharding

HERE = Path(__file__).parent


def program(customers_path: Path | None = None) -> None:
    stacks: list[str] = pulumi.Config().require_object("shardStacks")
    if pulumi.get_stack() not in stacks:
        raise sharding.ShardError(
            f"stack {pulumi.get_stack()!r} is not a shard stack ({', '.join(stacks)}): select one of them, "
            "or add it to `shardStacks` in Pulumi.yaml (which moves tenants to it: see moves.py)"
        )
    shard, shards = stacks.index(pulumi.get_stack()), len(stacks)
    declared_file = customers.load(customers_path or HERE / "customers.yaml")
    plan = sharding.assign(declared_file.tenants, shards)
    declared = customers.declare(
        declared_file,
        include=plan.owned_by(shard),
        project_level=shard == 0,  # one stack owns what belongs to no tenant: the first
    )
    pulumi.export("shard", shard)
    pulumi.export("tenant_ids", sorted(declared.tenants))


if __name__ == "__main__":
    program()
