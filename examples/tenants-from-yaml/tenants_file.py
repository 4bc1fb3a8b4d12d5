"""The YAML file format of this example, validated with pydantic before any resource is declared, so
a typo fails `pulumi preview` with the file, the entry and the field named."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


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
    settings: SettingsEntry | None = None


class TenantsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenants: list[TenantEntry]

    @model_validator(mode="after")
    def _ids_names_and_parents_are_consistent(self) -> TenantsFile:
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


class TenantsFileError(Exception):
    pass


def load_tenants_file(path: Path) -> TenantsFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TenantsFileError(f"{path} does not exist: create it, or select a stack that has one") from None
    except yaml.YAMLError as exc:
        raise TenantsFileError(f"{path} is not valid YAML: {exc}") from None
    try:
        return TenantsFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise TenantsFileError(f"{path}: {problems}") from None
