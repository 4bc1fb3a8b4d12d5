"""The Descope management client: real endpoints, typed errors, shared rate limiting and retries that
never create a tenant twice.

Retry policy (one table, applied by `_RetryPolicy` through the `backoff` library):

| failure                                   | retried? | wait                                           |
|-------------------------------------------|----------|------------------------------------------------|
| 429 with Retry-After                      | yes      | exactly Retry-After + up to 0.25 s jitter; the |
|                                           |          | shared limiter is paused for every caller      |
| 429 without Retry-After                   | yes      | exponential back-off, full jitter              |
| 5xx (503, 52x, 530, ...)                  | yes      | exponential back-off, full jitter              |
| network error / timeout                   | yes      | exponential back-off, full jitter              |
| create whose outcome is unknown (5xx,     | yes, but | the tenant is looked up first (by id, else by  |
| reset or timeout after the request left)  | not blind| its unique name) and adopted when it matches   |
| 4xx other than 429, malformed 2xx body    | no       | -                                              |

Every call has an overall deadline (settings.call_deadline_seconds) instead of an attempt count;
every wait goes through the injected `sleeper` and `clock`, so tests never really sleep.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any, NoReturn, Protocol, TypeVar

import backoff
import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter

from .errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    DescopeError,
    InvalidArgumentError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
    redact,
)
from .models import CreatedTenant, Tenant, TenantList, TenantRequest, TenantSearch, TenantSettings
from .ratelimit import RateLimiterProtocol, shared_rate_limiter
from .settings import ClientSettings

TENANT_CREATE = "/v1/mgmt/tenant/create"
TENANT_UPDATE = "/v1/mgmt/tenant/update"
TENANT_DELETE = "/v1/mgmt/tenant/delete"
TENANT_LOAD = "/v1/mgmt/tenant"
TENANT_LOAD_ALL = "/v1/mgmt/tenant/all"
TENANT_SEARCH = "/v1/mgmt/tenant/search"
TENANT_SETTINGS = "/v1/mgmt/tenant/settings"
TENANT_DEFAULT_ROLES = "/v1/mgmt/tenant/updateDefaultRoles"

CODE_MISSING_ARGUMENT = "E011002"
CODE_FAILED_VALIDATION = "E011003"
CODE_INVALID_ARGUMENT = "E011004"
CODE_TENANT_NOT_FOUND = "E112202"
CODE_RATE_LIMITED = "E130429"

RETRY_AFTER_JITTER_SECONDS = 0.25
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0
# A server that refuses connections for this long is down or misaddressed; waiting out the whole
# call deadline would only delay the user's fix.
CONNECT_FAILURE_BUDGET_SECONDS = 30.0
# No public source names Descope's code for a duplicate id/name/domain; it is a 400 whose text says so.
_ALREADY_EXISTS_WORDS = ("already exist", "already taken", "already in use", "duplicate")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ClientEvent:
    """Progress a user should see during `pulumi up`: waits, retries and adoptions."""

    operation: str
    message: str
    wait_seconds: float = 0.0


EventListener = Callable[[ClientEvent], None]


class DescopeClientProtocol(Protocol):
    """What the resource providers need from a Descope management client."""

    def create_tenant(self, tenant: TenantRequest) -> str: ...
    def update_tenant(self, tenant: TenantRequest) -> None: ...
    def modify_tenant(self, tenant_id: str, changes: Mapping[str, Any]) -> Tenant: ...
    def delete_tenant(self, tenant_id: str, *, cascade: bool = False) -> bool: ...
    def load_tenant(self, tenant_id: str) -> Tenant: ...
    def load_all_tenants(self) -> list[Tenant]: ...
    def search_tenants(self, search: TenantSearch) -> list[Tenant]: ...
    def load_tenant_settings(self, tenant_id: str) -> TenantSettings: ...
    def update_tenant_settings(self, tenant_id: str, settings: TenantSettings) -> None: ...
    def update_default_roles(self, tenant_id: str, role_names: list[str]) -> None: ...


class _BearerAuth(requests.auth.AuthBase):
    """Descope's management auth. An auth object rather than a session header, so a ~/.netrc cannot
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


