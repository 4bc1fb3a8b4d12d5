"""Tenants declared in `tenants.<stack>.yaml`: one stack per environment (dev, prod), one Descope
project each. `pulumi stack select prod && pulumi up` applies tenants.prod.yaml. The file's format
(and the code declaring it) is `pulumi_descope_dynamic.customers`; its page is docs/customers-file.md."""

from __future__ import annotations

from pathlib import Path

import pulumi
from pulumi_descope_dynamic import AccessKey, customers

HERE = Path(__file__).parent


def program(tenants_path: Path | None = None) -> None:
    path = tenants_path or HERE / f"tenants.{pulumi.get_stack()}.yaml"
    declared = customers.declare(customers.load(path))
    pulumi.export("tenant_ids", sorted(declared.tenants))
    # Access keys' cleartexts (secret outputs: `pulumi stack output --show-secrets access_keys`),
    # by resource name: `key-<name>` for a project key, `<tenant>/<name>` for a tenant's.
    keys = declared.resources.get("AccessKey", {})
    pulumi.export(
        "access_keys", {name: key.cleartext for name, key in keys.items() if isinstance(key, AccessKey)}
    )


if __name__ == "__main__":
    program()
