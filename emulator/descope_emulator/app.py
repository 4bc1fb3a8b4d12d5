"""The emulator's request pipeline, independent of sockets: a ``Request`` in, an ``Outcome`` out.

For a /v1/ or /v2/ request the order is:
1. draw a fault (seeded); ``reset`` and ``hang`` act here, before anything else;
2. quota per identity (the bearer token's project id, else the peer address), times the tier's
   factor when ``x-descope-license`` names the project's ``license_tier``, plus the per-project
   user-management limits (quota.py): over it is a 429 ``E130429`` with ``Retry-After`` and the
   drawn fault is not applied; every request's headers (``x-descope-license`` among them) are in
   the request log;
3. ``error`` faults (5xx) and the ``malformed``/``html`` proxy page answer without processing;
4. ``slow`` waits;
5. authentication (401 unless ``Authorization: Bearer <projectId>:<managementKey>``), routing,
   JSON decoding and the state change;
6. ``lost_response`` drops the answer of the committed request; ``malformed``/``empty|truncated``
   mangle its body.
Admin requests under ``/emulator`` skip all of that: no auth, quota, faults or stats:
- ``GET  /emulator/health`` -> ``{"ok": true}``
- ``POST /emulator/reset`` ``{"keep_config"?: bool}``: clears state, counters, quota history, queued
  faults; quota and faults return to their start-up settings unless ``keep_config``.
- ``GET|POST /emulator/faults``: ``{"error_rate", "reset_rate", "slow_rate", "lost_response_rate",
  "malformed_rate", "hang_rate", "slow_seconds", "hang_seconds", "fault_rate"?, "seed"?, "queue"?}``
  (POST replaces all rates; ``null`` turns faults off); answers the settings plus ``seed`` and ``queue``.
- ``POST /emulator/faults/queue`` ``{"kind", "method"?, "path"?, "status"?, "variant"?}``: one exact
  fault for the next matching request.
- ``GET|POST /emulator/quota``: ``{"requests": N, "seconds": S}`` or ``null``; answers ``{"quota": ...}``.
- ``GET  /emulator/stats``: ``{"requests": {"<METHOD> <path>": {"<status>|reset|lost_response|hang": n}},
  "total", "rate_limited", "faults": {kind: n}, "tenants"}``.
- ``GET  /emulator/requests[?limit=N]``: ``{"requests": [{"seq", "time", "method", "path", "status",
  "outcome", "fault", "headers" (credentials removed), "body"}]}``.
- ``POST /emulator/seed``: ``{"tenants", "permissions", "roles", "ssoConfigurations", "accessKeys",
  "ssoApplications"}`` (or a list of tenants) -> ``{"tenants": added}``; ``GET /emulator/state`` dumps
  the same shape (secrets as SHA-256 hashes only).
- Console edits (what ``Store.edit_*``/``remove_*`` do, for an emulator in another process):
  ``POST /emulator/tenants/edit`` ``{"id", <wire field>: value...}`` (patch semantics),
  ``POST /emulator/tenants/remove`` ``{"id", "cascade"?}``, ``POST /emulator/roles/edit``
  ``{"role": name or id, "tenantId"?, "name"? (rename), "description"?, "permissionNames"?, ...}``,
  ``POST /emulator/roles/remove`` ``{"role", "tenantId"?}``, ``POST /emulator/permissions/edit``
  ``{"permission": name, "name"? (rename), "description"?}``, ``POST /emulator/permissions/remove``
  ``{"permission"}``, ``POST /emulator/password/edit`` ``{"tenantId"? ("" or absent: the project's),
  <wire field>: value...}`` (patch semantics), ``POST /emulator/apps/edit`` ``{"id", <wire field or
  settings key>: value...}`` (an SSO application), ``POST /emulator/apps/remove`` ``{"id"}``. Edits
  answer the object as it now is.
The API routes (``/v1/...``, ``/v2/...``) are not listed here: each area of the ``Store`` (``store.py``)
declares its own with ``routing.route`` on the handler, and documents them: ``tenants.py`` (tenants,
settings, default roles), ``permissions.py``, ``roles.py``, ``sso/``, ``accesskeys.py``,
``passwords.py`` and ``ssoapps.py``; ``Emulator`` composes them with ``routing.routes_of`` and adds the
license handshake.
"""

