import pytest
from pulumi_descope_dynamic_provider.api.settings import (
    ClientSettings,
    RateBudget,
    SettingsError,
    base_url_for_project,
    validate_base_url,
)


def test_short_project_ids_use_the_default_host() -> None:
    assert base_url_for_project("P2abc") == "https://api.descope.com"


def test_long_project_ids_select_their_region() -> None:
    assert base_url_for_project("Puse1" + "x" * 27) == "https://api.use1.descope.com"
    assert base_url_for_project("Peuc1" + "x" * 40) == "https://api.euc1.descope.com"


def test_explicit_config_wins_over_environment() -> None:
    settings = ClientSettings.resolve(
        {
            "descope:projectId": "Pcfg",
            "descope:managementKey": "Kcfg",
            "descope:baseUrl": "https://proxy.example",
        },
        {
            "DESCOPE_PROJECT_ID": "Penv",
            "DESCOPE_MANAGEMENT_KEY": "Kenv",
            "DESCOPE_BASE_URL": "https://env.example",
        },
    )
    assert (settings.project_id, settings.management_key, settings.base_url) == (
        "Pcfg",
        "Kcfg",
        "https://proxy.example",
    )


def test_environment_fills_what_config_lacks_including_the_sdk_spelling() -> None:
    settings = ClientSettings.resolve(
        {},
        {
            "DESCOPE_PROJECT_ID": "Penv",
            "DESCOPE_MANAGEMENT_KEY": "Kenv",
            "DESCOPE_BASE_URI": "http://127.0.0.1:9/",
        },
    )
    assert settings.base_url == "http://127.0.0.1:9"
    assert settings.rate_limit == RateBudget(100, 60)


def test_missing_key_names_both_ways_to_set_it() -> None:
    with pytest.raises(SettingsError) as info:
        ClientSettings.resolve({"descope:projectId": "P1"}, {})
    assert "descope:managementKey" in str(info.value)
    assert "DESCOPE_MANAGEMENT_KEY" in str(info.value)


def test_missing_project_names_both_ways_to_set_it() -> None:
    with pytest.raises(SettingsError) as info:
        ClientSettings.resolve({}, {"DESCOPE_MANAGEMENT_KEY": "K"})
    assert "descope:projectId" in str(info.value) and "DESCOPE_PROJECT_ID" in str(info.value)


def test_key_is_not_in_repr() -> None:
    settings = ClientSettings(project_id="P1", management_key="K-super-secret")
    assert "K-super-secret" not in repr(settings)


@pytest.mark.parametrize(
    "url", ["http://api.descope.com", "http://10.0.0.5:8080", "ftp://x", "api.descope.com"]
)
def test_non_loopback_plain_http_and_junk_urls_are_refused(url: str) -> None:
    with pytest.raises(SettingsError):
        validate_base_url(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:5", "https://x.io/"]
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert validate_base_url(url) == url.rstrip("/")


def test_rate_budget_parsing() -> None:
    assert RateBudget.parse("40/4") == RateBudget(40, 4.0)
    assert RateBudget.parse(" 100 / 0.5 ") == RateBudget(100, 0.5)
    assert RateBudget.parse("off") is None
    with pytest.raises(SettingsError, match="REQUESTS/SECONDS"):
        RateBudget.parse("fast")
    with pytest.raises(SettingsError):
        RateBudget.parse("0/10")


def test_bad_deadline_is_named() -> None:
    with pytest.raises(SettingsError, match="callDeadline"):
        ClientSettings.resolve(
            {"descope:projectId": "P", "descope:managementKey": "K", "descope:callDeadline": "x"}
        )
    with pytest.raises(SettingsError):
        ClientSettings(project_id="P", management_key="K", call_deadline_seconds=0)
