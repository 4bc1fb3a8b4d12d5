"""`pulumi-descope export`: the live project as a Pulumi program (or the YAML file of
examples/tenants-from-yaml), every object declared with adopt=True (tenant settings, which have no
adopt, with their live values: configuring them writes nothing) and references as references.

The output depends only on the live objects: declarations are sorted by each kind's `order`, names
are made unique deterministically, so exporting an unchanged project twice gives identical files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import customers
from .kinds import KINDS, Index, Kind, Ref


class ExportError(Exception):
    """The export cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class SecretInput:
    """A write-only input Descope never returns: exported as a `pulumi config` secret to set."""

    config_key: str


@dataclass
class Declaration:
    kind: Kind
    live: Any
    live_id: str
    resource_name: str = ""
    var: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    depends_on: list[Ref] = field(default_factory=list)
    referenced: bool = False


def _slug(text: str) -> str:
    """A Pulumi resource name from a Descope id or name: lower case, letters, digits, `_.-`."""
    return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-.") or "unnamed"


def _unique(base: str, taken: set[str], joiner: str) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{joiner}{n}", n + 1
    taken.add(name)
    return name


def _refs(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


def _applies(secret: str, values: Mapping[str, Any], kind: Kind) -> bool:
    """Whether the live object needs the write-only `secret`: a block's secret (`oidc_client_secret`
    of `oidc`) only when the object has that block (a SAML configuration has no OIDC secret, and a
    placeholder for one would fail its preview on a config key nobody can set)."""
    block = next((f.name for f in kind.spec.inputs if secret.startswith(f"{f.name}_")), None)
    return block is None or values.get(block) is not None


def plan(objects: Mapping[str, list[Any]], kinds: tuple[Kind, ...]) -> list[Declaration]:
    """What to declare, in declaration order, with unique names and resolved references."""
    kinds = tuple(kind for kind in kinds if kind.exportable)
    exported = {kind.key: [o for o in objects.get(kind.key, []) if not kind.built_in(o)] for kind in kinds}
    index = Index(exported, kinds)
    position = {kind.key: n for n, kind in enumerate(kinds)}
    declarations = [
        Declaration(kind, live, kind.live_id(live)) for kind in kinds for live in exported[kind.key]
    ]

    def sort_key(d: Declaration) -> tuple[Any, ...]:
        order = d.kind.order(d.live, index)
        return (order[0], position[d.kind.key], *order[1:], d.live_id)

    declarations.sort(key=sort_key)
    names: dict[str, set[str]] = {}
    variables: set[str] = set()
    by_key: dict[tuple[str, str], Declaration] = {}
    for d in declarations:
        d.resource_name = _unique(
            _slug(d.kind.resource_name(d.live)), names.setdefault(d.kind.key, set()), "-"
        )
        d.var = _unique(f"{d.kind.var_prefix}_{re.sub(r'[^a-z0-9_]', '_', d.resource_name)}", variables, "_")
        values = d.kind.live_values(d.live)
        values.update(d.kind.links(d.live, index))
        secrets = {
            f.name: SecretInput(f"{d.resource_name}-{f.name}".replace("_", "-"))
            for f in d.kind.spec.remote_inputs
            if f.secret and _applies(f.name, values, d.kind)
        }
        # In the spec's field order, so every object of a kind reads the same way.
        merged = {**values, **secrets}
        d.inputs = {f.name: merged[f.name] for f in d.kind.spec.inputs if f.name in merged}
        d.depends_on = d.kind.depends_on(d.live, index)
        for ref in [*(ref for value in d.inputs.values() for ref in _refs(value)), *d.depends_on]:
            target = by_key.get((ref.kind, ref.live_id))
            if target is None:  # a kind's `order` puts it before what it refers to: a table bug
                raise ExportError(
                    f"{d.kind.spec.kind} {d.live_id!r} refers to {ref.kind} {ref.live_id!r}, which is not "
                    "declared before it; the kinds' order in pulumi_descope_dynamic/cli/kinds.py is wrong"
                )
            target.referenced = True
        by_key[(d.kind.key, d.live_id)] = d
    return declarations


# ---- Python -------------------------------------------------------------------------------------


def _python_value(value: Any, variables: Mapping[tuple[str, str], str]) -> str:
    if isinstance(value, Ref):
        return f"{variables[(value.kind, value.live_id)]}.{value.attribute}"
    if isinstance(value, SecretInput):
        return f"config.require_secret({value.config_key!r})"
    if isinstance(value, list):
        return "[" + ", ".join(_python_value(item, variables) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{key!r}: {_python_value(value[key], variables)}" for key in sorted(value))
        return "{" + ", ".join(items) + "}"
    return repr(value)


def _counts(declarations: list[Declaration]) -> str:
    counts: dict[str, int] = {kind.key: 0 for kind in KINDS}
    for d in declarations:
        counts[d.kind.key] = counts.get(d.kind.key, 0) + 1
    return ", ".join(f"{n} {key}" for key, n in counts.items() if n) or "no objects"


def render_python(declarations: list[Declaration], project_id: str) -> str:
    variables = {(d.kind.key, d.live_id): d.var for d in declarations}
    secrets = any(isinstance(v, SecretInput) for d in declarations for v in d.inputs.values())
    needs_pulumi = secrets or any(d.depends_on for d in declarations)
    lines = [
        f'"""Descope project {project_id} as `pulumi-descope export` found it: {_counts(declarations)}.',
        "",
        "Every object is declared with adopt=True: the first `pulumi up` takes the live objects over",
        "without changing them (zero writes when nothing changed since the export). Remove adopt=True",
        "after that first `up`: while it is set, a replacement would take over a live object too.",
    ]
    if any("adopt" not in d.kind.spec.input_names for d in declarations):
        lines += [
            "Tenant settings have no adopt: they exist with their tenant, and configuring settings",
            "that are already so writes nothing.",
        ]
    lines += [
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    if needs_pulumi:
        lines.append("import pulumi")
    lines += ["import pulumi_descope_dynamic as descope", "", "", "def program() -> None:"]
    if secrets:
        lines.append("    config = pulumi.Config()  # write-only secrets: `pulumi config set --secret KEY`")
    if not declarations:
        lines.append("    pass")
    for d in declarations:
        target = f"{d.var} = " if d.referenced else ""
        lines.append(f"    {target}descope.{d.kind.spec.type_name}(")
        lines.append(f"        {d.resource_name!r},")
        for name, value in d.inputs.items():
            lines.append(f"        {name}={_python_value(value, variables)},")
        if d.kind.spec.adoptable:
            lines.append("        adopt=True,")
        if d.depends_on:
            after = ", ".join(variables[(ref.kind, ref.live_id)] for ref in d.depends_on)
            lines.append(f"        opts=pulumi.ResourceOptions(depends_on=[{after}]),")
        lines.append("    )")
    lines += ["", "", 'if __name__ == "__main__":', "    program()", ""]
    return "\n".join(lines)


# ---- YAML (the format of examples/tenants-from-yaml) -------------------------------------------

# What PyYAML refuses to read unescaped (its reader's non-printable set), beyond what JSON escapes.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _yaml_scalar(value: Any) -> str:
    """JSON is YAML (flow style), so every value is written as JSON: strings quoted, no surprises
    such as `no` or `1e3` being read back as something else."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _plain(value: Any) -> Any:
    """A value as the customers file holds it: a reference as the id or name it stands for, a
    write-only secret as the `pulumi config` key to set (never the secret)."""
    if isinstance(value, Ref):
        return value.value
    if isinstance(value, SecretInput):
        return {"config": value.config_key}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _yaml_lines(entry: Mapping[str, Any], indent: str) -> list[str]:
    """One list item in block style: a nested list of entries (a tenant's roles) as block items,
    every other value as one JSON scalar."""
    lines: list[str] = []
    for key, value in entry.items():
        lead = f"{indent}{'- ' if not lines else '  '}{key}:"
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            lines.append(lead)
            for item in value:
                lines += _yaml_lines(item, indent + "    ")
        elif isinstance(value, dict) and key in customers.TENANT_PARTS:  # a single-object part
            lines.append(lead)
            lines += [f"{indent}    {name}: {_yaml_scalar(inner)}" for name, inner in value.items()]
        else:
            lines.append(f"{lead} {_yaml_scalar(value)}")
    return lines


def _entry(d: Declaration, part: customers.Part) -> dict[str, Any]:
    """The object's entry: its inputs by their spec names, but what the file's structure says."""
    skip = part.supplied | ({"tenant_id", "parent_tenant_id"} if part.type_name == "Tenant" else set())
    entry = {name: _plain(value) for name, value in d.inputs.items() if name not in skip}
    entry = {name: value for name, value in entry.items() if value is not None}
    if part.type_name == "Tenant":
        # Left out means the same as empty or off (customers.TENANT_DEFAULTS).
        entry = {"id": d.live_id, **{k: v for k, v in entry.items() if v or k == "name"}}
        if parent := _plain(d.inputs.get("parent_tenant_id")):
            entry["parent"] = parent
    if d.kind.spec.adoptable:
        entry["adopt"] = True
    return entry


def render_yaml(declarations: list[Declaration], project_id: str) -> tuple[str, list[str]]:
    """The customers file (pulumi_descope_dynamic.customers) and the kinds it could not hold: each
    object goes where `customers.PARTS` puts its type (a tenant's own objects inside the tenant's
    entry, project-level objects at the top); a tenant's object whose tenant is not in the file
    (`--only roles`) has no place, and is reported as not written."""
    tenant_part = customers.Part("tenants", "Tenant", False, "{id}")
    project: dict[str, list[dict[str, Any]]] = {}
    tenants: dict[str, dict[str, Any]] = {}
    inside: dict[str, dict[str, list[dict[str, Any]]]] = {}
    orphans: dict[str, set[str]] = {}
    for d in declarations:
        type_name = d.kind.spec.type_name
        tenant = _plain(d.inputs.get("tenant_id")) if type_name != "Tenant" else None
        if type_name == "Tenant":
            tenants[d.live_id] = _entry(d, tenant_part)
            continue
        part = next(
            (p for p in customers.PARTS if p.type_name == type_name and p.in_tenant == bool(tenant)), None
        )
        if part is None:
            orphans.setdefault("", set()).add(d.kind.key)
        elif part.in_tenant:
            inside.setdefault(str(tenant), {}).setdefault(part.key, []).append(_entry(d, part))
            orphans.setdefault(str(tenant), set()).add(d.kind.key)
        else:
            project.setdefault(part.key, []).append(_entry(d, part))
    lines = [
        f"# Descope project {project_id} as `pulumi-descope export` found it, in the customers file format",
        "# (pulumi_descope_dynamic.customers, docs/customers-file.md) that examples/tenants-from-yaml",
        "# applies. Every object is adopted by the first `pulumi up`.",
    ]
    for key in customers.PROJECT_PARTS:
        if project.get(key):
            lines.append(f"{key}:")
            for item in project[key]:
                lines += _yaml_lines(item, "  ")
    lines.append("tenants:" if tenants else "tenants: []")
    for tenant_id, entry in tenants.items():
        parts = inside.get(tenant_id, {})
        for key, part in customers.TENANT_PARTS.items():
            if parts.get(key):
                entry[key] = parts[key][0] if not part.many else parts[key]
        lines += _yaml_lines(entry, "  ")
    skipped = {kind for tenant, kinds in orphans.items() if tenant not in tenants for kind in kinds}
    return "\n".join(lines) + "\n", sorted(skipped)


# ---- the project files --------------------------------------------------------------------------


def pulumi_yaml(project_name: str) -> str:
    return (
        f"name: {project_name}\n"
        "description: Descope objects exported by `pulumi-descope export`\n"
        "runtime:\n"
        "  name: python\n"
        "  options:\n"
        "    toolchain: pip\n"
        "    virtualenv: venv\n"
    )


def stack_yaml(project_id: str, base_url: str | None) -> str:
    """The stack's config, without the management key (set it with `pulumi config set --secret`, or
    DESCOPE_MANAGEMENT_KEY in the environment)."""
    lines = ["config:", f"  descope:projectId: {_yaml_scalar(project_id)}"]
    if base_url:
        lines.append(f"  descope:baseUrl: {_yaml_scalar(base_url)}")
    return "\n".join(lines) + "\n"


def write_files(out: Path, files: Mapping[str, str], *, force: bool) -> list[Path]:
    existing = [name for name in files if (out / name).exists()]
    if existing and not force:
        raise ExportError(
            f"{out} already has {', '.join(sorted(existing))}; choose another --out directory, or pass "
            "--force to overwrite them"
        )
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
