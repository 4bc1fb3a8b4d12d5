"""The retry policy as a value: its defaults, the waits it computes and when it stops (no client)."""

from __future__ import annotations

import random

import pytest
import responses
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    InvalidArgumentError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
)
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.retry import DEFAULT_RETRY_POLICY, RetryPolicy
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

from tests.support.clock import FakeClock

BASE = "https://api.descope.test"


def test_defaults_are_the_clients_behaviour() -> None:
    policy = RetryPolicy()
    assert policy == DEFAULT_RETRY_POLICY
    assert policy.deadline_seconds == 300.0  # descope:callDeadline's default
    assert policy.max_attempts is None  # the deadline alone ends a call
    assert (policy.backoff_base_seconds, policy.backoff_factor, policy.backoff_max_seconds) == (
        0.5,
        2.0,
        30.0,
    )
    assert policy.full_jitter
    assert policy.honour_retry_after and policy.retry_after_jitter_seconds == 0.25
    assert policy.connect_failure_budget_seconds == 30.0


def test_a_policy_is_frozen() -> None:
    with pytest.raises(AttributeError):
        RetryPolicy().max_attempts = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    "changes",
    [{"deadline_seconds": 0}, {"max_attempts": 0}, {"backoff_factor": 0.5}, {"backoff_base_seconds": -1}],
)
def test_a_policy_that_could_not_work_is_refused(changes: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**changes)  # type: ignore[arg-type]


def test_the_ceilings_double_from_half_a_second_up_to_thirty() -> None:
    policy = RetryPolicy()
    ceilings = [policy.backoff_ceiling(n) for n in range(1, 10)]
    assert ceilings == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    # unit just below 1 waits (almost) the ceiling: the sequence a caller sees at its worst
    assert [policy.next_wait(n, None, 1.0) for n in range(1, 8)] == ceilings[:7]


@pytest.mark.parametrize("unit", [0.0, 0.25, 0.5, 0.999999])
@pytest.mark.parametrize("backoff", [1, 2, 3, 6, 7, 20])
def test_full_jitter_waits_between_zero_and_the_ceiling(unit: float, backoff: int) -> None:
    policy = RetryPolicy()
    wait = policy.next_wait(backoff, None, unit)
    assert 0.0 <= wait <= policy.backoff_ceiling(backoff)
    assert wait == pytest.approx(unit * policy.backoff_ceiling(backoff))


def test_without_jitter_the_wait_is_the_ceiling() -> None:
    policy = RetryPolicy(
        full_jitter=False, backoff_base_seconds=1.0, backoff_factor=3.0, backoff_max_seconds=20.0
    )
    assert [policy.next_wait(n, None, 0.3) for n in range(1, 5)] == [1.0, 3.0, 9.0, 20.0]


@pytest.mark.parametrize("unit", [0.0, 0.5, 0.999999])
def test_retry_after_is_waited_exactly_plus_a_little_jitter(unit: float) -> None:
    policy = RetryPolicy()
    wait = policy.next_wait(5, 31.0, unit)  # the back-off count does not matter
    assert 31.0 <= wait < 31.25
    assert wait == pytest.approx(31.0 + 0.25 * unit)


def test_retry_after_is_read_from_a_429_only_when_the_policy_honours_it() -> None:
    limited = RateLimitedError("slow down", retry_after=12.0, status=429)
    assert RetryPolicy().retry_after(limited) == 12.0
    assert RetryPolicy().retry_after(RateLimitedError("slow down", retry_after=None, status=429)) is None
    assert RetryPolicy().retry_after(ServerError("busy", status=503)) is None
    assert RetryPolicy(honour_retry_after=False).retry_after(limited) is None


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (RateLimitedError("x", retry_after=None, status=429), True),
        (ServerError("x", status=503), True),
        (NetworkError("x", request_sent=True), True),
        (NetworkError("x", request_sent=False), True),
        (MalformedResponseError("x", status=200), False),
        (InvalidArgumentError("x", status=400), False),
        (AlreadyExistsError("x", status=409), False),
        (NotFoundError("x", status=400), False),
        (UnauthorizedError("x", status=401), False),
        (DeadlineExceededError("x"), False),
    ],
)
def test_which_failures_are_retried(error: Exception, retried: bool) -> None:
    assert RetryPolicy().retries(error) is retried  # type: ignore[arg-type]


