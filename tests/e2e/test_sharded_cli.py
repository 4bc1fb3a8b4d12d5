"""examples/tenants-sharded as the README runs it: one customers file, three shard stacks applied by
three `pulumi up` processes at once against one emulator quota, their budget shared through a real
redis-server (`descope:rateLimitStore`), then one `pulumi-descope drift` over the three stacks.

The timing claim, made precise. The quota admits at most Q requests in any W seconds (a sliding
window), so N admitted requests span at least L = floor((N - 1) / Q) * W seconds from the first
arrival to the last: the least time the quota allows for them. The run is sized so L is one window
(Q <= N - 1) and the shared client budget B also needs just one more window (N - 1 < 2B); a budget
each process spent alone would meet 429s, one split three ways would take about three windows.
Asserted: the requests' span (first to last arrival, on the emulator's clock) is within 10% of L.
The rest of the wall time is the engines' own and is measured and printed, not hidden: start-up
(launching the three CLIs to the first request) and shutdown (the last request to the last exit).

Margins (tests/reliability/test_shared_budget.py explains the leave-to-arrive drift): W = 40 s and
B = Q - 15, so the first requests may arrive up to about a second later than they left (15 requests
at the engines' pace) before a request of the second window meets a 429; the 20 or so requests past
B in the first window go at the pace the first 20 went, about a second after the window reopens.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml
from descope.descope_client import DescopeClient as OfficialClient
from descope_emulator import EmulatorServer, Quota

from tests.support.cli import CLIResult, PulumiProject, changes, pulumi_bin_dir
from tests.support.redis_server import redis_server

pytestmark = pytest.mark.e2e

EXAMPLE = "examples/tenants-sharded"
CLI = str(Path(sys.executable).parent / "pulumi-descope")
STACKS = ("a", "b", "c")  # shards 0, 1, 2
QUOTA = Quota(80, 40)
BUDGET = f"{QUOTA.requests - 15}/{QUOTA.seconds:g}"
PLAIN = 72  # tenants without children or settings, besides those below
MAX_429_SHARE = 0.02


def customers_file() -> dict[str, Any]:
    """About 85 requests: 76 tenant creates, two settings (read, write), a tree's tenant list, the
    license handshakes."""
    tenants: list[dict[str, Any]] = [
        {"id": f"customer-{i:03d}", "name": f"Customer {i:03d}"} for i in range(PLAIN)
    ]
    tenants += [
        {"id": "acme", "name": "Acme", "domains": ["acme.com"]},
        {"id": "acme-eu", "name": "Acme Europe", "parent": "acme"},  # in acme's shard, created after it
        {"id": "hooli", "name": "Hooli", "shard": 0, "settings": {"session_token_expiration": "15m"}},
        {
            "id": "initech",
            "name": "Initech",
            "settings": {"inactivity_time": "2h", "enable_inactivity": True},
        },
    ]
    return {"tenants": tenants}


def configure_example(project: PulumiProject, redis_url: str) -> None:
    """The copy's Pulumi.yaml with this run's Redis and budget (the example says localhost and 90/60),
    and the customers file sized for the quota."""
    pulumi_yaml = project.dir / "Pulumi.yaml"
    settings = yaml.safe_load(pulumi_yaml.read_text())
    assert settings["config"]["descope:rateLimitStore"].startswith("redis://")
    assert settings["config"]["shardStacks"]["default"] == list(STACKS)
    settings["config"].update({"descope:rateLimitStore": redis_url, "descope:rateLimit": BUDGET})
    pulumi_yaml.write_text(yaml.safe_dump(settings, sort_keys=False))
    (project.dir / "customers.yaml").write_text(yaml.safe_dump(customers_file(), sort_keys=False))


def drift(project: PulumiProject, *args: str) -> subprocess.CompletedProcess[str]:
    command = [CLI, "drift", "--pulumi", str(Path(pulumi_bin_dir()) / "pulumi"), *args]
    return subprocess.run(
        command, cwd=project.dir, env=project.env, capture_output=True, text=True, check=False
    )


def test_three_shards_apply_in_parallel_on_one_quota_and_drift_names_the_owning_shard(tmp_path: Path) -> None:
    (tmp_path / "redis").mkdir()
    with redis_server(tmp_path / "redis") as url, EmulatorServer(quota=QUOTA) as server:
        connection = {
            "DESCOPE_PROJECT_ID": server.project_id,
            "DESCOPE_BASE_URL": server.url,
            "DESCOPE_MANAGEMENT_KEY": server.management_key,
        }
        project = PulumiProject.from_example(tmp_path, EXAMPLE, cwd=EXAMPLE, env=connection)
        configure_example(project, url)
        for stack in STACKS:
            project.run("stack", "init", stack)

        launched = time.time()
        with ThreadPoolExecutor(len(STACKS)) as pool:
            ups: list[CLIResult] = list(
                pool.map(lambda stack: project.run("up", "--yes", "--stack", stack), STACKS)
            )
        exited = time.time()
        log = [entry for entry in server.requests() if entry["path"].startswith("/v1/")]
        stats = server.stats()
        live = server.state.all_tenants()["tenants"]

        # --- 0 failures (each `up` exited 0: run() raises otherwise), 0 duplicates ---------------
        expected = {tenant["id"] for tenant in customers_file()["tenants"]}
        assert sorted(t["id"] for t in live) == sorted(expected)
        assert len({t["name"] for t in live}) == len(live)
        creates = stats["requests"]["POST /v1/mgmt/tenant/create"]
        assert creates.get("200", 0) == len(expected), creates  # one create each, none repeated
        with ThreadPoolExecutor(len(STACKS)) as pool:
            outputs = list(
                pool.map(
                    lambda s: json.loads(project.run("stack", "output", "--json", "--stack", s).stdout),
                    STACKS,
                )
            )
        owned = {stack: set(out["tenant_ids"]) for stack, out in zip(STACKS, outputs, strict=True)}
        assert [out["shard"] for out in outputs] == [0, 1, 2]
        assert sum(len(ids) for ids in owned.values()) == len(expected)  # disjoint...
        assert set().union(*owned.values()) == expected  # ...and all of them
        assert all(len(ids) >= PLAIN // 6 for ids in owned.values()), owned  # the hash spreads them
        assert {"hooli"} <= owned["a"]  # pinned to shard 0
        assert any({"acme", "acme-eu"} <= ids for ids in owned.values())  # a tree stays in one stack
        for stack, up in zip(STACKS, ups, strict=True):
            settings = len({"hooli", "initech"} & owned[stack])
            assert changes(up) == {"create": len(owned[stack]) + settings + 1}, up.output

        # --- the quota: 429s and time ---------------------------------------------------------
        admitted = sorted(entry["time"] for entry in log if entry["status"] != 429)
        rate_limited = sum(1 for entry in log if entry["status"] == 429)
        sent = len(log)
        assert sent == stats["total"]  # the log kept every request
        n = len(admitted)
        limit = math.floor((n - 1) / QUOTA.requests) * QUOTA.seconds
        span = admitted[-1] - admitted[0]
        budget = int(BUDGET.split("/")[0])
        measured = {
            "requests": sent,
            "admitted": n,
            "429s": rate_limited,
            "quota_limit_s": limit,
            "span_s": round(span, 2),
            "span_over_limit": round(span / limit, 3) if limit else None,
            "startup_s": round(admitted[0] - launched, 2),
            "shutdown_s": round(exited - admitted[-1], 2),
            "wall_s": round(exited - launched, 2),
            "per_stack_s": [round(up.seconds, 2) for up in ups],
        }
        print(f"sharded apply: {measured}")
        assert QUOTA.requests <= n - 1 < 2 * budget, f"resize the run: {measured}"  # one window each
        assert rate_limited <= MAX_429_SHARE * sent, measured
        assert span >= limit - 1.0, measured  # the quota did bind (the budget, not 429s, paced it)
        assert span <= 1.10 * limit, measured

        # --- drift over the three shards, after a console edit -------------------------------
        server.set_quota(None)  # the measurement is over; tonight's drift run meets a fresh window
        redis.Redis.from_url(url).flushdb()
        edited = sorted(owned["b"] - {"acme", "acme-eu", "hooli", "initech"})[0]
        console = OfficialClient(
            project_id=server.project_id, management_key=server.management_key, base_url=server.url
        )
        console.mgmt.tenant.update(edited, name="Renamed In The Console")
        found = drift(
            project,
            "--stack",
            "a",
            "--stack",
            "b",
            "--stack",
            "c",
            "--only",
            "tenants,tenant_settings",
            "--json",
        )
        assert found.returncode == 1, found.stderr
        report = json.loads(found.stdout)
        assert report["stacks"] == list(STACKS)
        assert [(d["stack"], d["id"], d["field"], d["live_value"]) for d in report["drifted"]] == [
            ("b", edited, "name", "Renamed In The Console")
        ]
        assert report["gone"] == [] and report["unmanaged"] == [] and report["conflicts"] == []
        assert report["counts"]["managed"] == len(expected) + 2  # tenants and two settings
