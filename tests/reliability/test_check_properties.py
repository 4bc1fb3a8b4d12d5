"""Property tests of TenantProvider.check() (the generic check, driven by the TENANT spec) over
arbitrary inputs.

Whatever a program hands the engine (wrong types, unicode, empty and huge strings and lists, None,
nested junk, unknown keys, preview unknowns), check() must not raise, must report failures per field
(named by a real input or by the offending unknown key), must return inputs that are a fixed point
of check(), and must not talk to Descope.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.dynamic import CheckResult, ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN
from pulumi_descope_dynamic_provider.core import checks
from pulumi_descope_dynamic_provider.core.checks import is_unknown
from pulumi_descope_dynamic_provider.sso_application import KNOWN_IDS
from pulumi_descope_dynamic_provider.tenant import TENANT, TenantError, TenantProvider

INPUTS = TENANT.input_names
OUTPUT_ONLY = (*TENANT.output_only_names, "managed_inputs")
PROVIDER_ONLY = TENANT.provider_only_names
STRING_SETS = tuple(f.name for f in TENANT.inputs if f.check in (checks.string_set, checks.domain_set))
BOOLEANS = tuple(f.name for f in TENANT.inputs if f.check is checks.boolean and not f.provider_only)
ROLE_INHERITANCE_VALUES = ("", "none", "userOnly")

PROPERTY_SETTINGS = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# A failure reason is read by a person in `pulumi preview`: however large the bad value, it stays short.
MAX_REASON_LENGTH = 600
TENANT_ID_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
ATTRIBUTE_KEY_CHARS = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
DOMAIN_CHARS = re.compile(r"[a-z0-9.-]+")

# ---- strategies ----------------------------------------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
UNKNOWNS = st.sampled_from([UNKNOWN, Unknown()])  # type: ignore[no-untyped-call]
HUGE = st.sampled_from(
    [
        "a" * 10_000,
        " " * 5_000 + "x",
        "x" * 300 + " ",
        "acme.com" * 100,
        ["acme.com"] * 1_001,
        [f"d{i}.example.com" for i in range(1_001)],
        ["x" * 5_000],
        list(range(2_000)),
        {f"k{i}": i for i in range(1_001)},
        {"k" * 5_000: 1},
        {"plan": "v" * 100_000},
        [[["deep"] * 3] * 3] * 3,
    ]
)
WEIRD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\n",
        "acme\n",
        "ac me",
        "Ünïcødé",
        "名前",
        "emoji 🎉",
        "tab\tname",
        "\x00",
        "\u200b",
        "-leading",
        "trailing-",
        "acme.com.",
        "ACME.COM",
        "a\n.com",
        "xn--bcher-kva.example",
        "bücher.example",
        "http://acme.com",
        "user@acme.com",
        "10.0.0.1",
        "UserOnly",
        "user_only",
        "NONE",
        UNKNOWN,
    ]
)
ANY_VALUE = JUNK | HUGE | WEIRD_TEXT | UNKNOWNS

LOWER = "abcdefghijklmnopqrstuvwxyz"
LETTERS = LOWER + LOWER.upper()
DIGITS = "0123456789"


def joined(first: str, rest: str, max_rest: int, last: str | None = None) -> st.SearchStrategy[str]:
    """One character from `first`, up to `max_rest` from `rest`, and optionally one from `last`
    (alphabet strategies: far faster to generate and shrink than regex ones)."""
    tail = st.sampled_from(last) if last is not None else st.just("")
    return st.builds(
        lambda a, b, c: a + b + c, st.sampled_from(first), st.text(alphabet=rest, max_size=max_rest), tail
    )


NAMES = joined(LETTERS + DIGITS, LETTERS + DIGITS + " .,&'-" + "ÄéøñÜ名", 40, LETTERS + DIGITS)
TENANT_IDS = joined(LETTERS + DIGITS, LETTERS + DIGITS + "_.-", 30)
LABELS = joined(LOWER + DIGITS, LOWER + DIGITS + "-", 8, LOWER + DIGITS) | st.sampled_from(LOWER + DIGITS)
DOMAINS = st.builds(
    lambda labels, tld, upper, dot: (
        ".".join([*labels, tld]).upper() if upper else ".".join([*labels, tld]) + dot
    ),
    st.lists(LABELS, min_size=1, max_size=3),
    st.text(alphabet=LOWER, min_size=2, max_size=6),
    st.booleans(),
    st.sampled_from(["", "."]),
)
PLAIN_ITEMS = joined(LETTERS + DIGITS, LETTERS + DIGITS + "_-", 20)
ATTRIBUTE_VALUES = (
    st.text(max_size=20)
    | st.integers(min_value=-(10**6), max_value=10**6)
    # Valid numbers end at 2**53 - 1: 2**53 may be 2**53 + 1 rounded, so check() refuses it.
    | st.floats(min_value=-(2.0**53 - 1), max_value=2.0**53 - 1)
    | st.booleans()
    | st.lists(st.text(max_size=5) | st.integers(0, 100) | st.booleans(), max_size=4)
)
ATTRIBUTES = st.dictionaries(joined(LETTERS + "_", LETTERS + DIGITS + "_", 15), ATTRIBUTE_VALUES, max_size=5)


def valid_value(prop: str) -> st.SearchStrategy[Any]:
    """Values check() must accept for one input."""
    if prop == "name":
        return NAMES
    if prop in ("tenant_id", "parent_tenant_id"):
        return TENANT_IDS
    if prop == "self_provisioning_domains":
        return st.lists(DOMAINS, max_size=5)
    if prop in STRING_SETS:
        return st.lists(PLAIN_ITEMS, max_size=5)
    if prop == "custom_attributes":
        return ATTRIBUTES
    if prop == "role_inheritance":
        return st.sampled_from(ROLE_INHERITANCE_VALUES)
    assert prop in BOOLEANS or prop in PROVIDER_ONLY
    return st.booleans()


def any_value(prop: str) -> st.SearchStrategy[Any]:
    """Anything at all, biased towards values that are nearly right for this input."""
    if prop in OUTPUT_ONLY:
        return st.none() | ANY_VALUE
    nearly_right: st.SearchStrategy[Any] = valid_value(prop)
    if prop in STRING_SETS:
        nearly_right = st.lists(st.text(max_size=12) | DOMAINS | PLAIN_ITEMS | WEIRD_TEXT | JUNK, max_size=4)
    elif prop == "custom_attributes":
        nearly_right = st.dictionaries(
            st.text(max_size=10) | st.sampled_from(["ok", "a b"]), ANY_VALUE, max_size=4
        )
    return st.none() | valid_value(prop) | nearly_right | ANY_VALUE


UNKNOWN_KEYS = st.text(min_size=1, max_size=20).filter(lambda key: key not in INPUTS) | st.sampled_from(
    ["Name", "tenantId", "selfProvisioningDomains", "enforceSSO", "__provider", "__meta", "id", "urn"]
)

ANY_NEWS = st.builds(
    lambda known, extra: {**extra, **known},
    st.fixed_dictionaries({}, optional={key: any_value(key) for key in (*INPUTS, *OUTPUT_ONLY)}),
    st.dictionaries(UNKNOWN_KEYS, ANY_VALUE, max_size=3),
)
VALID_NEWS = st.fixed_dictionaries(
    {"name": NAMES}, optional={key: valid_value(key) for key in INPUTS if key != "name"}
).filter(lambda news: news.get("tenant_id") is None or news.get("tenant_id") != news.get("parent_tenant_id"))


# ---- fixtures --------------------------------------------------------------------------------------


class _EveryAppId(set[str]):
    def __contains__(self, item: object) -> bool:
        return True


@pytest.fixture
def probe() -> Iterator[tuple[TenantProvider, EmulatorServer]]:
    """A provider configured (credentials and all) against an emulator, which counts any request."""
    with EmulatorServer() as server:
        provider = TenantProvider()
        config = {
            "descope:projectId": server.project_id,
            "descope:managementKey": server.management_key,
            "descope:baseUrl": server.url,
            "descope:rateLimit": "off",
        }
        provider.configure(ConfigureRequest(Config(config, "proj")))
        # federated_app_ids are also checked against the live app list (one request per process, see
        # tests/provider/test_sso_application_plugin.py); here every app id exists, so check() stays
        # the spec-driven check these properties are about and never asks Descope.
        provider._api().once(f"SsoApplication:{KNOWN_IDS}", _EveryAppId)
        yield provider, server


# ---- the properties ----------------------------------------------------------------------------------


def assert_well_formed(news: Mapping[str, Any], result: CheckResult) -> None:
    assert isinstance(result.inputs, dict)
    assert set(result.inputs) <= set(INPUTS)
    assert all(value is not None for value in result.inputs.values())
    failing = [failure.property for failure in result.failures]
    assert len(failing) == len(set(failing)), f"one failure per property, got {failing}"
    for failure in result.failures:
        assert isinstance(failure.property, str) and isinstance(failure.reason, str)
        assert failure.property in INPUTS or failure.property in news, failure.property
        assert failure.reason.strip() and len(failure.reason) <= MAX_REASON_LENGTH, failure.reason[:200]
        # A failing input is not passed on as if it were fine.
        assert failure.property not in result.inputs or failure.property == "parent_tenant_id"
    # Every unknown key that is set is reported by its own name; internal and output keys are not.
    unknown = {
        key
        for key, value in news.items()
        if key not in INPUTS and key not in OUTPUT_ONLY and not key.startswith("__") and value is not None
    }
    assert unknown <= set(failing)
    assert not (set(failing) - set(INPUTS) - unknown)
    if "name" not in result.inputs:
        assert "name" in failing, "a tenant without a valid name is never accepted"


def assert_accepted_values_are_clean(inputs: Mapping[str, Any]) -> None:
    """What check() lets through is what its messages promise (no control characters sneaking past
    an anchored regex, domains in normal form), so Descope does not reject it later."""
    for prop in ("tenant_id", "parent_tenant_id"):
        value = inputs.get(prop)
        if value is not None and not is_unknown(value):
            assert TENANT_ID_CHARS.fullmatch(value), f"{prop} accepted {value!r}"
    domains = inputs.get("self_provisioning_domains")
    if domains is not None and not is_unknown(domains):
        assert domains == sorted(set(domains))
        for domain in domains:
            assert DOMAIN_CHARS.fullmatch(domain) and domain == domain.strip(".") and "." in domain, domain
    attributes = inputs.get("custom_attributes")
    if attributes is not None and not is_unknown(attributes):
        for key, value in attributes.items():
            assert ATTRIBUTE_KEY_CHARS.fullmatch(key), f"custom_attributes accepted key {key!r}"
            for item in value if isinstance(value, list) else [value]:
                assert not isinstance(item, float) or math.isfinite(item)
    name = inputs.get("name")
    if isinstance(name, str) and not is_unknown(name):
        assert name == name.strip() and name and not any(ord(c) < 32 or ord(c) == 127 for c in name)


def test_check_never_raises_and_reports_failures_per_field(
    probe: tuple[TenantProvider, EmulatorServer],
) -> None:
    provider, server = probe

    @PROPERTY_SETTINGS
    @given(news=ANY_NEWS)
    def run(news: dict[str, Any]) -> None:
        result = provider.check({}, news)
        assert_well_formed(news, result)
        assert_accepted_values_are_clean(result.inputs)

    run()
    assert server.stats()["total"] == 0, "check() must never call Descope"


def test_normalised_inputs_are_a_fixed_point(probe: tuple[TenantProvider, EmulatorServer]) -> None:
    provider, server = probe

    @PROPERTY_SETTINGS
    @given(news=ANY_NEWS, olds=st.none() | ANY_NEWS)
    def run(news: dict[str, Any], olds: dict[str, Any] | None) -> None:
        first = provider.check(olds or {}, news)
        second = provider.check(first.inputs, first.inputs)
        assert second.inputs == first.inputs
        first_failing = {failure.property for failure in first.failures}
        second_failing = {failure.property for failure in second.failures}
        # Re-checking normalised inputs finds nothing new: only what was already wrong (and so is
        # absent, e.g. a bad name) can fail again.
        assert second_failing <= first_failing
        if not first.failures:
            assert second.failures == []

    run()
    assert server.stats()["total"] == 0


def test_valid_inputs_are_accepted_and_normalised(probe: tuple[TenantProvider, EmulatorServer]) -> None:
    provider, server = probe

    @PROPERTY_SETTINGS
    @given(news=VALID_NEWS)
    def run(news: dict[str, Any]) -> None:
        result = provider.check({}, news)
        assert result.failures == [], [(f.property, f.reason) for f in result.failures]
        assert set(result.inputs) == {key for key, value in news.items() if value is not None}
        assert_accepted_values_are_clean(result.inputs)
        domains = news.get("self_provisioning_domains")
        if domains is not None:
            expected = sorted({domain.lower().rstrip(".") for domain in domains})
            assert result.inputs["self_provisioning_domains"] == expected
        again = provider.check(result.inputs, result.inputs)
        assert again.inputs == result.inputs and again.failures == []

    run()
    assert server.stats()["total"] == 0


def test_unknowns_pass_through_untouched(probe: tuple[TenantProvider, EmulatorServer]) -> None:
    provider, server = probe
    marker = Unknown()  # type: ignore[no-untyped-call]

    @PROPERTY_SETTINGS
    @given(news=VALID_NEWS, unknown_props=st.sets(st.sampled_from(INPUTS), min_size=1), nested=st.booleans())
    def run(news: dict[str, Any], unknown_props: set[str], nested: bool) -> None:
        preview = dict(news)
        for prop in unknown_props:
            preview[prop] = [marker] if nested and prop in STRING_SETS else marker
        result = provider.check({}, preview)
        assert result.failures == []
        for prop in unknown_props:
            assert result.inputs[prop] is preview[prop]

    run()
    assert server.stats()["total"] == 0


def test_the_probe_would_see_a_request(probe: tuple[TenantProvider, EmulatorServer]) -> None:
    """Control for the `total == 0` assertions: the same provider does reach the emulator as soon as
    a callback needs Descope."""
    provider, server = probe
    try:
        provider.read("absent", {"name": "Absent", "managed_inputs": ["name"]})
    except TenantError as exc:  # pragma: no cover - shown if the configuration were wrong
        pytest.fail(f"the probe provider is misconfigured: {exc}")
    assert server.stats()["total"] > 0
