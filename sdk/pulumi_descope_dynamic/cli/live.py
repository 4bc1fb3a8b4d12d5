"""Reading the live project for the commands: the provider's client (same settings, same rate
budget, retries) and one list request per kind (one per tenant for a kind Descope lists per tenant),
with a progress line on stderr."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO

import requests
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

from .kinds import TENANTS, Kind


class Progress:
    """One line on stderr that is rewritten in place on a terminal (plain lines otherwise, so CI
    logs stay readable)."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self._stream = stream or sys.stderr
        self._quiet = quiet
        self._tty = self._stream.isatty()
        self._open = False

    def step(self, done: int, total: int, message: str) -> None:
        if self._quiet:
            return
        width = 20
        filled = width * done // total if total else width
        line = f"pulumi-descope [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {message}"
        if self._tty:
            self._stream.write("\r\x1b[K" + line)
            self._open = True
        else:
            self._stream.write(line + "\n")
        self._stream.flush()

    def note(self, message: str) -> None:
        """A message that stays (waits, warnings)."""
        self.finish()
        self._stream.write(f"pulumi-descope: {message}\n")
        self._stream.flush()

    def finish(self) -> None:
        if self._open:
            self._stream.write("\n")
            self._stream.flush()
            self._open = False


def settings_from(flags: Mapping[str, str | None]) -> ClientSettings:
    """Flags (`descope:*` names) over the DESCOPE_* environment, as the provider resolves its stack
    config over the environment. The management key is read from the environment only: a flag would
    leave it in shell history and the process list."""
    return ClientSettings.resolve({f"descope:{key}": value for key, value in flags.items() if value})


def read_live(
    client: DescopeClient,
    kinds: tuple[Kind, ...],
    progress: Progress,
    *,
    only_tenants: Mapping[str, set[str]] | None = None,
) -> tuple[dict[str, list[Any]], float]:
    """Every object of each kind, and the seconds it took: one list request per kind, and for a
    kind listed per tenant, one request per tenant (the progress line counts them). `only_tenants`
    narrows a per-tenant kind to the tenants named (drift reads the settings of managed tenants
    only: settings are never unmanaged, so nobody needs the others), and names the ids of a kind
    never listed whole (users, memberships: one load each)."""
    started = time.monotonic()
    found: dict[str, list[Any]] = {}
    by_ids = [kind for kind in kinds if kind.by_ids is not None]
    whole = [kind for kind in kinds if kind.per_tenant is None and kind.by_ids is None]
    per_tenant = [kind for kind in kinds if kind.per_tenant is not None]
    # The tenant list, read once for every kind that needs it (listed first when tenants are asked).
    needs_tenants = bool(per_tenant) or any(kind.from_tenants is not None for kind in whole)
    done, total = 0, len(whole) + (1 if needs_tenants and TENANTS not in whole else 0)
    tenants: list[Any] | None = None

    def tenant_list() -> list[Any]:
        nonlocal tenants, done
        if tenants is None:
            if TENANTS.key in found:
                tenants = found[TENANTS.key]
            else:
                progress.step(done, total, "listing tenants")
                tenants = TENANTS.list_live(client)
                done += 1
        return tenants

    for kind in whole:
        progress.step(done, total, f"listing {kind.key}")
        found[kind.key] = (
            kind.list_live(client) if kind.from_tenants is None else kind.from_tenants(client, tenant_list())
        )
        done += 1
    if per_tenant:
        tenant_ids = [tenant.id for tenant in tenant_list()]
        loads = {
            kind.key: sorted(
                set(tenant_ids) & only_tenants[kind.key]
                if only_tenants is not None and kind.key in only_tenants
                else tenant_ids
            )
            for kind in per_tenant
        }
        total += sum(len(ids) for ids in loads.values())
        for kind in per_tenant:
            assert kind.per_tenant is not None
            found[kind.key] = []
            for tenant_id in loads[kind.key]:
                progress.step(done, total, f"listing {kind.key} of tenant {tenant_id}")
                found[kind.key] += kind.per_tenant(client, tenant_id)
                done += 1
    for kind in by_ids:  # never listed whole: the ids named only (none named: no request)
        assert kind.by_ids is not None
        ids = set((only_tenants or {}).get(kind.key) or set())
        if ids:
            progress.step(done, total, f"loading {len(ids)} {kind.key}")
        found[kind.key] = kind.by_ids(client, ids) if ids else []
    progress.step(done, total, "listed " + ", ".join(f"{len(v)} {k}" for k, v in found.items()))
    progress.finish()
    return found, time.monotonic() - started


def client_for(settings: ClientSettings, progress: Progress, *, session: requests.Session) -> DescopeClient:
    def on_event(event: ClientEvent) -> None:  # rate-limit waits and retries, as `pulumi up` shows them
        progress.note(f"{event.operation}: {event.message}")

    return DescopeClient(settings, session=session, on_event=on_event)
