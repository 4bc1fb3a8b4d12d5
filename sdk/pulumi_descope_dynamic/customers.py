"""The customers file: every tenant of a Descope project, what each has, and the project-level objects
they use, in one YAML file: the format examples/tenants-from-yaml applies and `pulumi-descope export
--format yaml` writes.

```python
from pulumi_descope_dynamic import customers
declared = customers.declare(customers.load("tenants.prod.yaml"))
pulumi.export("tenant_ids", sorted(declared.tenants))
```

`load` validates the whole file before anything is declared (each value by its resource spec's own
check, as the provider would at preview), so a mistake fails `pulumi preview` with the file, the
entry and the field named (`CustomersFileError`). `declare` declares the resources; `include` (a
predicate over tenant entries) and `project_level` let several stacks share one file: each declares
the tenants it owns (with everything that belongs to them), and one of them the project-level
objects. The format's page is docs/customers-file.md.

One source of truth: an object's keys in the file are its resource type's input names (the spec's,
as the generated sdk takes them); `PARTS` only says where each type goes in the file.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pulumi
from pulumi_descope_dynamic_provider.catalogue import Field as SpecField
from pulumi_descope_dynamic_provider.catalogue import ResourceSpec, module_of, provider_of
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, create_model, field_validator
from pydantic import Field as ModelField

from . import _strict_yaml
from .tenant import Tenant
from .tenant_settings import TenantSettings

__all__ = [
    "PARTS",
    "CustomersFile",
    "CustomersFileError",
    "Declared",
    "Part",
    "SecretRef",
    "TenantEntry",
    "declare",
    "load",
]


class CustomersFileError(Exception):
    """The file cannot be read or is not valid; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Part:
    """One resource type's place in the file: under `key`, at the top (project level) or in each
    tenant's entry (`in_tenant`: its `tenant_id` is the entry's; an access key's roles are its roles
    in that tenant). `identity` is the input naming an object in its scope (unique there);
    `resource_name` its Pulumi resource name, from `{tenant}` and `{id}` (the identity's value, or
    `default` when it is left out). A tenant's objects are named `<tenant>/<id>`: a tenant id has
    no `/`, so two tenants' objects never share a name (load checks the rest)."""

    key: str
    type_name: str
    in_tenant: bool
    resource_name: str
    identity: str | None = "name"
    many: bool = True
    default: str = ""

    @property
    def spec(self) -> ResourceSpec:
        return provider_of(self.type_name).spec

    @property
    def supplied(self) -> frozenset[str]:
        """Inputs the file's structure gives, never written in an entry."""
        return frozenset({"tenant_id"}) if self.in_tenant or self.type_name == "Role" else frozenset()


