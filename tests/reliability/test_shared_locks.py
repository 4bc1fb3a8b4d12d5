"""The tenant's lock across processes (descope:rateLimitStore sqlite or redis): two real processes,
one writing the tenant's settings (read, overlay, write back the whole body, which carries the
tenant's domains) and one patching the tenant's domains, both land, however the emulator orders
them. The worst interleaving is forced: the settings answer is held back until the patch has landed
(or 2 s, when the patch cannot land because it waits for the lock), so without a lock shared by the
processes the settings write puts the old domains back. The `memory` case shows that it does:
each process then has only its own lock, which is what a no-op lock across processes is.

The lock's own behaviour (a bounded wait whose error names the holder; a dead holder's lock taken
at once) is tested on both stores below with locks that share nothing but the store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.locks import (
    ObjectLockTimeoutError,
    RedisLocks,
    SqliteLocks,
    StoreLocks,
)
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, RateLimitStore

from tests.support.budget_worker import REPO_ROOT
from tests.support.lock_worker import NEW_DOMAINS
from tests.support.redis_server import redis_server

TENANT = "acme"
HOLD_SECONDS = 2.0


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def _store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return f"sqlite://{tmp_path / 'ratelimit.sqlite'}"
    if kind == "redis":
        url: str = request.getfixturevalue("redis_url")
        return url
    return "memory"


def _start(server: EmulatorServer, store: str, action: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DESCOPE_PROJECT_ID": server.project_id,
        "DESCOPE_MANAGEMENT_KEY": server.management_key,
        "DESCOPE_BASE_URL": server.url,
        "DESCOPE_RATE_LIMIT_STORE": store,
        "DESCOPE_CALL_DEADLINE": "30",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.support.lock_worker", action, TENANT],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    line = worker.stdout.readline().strip()
    assert line == "ready", f"the {action} worker did not start: {line!r}"
    return worker


def _go(worker: subprocess.Popen[str]) -> None:
    assert worker.stdin is not None
    worker.stdin.write("go\n")
    worker.stdin.flush()


def _result(worker: subprocess.Popen[str]) -> dict[str, Any]:
    output = worker.communicate(timeout=60)[0]
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def _race(server: EmulatorServer, store: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    server.state.create_tenant({"id": TENANT, "name": "Acme", "selfProvisioningDomains": ["acme.com"]})
    settings_read, patch_landed = threading.Event(), threading.Event()
    load_settings, patch_tenant = server.state.load_settings, server.state.patch_tenant

    def held_settings_answer(tenant_id: str) -> dict[str, Any]:
        answer = load_settings(tenant_id)  # read now, answered later: the worst interleaving
        settings_read.set()
        patch_landed.wait(timeout=HOLD_SECONDS)
        return answer

    def signalling_patch(body: Any) -> dict[str, Any]:
        result = patch_tenant(body)
        patch_landed.set()
        return result

    monkeypatch.setattr(server.state.tenants, "load_settings", held_settings_answer)
    monkeypatch.setattr(server.state.tenants, "patch", signalling_patch)
    settings_worker = _start(server, store, "settings")
    domains_worker = _start(server, store, "domains")
    try:
        _go(settings_worker)
        assert settings_read.wait(timeout=30), "the settings worker never read the settings"
        _go(domains_worker)  # while the settings answer is held back
        results = {"settings": _result(settings_worker), "domains": _result(domains_worker)}
    finally:
        for worker in (settings_worker, domains_worker):
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    monkeypatch.undo()
    live = server.state.load_settings(TENANT)
    return {
        **results,
        "domains_live": live["selfProvisioningDomains"],
        "session": (live.get("sessionTokenExpiration"), live.get("sessionTokenExpirationUnit")),
    }


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_two_processes_changing_one_tenants_settings_and_domains_both_land(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    with EmulatorServer() as server:
        race = _race(server, _store(kind, tmp_path, request), monkeypatch)
    assert race["settings"]["ok"] and race["domains"]["ok"], race
    assert race["domains_live"] == NEW_DOMAINS, race  # the patch was not undone
    assert race["session"] == (45, "minutes"), race
    # The patch waited for the settings write (the held answer, about HOLD_SECONDS).
    assert race["domains"]["seconds"] >= HOLD_SECONDS * 0.8, race


def test_without_a_lock_shared_by_the_processes_the_settings_write_undoes_the_patch(
    tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same race with `memory` (each process's own lock only): the forcing works, so the test
    above would fail with a lock that does not reach the other process."""
    with EmulatorServer() as server:
        race = _race(server, "memory", monkeypatch)
    assert race["settings"]["ok"] and race["domains"]["ok"], race
    assert race["domains_live"] == ["acme.com"], race  # reverted by the stale settings body
    assert race["domains"]["seconds"] < HOLD_SECONDS * 0.8, race


