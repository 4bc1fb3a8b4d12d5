"""The Pulumi dynamic provider behind `pulumi_descope_dynamic.Tenant`.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.tenant.TenantProvider` is written into
every user's stack state (the pickled `__provider` property) and imported again at refresh and
destroy time. Never rename or move it; tests/compat unpickles a blob from the first release.

What is pickled is only a format marker: configuration, the client and the management key are
built after `configure()` in the plugin process and never reach the state.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .api.client import ClientEvent, DescopeClient, DescopeClientProtocol
from .api.errors import AlreadyExistsError, DescopeError, NotFoundError
from .api.models import Tenant, TenantRequest, TenantSearch
from .api.settings import ClientSettings, SettingsError
from .core.checks import INPUTS, PROVIDER_ONLY, check_tenant_inputs, is_unknown
from .core.snapshot import TenantSnapshot

CONFIG_KEYS = (
    "descope:projectId",
    "descope:managementKey",
    "descope:baseUrl",
    "descope:rateLimit",
    "descope:callDeadline",
    "descope:adoptExisting",
)
# Inputs that Descope stores on the tenant object under the same name and that an update can change
# in place.
UPDATABLE = (
    "name",
    "self_provisioning_domains",
    "custom_attributes",
    "enforce_sso",
    "enforce_sso_exclusions",
    "disabled",
    "federated_app_ids",
    "role_inheritance",
)
# Descope cannot change a tenant's id, and honours `parent` on create only.
REPLACE_ON_CHANGE = ("tenant_id", "parent_tenant_id")
PICKLE_FORMAT = 1


class TenantError(Exception):
    """What the user sees when a tenant operation fails: resource, cause and fix in one sentence.
    Raised from the callback itself so the plugin's traceback stays a few lines long."""


def _label(props: Mapping[str, Any], tenant_id: str | None = None) -> str:
    tenant_id = tenant_id or props.get("tenant_id")
    name = props.get("name")
    if tenant_id and name:
        return f"tenant {tenant_id!r} ({name})"
    return f"tenant {tenant_id or name!r}"


def _managed(props: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs this program sets (None means "leave as it is in Descope")."""
    return {key: props[key] for key in INPUTS if props.get(key) is not None}


def _canonical(value: Any) -> Any:
    """A comparable form that keeps types apart: in Python True == 1, but not in Descope. Numbers
    compare by value (the plugin protocol turns 5 into 5.0)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, list | tuple):
        return ("list", tuple(_canonical(item) for item in value))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((str(k), _canonical(v)) for k, v in value.items())))
    return ("other", value)


