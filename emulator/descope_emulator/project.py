"""The one emulated Descope project that every API area belongs to, and the only way areas meet.

An area (tenants, roles, permissions, SSO configurations, access keys) keeps its own objects and
reaches the rest of the project only through a ``Project``: its lock (one re-entrant lock for the whole
project, so a call is atomic across areas), its wall clock, its seeded id generator, the look-ups other
areas provide (a tenant by id, a role id by name, whether a permission exists) and its events (a tenant,
role or permission removed or renamed), on which areas drop or follow what named the object. No area
imports another.
"""

from __future__ import annotations

import copy
import random
import string
import threading
from collections.abc import Callable
from typing import Any, Final, Generic, ParamSpec, Protocol, TypeVar

from descope_emulator import errors

ID_ALPHABET: Final = string.ascii_letters + string.digits
# Generated ids come from the seeded generator, the built-ins' ids from their own (fixed) one, so
# adding a built-in never shifts the ids of tenants and roles a test creates.
_BUILT_IN_SEED: Final = "descope-emulator-built-ins"

P = ParamSpec("P")
T = TypeVar("T")


class TenantRecord(Protocol):
    """What areas other than tenants see of a tenant. SSO configurations write ``auth_type`` and
    ``domains`` (the tenant object mirrors its default configuration)."""

    id: str
    name: str
    auth_type: str
    domains: list[str]

    def to_wire(self) -> dict[str, Any]: ...


class Event(Generic[P]):
    """Subscribers are called in subscription order, with the project lock held."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[P, None]] = []

    def subscribe(self, subscriber: Callable[P, None]) -> None:
        self._subscribers.append(subscriber)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for subscriber in self._subscribers:
            subscriber(*args, **kwargs)


class Project:
    """Thread-safe shared services of one project. ``seed`` makes generated ids reproducible."""

    def __init__(self, *, seed: int, wall_clock: Callable[[], float], project_id: str) -> None:
        self.id = project_id
        self.lock = threading.RLock()
        self._seed = seed
        self._rng = random.Random(seed)
        self._built_in_rng = random.Random(_BUILT_IN_SEED)
        self._wall_clock = wall_clock
        self._tables: list[dict[Any, Any]] = []
        self._tenant: Callable[[str], TenantRecord | None] = lambda tenant_id: None
        self._role_id: Callable[[str, str], str | None] = lambda tenant_id, name: None
        self._permission_exists: Callable[[str], bool] = lambda name: False
        self._tenants_using_app: Callable[[str], list[str]] = lambda app_id: []
        self._check_tenant_attributes: Callable[[dict[str, Any]], None] = lambda values: None
        # The project is new again (``clear``): areas install their built-in objects.
        self.cleared: Event[[]] = Event()
        # A tenant is gone (its successors were announced first); payload: the tenant id.
        self.tenant_removed: Event[[str]] = Event()
        # A role was renamed (scope: its tenant id, "" for a project role; old name; new name) or
        # deleted (scope; name). Not announced for the roles of a removed tenant.
        self.role_renamed: Event[[str, str, str]] = Event()
        self.role_removed: Event[[str, str]] = Event()
        # A permission was renamed (old name; new name) or deleted (name).
        self.permission_renamed: Event[[str, str]] = Event()
        self.permission_removed: Event[[str]] = Event()
        # A tenant custom attribute definition was deleted (its name): tenants drop their values.
        self.tenant_attribute_removed: Event[[str]] = Event()

    # ----- areas --------------------------------------------------------------------------------

    def table(self) -> dict[Any, Any]:
        """A new, empty table for an area's objects, owned by the project: ``clear`` empties it and
        ``atomically`` puts it back as it was, both in place (so an area keeps its reference)."""
        table: dict[Any, Any] = {}
        self._tables.append(table)
        return table

    def provide_tenants(self, lookup: Callable[[str], TenantRecord | None]) -> None:
        self._tenant = lookup

    def provide_roles(self, role_id: Callable[[str, str], str | None]) -> None:
        self._role_id = role_id

    def provide_permissions(self, exists: Callable[[str], bool]) -> None:
        self._permission_exists = exists

    def provide_app_users(self, tenants_using_app: Callable[[str], list[str]]) -> None:
        self._tenants_using_app = tenants_using_app

    def provide_tenant_attribute_check(self, check: Callable[[dict[str, Any]], None]) -> None:
        self._check_tenant_attributes = check

    def clear(self) -> None:
        """Back to a new project: every table empty, ids generated from the seed again, then
        ``cleared`` (the built-ins' ids are drawn in the order areas subscribed)."""
        with self.lock:
            self._rng = random.Random(self._seed)
            self._built_in_rng = random.Random(_BUILT_IN_SEED)
            for table in self._tables:
                table.clear()
            self.cleared.emit()

    def atomically(self, apply: Callable[[], list[T]]) -> list[T]:
        """Runs several single-object calls as one: if one fails, nothing has changed."""
        with self.lock:
            saved = copy.deepcopy(self._tables)
            try:
                return apply()
            except errors.DescopeError:
                for table, before in zip(self._tables, saved, strict=True):
                    table.clear()
                    table.update(before)
                raise

    def listing(self, key: str, table: dict[Any, Any]) -> dict[str, Any]:
        """An ``all`` answer: ``{key: [every object of the table on the wire]}``, read under the lock."""
        with self.lock:
            return {key: [item.to_wire() for item in table.values()]}

    # ----- clock and ids ------------------------------------------------------------------------

    def now(self) -> int:
        """The wall clock, in whole epoch seconds."""
        return int(self._wall_clock())

    def new_id(self, prefix: str, length: int, taken: Callable[[str], bool]) -> str:
        """``prefix`` plus ``length`` characters from the seeded generator, not ``taken``."""
        with self.lock:
            while True:
                candidate = prefix + "".join(self._rng.choice(ID_ALPHABET) for _ in range(length))
                if not taken(candidate):
                    return candidate

    def built_in_id(self, prefix: str, length: int) -> str:
        """The next id of a built-in object (the same in every project)."""
        return prefix + "".join(self._built_in_rng.choice(ID_ALPHABET) for _ in range(length))

    # ----- look-ups -----------------------------------------------------------------------------

    def tenant(self, tenant_id: str) -> TenantRecord | None:
        return self._tenant(tenant_id)

    def require_tenant(self, tenant_id: str, *, status: int) -> TenantRecord:
        """The tenant, else ``E112202`` with ``status`` (404 on loads, 400 on writes)."""
        tenant = self._tenant(tenant_id)
        if tenant is None:
            raise errors.tenant_not_found(tenant_id, status=status)
        return tenant

    def role_id(self, tenant_id: str, name: str) -> str | None:
        """The id of the role ``name`` as seen from ``tenant_id`` (a role of that tenant, else a
        project role; ``tenant_id=""`` sees project roles only), or None."""
        return self._role_id(tenant_id, name)

    def permission_exists(self, name: str) -> bool:
        return self._permission_exists(name)

    def tenants_using_app(self, app_id: str) -> list[str]:
        """The ids of the tenants listing the SSO application ``app_id`` in ``federatedAppIds``."""
        return self._tenants_using_app(app_id)

    def check_tenant_attributes(self, values: dict[str, Any]) -> None:
        """Raises when a tenant's custom attribute values do not fit the project's definitions."""
        self._check_tenant_attributes(values)
