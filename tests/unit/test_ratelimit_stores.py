"""descope:rateLimitStore: its syntax, and the SQLite store shared by limiters that do not share memory
(each opens its own connections, as separate processes do; tests/reliability runs real processes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import (
    RateLimitStoreError,
    SharedRateLimiter,
    UnlimitedRateLimiter,
    shared_rate_limiter,
)
from pulumi_descope_dynamic_provider.api.settings import (
    MEMORY_STORE,
    ClientSettings,
    RateBudget,
    RateLimitStore,
    SettingsError,
)
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

from tests.support.clock import FakeClock

# ---- the setting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "memory", " Memory "])
def test_memory_is_the_default_and_is_not_shared(text: str) -> None:
    store = RateLimitStore.parse(text)
    assert store == MEMORY_STORE and not store.shared and str(store) == "memory"


def test_sqlite_alone_means_a_file_under_the_users_cache_dir() -> None:
    xdg = RateLimitStore.parse("sqlite", env={"XDG_CACHE_HOME": "/var/cache/me", "HOME": "/home/me"})
    assert xdg == RateLimitStore("sqlite", "/var/cache/me/pulumi-descope-dynamic/ratelimit.sqlite")
    home = RateLimitStore.parse("SQLITE", env={"HOME": "/home/me"})
    assert home.location == "/home/me/.cache/pulumi-descope-dynamic/ratelimit.sqlite"
    assert home.shared and str(home) == "sqlite:///home/me/.cache/pulumi-descope-dynamic/ratelimit.sqlite"


def test_sqlite_takes_an_absolute_path() -> None:
    assert RateLimitStore.parse("sqlite:///srv/ci/../budget.db").location == "/srv/budget.db"


@pytest.mark.parametrize("text", ["sqlite://budget.db", "sqlite://", "sqlite:///"])
def test_sqlite_without_an_absolute_path_is_refused_with_the_syntax(text: str) -> None:
    with pytest.raises(SettingsError, match=r"descope:rateLimitStore .*absolute file path.*sqlite:///"):
        RateLimitStore.parse(text, env={"HOME": "/home/me"})


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "redis://cache.internal", "rediss://h:6380/2"])
def test_redis_urls_are_taken_as_given(url: str) -> None:
    store = RateLimitStore.parse(url)
    assert store == RateLimitStore("redis", url) and store.shared and str(store) == url


@pytest.mark.parametrize(
    "url", ["redis://:6379/0", "redis://h:port/0", "redis://h:6379/zero", "redis://h/0?x=1"]
)
def test_malformed_redis_urls_are_refused_with_an_example(url: str) -> None:
    with pytest.raises(SettingsError, match=r"redis://HOST:PORT/DB, e\.g\. redis://127\.0\.0\.1:6379/0"):
        RateLimitStore.parse(url)


def test_an_unknown_store_lists_the_choices() -> None:
    with pytest.raises(SettingsError) as caught:
        RateLimitStore.parse("postgres://db/budget")
    assert all(
        word in str(caught.value) for word in ("memory", "sqlite", "redis://", "DESCOPE_RATE_LIMIT_STORE")
    )


def test_a_redis_password_never_shows() -> None:
    store = RateLimitStore.parse("redis://ci:s3cret-pw@cache.internal:6379/1")
    assert store.location == "redis://ci:s3cret-pw@cache.internal:6379/1"  # what the connection uses
    settings = ClientSettings(project_id="P1", management_key="K", rate_limit_store=store)
    shown = [str(store), repr(store), repr(settings)]
    assert all("s3cret-pw" not in text for text in shown)
    assert "redis://ci:[REDACTED]@cache.internal:6379/1" in str(store)
    with pytest.raises(SettingsError) as caught:
        RateLimitStore.parse("redis://:s3cret-pw@cache.internal:port/1")
    assert "s3cret-pw" not in str(caught.value)


def test_stack_config_wins_over_the_environment() -> None:
    env = {
        "DESCOPE_PROJECT_ID": "P1",
        "DESCOPE_MANAGEMENT_KEY": "K",
        "DESCOPE_RATE_LIMIT_STORE": "redis://h/0",
    }
    assert ClientSettings.resolve({}, env).rate_limit_store == RateLimitStore("redis", "redis://h/0")
    from_config = ClientSettings.resolve({"descope:rateLimitStore": "sqlite:///tmp/b.db"}, env)
    assert from_config.rate_limit_store == RateLimitStore("sqlite", "/tmp/b.db")
    assert (
        ClientSettings.resolve({}, {**env, "DESCOPE_RATE_LIMIT_STORE": ""}).rate_limit_store == MEMORY_STORE
    )


# ---- the SQLite store ----------------------------------------------------------------------------


def _sqlite(tmp_path: Path) -> RateLimitStore:
    return RateLimitStore.parse(f"sqlite://{tmp_path / 'budget.sqlite'}")


def test_limiters_on_one_sqlite_file_share_the_budget(tmp_path: Path) -> None:
    store = _sqlite(tmp_path)
    first, second = (SharedRateLimiter(RateBudget(3, 60), store=store, scope="https://a") for _ in range(2))
    # Timeouts leave room for the store's lock (pyrate's leak thread takes it now and then).
    first.acquire(timeout=1)
    first.acquire(timeout=1)
    second.acquire(timeout=1)
    with pytest.raises(TimeoutError):
        second.acquire(timeout=0.05)
    with pytest.raises(TimeoutError):
        first.acquire(timeout=0.05)
    # Another API host has a budget of its own in the same file.
    SharedRateLimiter(RateBudget(3, 60), store=store, scope="https://b").acquire(timeout=1)


def test_limiters_in_memory_do_not_share(tmp_path: Path) -> None:
    """The contrast that makes the test above mean something."""
    first, second = (SharedRateLimiter(RateBudget(3, 60), scope="https://a") for _ in range(2))
    for _ in range(3):
        first.acquire(timeout=1)
        second.acquire(timeout=1)


def test_a_pause_in_a_sqlite_store_holds_every_limiter_on_it(tmp_path: Path) -> None:
    clock = FakeClock()
    store = _sqlite(tmp_path)
    first, second = (
        UnlimitedRateLimiter(clock=clock, sleeper=clock.sleep, store=store, scope="https://a")
        for _ in range(2)
    )
    first.pause(30)
    second.pause(10)  # a shorter pause never shortens a longer one
    waits: list[tuple[str, float]] = []
    SharedRateLimiter(
        RateBudget(5, 60), clock=clock, sleeper=clock.sleep, store=store, scope="https://a"
    ).acquire(on_wait=lambda reason, seconds: waits.append((reason, seconds)))
    assert clock.sleeps == [30] and waits and "429" in waits[0][0]
    assert first.paused_for() == 0 and second.paused_for() == 0


def test_shared_stores_pause_on_the_wall_clock_and_memory_on_the_monotonic_one(tmp_path: Path) -> None:
    import time

    assert UnlimitedRateLimiter(store=_sqlite(tmp_path))._clock is time.time
    assert UnlimitedRateLimiter()._clock is time.monotonic


def test_an_unusable_sqlite_file_fails_the_first_call_naming_the_setting(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    store = RateLimitStore.parse(f"sqlite://{blocker / 'budget.sqlite'}")
    settings = ClientSettings(
        project_id=emulator.project_id,
        management_key=emulator.management_key,
        base_url=emulator.url,
        rate_limit_store=store,
    )
    client = DescopeClient(settings)  # building the client opens nothing
    with pytest.raises(RateLimitStoreError) as caught:
        client.create_tenant(TenantRequest(name="never-sent"))
    message = str(caught.value)
    assert "descope:rateLimitStore (DESCOPE_RATE_LIMIT_STORE)" in message and str(blocker) in message
    assert "sqlite:///ABSOLUTE/PATH" in message and "`memory`" in message
    assert emulator.stats()["total"] == 0  # no silent fallback to an unshared budget


def test_the_process_registry_replaces_a_limiter_when_the_store_changes(tmp_path: Path) -> None:
    store = _sqlite(tmp_path)
    memory = shared_rate_limiter("https://s.test", "P1", RateBudget(10, 1))
    assert memory.store == MEMORY_STORE
    on_file = shared_rate_limiter("https://s.test", "P1", RateBudget(10, 1), store)
    assert on_file is not memory and on_file.store == store
    assert shared_rate_limiter("https://s.test", "P1", RateBudget(10, 1), store) is on_file
    unlimited = shared_rate_limiter("https://s.test", "P1", None, store)
    assert type(unlimited) is UnlimitedRateLimiter and unlimited.store == store
