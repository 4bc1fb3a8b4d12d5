"""Tenant trees on the real Pulumi CLI, with `pulumi` commands typed in a project directory: replacing
and deleting parents of depth-3 trees (children referring to their parent as `parent.id` and by
literal id), children created in the console, the printed advice followed as a user would (editing
__main__.py between commands), and unique values clashing between tenants of one program.

Each test asserts both Descope (the emulator) and the stack state, and ends with a preview that must
show no changes: a declared tenant may never be silently missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import CLIResult, PulumiProject, changes

pytestmark = pytest.mark.e2e

TENANT_TYPE = "pulumi-python:dynamic/descope:Tenant"
IMPORTS = "import pulumi\nimport pulumi_descope_dynamic as descope\n\n"


def tree_source(root: str, *, cascade: bool = False, literal: bool = False) -> str:
    """root -> child -> grandchild, the root with tenant id `root`. `literal`: children name their
    parent by a literal id instead of `parent.id`."""
    if literal:
        # A literal parent id needs depends_on to be created after its parent; that orders creates
        # and deletes but does not tell the engine to replace the child with it.
        child_parent = f"{root!r}, opts=pulumi.ResourceOptions(depends_on=[root])"
        grandchild_parent = "'child', opts=pulumi.ResourceOptions(depends_on=[child])"
    else:
        child_parent, grandchild_parent = "root.id", "child.id"
    return IMPORTS + (
        f"root = descope.Tenant('root', name='Root', tenant_id={root!r}, cascade_delete={cascade})\n"
        "child = descope.Tenant(\n"
        f"    'child', name='Child', tenant_id='child', parent_tenant_id={child_parent}\n"
        ")\n"
        "descope.Tenant(\n"
        f"    'grandchild', name='Grandchild', tenant_id='grandchild', parent_tenant_id={grandchild_parent}\n"
        ")\n"
    )


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorServer) -> PulumiProject:
    """A project whose program the test writes (`project.write_program`), stack "e2e" on the emulator."""
    created = PulumiProject.create(tmp_path, IMPORTS)
    created.init_stack("e2e", emulator)
    return created


def said(result: CLIResult) -> str:
    """A command's output with whitespace runs as one space (the CLI wraps long lines)."""
    return " ".join(result.output.split())


# `pulumi up` as CI types it: the tests run `pulumi preview` themselves where they assert one, so the
# preview inside `up` would only run the program and start the plugin a second time (1-3 s per up).
UP = ("up", "--yes", "--skip-preview")


def up(project: PulumiProject, source: str | None = None) -> CLIResult:
    """`pulumi up --yes --skip-preview`, after writing `source` as the program when given."""
    if source is not None:
        project.write_program(source)
    return project.run(*UP)


def failed(project: PulumiProject, *command: str) -> str:
    """A command that must fail (`pulumi up` unless named), and what it said."""
    result = project.run(*(command or UP), check=False)
    assert result.code != 0, project.transcript()
    return said(result)


def live_tree(emulator: EmulatorServer) -> dict[str, str]:
    """tenant id -> parent id ("" for a root), as Descope holds them."""
    tenants = (emulator.state.get_tenant(t) for t in emulator.state.tenant_ids())
    return {t["id"]: t["parent"] for t in tenants if t}


def state_ids(project: PulumiProject) -> dict[str, str]:
    """resource name -> tenant id, as the stack state holds them (`pulumi stack export`)."""
    return {r["urn"].rsplit("::", 1)[1]: r["id"] for r in project.resources() if r["type"] == TENANT_TYPE}


def assert_tree(
    emulator: EmulatorServer, project: PulumiProject, root: str, extra: dict[str, str] | None = None
) -> None:
    assert live_tree(emulator) == {root: "", "child": root, "grandchild": "child", **(extra or {})}
    assert state_ids(project) == {"root": root, "child": "child", "grandchild": "grandchild"}
    project.run("preview", "--expect-no-changes")


