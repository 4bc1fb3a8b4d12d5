"""One of several processes sharing a Descope quota: `python -m tests.support.budget_worker PREFIX COUNT`.

It builds a real DescopeClient from the environment (DESCOPE_PROJECT_ID, DESCOPE_MANAGEMENT_KEY,
DESCOPE_BASE_URL, DESCOPE_RATE_LIMIT, DESCOPE_RATE_LIMIT_STORE: the path a provider takes), prints
`ready`, waits for a line on stdin (so every worker starts at once), creates COUNT tenants named
PREFIX-NNN from 4 threads (as the plugin runs them), and prints one JSON line: succeeded, errors
and the client events it saw. Used by tests/reliability/test_shared_budget.py and
bench/shared_budget.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from descope_emulator import EmulatorServer
from pulumi_descope_dynamic_provider.api.client import ClientEvent, DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings
from pulumi_descope_dynamic_provider.api.tenants import TenantRequest

THREADS = 4
REPO_ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    prefix, count = argv[0], int(argv[1])
    lock = threading.Lock()
    events: list[str] = []

    def on_event(event: ClientEvent) -> None:
        with lock:
            events.append(event.message)

    client = DescopeClient(ClientSettings.resolve({}), on_event=on_event)
    print("ready", flush=True)
    sys.stdin.readline()

    errors: list[str] = []
    succeeded = 0

    def create(index: int) -> None:
        nonlocal succeeded
        try:
            client.create_tenant(TenantRequest(name=f"{prefix}-{index:03d}"))
        except Exception as exc:  # reported to the parent, which asserts there are none
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}"[:500])
            return
        with lock:
            succeeded += 1

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(create, range(count)))
    client.close()
    print(json.dumps({"succeeded": succeeded, "errors": errors, "events": events}), flush=True)
    return 0


@dataclass
class SharedRun:
    """What the workers and the emulator saw of one run."""

    store: str
    processes: int
    creates: int
    succeeded: int
    requests: int
    rate_limited: int
    tenant_names: list[str]
    wall_s: float
    errors: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @property
    def rate_limited_share(self) -> float:
        return self.rate_limited / self.requests if self.requests else 0.0

    @property
    def duplicates(self) -> int:
        return len(self.tenant_names) - len(set(self.tenant_names))

    def params(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "processes": self.processes,
            "creates": self.creates,
            "succeeded": self.succeeded,
            "failures": len(self.errors),
            "requests": self.requests,
            "rate_limited_429": self.rate_limited,
            "rate_limited_share": self.rate_limited_share,
            "tenants_in_emulator": len(self.tenant_names),
            "duplicates": self.duplicates,
            "wall_s": self.wall_s,
            "errors": self.errors[:3],
        }


def run_workers(
    server: EmulatorServer,
    *,
    store: str,
    rate_limit: str,
    processes: int,
    creates_each: int,
    prefix: str,
    timeout: float = 300.0,
) -> SharedRun:
    """Start `processes` workers against `server`, release them at once, and collect what they and
    the emulator saw (requests and 429s counted from the start of this run)."""
    env = {
        **os.environ,
        "DESCOPE_PROJECT_ID": server.project_id,
        "DESCOPE_MANAGEMENT_KEY": server.management_key,
        "DESCOPE_BASE_URL": server.url,
        "DESCOPE_RATE_LIMIT": rate_limit,
        "DESCOPE_RATE_LIMIT_STORE": store,
    }
    before = server.stats()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.budget_worker", f"{prefix}-p{n}", str(creates_each)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            line = worker.stdout.readline().strip()
            if line != "ready":
                raise RuntimeError(f"a worker did not start (said {line!r}, exit {worker.poll()})")
        started = time.perf_counter()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=timeout)[0] for worker in workers]
        wall = time.perf_counter() - started
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    results: list[dict[str, Any]] = []
    for worker, output in zip(workers, outputs, strict=True):
        if worker.returncode != 0 or not output.strip():
            raise RuntimeError(f"a worker failed (exit {worker.returncode}): {output[-2000:]}")
        results.append(json.loads(output.strip().splitlines()[-1]))
    after = server.stats()
    return SharedRun(
        store=store,
        processes=processes,
        creates=processes * creates_each,
        succeeded=sum(int(r["succeeded"]) for r in results),
        requests=int(after["total"]) - int(before["total"]),
        rate_limited=int(after["rate_limited"]) - int(before["rate_limited"]),
        tenant_names=[
            str(tenant["name"])
            for tenant in server.state.all_tenants()["tenants"]
            if str(tenant["name"]).startswith(prefix + "-")
        ],
        wall_s=wall,
        errors=[error for r in results for error in r["errors"]],
        events=[event for r in results for event in r["events"]],
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