from __future__ import annotations

import enum
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypedDict
from urllib.parse import parse_qs, urlsplit

from descope_emulator import errors
from descope_emulator.errors import DescopeError
from descope_emulator.faults import (
    PROXY_ERROR_PAGE,
    Fault,
    FaultConfig,
    FaultInjector,
    FaultKind,
    error_answer,
    truncated,
)
from descope_emulator.quota import PROJECT_PATH_LIMITS, TIER_FACTORS, Quota, QuotaLimiter
from descope_emulator.routing import Query, Routes, query_value, routes_of
from descope_emulator.stats import Stats, redact_body
from descope_emulator.store import Store

logger = logging.getLogger(__name__)

DEFAULT_PROJECT_ID: Final = "P2emulator000000000000000000"
DEFAULT_MANAGEMENT_KEY: Final = "K2emulator"
ADMIN_PREFIX: Final = "/emulator"
_API_PREFIXES: Final = ("/v1/", "/v2/")
_JSON: Final = "application/json"


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path and query string, as sent
    headers: Mapping[str, str]
    body: bytes
    peer: str

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


class Action(enum.Enum):
    RESPOND = "respond"
    RESET = "reset"  # close with RST, no answer
    HANG = "hang"  # answer nothing for hang_seconds (or until shutdown), then RST


@dataclass(frozen=True)
class Outcome:
    action: Action
    status: int = 0
    body: bytes = b""
    content_type: str = _JSON
    headers: tuple[tuple[str, str], ...] = ()
    hang_seconds: float = 0.0