# ---- the lock itself, on both stores ---------------------------------------------------------------


def _locks(kind: str, tmp_path: Path, request: pytest.FixtureRequest, holder: str) -> StoreLocks:
    if kind == "sqlite":
        return SqliteLocks(str(tmp_path / "locks.sqlite"), holder)
    import redis

    url: str = request.getfixturevalue("redis_url")
    return RedisLocks(redis.Redis.from_url(url), f"test-locks:{tmp_path.name}", holder)


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_bounded_wait_ends_in_an_error_naming_the_holder(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    first = _locks(kind, tmp_path, request, "stack prod (CI job 17)")
    second = _locks(kind, tmp_path, request, "stack staging")
    first.acquire("P1|tenant|acme", wait=1, lease=60, what="the tenant 'acme'")
    with pytest.raises(ObjectLockTimeoutError) as caught:
        second.acquire("P1|tenant|acme", wait=0.3, lease=60, what="the tenant 'acme'")
    message = str(caught.value)
    assert "the tenant 'acme' is locked by stack prod (CI job 17)" in message
    assert f"pid {os.getpid()}" in message and "let it finish and run again" in message
    second.acquire("P1|tenant|other", wait=0.3, lease=60, what="the tenant 'other'")  # per object
    first.release("P1|tenant|acme")
    second.acquire("P1|tenant|acme", wait=0.3, lease=60, what="the tenant 'acme'")


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_lock_left_by_a_dead_process_is_taken_at_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    holder = _locks(kind, tmp_path, request, "a killed run")
    dead = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    # The record of a process that then dies without releasing (as a SIGKILLed plugin would).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "getpid", lambda: dead.pid)
        holder.acquire("P1|tenant|acme", wait=1, lease=600, what="the tenant 'acme'")
    dead.kill()
    dead.wait()
    taker = _locks(kind, tmp_path, request, "the next run")
    taker.acquire("P1|tenant|acme", wait=0.5, lease=60, what="the tenant 'acme'")


# ---- through the client ----------------------------------------------------------------------------


def live_domains(server: EmulatorServer) -> list[str]:
    tenant = server.state.get_tenant(TENANT)
    assert tenant is not None
    domains: list[str] = tenant["selfProvisioningDomains"]
    return domains


def test_a_client_waits_at_most_its_call_deadline_for_another_process_and_names_it(tmp_path: Path) -> None:
    store = RateLimitStore.parse(f"sqlite://{tmp_path / 'ratelimit.sqlite'}")
    with EmulatorServer() as server:
        server.state.create_tenant({"id": TENANT, "name": "Acme", "selfProvisioningDomains": ["acme.com"]})
        settings = ClientSettings(
            project_id=server.project_id,
            management_key=server.management_key,
            base_url=server.url,
            rate_limit_store=store,
            call_deadline_seconds=0.5,
        )
        client = DescopeClient(settings)
        other = SqliteLocks(store.location, "stack prod, another CI job")
        other.acquire(f"{server.project_id}|tenant|{TENANT}", wait=1, lease=60, what="the tenant")
        with pytest.raises(
            ObjectLockTimeoutError, match=r"the tenant 'acme' is locked by stack prod, another CI job"
        ):
            client.patch_tenant(TENANT, {"self_provisioning_domains": NEW_DOMAINS})
        assert live_domains(server) == ["acme.com"]  # nothing was sent
        other.release(f"{server.project_id}|tenant|{TENANT}")
        # Re-entrant within the process: a patch inside a settings lock takes the store's lock once.
        with client.object_lock("tenant", TENANT):
            client.patch_tenant(TENANT, {"self_provisioning_domains": NEW_DOMAINS})
        assert live_domains(server) == NEW_DOMAINS
        client.close()
