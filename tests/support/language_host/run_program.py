"""Runs one Pulumi Python program for the test language host (host.py), in the project's interpreter.

`python -u run_program.py --monitor ADDR --engine ADDR --project P --stack S --organization O
--root_directory DIR --dry_run true|false --parallel N PROGRAM [ARGS...]`, with the stack config in
`PULUMI_CONFIG` / `PULUMI_CONFIG_SECRET_KEYS` (JSON). It configures `pulumi.runtime` from these, then
runs PROGRAM (a directory with `__main__.py`, or a file) as `__main__`, as `python PROGRAM` would.
An exception in the program is logged to the engine with the program's own frames only and exits
with code 32, which the host reports as "error already shown" (the CLI then prints no extra noise).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import runpy
import sys
import traceback
from pathlib import Path

import pulumi
import pulumi.runtime

EXIT_ERROR_SHOWN = 32


def user_frames(program: Path) -> str:
    """The traceback of the exception being handled, from the first frame in the program's directory."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    start = next(  # ("<frozen runpy>" is a relative name: it would resolve into the working directory)
        (
            i
            for i, frame in enumerate(frames)
            if Path(frame.filename).is_absolute() and Path(frame.filename).resolve().is_relative_to(program)
        ),
        0,
    )
    return traceback.format_exc(limit=-(len(frames) - start))


def main() -> int:
    parser = argparse.ArgumentParser()
    for flag in ("monitor", "engine", "project", "stack", "organization", "root_directory", "dry_run"):
        parser.add_argument(f"--{flag}", default="")
    parser.add_argument("--parallel", type=int, default=0)
    parser.add_argument("program")
    parser.add_argument("args", nargs="*")
    args = parser.parse_args()

    pulumi.runtime.set_all_config(
        json.loads(os.environ.get("PULUMI_CONFIG") or "{}"),
        json.loads(os.environ.get("PULUMI_CONFIG_SECRET_KEYS") or "[]"),
    )
    pulumi.runtime.configure(
        pulumi.runtime.Settings(
            monitor=args.monitor,
            engine=args.engine,
            project=args.project,
            stack=args.stack,
            parallel=args.parallel,
            dry_run=args.dry_run == "true",
            organization=args.organization or None,
            root_directory=args.root_directory or None,
        )
    )
    program = Path(args.program).resolve()
    entry = program / "__main__.py" if program.is_dir() else program
    if not entry.exists():
        pulumi.log.error(f"unable to find the main Python program {entry}")
        return EXIT_ERROR_SHOWN
    # As `python PROGRAM`: the program's directory is importable (sibling modules) and its argv is its own.
    sys.path.insert(0, str(entry.parent))
    sys.argv = [str(entry), *args.args]

    def run() -> None:
        runpy.run_path(str(entry), run_name="__main__")

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(run))
    except pulumi.RunError as exc:
        pulumi.log.error(str(exc))
        return 1
    except Exception:
        pulumi.log.error("Program failed with an unhandled exception:\n" + user_frames(entry.parent))
        return EXIT_ERROR_SHOWN
    finally:
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
