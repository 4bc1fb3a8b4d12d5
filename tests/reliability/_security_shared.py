"""The probe project, its key and the helpers that look for the key in text, shared by
test_security_transport.py and test_security_secrets.py.
"""

from __future__ import annotations

import traceback
from typing import Any

from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.ratelimit import UnlimitedRateLimiter
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

from tests.harness import dynamic_type
from tests.support.clock import FakeClock

PROJECT = "P2securityprobe"
# Random-looking, so that any 8 characters of it showing up anywhere can only be a leak.
KEY = "K2Sxq7RmV4tLp9WcZ3nB8yHdJ6fG"
TYPE = dynamic_type("descope", "Tenant")


def leaked_fragments(text: str, secret: str = KEY, width: int = 8) -> list[str]:
    """Every `width`-character piece of `secret` found in `text` (a cut-off key leaks too)."""
    pieces = {secret[i : i + width] for i in range(len(secret) - width + 1)}
    return sorted(piece for piece in pieces if piece in text)


def exception_texts(exc: BaseException) -> list[str]:
    """Everything a user could see of an error: str, repr, the printed traceback, and the same for
    the errors it carries (cause, last_error, and the context unless `raise ... from None` hid it,
    as a printed traceback does)."""
    texts: list[str] = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), str(getattr(current, "message", ""))]
        context = None if current.__suppress_context__ else current.__context__
        pending += [current.__cause__, context, getattr(current, "last_error", None)]
    return texts


def assert_no_key(*texts: str, secrets: tuple[str, ...] = (KEY,)) -> None:
    for text in texts:
        for secret in secrets:
            assert not leaked_fragments(text, secret), f"key fragment in: {text[:400]}"


def make_client(
    base_url: str,
    *,
    key: str = KEY,
    project: str = PROJECT,
    events: list[ClientEvent] | None = None,
    real_time: bool = False,
    **overrides: Any,
) -> DescopeClient:
    """A client whose retry waits cost no real time (one fake clock for its deadline, sleeper and
    limiter), unless `real_time` (for faults that take real time, such as a server that hangs)."""
    settings = ClientSettings(
        project_id=project, management_key=key, base_url=base_url, rate_limit=None, **overrides
    )
    sink = events.append if events is not None else None
    if real_time:
        return DescopeClient(settings, rate_limiter=UnlimitedRateLimiter(), on_event=sink)
    fake = FakeClock()
    return DescopeClient(
        settings,
        rate_limiter=UnlimitedRateLimiter(clock=fake, sleeper=fake.sleep),
        clock=fake,
        sleeper=fake.sleep,
        on_event=sink,
    )