def _json_outcome(status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> Outcome:
    return Outcome(Action.RESPOND, status, json.dumps(payload).encode(), _JSON, headers)


def _error_outcome(error: DescopeError, headers: tuple[tuple[str, str], ...] = ()) -> Outcome:
    return _json_outcome(error.status, error.body(), headers)


def _decode_body(raw: bytes) -> dict[str, Any]:
    """An empty body is ``{}``; anything but a JSON object is a 400 ``E011003``."""
    if not raw.strip():
        return {}
    try:
        decoded = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.validation_failed(f"Request body is not valid JSON: {exc}") from exc
    if not isinstance(decoded, dict):
        raise errors.validation_failed("Request body must be a JSON object")
    return decoded


def _loggable_body(raw: bytes) -> Any:
    """The decoded body for the request log, secrets (OIDC client secrets, cleartexts) redacted."""
    try:
        return redact_body(json.loads(raw)) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None


class EmulatorOptions(TypedDict, total=False):
    """The keyword arguments of ``Emulator`` (and of ``EmulatorServer``, which passes them on)."""

    project_id: str
    management_key: str
    quota: Quota | None
    faults: FaultConfig | None
    seed: int
    clock: Callable[[], float]
    wall_clock: Callable[[], float]
    license_tier: str


class Emulator:
    """State, quota, faults and stats of one emulated Descope project, plus the routing."""

    def __init__(
        self,
        *,
        project_id: str = DEFAULT_PROJECT_ID,
        management_key: str = DEFAULT_MANAGEMENT_KEY,
        quota: Quota | None = None,
        faults: FaultConfig | None = None,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        license_tier: str = "tier1",
    ) -> None:
        self.project_id = project_id
        self._expected_authorization = f"Bearer {project_id}:{management_key}".encode()
        self.license_tier = license_tier
        self.store = Store(seed=seed, wall_clock=wall_clock, project_id=project_id)
        self.quota = QuotaLimiter(quota, clock)
        self.faults = FaultInjector(faults, seed)
        self.stats_recorder = Stats()
        # Set at shutdown: wakes slow and hanging requests so the server can stop promptly.
        self.stop_event = threading.Event()
        self._initial_quota = quota
        self._initial_faults = faults
        self._initial_seed = seed
        self._routes = self._api_routes()
        self._admin_routes = self._make_admin_routes()

    # ----- public control surface (used by EmulatorServer and the admin API) --------------------

    def reset(self, *, keep_config: bool = False) -> None:
        """Clears state, counters, quota history and queued faults; restarts the fault sequence.
        Unless ``keep_config``, quota and faults go back to their start-up settings."""
        self.store.clear()
        self.stats_recorder.reset()
        self.quota.reset()
        self.faults.reset()
        if not keep_config:
            self.quota.configure(self._initial_quota)
            self.faults.configure(self._initial_faults, self._initial_seed)

    def stats(self) -> dict[str, Any]:
        snapshot = self.stats_recorder.snapshot()
        snapshot["tenants"] = self.store.tenant_count()
        return snapshot

    def fault_settings(self) -> dict[str, Any]:
        return {**self.faults.config.to_json(), "seed": self.faults.seed, "queue": self.faults.queued()}

    def quota_settings(self) -> dict[str, Any] | None:
        quota = self.quota.quota
        return None if quota is None else quota.to_json()

    # ----- the pipeline -------------------------------------------------------------------------

    def handle(self, request: Request) -> Outcome:
        path = urlsplit(request.target).path
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            return self._handle_admin(request, path)
        if not path.startswith(_API_PREFIXES):
            return _error_outcome(errors.route_not_found(request.method, path))
        return self._handle_api(request, path)

    def _identity(self, request: Request) -> str:
        authorization = request.header("Authorization") or ""
        scheme, _, token = authorization.partition(" ")
        project = token.split(":", 1)[0].strip() if scheme.lower() == "bearer" else ""
        return f"project:{project}" if project else f"peer:{request.peer}"

    def _admit(self, request: Request, path: str) -> int | None:
        """The quota (quota.py): the project's tier applies when the request's x-descope-license
        header names it (what the official SDKs send after the license handshake); a request
        without it, or naming another tier, is held to the default limits."""
        identity = self._identity(request)
        tier = request.header("x-descope-license")
        factor = TIER_FACTORS.get(self.license_tier, 1.0) if tier and tier == self.license_tier else 1.0
        limit = PROJECT_PATH_LIMITS.get(path)
        others = () if limit is None else ((f"{identity}|{limit[0]}", limit[1] * factor),)
        return self.quota.admit(identity, *others, factor=factor)

    def _authorized(self, request: Request) -> bool:
        presented = (request.header("Authorization") or "").encode()
        return hmac.compare_digest(presented, self._expected_authorization)

    def _handle_api(self, request: Request, path: str) -> Outcome:
        method = request.method.upper()
        fault = self.faults.draw(method, path)

        def finish(outcome: Outcome, applied: Fault | None, label: str | None = None) -> Outcome:
            self.stats_recorder.record(
                method=method,
                route=path,
                target=request.target,
                outcome=label or str(outcome.status),
                fault=None if applied is None else applied.kind,
                headers=request.headers,
                body=_loggable_body(request.body),
            )
            return outcome

        kind = None if fault is None else fault.kind
        if kind is FaultKind.RESET:
            return finish(Outcome(Action.RESET), fault, "reset")
        if kind is FaultKind.HANG:
            hang = Outcome(Action.HANG, hang_seconds=self.faults.config.hang_seconds)
            return finish(hang, fault, "hang")

        retry_after = self._admit(request, path)
        if retry_after is not None:
            limited = _error_outcome(errors.rate_limited(retry_after), (("Retry-After", str(retry_after)),))
            return finish(limited, None)

        if fault is not None and kind is FaultKind.ERROR:
            status, content_type, body = error_answer(fault)
            return finish(Outcome(Action.RESPOND, status, body, content_type), fault)
        if fault is not None and kind is FaultKind.MALFORMED and fault.variant == "html":
            return finish(Outcome(Action.RESPOND, 502, PROXY_ERROR_PAGE, "text/html"), fault)
        if kind is FaultKind.SLOW:
            self.stop_event.wait(self.faults.config.slow_seconds)

        outcome = self._process(request, method, path)

        if kind is FaultKind.LOST_RESPONSE:
            return finish(Outcome(Action.RESET), fault, "lost_response")
        if fault is not None and kind is FaultKind.MALFORMED:
            mangled = b"" if fault.variant == "empty" else truncated(outcome.body)
            return finish(Outcome(Action.RESPOND, outcome.status, mangled, _JSON), fault)
        return finish(outcome, fault)

    def _process(self, request: Request, method: str, path: str) -> Outcome:
        try:
            if not self._authorized(request):
                raise errors.unauthorized()
            handler = self._routes.get((method, path))
            if handler is None:
                if any(route_path == path for _, route_path in self._routes):
                    raise errors.method_not_allowed(method, path)
                raise errors.route_not_found(method, path)
            body = {} if method in ("GET", "DELETE") else _decode_body(request.body)
            query = parse_qs(urlsplit(request.target).query)
            return _json_outcome(200, handler(body, query))
        except DescopeError as error:
            return _error_outcome(error)

    def _api_routes(self) -> Routes:
        """The license handshake plus the routes each API area declares (``routing.route``)."""
        routes: Routes = {("GET", "/v1/mgmt/license"): lambda b, q: {"rateLimitTier": self.license_tier}}
        for area in self.store.areas:
            routes.update(routes_of(area))
        return routes

    # ----- admin --------------------------------------------------------------------------------

    def _handle_admin(self, request: Request, path: str) -> Outcome:
        method = request.method.upper()
        handler = self._admin_routes.get((method, path))
        if handler is None:
            if any(route_path == path for _, route_path in self._admin_routes):
                return _error_outcome(errors.method_not_allowed(method, path))
            return _error_outcome(errors.route_not_found(method, path))
        try:
            payload = None if method == "GET" else _loggable_or_error(request.body)
            query = parse_qs(urlsplit(request.target).query)
            return _json_outcome(200, handler(payload, query))
        except DescopeError as error:
            return _error_outcome(error)
        except (ValueError, TypeError) as exc:
            return _error_outcome(errors.validation_failed(str(exc)))

    def _make_admin_routes(self) -> dict[tuple[str, str], Callable[[Any, Query], Any]]:
        p = ADMIN_PREFIX
        return {
            ("GET", f"{p}/health"): lambda body, q: {"ok": True},
            ("POST", f"{p}/reset"): self._admin_reset,
            ("GET", f"{p}/faults"): lambda body, q: self.fault_settings(),
            ("POST", f"{p}/faults"): self._admin_faults,
            ("POST", f"{p}/faults/queue"): self._admin_queue_fault,
            ("GET", f"{p}/quota"): lambda body, q: {"quota": self.quota_settings()},
            ("POST", f"{p}/quota"): self._admin_quota,
            ("GET", f"{p}/stats"): lambda body, q: self.stats(),
            ("GET", f"{p}/requests"): self._admin_requests,
            ("POST", f"{p}/seed"): lambda body, q: {"tenants": self.store.load(_object_or_list(body))},
            ("GET", f"{p}/state"): lambda body, q: self.store.dump(),
            # Console edits, for tests driving an emulator in another process (in-process tests call
            # the Store methods of the same names directly).
            ("POST", f"{p}/tenants/edit"): self._admin_edit_tenant,
            ("POST", f"{p}/tenants/remove"): self._admin_remove_tenant,
            ("POST", f"{p}/roles/edit"): self._admin_edit_role,
            ("POST", f"{p}/roles/remove"): self._admin_remove_role,
            ("POST", f"{p}/permissions/edit"): self._admin_edit_permission,
            ("POST", f"{p}/permissions/remove"): self._admin_remove_permission,
            ("POST", f"{p}/password/edit"): self._admin_edit_password_policy,
            ("POST", f"{p}/apps/edit"): self._admin_edit_sso_app,
            ("POST", f"{p}/apps/remove"): self._admin_remove_sso_app,
        }

    def _admin_edit_tenant(self, body: Any, query: Query) -> dict[str, Any]:
        tenant_id, changes = _handle_and_changes(body, "id")
        return self.store.edit_tenant(tenant_id, **changes)

    def _admin_remove_tenant(self, body: Any, query: Query) -> dict[str, Any]:
        tenant_id, changes = _handle_and_changes(body, "id")
        self.store.remove_tenant(tenant_id, cascade=bool(changes.get("cascade", True)))
        return {"ok": True}

    def _admin_edit_role(self, body: Any, query: Query) -> dict[str, Any]:
        role, changes = _handle_and_changes(body, "role")
        return self.store.edit_role(role, str(changes.pop("tenantId", "") or ""), **changes)

    def _admin_remove_role(self, body: Any, query: Query) -> dict[str, Any]:
        role, changes = _handle_and_changes(body, "role")
        self.store.remove_role(role, str(changes.get("tenantId", "") or ""))
        return {"ok": True}

    def _admin_edit_permission(self, body: Any, query: Query) -> dict[str, Any]:
        permission, changes = _handle_and_changes(body, "permission")
        return self.store.edit_permission(permission, **changes)

    def _admin_edit_sso_app(self, body: Any, query: Query) -> dict[str, Any]:
        app_id, changes = _handle_and_changes(body, "id")
        return self.store.edit_sso_app(app_id, **changes)

    def _admin_remove_sso_app(self, body: Any, query: Query) -> dict[str, Any]:
        app_id, _ = _handle_and_changes(body, "id")
        self.store.remove_sso_app(app_id)
        return {"ok": True}

    def _admin_remove_permission(self, body: Any, query: Query) -> dict[str, Any]:
        permission, _ = _handle_and_changes(body, "permission")
        self.store.remove_permission(permission)
        return {"ok": True}

    def _admin_edit_password_policy(self, body: Any, query: Query) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise errors.validation_failed("the body must be an object")
        changes = dict(body)
        return self.store.edit_password_policy(str(changes.pop("tenantId", "") or ""), **changes)

    def _admin_reset(self, body: Any, query: Query) -> dict[str, Any]:
        keep = isinstance(body, dict) and bool(body.get("keep_config"))
        self.reset(keep_config=keep)
        return {"ok": True, "keep_config": keep}

    def _admin_faults(self, body: Any, query: Query) -> dict[str, Any]:
        if body is None:
            self.faults.configure(None)
            return self.fault_settings()
        if not isinstance(body, dict):
            raise ValueError("fault settings must be a JSON object or null")
        seed = body.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError("seed must be an integer")
        self.faults.configure(FaultConfig.from_json(body), seed)
        for entry in body.get("queue") or []:
            self._admin_queue_fault(entry, query)
        return self.fault_settings()

    def _admin_queue_fault(self, body: Any, query: Query) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("kind"), str):
            raise ValueError('a queued fault needs {"kind": ..., "method"?, "path"?, "status"?, "variant"?}')
        self.faults.enqueue(
            body["kind"],
            method=body.get("method"),
            path=body.get("path"),
            status=body.get("status"),
            variant=body.get("variant"),
        )
        return self.fault_settings()

    def _admin_quota(self, body: Any, query: Query) -> dict[str, Any]:
        if body is None or (isinstance(body, dict) and body.get("requests") is None):
            self.quota.configure(None)
        elif isinstance(body, dict):
            self.quota.configure(Quota(int(body["requests"]), float(body["seconds"])))
        else:
            raise ValueError('quota must be {"requests": N, "seconds": S} or null')
        return {"quota": self.quota_settings()}

    def _admin_requests(self, body: Any, query: Query) -> dict[str, Any]:
        limit = query_value(query, "limit")
        return {"requests": self.stats_recorder.recent(int(limit) if limit else None)}


def _loggable_or_error(raw: bytes) -> Any:
    """Admin bodies may be any JSON (``null`` disables quota or faults); empty means ``null``."""
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.validation_failed(f"Request body is not valid JSON: {exc}") from exc


def _handle_and_changes(body: Any, key: str) -> tuple[str, dict[str, Any]]:
    """An admin edit body ``{"<key>": handle, <wire field>: value...}`` split into both parts."""
    if not isinstance(body, dict) or not isinstance(body.get(key), str):
        raise ValueError(f'the body must be a JSON object with "{key}" (a string)')
    changes = dict(body)
    return changes.pop(key), changes


def _object_or_list(body: Any) -> dict[str, Any] | list[Any]:
    if isinstance(body, dict | list):
        return body
    raise ValueError("seed data must be a JSON object or list")
