"""`pulumi-descope drift`: the stacks' state (`pulumi stack export`) against the live project.

Nothing is written anywhere: not to Descope (list requests only), not to the stacks (no refresh;
`pulumi stack export` only reads). Three findings:

- drifted: a managed object whose live value of a field the program sets differs from the stack's
  value (both normalised by the field's check, compared as the provider's diff compares them);
- gone: a managed object that no longer exists in Descope;
- unmanaged: a live object (not a built-in) that no listed stack manages. Tenant settings are
  never unmanaged: every tenant has them (kinds.TENANT_SETTINGS says why);
- conflicts: an object more than one listed stack manages (a tenant moved between shard stacks by
  declaring it in the new one without `pulumi state move`): each `up` reverts the other's edits and a
  `destroy` of either deletes it from under the other.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_descope_dynamic_provider.catalogue import MANAGED_INPUTS, canonical

from .kinds import Kind

# How `pulumi stack export` marks an encrypted value (the engine's secret signature).
_SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"


class DriftError(Exception):
    """Drift could not be determined; the message says why and what to do."""


@dataclass(frozen=True)
class Managed:
    stack: str
    kind: Kind
    urn: str
    id: str
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any]

    @property
    def resource(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


def stack_export(pulumi: str, stack: str | None, cwd: Path | None) -> dict[str, Any]:
    args = [pulumi, "stack", "export", "--non-interactive"]
    if stack:
        args += ["--stack", stack]
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DriftError(
            f"the Pulumi CLI {pulumi!r} was not found; install it or pass --pulumi PATH"
        ) from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise DriftError(
            f"`{' '.join(args[1:])}` failed in {cwd or Path.cwd()}: {' '.join(detail[-3:])}; check --stack, "
            "--cwd (the directory of Pulumi.yaml) and that you are logged in to the stack's backend"
        )
    try:
        exported: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise DriftError(f"`{' '.join(args[1:])}` did not print a deployment: {exc}") from None
    return exported


def managed_objects(exported: Mapping[str, Any], stack: str, kinds: tuple[Kind, ...]) -> list[Managed]:
    """The Descope objects a stack manages (not those it only reads with `.get()`)."""
    wanted = {kind.type_token: kind for kind in kinds}
    found = []
    for resource in (exported.get("deployment") or {}).get("resources") or []:
        kind = wanted.get(resource.get("type", ""))
        if kind is None or resource.get("external") or resource.get("delete") or not resource.get("id"):
            continue
        found.append(
            Managed(
                stack=stack,
                kind=kind,
                urn=resource["urn"],
                id=resource["id"],
                inputs=resource.get("inputs") or {},
                outputs=resource.get("outputs") or {},
            )
        )
    return found


def stack_config(exported: Mapping[str, Any]) -> dict[str, str]:
    """The `descope:*` settings the stack gave the provider (the engine keeps them in its default
    provider's state entry), plain values only: the management key is a secret and stays there."""
    for resource in (exported.get("deployment") or {}).get("resources") or []:
        if resource.get("type") == "pulumi:providers:pulumi-python":
            inputs = resource.get("inputs") or {}
            return {
                key: value
                for key, value in inputs.items()
                if key.startswith("descope:") and isinstance(value, str) and value
            }
    return {}


def _is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and _SECRET_SIGNATURE in value


def compare(
    managed: list[Managed], live: Mapping[str, list[Any]], kinds: tuple[Kind, ...]
) -> dict[str, list[dict[str, Any]]]:
    drifted: list[dict[str, Any]] = []
    gone: list[dict[str, Any]] = []
    managed_ids: dict[str, set[str]] = {kind.key: set() for kind in kinds}
    live_by_id = {kind.key: {kind.live_id(obj): obj for obj in live.get(kind.key, [])} for kind in kinds}
    for obj in managed:
        spec = obj.kind.spec
        managed_ids[obj.kind.key].add(obj.id)
        where = {
            "stack": obj.stack,
            "type": spec.type_name,
            "resource": obj.resource,
            "id": obj.id,
            "label": obj.kind.label(obj.outputs, obj.id),
            "urn": obj.urn,
        }
        current = live_by_id[obj.kind.key].get(obj.id)
        if current is None:
            if obj.kind.lists_all:
                gone.append(where)
            continue
        live_values = obj.kind.stack_view(current, obj.inputs)
        names = obj.outputs.get(MANAGED_INPUTS) or obj.inputs.get(MANAGED_INPUTS) or []
        for name in sorted(names):
            if name not in spec.input_names:
                continue
            if not spec.field(name).in_descope:
                continue  # adopt, cascade_delete, a write-only secret, rotation triggers
            stack_value = obj.inputs.get(name, obj.outputs.get(name))
            if stack_value is None or _is_secret(stack_value):
                continue
            live_value = live_values.get(name)
            if canonical(stack_value) != canonical(live_value):
                drifted.append({**where, "field": name, "stack_value": stack_value, "live_value": live_value})
    claims: dict[tuple[str, str], list[Managed]] = {}
    for obj in managed:
        claims.setdefault((obj.kind.key, obj.id), []).append(obj)
    conflicts = [
        {
            "type": objs[0].kind.spec.type_name,
            "id": objs[0].id,
            "label": objs[0].kind.label(objs[0].outputs, objs[0].id),
            "stacks": sorted({obj.stack for obj in objs}),
        }
        for objs in claims.values()
        if len({obj.stack for obj in objs}) > 1
    ]
    unmanaged = [
        {"type": kind.spec.type_name, "id": live_id, "label": kind.label(kind.live_values(obj), live_id)}
        for kind in kinds
        for live_id, obj in live_by_id[kind.key].items()
        # A part of another object (tenant settings) is never unmanaged: see kinds.TENANT_SETTINGS.
        if kind.standalone and live_id not in managed_ids[kind.key] and not kind.built_in(obj)
    ]
    return {
        "drifted": sorted(drifted, key=lambda d: (d["type"], d["stack"], d["resource"], d["field"])),
        "gone": sorted(gone, key=lambda d: (d["type"], d["stack"], d["resource"])),
        "unmanaged": sorted(unmanaged, key=lambda d: (d["type"], d["id"])),
        "conflicts": sorted(conflicts, key=lambda d: (d["type"], d["id"])),
    }


def report(
    project_id: str,
    stacks: list[str],
    kinds: tuple[Kind, ...],
    managed: list[Managed],
    live: Mapping[str, list[Any]],
    *,
    requests: int,
) -> dict[str, Any]:
    """The report `--json` prints (keys sorted on output; lists sorted by compare())."""
    findings = compare(managed, live, kinds)
    counts = {
        "managed": len(managed),
        "drifted_objects": len({(d["stack"], d["urn"]) for d in findings["drifted"]}),
        "drifted_fields": len(findings["drifted"]),
        "gone": len(findings["gone"]),
        "unmanaged": len(findings["unmanaged"]),
        "conflicts": len(findings["conflicts"]),
        "requests": requests,
    }
    return {
        "project_id": project_id,
        "stacks": stacks,
        "types": [kind.spec.type_name for kind in kinds],
        **findings,
        "counts": counts,
        "drift": bool(
            findings["drifted"] or findings["gone"] or findings["unmanaged"] or findings["conflicts"]
        ),
    }


def _shown(value: Any, width: int = 40) -> str:
    text = "-" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 3] + "..."


