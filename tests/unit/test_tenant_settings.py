"""TenantSettingsProvider callbacks with the real client against the in-process emulator: durations,
check/diff, create/read/update/delete as an attached singleton, the request cost of each, and the
per-tenant lock that keeps a settings write from undoing a concurrent Tenant patch."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import Unknown
from pulumi_descope_dynamic_provider.api.sso import OidcSettings
from pulumi_descope_dynamic_provider.api.tenant_settings import (
    TenantSettings,
    _SettingsAnswer,
    _writable,
    live_duration,
)
from pulumi_descope_dynamic_provider.core import checks
from pulumi_descope_dynamic_provider.core.provider import MANAGED_INPUTS, ResourceError
from pulumi_descope_dynamic_provider.tenant import TenantProvider
from pulumi_descope_dynamic_provider.tenant_settings import TenantSettingsProvider


def configured(provider: Any, emulator: EmulatorServer) -> Any:
    """Configured as the plugin does it: every provider of one project shares one client."""
    config = {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
        "descope:rateLimit": "off",
    }
    provider.configure(ConfigureRequest(Config(config, "proj")))
    return provider


@pytest.fixture
def settings(emulator: EmulatorServer) -> TenantSettingsProvider:
    provider: TenantSettingsProvider = configured(TenantSettingsProvider(), emulator)
    return provider


@pytest.fixture
def tenants(emulator: EmulatorServer) -> TenantProvider:
    provider: TenantProvider = configured(TenantProvider(), emulator)
    return provider


@pytest.fixture
def acme(emulator: EmulatorServer) -> Iterator[str]:
    emulator.state.create_tenant(
        {
            "id": "acme",
            "name": "Acme",
            "selfProvisioningDomains": ["acme.com"],
            "enforceSSO": True,
            "enforceSSOExclusions": ["U1"],
            "federatedAppIds": ["app1"],
        }
    )
    # SSO domains and auth type, as an SSO configuration sets them.
    console_settings(emulator, "acme", domains=["sso.acme.com"], authType="saml")
    yield "acme"


def console_settings(emulator: EmulatorServer, tenant_id: str, **changes: Any) -> None:
    """An edit in the Descope console: the whole settings body, with some values changed."""
    body = emulator.state.load_settings(tenant_id)
    emulator.state.update_settings({**body, **changes})


def live_settings(emulator: EmulatorServer, tenant_id: str) -> dict[str, Any]:
    return emulator.state.load_settings(tenant_id)


def tenant_fields(emulator: EmulatorServer, tenant_id: str) -> dict[str, Any]:
    """What the Tenant resource (and SSO configurations) own, as loaded."""
    tenant = emulator.state.get_tenant(tenant_id)
    assert tenant is not None
    keep = ("name", "selfProvisioningDomains", "enforceSSO", "enforceSSOExclusions", "federatedAppIds")
    keep += ("customAttributes", "disabled", "domains", "authType", "roleInheritance")
    return {key: tenant[key] for key in keep}


def checked(provider: TenantSettingsProvider, news: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def requests_made(emulator: EmulatorServer) -> int:
    return int(emulator.stats()["total"])


# ---- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("15m", "15m"),
        ("12h", "12h"),
        ("30d", "30d"),
        ("2w", "2w"),
        (90, "90m"),
        (120.0, "2h"),  # the plugin protocol carries 120 as 120.0
        ("120m", "2h"),
        ("1440 minutes", "1d"),
        ("14d", "2w"),
        (" 3 Hours ", "3h"),
        ("1 week", "1w"),
        ("1000w", "1000w"),
    ],
)
def test_durations_take_one_canonical_form(written: Any, canonical: str) -> None:
    assert checks.duration(3)("session_token_expiration", written) == (canonical, None)


@pytest.mark.parametrize(
    ("written", "needle"),
    [
        ("2m", "shorter than Descope's minimum of 3m"),
        (0, "positive"),
        (-5, "positive"),
        ("1.5h", "not a whole number of hours"),
        (1.5, "whole number of minutes"),
        ("30s", "smallest unit is minutes"),
        ("5 fortnights", "unknown unit"),
        ("soon", "not a duration"),
        ("90", "not a duration"),
        (True, "must be a duration"),
        ([15], "must be a duration"),
        ("1001m", "at most 1000 of a unit; use a shorter duration, or round it to whole hours"),
        ("1001w", "at most 1000 of a unit"),
    ],
)
def test_bad_durations_fail_naming_the_field_and_the_fix(written: Any, needle: str) -> None:
    normalised, problem = checks.duration(3)("session_token_expiration", written)
    assert normalised is None and problem is not None
    assert problem.startswith("session_token_expiration") and needle in problem


def test_live_durations_normalise_like_inputs() -> None:
    assert live_duration(120, "minutes") == "2h"
    assert live_duration(14, "days") == "2w"
    assert live_duration(0, "") is None  # the Go SDK's "not set"
    assert live_duration(None, None) is None
    assert live_duration(30, "seconds") == "30 seconds"  # unknown unit: shown, so it diffs


# ---- check and diff ----------------------------------------------------------------------------


def test_check_normalises_and_validates_without_calling_descope(
    settings: TenantSettingsProvider, emulator: EmulatorServer
) -> None:
    inputs = checked(
        settings,
        {
            "tenant_id": "acme",
            "session_token_expiration": 15,
            "refresh_token_expiration": "336h",
            "inactivity_time": "1 day",
            "sso_setup_suite": {"enabled": True, "disabled_features": ["scim", "saml", "scim"]},
            "settings_before": None,
        },
    )
    assert inputs == {
        "tenant_id": "acme",
        "session_token_expiration": "15m",
        "refresh_token_expiration": "2w",
        "inactivity_time": "1d",
        "sso_setup_suite": {"enabled": True, "style_id": "", "disabled_features": ["saml", "scim"]},
    }
    assert requests_made(emulator) == 0


@pytest.mark.parametrize(
    ("news", "prop", "needle"),
    [
        ({}, "tenant_id", "tenant_id is required"),
        ({"tenant_id": "acme", "inactivity_time": "5m"}, "inactivity_time", "minimum of 10m"),
        (
            {"tenant_id": "acme", "session_token_expiration": "2d", "refresh_token_expiration": "1d"},
            "session_token_expiration",
            "cannot outlive its refresh token",
        ),
        ({"tenant_id": "acme", "jit_disabled": "yes"}, "jit_disabled", "True or False"),
        (
            {"tenant_id": "acme", "sso_setup_suite": {"enabled": True, "x": 1}},
            "sso_setup_suite",
            "unknown key",
        ),
        (
            {"tenant_id": "acme", "sso_setup_suite": {"disabled_features": ["ldap"]}},
            "sso_setup_suite",
            "choose from",
        ),
        ({"tenant_id": "acme", "session_lifetime": "1h"}, "session_lifetime", "not a TenantSettings input"),
    ],
)
def test_check_failures_name_the_field(
    settings: TenantSettingsProvider, news: dict[str, Any], prop: str, needle: str
) -> None:
    failures = [(f.property, f.reason) for f in settings.check({}, news).failures]
    assert any(p == prop and needle in reason for p, reason in failures), failures


def test_unknown_values_pass_check_and_show_as_updates(settings: TenantSettingsProvider) -> None:
    unknown = Unknown()
    news = {"tenant_id": unknown, "session_token_expiration": "15m", "refresh_token_expiration": unknown}
    assert settings.check({}, news).failures == []
    diff = settings.diff("acme", {"tenant_id": "acme"}, {**news, "refresh_token_expiration": None})
    assert diff.changes and diff.replaces == []  # an unknown id is an update in the preview


def test_equal_durations_written_differently_never_diff(settings: TenantSettingsProvider) -> None:
    olds = {"tenant_id": "acme", "session_token_expiration": "2h", "refresh_token_expiration": "2w"}
    news = checked(
        settings, {"tenant_id": "acme", "session_token_expiration": 120, "refresh_token_expiration": "14d"}
    )
    assert not settings.diff("acme", olds, news).changes
    moved = settings.diff("acme", olds, {**news, "tenant_id": "globex"})
    assert moved.changes and moved.replaces == ["tenant_id"]


# ---- the attached singleton: create, read, update, delete ---------------------------------------


def test_create_with_the_settings_already_in_place_writes_nothing(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str
) -> None:
    """What `pulumi-descope export` declares is the live settings in canonical form (60 minutes is
    "1h", the SSO suite off is a map of falses): configuring them again must not write, so a `pulumi
    up` of an export is zero writes, as adopting is."""
    live = live_settings(emulator, acme)
    emulator.state.update_settings(
        {**live, "tenantId": acme, "sessionTokenExpiration": 60, "sessionTokenExpirationUnit": "minutes"}
    )
    start = requests_made(emulator)
    inputs = {
        "tenant_id": acme,
        "session_settings_enabled": False,
        "session_token_expiration": "1h",
        "jit_disabled": False,
        "sso_setup_suite": {"enabled": False, "style_id": "", "disabled_features": []},
    }
    created = settings.create(checked(settings, inputs))
    assert requests_made(emulator) - start == 1  # the read only
    assert created.outs["session_token_expiration"] == "1h"
    assert created.outs["settings_before"]["session_token_expiration"] == "1h"
    # One setting different: the write goes out.
    settings.create(checked(settings, {**inputs, "jit_disabled": True}))
    assert requests_made(emulator) - start == 3 and live_settings(emulator, acme)["JITDisabled"] is True


def test_create_configures_only_its_settings_in_two_requests(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str
) -> None:
    tenant_before = tenant_fields(emulator, acme)
    before = live_settings(emulator, acme)
    start = requests_made(emulator)
    created = settings.create(
        checked(
            settings, {"tenant_id": acme, "session_settings_enabled": True, "session_token_expiration": "15m"}
        )
    )
    assert requests_made(emulator) - start == 2  # GET, overlay, POST
    assert created.id == acme
    after = live_settings(emulator, acme)
    assert after["enabled"] is True
    assert (after["sessionTokenExpiration"], after["sessionTokenExpirationUnit"]) == (15, "minutes")
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {"enabled", "sessionTokenExpiration"}
    assert tenant_fields(emulator, acme) == tenant_before  # nothing the Tenant resource owns moved
    outs = created.outs
    assert outs["session_token_expiration"] == "15m" and outs["refresh_token_expiration"] == "4w"
    assert outs["settings_before"]["session_token_expiration"] == "10m"
    assert outs["settings_before"]["session_settings_enabled"] is False
    assert outs[MANAGED_INPUTS] == ["session_settings_enabled", "session_token_expiration", "tenant_id"]


def test_create_on_a_missing_tenant_says_to_create_it_first(settings: TenantSettingsProvider) -> None:
    with pytest.raises(
        ResourceError, match=r"tenant 'ghost' does not exist.*tenant_id=<the Tenant resource>\.id"
    ):
        settings.create(checked(settings, {"tenant_id": "ghost", "jit_disabled": True}))


def test_refresh_costs_one_request_and_shows_console_drift_of_managed_fields_only(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str
) -> None:
    created = settings.create(checked(settings, {"tenant_id": acme, "session_token_expiration": "15m"}))
    console_settings(
        emulator, acme, sessionTokenExpiration=2, sessionTokenExpirationUnit="hours", JITDisabled=True
    )

    start = requests_made(emulator)
    read = settings.read(acme, created.outs)
    assert requests_made(emulator) - start == 1
    assert read.inputs == {"tenant_id": acme, "session_token_expiration": "2h"}  # jit_disabled is not managed
    assert read.outs["jit_disabled"] is True
    assert read.outs["settings_before"] == created.outs["settings_before"]  # carried, not re-read
    news = checked(settings, {"tenant_id": acme, "session_token_expiration": "15m"})
    assert settings.diff(acme, read.outs, news).changes  # up puts it back


def test_a_tenant_deleted_in_the_console_drops_its_settings(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str
) -> None:
    created = settings.create(checked(settings, {"tenant_id": acme, "jit_disabled": True}))
    emulator.state.remove_tenant(acme)
    read = settings.read(acme, created.outs)
    assert read.id is None
    settings.delete(acme, created.outs)  # gone already: success, nothing to restore


def test_get_reads_settings_without_managing_them(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str
) -> None:
    read = settings.read(acme, {})  # TenantSettings.get("name", "acme")
    assert read.id == acme and read.outs["session_token_expiration"] == "10m"
    assert read.outs[MANAGED_INPUTS] == [] and read.outs["settings_before"] is None
    with pytest.raises(ResourceError, match=r"'ghost' does not exist.*TenantSettings\.get\(\)"):
        settings.read("ghost", {})


def test_update_sends_the_changed_settings_and_records_newly_managed_ones(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str
) -> None:
    created = settings.create(checked(settings, {"tenant_id": acme, "session_token_expiration": "15m"}))
    console_settings(emulator, acme, stepupTokenExpiration=20, stepupTokenExpirationUnit="minutes")
    tenant_before = tenant_fields(emulator, acme)
    news = checked(
        settings, {"tenant_id": acme, "session_token_expiration": "30m", "stepup_token_expiration": "1h"}
    )
    start = requests_made(emulator)
    updated = settings.update(acme, created.outs, news)
    assert requests_made(emulator) - start == 2
    live = live_settings(emulator, acme)
    assert (live["sessionTokenExpiration"], live["sessionTokenExpirationUnit"]) == (30, "minutes")
    assert (live["stepupTokenExpiration"], live["stepupTokenExpirationUnit"]) == (1, "hours")
    assert tenant_fields(emulator, acme) == tenant_before
    before = updated.outs["settings_before"]
    assert before["session_token_expiration"] == "10m"  # from create, kept
    assert before["stepup_token_expiration"] == "20m"  # what it was when the program took it over
    assert updated.outs["stepup_token_expiration"] == "1h"


def test_delete_puts_back_what_the_tenant_had_before(
    settings: TenantSettingsProvider, tenants: TenantProvider, emulator: EmulatorServer, acme: str
) -> None:
    console_settings(
        emulator, acme, enabled=True, sessionTokenExpiration=45, sessionTokenExpirationUnit="minutes"
    )
    original = live_settings(emulator, acme)
    created = settings.create(
        checked(
            settings,
            {
                "tenant_id": acme,
                "session_settings_enabled": True,
                "session_token_expiration": "15m",
                "jit_disabled": True,
                "sso_setup_suite": {"enabled": True, "style_id": "dark", "disabled_features": ["scim"]},
            },
        )
    )
    # Meanwhile the Tenant resource changes the tenant's domains: delete must not undo that.
    tenants.update(acme, {"name": "Acme"}, {"name": "Acme", "self_provisioning_domains": ["acme.org"]})
    start = requests_made(emulator)
    settings.delete(acme, created.outs)
    assert requests_made(emulator) - start == 2
    restored = live_settings(emulator, acme)
    assert restored == {**original, "selfProvisioningDomains": ["acme.org"]}


def test_delete_without_a_record_resets_to_the_project_defaults(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str
) -> None:
    defaults = live_settings(emulator, acme)
    created = settings.create(
        checked(settings, {"tenant_id": acme, "session_settings_enabled": True, "inactivity_time": "2h"})
    )
    settings.delete(acme, {**created.outs, "settings_before": None})
    assert live_settings(emulator, acme) == defaults


def test_a_tenant_patch_never_resets_a_setting(
    settings: TenantSettingsProvider, tenants: TenantProvider, emulator: EmulatorServer, acme: str
) -> None:
    settings.create(
        checked(settings, {"tenant_id": acme, "session_settings_enabled": True, "jit_disabled": True})
    )
    before = live_settings(emulator, acme)
    tenants.update(acme, {"name": "Acme"}, {"name": "Acme Corp", "enforce_sso": False})
    after = live_settings(emulator, acme)
    assert {key for key in after if after[key] != before[key]} == {"enforceSSO"}


def test_an_answer_without_the_tenants_sso_fields_costs_one_more_request_and_keeps_them(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The official SDKs send enforceSSO & co only when given; an answer without them must not make
    # the full replace reset them.
    original = emulator.state.tenants.load_settings

    def without_sso_fields(tenant_id: str) -> dict[str, Any]:
        body = original(tenant_id)
        for key in ("enforceSSO", "enforceSSOExclusions", "federatedAppIds"):
            body.pop(key)
        return body

    monkeypatch.setattr(emulator.state.tenants, "load_settings", without_sso_fields)
    tenant_before = tenant_fields(emulator, acme)
    start = requests_made(emulator)
    settings.create(checked(settings, {"tenant_id": acme, "jit_disabled": True}))
    assert requests_made(emulator) - start == 3
    assert tenant_fields(emulator, acme) == tenant_before


def test_written_back_body_keeps_unknown_keys_and_leaves_unset_durations_out() -> None:
    loaded = _settings_answer(
        {
            "enabled": True,
            "sessionTokenExpiration": 0,
            "sessionTokenExpirationUnit": "",  # the Go SDK's "not set"
            "refreshTokenExpiration": 4,
            "refreshTokenExpirationUnit": "weeks",
            "authType": "",
            "someNewSetting": {"on": True},
            "domains": None,
        }
    )
    body = _writable(loaded)
    assert "sessionTokenExpiration" not in body and "sessionTokenExpirationUnit" not in body
    assert body["refreshTokenExpirationUnit"] == "weeks" and body["someNewSetting"] == {"on": True}
    assert "authType" not in body and body["domains"] == []


def _settings_answer(data: dict[str, Any]) -> TenantSettings:
    return _SettingsAnswer.model_validate(data)


# ---- concurrency: one plugin process runs Tenant and TenantSettings callbacks at once -------------


def run_both(*jobs: Callable[[], Any]) -> None:
    errors: list[BaseException] = []

    def guarded(job: Callable[[], Any]) -> None:
        try:
            job()
        except BaseException as exc:  # reported by the assertion in the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_a_settings_write_straddling_a_tenant_patch_does_not_undo_it(
    settings: TenantSettingsProvider,
    tenants: TenantProvider,
    emulator: EmulatorServer,
    acme: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worst interleaving, forced: the settings GET is answered with the old domains, and the
    answer is held back until the tenant's PATCH has landed (or 1 s, when the patch cannot land
    because it waits for the tenant's lock). Without the lock the POST then writes the old domains
    back; with it the patch runs after the settings write and both changes land."""
    created = settings.create(checked(settings, {"tenant_id": acme, "session_token_expiration": "15m"}))
    tenant_olds = {"name": "Acme", "tenant_id": acme, "self_provisioning_domains": ["acme.com"]}
    tenant_news = {**tenant_olds, "self_provisioning_domains": ["acme.com", "acme.org"]}
    settings_news = checked(settings, {"tenant_id": acme, "session_token_expiration": "45m"})
    settings_read, patch_landed = threading.Event(), threading.Event()
    load_settings, patch_tenant = emulator.state.load_settings, emulator.state.patch_tenant

    def slow_settings_answer(tenant_id: str) -> dict[str, Any]:
        answer = load_settings(tenant_id)
        settings_read.set()
        patch_landed.wait(timeout=1.0)
        return answer

    def signalling_patch(body: Any) -> dict[str, Any]:
        result = patch_tenant(body)
        patch_landed.set()
        return result

    monkeypatch.setattr(emulator.state.tenants, "load_settings", slow_settings_answer)
    monkeypatch.setattr(emulator.state.tenants, "patch", signalling_patch)
    tenant_before = tenant_fields(emulator, acme)

    def patch_after_the_settings_read() -> None:
        assert settings_read.wait(timeout=30)
        tenants.update(acme, tenant_olds, tenant_news)

    run_both(lambda: settings.update(acme, created.outs, settings_news), patch_after_the_settings_read)

    live = live_settings(emulator, acme)
    assert live["selfProvisioningDomains"] == ["acme.com", "acme.org"]  # the patch landed and stayed
    assert (live["sessionTokenExpiration"], live["sessionTokenExpirationUnit"]) == (45, "minutes")
    moved = {k for k, v in tenant_fields(emulator, acme).items() if v != tenant_before[k]}
    assert moved == {"selfProvisioningDomains"}


