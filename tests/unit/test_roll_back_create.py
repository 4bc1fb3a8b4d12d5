"""roll_back_create: a create whose later step failed removes what it made and says so; when the
removal fails too, the message names both failures and the fix (the wording access keys and SSO
configurations had before they shared it)."""

from __future__ import annotations

import pytest
from pulumi_descope_dynamic_provider.api.errors import NotFoundError, ServerError
from pulumi_descope_dynamic_provider.core.provider import ResourceError, roll_back_create


def test_removes_what_was_created_and_names_the_failed_step() -> None:
    removed: list[str] = []
    with pytest.raises(ResourceError) as info:
        roll_back_create(
            "access key 'k1'",
            lambda: removed.append("k1"),
            ServerError("boom"),
            step="deactivating it",
            fix="Delete it in the Descope console, then rerun",
            removing="deleting",
        )
    assert removed == ["k1"]
    assert str(info.value) == "access key 'k1' was not created: deactivating it failed: boom"


def test_the_cause_alone_when_the_step_is_not_named_in_it() -> None:
    with pytest.raises(ResourceError) as info:
        roll_back_create(
            "SSO configuration 'x'",
            lambda: None,
            ServerError("no such role"),
            step="configuring it",
            fix="Fix the cause and rerun",
            step_in_cause=False,
        )
    assert str(info.value) == "SSO configuration 'x' was not created: no such role"


def test_a_failed_removal_names_both_failures_and_the_fix() -> None:
    def remove() -> None:
        raise NotFoundError("gone meanwhile")

    with pytest.raises(ResourceError) as info:
        roll_back_create(
            "tenant 'acme'",
            remove,
            ServerError("boom"),
            step="setting its default roles",
            fix="Delete it in the Descope console, or rerun with adopt=True",
        )
    assert str(info.value) == (
        "tenant 'acme' was created but setting its default roles failed (boom); removing it again "
        "failed too (gone meanwhile). Delete it in the Descope console, or rerun with adopt=True"
    )