def test_replacing_the_root_of_a_parent_id_tree_replaces_the_whole_tree(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    up(project, tree_source("r1"))
    assert_tree(emulator, project, "r1")

    # cascade_delete=False: the engine deletes grandchild, child and root, in that order, and creates
    # them again under the new root.
    project.write_program(tree_source("r2"))
    assert changes(project.run("preview")).get("replace") == 3
    assert changes(up(project)) == {"replace": 3, "same": 1}  # same: the stack
    assert_tree(emulator, project, "r2")

    # A tenant created in the console under the child blocks the next replacement: it fails before
    # deleting anything and names the blocker and the fix.
    emulator.state.create_tenant({"id": "console", "name": "Console", "parent": "child"})
    project.write_program(tree_source("r3"))
    message = failed(project)
    assert "'console' (Console, under 'child')" in message, message
    assert "Nothing was deleted" in message and "cascade_delete=True on tenant 'r3' (Root)" in message
    assert "adopt" not in message
    assert live_tree(emulator) == {"r2": "", "child": "r2", "grandchild": "child", "console": "child"}

    # Following the advice: the program's cascade_delete=True is what the replacement uses now.
    message = said(up(project, tree_source("r3", cascade=True)))
    assert "'console' (Console)" in message and "was deleted with cascade_delete" in message, message
    assert_tree(emulator, project, "r3")


def test_replacing_the_root_of_a_literal_id_tree_deletes_nothing_then_follows_cascade_delete(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    up(project, tree_source("r1", literal=True))
    assert_tree(emulator, project, "r1")

    # The engine does not know literal ids are parents: the first delete refuses, before any delete.
    project.write_program(tree_source("r2", literal=True))
    message = failed(project)
    assert "Nothing was deleted" in message and "'grandchild' (Grandchild, under 'child')" in message, message
    assert "parent_tenant_id=<parent resource>.id" in message and "adopt" not in message
    assert live_tree(emulator) == {"r1": "", "child": "r1", "grandchild": "child"}

    # The advice followed: cascade_delete=True deletes the tree with the root and names each tenant
    # deleted; a declared one the engine did not replace in that run is found missing by the next
    # preview and created again by the next up.
    message = said(up(project, tree_source("r2", cascade=True, literal=True)))
    assert "'child' (Child)" in message and "'grandchild' (Grandchild, under 'child')" in message, message
    up(project)
    assert_tree(emulator, project, "r2")


def test_literal_id_tree_switched_to_parent_id_first_then_replaced_in_one_up(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    up(project, tree_source("r1", literal=True))

    # The other advice of the refusal: step 1, `.id` references with the old id, changes nothing.
    assert changes(up(project, tree_source("r1"))) == {"same": 4}
    # step 2: the engine now replaces the tree with its root
    assert changes(up(project, tree_source("r2"))) == {"replace": 3, "same": 1}
    assert_tree(emulator, project, "r2")


def test_updating_a_generated_id_parent_previews_its_children_as_unchanged(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    # `parent.tenant_id` of a generated id is unknown in the preview of the parent's update; only
    # a parent replaced in the same run makes an unknown parent a replacement.
    def source(name: str) -> str:
        return IMPORTS + (
            f"parent = descope.Tenant('parent', name={name!r})\n"
            "descope.Tenant('by-tenant-id', name='Child 1', parent_tenant_id=parent.tenant_id)\n"
            "descope.Tenant('by-id', name='Child 2', parent_tenant_id=parent.id)\n"
        )

    up(project, source("Parent"))
    project.write_program(source("Parent 2"))
    assert changes(project.run("preview")) == {"update": 2, "same": 2}
    assert changes(up(project)) == {"update": 1, "same": 3}
    project.run("preview", "--expect-no-changes")


def test_a_child_deleted_outside_pulumi_shows_in_the_next_preview_and_up_recreates_it(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    up(project, tree_source("r1"))
    emulator.state.remove_tenant("child")  # and its grandchild with it, as a cascade does

    preview = project.run("preview")
    assert changes(preview).get("replace") == 2, preview.output
    assert "no longer exists in Descope" in said(preview)
    up(project)
    assert_tree(emulator, project, "r1")


def test_destroy_blocked_by_a_console_child_succeeds_after_the_two_printed_steps(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    up(project, tree_source("r1"))
    emulator.state.create_tenant({"id": "console", "name": "Console", "parent": "r1"})

    message = failed(project, "destroy", "--yes")
    assert "'console' (Console)" in message and "Nothing was deleted" in message, message
    assert "1) declare this Tenant with cascade_delete=True" in message
    assert "r1" in live_tree(emulator) and "console" in live_tree(emulator)

    up(project, tree_source("r1", cascade=True))  # step 1: record the setting
    destroyed = said(project.run("destroy", "--yes"))  # step 2
    assert live_tree(emulator) == {}
    assert "'console' (Console)" in destroyed, destroyed
    assert state_ids(project) == {}


def test_swapping_names_between_two_tenants_says_how_in_two_steps(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    def source(a: str, b: str) -> str:
        return IMPORTS + "".join(
            f"descope.Tenant({key!r}, name={name!r}, tenant_id={key!r})\n"
            for key, name in (("a", a), ("b", b))
        )

    up(project, source("Alpha", "Beta"))
    project.write_program(source("Beta", "Alpha"))
    message = failed(project)
    assert "this program manages that tenant too" in message and "two steps" in message, message
    assert "adopt" not in message

    up(project, source("Alpha-tmp", "Beta-tmp"))  # step 1: values nobody else holds
    up(project, source("Beta", "Alpha"))  # step 2: the final values, all free
    assert emulator.state.get_tenant("a")["name"] == "Beta"
    assert emulator.state.get_tenant("b")["name"] == "Alpha"
    project.run("preview", "--expect-no-changes")


def test_replacement_taking_a_siblings_name_does_not_suggest_adopt(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    def source(a_id: str, a_name: str) -> str:
        return IMPORTS + (
            "b = descope.Tenant('b', name='Beta', tenant_id='b')\n"
            f"descope.Tenant('a', name={a_name!r}, tenant_id={a_id!r}, "
            "opts=pulumi.ResourceOptions(depends_on=[b]))\n"
        )

    up(project, source("a", "Alpha"))
    project.write_program(source("a2", "Beta"))
    message = failed(project)
    assert "tenant 'b' (Beta) holds it" in message and "this program manages that tenant too" in message
    assert "adopt" not in message, message


def test_moving_a_domain_from_a_removed_tenant_says_why_it_takes_two_steps(
    project: PulumiProject, emulator: EmulatorServer
) -> None:
    def source(*keys: str) -> str:
        return IMPORTS + "".join(
            f"descope.Tenant({key!r}, name={key.title()!r}, tenant_id={key!r}, "
            "self_provisioning_domains=['acme.com'])\n"
            for key in keys
        )

    up(project, source("old"))
    project.write_program(source("new"))
    message = failed(project)
    assert "tenant 'old' (Old) holds it" in message, message
    assert "Pulumi deletes removed resources only after creating new ones" in message

    up(project, source())  # step 1: remove the old tenant
    up(project, source("new"))  # step 2
    assert sorted(emulator.state.tenant_ids()) == ["new"]
    project.run("preview", "--expect-no-changes")


# ---- look-ups and inputs through the engine ----------------------------------------------------------


def test_get_of_a_missing_id_fails_naming_it(project: PulumiProject, emulator: EmulatorServer) -> None:
    project.write_program(
        IMPORTS + "pulumi.export('ghost', descope.Tenant.get('ghost', 'no-such-tenant').name)\n"
    )
    message = failed(project)
    assert "'no-such-tenant' does not exist in this Descope project" in message, message


@pytest.mark.parametrize("number", [2**53 + 1, -(2**60)])
def test_a_number_the_program_cannot_carry_exactly_fails_preview(
    project: PulumiProject, emulator: EmulatorServer, number: int
) -> None:
    # The engine carries numbers as float64: 2**53 + 1 reaches the provider as 2**53.
    project.write_program(
        IMPORTS + f"descope.Tenant('big', name='Big', custom_attributes={{'seats': {number}}})\n"
    )
    message = failed(project, "preview")
    assert "custom_attributes['seats']" in message and "write it as a string" in message, message
    assert emulator.stats()["total"] == 0