def test_tenant_and_settings_updates_of_many_tenants_at_once_all_land(
    settings: TenantSettingsProvider, tenants: TenantProvider, emulator: EmulatorServer
) -> None:
    """Unforced: 8 tenants, each changing its domains and its session lifetime, 16 callbacks on 4
    threads as the plugin runs them; every change lands and nothing else moves."""
    ids = [f"t{i}" for i in range(8)]
    created = {}
    for tenant_id in ids:
        emulator.state.create_tenant(
            {"id": tenant_id, "name": tenant_id, "selfProvisioningDomains": [f"{tenant_id}.com"]}
        )
        created[tenant_id] = settings.create(
            checked(
                settings, {"tenant_id": tenant_id, "session_token_expiration": "15m", "jit_disabled": True}
            )
        ).outs
    jobs: list[Callable[[], Any]] = []
    for tenant_id in ids:
        olds = {"name": tenant_id, "tenant_id": tenant_id, "self_provisioning_domains": [f"{tenant_id}.com"]}
        news = {**olds, "self_provisioning_domains": [f"{tenant_id}.com", f"{tenant_id}.org"]}
        jobs.append(lambda t=tenant_id, o=olds, n=news: tenants.update(t, o, n))
        settings_news = checked(
            settings, {"tenant_id": tenant_id, "session_token_expiration": "1h", "jit_disabled": True}
        )
        jobs.append(lambda t=tenant_id, n=settings_news: settings.update(t, created[t], n))
    for start in range(0, len(jobs), 4):
        run_both(*jobs[start : start + 4])
    for tenant_id in ids:
        live = live_settings(emulator, tenant_id)
        assert live["selfProvisioningDomains"] == [f"{tenant_id}.com", f"{tenant_id}.org"]
        assert (live["sessionTokenExpiration"], live["sessionTokenExpirationUnit"]) == (1, "hours")
        assert live["JITDisabled"] is True and live["enabled"] is False


