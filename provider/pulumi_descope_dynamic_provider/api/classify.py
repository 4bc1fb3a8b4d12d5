"""Which typed error (errors.py) a Descope error answer becomes: one ordered table, first match wins.

Pure: it sees the HTTP status, Descope's errorCode, the answer's text (already redacted) and the
codes that mean "gone" for the API called; the transport reads the response and raises. Beside it,
the other pure readings of an answer or a failure the transport needs: Retry-After, a body cut short,
a connection that never reached Descope, an excerpt for a message.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import (
    AlreadyExistsError,
    DescopeError,
    InvalidArgumentError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
)

CODE_MISSING_ARGUMENT = "E011002"
CODE_FAILED_VALIDATION = "E011003"
CODE_INVALID_ARGUMENT = "E011004"
CODE_RATE_LIMITED = "E130429"
# No public source names Descope's code for a duplicate id/name/domain; it is a 400 whose text says so.
ALREADY_EXISTS_WORDS = ("already exist", "already taken", "already in use", "duplicate")
_INVALID_ARGUMENT_CODES = (CODE_MISSING_ARGUMENT, CODE_INVALID_ARGUMENT, CODE_FAILED_VALIDATION)


@dataclass(frozen=True)
class ErrorAnswer:
    """What an error answer says: its status, Descope's errorCode (None when absent) and its
    text, plus the "gone" codes of the API that was called."""

    status: int
    code: str | None
    text: str
    gone: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ErrorRule:
    """One row: answers that `matches` become `error` with `message`, a format string over `text`
    (the answer's words), `base_url` and `location` (a redirect's target)."""

    name: str
    matches: Callable[[ErrorAnswer], bool]
    error: type[DescopeError]
    message: str


ERROR_TABLE: tuple[ErrorRule, ...] = (
    ErrorRule(
        "rate limited",
        lambda a: a.status == 429 or a.code == CODE_RATE_LIMITED,
        RateLimitedError,
        "rate limited by Descope: {text}",
    ),
    ErrorRule(
        "redirect",
        lambda a: 300 <= a.status < 400,
        DescopeError,
        "unexpected redirect to {location}; set descope:baseUrl to the API's final address",
    ),
    ErrorRule(
        "server error", lambda a: a.status >= 500, ServerError, "Descope is unavailable or failed: {text}"
    ),
    ErrorRule("gone", lambda a: a.code is not None and a.code in a.gone, NotFoundError, "not found: {text}"),
    # Not this API's "not found" code: a wrong base URL, or a proxy. Never read it as "gone", which
    # would make a refresh drop objects that still exist.
    ErrorRule(
        "foreign 404",
        lambda a: a.status == 404,
        DescopeError,
        "unexpected 404 from {base_url} ({text}); check descope:baseUrl",
    ),
    ErrorRule(
        "credentials refused",
        lambda a: a.status in (401, 403),
        UnauthorizedError,
        "Descope refused the credentials ({text}); check descope:projectId and "
        "descope:managementKey (or DESCOPE_PROJECT_ID / DESCOPE_MANAGEMENT_KEY)",
    ),
    ErrorRule(
        "already exists",
        lambda a: a.status == 409 or any(word in a.text.lower() for word in ALREADY_EXISTS_WORDS),
        AlreadyExistsError,
        "{text}",
    ),
    ErrorRule(
        "invalid argument",
        lambda a: a.status == 400 or a.code in _INVALID_ARGUMENT_CODES,
        InvalidArgumentError,
        "Descope rejected the request: {text}",
    ),
    ErrorRule("anything else", lambda a: True, DescopeError, "unexpected answer: {text}"),
)


def classify(answer: ErrorAnswer) -> ErrorRule:
    """The first row of ERROR_TABLE that matches the answer (the last row matches any)."""
    return next(rule for rule in ERROR_TABLE if rule.matches(answer))


def error_words(payload: Any) -> tuple[str | None, str]:
    """Descope's errorCode and its words (errorDescription; errorMessage) from a decoded error body;
    (None, "") when the body is not Descope's error object."""
    if not isinstance(payload, dict):
        return None, ""
    code = payload.get("errorCode") if isinstance(payload.get("errorCode"), str) else None
    parts = [str(payload[k]) for k in ("errorDescription", "errorMessage") if isinstance(payload.get(k), str)]
    return code, "; ".join(dict.fromkeys(p for p in parts if p))


__all__ = [
    "ALREADY_EXISTS_WORDS",
    "CODE_FAILED_VALIDATION",
    "CODE_INVALID_ARGUMENT",
    "CODE_MISSING_ARGUMENT",
    "CODE_RATE_LIMITED",
    "ERROR_TABLE",
    "ErrorAnswer",
    "ErrorRule",
    "classify",
    "cut_short_json",
    "error_words",
    "failed_before_sending",
    "retry_after_seconds",
    "snippet",
]


# ---- reading an answer or a failure (pure helpers of the transport) ------------------------------


def retry_after_seconds(header: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Retry-After as seconds: Descope sends whole seconds; an HTTP date is accepted too."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


def snippet(text: str, limit: int = 200) -> str:
    """A short, single-line excerpt of a body, for messages about answers that are not JSON."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


def cut_short_json(text: str) -> bool:
    """A body that starts like JSON but does not parse: an answer cut off on its way."""
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(stripped)
    except ValueError:
        return True
    return False


def failed_before_sending(exc: Exception) -> bool:
    """True when the connection was never established, so the server cannot have seen the request."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    name = type(reason).__name__
    return name in {"NewConnectionError", "NameResolutionError", "ConnectTimeoutError"}
