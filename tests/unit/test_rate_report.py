"""The rate report's figures (the line itself is read from the real CLI's output in
tests/e2e/test_rate_report_cli.py)."""

from __future__ import annotations

import io

from descope_emulator import EmulatorServer, Quota
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import SharedRateLimiter
from pulumi_descope_dynamic_provider.api.report import RateReport, print_report
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, RateBudget
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

from tests.support.clock import FakeClock


def test_nothing_sent_prints_nothing() -> None:
    out = io.StringIO()
    print_report(RateReport(), out)
    assert out.getvalue() == ""


def test_waits_of_several_callers_at_once_count_once() -> None:
    clock = FakeClock()
    report = RateReport(clock)
    with report.waiting("budget"):
        clock.advance(2)
        with report.waiting("budget"):  # a second caller waits the same seconds
            clock.advance(3)
        clock.advance(1)
    with report.waiting("retry_after"):
        clock.advance(30)
    assert report.waited == {"budget": 6.0, "retry_after": 30.0}


def test_the_share_of_the_quota_is_over_the_span_the_requests_took() -> None:
    clock = FakeClock()
    report = RateReport(clock)
    quota = RateBudget(100, 60)
    for _ in range(25):
        report.sent(quota)
    assert report.quota_used() == 0.25  # within one window
    for _ in range(75):
        clock.advance(1.2)
        report.sent(quota)  # 100 requests from 0 to 90 s: counted in the quota until 150 s
    assert abs((report.quota_used() or 0) - 100 / 250) < 1e-9
    report.met_429()
    line = report.line()
    assert line is not None
    assert line.startswith("descope: rate report: 100 requests sent, 1 HTTP 429s met, waited 0.0 s")
    # 25 at once, then one each 1.2 s: 25 + 49 within the first 60 s.
    assert "40% of the quota (100/60 per IP) used, at most 74% in any 60 s" in line


def test_a_client_counts_requests_429s_and_both_waits() -> None:
    """A real client against a quota of 4/60 with a client budget of 100/60 (so the server's 429s do
    the pacing) on a fake clock: every attempt is counted, every 429, and the Retry-After waits."""
    clock = FakeClock()
    report = RateReport(clock)
    with EmulatorServer(quota=Quota(4, 60), clock=clock) as server:
        settings = ClientSettings(
            project_id=server.project_id, management_key=server.management_key, base_url=server.url
        )
        limiter = SharedRateLimiter(RateBudget(100, 60), clock=clock, sleeper=clock.sleep, report=report)
        client = DescopeClient(settings, rate_limiter=limiter, clock=clock, sleeper=clock.sleep)
        for index in range(6):
            client.create_tenant(TenantRequest(name=f"r{index}"))
        stats = server.stats()
    assert report.requests == stats["total"] and report.rate_limited == stats["rate_limited"] >= 1
    assert report.waited["retry_after"] >= 59
