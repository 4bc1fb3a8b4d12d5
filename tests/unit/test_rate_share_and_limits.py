"""descope:rateLimitShare and the buckets of each documented limit, in every store: a 50% share is
half of each quota; a user-create request takes a token from the per-project user-create bucket and
from the per-IP management bucket, other requests from the management bucket only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi_descope_dynamic_provider.api.ratelimit import (
    USER_CREATE_LIMIT,
    USER_UPDATE_SEARCH_LIMIT,
    Limit,
    SharedRateLimiter,
)
from pulumi_descope_dynamic_provider.api.settings import (
    ClientSettings,
    RateBudget,
    RateLimitStore,
    SettingsError,
    parse_share,
)

from tests.support.redis_server import redis_server

CREATE = "/v1/mgmt/user/create"
SEARCH = "/v1/mgmt/user/search"
TENANT = "/v1/mgmt/tenant/create"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> RateLimitStore:
    if request.param == "memory":
        return RateLimitStore()
    if request.param == "sqlite":
        return RateLimitStore.parse(f"sqlite://{tmp_path / 'budget.sqlite'}")
    url: str = request.getfixturevalue("redis_url")
    return RateLimitStore.parse(url)


def taken(limiter: SharedRateLimiter, path: str, attempts: int) -> int:
    """How many of `attempts` requests to `path` get a token at once (a 0.2 s wait at most each)."""
    count = 0
    for _ in range(attempts):
        try:
            limiter.acquire(timeout=0.2, path=path)
        except TimeoutError:
            break
        count += 1
    return count


@pytest.mark.parametrize(("text", "expected"), [("", 100.0), ("50", 50.0), ("50%", 50.0), (" 12.5 ", 12.5)])
def test_the_share_is_a_percentage(text: str, expected: float) -> None:
    assert parse_share(text) == expected


@pytest.mark.parametrize("text", ["0", "101", "-5", "half"])
def test_a_share_outside_0_to_100_names_the_setting_and_the_fix(text: str) -> None:
    with pytest.raises(
        SettingsError, match=r"descope:rateLimitShare \(DESCOPE_RATE_LIMIT_SHARE\).*e\.g\. 50"
    ):
        parse_share(text)


def test_the_share_comes_from_stack_config_then_the_environment() -> None:
    base = {"descope:projectId": "P1", "descope:managementKey": "K"}
    assert ClientSettings.resolve(base, env={}).rate_limit_share == 100.0
    assert ClientSettings.resolve(base, env={"DESCOPE_RATE_LIMIT_SHARE": "40"}).rate_limit_share == 40.0
    configured = {**base, "descope:rateLimitShare": "50"}
    assert ClientSettings.resolve(configured, env={"DESCOPE_RATE_LIMIT_SHARE": "40"}).rate_limit_share == 50.0


def test_a_half_share_is_half_of_the_management_quota_in_every_store(store: RateLimitStore) -> None:
    limiter = SharedRateLimiter(
        RateBudget(10, 60), store=store, scope=f"https://share-{store.kind}", share=50
    )
    assert limiter.budget == RateBudget(5, 60)
    assert taken(limiter, TENANT, 8) == 5


def test_user_create_takes_from_its_own_bucket_and_the_management_one(store: RateLimitStore) -> None:
    small_create = Limit("user-create", RateBudget(3, 60), "project", USER_CREATE_LIMIT.paths)
    limiter = SharedRateLimiter(
        RateBudget(5, 60),
        store=store,
        scope=f"https://limits-{store.kind}",
        project="P1",
        limits=(small_create, USER_UPDATE_SEARCH_LIMIT),
    )
    assert taken(limiter, CREATE, 5) == 3  # the per-project user-create limit
    assert taken(limiter, SEARCH, 5) == 2  # the creates also spent 3 of the 5 per-IP tokens
    assert taken(limiter, TENANT, 1) == 0


def test_the_per_project_buckets_are_per_project_and_the_management_bucket_per_host(
    store: RateLimitStore,
) -> None:
    small_create = Limit("user-create", RateBudget(2, 60), "project", USER_CREATE_LIMIT.paths)

    def limiter(project: str) -> SharedRateLimiter:
        return SharedRateLimiter(
            RateBudget(10, 60),
            store=store,
            scope=f"https://per-{store.kind}",
            project=project,
            limits=(small_create,),
        )

    first, second = limiter("P1"), limiter("P2")
    assert taken(first, CREATE, 3) == 2
    assert taken(second, CREATE, 3) == 2  # another project: its own user-create bucket
    if store.shared:  # one per-IP bucket for the host, shared by both projects' limiters
        assert taken(second, TENANT, 10) == 6
    else:
        assert taken(second, TENANT, 10) == 8


def test_a_share_applies_to_the_per_project_limits_too() -> None:
    limiter = SharedRateLimiter(
        RateBudget(100, 60),
        share=50,
        project="P1",
        limits=(Limit("user-create", RateBudget(4, 60), "project", USER_CREATE_LIMIT.paths),),
    )
    assert taken(limiter, CREATE, 4) == 2
