"""SsoConfigurationProvider and SsoAdminLinkProvider with the real client against the in-process
emulator: validation, the two-call create and its rollback, updates in place (protocol switch, secret
rotation), drift, the write-only client secret and the request cost of each operation."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pulumi.dynamic import CheckResult
from pulumi.output import Unknown
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.core import checks
from pulumi_descope_dynamic_provider.core.provider import ResourceError
from pulumi_descope_dynamic_provider.sso_admin_link import SsoAdminLinkProvider
from pulumi_descope_dynamic_provider.sso_configuration import SsoConfigurationProvider

from tests.support.sso import (
    CLIENT_SECRET,
    IDP_CERT,
    IDP_CERT_2,
    NEW_CLIENT_SECRET,
    OIDC_PROGRAM,
    SAML_BLOCK,
    SAML_PROGRAM,
)

ID = "acme/default_ssoid"


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[DescopeClient]:
    settings = ClientSettings(
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        base_url=emulator.url,
        rate_limit=None,
    )
    made = DescopeClient(
        settings, rate_limiter=UnlimitedRateLimiter(), sleeper=lambda _: None, rng=random.Random(1)
    )
    yield made
    made.close()


@pytest.fixture
def provider(emulator: EmulatorServer, client: DescopeClient) -> SsoConfigurationProvider:
    emulator.state.create_tenant({"id": "acme", "name": "Acme"})
    emulator.state.create_tenant({"id": "globex", "name": "Globex"})
    p = SsoConfigurationProvider()
    p.use_client(client)
    return p


def checked(provider: SsoConfigurationProvider, news: dict[str, Any], olds: Any = None) -> dict[str, Any]:
    result = provider.check(olds or {}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def failures(result: CheckResult) -> dict[str, str]:
    """Each property's failure reasons, joined."""
    found: dict[str, str] = {}
    for failure in result.failures:
        found[failure.property] = (found.get(failure.property, "") + " | " + failure.reason).lstrip(" |")
    return found


def requests_made(emulator: EmulatorServer) -> dict[str, int]:
    return {route: sum(outcomes.values()) for route, outcomes in emulator.stats()["requests"].items()}


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {route: n - before.get(route, 0) for route, n in after.items() if n != before.get(route, 0)}


def create(provider: SsoConfigurationProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.create(checked(provider, news))
    return result.id, result.outs


# ---- check ---------------------------------------------------------------------------------------


def test_check_fills_defaults_and_normalises(provider: SsoConfigurationProvider) -> None:
    inputs = checked(provider, OIDC_PROGRAM)
    assert inputs["sso_id"] == "default_ssoid"
    assert inputs["domains"] == ["acme.com"]
    oidc = inputs["oidc"]
    assert oidc["scope"] == ["email", "openid", "profile"]
    assert oidc["grant_type"] == "authorization_code"
    assert oidc["user_attr_mapping"]["login_id"] == "sub"
    assert oidc["role_mappings"] == [{"groups": ["admins"], "role_name": "Tenant Admin"}]
    # Checking the normalised inputs again changes nothing: an unchanged program never diffs.
    assert checked(provider, {**inputs}) == inputs


def test_check_names_each_bad_field_and_never_quotes_the_secret(provider: SsoConfigurationProvider) -> None:
    bad = {
        "tenant_id": "acme",
        "display_name": "Acme",
        "oidc": {"client_id": "x", "issuer": "http://idp.example.com", "client_secret": CLIENT_SECRET},
        "saml": {
            **SAML_BLOCK,
            "idp_cert": "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----",
        },
        "oidc_client_secret": " " + CLIENT_SECRET,
        "redirect_url": "ftp://app.example.com",
    }
    found = failures(provider.check({}, bad))
    assert "oidc_client_secret" in found["oidc"]  # the hint for a secret put inside the block
    assert "base64" in found["saml"]
    assert "exactly one of oidc, saml or saml_metadata" in found["saml"]
    assert "https" in found["redirect_url"]
    assert "non-empty string without surrounding spaces" in found["oidc_client_secret"]
    assert CLIENT_SECRET not in repr(found)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://idp.example.com/x", True),
        ("http://localhost:8080/cb", True),
        ("http://127.0.0.1/cb", True),
        ("http://[::1]:9000/cb", True),
        ("http://idp.example.com/x", False),
        ("idp.example.com/x", False),
        ("https://", False),
        ("https://idp.example.com/a b", False),
    ],
)
def test_urls_must_be_https_except_on_loopback(url: str, ok: bool) -> None:
    _, problem = checks.https_url("oidc.auth_url", url)
    assert (problem is None) is ok, problem


