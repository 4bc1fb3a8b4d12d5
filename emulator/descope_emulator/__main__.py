"""Command line: ``descope-emulator [--host H] [--port P] [--project-id ID] [--management-key KEY]
[--rate-limit N/SECONDS] [--fault-rate P] [--slow-seconds S] [--seed S] [--state FILE]
[--license-tier TIER] [--log-level LEVEL]``.

Once listening it prints exactly one line, ``http://HOST:PORT``, on stdout and serves until SIGTERM or
SIGINT, then exits 0. Everything else (logs) goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

from descope_emulator.app import DEFAULT_MANAGEMENT_KEY, DEFAULT_PROJECT_ID
from descope_emulator.errors import DescopeError
from descope_emulator.faults import FaultConfig
from descope_emulator.quota import Quota
from descope_emulator.server import EmulatorServer


def _quota(text: str) -> Quota:
    try:
        return Quota.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--rate-limit wants N/SECONDS, e.g. 100/60 ({exc})") from exc


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("--fault-rate must be between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="descope-emulator", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--project-id", default=DEFAULT_PROJECT_ID)
    parser.add_argument("--management-key", default=DEFAULT_MANAGEMENT_KEY)
    parser.add_argument("--rate-limit", type=_quota, default=None, metavar="N/SECONDS")
    parser.add_argument(
        "--fault-rate",
        type=_probability,
        default=0.0,
        metavar="P",
        help="probability that a /v1/ request meets a fault: 5xx, reset, slow or lost response, uniformly",
    )
    parser.add_argument("--slow-seconds", type=float, default=2.0, help="delay of a slow fault")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault sequence and generated ids")
    parser.add_argument("--state", type=Path, default=None, metavar="FILE", help="JSON seed data to load")
    parser.add_argument(
        "--license-tier",
        default="tier1",
        help="answer of GET /v1/mgmt/license; requests that send it back in x-descope-license get the "
        "tier's quota: --rate-limit times 1, 2, 5 or 10 for tier1..tier4 (the emulator's choice)",
    )
    parser.add_argument("--log-level", default="INFO", help="stderr log level (DEBUG logs each request)")
    return parser


def serve(args: argparse.Namespace, stopping: threading.Event, out: TextIO) -> int:
    """Runs the emulator described by ``args`` until ``stopping`` is set; no signal handling here."""
    log = logging.getLogger(__name__)
    faults = FaultConfig.uniform(args.fault_rate, slow_seconds=args.slow_seconds) if args.fault_rate else None
    server = EmulatorServer(
        args.host,
        args.port,
        project_id=args.project_id,
        management_key=args.management_key,
        quota=args.rate_limit,
        faults=faults,
        seed=args.seed,
        license_tier=args.license_tier,
    )
    if args.state is not None:
        try:
            added = server.state.load(json.loads(args.state.read_text()))
        except (OSError, ValueError, DescopeError) as exc:
            log.error("cannot load %s: %s", args.state, exc)
            return 2
        log.info("loaded %d tenants from %s", added, args.state)

    server.start()
    try:
        print(server.url, file=out, flush=True)
        # A timed wait keeps the main thread responsive to signals on every platform.
        while not stopping.wait(0.2):
            pass
    finally:
        server.stop()
    log.info("descope emulator stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        return serve(args, stopping, sys.stdout)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == "__main__":
    sys.exit(main())
