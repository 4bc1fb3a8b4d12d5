"""The transport every Descope API module sends through: one session with the management key, the
shared rate budget, per-object locks, and the loop that applies the retry policy.

Its parts live beside it: the policy (when to retry, how long to wait) is a value from retry.py,
the table that turns Descope's error answers into typed errors is classify.py, and the creates
that never duplicate an object are create_once.py. Every wait goes through the injected `sleeper`
and `clock`, and every jitter through the injected `rng`, so tests never really sleep.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError

from .classify import (
    ErrorAnswer,
    classify,
    cut_short_json,
    error_words,
    failed_before_sending,
    retry_after_seconds,
    snippet,
)
from .create_once import create_discarding_unknown, create_once
from .endpoints import Endpoint
from .errors import (
    DeadlineExceededError,
    DescopeError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    redact,
)
from .locks import KeyedLocks, StoreLocks
from .ratelimit import RateLimiterProtocol, shared_rate_limiter
from .report import RATE_REPORT, RateReport
from .retry import RetryPolicy
from .settings import ClientSettings

if TYPE_CHECKING:
    # requests (with urllib3, idna, charset_normalizer: ~45 ms) is imported when a client is built
    # (core/shared.py builds it at the first callback that speaks to Descope), so a program and a
    # plugin process that only checks and diffs (a preview) never load it.
    import requests

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ClientEvent:
    """Progress a user should see during `pulumi up`: waits, retries and adoptions."""

    operation: str
    message: str
    wait_seconds: float = 0.0


EventListener = Callable[[ClientEvent], None]


class _BearerAuth:
    """Descope's management auth. An auth callable rather than a session header, so a ~/.netrc cannot
    override it and printing the session's headers shows no key."""

    def __init__(self, project_id: str, management_key: str) -> None:
        self._value = f"Bearer {project_id}:{management_key}"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._value
        return request

    def __repr__(self) -> str:
        return "_BearerAuth([REDACTED])"


def _package_version() -> str:
    try:
        return metadata.version("pulumi-descope-dynamic")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


# What the official SDKs do (docs/api-notes/license.md): one GET of the license per client, 5 s at
# most, and on any failure a warning and no header.
LICENSE_PATH = "/v1/mgmt/license"
LICENSE_HEADER = "x-descope-license"
LICENSE_TIMEOUT_SECONDS = 5.0