def test_certificates_are_parsed_and_normalised() -> None:
    body = "".join(IDP_CERT.splitlines()[1:-1])
    assert checks.pem_certificate("c", body) == (IDP_CERT, None)  # a bare base64 body
    assert checks.pem_certificate("c", "\n  " + IDP_CERT.replace("\n", "\r\n") + "\n") == (IDP_CERT, None)
    truncated = "\n".join([*IDP_CERT.splitlines()[:3], "-----END CERTIFICATE-----"])
    assert "X.509" in str(checks.pem_certificate("c", truncated)[1])
    assert "2 certificates" in str(checks.pem_certificate("c", IDP_CERT + "\n" + IDP_CERT_2)[1])
    key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqG\n-----END PRIVATE KEY-----"
    assert "not a PEM certificate" in str(checks.pem_certificate("c", key)[1])


def test_role_names_must_not_be_empty(provider: SsoConfigurationProvider) -> None:
    saml = {**SAML_BLOCK, "role_mappings": [{"groups": ["g"], "role_name": " "}]}
    found = failures(provider.check({}, {**SAML_PROGRAM, "saml": saml}))
    assert "role_name must name a Descope role" in found["saml"]


def test_exactly_one_protocol_and_unknowns_pass(provider: SsoConfigurationProvider) -> None:
    found = failures(provider.check({}, {"tenant_id": "acme", "display_name": "Acme"}))
    assert "got none" in found["oidc"]
    # In a preview a block may be unknown (an output of another resource): it passes.
    preview = provider.check(
        {}, {"tenant_id": Unknown(), "display_name": "Acme", "oidc": {"client_id": Unknown()}}
    )
    assert preview.failures == []


# ---- lifecycle -----------------------------------------------------------------------------------