def test_a_settings_write_straddling_an_sso_configure_does_not_undo_its_domains(
    settings: TenantSettingsProvider, emulator: EmulatorServer, acme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SSO configure sets the tenant's SSO domains and auth type, which the settings body carries
    too: the same forced interleaving as above, with an OIDC configure in place of the patch."""
    created = settings.create(checked(settings, {"tenant_id": acme, "jit_disabled": True}))
    client = settings.client
    settings_read, configured = threading.Event(), threading.Event()
    load_settings, configure_oidc = emulator.state.load_settings, emulator.state.sso.configure_oidc

    def slow_settings_answer(tenant_id: str) -> dict[str, Any]:
        answer = load_settings(tenant_id)
        settings_read.set()
        configured.wait(timeout=1.0)
        return answer

    def signalling_configure(body: Any) -> dict[str, Any]:
        result = configure_oidc(body)
        configured.set()
        return result

    monkeypatch.setattr(emulator.state.tenants, "load_settings", slow_settings_answer)
    monkeypatch.setattr(emulator.state.sso, "configure_oidc", signalling_configure)

    def configure_after_the_settings_read() -> None:
        assert settings_read.wait(timeout=30)
        oidc = OidcSettings(client_id="client", auth_url="https://idp.acme.com/auth")
        # The default configuration (created by its first configure): the tenant's domains follow it.
        client.configure_sso_oidc(acme, "default_ssoid", oidc, ["login.acme.com"])

    news = checked(settings, {"tenant_id": acme, "jit_disabled": False})
    run_both(lambda: settings.update(acme, created.outs, news), configure_after_the_settings_read)

    live = load_settings(acme)
    assert live["JITDisabled"] is False
    assert live["domains"] == ["login.acme.com"] and live["authType"] == "oidc"