def render_table(report: Mapping[str, Any]) -> str:
    rows = [("STATUS", "TYPE", "OBJECT", "STACK", "FIELD", "STACK VALUE", "LIVE VALUE")]
    for d in report["drifted"]:
        rows.append(
            (
                "drifted",
                d["type"],
                d["label"],
                d["stack"],
                d["field"],
                _shown(d["stack_value"]),
                _shown(d["live_value"]),
            )
        )
    for d in report["gone"]:
        rows.append(("gone", d["type"], d["label"], d["stack"], "", "", "(deleted)"))
    for d in report["unmanaged"]:
        rows.append(("unmanaged", d["type"], d["label"], "", "", "(no stack)", ""))
    for d in report["conflicts"]:
        rows.append(("conflict", d["type"], d["label"], ",".join(d["stacks"]), "", "(several stacks)", ""))
    counts = report["counts"]
    summary = (
        f"{counts['drifted_fields']} drifted field(s) on {counts['drifted_objects']} object(s), "
        f"{counts['gone']} gone, {counts['unmanaged']} unmanaged"
        + (f", {counts['conflicts']} in several stacks" if counts["conflicts"] else "")
        + f"; {counts['managed']} managed object(s) "
        f"in stack(s) {', '.join(report['stacks'])} of project {report['project_id']}"
    )
    if len(rows) == 1:
        return f"No drift: {summary}\n"
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    return "\n".join([*lines, "", f"Drift: {summary}"]) + "\n"
