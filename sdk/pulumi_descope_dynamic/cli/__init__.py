"""`pulumi-descope`: bring a live Descope project under code (`export`) and find what changed
outside Pulumi (`drift`). Both only read Descope: through the provider's client (same settings,
rate budget and retries) and a session that refuses anything but list and search requests.

Exit codes: export 0 = written, 2 = error; drift 0 = no drift, 1 = drift (a drifted field, a gone
object or an unmanaged object), 2 = error (bad arguments, settings, Descope or Pulumi unreachable).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from pulumi_descope_dynamic_provider.api.errors import DescopeError
from pulumi_descope_dynamic_provider.api.settings import ClientSettings, base_url_for_project

from . import drift as drift_
from . import export as export_
from .kinds import KIND_BY_KEY, Kind, select
from .live import Progress, client_for, read_live, settings_from

__all__ = ["ReadOnlySession", "WriteRefused", "main"]

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_ERROR = 2

_EPILOG_CONNECTION = (
    "Descope connection: --project-id/--base-url/--rate-limit, else DESCOPE_PROJECT_ID, DESCOPE_BASE_URL, "
    "DESCOPE_RATE_LIMIT (default 100/60, the provider's budget); the management key only from "
    "DESCOPE_MANAGEMENT_KEY."
)


class WriteRefused(RuntimeError):
    """A request that could change Descope reached the commands' session (a bug, never sent)."""


