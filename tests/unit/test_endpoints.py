"""Endpoint: one declared endpoint says how a call of it is sent (fields as the query of a GET or
DELETE, else as the body), how its operation is named in messages, and whether it only reads."""

from __future__ import annotations

from typing import Any

from pulumi_descope_dynamic_provider.api.endpoints import Endpoint
from pulumi_descope_dynamic_provider.api.users import User

GONE = frozenset({"E1"})


def test_a_load_sends_its_fields_as_the_query_and_reads_only() -> None:
    load = Endpoint("GET", "/v1/mgmt/user", "load user {loginId!r}", GONE, User)
    assert load.named({"loginId": "ann"}) == "load user 'ann'"
    assert load.arguments({"loginId": "ann"}) == {
        "params": {"loginId": "ann"},
        "gone": GONE,
        "parse": User,
        "read_only": True,
    }


def test_a_delete_by_query_and_a_post_by_body_are_not_read_only() -> None:
    by_query: Endpoint[Any] = Endpoint("DELETE", "/p", "delete {name!r}", GONE)
    by_body: Endpoint[Any] = Endpoint("POST", "/p/delete", "delete {id!r}", GONE)
    assert by_query.arguments({"name": "a"}) == {
        "params": {"name": "a"},
        "gone": GONE,
        "parse": None,
        "read_only": False,
    }
    assert by_body.arguments({"id": "k1"})["body"] == {"id": "k1"}
    assert "params" not in by_body.arguments({"id": "k1"})


def test_an_operation_may_be_made_from_the_fields() -> None:
    def named(fields: Any) -> str:
        tenant_id = fields["tenantId"]
        return f"load policy of {f'tenant {tenant_id!r}' if tenant_id else 'the project'}"

    load: Endpoint[Any] = Endpoint("GET", "/p", named)
    assert load.named({"tenantId": ""}) == "load policy of the project"
    assert load.named({"tenantId": "acme"}) == "load policy of tenant 'acme'"