PARTS: tuple[Part, ...] = (
    # Project level, in the order they are declared (each may name the ones before it).
    Part("permissions", "Permission", False, "{id}"),
    Part("tenant_attributes", "TenantAttribute", False, "{id}"),
    Part("sso_applications", "SsoApplication", False, "{id}"),
    Part("roles", "Role", False, "{id}"),
    Part("users", "User", False, "{id}", identity="login_id"),
    Part("access_keys", "AccessKey", False, "key-{id}"),
    # In a tenant's entry.
    # `<tenant>-settings`: examples/tenants-from-yaml's name in 0.1.0, which its stacks hold.
    Part("settings", "TenantSettings", True, "{tenant}-settings", identity=None, many=False),
    Part("password_policy", "TenantPasswordPolicy", True, "{tenant}/passwords", identity=None, many=False),
    Part("roles", "Role", True, "{tenant}/{id}"),
    Part("sso", "SsoConfiguration", True, "{tenant}/{id}", identity="sso_id", default="default_ssoid"),
    Part("access_keys", "AccessKey", True, "{tenant}/{id}"),
    Part("members", "TenantMembership", True, "{tenant}/{id}", identity="login_id"),
)
PROJECT_PARTS = {part.key: part for part in PARTS if not part.in_tenant}
TENANT_PARTS = {part.key: part for part in PARTS if part.in_tenant}
# A tenant's own inputs are the rest of its entry; `id` is its tenant_id, `parent` its
# parent_tenant_id. The keys of the first version of the format stay valid.
TENANT_KEYS = {"id": "tenant_id", "parent": "parent_tenant_id"}
OLD_TENANT_KEYS = {"domains": "self_provisioning_domains", "attributes": "custom_attributes"}
# What leaving a tenant input out meant in the first version, kept so its stacks see no change.
TENANT_DEFAULTS: dict[str, Any] = {
    "self_provisioning_domains": [],
    "custom_attributes": {},
    "enforce_sso": False,
    "disabled": False,
    "adopt": False,
}
TENANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class SecretRef(BaseModel):
    """A secret input's value, never the secret itself: `{config: KEY}` (`pulumi config set --secret
    KEY ...`, read with require_secret) or `{env: NAME}` (an environment variable, made secret)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    config: str | None = ModelField(default=None, min_length=1)
    env: str | None = ModelField(default=None, min_length=1)

    def model_post_init(self, context: Any, /) -> None:
        if (self.config is None) == (self.env is None):
            raise ValueError("give exactly one of `config: <pulumi config key>` or `env: <variable>`")

    def value(self, where: str) -> pulumi.Output[str]:
        if self.config is not None:
            return pulumi.Config().require_secret(self.config)
        assert self.env is not None
        found = os.environ.get(self.env)
        if found is None:
            raise CustomersFileError(f"{where}: the environment variable {self.env} is not set; set it")
        return pulumi.Output.secret(found)


@cache
def _model(type_name: str, supplied: frozenset[str]) -> type[BaseModel]:
    """The keys an entry of `type_name` may have: its spec's inputs but `supplied`, each value
    judged by the spec's own check (what the provider would say at preview)."""
    spec = provider_of(type_name).spec
    fields: dict[str, Any] = {}
    for f in spec.inputs:
        if f.name in supplied:
            continue
        kind: Any = SecretRef if f.secret else Any
        fields[f.name] = (kind, ...) if f.required else (kind | None, None)
    by_name = {f.name: f for f in spec.inputs}
    secrets = [f.name for f in spec.inputs if f.secret and f.name not in supplied]

    def reference(cls: type[BaseModel], value: Any) -> Any:
        if value is None or isinstance(value, Mapping | SecretRef):
            return value
        raise ValueError(
            "a secret is never written in the file: write `{config: KEY}` (set with `pulumi config "
            "set --secret KEY ...`) or `{env: NAME}` (an environment variable of `pulumi up`)"
        )

    def check(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
        spec_field: SpecField = by_name[str(info.field_name)]
        if value is None or spec_field.secret or spec_field.check is None:
            return value
        _, problem = spec_field.check(spec_field.name, value)
        if problem:
            raise ValueError(problem)
        return value

    model: type[BaseModel] = create_model(
        f"{type_name}Entry",
        __config__=ConfigDict(extra="forbid"),
        __validators__={
            "_check": field_validator("*")(check),
            **({"_reference": field_validator(*secrets, mode="before")(reference)} if secrets else {}),
        },
        **fields,
    )
    return model


@dataclass(frozen=True)
class TenantEntry:
    """A tenant of the file: its id, name and parent, its own inputs (the Tenant spec's names), and
    its objects by part key (`settings`, `roles`, ...; a single-object part holds one entry)."""

    id: str
    name: str
    parent: str | None
    inputs: dict[str, Any]
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    shard: int | None = None  # pins the tree to a shard stack (sharding.py); not a Tenant input

    @property
    def adopt(self) -> bool:
        return bool(self.inputs.get("adopt"))

    @property
    def settings(self) -> dict[str, Any] | None:
        found = self.parts.get("settings")
        return found[0] if found else None


@dataclass(frozen=True)
class CustomersFile:
    path: Path
    tenants: list[TenantEntry]
    project: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The project-level objects by part key (`permissions`, `roles`, ...)."""

    def parents_first(self) -> list[TenantEntry]:
        """Entries ordered so every parent comes before its children, at any depth."""
        ordered: list[TenantEntry] = []
        placed: set[str] = set()
        pending = list(self.tenants)
        while pending:  # no cycles (validated), so each pass places at least one entry
            ready = [t for t in pending if t.parent is None or t.parent in placed]
            ordered.extend(ready)
            placed.update(t.id for t in ready)
            pending = [t for t in pending if t.id not in placed]
        return ordered


# ---- reading ------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}")

    def entry(self, where: str, raw: Any, model: type[BaseModel]) -> dict[str, Any] | None:
        """The entry's keys as the model validated them (those the file sets), or None."""
        if not isinstance(raw, Mapping):
            self.add(where, f"must be a mapping of keys, got {type(raw).__name__}")
            return None
        try:
            validated = model.model_validate(dict(raw))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                self.add(f"{where}.{loc}" if loc else where, err["msg"].removeprefix("Value error, "))
            return None
        return {name: getattr(validated, name) for name in validated.model_fields_set}


def _part_entries(part: Part, raw: Any, where: str, problems: _Problems) -> list[dict[str, Any]]:
    model = _model(part.type_name, part.supplied)
    if not part.many:
        entry = problems.entry(where, raw, model)
        return [] if entry is None else [entry]
    if not isinstance(raw, list):
        problems.add(where, f"must be a list of {part.spec.kind} entries")
        return []
    entries = [problems.entry(f"{where}.{n}", item, model) for n, item in enumerate(raw)]
    valid = [entry for entry in entries if entry is not None]
    if part.identity is not None:
        ids = [str(entry.get(part.identity) or part.default) for entry in valid]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.add(where, f"{part.identity} must be unique; repeated: {', '.join(repeated)}")
    return valid


def _tenant_keys(tenant_id: str, keys: list[dict[str, Any]], where: str, problems: _Problems) -> None:
    """A key in a tenant's entry is that tenant's: its roles (`role_names`, or `tenant_roles` naming
    this tenant only) become its roles in this tenant (AccessKey's tenant_roles)."""
    for n, key in enumerate(keys):
        roles, by_tenant = key.pop("role_names", None), key.get("tenant_roles")
        if by_tenant is None:
            key["tenant_roles"] = {tenant_id: list(roles or [])}
        elif roles is not None:
            problems.add(f"{where}.{n}.role_names", "give role_names (its roles in this tenant) only")
        elif set(by_tenant) - {tenant_id}:
            others = ", ".join(sorted(set(by_tenant) - {tenant_id}))
            problems.add(
                f"{where}.{n}.tenant_roles",
                f"a key of tenant {tenant_id} holds roles in {tenant_id} only, not in {others}: write "
                "its roles as `role_names: [...]`, or move it to the top-level `access_keys:`",
            )


def _tenant(raw: Any, where: str, problems: _Problems) -> TenantEntry | None:
    if not isinstance(raw, Mapping):
        problems.add(where, "must be a mapping of keys")
        return None
    if isinstance(raw.get("id"), str):
        where = f"{where} ({raw['id']})"
    own = {OLD_TENANT_KEYS.get(key, key): value for key, value in raw.items() if key not in TENANT_PARTS}
    for old, new in OLD_TENANT_KEYS.items():
        if old in raw and new in raw:
            problems.add(f"{where}.{old}", f"{old} and {new} are the same input; keep one")
    tenant_id, parent = own.pop("id", None), own.pop("parent", None)
    shard = own.pop("shard", None)
    if shard is not None and (isinstance(shard, bool) or not isinstance(shard, int) or shard < 0):
        problems.add(
            f"{where}.shard", "a shard number (0, 1, ...): the place of a stack in the list of shard stacks"
        )
    for key, value in (("id", tenant_id), ("parent", parent)):
        if (value is not None or key == "id") and not (isinstance(value, str) and TENANT_ID.match(value)):
            problems.add(f"{where}.{key}", "a tenant id (letters, digits, _ . -; at most 100)")
    for key in TENANT_KEYS.values():
        if key in own:
            problems.add(f"{where}.{key}", f"write it as `{'id' if key == 'tenant_id' else 'parent'}`")
            own.pop(key)
    inputs = problems.entry(where, own, _model("Tenant", frozenset(TENANT_KEYS.values())))
    parts = {
        key: _part_entries(TENANT_PARTS[key], value, f"{where}.{key}", problems)
        for key, value in raw.items()
        if key in TENANT_PARTS
    }
    if inputs is None or not isinstance(tenant_id, str):
        return None
    _tenant_keys(tenant_id, parts.get("access_keys", []), f"{where}.access_keys", problems)
    return TenantEntry(tenant_id, str(inputs["name"]), parent, inputs, parts, shard)


def _consistent(
    tenants: list[TenantEntry], project: dict[str, list[dict[str, Any]]], problems: _Problems
) -> None:
    ids = [t.id for t in tenants]
    names = [t.name for t in tenants]
    for label, values in (("id", ids), ("name", names)):
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            problems.add("tenants", f"tenant {label}s must be unique; repeated: {', '.join(duplicates)}")
    owners: dict[str, str] = {}
    project_roles = {str(role.get("name")) for role in project.get("roles", [])}
    for n, tenant in enumerate(tenants):
        where = f"tenants.{n} ({tenant.id})"
        for domain in tenant.inputs.get("self_provisioning_domains") or []:
            other = owners.setdefault(str(domain).lower(), where)
            if other != where:
                problems.add(
                    f"{where}.self_provisioning_domains",
                    f"{domain} is also {other}'s: a domain belongs to one tenant only; keep it in one",
                )
        own = {str(role.get("name")) for role in tenant.parts.get("roles", [])} - project_roles
        for role in sorted(own & set(tenant.inputs.get("default_roles") or [])):
            problems.add(
                f"{where}.default_roles",
                f"{role} is a role of this tenant, which is created after the tenant (it needs the "
                "tenant's id), so it cannot be a default role: make it a project role (the top-level "
                "`roles:`) or leave it out of default_roles",
            )
    parents = {t.id: t.parent for t in tenants}
    for tenant in tenants:
        if tenant.parent is not None and tenant.parent not in parents:
            problems.add(
                "tenants", f"tenant {tenant.id!r} names parent {tenant.parent!r}, which is not in the file"
            )
            continue
        seen, current = {tenant.id}, tenant.parent
        while current is not None and current in parents:
            if current in seen:
                problems.add("tenants", f"tenant {tenant.id!r} is its own ancestor; break the parent cycle")
                break
            seen.add(current)
            current = parents[current]


def _distinct_names(
    tenants: list[TenantEntry], project: dict[str, list[dict[str, Any]]], problems: _Problems
) -> None:
    """No two objects of one type get the same resource name (`pulumi preview` would fail with
    "Duplicate resource URN", naming no entry)."""
    seen: dict[tuple[str, str], str] = {}

    def claim(part: Part, entry: Mapping[str, Any], where: str, tenant: str | None = None) -> None:
        name = resource_name(part, entry, tenant)
        other = seen.setdefault((part.type_name, name), where)
        if other != where:
            problems.add(
                where, f"its {part.type_name} resource name {name!r} is also {other}'s; rename one of them"
            )

    for key, part in PROJECT_PARTS.items():
        for n, entry in enumerate(project.get(key, [])):
            claim(part, entry, f"{key}.{n}")
    for n, tenant in enumerate(tenants):
        for key, entries in tenant.parts.items():
            part = TENANT_PARTS[key]
            for m, entry in enumerate(entries):
                where = f"tenants.{n} ({tenant.id}).{key}" + (f".{m}" if part.many else "")
                claim(part, entry, where, tenant.id)


def parse(raw: Any) -> CustomersFile:
    """The file's content (as YAML gives it), validated; ValueError lists every problem."""
    problems = _Problems()
    if not isinstance(raw, Mapping) or "tenants" not in raw:
        raise ValueError(
            "the file must be a mapping with a `tenants:` list (and optionally project-level lists)"
        )
    unknown = sorted(set(raw) - {"tenants", *PROJECT_PARTS})
    for key in unknown:
        problems.add(str(key), f"unknown key; the file's keys are tenants, {', '.join(PROJECT_PARTS)}")
    project = {
        key: _part_entries(part, raw[key], key, problems)
        for key, part in PROJECT_PARTS.items()
        if raw.get(key) is not None
    }
    tenants: list[TenantEntry] = []
    if not isinstance(raw["tenants"], list):
        problems.add("tenants", "must be a list of tenant entries")
    else:
        for n, item in enumerate(raw["tenants"]):
            tenant = _tenant(item, f"tenants.{n}", problems)
            tenants += [tenant] if tenant is not None else []
    if not problems.found:
        _consistent(tenants, project, problems)
        _distinct_names(tenants, project, problems)
    if problems.found:
        raise ValueError("; ".join(problems.found))
    return CustomersFile(Path(), tenants, project)


def load(path: str | Path) -> CustomersFile:
    """The file, validated; CustomersFileError names the file, the entry and the field."""
    import yaml  # PyYAML: only programs that read a customers file need it

    path = Path(path)
    try:
        raw = _strict_yaml.read(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CustomersFileError(
            f"{path} does not exist: create it, or select a stack that has one"
        ) from None
    except _strict_yaml.RepeatedKey as exc:
        raise CustomersFileError(
            f"{path}: line {exc.line}: the key {exc.key!r} is written twice in one mapping (YAML would "
            "keep the last only); keep one"
        ) from None
    except yaml.YAMLError as exc:
        raise CustomersFileError(f"{path} is not valid YAML: {exc}") from None
    try:
        parsed = parse(raw)
    except ValueError as exc:
        raise CustomersFileError(f"{path}: {exc}") from None
    return CustomersFile(path, parsed.tenants, parsed.project)


# ---- declaring ----------------------------------------------------------------------------------


@dataclass
class Declared:
    """The resources `declare` declared: tenants and settings by tenant id, and every resource by
    its type name and resource name (`declared.resources["Role"]["acme/Auditor"]`)."""

    tenants: dict[str, Tenant] = field(default_factory=dict)
    settings: dict[str, TenantSettings] = field(default_factory=dict)
    resources: dict[str, dict[str, pulumi.CustomResource]] = field(default_factory=dict)
    by_identity: dict[tuple[str, str | None, str], pulumi.CustomResource] = field(default_factory=dict)
    """Every resource but the tenants by (type name, its tenant or None, its identity)."""

    def find(self, type_name: str, name: Any, tenant: str | None = None) -> pulumi.CustomResource | None:
        """The object of `type_name` named `name` (its identity) in `tenant`'s entry, or at the
        top when `tenant` is None."""
        return self.by_identity.get((type_name, tenant, str(name))) if name else None


def resource_class(type_name: str) -> Callable[..., pulumi.CustomResource]:
    module = importlib.import_module(f"{__package__}.{module_of(provider_of(type_name))}")
    found: Callable[..., pulumi.CustomResource] = getattr(module, type_name)
    return found


def resource_name(part: Part, entry: Mapping[str, Any], tenant: str | None = None) -> str:
    identity = str(entry.get(part.identity) or part.default) if part.identity else ""
    return part.resource_name.format(tenant=tenant or "", id=identity)


def _named(value: Any) -> Iterator[str]:
    """The names a value refers to: a list's strings, a mapping's keys."""
    if isinstance(value, Mapping):
        yield from (str(key) for key in value)
    elif isinstance(value, list):
        yield from (str(item) for item in value)


def _needs(type_name: str, inputs: Mapping[str, Any], tenant: str | None, done: Declared) -> list[Any]:
    """What an object must be created after (and deleted before), among what this call declared:
    the objects its inputs name (permissions of a role, roles of a tenant or key, ...)."""
    found: list[Any] = []

    def roles(names: Any, scope: str | None) -> None:  # in a tenant: a project role or its own
        for name in _named(names):
            found.append(done.find("Role", name))
            found.append(done.find("Role", name, scope) if scope else None)

    if type_name == "Role":
        found += [done.find("Permission", name) for name in _named(inputs.get("permission_names"))]
    elif type_name == "Tenant":
        roles(inputs.get("default_roles"), None)
        found += [done.find("TenantAttribute", key) for key in _named(inputs.get("custom_attributes"))]
        found += [done.find("SsoApplication", app) for app in _named(inputs.get("federated_app_ids"))]
    elif type_name in ("User", "AccessKey"):
        roles(inputs.get("role_names"), None)
        for scope, names in dict(inputs.get("tenants") or inputs.get("tenant_roles") or {}).items():
            found.append(done.tenants.get(scope))
            roles(names, scope)
        found.append(done.tenants.get(tenant or ""))
    elif type_name == "TenantMembership":
        found.append(done.find("User", inputs.get("login_id")))
        roles(inputs.get("roles"), tenant)
    elif type_name == "SsoConfiguration":  # role mappings name project roles and its tenant's
        found += [
            r
            for (kind, scope, _), r in done.by_identity.items()
            if kind == "Role" and scope in (None, tenant)
        ]
    return [r for n, r in enumerate(found) if r is not None and r not in found[:n]]


def _declare_one(
    part: Part, entry: Mapping[str, Any], done: Declared, *, tenant: str | None = None, where: str = ""
) -> pulumi.CustomResource:
    inputs: dict[str, Any] = {
        key: value.value(f"{where}.{key}") if isinstance(value, SecretRef) else value
        for key, value in entry.items()
    }
    if tenant is not None and "tenant_id" in part.spec.input_names:
        owner = done.tenants.get(tenant)
        inputs["tenant_id"] = owner.id if owner is not None else tenant
    name = resource_name(part, entry, tenant)
    after = _needs(part.type_name, entry, tenant, done)
    opts = pulumi.ResourceOptions(depends_on=after) if after else None
    resource = resource_class(part.type_name)(name, opts, **inputs)
    done.resources.setdefault(part.type_name, {})[name] = resource
    identity = str(entry.get(part.identity) or part.default) if part.identity else ""
    done.by_identity[(part.type_name, tenant, identity)] = resource
    return resource


def declare(
    customers: CustomersFile,
    *,
    include: Callable[[TenantEntry], bool] | None = None,
    project_level: bool = True,
) -> Declared:
    """Declare the file's resources. Resource names derive from the file's keys (`acme`,
    `acme-settings`, `acme/Auditor`), so adding, removing or reordering entries renames nothing.

    `include`: which tenants to declare (all when None); a tenant's own objects (settings, roles,
    SSO configurations, keys, members) follow it. What an included object names but this call does
    not declare (a parent tenant, a project role) is referred to by its id or name: another stack
    owns it. `project_level`: whether to declare the objects that belong to no tenant. Stacks
    sharing one file: `declare(c, include=mine, project_level=False)` in each shard and
    `declare(c, include=lambda t: False)` in the one that owns the project-level objects."""
    done = Declared()
    if project_level:
        for key, part in PROJECT_PARTS.items():
            if part.type_name in ("User", "AccessKey"):
                continue  # they may name tenants: after them
            for n, item in enumerate(customers.project.get(key, [])):
                _declare_one(part, item, done, where=f"{key}.{n}")
    chosen = [t for t in customers.parents_first() if include is None or include(t)]
    for entry in chosen:
        parent: Any = entry.parent
        if entry.parent is not None and entry.parent in done.tenants:
            # Its output: the child then depends on the parent, created after it.
            parent = done.tenants[entry.parent].id
        inputs = {**TENANT_DEFAULTS, **entry.inputs}
        for key in ("enforce_sso_exclusions", "federated_app_ids", "default_roles"):
            inputs[key] = inputs.get(key) or None  # left out or empty = not managed, as before
        after = _needs("Tenant", inputs, None, done)
        tenant = Tenant(
            entry.id,
            pulumi.ResourceOptions(depends_on=after) if after else None,
            tenant_id=entry.id,
            parent_tenant_id=parent,
            **inputs,
        )
        done.tenants[entry.id] = tenant
        done.resources.setdefault("Tenant", {})[entry.id] = tenant
        for key in ("settings", "password_policy", "roles", "sso"):
            for n, item in enumerate(entry.parts.get(key, [])):
                declared = _declare_one(
                    TENANT_PARTS[key], item, done, tenant=entry.id, where=f"{entry.id}.{key}.{n}"
                )
                if isinstance(declared, TenantSettings):
                    done.settings[entry.id] = declared
    if project_level:
        for key in ("users", "access_keys"):
            for n, item in enumerate(customers.project.get(key, [])):
                _declare_one(PROJECT_PARTS[key], item, done, where=f"{key}.{n}")
    for entry in chosen:
        for key in ("access_keys", "members"):
            for n, item in enumerate(entry.parts.get(key, [])):
                _declare_one(TENANT_PARTS[key], item, done, tenant=entry.id, where=f"{entry.id}.{key}.{n}")
    return done
