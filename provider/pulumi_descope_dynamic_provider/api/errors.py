"""Typed errors of the Descope management client.

Every message is built for a person running `pulumi up`: what failed, Descope's own words, and
what to do. None of them ever contains the management key: `redact` scrubs it from anything that
came off the wire or out of an exception before it becomes part of a message.
"""

from __future__ import annotations


class DescopeError(Exception):
    """Base of every error the client raises."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_code: str | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.operation = operation

    def __str__(self) -> str:
        where = f"{self.operation}: " if self.operation else ""
        code = f" [{self.error_code}]" if self.error_code else ""
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{where}{self.message}{code}{status}"


class NotFoundError(DescopeError):
    """The tenant (or role, permission) does not exist."""


class AlreadyExistsError(DescopeError):
    """A tenant id, name or self-provisioning domain is already taken in the project."""


class InvalidArgumentError(DescopeError):
    """Descope rejected the request body (missing or invalid argument, failed validation)."""


class UnauthorizedError(DescopeError):
    """The project id / management key pair was refused."""


class RateLimitedError(DescopeError):
    """HTTP 429; `retry_after` is Descope's Retry-After in seconds, None when absent."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ServerError(DescopeError):
    """A 5xx answer (503, 52x/530 gateway codes and the rest): transient, retried with back-off."""

    retryable = True


class NetworkError(DescopeError):
    """No usable answer: connection refused or reset, timeout, TLS failure."""

    retryable = True

    def __init__(self, message: str, *, request_sent: bool, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        # False only when the request provably never reached the server (connect failed), which
        # is what makes a create safe to re-send without looking first.
        self.request_sent = request_sent


class MalformedResponseError(DescopeError):
    """A 2xx answer whose body is not what the API documents (HTML from a proxy, empty, wrong
    types). Not retried: the server may have acted on the request."""


class DeadlineExceededError(DescopeError):
    """The call's overall deadline ran out while retrying; `last_error` is the final failure."""

    def __init__(self, message: str, *, last_error: DescopeError | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.last_error = last_error


def redact(text: str, *secrets: str) -> str:
    """Replace every occurrence of each non-empty secret in `text` with `[REDACTED]`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    return text