def test_create_is_two_requests_and_the_secret_is_write_only(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    before = requests_made(emulator)
    id_, outs = create(provider, OIDC_PROGRAM)
    assert id_ == ID
    assert grown(before, requests_made(emulator)) == {
        "POST /v1/mgmt/sso/settings/new": 1,
        "POST /v1/mgmt/sso/oidc": 1,
    }
    assert emulator.state.sso.client_secret_matches("acme", "default_ssoid", CLIENT_SECRET)
    live = emulator.state.sso.get("acme")
    assert live is not None and live["oidc"]["clientSecret"] == ""
    assert outs["oidc_client_secret"] == CLIENT_SECRET  # kept from the program, a secret output
    assert outs["auth_type"] == "oidc" and outs["sp_acs_url"].startswith("https://")
    # The tenant's own auth_type and domains follow its default configuration.
    tenant = emulator.state.get_tenant("acme")
    assert tenant is not None and tenant["authType"] == "oidc" and tenant["domains"] == ["acme.com"]

    # A refresh costs one request per tenant, sees no drift and keeps the stored secret.
    before = requests_made(emulator)
    read = provider.read(id_, outs)
    assert grown(before, requests_made(emulator)) == {"GET /v2/mgmt/sso/settings/all": 1}
    assert read.outs == outs
    assert read.inputs == checked(provider, OIDC_PROGRAM)
    assert provider.diff(id_, read.outs, checked(provider, OIDC_PROGRAM)).changes is False

    before = requests_made(emulator)
    provider.delete(id_, outs)
    assert grown(before, requests_made(emulator)) == {"DELETE /v1/mgmt/sso/settings": 1}
    assert emulator.state.sso.count() == 0


def test_secret_rotation_is_a_read_and_one_configure(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    id_, outs = create(provider, OIDC_PROGRAM)
    news = checked(provider, {**OIDC_PROGRAM, "oidc_client_secret": NEW_CLIENT_SECRET})
    diff = provider.diff(id_, outs, news)
    assert diff.changes is True and diff.replaces == []
    before = requests_made(emulator)
    updated = provider.update(id_, outs, news)
    # The read lets the full replace carry the settings' keys this code does not model.
    assert grown(before, requests_made(emulator)) == {
        "GET /v2/mgmt/sso/settings": 1,
        "POST /v1/mgmt/sso/oidc": 1,
    }
    assert emulator.state.sso.client_secret_matches("acme", "default_ssoid", NEW_CLIENT_SECRET)
    assert updated.outs["oidc_client_secret"] == NEW_CLIENT_SECRET


def test_oidc_to_saml_reconfigures_in_place(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    id_, outs = create(provider, OIDC_PROGRAM)
    saml_program = {**OIDC_PROGRAM, "oidc": None, "oidc_client_secret": None, "saml": SAML_BLOCK}
    news = checked(provider, saml_program)
    diff = provider.diff(id_, outs, news)
    assert diff.changes is True and diff.replaces == []
    updated = provider.update(id_, outs, news).outs
    assert updated["oidc"] is None and updated["saml"] == news["saml"] and updated["auth_type"] == "saml"
    live = emulator.state.sso.get("acme")
    assert live is not None and live["tenant"]["authType"] == "saml"
    assert live["saml"]["attributeMapping"]["customAttributes"] == {"dept": "department"}
    # Read back, the SAML configuration is exactly what the program says.
    read = provider.read(id_, updated)
    assert read.outs["saml"] == news["saml"]
    assert provider.diff(id_, read.outs, news).changes is False


def test_saml_by_metadata_round_trips(provider: SsoConfigurationProvider) -> None:
    program = {
        "tenant_id": "acme",
        "display_name": "Acme metadata",
        "sso_id": "acme-md",
        "saml_metadata": {"metadata_url": "https://idp.acme.test/metadata.xml"},
    }
    id_, outs = create(provider, program)
    assert id_ == "acme/acme-md"
    read = provider.read(id_, outs)
    assert read.outs["saml_metadata"] == checked(provider, program)["saml_metadata"]
    assert read.outs["saml"] is None


def test_failed_configure_removes_the_slot(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    # The emulator refuses a mapping to a role that does not exist, after the slot was made.
    block = {**SAML_BLOCK, "role_mappings": [{"groups": ["g"], "role_name": "No Such Role"}]}
    with pytest.raises(ResourceError) as info:
        create(provider, {**SAML_PROGRAM, "saml": block})
    assert "was not created" in str(info.value) and "No Such Role" in str(info.value)
    assert emulator.state.sso.count() == 0
    # The rerun with the role fixed converges.
    assert create(provider, SAML_PROGRAM)[0] == ID


def test_an_unconfigured_slot_of_an_interrupted_run_is_reused(
    provider: SsoConfigurationProvider, emulator: EmulatorServer, client: DescopeClient
) -> None:
    client.create_sso_slot("acme", "default_ssoid", "Acme Okta")  # the run died after this call
    assert create(provider, OIDC_PROGRAM)[0] == ID
    assert emulator.state.sso.ids("acme") == ["default_ssoid"]


def test_somebody_elses_configuration_is_not_taken_without_adopt(
    provider: SsoConfigurationProvider, emulator: EmulatorServer, client: DescopeClient
) -> None:
    create(provider, SAML_PROGRAM)
    with pytest.raises(ResourceError) as info:
        create(provider, OIDC_PROGRAM)
    assert "adopt=True" in str(info.value)
    with pytest.raises(ResourceError) as info:  # adopt, but the display name differs
        create(provider, {**OIDC_PROGRAM, "adopt": True})
    assert "display_name" in str(info.value)
    _, outs = create(provider, {**OIDC_PROGRAM, "display_name": "Acme SAML", "adopt": True})
    assert outs["auth_type"] == "oidc" and outs["domains"] == ["acme.com"]


def test_console_drift_shows_after_refresh_and_up_restores_it(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    id_, outs = create(provider, SAML_PROGRAM)
    emulator.state.sso.edit("acme", domains=["acme.com", "acme.io"], roleMappings=[])
    read = provider.read(id_, outs)
    assert read.inputs is not None
    assert read.inputs["domains"] == ["acme.com", "acme.io"]
    assert read.inputs["saml"]["role_mappings"] == []
    news = checked(provider, SAML_PROGRAM)
    assert provider.diff(id_, read.outs, news).changes is True
    provider.update(id_, read.outs, news)
    live = emulator.state.sso.get("acme")
    assert live is not None and live["tenant"]["domains"] == ["acme.com"]
    assert [m["role"]["name"] for m in live["saml"]["groupsMapping"]] == ["Tenant Admin"]


def test_deleted_in_console_is_dropped(provider: SsoConfigurationProvider, emulator: EmulatorServer) -> None:
    id_, outs = create(provider, SAML_PROGRAM)
    emulator.state.sso.remove("acme")
    assert provider.read(id_, outs).id is None
    provider.delete(id_, outs)  # already gone: success


def test_refresh_keeps_the_secret_and_invents_no_diff(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    id_, outs = create(provider, OIDC_PROGRAM)
    # Somebody rotated the secret in the console: invisible to a read, so nothing can be claimed.
    emulator.state.sso.edit("acme", clientSecret="changed-in-console")
    read = provider.read(id_, outs)
    assert read.outs["oidc_client_secret"] == CLIENT_SECRET
    assert read.inputs is not None and read.inputs["oidc_client_secret"] == CLIENT_SECRET
    assert provider.diff(id_, read.outs, checked(provider, OIDC_PROGRAM)).changes is False


def test_domains_left_out_are_kept_on_update(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    program = {**SAML_PROGRAM, "domains": None}
    id_, outs = create(provider, {**SAML_PROGRAM})
    news = checked(provider, {**program, "saml": {**SAML_BLOCK, "idp_additional_certs": [IDP_CERT_2]}})
    provider.update(id_, outs, news)
    live = emulator.state.sso.get("acme")
    assert live is not None and live["tenant"]["domains"] == ["acme.com"]
    assert live["saml"]["idpAdditionalCertificates"] == [IDP_CERT_2]


def test_errors_never_carry_the_client_secret(
    provider: SsoConfigurationProvider, emulator: EmulatorServer
) -> None:
    emulator.state.sso.seed(
        [{"tenantId": "globex", "ssoId": "default_ssoid", "displayName": "G", "domains": ["acme.com"]}]
    )
    with pytest.raises(ResourceError) as info:  # the SSO domain belongs to another tenant
        create(provider, OIDC_PROGRAM)
    assert "acme.com" in str(info.value) and CLIENT_SECRET not in str(info.value)
    assert emulator.state.sso.ids("acme") == []  # rolled back


# ---- check() over arbitrary inputs ---------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=12) | st.just(IDP_CERT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_BLOCK_KEYS = st.sampled_from(
    ["client_id", "issuer", "scope", "role_mappings", "idp_url", "entity_id", "idp_cert", "metadata_url",
     "attribute_mapping", "user_attr_mapping", "prompt", "grant_type", "client_secret"]
)  # fmt: skip
_BLOCK = st.dictionaries(_BLOCK_KEYS, _JSON, max_size=5)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "tenant_id": _JSON,
            "sso_id": _JSON,
            "display_name": _JSON,
            "oidc": _BLOCK | _JSON,
            "saml": _BLOCK,
            "saml_metadata": _BLOCK,
            "domains": _JSON,
            "redirect_url": _JSON,
            "oidc_client_secret": st.just(CLIENT_SECRET) | st.just(" " + CLIENT_SECRET) | _JSON,
        },
    )
)
@example(OIDC_PROGRAM)
@example(SAML_PROGRAM)
@example({**SAML_PROGRAM, "saml": {**SAML_BLOCK, "idp_additional_certs": [IDP_CERT_2, IDP_CERT]}})
def test_check_never_raises_never_quotes_the_secret_and_is_a_fixed_point(news: dict[str, Any]) -> None:
    provider = SsoConfigurationProvider()  # check() needs no client
    result = provider.check({}, news)
    assert CLIENT_SECRET not in repr([(f.property, f.reason) for f in result.failures])
    if not result.failures:
        again = provider.check({}, dict(result.inputs))
        assert again.failures == [] and again.inputs == result.inputs


# ---- SsoAdminLink --------------------------------------------------------------------------------


def test_admin_link_generate_keep_and_revoke(
    provider: SsoConfigurationProvider, emulator: EmulatorServer, client: DescopeClient
) -> None:
    create(provider, SAML_PROGRAM)
    links = SsoAdminLinkProvider()
    links.use_client(client)
    checked_inputs = links.check({}, {"tenant_id": "acme", "expire_seconds": 3600.0, "email": "it@acme.com"})
    assert checked_inputs.failures == []
    assert (
        checked_inputs.inputs["expire_seconds"] == 3600 and checked_inputs.inputs["sso_id"] == "default_ssoid"
    )

    before = requests_made(emulator)
    # The plugin protocol hands create a float again (3600.0); Descope needs an integer.
    created = links.create({**checked_inputs.inputs, "expire_seconds": 3600.0})
    assert grown(before, requests_made(emulator)) == {"POST /v2/mgmt/tenant/adminlinks/sso/generate": 1}
    assert created.id == ID
    link = created.outs["link"]
    assert emulator.state.sso.admin_link_valid("acme", link)

    before = requests_made(emulator)
    read = links.read(created.id, created.outs)
    assert requests_made(emulator) == before  # nothing to read back: the state keeps the link
    assert read.outs["link"] == link and read.inputs is not None
    assert read.inputs["expire_seconds"] == 3600 and read.inputs["email"] == "it@acme.com"

    links.delete(created.id, created.outs)
    assert not emulator.state.sso.admin_link_valid("acme", link)


def test_admin_link_inputs_are_checked() -> None:
    found = failures(
        SsoAdminLinkProvider().check({}, {"tenant_id": "", "expire_seconds": -5, "email": "not-an-address"})
    )
    assert set(found) == {"tenant_id", "expire_seconds", "email"}