def _outputs(tenant: Tenant, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Live state in the same normalised form check() gives inputs, so that diff() compares like
    with like; plus what only the provider knows (managed_inputs, delete behaviour)."""
    return {
        "tenant_id": tenant.id,
        "name": tenant.name,
        "self_provisioning_domains": sorted({d.lower() for d in tenant.self_provisioning_domains}),
        "custom_attributes": dict(sorted(tenant.custom_attributes.items())),
        "enforce_sso": tenant.enforce_sso,
        "enforce_sso_exclusions": sorted(set(tenant.enforce_sso_exclusions)),
        "disabled": tenant.disabled,
        "federated_app_ids": sorted(set(tenant.federated_app_ids)),
        "parent_tenant_id": tenant.parent,
        "role_inheritance": tenant.role_inheritance,
        "default_roles": sorted(set(tenant.default_roles)),
        "cascade_delete": bool(inputs.get("cascade_delete", False)),
        "adopt": bool(inputs.get("adopt", False)),
        "created_time": tenant.created_time,
        "auth_type": tenant.auth_type,
        "domains": sorted(tenant.domains),
        # Which inputs the program sets: read() rebuilds exactly those from live state, so the
        # preview after a refresh shows the drift and nothing else.
        "managed_inputs": sorted(inputs),
    }


def _remote_changes(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The managed inputs that Descope stores on the tenant (for a merge onto the live tenant)."""
    return {key: value for key, value in inputs.items() if key in UPDATABLE}


def _create_request(inputs: Mapping[str, Any]) -> TenantRequest:
    """The create body: the managed inputs, defaults for the rest."""
    return TenantRequest.model_validate(
        {**_remote_changes(inputs), "id": inputs.get("tenant_id"), "parent": inputs.get("parent_tenant_id")}
    )


def _log_client_event(event: ClientEvent) -> None:
    pulumi.log.info(f"descope: {event.operation}: {event.message}")


R = TypeVar("R")


def _writes(method: Callable[..., R]) -> Callable[..., R]:
    """Invalidate the refresh snapshot before and after a write: a read racing the write (the
    plugin runs four calls at once) must not keep a snapshot loaded before the write landed."""

    @functools.wraps(method)
    def wrapper(self: TenantProvider, *args: Any, **kwargs: Any) -> R:
        self._invalidate_snapshot()
        try:
            return method(self, *args, **kwargs)
        finally:
            self._invalidate_snapshot()

    return wrapper


class TenantProvider(ResourceProvider):
    """check/diff/create/read/update/delete of one Descope tenant."""

    # Nothing credential-bearing is ever pickled (see __getstate__), so the blob need not be a
    # secret; plain blobs keep large stacks fast.
    serialize_as_secret_always = False

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._config: dict[str, Any] = {}
        self._client: DescopeClientProtocol | None = None
        self._snapshot: TenantSnapshot | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"format": PICKLE_FORMAT}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._reset()

    def use_client(self, client: DescopeClientProtocol) -> None:
        """Give the provider a ready client instead of one built from configure() (unit tests; it is
        not pickled, so it never reaches the plugin)."""
        with self._lock:
            self._client = client
            self._snapshot = TenantSnapshot(client.load_all_tenants)

    def _invalidate_snapshot(self) -> None:
        with self._lock:
            snapshot = self._snapshot
        if snapshot is not None:
            snapshot.invalidate()

    def configure(self, req: ConfigureRequest) -> None:
        # Keep the raw values only; the client (and any error about missing credentials) comes
        # when an API call needs it, so check() and diff() work without credentials.
        self._config = {key: req.config.get(key) for key in CONFIG_KEYS}

    def _adopt_existing(self) -> bool:
        """Stack-wide adopt=True, for recovering from an interrupted apply (README): tenants that
        the killed run created but never recorded are taken over instead of failing as duplicates."""
        return str(self._config.get("descope:adoptExisting") or "").strip().lower() in {"true", "1", "yes"}

    def _api(self) -> tuple[DescopeClientProtocol, TenantSnapshot]:
        with self._lock:
            if self._client is None:
                try:
                    settings = ClientSettings.resolve(self._config)
                except SettingsError as exc:
                    raise TenantError(f"Descope provider configuration: {exc}") from None
                self._client = DescopeClient(settings, on_event=_log_client_event)
                self._snapshot = TenantSnapshot(self._client.load_all_tenants)
            assert self._snapshot is not None
            return self._client, self._snapshot

    # ---- preview -------------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_tenant_inputs(news)
        return CheckResult(inputs, [CheckFailure(prop, reason) for prop, reason in failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # `olds` are the previous outputs (live state as of the last apply or refresh).
        changed: list[str] = []
        for key in INPUTS:
            new: Any = news.get(key)
            old: Any
            if key in PROVIDER_ONLY:
                new = bool(new) if not is_unknown(new) else new
                old = bool(olds.get(key))
            elif new is None:
                continue  # not managed by the program: whatever Descope has is kept
            else:
                old = olds.get(key)
            if is_unknown(new) or _canonical(new) != _canonical(old):
                changed.append(key)
        # An unknown parent id is nearly always a parent being updated (its generated id is unknown
        # in a preview, though it never changes): show an update, not a frightening replace. If the
        # parent really is replaced, `up` diffs again with the real id and replaces the child then.
        replaces = [key for key in changed if key in REPLACE_ON_CHANGE and not is_unknown(news.get(key))]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            stables=[],
            # Names and domains are unique in a project: the old tenant must go before its
            # replacement can be created.
            delete_before_replace=True,
        )

    # ---- apply ---------------------------------------------------------------------------------

    @_writes
    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = _managed(props)
        label = _label(inputs)
        client, _ = self._api()
        adopting = bool(inputs.get("adopt")) or self._adopt_existing()
        try:
            if adopting:
                existing = self._find_existing(client, inputs)
                if existing is not None:
                    return self._adopt(client, existing, inputs, label)
            tenant_id = client.create_tenant(_create_request(inputs))
        except AlreadyExistsError as exc:
            if adopting:
                raise TenantError(
                    f"{label} cannot be created or adopted: {exc.message}. Another tenant already uses "
                    "that name or self-provisioning domain; choose another, or free it in Descope"
                ) from None
            raise TenantError(
                f"{label} cannot be created: {exc.message}. If that tenant is the one this resource "
                "should manage, set adopt=True to take it over (its settings become this program's); "
                "otherwise choose another tenant_id, name or domain"
            ) from None
        except DescopeError as exc:
            raise TenantError(f"{label} was not created: {exc}") from None

        label = _label(inputs, tenant_id)
        roles = inputs.get("default_roles")
        if roles:
            try:
                client.update_default_roles(tenant_id, roles)
            except DescopeError as exc:
                self._roll_back_create(client, tenant_id, label, exc)
        return CreateResult(tenant_id, _outputs(self._read_back(client, tenant_id, inputs), inputs))

    def _find_existing(self, client: DescopeClientProtocol, inputs: Mapping[str, Any]) -> Tenant | None:
        if inputs.get("tenant_id"):
            try:
                return client.load_tenant(inputs["tenant_id"])
            except NotFoundError:
                return None
        found = client.search_tenants(TenantSearch(tenant_names=[inputs["name"]]))
        return next((tenant for tenant in found if tenant.name == inputs["name"]), None)

    def _adopt(
        self, client: DescopeClientProtocol, live: Tenant, inputs: Mapping[str, Any], label: str
    ) -> CreateResult:
        parent = inputs.get("parent_tenant_id")
        if parent is not None and parent != live.parent:
            raise TenantError(
                f"{label} exists with parent {live.parent!r}, but the program sets parent_tenant_id="
                f"{parent!r}; Descope cannot move a tenant, so fix parent_tenant_id or recreate it"
            )
        desired = live.merged_with(_remote_changes(inputs))
        if desired != live.to_request():
            client.update_tenant(desired)
        roles = inputs.get("default_roles")
        if roles is not None and sorted(roles) != sorted(live.default_roles):
            client.update_default_roles(live.id, roles)
        pulumi.log.info(f"descope: adopted existing {_label(inputs, live.id)} into the stack")
        adopted = live.model_copy(update=desired.model_dump(exclude={"id"}))
        if roles is not None:
            adopted = adopted.model_copy(update={"default_roles": roles})
        return CreateResult(live.id, _outputs(adopted, inputs))

    def _roll_back_create(
        self, client: DescopeClientProtocol, tenant_id: str, label: str, cause: DescopeError
    ) -> None:
        """Create must be all or nothing: undo the tenant when a later step of create failed."""
        try:
            client.delete_tenant(tenant_id)
        except DescopeError as undo:
            raise TenantError(
                f"{label} was created but setting its default roles failed ({cause}); removing it "
                f"again failed too ({undo}). Delete it in the Descope console, or rerun with adopt=True"
            ) from None
        raise TenantError(f"{label} was not created: setting its default roles failed: {cause}") from None

    def _read_back(self, client: DescopeClientProtocol, tenant_id: str, inputs: Mapping[str, Any]) -> Tenant:
        """The created tenant as Descope stores it (created time, auth type). The tenant exists by
        now, so failing to read it must not fail the create (that would orphan it): fall back to
        what was sent and let the next refresh fill in the rest."""
        try:
            return client.load_tenant(tenant_id)
        except DescopeError as exc:
            pulumi.log.warn(
                f"descope: {_label(inputs, tenant_id)} was created, but reading it back failed ({exc}); "
                "run `pulumi refresh` later to record its created time"
            )
            request = _create_request(inputs)
            return Tenant.model_validate(
                {
                    **request.model_dump(exclude={"id"}),
                    "id": tenant_id,
                    "default_roles": inputs.get("default_roles"),
                }
            )

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client, snapshot = self._api()
        label = _label(props, id_)
        try:
            live = snapshot.get(id_)
            if live is None:
                # Not in the snapshot: gone, or created after it was taken. Ask directly.
                live = client.load_tenant(id_)
        except NotFoundError:
            live = None
        except DescopeError as exc:
            raise TenantError(f"{label} could not be read: {exc}") from None
        if live is None:
            pulumi.log.warn(
                f"descope: {label} no longer exists in Descope (deleted outside Pulumi); it is dropped "
                "from the stack state and the next `pulumi up` creates it again"
            )
            return ReadResult(None, {})

        managed = props.get("managed_inputs")
        previous = {key: props[key] for key in PROVIDER_ONLY if props.get(key) is not None}
        outs = _outputs(live, previous)
        if managed is None:  # Tenant.get(): an unmanaged lookup
            outs["managed_inputs"] = []
            return ReadResult(live.id, outs)
        refreshed_inputs = {key: outs[key] for key in managed if outs.get(key) is not None}
        for key in PROVIDER_ONLY:
            if key in managed:
                refreshed_inputs[key] = bool(props.get(key))
        outs["managed_inputs"] = sorted(managed)
        return ReadResult(live.id, outs, inputs=refreshed_inputs)

    @_writes
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = _managed(news)
        label = _label(inputs, id_)
        remote = _remote_changes(inputs)
        changed_remote = [key for key in remote if _canonical(remote[key]) != _canonical(olds.get(key))]
        roles = inputs.get("default_roles")
        roles_changed = roles is not None and sorted(roles) != sorted(olds.get("default_roles") or [])
        if not changed_remote and not roles_changed:
            # Only provider-side settings (cascade_delete, adopt) changed: nothing to send.
            outs = {
                **olds,
                "cascade_delete": bool(inputs.get("cascade_delete")),
                "adopt": bool(inputs.get("adopt")),
            }
            outs["managed_inputs"] = sorted(inputs)
            return UpdateResult(outs)

        client, _ = self._api()
        try:
            # Descope replaces the whole tenant on update: merge onto the live tenant so fields
            # this program does not manage keep their values.
            live = client.modify_tenant(id_, remote)
            if roles_changed:
                assert roles is not None
                client.update_default_roles(id_, roles)
                live = live.model_copy(update={"default_roles": roles})
        except NotFoundError:
            raise TenantError(
                f"{label} no longer exists in Descope (deleted outside Pulumi?); run `pulumi refresh` "
                "to drop it from the state, then `pulumi up` creates it again"
            ) from None
        except DescopeError as exc:
            raise TenantError(f"{label} was not updated: {exc}") from None
        return UpdateResult(_outputs(live, inputs))

    @_writes
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client, _ = self._api()
        label = _label(props, id_)
        try:
            existed = client.delete_tenant(id_, cascade=bool(props.get("cascade_delete")))
        except DescopeError as exc:
            hint = ""
            if "child" in exc.message.lower() or "successor" in exc.message.lower():
                hint = "; delete its child tenants first, or set cascade_delete=True to delete them with it"
            raise TenantError(f"{label} was not deleted: {exc}{hint}") from None
        if not existed:
            pulumi.log.info(f"descope: {label} was already gone from Descope")