class Transport:
    """Sends management requests of one project. The API modules (tenants.py, roles.py, ...) build
    on it; `DescopeClient` (client.py) combines them.

    Thread-safe: one `requests.Session` with a connection pool, and a rate limiter shared by every
    client of the same (base URL, project) in the process. Never pickled: it holds the key.
    """

    # The license handshake before the first request (docs/api-notes/license.md). The in-process
    # tests turn it off (tests/conftest.py) so their request counts stay per operation; the tests
    # of the handshake, and every test of a real plugin or CLI process, have it on.
    license_handshake = True

    def __init__(
        self,
        settings: ClientSettings,
        *,
        rate_limiter: RateLimiterProtocol | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        on_event: EventListener | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self.settings = settings
        # The default policy with descope:callDeadline as its deadline, unless a whole policy is given.
        self.retry_policy = retry_policy or RetryPolicy(deadline_seconds=settings.call_deadline_seconds)
        self._limiter = rate_limiter or shared_rate_limiter(
            settings.base_url,
            settings.project_id,
            settings.rate_limit,
            settings.rate_limit_store,
            settings.rate_limit_share,
        )
        self.report: RateReport = getattr(self._limiter, "report", RATE_REPORT)
        self.rate_limit_tier: str | None = None
        self._license_lock = threading.Lock()
        self._license_attempted = False
        self._clock = clock
        self._sleeper = sleeper
        self._rng = rng or random.Random()
        self.on_event = on_event
        self._object_locks = KeyedLocks()
        self._session = self._configured(session)

    def _configured(self, session: requests.Session | None) -> requests.Session:
        import requests  # here, not at the top: see the TYPE_CHECKING import
        from requests.adapters import HTTPAdapter

        session = session or requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.auth = _BearerAuth(self.settings.project_id, self.settings.management_key)
        session.headers.update(
            {
                "Accept": "application/json",
                "User-Agent": f"pulumi-descope-dynamic/{_package_version()}",
                "x-descope-sdk-name": "pulumi-descope-dynamic",
                "x-descope-sdk-version": _package_version(),
                "x-descope-project-id": self.settings.project_id,
            }
        )
        return session

    def __getstate__(self) -> NoReturn:
        raise TypeError("a Descope client holds the management key and must never be pickled")

    def __repr__(self) -> str:
        return f"DescopeClient(project_id={self.settings.project_id!r}, base_url={self.settings.base_url!r})"

    def close(self) -> None:
        self._session.close()

    @contextmanager
    def object_lock(self, kind: str, object_id: str) -> Iterator[None]:
        """Serialises writes to one object whose API bodies overlap: a tenant's settings body
        carries tenant fields, so a settings read-overlay-write and a tenant patch must not
        interleave. Every resource type in a plugin process shares this client (see
        core/shared.py), so the process's lock covers concurrent callbacks of the engine; with a
        shared store (descope:rateLimitStore sqlite or redis) the lock is also taken there
        (locks.py), which covers other processes using that store (two stacks, two CI jobs). The
        wait for another process is bounded by the call deadline; the lease lasts a few of them."""
        with self._object_locks.hold((kind, object_id)) as outermost:
            shared = self._store_locks() if outermost else None
            if shared is None:
                yield
                return
            key = f"{self.settings.project_id}|{kind}|{object_id}"
            deadline = self.retry_policy.deadline_seconds
            what = f"the {kind} {object_id!r}"
            self._guarded_store(
                lambda: shared.acquire(key, wait=deadline, lease=3 * deadline + 60, what=what)
            )
            try:
                yield
            finally:
                self._guarded_store(lambda: shared.release(key))

    def _store_locks(self) -> StoreLocks | None:
        store_locks = getattr(self._limiter, "store_locks", None)
        if store_locks is None:
            return None
        # What the engine tells the plugin of its run, when it does (the project; the stack if set).
        run = "/".join(filter(None, (os.environ.get("PULUMI_PROJECT"), os.environ.get("PULUMI_STACK"))))
        holder = f"pulumi-descope-dynamic ({run or 'a process'})"
        found: StoreLocks | None = store_locks(holder)
        return found

    def _guarded_store(self, action: Callable[[], None]) -> None:
        guarded = getattr(self._limiter, "guarded", None)
        if guarded is None:
            action()
        else:
            guarded(action)

    def _ensure_license(self, deadline: float) -> None:
        """The license handshake, once per client before its first management request: the tier
        goes in the x-descope-license header of every request after it, so Descope's edge applies
        the customer's own rate-limit bucket. As the official SDKs do: a failure (any status but
        2xx, a network error, no tier in the answer) is a warning, and requests go without it."""
        import requests  # loaded with the session: this only binds the name

        with self._license_lock:
            if self._license_attempted or not self.license_handshake:
                return
            self._license_attempted = True
            try:
                self._limiter.acquire(timeout=max(0.0, deadline - self._clock()), path=LICENSE_PATH)
                self.report.sent(self.settings.rate_limit)
                response = self._session.get(
                    self.settings.base_url + LICENSE_PATH,
                    timeout=(
                        min(self.settings.connect_timeout_seconds, LICENSE_TIMEOUT_SECONDS),
                        LICENSE_TIMEOUT_SECONDS,
                    ),
                    allow_redirects=False,
                )
                if response.status_code == 429:
                    # Not retried (as the SDKs), but the quota is spent: every caller waits it out.
                    self.report.met_429()
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                    if retry_after:
                        self._limiter.pause(retry_after)
                if not 200 <= response.status_code < 300:
                    self._emit(
                        "license handshake",
                        f"answered HTTP {response.status_code}; continuing without {LICENSE_HEADER}",
                    )
                    return
                tier = response.json().get("rateLimitTier") if response.content.strip() else None
            except (requests.exceptions.RequestException, ValueError, AttributeError, TimeoutError) as exc:
                detail = snippet(self._redact(f"{type(exc).__name__}: {exc}"), 200)
                self._emit("license handshake", f"failed ({detail}); continuing without {LICENSE_HEADER}")
                return
            if isinstance(tier, str) and tier:
                self.rate_limit_tier = tier
                self._session.headers[LICENSE_HEADER] = tier

    def _call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        gone: frozenset[str] = frozenset(),
        parse: type[M] | None = None,
        read_only: bool = False,
        deadline: float | None = None,
    ) -> Any:
        """One API call: attempts with retries (the policy in retry.py) within the call deadline (or
        the given one, when the call is a step of a larger operation). With `parse`, the answer is
        validated as that model. A `read_only` call (a load or search) also retries an answer it
        cannot read, since repeating it changes nothing."""
        deadline = self._deadline() if deadline is None else deadline

        def attempt() -> Any:
            data = self._send(
                operation, method, path, deadline, params=params, body=body, gone=gone, read_only=read_only
            )
            if parse is None:
                return data
            try:
                return self._parse(operation, parse, data)
            except MalformedResponseError as exc:
                exc.retryable = read_only
                raise

        return self._retrying(operation, deadline, attempt)

    def _get(self, operation: str, path: str, **call: Any) -> Any:
        """A load (GET; `call` as `_call` takes it): read only, so an answer that cannot be read is
        retried like a failure."""
        return self._call(operation, "GET", path, read_only=True, **call)

    def _request(
        self, endpoint: Endpoint[M], fields: Mapping[str, Any], *, deadline: float | None = None
    ) -> M:
        """One call of a declared endpoint (endpoints.py) with these fields as its query or body."""
        operation = endpoint.named(fields)
        answer: M = self._call(
            operation, endpoint.method, endpoint.path, deadline=deadline, **endpoint.arguments(fields)
        )
        return answer

    def _found(
        self, endpoint: Endpoint[M], fields: Mapping[str, Any], *, deadline: float | None = None
    ) -> M | None:
        """A load of a declared endpoint; None when Descope says the object does not exist."""
        try:
            return self._request(endpoint, fields, deadline=deadline)
        except NotFoundError:
            return None

    def _removed(
        self, endpoint: Endpoint[Any], fields: Mapping[str, Any], *, deadline: float | None = None
    ) -> bool:
        """A delete (or revoke) of a declared endpoint; False when its object was already gone."""
        try:
            self._request(endpoint, fields, deadline=deadline)
        except NotFoundError:
            return False
        return True

    def _create_once(
        self, operation: str, kind: str, send: Callable[[float], T], recover: Callable[[float], T | None]
    ) -> T:
        """Create without ever creating twice, adopting what a lost answer made: see create_once.py."""
        return create_once(self._retrying, operation, kind, self._deadline(), send, recover)

    def _create_discarding_unknown(
        self, operation: str, kind: str, send: Callable[[float], T], discard: Callable[[float], None]
    ) -> T:
        """Create without ever creating twice, deleting what a lost answer made (its secret is lost
        with it): see create_once.py."""
        return create_discarding_unknown(self._retrying, operation, kind, self._deadline(), send, discard)

    # ---- one HTTP attempt ----------------------------------------------------------------------

    def _deadline(self) -> float:
        return self._clock() + self.retry_policy.deadline_seconds

    def _send(
        self,
        operation: str,
        method: str,
        path: str,
        deadline: float,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        gone: frozenset[str] = frozenset(),
        read_only: bool = False,
    ) -> Any:
        """One attempt: take a rate-limit token, send, and return the parsed JSON body (None when
        empty) or raise a typed error. Every attempt, retries included, costs a token. `gone` holds
        the error codes that mean "this object does not exist" for this API (NotFoundError)."""
        import requests  # loaded with the session: this only binds the name

        self._ensure_license(deadline)
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise DeadlineExceededError(
                "the call deadline ran out before the request was sent", operation=operation
            )
        try:
            self._limiter.acquire(
                timeout=remaining,
                on_wait=lambda reason, seconds: self._emit(operation, reason, seconds),
                path=path,
            )
        except TimeoutError as exc:
            raise DeadlineExceededError(
                f"could not send before the call deadline: {exc}", operation=operation
            ) from None
        read_timeout = max(0.001, min(self.settings.read_timeout_seconds, deadline - self._clock()))
        self.report.sent(self.settings.rate_limit)
        try:
            response = self._session.request(
                method,
                self.settings.base_url + path,
                params=params,
                json=body,
                timeout=(self.settings.connect_timeout_seconds, read_timeout),
                # Never follow a redirect: a write must not be replayed elsewhere, and the key must
                # not travel to another host.
                allow_redirects=False,
            )
        except requests.exceptions.ConnectTimeout as exc:
            raise self._network_error(operation, "timed out connecting", exc, request_sent=False) from None
        except requests.exceptions.Timeout as exc:
            raise self._network_error(
                operation, f"no answer within {read_timeout:.0f} s", exc, request_sent=True
            ) from None
        except requests.exceptions.ConnectionError as exc:
            sent = not failed_before_sending(exc)
            raise self._network_error(operation, "connection failed", exc, request_sent=sent) from None
        except requests.exceptions.RequestException as exc:
            raise self._network_error(operation, "request failed", exc, request_sent=True) from None
        return self._read_response(operation, response, gone, read_only)

    def _network_error(
        self, operation: str, what: str, exc: Exception, *, request_sent: bool
    ) -> NetworkError:
        # Redact before cutting: an excerpt that ends inside the key would leak its beginning.
        detail = snippet(self._redact(str(exc)), 300)
        return NetworkError(
            f"{what} to {self.settings.base_url}: {detail}", request_sent=request_sent, operation=operation
        )

    def _read_response(
        self, operation: str, response: requests.Response, gone: frozenset[str], read_only: bool
    ) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            if not response.content.strip():
                return None
            try:
                return response.json()
            except ValueError:
                error = MalformedResponseError(
                    "Descope answered with a body that is not JSON: "
                    f"{snippet(self._redact(response.text))!r}",
                    status=status,
                    operation=operation,
                )
                # A proxy mangled the answer; repeating a read is harmless, repeating a write is not.
                error.retryable = read_only
                raise error from None
        if status == 404 and read_only and cut_short_json(response.text):
            # A "not found" whose JSON a proxy cut short cannot say whether the object is gone (its
            # code is lost); a read may simply ask again. A whole non-JSON 404 (a wrong base URL)
            # still fails at once below.
            error = MalformedResponseError(
                f"Descope answered 404 with a body cut short: {snippet(self._redact(response.text))!r}",
                status=status,
                operation=operation,
            )
            error.retryable = True
            raise error
        self._raise_error(operation, response, gone)

    def _raise_error(self, operation: str, response: requests.Response, gone: frozenset[str]) -> NoReturn:
        status = response.status_code
        try:
            payload = response.json()
        except ValueError:
            payload = None
        code, text = error_words(payload)
        if not text:
            body = snippet(self._redact(response.text))
            text = f"HTTP {status} {response.reason or ''}".strip() + (f": {body!r}" if body else "")
        text = self._redact(text)
        common: dict[str, Any] = {"status": status, "error_code": code, "operation": operation}
        rule = classify(ErrorAnswer(status, code, text, gone))
        location = self._redact(response.headers.get("Location", "?"))  # what a redirect names
        message = rule.message.format(text=text, base_url=self.settings.base_url, location=location)
        if rule.error is RateLimitedError:
            self.report.met_429()
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            raise RateLimitedError(message, retry_after=retry_after, **common)
        raise rule.error(message, **common)

    def _parse(self, operation: str, model: type[M], data: Any) -> M:
        if data is None:
            raise MalformedResponseError(
                "Descope answered with an empty body where data was expected", operation=operation
            )
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}" for err in exc.errors()[:5]
            )
            raise MalformedResponseError(
                f"Descope's answer does not have the documented shape ({problems})", operation=operation
            ) from None

    def _redact(self, text: str) -> str:
        return redact(text, self.settings.management_key)

    def _emit(self, operation: str, message: str, wait_seconds: float = 0.0) -> None:
        if self.on_event:
            self.on_event(ClientEvent(operation, self._redact(message), wait_seconds))

    # ---- retries -------------------------------------------------------------------------------

    def _retrying(self, operation: str, deadline: float, attempt: Callable[[], T]) -> T:
        """Run `attempt` until it succeeds, applying the retry policy: a failure the policy does not
        retry is raised as it is; the call ends with DeadlineExceededError when the next wait would
        pass `deadline`, or when the server has refused connections for too long."""
        policy = self.retry_policy
        started = self._clock()
        attempts = 1
        backoffs = 0
        unreachable_since: float | None = None
        while True:
            try:
                return attempt()
            except DescopeError as exc:
                if not policy.retries(exc):
                    raise
                failure = exc
            retry_after = policy.retry_after(failure)
            if retry_after is None:
                backoffs += 1
            delay = policy.next_wait(backoffs, retry_after, self._rng.random())
            now = self._clock()
            if isinstance(failure, NetworkError) and not failure.request_sent:
                unreachable_since = now if unreachable_since is None else unreachable_since
                if policy.unreachable_too_long(now - unreachable_since):
                    raise DeadlineExceededError(
                        f"cannot connect to {self.settings.base_url} for "
                        f"{now - unreachable_since:.0f} s; check descope:baseUrl (or DESCOPE_BASE_URL) and "
                        f"the network; last error: {failure.message}",
                        last_error=failure,
                        operation=operation,
                    ) from failure
            else:
                unreachable_since = None
            if not policy.allows(delay, deadline - self._clock(), attempts):
                elapsed = self._clock() - started
                raise self._gave_up(operation, failure, attempts, elapsed) from failure
            if retry_after is not None:
                # Everyone sharing the bucket waits out the same window, not only this caller.
                self._limiter.pause(retry_after)
            retrying = f"{failure.message}; retrying in {delay:.1f} s (attempt {attempts + 1})"
            self._emit(operation, retrying, delay)
            if retry_after is not None:
                with self.report.waiting("retry_after"):
                    self._sleeper(delay)
            else:
                self._sleeper(delay)
            attempts += 1

    def _gave_up(
        self, operation: str, failure: DescopeError, attempts: int, elapsed: float
    ) -> DeadlineExceededError:
        policy = self.retry_policy
        if policy.max_attempts is not None and attempts >= policy.max_attempts:
            why = f"the retry policy allows {policy.max_attempts} attempt(s)"
        else:
            why = (
                f"the next retry would pass the call deadline ({policy.deadline_seconds:g} s, "
                "setting descope:callDeadline)"
            )
        return DeadlineExceededError(
            f"gave up after {attempts} attempt(s) in {elapsed:.0f} s because {why}; "
            f"last error: {failure.message}",
            last_error=failure,
            status=failure.status,
            error_code=failure.error_code,
            operation=operation,
        )