class ReadOnlySession(requests.Session):
    """The commands' HTTP session: counts requests and refuses any that could write, so a bug can
    never turn an export or a drift check into a change."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        verb = method.decode() if isinstance(method, bytes) else method
        path = urlsplit(url.decode() if isinstance(url, bytes) else url).path
        if not is_read(verb, path):
            raise WriteRefused(f"pulumi-descope only reads Descope; refused to send {verb} {path}")
        self.sent.append(f"{verb.upper()} {path}")
        return super().request(method, url, *args, **kwargs)


def is_read(method: str, path: str) -> bool:
    """A Descope management request that changes nothing: a GET, or a search (a POST with filters)."""
    return method.upper() == "GET" or path.endswith("/search")


def _connection_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Descope connection (the provider's descope:* settings)")
    group.add_argument("--project-id", help="descope:projectId (default: $DESCOPE_PROJECT_ID)")
    group.add_argument("--base-url", help="descope:baseUrl, e.g. the emulator (default: $DESCOPE_BASE_URL)")
    group.add_argument(
        "--rate-limit",
        help="descope:rateLimit REQUESTS/SECONDS or off (default: $DESCOPE_RATE_LIMIT or 100/60)",
    )
    group.add_argument(
        "--rate-limit-store", help="descope:rateLimitStore memory|sqlite|redis://... (default: memory)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _kinds_help() -> str:
    return ",".join(KIND_BY_KEY)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pulumi-descope",
        description="Bring a live Descope project under Pulumi (export) and detect drift (drift). "
        "Both only read Descope.",
        epilog="Exit codes: 0 success / no drift, 1 drift found (drift), 2 error. " + _EPILOG_CONNECTION,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    export = commands.add_parser(
        "export",
        help="write a Pulumi program declaring every live object with adopt=True",
        description="Read the live project (one list request per type) and write a Pulumi project: "
        "__main__.py declaring every object with adopt=True and references between objects as "
        "references, Pulumi.yaml, Pulumi.<stack>.yaml (project id, base URL; never the key) and "
        "requirements.txt. Built-in roles and system permissions are referenced by name, not declared. "
        "With --format yaml: tenants.<stack>.yaml, the customers file (docs/customers-file.md) that "
        "examples/tenants-from-yaml applies, holding the same objects, and Pulumi.<stack>.yaml, to put "
        "in a copy of that example. Tenant "
        "settings are exported only where they differ from a new tenant's (one request per tenant).",
        epilog="Exit codes: 0 written, 2 error. " + _EPILOG_CONNECTION,
    )
    export.add_argument("--format", choices=("python", "yaml"), default="python", help="default: python")
    export.add_argument(
        "--out", type=Path, default=Path("descope-export"), help="directory (default: ./descope-export)"
    )
    export.add_argument("--only", help=f"comma-separated types to export (default: all of {_kinds_help()})")
    export.add_argument(
        "--stack",
        default="dev",
        help="stack name for Pulumi.<stack>.yaml / tenants.<stack>.yaml (default: dev)",
    )
    export.add_argument(
        "--project-name", default="descope", help="Pulumi project name in Pulumi.yaml (default: descope)"
    )
    export.add_argument("--force", action="store_true", help="overwrite files that exist in --out")
    export.add_argument(
        "--users",
        help="comma-separated login ids whose tenant memberships to export (one load each); users are "
        "runtime data: without it none are read",
    )
    _connection_flags(export)

    drift = commands.add_parser(
        "drift",
        help="compare stacks' state with the live project: drifted, gone and unmanaged objects",
        description="Compare the state of the given stacks (`pulumi stack export`; nothing is refreshed "
        "or changed) with the live project (one list request per type): fields of managed objects whose "
        "live value differs from the stack's, managed objects deleted in Descope, and live objects no "
        "listed stack manages (built-ins excepted). List every stack that manages this project. The project "
        "id, base URL and budget default to the stacks' own descope:* config (then DESCOPE_*); the key "
        "comes from DESCOPE_MANAGEMENT_KEY.",
        epilog="Exit codes: 0 no drift, 1 drift, 2 error. " + _EPILOG_CONNECTION,
    )
    drift.add_argument(
        "--stack",
        action="append",
        default=[],
        metavar="NAME",
        help="a stack that manages the project (repeatable; default: the selected stack)",
    )
    drift.add_argument("--cwd", type=Path, help="the Pulumi project directory (default: the current one)")
    drift.add_argument("--json", action="store_true", help="print a stable JSON report on stdout (for CI)")
    drift.add_argument("--only", help=f"comma-separated types to check (default: all of {_kinds_help()})")
    drift.add_argument("--pulumi", default="pulumi", help="the Pulumi CLI to run (default: pulumi on PATH)")
    _connection_flags(drift)
    return parser


def _settings(args: argparse.Namespace, stack_config: Mapping[str, str] | None = None) -> ClientSettings:
    """Flags, then the stack's own `descope:*` config (drift: as the provider would use it), then
    the DESCOPE_* environment."""
    flags = {
        "projectId": args.project_id,
        "baseUrl": args.base_url,
        "rateLimit": args.rate_limit,
        "rateLimitStore": args.rate_limit_store,
    }
    from_stack = {key.removeprefix("descope:"): value for key, value in (stack_config or {}).items()}
    return settings_from({**from_stack, **{key: value for key, value in flags.items() if value}})


def _read(
    settings: ClientSettings,
    kinds: tuple[Kind, ...],
    progress: Progress,
    only_tenants: Mapping[str, set[str]] | None = None,
) -> tuple[dict[str, list[Any]], ReadOnlySession, float]:
    session = ReadOnlySession()
    client = client_for(settings, progress, session=session)
    try:
        live, seconds = read_live(client, kinds, progress, only_tenants=only_tenants)
    finally:
        client.close()
    return live, session, seconds


def run_export(args: argparse.Namespace) -> int:
    kinds = select(args.only)
    progress = Progress(quiet=args.quiet)
    settings = _settings(args)
    named = {login.strip() for login in (args.users or "").split(",") if login.strip()}
    live, session, seconds = _read(settings, kinds, progress, {"tenant_memberships": named})
    declarations = export_.plan(live, kinds)
    # The stack file names the base URL only where it is not the project's own Descope host.
    base_url = settings.base_url if settings.base_url != base_url_for_project(settings.project_id) else None
    files: dict[str, str] = {}
    if args.format == "python":
        files["__main__.py"] = export_.render_python(declarations, settings.project_id)
        files["Pulumi.yaml"] = export_.pulumi_yaml(args.project_name)
        files[f"Pulumi.{args.stack}.yaml"] = export_.stack_yaml(settings.project_id, base_url)
        files["requirements.txt"] = "pulumi-descope-dynamic\n"
    else:
        text, skipped = export_.render_yaml(declarations, settings.project_id)
        files[f"tenants.{args.stack}.yaml"] = text
        files[f"Pulumi.{args.stack}.yaml"] = export_.stack_yaml(settings.project_id, base_url)
        if skipped:
            progress.note(
                f"{', '.join(skipped)} not written: a tenant's objects go inside its entry of the customers "
                "file, and their tenants are not exported (add tenants to --only)"
            )
    written = export_.write_files(args.out, files, force=args.force)
    for kind in kinds:
        if kind.exportable and not kind.lists_all and not args.quiet:
            progress.note(
                f"{kind.key}: Descope lists none, so only those found through other objects (tenant "
                "attributes: the ones tenants hold values for) are exported; declare any other by hand "
                f"({kind.spec.type_name}(..., adopt=True))"
            )
    counts = {kind.key: sum(1 for d in declarations if d.kind is kind) for kind in kinds}
    progress.note(
        f"exported {', '.join(f'{n} {key}' for key, n in counts.items())} to {args.out} "
        f"({len(session.sent)} requests, {seconds:.2f} s): {', '.join(p.name for p in written)}"
    )
    return EXIT_OK


def run_drift(args: argparse.Namespace) -> int:
    kinds = select(args.only)
    progress = Progress(quiet=args.quiet)  # stderr: stdout stays the table or the JSON
    stacks = args.stack or [None]
    managed: list[drift_.Managed] = []
    names: list[str] = []
    configs: dict[str, dict[str, str]] = {}
    # One `pulumi stack export` per stack, at once: K shard stacks cost one export's wait, not K.
    with ThreadPoolExecutor(max_workers=min(8, len(stacks))) as pool:
        exports = list(pool.map(lambda stack: drift_.stack_export(args.pulumi, stack, args.cwd), stacks))
    for stack, exported in zip(stacks, exports, strict=True):
        name = stack or _selected_stack(args.pulumi, args.cwd)
        names.append(name)
        managed += drift_.managed_objects(exported, name, kinds)
        configs[name] = drift_.stack_config(exported)
    projects = {config["descope:projectId"] for config in configs.values() if "descope:projectId" in config}
    if len(projects) > 1:
        raise drift_.DriftError(
            f"the stacks manage different Descope projects ({', '.join(sorted(projects))}); run drift once "
            "per project, listing only that project's stacks"
        )
    # The first stack's settings that has any (a stack configured through the environment has none).
    settings = _settings(args, next((config for config in configs.values() if config), {}))
    for name, config in configs.items():
        if config.get("descope:projectId", settings.project_id) != settings.project_id:
            raise drift_.DriftError(
                f"stack {name!r} manages Descope project {config['descope:projectId']!r}, not "
                f"{settings.project_id!r} (--project-id); drop --project-id, or list the stacks of "
                f"{settings.project_id!r} only"
            )
    # A part of a tenant (settings) is never unmanaged, so only the managed ones are read: one request
    # per managed TenantSettings, not one per tenant.
    parts = {kind.key: {m.id for m in managed if m.kind is kind} for kind in kinds if not kind.standalone}
    live, session, _ = _read(settings, kinds, progress, parts)
    report = drift_.report(settings.project_id, names, kinds, managed, live, requests=len(session.sent))
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(drift_.render_table(report))
    return EXIT_DRIFT if report["drift"] else EXIT_OK


def _selected_stack(pulumi: str, cwd: Path | None) -> str:
    done = subprocess.run(
        [pulumi, "stack", "--show-name", "--non-interactive"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "(selected)"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "export":
            return run_export(args)
        return run_drift(args)
    except (ValueError, DescopeError, export_.ExportError, drift_.DriftError, WriteRefused) as exc:
        # SettingsError is a ValueError too; each message names the setting or file and the fix.
        print(f"pulumi-descope {args.command}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"pulumi-descope {args.command}: interrupted", file=sys.stderr)
        return EXIT_ERROR
