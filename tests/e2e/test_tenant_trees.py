"""Tenant trees on the real Pulumi engine: replacing and deleting parents of depth-3 trees (children
referring to their parent as `parent.id` and by literal id), children created in the console, the
printed advice followed as a user would, and unique values clashing between tenants of one program.

Each test asserts both Descope (the emulator) and the stack state, and ends with a preview that must
show no changes: a declared tenant may never be silently missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pulumi_descope_dynamic as descope
import pytest
from descope_emulator import EmulatorServer
from pulumi import automation as auto

from tests.support.engine import EngineStack, new_stack

StackFactory = Callable[[Callable[[], None]], EngineStack]


@pytest.fixture
def engine(tmp_path: Path, emulator: EmulatorServer) -> StackFactory:
    def make(program: Callable[[], None]) -> EngineStack:
        return new_stack(
            program,
            tmp_path / "stack",
            base_url=emulator.url,
            project_id=emulator.project_id,
            management_key=emulator.management_key,
        )

    return make


def tree_program(spec: dict[str, Any]) -> Callable[[], None]:
    """root -> child -> grandchild. `spec` is read when the program runs, so a test edits it between
    runs: ids, `cascade` (the root's cascade_delete) and `literal` (children name their parent by a
    literal id instead of `parent.id`)."""

    def program() -> None:
        literal = bool(spec.get("literal"))

        def after(parent: descope.Tenant) -> pulumi.ResourceOptions | None:
            # A literal parent id needs depends_on to be created after its parent; that orders
            # creates and deletes but does not tell the engine to replace the child with it.
            return pulumi.ResourceOptions(depends_on=[parent]) if literal else None

        root = descope.Tenant(
            "root", name="Root", tenant_id=spec["root"], cascade_delete=spec.get("cascade", False)
        )
        child = descope.Tenant(
            "child",
            name="Child",
            tenant_id="child",
            parent_tenant_id=spec["root"] if literal else root.id,
            opts=after(root),
        )
        descope.Tenant(
            "grandchild",
            name="Grandchild",
            tenant_id="grandchild",
            parent_tenant_id="child" if literal else child.id,
            opts=after(child),
        )

    return program


def live_tree(emulator: EmulatorServer) -> dict[str, str]:
    """tenant id -> parent id ("" for a root), as Descope holds them."""
    tenants = (emulator.state.get_tenant(t) for t in emulator.state.tenant_ids())
    return {t["id"]: t["parent"] for t in tenants if t}


def state_ids(stack: EngineStack) -> dict[str, str]:
    """resource name -> tenant id, as the stack state holds them."""
    deployment = stack.stack.export_stack().deployment
    return {
        r["urn"].rsplit("::", 1)[1]: r["id"]
        for r in deployment.get("resources") or []
        if r["type"].endswith("descope:Tenant")
    }


def assert_tree(
    emulator: EmulatorServer, stack: EngineStack, root: str, extra: dict[str, str] | None = None
) -> None:
    assert live_tree(emulator) == {root: "", "child": root, "grandchild": "child", **(extra or {})}
    assert state_ids(stack) == {"root": root, "child": "child", "grandchild": "grandchild"}
    stack.preview(expect_no_changes=True)


def failed_up(stack: EngineStack) -> str:
    with pytest.raises(auto.CommandError) as info:
        stack.up()
    return " ".join(str(info.value).split())  # the CLI wraps long lines


def test_replacing_the_root_of_a_parent_id_tree_replaces_the_whole_tree(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    spec: dict[str, Any] = {"root": "r1"}
    stack = engine(tree_program(spec))
    stack.up()
    assert_tree(emulator, stack, "r1")

    # cascade_delete=False: the engine deletes grandchild, child and root, in that order, and creates
    # them again under the new root.
    spec["root"] = "r2"
    assert stack.preview().change_summary.get("replace") == 3
    up = stack.up()
    assert up.summary.resource_changes == {"replace": 3, "same": 1}  # same: the stack
    assert_tree(emulator, stack, "r2")

    # A tenant created in the console under the child blocks the next replacement: it fails before
    # deleting anything and names the blocker and the fix.
    emulator.state.create_tenant({"id": "console", "name": "Console", "parent": "child"})
    spec["root"] = "r3"
    message = failed_up(stack)
    assert "'console' (Console, under 'child')" in message, message
    assert "Nothing was deleted" in message and "cascade_delete=True on tenant 'r3' (Root)" in message
    assert "adopt" not in message
    assert live_tree(emulator) == {"r2": "", "child": "r2", "grandchild": "child", "console": "child"}

    # Following the advice: the program's cascade_delete=True is what the replacement uses now.
    spec["cascade"] = True
    stack.up()
    assert "'console' (Console)" in stack.text() and "was deleted with cascade_delete" in stack.text()
    assert_tree(emulator, stack, "r3")


def test_replacing_the_root_of_a_literal_id_tree_deletes_nothing_then_follows_cascade_delete(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    spec: dict[str, Any] = {"root": "r1", "literal": True}
    stack = engine(tree_program(spec))
    stack.up()
    assert_tree(emulator, stack, "r1")

    # The engine does not know literal ids are parents: the first delete refuses, before any delete.
    spec["root"] = "r2"
    message = failed_up(stack)
    assert "Nothing was deleted" in message and "'grandchild' (Grandchild, under 'child')" in message, message
    assert "parent_tenant_id=<parent resource>.id" in message and "adopt" not in message
    assert live_tree(emulator) == {"r1": "", "child": "r1", "grandchild": "child"}

    # The advice followed: cascade_delete=True deletes the tree with the root and names each tenant
    # deleted; a declared one the engine did not replace in that run is found missing by the next
    # preview and created again by the next up.
    spec["cascade"] = True
    stack.up()
    assert "'child' (Child)" in stack.text() and "'grandchild' (Grandchild, under 'child')" in stack.text()
    stack.up()
    assert_tree(emulator, stack, "r2")


def test_literal_id_tree_switched_to_parent_id_first_then_replaced_in_one_up(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    spec: dict[str, Any] = {"root": "r1", "literal": True}
    stack = engine(tree_program(spec))
    stack.up()

    # The other advice of the refusal: step 1, `.id` references with the old id, changes nothing.
    spec["literal"] = False
    assert stack.up().summary.resource_changes == {"same": 4}
    spec["root"] = "r2"  # step 2: the engine now replaces the tree with its root
    assert stack.up().summary.resource_changes == {"replace": 3, "same": 1}
    assert_tree(emulator, stack, "r2")


def test_updating_a_generated_id_parent_previews_its_children_as_unchanged(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    # `parent.tenant_id` of a generated id is unknown in the preview of the parent's update; only
    # a parent replaced in the same run makes an unknown parent a replacement.
    spec = {"name": "Parent"}

    def program() -> None:
        parent = descope.Tenant("parent", name=spec["name"])
        descope.Tenant("by-tenant-id", name="Child 1", parent_tenant_id=parent.tenant_id)
        descope.Tenant("by-id", name="Child 2", parent_tenant_id=parent.id)

    stack = engine(program)
    stack.up()
    spec["name"] = "Parent 2"
    assert stack.preview().change_summary == {"update": 2, "same": 2}
    assert stack.up().summary.resource_changes == {"update": 1, "same": 3}
    stack.preview(expect_no_changes=True)


def test_a_child_deleted_outside_pulumi_shows_in_the_next_preview_and_up_recreates_it(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    spec: dict[str, Any] = {"root": "r1"}
    stack = engine(tree_program(spec))
    stack.up()
    emulator.state.remove_tenant("child")  # and its grandchild with it, as a cascade does

    preview = stack.preview()
    assert preview.change_summary.get("replace") == 2, preview.change_summary
    assert "no longer exists in Descope" in stack.text()
    stack.up()
    assert_tree(emulator, stack, "r1")


def test_destroy_blocked_by_a_console_child_succeeds_after_the_two_printed_steps(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    spec: dict[str, Any] = {"root": "r1"}
    stack = engine(tree_program(spec))
    stack.up()
    emulator.state.create_tenant({"id": "console", "name": "Console", "parent": "r1"})

    with pytest.raises(auto.CommandError) as info:
        stack.destroy()
    message = " ".join(str(info.value).split())
    assert "'console' (Console)" in message and "Nothing was deleted" in message, message
    assert "1) declare this Tenant with cascade_delete=True" in message
    assert "r1" in live_tree(emulator) and "console" in live_tree(emulator)

    spec["cascade"] = True  # step 1: record the setting
    stack.up()
    stack.destroy()  # step 2
    assert live_tree(emulator) == {}
    assert "'console' (Console)" in stack.text()


def test_swapping_names_between_two_tenants_says_how_in_two_steps(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    names = {"a": "Alpha", "b": "Beta"}

    def program() -> None:
        for key, name in names.items():
            descope.Tenant(key, name=name, tenant_id=key)

    stack = engine(program)
    stack.up()
    names.update(a="Beta", b="Alpha")
    message = failed_up(stack)
    assert "this program manages that tenant too" in message and "two steps" in message, message
    assert "adopt" not in message

    names.update(a="Alpha-tmp", b="Beta-tmp")  # step 1: values nobody else holds
    stack.up()
    names.update(a="Beta", b="Alpha")  # step 2: the final values, all free
    stack.up()
    assert emulator.state.get_tenant("a")["name"] == "Beta"
    assert emulator.state.get_tenant("b")["name"] == "Alpha"
    stack.preview(expect_no_changes=True)


def test_replacement_taking_a_siblings_name_does_not_suggest_adopt(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    spec = {"a_id": "a", "a_name": "Alpha"}

    def program() -> None:
        b = descope.Tenant("b", name="Beta", tenant_id="b")
        descope.Tenant(
            "a", name=spec["a_name"], tenant_id=spec["a_id"], opts=pulumi.ResourceOptions(depends_on=[b])
        )

    stack = engine(program)
    stack.up()
    spec.update(a_id="a2", a_name="Beta")
    message = failed_up(stack)
    assert "tenant 'b' (Beta) holds it" in message and "this program manages that tenant too" in message
    assert "adopt" not in message, message


def test_moving_a_domain_from_a_removed_tenant_says_why_it_takes_two_steps(
    engine: StackFactory, emulator: EmulatorServer
) -> None:
    desired = {"old": "old"}

    def program() -> None:
        for key in desired:
            descope.Tenant(key, name=key.title(), tenant_id=key, self_provisioning_domains=["acme.com"])

    stack = engine(program)
    stack.up()
    desired.clear()
    desired["new"] = "new"
    message = failed_up(stack)
    assert "tenant 'old' (Old) holds it" in message, message
    assert "Pulumi deletes removed resources only after creating new ones" in message

    desired.clear()  # step 1: remove the old tenant
    stack.up()
    desired["new"] = "new"  # step 2
    stack.up()
    assert sorted(emulator.state.tenant_ids()) == ["new"]
    stack.preview(expect_no_changes=True)


# ---- look-ups and inputs through the engine ----------------------------------------------------------


def test_get_of_a_missing_id_fails_naming_it(engine: StackFactory, emulator: EmulatorServer) -> None:
    def program() -> None:
        pulumi.export("ghost", descope.Tenant.get("ghost", "no-such-tenant").name)

    message = failed_up(engine(program))
    assert "'no-such-tenant' does not exist in this Descope project" in message, message


@pytest.mark.parametrize("number", [2**53 + 1, -(2**60)])
def test_a_number_the_program_cannot_carry_exactly_fails_preview(
    engine: StackFactory, emulator: EmulatorServer, number: int
) -> None:
    # The engine carries numbers as float64: 2**53 + 1 reaches the provider as 2**53.
    def program() -> None:
        descope.Tenant("big", name="Big", custom_attributes={"seats": number})

    stack = engine(program)
    with pytest.raises(auto.CommandError) as info:
        stack.preview()
    message = " ".join(str(info.value).split())
    assert "custom_attributes['seats']" in message and "write it as a string" in message, message
    assert emulator.stats()["total"] == 0
