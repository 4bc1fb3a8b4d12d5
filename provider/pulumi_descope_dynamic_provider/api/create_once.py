"""Creates that never make an object twice, even when an answer is lost on its way back.

A create whose outcome is unknown (5xx, reset or timeout after the request left, a 2xx that cannot
be read) may have made the object. Re-sending it blindly could make a second one, so before another
attempt the algorithm either looks the object up and adopts it (`create_once`: tenants, roles,
permissions, SSO configurations) or, when the lost answer held a secret Descope never returns again,
deletes what the unanswered attempts made (`create_discarding_unknown`: access keys).

Both run their attempts through the transport's retry loop (`Retrier`), within one deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from .errors import AlreadyExistsError, DescopeError, MalformedResponseError, NetworkError, ServerError

T = TypeVar("T")


class Retrier(Protocol):
    """The transport's loop: runs `attempt` until it succeeds or the retry policy gives up."""

    def __call__(self, operation: str, deadline: float, attempt: Callable[[], T], /) -> T: ...


def create_once(
    retrying: Retrier,
    operation: str,
    kind: str,
    deadline: float,
    send: Callable[[float], T],
    recover: Callable[[float], T | None],
) -> T:
    """Create an object without ever creating it twice. `send(deadline)` makes one attempt;
    `recover(deadline)` finds what an earlier attempt whose answer was lost (5xx, reset or
    timeout after the request left, or a 2xx we cannot read) may have created, and returns it
    when it may be adopted, else None. It raises AlreadyExistsError when it finds something that
    differs from what was sent."""
    outcome_unknown = False

    def attempt() -> T:
        nonlocal outcome_unknown
        if outcome_unknown:
            found = recover(deadline)
            if found is not None:
                return found
        try:
            return send(deadline)
        except MalformedResponseError:
            # Descope most likely acted on the request: find the object rather than leave an
            # orphan the stack does not know about.
            outcome_unknown = True
            found = recover(deadline)
            if found is not None:
                return found
            raise
        except NetworkError as exc:
            outcome_unknown = outcome_unknown or exc.request_sent
            raise
        except ServerError:
            outcome_unknown = True
            raise
        except AlreadyExistsError:
            if outcome_unknown:
                found = recover(deadline)
                if found is not None:
                    return found
            raise

    try:
        return retrying(operation, deadline, attempt)
    except DescopeError as exc:
        if outcome_unknown and not isinstance(exc, AlreadyExistsError):
            exc.message += (
                f"; an earlier attempt got no usable answer, so the {kind} may exist: rerun with "
                "adopt=True (or descope:adoptExisting=true) to take it over rather than duplicate it"
            )
        raise


def create_discarding_unknown(
    retrying: Retrier,
    operation: str,
    kind: str,
    deadline: float,
    send: Callable[[float], T],
    discard: Callable[[float], None],
) -> T:
    """Create an object whose create answer holds something Descope never returns again (an
    access key's cleartext), so an object made by an attempt whose answer was lost cannot be
    adopted: nobody would hold its secret. Before any further attempt, `discard(deadline)`
    deletes whatever the unanswered attempts may have created; then a new one is sent. The
    result is one object whose answer was read, or an error; never two objects.

    Unlike `create_once`, an unreadable 2xx answer is retried too (after the discard)."""
    outcome_unknown = False

    def attempt() -> T:
        nonlocal outcome_unknown
        if outcome_unknown:
            discard(deadline)
            outcome_unknown = False
        try:
            return send(deadline)
        except MalformedResponseError as exc:
            outcome_unknown = True
            exc.retryable = True  # safe once the object it may have made is discarded
            raise
        except NetworkError as exc:
            outcome_unknown = exc.request_sent
            raise
        except ServerError:
            outcome_unknown = True
            raise

    try:
        return retrying(operation, deadline, attempt)
    except DescopeError as exc:
        if outcome_unknown:
            exc.message += (
                f"; the last attempt got no usable answer, so an unusable {kind} (created, its secret "
                "lost) may exist in Descope: delete it in the Descope console, then rerun"
            )
        raise


__all__ = ["Retrier", "create_discarding_unknown", "create_once"]
