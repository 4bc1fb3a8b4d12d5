"""Tenants declared in `tenants.<stack>.yaml`: one stack per environment (dev, prod), one Descope
project each. `pulumi stack select prod && pulumi up` applies tenants.prod.yaml."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pulumi_descope_dynamic as descope
from tenants_file import load_tenants_file

HERE = Path(__file__).parent


def program(tenants_path: Path | None = None) -> None:
    path = tenants_path or HERE / f"tenants.{pulumi.get_stack()}.yaml"
    declared = load_tenants_file(path)
    resources: dict[str, descope.Tenant] = {}
    # Parents first, so a child can take its parent's output (and depend on it).
    for entry in declared.parents_first():
        parent = resources[entry.parent].id if entry.parent else None
        resources[entry.id] = descope.Tenant(
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
        if entry.settings is not None:
            descope.TenantSettings(
                f"{entry.id}-settings",
                tenant_id=resources[entry.id].id,
                **entry.settings.model_dump(exclude_none=True),
            )
    pulumi.export("tenant_ids", sorted(resources))


if __name__ == "__main__":
    program()
