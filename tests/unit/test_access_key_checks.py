"""The checks the AccessKey inputs add (core/checks.py) and the provider's check(): normalised values
are a fixed point (so an unchanged program never shows a diff), bad values name the field and the fix,
and nothing raises."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pulumi_descope_dynamic_provider.access_key import AccessKeyProvider
from pulumi_descope_dynamic_provider.core import checks

TENANT_ROLES = checks.set_map(checks.identifier, '{"acme": ["Tenant Admin"]}')


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1801418400, 1801418400),
        (1801418400.0, 1801418400),
        ("2027-01-31", 1801353600),
        ("2027-01-31T18:00:00Z", 1801418400),
        ("2027-01-31T19:00:00+01:00", 1801418400),
        ("2027-01-31T18:00:00", 1801418400),  # no zone: UTC
    ],
)
def test_epoch_seconds_accepts_numbers_and_iso_dates(value: Any, expected: int) -> None:
    assert checks.epoch_seconds("expire_time", value) == (expected, None)


@pytest.mark.parametrize("value", [True, -1, 1.5, "tomorrow", [1], 2.0**60])
def test_epoch_seconds_refuses_with_an_example(value: Any) -> None:
    normalised, problem = checks.epoch_seconds("expire_time", value)
    assert normalised is None and problem and "expire_time" in problem


def test_cidr_set_canonicalises_sorts_and_names_the_fix() -> None:
    value = ["10.0.0.0/8", "2001:DB8::/32", "192.0.2.7", "10.0.0.0/8", " 198.51.100.0/24 "]
    assert checks.cidr_set("permitted_ips", value) == (
        ["10.0.0.0/8", "192.0.2.7", "198.51.100.0/24", "2001:db8::/32"],
        None,
    )
    _, problem = checks.cidr_set("permitted_ips", ["10.1.2.3/8"])
    assert problem and "permitted_ips[0]" in problem and "'10.0.0.0/8'" in problem
    _, problem = checks.cidr_set("permitted_ips", ["acme.com"])
    assert problem and "not an IP address or CIDR range" in problem
    assert checks.cidr_set("permitted_ips", "10.0.0.0/8")[1]


def test_set_map_sorts_roles_and_checks_tenant_ids() -> None:
    assert TENANT_ROLES("tenant_roles", {"b": ["y", "x", "y"], "a": []}) == ({"a": [], "b": ["x", "y"]}, None)
    _, problem = TENANT_ROLES("tenant_roles", {"bad id": ["x"]})
    assert problem and "tenant_roles key" in problem
    _, problem = TENANT_ROLES("tenant_roles", {"a": "x"})
    assert problem and "tenant_roles['a']" in problem
    assert TENANT_ROLES("tenant_roles", ["a"])[1]


def test_json_map_and_any_json() -> None:
    assert checks.json_map("custom_claims", {"b": [1.0, {"z": 2.0}], "a": None}) == (
        {"a": None, "b": [1, {"z": 2}]},
        None,
    )
    assert checks.json_map("custom_claims", {"": 1})[1]
    assert checks.json_map("custom_claims", {"n": float("nan")})[1]
    assert checks.any_json("rotation_triggers", 3.0) == (3, None)
    assert checks.any_json("rotation_triggers", {"rotated": "2026-11"}) == ({"rotated": "2026-11"}, None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(json_values)
def test_any_json_is_a_fixed_point(value: Any) -> None:
    normalised, problem = checks.any_json("rotation_triggers", value)
    assert problem is None
    assert checks.any_json("rotation_triggers", normalised) == (normalised, None)


@given(st.lists(st.ip_addresses().map(str), max_size=5))
def test_cidr_set_is_a_fixed_point(addresses: list[str]) -> None:
    normalised, problem = checks.cidr_set("permitted_ips", addresses)
    assert problem is None
    assert checks.cidr_set("permitted_ips", normalised) == (normalised, None)


def test_provider_check_wants_a_future_expiry_only_when_it_is_set_or_changed() -> None:
    provider = AccessKeyProvider()
    past = int(time.time()) - 60
    result = provider.check({}, {"name": "ci", "expire_time": past})
    assert [f.property for f in result.failures] == ["expire_time"]
    assert "not in the future" in result.failures[0].reason
    # Recorded earlier (the key has expired since): the unchanged program still checks clean.
    assert (
        provider.check({"name": "ci", "expire_time": past}, {"name": "ci", "expire_time": past}).failures
        == []
    )
    # Left out: never expires (0), which is a value, so removing an expiry is a change.
    assert provider.check({}, {"name": "ci"}).inputs["expire_time"] == 0


def test_provider_check_refuses_project_and_tenant_roles_together() -> None:
    result = AccessKeyProvider().check({}, {"name": "ci", "role_names": ["a"], "tenant_roles": {"t": ["a"]}})
    assert [f.property for f in result.failures] == ["tenant_roles"]
    # Empty on one side is fine: Descope treats an empty list as absent.
    assert (
        AccessKeyProvider().check({}, {"name": "ci", "role_names": [], "tenant_roles": {"t": ["a"]}}).failures
        == []
    )
