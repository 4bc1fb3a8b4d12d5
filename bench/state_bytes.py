"""state_bytes_per_tenant: how much `pulumi stack export` grows per Tenant.

(size of the export of a 100-tenant stack - size of the export of an empty stack) / 100, the exports
exactly as `pulumi stack export` prints them. Baseline, same run: the same per-resource growth of a
stack of 100 no-op dynamic resources (an id and the pickled provider, nothing else). Reuses the
stacks `engine_overhead_ratio` brought up when both run together.

The params break a tenant's bytes down: what the engine records about the program (`stackTrace`,
`sourcePosition`: the Python call stack at registration, about half of every resource) versus what
the provider controls (inputs, outputs).
"""

from __future__ import annotations

import json
from typing import Any, Final

from bench.common import Goal, Options, emit
from bench.engine_stacks import check_created, up

NAME: Final = "state_bytes"
METRICS: Final = ("state_bytes_per_tenant",)
NEEDS_CLI: Final = True

GOAL: Final = Goal("<=", 2048)
ENGINE_ONLY_FIELDS: Final = ("stackTrace", "sourcePosition")


def _pretty_size(document: Any) -> int:
    """Bytes of `document` printed the way `pulumi stack export` prints (4-space indented JSON)."""
    return len(json.dumps(document, indent=4).encode())


def _without_stack_traces(export: dict[str, Any]) -> dict[str, Any]:
    resources = [
        {key: value for key, value in resource.items() if key not in ENGINE_ONLY_FIELDS}
        for resource in export["deployment"].get("resources", [])
    ]
    return {**export, "deployment": {**export["deployment"], "resources": resources}}


def _field_bytes(export: dict[str, Any], type_suffix: str) -> dict[str, int]:
    """Per top-level field of the first resource of the type: its bytes as exported (approximately)."""
    mine = [
        r for r in export["deployment"].get("resources", []) if str(r.get("type", "")).endswith(type_suffix)
    ]
    if not mine:
        return {}
    return {key: _pretty_size({key: value}) for key, value in mine[0].items()}


def _stack_trace_frames(export: dict[str, Any], type_suffix: str) -> int:
    for resource in export["deployment"].get("resources", []):
        if str(resource.get("type", "")).endswith(type_suffix):
            return len(resource.get("stackTrace", []))
    return 0


def run(options: Options) -> None:
    count = options.size(100, 20)
    empty = up(options, "empty", 0)
    tenants = up(options, "tenants", count)
    noop = up(options, "noop", count)
    check_created(tenants)
    check_created(noop)
    texts = {
        name: run.stack.export_text()
        for name, run in (("empty", empty), ("tenants", tenants), ("noop", noop))
    }
    sizes = {name: len(text.encode()) for name, text in texts.items()}
    docs = {name: json.loads(text) for name, text in texts.items()}
    stripped = {name: _pretty_size(_without_stack_traces(doc)) for name, doc in docs.items()}
    emit(
        "state_bytes_per_tenant",
        (sizes["tenants"] - sizes["empty"]) / count,
        "bytes",
        GOAL,
        (sizes["noop"] - sizes["empty"]) / count,
        {
            "tenants": count,
            "export_bytes_tenants": sizes["tenants"],
            "export_bytes_empty": sizes["empty"],
            "export_bytes_noop": sizes["noop"],
            "per_tenant_reserialized": (_pretty_size(docs["tenants"]) - _pretty_size(docs["empty"])) / count,
            "per_tenant_without_stack_traces": (stripped["tenants"] - stripped["empty"]) / count,
            "per_noop_without_stack_traces": (stripped["noop"] - stripped["empty"]) / count,
            "tenant_field_bytes": _field_bytes(docs["tenants"], ":Tenant"),
            "stack_trace_frames": _stack_trace_frames(docs["tenants"], ":Tenant"),
            "baseline": "per-resource growth of a stack of no-op dynamic resources, same run",
        },
        options=options,
    )
