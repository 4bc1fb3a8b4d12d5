"""The customers file: every tenant of a Descope project (and what each has) in one YAML file, the
format examples/tenants-from-yaml applies and `pulumi-descope export --format yaml` writes.

```python
from pulumi_descope_dynamic import customers
declared = customers.declare(customers.load("tenants.prod.yaml"))
pulumi.export("tenant_ids", sorted(declared.tenants))
```

`load` validates the whole file before anything is declared, so a typo fails `pulumi preview`
with the file, the entry and the field named (`CustomersFileError`). `declare` declares the
resources; `include` (a predicate over tenant entries) and `project_level` let several stacks
share one file: each declares the tenants it owns (with everything that belongs to them), and one
of them the project-level objects. The format's page is docs/customers-file.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .tenant import Tenant
from .tenant_settings import TenantSettings

__all__ = [
    "CustomersFile",
    "CustomersFileError",
    "Declared",
    "SettingsEntry",
    "TenantEntry",
    "declare",
    "load",
]


class CustomersFileError(Exception):
    """The file cannot be read or is not valid; the message names the file, the entry and the field."""


class SettingsEntry(BaseModel):
    """A tenant's session policy (TenantSettings); durations as "15m", "12h", "30d", "2w" or minutes.
    The provider checks the values at preview; this only catches misspelt keys."""

    model_config = ConfigDict(extra="forbid")

    session_settings_enabled: bool | None = None
    session_token_expiration: str | int | None = None
    refresh_token_expiration: str | int | None = None
    stepup_token_expiration: str | int | None = None
    enable_inactivity: bool | None = None
    inactivity_time: str | int | None = None
    jit_disabled: bool | None = None
    sso_setup_suite: dict[str, Any] | None = Field(
        default=None, description='{"enabled": bool, "style_id": str, "disabled_features": [...]}'
    )


class TenantEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    name: str = Field(min_length=1, max_length=255)
    domains: list[str] = Field(default_factory=list, description="self-provisioning domains")
    attributes: dict[str, Any] = Field(default_factory=dict, description="custom attributes")
    parent: str | None = None
    default_roles: list[str] = Field(default_factory=list)
    enforce_sso: bool = False
    enforce_sso_exclusions: list[str] = Field(default_factory=list, description="user ids exempt from SSO")
    federated_app_ids: list[str] = Field(default_factory=list)
    disabled: bool = False
    role_inheritance: Literal["", "none", "userOnly"] | None = None
    adopt: bool = False
    shard: int | None = Field(default=None, description="pins the tree to a shard stack (sharding.py)")
    settings: SettingsEntry | None = None


class CustomersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenants: list[TenantEntry]

    @model_validator(mode="after")
    def _ids_names_and_parents_are_consistent(self) -> CustomersFile:
        ids = [t.id for t in self.tenants]
        names = [t.name for t in self.tenants]
        for label, values in (("id", ids), ("name", names)):
            duplicates = sorted({v for v in values if values.count(v) > 1})
            if duplicates:
                raise ValueError(f"tenant {label}s must be unique; repeated: {', '.join(duplicates)}")
        parents = {t.id: t.parent for t in self.tenants}
        for tenant in self.tenants:
            if tenant.parent is not None and tenant.parent not in ids:
                raise ValueError(
                    f"tenant {tenant.id!r} names parent {tenant.parent!r}, which is not in the file"
                )
            seen, current = {tenant.id}, tenant.parent
            while current is not None:
                if current in seen:
                    raise ValueError(f"tenant {tenant.id!r} is its own ancestor; break the parent cycle")
                seen.add(current)
                current = parents[current]
        return self

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


def load(path: str | Path) -> CustomersFile:
    """The file, validated; CustomersFileError names the file, the entry and the field."""
    import yaml  # PyYAML: only programs that read a customers file need it

    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CustomersFileError(
            f"{path} does not exist: create it, or select a stack that has one"
        ) from None
    except yaml.YAMLError as exc:
        raise CustomersFileError(f"{path} is not valid YAML: {exc}") from None
    try:
        return CustomersFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise CustomersFileError(f"{path}: {problems}") from None


@dataclass
class Declared:
    """The resources `declare` declared, by the file's keys (tenant id, ...)."""

    tenants: dict[str, Tenant] = field(default_factory=dict)
    settings: dict[str, TenantSettings] = field(default_factory=dict)


def declare(
    customers: CustomersFile,
    *,
    include: Callable[[TenantEntry], bool] | None = None,
    project_level: bool = True,
) -> Declared:
    """Declare the file's resources; resource names are the tenant id (`acme`) and derived from it
    (`acme-settings`), so they are stable when entries are added or reordered.

    `include`: which tenants to declare (all when None); a tenant's own objects (settings, ...)
    follow it. A parent that is not included is referred to by its id (another stack owns it).
    `project_level`: whether to declare the objects that belong to no tenant. Two stacks sharing a
    file: `declare(c, include=mine, project_level=False)` for each shard and
    `declare(c, include=lambda t: False)` for the one owning the project-level objects."""
    declared = Declared()
    for entry in customers.parents_first():
        if include is not None and not include(entry):
            continue
        parent: Any = entry.parent
        if entry.parent is not None and entry.parent in declared.tenants:
            # Its output: the child then depends on the parent, created after it.
            parent = declared.tenants[entry.parent].id
        tenant = Tenant(
            entry.id,
            name=entry.name,
            tenant_id=entry.id,
            self_provisioning_domains=entry.domains,
            custom_attributes=entry.attributes,
            parent_tenant_id=parent,
            default_roles=entry.default_roles or None,
            enforce_sso=entry.enforce_sso,
            # Left out of the file = not managed (console-owned), as before these keys existed.
            enforce_sso_exclusions=entry.enforce_sso_exclusions or None,
            federated_app_ids=entry.federated_app_ids or None,
            disabled=entry.disabled,
            role_inheritance=entry.role_inheritance,
            adopt=entry.adopt,
        )
        declared.tenants[entry.id] = tenant
        if entry.settings is not None:
            declared.settings[entry.id] = TenantSettings(
                f"{entry.id}-settings",
                tenant_id=tenant.id,
                **entry.settings.model_dump(exclude_none=True),
            )
    return declared
