"""Which of K stacks owns a tenant: one customers file, K stacks (shards) applied in parallel.

```python
from pulumi_descope_dynamic import customers, sharding
file = customers.load("customers.yaml")
plan = sharding.assign(file.tenants, shards=3)        # tenant id -> shard, checked before anything
customers.declare(file, include=plan.owned_by(shard), project_level=shard == 0)
```

The rule, stable by construction:
- a root tenant's shard is its `shard:` when the file sets one, else a jump consistent hash of its
  id (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014) over a SHA-256
  of the id: a function of that id and K alone, the same in every process and Python version, so
  adding, removing or reordering other tenants never moves it;
- a child tenant lives in its root's shard (a parent is created before its children, which only one
  stack can order), so a `shard:` on a child must equal its root's or be left out;
- when K grows to K+1, about 1/(K+1) of the tenants move, each to the new shard, none between old
  shards (`moves()` lists them); when K shrinks, the tenants of the removed shards move.

A tenant that moves must change stacks without being deleted and created again:
`pulumi state move --source OLD --dest NEW URN...` (the tenant and its own objects) before either
stack's next `up`, or pin it where it is with `shard:`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Move", "ShardEntry", "ShardError", "ShardPlan", "assign", "jump_hash", "moves", "shard_of"]

_MASK64 = (1 << 64) - 1
_LCG_MULTIPLIER = 2862933555777941757  # the paper's 64-bit linear congruential step


class ShardError(ValueError):
    """The shard assignment cannot be made; the message names the tenant, the field and the fix."""


class ShardEntry(Protocol):
    """What the assignment reads of a tenant entry (customers.TenantEntry has it; `shard` may be
    missing, which means "by hash")."""

    @property
    def id(self) -> str: ...
    @property
    def parent(self) -> str | None: ...


def jump_hash(key: int, buckets: int) -> int:
    """The jump consistent hash of a 64-bit `key` into `buckets`: growing `buckets` by one moves a
    key only to the new bucket, and about 1/buckets of the keys."""
    if buckets < 1:
        raise ValueError("buckets must be >= 1")
    bucket, candidate = -1, 0
    while candidate < buckets:
        bucket = candidate
        key = (key * _LCG_MULTIPLIER + 1) & _MASK64
        candidate = int((bucket + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return bucket


def shard_of(tenant_id: str, shards: int) -> int:
    """The hash shard of a root tenant id (no override), in range(shards)."""
    key = int.from_bytes(hashlib.sha256(tenant_id.encode("utf-8")).digest()[:8], "big")
    return jump_hash(key, shards)


@dataclass(frozen=True)
class ShardPlan:
    shards: int
    by_tenant: Mapping[str, int]

    def owned_by(self, shard: int) -> Callable[[ShardEntry], bool]:
        """The predicate `customers.declare(include=...)` takes: the entries of `shard`."""
        if not 0 <= shard < self.shards:
            raise ShardError(f"shard {shard} is not in 0..{self.shards - 1}: set the stack's `shard` config")
        return lambda entry: self.by_tenant[entry.id] == shard

    def tenants_of(self, shard: int) -> list[str]:
        return sorted(tenant for tenant, owner in self.by_tenant.items() if owner == shard)


def _override(entry: ShardEntry) -> int | None:
    value = getattr(entry, "shard", None)
    return value if value is None else int(value)


def assign(entries: Iterable[ShardEntry], shards: int) -> ShardPlan:
    """Every tenant's shard; a ShardError (at preview, before any resource is declared) for a
    `shard:` out of range or a child pinned away from its tree."""
    if isinstance(shards, bool) or not isinstance(shards, int) or shards < 1:
        raise ShardError(f"shards must be a whole number >= 1, got {shards!r}: set the `shards` config")
    listed = list(entries)
    by_id = {entry.id: entry for entry in listed}

    def root_of(entry: ShardEntry) -> ShardEntry:
        seen = {entry.id}
        while entry.parent is not None and entry.parent in by_id:
            entry = by_id[entry.parent]
            if entry.id in seen:
                raise ShardError(f"tenant {entry.id!r} is its own ancestor: break the parent cycle")
            seen.add(entry.id)
        return entry

    by_tenant: dict[str, int] = {}
    for entry in listed:
        pinned = _override(entry)
        if pinned is not None and not 0 <= pinned < shards:
            raise ShardError(
                f"tenant {entry.id!r}: shard {pinned} is not in 0..{shards - 1} (shards is {shards}): "
                "set `shard:` to one of them, or remove it to place the tenant by its id"
            )
        root = root_of(entry)
        root_pinned = _override(root)
        owner = root_pinned if root_pinned is not None else shard_of(root.id, shards)
        if pinned is not None and pinned != owner:
            raise ShardError(
                f"tenant {entry.id!r}: shard {pinned}, but its tree's root {root.id!r} is in shard {owner}; "
                f"a tenant tree lives in one stack (a parent is created before its children): set `shard:` "
                f"on {root.id!r} instead, or remove it from {entry.id!r}"
            )
        by_tenant[entry.id] = owner
    return ShardPlan(shards, by_tenant)


@dataclass(frozen=True)
class Move:
    tenant: str
    source: int
    dest: int


def moves(entries: Iterable[ShardEntry], old_shards: int, new_shards: int) -> list[Move]:
    """The tenants whose shard changes when K goes from `old_shards` to `new_shards`."""
    listed = list(entries)
    before, after = assign(listed, old_shards), assign(listed, new_shards)
    return [
        Move(tenant, before.by_tenant[tenant], after.by_tenant[tenant])
        for tenant in sorted(before.by_tenant)
        if before.by_tenant[tenant] != after.by_tenant[tenant]
    ]
