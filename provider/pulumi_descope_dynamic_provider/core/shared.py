"""What every resource type's provider in one plugin process shares, per project and key: one
client (one session, one rate budget), the refresh snapshots of every type, and per-process notes
(what one callback leaves for a later one in the same `pulumi up`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pulumi

from ..api.errors import DescopeError
from ..api.report import print_at_exit
from ..api.settings import ClientSettings
from .snapshot import Snapshot

if TYPE_CHECKING:
    from ..api.client import ClientEvent, DescopeClient


class SharedApi:
    """One client and the refresh snapshots of every resource type, per project and key."""

    def __init__(self, make_client: Callable[[], DescopeClient]) -> None:
        self._make_client = make_client
        self._client: DescopeClient | None = None
        self._snapshots: dict[str, Snapshot[Any]] = {}
        self._notes: dict[str, dict[str, Any]] = {}
        self._held: dict[str, set[str]] = {}
        self._once: dict[str, Any] = {}
        self._declared: dict[str, set[str]] = {}
        self._lock = threading.Lock()
        self._once_lock = threading.Lock()

    @property
    def client(self) -> DescopeClient:
        """Built at the first callback that speaks to Descope: a preview that only checks and diffs
        (which keep notes here) never loads the client and every API area's models."""
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def notes(self, type_name: str) -> dict[str, Any]:
        """Facts one callback leaves for a later one in this plugin process (one `pulumi up`), per
        resource type: e.g. what diff() decided, for delete(). Never persisted."""
        with self._lock:
            return self._notes.setdefault(type_name, {})

    def hold(self, type_name: str, id_: str) -> None:
        """Record that this stack manages the object (the engine diffed, read, created or updated it)."""
        with self._lock:
            self._held.setdefault(type_name, set()).add(id_)

    def holds(self, type_name: str, id_: str) -> bool:
        with self._lock:
            return id_ in self._held.get(type_name, set())

    def once(self, name: str, load: Callable[[], Any]) -> Any:
        """A value loaded at most once per plugin process and kept (writes do not invalidate it: the
        writers update it through `loaded`), e.g. the ids check() compares references with. None when
        loading failed (warned once, not retried)."""
        with self._once_lock:
            if name not in self._once:
                try:
                    self._once[name] = load()
                except DescopeError as exc:
                    pulumi.log.warn(f"descope: could not load {name} for a check ({exc}); `up` checks it")
                    self._once[name] = None
            return self._once[name]

    def loaded(self, name: str) -> Any:
        """What `once` loaded under `name`, or None (not loaded, or loading failed)."""
        with self._once_lock:
            return self._once.get(name)

    def declare(self, type_name: str, id_: str) -> None:
        """Record that the program declares the object in this run: the engine diffed it (every
        resource the program registers that the stack already has) or created it. Never a refresh's
        read nor a delete: by the time `pulumi up` deletes the resources removed from the program,
        every declared one has registered, so a delete can tell what it must not take with it."""
        with self._lock:
            self._declared.setdefault(type_name, set()).add(id_)

    def declares(self, type_name: str, id_: str) -> bool:
        with self._lock:
            return id_ in self._declared.get(type_name, set())

    def snapshot(
        self, type_name: str, load_all: Callable[[], list[Any]], key: Callable[[Any], str]
    ) -> Snapshot[Any]:
        with self._lock:
            if type_name not in self._snapshots:
                self._snapshots[type_name] = Snapshot(load_all, key)
            return self._snapshots[type_name]

    def invalidate(self) -> None:
        """After any write: deleting a tenant or a permission also changes other types' objects
        (its roles, the roles granting it), so every snapshot goes."""
        with self._lock:
            snapshots = list(self._snapshots.values())
        for snapshot in snapshots:
            snapshot.invalidate()


_SHARED: dict[ClientSettings, SharedApi] = {}
_SHARED_LOCK = threading.Lock()


def _log_client_event(event: ClientEvent) -> None:
    pulumi.log.info(f"descope: {event.operation}: {event.message}")


def shared_api(settings: ClientSettings) -> SharedApi:
    """The process-wide client for these settings: every resource type's provider uses it, so they
    share one session and one rate budget."""

    def make_client() -> DescopeClient:
        # Imported here: the client brings every API area's models, which neither a program declaring
        # resources (it imports the providers too) nor a preview that only diffs needs.
        from ..api.client import DescopeClient

        return DescopeClient(settings, on_event=_log_client_event)

    with _SHARED_LOCK:
        if settings not in _SHARED:
            _SHARED[settings] = SharedApi(make_client)
            # The one line that says where a long operation's time went, when the plugin exits.
            print_at_exit()
        return _SHARED[settings]
