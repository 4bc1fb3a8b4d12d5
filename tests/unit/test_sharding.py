"""The shard assignment of examples/tenants-sharded: stable, balanced, trees kept whole, overrides
checked before anything is declared."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass

import pytest
from pulumi_descope_dynamic.sharding import ShardError, assign, jump_hash, moves, shard_of


@dataclass(frozen=True)
class Entry:
    id: str
    parent: str | None = None
    shard: int | None = None


def tenants(count: int, prefix: str = "customer") -> list[Entry]:
    return [Entry(f"{prefix}-{index:05d}") for index in range(count)]


@pytest.mark.parametrize(
    ("key", "buckets", "bucket"),
    [
        # Published vectors of the paper's algorithm: ClickHouse's
        # tests/queries/0_stateless/00580_consistent_hashing_functions (.sql/.reference), the Rust
        # jump-consistent-hash crate's doc examples and the Python `jump` package's README.
        (1, 1, 0),
        (42, 57, 43),
        (256, 1024, 520),
        (3735883980, 1, 0),
        (3735883980, 666, 361),
        (16045690984833335023, 255, 237),
        (1, 60, 55),
        (2, 60, 46),
    ],
)
def test_jump_hash_matches_the_published_vectors(key: int, buckets: int, bucket: int) -> None:
    assert jump_hash(key, buckets) == bucket


def test_a_tenant_never_moves_when_others_are_added_removed_or_reordered() -> None:
    few = tenants(50)
    many = [*tenants(500, "later"), *reversed(few)]
    before, after = assign(few, 3).by_tenant, assign(many, 3).by_tenant
    assert {tenant: after[tenant] for tenant in before} == before


def test_the_shard_is_the_same_in_another_process() -> None:
    # Python's own hash() of a str changes per process (PYTHONHASHSEED): the shard must not.
    code = (
        "from pulumi_descope_dynamic.sharding import shard_of\n"
        "print([shard_of(f'customer-{i}', 7) for i in range(40)])"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip() == str([shard_of(f"customer-{i}", 7) for i in range(40)])


def test_shards_are_balanced() -> None:
    counts = Counter(assign(tenants(3000), 3).by_tenant.values())
    assert sorted(counts) == [0, 1, 2]
    assert all(900 <= count <= 1100 for count in counts.values()), counts  # 1000 each +- 10%


def test_growing_k_moves_about_one_in_k_plus_one_and_only_to_the_new_shard() -> None:
    entries = tenants(3000)
    moved = moves(entries, 3, 4)
    assert {move.dest for move in moved} == {3}
    assert 3000 / 4 * 0.9 <= len(moved) <= 3000 / 4 * 1.1  # about 750
    assert Counter(move.source for move in moved).keys() == {0, 1, 2}  # taken from every old shard
    # Shrinking back moves exactly those tenants back.
    assert [(m.tenant, m.source, m.dest) for m in moves(entries, 4, 3)] == [
        (m.tenant, m.dest, m.source) for m in moved
    ]


def test_a_tenant_tree_lives_in_its_roots_shard() -> None:
    roots = tenants(30, "root")
    children = [Entry(f"{root.id}-child", parent=root.id) for root in roots]
    grandchildren = [Entry(f"{child.id}-child", parent=child.id) for child in children]
    plan = assign([*grandchildren, *children, *roots], 3)
    for root, child, grandchild in zip(roots, children, grandchildren, strict=True):
        assert plan.by_tenant[child.id] == plan.by_tenant[grandchild.id] == plan.by_tenant[root.id]
    assert set(plan.by_tenant.values()) == {0, 1, 2}  # the roots still spread


def test_an_override_pins_the_whole_tree() -> None:
    natural = shard_of("acme", 3)
    pinned = (natural + 1) % 3
    plan = assign([Entry("acme", shard=pinned), Entry("acme-eu", parent="acme"), Entry("globex")], 3)
    assert plan.by_tenant == {"acme": pinned, "acme-eu": pinned, "globex": shard_of("globex", 3)}
    # A pin survives a change of K (as long as the shard still exists): the way to keep a tenant put.
    assert assign([Entry("acme", shard=pinned)], 4).by_tenant["acme"] == pinned


def test_the_predicate_selects_a_shards_entries() -> None:
    entries = tenants(60)
    plan = assign(entries, 3)
    owned = [[entry.id for entry in entries if plan.owned_by(shard)(entry)] for shard in range(3)]
    assert sorted(tenant for ids in owned for tenant in ids) == sorted(entry.id for entry in entries)
    assert owned == [plan.tenants_of(shard) for shard in range(3)]


@pytest.mark.parametrize(
    ("entries", "shards", "message"),
    [
        ([Entry("acme", shard=3)], 3, r"tenant 'acme': shard 3 is not in 0\.\.2 \(shards is 3\): set"),
        ([Entry("acme", shard=-1)], 3, r"tenant 'acme': shard -1 is not in 0\.\.2"),
        (
            [Entry("acme", shard=0), Entry("acme-eu", parent="acme", shard=1)],
            3,
            r"tenant 'acme-eu': shard 1, but its tree's root 'acme' is in shard 0; a tenant tree lives in "
            r"one stack .* set `shard:` on 'acme' instead, or remove it from 'acme-eu'",
        ),
        ([Entry("acme")], 0, r"shards must be a whole number >= 1, got 0: set the `shards` config"),
        ([Entry("a", parent="b"), Entry("b", parent="a")], 2, r"is its own ancestor"),
    ],
)
def test_bad_assignments_name_the_tenant_the_field_and_the_fix(
    entries: list[Entry], shards: int, message: str
) -> None:
    with pytest.raises(ShardError, match=message):
        assign(entries, shards)


def test_a_shard_outside_k_is_refused() -> None:
    with pytest.raises(ShardError, match=r"shard 5 is not in 0\.\.2: set the stack's `shard` config"):
        assign(tenants(3), 3).owned_by(5)
