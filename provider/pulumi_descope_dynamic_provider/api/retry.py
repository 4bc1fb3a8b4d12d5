"""The retry policy of the Descope client: an immutable value, and pure functions of it.

The transport (transport.py) runs the loop: it catches a failure, asks the policy whether and how
long to wait, pauses the shared rate budget for a Retry-After, sleeps through its injected sleeper
and tries again. Nothing here sleeps, reads a clock or draws a random number: the caller passes
the elapsed times and a uniform number in [0, 1), so every decision can be tested as a table.

| failure                                   | retried? | wait                                           |
|-------------------------------------------|----------|------------------------------------------------|
| 429 with Retry-After                      | yes      | exactly Retry-After + up to 0.25 s jitter; the |
|                                           |          | shared limiter is paused for every caller      |
| 429 without Retry-After                   | yes      | exponential back-off, full jitter              |
| 5xx (503, 52x, 530, ...)                  | yes      | exponential back-off, full jitter              |
| network error / timeout                   | yes      | exponential back-off, full jitter; a server    |
|                                           |          | refusing connections for 30 s ends the call    |
| create whose outcome is unknown (5xx,     | yes, but | see create_once.py: the object is looked up   |
| reset or timeout after the request left)  | not blind| and adopted, or discarded, before a resend     |
| 4xx other than 429, malformed 2xx body    | no       | - (a read marks an unreadable answer as        |
|                                           |          | repeatable: asking again changes nothing)      |

Every call has an overall deadline (descope:callDeadline) rather than an attempt count; an attempt
cap can be set as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DescopeError, NetworkError, RateLimitedError, ServerError
from .settings import DEFAULT_CALL_DEADLINE_SECONDS

RETRY_AFTER_JITTER_SECONDS = 0.25
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_FACTOR = 2.0
BACKOFF_MAX_SECONDS = 30.0
# A server that refuses connections for this long is down or misaddressed; waiting out the whole
# call deadline would only delay the user's fix.
CONNECT_FAILURE_BUDGET_SECONDS = 30.0
# What is retried by kind (the classification table in classify.py turns statuses into kinds:
# 429 and Descope's rate-limit code into RateLimitedError, every 5xx into ServerError).
RETRIED_KINDS: tuple[type[DescopeError], ...] = (RateLimitedError, ServerError, NetworkError)


@dataclass(frozen=True)
class RetryPolicy:
    """How one API call retries. The defaults are the client's behaviour; `ClientSettings` sets the
    deadline from descope:callDeadline.

    - `deadline_seconds`: how long one call may spend, retries and waits included.
    - `max_attempts`: a cap on attempts besides the deadline; None for no cap.
    - `backoff_base_seconds`, `backoff_factor`, `backoff_max_seconds`: the ceiling of the n-th
      back-off (n from 1) is min(max, base * factor ** (n - 1)).
    - `full_jitter`: wait a uniform time between 0 and that ceiling (else the ceiling itself).
    - `retry_on`: the failure kinds retried; any other failure is retried only when the call
      marked that one failure repeatable (`error.retryable` set on the instance, as a read does for
      an answer it cannot parse).
    - `honour_retry_after`: wait exactly Descope's Retry-After (plus up to
      `retry_after_jitter_seconds`, so callers that were paused together do not return together)
      instead of backing off, and pause the shared rate budget for that long.
    - `connect_failure_budget_seconds`: give up once connections have failed before sending (the
      server provably never saw the request) for this long in a row.
    """

    deadline_seconds: float = DEFAULT_CALL_DEADLINE_SECONDS
    max_attempts: int | None = None
    backoff_base_seconds: float = BACKOFF_BASE_SECONDS
    backoff_factor: float = BACKOFF_FACTOR
    backoff_max_seconds: float = BACKOFF_MAX_SECONDS
    full_jitter: bool = True
    retry_on: tuple[type[DescopeError], ...] = RETRIED_KINDS
    honour_retry_after: bool = True
    retry_after_jitter_seconds: float = RETRY_AFTER_JITTER_SECONDS
    connect_failure_budget_seconds: float = CONNECT_FAILURE_BUDGET_SECONDS

    def __post_init__(self) -> None:
        if self.deadline_seconds <= 0:
            raise ValueError("a retry policy's deadline must be a positive number of seconds")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("a retry policy's max_attempts must be at least 1 (or None for no cap)")
        if self.backoff_base_seconds < 0 or self.backoff_max_seconds < 0 or self.backoff_factor < 1:
            raise ValueError("a retry policy's back-off needs base >= 0, max >= 0 and factor >= 1")

    def retries(self, error: DescopeError) -> bool:
        """Whether this failure may be tried again at all (before asking about time)."""
        return isinstance(error, self.retry_on) or bool(vars(error).get("retryable", False))

    def retry_after(self, error: DescopeError) -> float | None:
        """The server's Retry-After this policy waits out for this failure, if any."""
        if self.honour_retry_after and isinstance(error, RateLimitedError):
            return error.retry_after
        return None

    def backoff_ceiling(self, backoff: int) -> float:
        """The longest wait of the `backoff`-th exponential back-off of a call (from 1)."""
        return min(self.backoff_max_seconds, self.backoff_base_seconds * self.backoff_factor ** (backoff - 1))

    def next_wait(self, backoff: int, retry_after: float | None, unit: float) -> float:
        """Seconds to wait before the next attempt. `retry_after` is what `retry_after()` returned;
        without one, `backoff` numbers this back-off among the call's back-offs (from 1; waits for a
        Retry-After are not counted). `unit` is a uniform random number in [0, 1)."""
        if retry_after is not None:
            return retry_after + self.retry_after_jitter_seconds * unit
        ceiling = self.backoff_ceiling(backoff)
        return ceiling * unit if self.full_jitter else ceiling

    def allows(self, wait: float, remaining: float, attempts: int) -> bool:
        """Whether another attempt may follow `attempts` made, after waiting `wait` seconds with
        `remaining` seconds left of the call's deadline."""
        if self.max_attempts is not None and attempts >= self.max_attempts:
            return False
        return wait < remaining

    def unreachable_too_long(self, seconds: float) -> bool:
        """Whether connections have failed before sending for too long to keep trying."""
        return seconds >= self.connect_failure_budget_seconds


DEFAULT_RETRY_POLICY = RetryPolicy()

__all__ = [
    "BACKOFF_BASE_SECONDS",
    "BACKOFF_FACTOR",
    "BACKOFF_MAX_SECONDS",
    "CONNECT_FAILURE_BUDGET_SECONDS",
    "DEFAULT_RETRY_POLICY",
    "RETRIED_KINDS",
    "RETRY_AFTER_JITTER_SECONDS",
    "RetryPolicy",
]