def test_a_failure_the_call_marked_repeatable_is_retried_whatever_its_kind() -> None:
    unreadable = MalformedResponseError("not JSON", status=200)
    unreadable.retryable = True  # what a read does: asking again changes nothing
    assert RetryPolicy().retries(unreadable)
    assert RetryPolicy(retry_on=()).retries(unreadable)


def test_retry_on_narrows_the_kinds() -> None:
    policy = RetryPolicy(retry_on=(RateLimitedError,))
    assert policy.retries(RateLimitedError("x", retry_after=1.0, status=429))
    assert not policy.retries(ServerError("x", status=503))
    assert not policy.retries(NetworkError("x", request_sent=False))


def test_the_deadline_cuts_off_a_wait_that_would_pass_it() -> None:
    policy = RetryPolicy()
    assert policy.allows(wait=4.0, remaining=4.5, attempts=50)
    assert not policy.allows(wait=4.5, remaining=4.5, attempts=1)
    assert not policy.allows(wait=31.1, remaining=30.0, attempts=1)  # a Retry-After beyond the deadline
    assert not policy.allows(wait=0.0, remaining=-1.0, attempts=1)


def test_an_attempt_cap_ends_a_call_before_its_deadline() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.allows(wait=0.1, remaining=100.0, attempts=2)
    assert not policy.allows(wait=0.1, remaining=100.0, attempts=3)


def test_a_server_refusing_connections_for_thirty_seconds_ends_the_call() -> None:
    policy = RetryPolicy()
    assert not policy.unreachable_too_long(29.9)
    assert policy.unreachable_too_long(30.0)
    assert RetryPolicy(connect_failure_budget_seconds=5).unreachable_too_long(5.0)


# ---- the policy as the transport applies it -------------------------------------------------------


def make_client(clock: FakeClock, policy: RetryPolicy | None = None, deadline: float = 120) -> DescopeClient:
    settings = ClientSettings(
        project_id="P2unit", management_key="K2-key", base_url=BASE, call_deadline_seconds=deadline
    )
    return DescopeClient(
        settings,
        rate_limiter=UnlimitedRateLimiter(),
        clock=clock,
        sleeper=clock.sleep,
        rng=random.Random(7),
        retry_policy=policy,
    )


def test_the_client_builds_its_policy_from_the_call_deadline() -> None:
    assert make_client(FakeClock(), deadline=42).retry_policy == RetryPolicy(deadline_seconds=42)


@responses.activate
def test_a_given_policy_caps_the_attempts() -> None:
    clock = FakeClock()
    responses.get(f"{BASE}/v1/mgmt/tenant/all", status=503, body="busy")
    client = make_client(clock, RetryPolicy(max_attempts=2))
    with pytest.raises(DeadlineExceededError) as info:
        client.load_all_tenants()
    assert len(responses.calls) == 2 and len(clock.sleeps) == 1
    assert "gave up after 2 attempt(s)" in info.value.message
    assert "the retry policy allows 2 attempt(s)" in info.value.message
    assert isinstance(info.value.last_error, ServerError)


@responses.activate
def test_a_given_policy_decides_what_is_retried() -> None:
    clock = FakeClock()
    responses.get(f"{BASE}/v1/mgmt/tenant/all", status=503, body="busy")
    with pytest.raises(ServerError):
        make_client(clock, RetryPolicy(retry_on=(RateLimitedError,))).load_all_tenants()
    assert len(responses.calls) == 1 and clock.sleeps == []


@responses.activate
def test_a_policy_that_ignores_retry_after_backs_off_instead() -> None:
    clock = FakeClock()
    responses.get(f"{BASE}/v1/mgmt/tenant/all", status=429, headers={"Retry-After": "40"}, body="slow")
    responses.get(f"{BASE}/v1/mgmt/tenant/all", json={"tenants": []})
    make_client(clock, RetryPolicy(honour_retry_after=False)).load_all_tenants()
    assert len(clock.sleeps) == 1 and 0 <= clock.sleeps[0] <= 0.5
