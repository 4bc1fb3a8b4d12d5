"""The server-side quota: sliding window per identity, 429 E130429 with an exact Retry-After."""

from __future__ import annotations

import pytest
import requests
from descope_emulator import EmulatorServer, Quota
from descope_emulator.quota import QuotaLimiter
from emu_support import api, assert_error

from tests.support.clock import FakeClock

ALL = "/v1/mgmt/tenant/all"


def test_quota_parse() -> None:
    assert Quota.parse("100/60") == Quota(100, 60.0)
    assert Quota.parse("5/0.5").to_json() == {"requests": 5, "seconds": 0.5}
    for bad in ("100", "x/60", "0/60", "5/0"):
        with pytest.raises(ValueError):
            Quota.parse(bad)


def test_sliding_window_retry_after_is_the_real_wait() -> None:
    clock = FakeClock(0.0)
    limiter = QuotaLimiter(Quota(3, 10), clock)
    assert [limiter.admit("p") for _ in range(3)] == [None, None, None]
    assert limiter.admit("p") == 10
    assert limiter.admit("other") is None  # identities are independent
    clock.advance(4)
    assert limiter.admit("p") == 6
    clock.advance(5.5)
    assert limiter.admit("p") == 1  # 0.5 s left rounds up to 1
    clock.advance(0.5)
    # At t=10 the three requests of t=0 have left the window.
    assert [limiter.admit("p") for _ in range(4)] == [None, None, None, 10]
    limiter.configure(None)
    assert all(limiter.admit("p") is None for _ in range(50))


def test_sliding_window_counts_only_admitted_requests() -> None:
    clock = FakeClock(100.0)
    limiter = QuotaLimiter(Quota(2, 60), clock)
    limiter.admit("p")
    clock.advance(30)
    limiter.admit("p")
    for _ in range(10):  # refused requests do not extend the wait
        assert limiter.admit("p") == 30
    clock.advance(30)
    assert limiter.admit("p") is None
    assert limiter.admit("p") == 30
    limiter.reset()
    assert limiter.admit("p") is None


def test_http_429_with_retry_after_and_stats() -> None:
    clock = FakeClock()
    with EmulatorServer(quota=Quota(2, 60), clock=clock) as emulator:
        assert api(emulator, "GET", ALL).status_code == 200
        clock.advance(20)
        assert api(emulator, "GET", ALL).status_code == 200
        limited = api(emulator, "POST", "/v1/mgmt/tenant/create", {"name": "A"})
        error = assert_error(limited, 429, "E130429")
        assert limited.headers["Retry-After"] == "40"
        assert "40" in error["errorMessage"]
        assert emulator.state.tenant_count() == 0  # a refused write changes nothing
        clock.advance(39.5)
        assert api(emulator, "GET", ALL).headers["Retry-After"] == "1"
        clock.advance(0.5)
        assert api(emulator, "GET", ALL).status_code == 200
        stats = emulator.stats()
        assert stats["rate_limited"] == 2
        assert stats["requests"][f"GET {ALL}"] == {"200": 3, "429": 1}
        assert stats["requests"]["POST /v1/mgmt/tenant/create"] == {"429": 1}


def test_identity_is_the_project_id_else_the_peer() -> None:
    clock = FakeClock()
    with EmulatorServer(quota=Quota(1, 60), clock=clock) as emulator:
        assert api(emulator, "GET", ALL).status_code == 200
        assert api(emulator, "GET", ALL).status_code == 429
        # Another project id is another bucket (and then fails auth).
        assert api(emulator, "GET", ALL, headers={"Authorization": "Bearer Pother:key"}).status_code == 401
        # No credentials: counted per peer address.
        assert api(emulator, "GET", ALL, headers={}).status_code == 401
        assert api(emulator, "GET", ALL, headers={}).status_code == 429


def test_quota_can_be_changed_at_runtime(emulator: EmulatorServer) -> None:
    emulator.set_quota(Quota(1, 3600))
    assert api(emulator, "GET", ALL).status_code == 200
    assert api(emulator, "GET", ALL).status_code == 429
    response = requests.post(emulator.url + "/emulator/quota", json=None, timeout=5)
    assert response.json() == {"quota": None}
    assert api(emulator, "GET", ALL).status_code == 200
