"""An in-memory stand-in for the tenant calls of DescopeClient, for provider-layer unit tests: it
keeps tenants the way Descope does (unique ids, names and self-provisioning domains; patch changes
the fields given) and records every call so a test can assert which API calls a callback made, or
that it made none. `update_tenant` (a full replace) stands for an edit made in the console."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from typing import Any

from pulumi_descope_dynamic_provider.api.errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from pulumi_descope_dynamic_provider.api.tenant_settings import TenantSettings
from pulumi_descope_dynamic_provider.api.tenants import Tenant, TenantRequest, TenantSearch


class FakeDescopeClient:
    def __init__(self, tenants: list[Tenant] | None = None) -> None:
        self.tenants: dict[str, Tenant] = {t.id: t for t in tenants or []}
        self.settings: dict[str, TenantSettings] = {}
        self.calls: list[tuple[str, Any]] = []
        self._ids = itertools.count(1)
        self._clock = itertools.count(1_700_000_000)
        self._lock = threading.Lock()

    def _record(self, name: str, arg: Any = None) -> None:
        self.calls.append((name, arg))

    def call_names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def _check_unique(self, request: TenantRequest, tenant_id: str) -> None:
        for other in self.tenants.values():
            if other.id == tenant_id:
                continue
            if other.name == request.name:
                raise AlreadyExistsError(f"tenant name {request.name!r} already exists")
            clash = set(other.self_provisioning_domains) & set(request.self_provisioning_domains)
            if clash:
                raise AlreadyExistsError(f"self provisioning domain {sorted(clash)[0]!r} already exists")

    def _store(self, request: TenantRequest, tenant_id: str, *, created_time: int, roles: list[str]) -> None:
        fields = request.model_dump(exclude={"id"})
        self.tenants[tenant_id] = Tenant(
            id=tenant_id, created_time=created_time, default_roles=roles, **fields
        )

    def create_tenant(self, tenant: TenantRequest) -> str:
        with self._lock:
            self._record("create_tenant", tenant)
            tenant_id = tenant.id or f"T{next(self._ids):027d}"
            if tenant_id in self.tenants:
                raise AlreadyExistsError(f"tenant id {tenant_id!r} already exists")
            self._check_unique(tenant, tenant_id)
            self._store(tenant, tenant_id, created_time=next(self._clock), roles=[])
            return tenant_id

    def update_tenant(self, tenant: TenantRequest) -> None:
        with self._lock:
            self._record("update_tenant", tenant)
            assert tenant.id
            current = self.tenants.get(tenant.id)
            if current is None:
                raise NotFoundError(f"tenant {tenant.id!r} not found")
            self._check_unique(tenant, tenant.id)
            # Like Descope: a full replace, except the parent, which only create sets.
            replaced = tenant.model_copy(update={"parent": current.parent})
            self._store(replaced, tenant.id, created_time=current.created_time, roles=current.default_roles)

    def patch_tenant(self, tenant_id: str, changes: Mapping[str, Any]) -> None:
        with self._lock:
            self._record("patch_tenant", (tenant_id, dict(changes)))
            current = self.tenants.get(tenant_id)
            if current is None:
                raise NotFoundError(f"tenant {tenant_id!r} not found")
            patched = TenantRequest.model_validate(
                {**current.model_dump(include=set(TenantRequest.model_fields)), **changes}
            )
            self._check_unique(patched, tenant_id)
            self.tenants[tenant_id] = current.model_copy(update=patched.model_dump(exclude={"id", "parent"}))

    def delete_tenant(self, tenant_id: str, *, cascade: bool = False) -> bool:
        with self._lock:
            self._record("delete_tenant", (tenant_id, cascade))
            if tenant_id not in self.tenants:
                return False
            if not cascade and any(t.parent == tenant_id for t in self.tenants.values()):
                raise InvalidArgumentError(f"tenant {tenant_id!r} has successor tenants; use cascade")
            self._remove_tree(tenant_id)
            return True

    def _remove_tree(self, tenant_id: str) -> None:
        for child in [t.id for t in self.tenants.values() if t.parent == tenant_id]:
            self._remove_tree(child)
        del self.tenants[tenant_id]

    def _with_successors(self, tenant: Tenant) -> Tenant:
        """As Descope answers: with the ids of its child tenants."""
        children = [t.id for t in self.tenants.values() if t.parent == tenant.id]
        return tenant.model_copy(update={"successors": children})

    def load_tenant(self, tenant_id: str, *, deadline: float | None = None) -> Tenant:
        with self._lock:
            self._record("load_tenant", tenant_id)
            if tenant_id not in self.tenants:
                raise NotFoundError(f"tenant {tenant_id!r} not found")
            return self._with_successors(self.tenants[tenant_id])

    def load_tenant_attribute(self, name: str) -> Any:
        """No tenant attribute definitions (not recorded: a tenant's check asks this)."""
        return None

    def load_all_tenants(self) -> list[Tenant]:
        with self._lock:
            self._record("load_all_tenants")
            return [self._with_successors(t) for t in self.tenants.values()]

    def search_tenants(self, search: TenantSearch, *, deadline: float | None = None) -> list[Tenant]:
        with self._lock:
            self._record("search_tenants", search)
            found = list(self.tenants.values())
            if search.tenant_ids is not None:
                found = [t for t in found if t.id in search.tenant_ids]
            if search.tenant_names is not None:
                found = [t for t in found if t.name in search.tenant_names]
            return found

    def load_tenant_settings(self, tenant_id: str) -> TenantSettings:
        self._record("load_tenant_settings", tenant_id)
        return self.settings.get(tenant_id, TenantSettings())

    def update_tenant_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        self._record("update_tenant_settings", (tenant_id, settings))
        self.settings[tenant_id] = settings

    def update_default_roles(self, tenant_id: str, role_names: list[str]) -> None:
        with self._lock:
            self._record("update_default_roles", (tenant_id, role_names))
            current = self.tenants.get(tenant_id)
            if current is None:
                raise NotFoundError(f"tenant {tenant_id!r} not found")
            self.tenants[tenant_id] = current.model_copy(update={"default_roles": list(role_names)})