def _retry_after_seconds(header: str | None, now: Callable[[], float] = time.time) -> float | None:
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


def _snippet(text: str, limit: int = 200) -> str:
    """A short, single-line excerpt of a body, for messages about answers that are not JSON."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


class DescopeClient:
    """A client of the Descope Management API for one project.

    Thread-safe: one `requests.Session` with a connection pool, and a rate limiter shared by every
    client of the same (base URL, project) in the process. Never pickled: it holds the key.
    """

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
    ) -> None:
        self.settings = settings
        self._limiter = rate_limiter or shared_rate_limiter(
            settings.base_url, settings.project_id, settings.rate_limit, settings.rate_limit_store
        )
        self._clock = clock
        self._sleeper = sleeper
        self._rng = rng or random.Random()
        self.on_event = on_event
        self._session = session or requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.auth = _BearerAuth(settings.project_id, settings.management_key)
        self._session.headers.update(
            {
                "Accept": "application/json",
                "User-Agent": f"pulumi-descope-dynamic/{_package_version()}",
                "x-descope-sdk-name": "pulumi-descope-dynamic",
                "x-descope-sdk-version": _package_version(),
                "x-descope-project-id": settings.project_id,
            }
        )

    def __getstate__(self) -> NoReturn:
        raise TypeError("DescopeClient holds the management key and must never be pickled")

    def __repr__(self) -> str:
        return f"DescopeClient(project_id={self.settings.project_id!r}, base_url={self.settings.base_url!r})"

    def close(self) -> None:
        self._session.close()

    # ---- tenants -------------------------------------------------------------------------------

    def create_tenant(self, tenant: TenantRequest) -> str:
        """Create a tenant and return its id (Descope generates one when `tenant.id` is None).

        When an attempt's outcome is unknown (5xx, reset or timeout after the request was sent, or
        a 2xx whose body cannot be read), the tenant is looked up before anything is re-sent and
        adopted if it is exactly what was sent; a retry that meets "already exists" does the same.
        A duplicate is never created.
        """
        operation = f"create tenant {tenant.id or tenant.name!r}"
        deadline = self._deadline()
        outcome_unknown = False

        def attempt() -> str:
            nonlocal outcome_unknown
            if outcome_unknown:
                existing = self._find_tenant_like(tenant, operation, deadline)
                if existing is not None:
                    return self._adopt_lost_create(existing, tenant, operation)
            try:
                data = self._send(operation, "POST", TENANT_CREATE, deadline, body=tenant.to_wire())
                return self._parse(operation, CreatedTenant, data).id
            except MalformedResponseError:
                # A 2xx whose body we cannot read: Descope most likely created the tenant. Find it
                # rather than leave an orphan the stack does not know about.
                outcome_unknown = True
                existing = self._find_tenant_like(tenant, operation, deadline)
                if existing is not None:
                    return self._adopt_lost_create(existing, tenant, operation)
                raise
            except NetworkError as exc:
                outcome_unknown = outcome_unknown or exc.request_sent
                raise
            except ServerError:
                outcome_unknown = True
                raise
            except AlreadyExistsError:
                if outcome_unknown:
                    existing = self._find_tenant_like(tenant, operation, deadline)
                    if existing is not None:
                        return self._adopt_lost_create(existing, tenant, operation)
                raise

        try:
            return self._retrying(operation, deadline, attempt)
        except DescopeError as exc:
            if outcome_unknown and not isinstance(exc, AlreadyExistsError):
                exc.message += (
                    "; an earlier attempt got no usable answer, so the tenant may exist: rerun with "
                    "adopt=True (or descope:adoptExisting=true) to take it over rather than duplicate it"
                )
            raise

    def update_tenant(self, tenant: TenantRequest) -> None:
        """Replace the tenant `tenant.id` with `tenant`: Descope clears every field left out, so
        pass the complete desired object (see `modify_tenant` for a partial change)."""
        if not tenant.id:
            raise InvalidArgumentError("update_tenant needs the tenant id (TenantRequest.id)")
        operation = f"update tenant {tenant.id!r}"
        deadline = self._deadline()
        body = tenant.to_wire()
        self._retrying(
            operation, deadline, lambda: self._send(operation, "POST", TENANT_UPDATE, deadline, body=body)
        )

    def modify_tenant(self, tenant_id: str, changes: Mapping[str, Any]) -> Tenant:
        """Change some fields (snake_case names of TenantRequest) and keep every other one, because
        the API replaces the whole tenant: read, merge, write. Returns the tenant as it now is."""
        live = self.load_tenant(tenant_id)
        merged = live.merged_with(changes)
        self.update_tenant(merged)
        return live.model_copy(update=merged.model_dump(exclude={"id"}))

    def delete_tenant(self, tenant_id: str, *, cascade: bool = False) -> bool:
        """Delete a tenant (and its child tenants with `cascade`). Returns False when Descope says
        it does not exist, which includes an earlier attempt of this call whose answer was lost."""
        operation = f"delete tenant {tenant_id!r}"
        deadline = self._deadline()
        body = {"id": tenant_id, "cascade": cascade}
        try:
            self._retrying(
                operation, deadline, lambda: self._send(operation, "POST", TENANT_DELETE, deadline, body=body)
            )
        except NotFoundError:
            return False
        return True

    def load_tenant(self, tenant_id: str) -> Tenant:
        """Load one tenant; raises NotFoundError when it does not exist."""
        operation = f"load tenant {tenant_id!r}"
        deadline = self._deadline()
        data = self._retrying(
            operation,
            deadline,
            lambda: self._send(operation, "GET", TENANT_LOAD, deadline, params={"id": tenant_id}),
        )
        return self._parse(operation, Tenant, data)

    def load_all_tenants(self) -> list[Tenant]:
        operation = "load all tenants"
        deadline = self._deadline()
        data = self._retrying(
            operation, deadline, lambda: self._send(operation, "GET", TENANT_LOAD_ALL, deadline)
        )
        return self._parse(operation, TenantList, data).tenants

    def search_tenants(self, search: TenantSearch) -> list[Tenant]:
        operation = "search tenants"
        deadline = self._deadline()
        body = search.to_wire()
        data = self._retrying(
            operation, deadline, lambda: self._send(operation, "POST", TENANT_SEARCH, deadline, body=body)
        )
        return self._parse(operation, TenantList, data).tenants

    def load_tenant_settings(self, tenant_id: str) -> TenantSettings:
        operation = f"load settings of tenant {tenant_id!r}"
        deadline = self._deadline()
        data = self._retrying(
            operation,
            deadline,
            lambda: self._send(operation, "GET", TENANT_SETTINGS, deadline, params={"id": tenant_id}),
        )
        return self._parse(operation, TenantSettings, data)

    def update_tenant_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        """Replace the tenant's settings (a full replace: unset fields are cleared)."""
        operation = f"update settings of tenant {tenant_id!r}"
        deadline = self._deadline()
        body = {**settings.model_dump(by_alias=True, mode="json", exclude_none=True), "tenantId": tenant_id}
        self._retrying(
            operation, deadline, lambda: self._send(operation, "POST", TENANT_SETTINGS, deadline, body=body)
        )

    def update_default_roles(self, tenant_id: str, role_names: list[str]) -> None:
        operation = f"update default roles of tenant {tenant_id!r}"
        deadline = self._deadline()
        body = {"id": tenant_id, "defaultRoles": list(role_names)}
        self._retrying(
            operation,
            deadline,
            lambda: self._send(operation, "POST", TENANT_DEFAULT_ROLES, deadline, body=body),
        )

    # ---- create without duplicates -------------------------------------------------------------

    def _find_tenant_like(self, tenant: TenantRequest, operation: str, deadline: float) -> Tenant | None:
        """The live tenant an earlier, unanswered create may have made: by id when one was sent,
        else by name (unique in a project)."""
        if tenant.id:
            try:
                data = self._send(operation, "GET", TENANT_LOAD, deadline, params={"id": tenant.id})
            except NotFoundError:
                return None
            return self._parse(operation, Tenant, data)
        body = TenantSearch(tenant_names=[tenant.name]).to_wire()
        data = self._send(operation, "POST", TENANT_SEARCH, deadline, body=body)
        found = [t for t in self._parse(operation, TenantList, data).tenants if t.name == tenant.name]
        return found[0] if found else None

    def _adopt_lost_create(self, existing: Tenant, sent: TenantRequest, operation: str) -> str:
        if not existing.matches(sent):
            raise AlreadyExistsError(
                f"an earlier attempt got no answer, and the tenant now found ({existing.id!r}, "
                f"name {existing.name!r}) differs from what was sent, so it was not adopted; "
                "inspect it in the Descope console, then delete it or adopt it with adopt=True",
                operation=operation,
            )
        self._emit(operation, f"the answer to an earlier attempt was lost; adopting tenant {existing.id!r}")
        return existing.id

    # ---- one HTTP attempt ----------------------------------------------------------------------

    def _deadline(self) -> float:
        return self._clock() + self.settings.call_deadline_seconds

    def _send(
        self,
        operation: str,
        method: str,
        path: str,
        deadline: float,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """One attempt: take a rate-limit token, send, and return the parsed JSON body (None when
        empty) or raise a typed error. Every attempt, retries included, costs a token."""
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise DeadlineExceededError(
                "the call deadline ran out before the request was sent", operation=operation
            )
        try:
            self._limiter.acquire(
                timeout=remaining, on_wait=lambda reason, seconds: self._emit(operation, reason, seconds)
            )
        except TimeoutError as exc:
            raise DeadlineExceededError(
                f"could not send before the call deadline: {exc}", operation=operation
            ) from None
        read_timeout = max(0.001, min(self.settings.read_timeout_seconds, deadline - self._clock()))
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
            sent = not _failed_before_sending(exc)
            raise self._network_error(operation, "connection failed", exc, request_sent=sent) from None
        except requests.exceptions.RequestException as exc:
            raise self._network_error(operation, "request failed", exc, request_sent=True) from None
        return self._read_response(operation, response)

    def _network_error(
        self, operation: str, what: str, exc: Exception, *, request_sent: bool
    ) -> NetworkError:
        # Redact before cutting: an excerpt that ends inside the key would leak its beginning.
        detail = _snippet(self._redact(str(exc)), 300)
        return NetworkError(
            f"{what} to {self.settings.base_url}: {detail}", request_sent=request_sent, operation=operation
        )

    def _read_response(self, operation: str, response: requests.Response) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            if not response.content.strip():
                return None
            try:
                return response.json()
            except ValueError:
                raise MalformedResponseError(
                    "Descope answered with a body that is not JSON: "
                    f"{_snippet(self._redact(response.text))!r}",
                    status=status,
                    operation=operation,
                ) from None
        self._raise_error(operation, response)

    def _raise_error(self, operation: str, response: requests.Response) -> NoReturn:
        status = response.status_code
        try:
            payload = response.json()
        except ValueError:
            payload = None
        code: str | None = None
        text = ""
        if isinstance(payload, dict):
            code = payload.get("errorCode") if isinstance(payload.get("errorCode"), str) else None
            parts = [
                str(payload[k])
                for k in ("errorDescription", "errorMessage")
                if isinstance(payload.get(k), str)
            ]
            text = "; ".join(dict.fromkeys(p for p in parts if p))
        if not text:
            body = _snippet(self._redact(response.text))
            text = f"HTTP {status} {response.reason or ''}".strip() + (f": {body!r}" if body else "")
        text = self._redact(text)
        common: dict[str, Any] = {"status": status, "error_code": code, "operation": operation}

        if status == 429 or code == CODE_RATE_LIMITED:
            retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
            raise RateLimitedError(f"rate limited by Descope: {text}", retry_after=retry_after, **common)
        if 300 <= status < 400:
            location = self._redact(response.headers.get("Location", "?"))
            raise DescopeError(
                f"unexpected redirect to {location}; set descope:baseUrl to the API's final address",
                **common,
            )
        if status >= 500:
            raise ServerError(f"Descope is unavailable or failed: {text}", **common)
        if code == CODE_TENANT_NOT_FOUND:
            raise NotFoundError(f"not found: {text}", **common)
        if status == 404:
            # Not Descope's "tenant not found": a wrong base URL, or a proxy. Never read it as "gone",
            # which would make a refresh drop tenants that still exist.
            raise DescopeError(
                f"unexpected 404 from {self.settings.base_url} ({text}); check descope:baseUrl", **common
            )
        if status in (401, 403):
            raise UnauthorizedError(
                f"Descope refused the credentials ({text}); check descope:projectId and "
                "descope:managementKey (or DESCOPE_PROJECT_ID / DESCOPE_MANAGEMENT_KEY)",
                **common,
            )
        if status == 409 or any(word in text.lower() for word in _ALREADY_EXISTS_WORDS):
            raise AlreadyExistsError(text, **common)
        if status == 400 or code in (CODE_MISSING_ARGUMENT, CODE_INVALID_ARGUMENT, CODE_FAILED_VALIDATION):
            raise InvalidArgumentError(f"Descope rejected the request: {text}", **common)
        raise DescopeError(f"unexpected answer: {text}", **common)

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
        policy = _RetryPolicy(self, operation, deadline)
        retrying = backoff.on_exception(
            policy.waits,  # type: ignore[arg-type]  # backoff's stubs do not model send()
            DescopeError,
            giveup=_is_final,
            jitter=None,
            logger=None,
        )(attempt)
        return retrying()


def _is_final(exc: Exception) -> bool:
    return not (isinstance(exc, DescopeError) and exc.retryable)


def _failed_before_sending(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the connection was never established, so the server cannot have seen the request."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    name = type(reason).__name__
    return name in {"NewConnectionError", "NameResolutionError", "ConnectTimeoutError"}


class _RetryPolicy:
    """The waits between attempts of one call. backoff drives the loop (catch, give up, retry) and
    sends each failure into `waits`; we sleep here, through the client's injected sleeper and
    against its injected clock, and hand backoff a zero wait, because backoff itself can only
    call time.sleep."""

    def __init__(self, client: DescopeClient, operation: str, deadline: float) -> None:
        self._client = client
        self._operation = operation
        self._deadline = deadline
        self._started = client._clock()
        self._attempts = 1
        self._backoffs = 0
        self._unreachable_since: float | None = None

    def delay_for(self, exc: DescopeError) -> float:
        if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
            return exc.retry_after + self._client._rng.uniform(0, RETRY_AFTER_JITTER_SECONDS)
        self._backoffs += 1
        ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (self._backoffs - 1))
        return self._client._rng.uniform(0, ceiling)  # "full jitter"

    def _give_up_when_unreachable(self, exc: DescopeError) -> None:
        now = self._client._clock()
        if not (isinstance(exc, NetworkError) and not exc.request_sent):
            self._unreachable_since = None
            return
        if self._unreachable_since is None:
            self._unreachable_since = now
        if now - self._unreachable_since >= CONNECT_FAILURE_BUDGET_SECONDS:
            raise DeadlineExceededError(
                f"cannot connect to {self._client.settings.base_url} for "
                f"{now - self._unreachable_since:.0f} s; check descope:baseUrl (or DESCOPE_BASE_URL) and "
                f"the network; last error: {exc.message}",
                last_error=exc,
                operation=self._operation,
            ) from exc

    def waits(self) -> Generator[float, DescopeError, None]:
        exc = yield 0.0  # backoff primes the generator before the first attempt
        while True:
            delay = self.delay_for(exc)
            client = self._client
            self._give_up_when_unreachable(exc)
            remaining = self._deadline - client._clock()
            if delay >= remaining:
                elapsed = client._clock() - self._started
                raise DeadlineExceededError(
                    f"gave up after {self._attempts} attempt(s) in {elapsed:.0f} s because the next "
                    f"retry would pass the call deadline ({client.settings.call_deadline_seconds:g} s, "
                    f"setting descope:callDeadline); last error: {exc.message}",
                    last_error=exc,
                    status=exc.status,
                    error_code=exc.error_code,
                    operation=self._operation,
                ) from exc
            if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
                # Everyone sharing the bucket waits out the same window, not only this caller.
                client._limiter.pause(exc.retry_after)
            client._emit(
                self._operation,
                f"{exc.message}; retrying in {delay:.1f} s (attempt {self._attempts + 1})",
                delay,
            )
            client._sleeper(delay)
            self._attempts += 1
            exc = yield 0.0
