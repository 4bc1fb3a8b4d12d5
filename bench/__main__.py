"""`python -m bench [NAME ...] [--quick] [--list]`: run the benchmarks (all, or the named ones) and
print one JSON object per line; the same lines go to bench/results.jsonl (truncated first when all
benchmarks run, appended to otherwise)."""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # `tests.support` and `bench` import from the repo root
    sys.path.insert(0, str(REPO_ROOT))

from bench.common import RESULTS_PATH, Options, note  # noqa: E402

# Cheapest first; the two engine benchmarks last (they share one 100-tenant stack).
MODULES = (
    "bench.refresh_api_requests",
    "bench.request_cost",
    "bench.export_requests",
    "bench.provider_overhead",
    "bench.plugin_peak_rss",
    "bench.quota_throughput",
    "bench.shared_budget",
    "bench.share_respected",
    "bench.memberships_quota",
    "bench.engine_overhead",
    "bench.state_bytes",
    "bench.large_stack",
    "bench.scale",  # the longest (300, 1000 and 3000 tenants): last
)


def _load() -> list[ModuleType]:
    return [importlib.import_module(name) for name in MODULES]


def _selected(modules: list[ModuleType], names: list[str]) -> list[ModuleType]:
    """A benchmark matches by its short name (`quota_throughput`), one of its metric names
    (`quota_throughput_ratio`) or a unique prefix of either."""
    chosen: list[ModuleType] = []
    for wanted in names:
        exact = [m for m in modules if wanted == m.NAME or wanted in m.METRICS]
        matches = exact or [
            m for m in modules if m.NAME.startswith(wanted) or any(x.startswith(wanted) for x in m.METRICS)
        ]
        if len(matches) != 1:
            known = ", ".join(m.NAME for m in modules)
            raise SystemExit(f"bench: {wanted!r} matches {len(matches)} benchmarks; choose from: {known}")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return [m for m in modules if m in chosen]  # always in the canonical order


def _cli_available() -> bool:
    if shutil.which("pulumi") and shutil.which("pulumi-resource-pulumi-python"):
        return True
    try:
        from tests.support.engine import pulumi_bin_dir

        return bool(pulumi_bin_dir())
    except Exception:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks or metrics to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run, not comparable)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their metrics")
    args = parser.parse_args(argv)

    modules = _load()
    if args.list:
        for module in modules:
            cli = " (needs the Pulumi CLI)" if module.NEEDS_CLI else ""
            print(f"{module.NAME}: {', '.join(module.METRICS)}{cli}")
        return 0
    chosen = _selected(modules, args.names) if args.names else modules
    if not args.names:
        RESULTS_PATH.write_text("")

    options = Options(quick=args.quick)
    failed: list[str] = []
    cli_ok: bool | None = None
    started = time.perf_counter()
    for module in chosen:
        if module.NEEDS_CLI:
            cli_ok = _cli_available() if cli_ok is None else cli_ok
            if not cli_ok:
                note(f"{module.NAME}: skipped, the Pulumi CLI is not available (see `make pulumi-cli`)")
                failed.append(module.NAME)
                continue
        began = time.perf_counter()
        try:
            module.run(options)
        except Exception:
            traceback.print_exc()
            note(f"{module.NAME}: FAILED")
            failed.append(module.NAME)
        note(f"{module.NAME}: {time.perf_counter() - began:.1f} s")
    for cleanup in options.cleanups:
        cleanup()
    note(f"total {time.perf_counter() - started:.1f} s; results in {RESULTS_PATH}")
    if failed:
        note(f"not measured: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
