"""Dynamic providers that do nothing but hand back an id: the engine's own cost per resource.

`Noop` declares one property and returns none. `ShapedNoop` has a Tenant's shape without any of our
code: the properties the sdk declares for a Tenant and the outputs its provider returns (for a
tenant given a name and an id), no check, no HTTP, no validation. bench/scale.py measures a tenant
stack against both: over `Noop` is the whole cost of a tenant, over `ShapedNoop` our code's share.

Importable by the plugin process (the bench puts the repo root on its PYTHONPATH); dill pickles the
class by reference, so the blob in the state stays as small as the Tenant provider's.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, ReadResult, Resource, ResourceProvider


class NoopProvider(ResourceProvider):
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"noop-{props.get('label', '')}", {})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props)


_PROVIDER = NoopProvider()

# The outputs TenantProvider.create returns for a tenant given only a name and an id (None values
# left out: the engine drops them). bench/scale.py holds them to a real tenant's state.
TENANT_OUTPUTS: dict[str, Any] = {
    "adopt": False,
    "auth_type": "none",
    "cascade_delete": False,
    "custom_attributes": {},
    "default_roles": [],
    "disabled": False,
    "domains": [],
    "enforce_sso": False,
    "enforce_sso_exclusions": [],
    "federated_app_ids": [],
    "managed_inputs": ["name", "tenant_id"],
    "role_inheritance": "",
    "self_provisioning_domains": [],
}


class ShapedNoopProvider(ResourceProvider):
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(props["tenant_id"], {**TENANT_OUTPUTS, **{k: v for k, v in props.items() if v}})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # A tenant's created time is known after a refresh (a create does not read it back).
        return ReadResult(id_, {**props, "created_time": 1764950400})


_SHAPED = ShapedNoopProvider()


class Noop(Resource, module="bench", name="Noop"):
    """`pulumi-python:dynamic/bench:Noop`: one resource that costs the provider nothing."""

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(_PROVIDER, resource_name, {"label": resource_name}, opts)


class ShapedNoop(Resource, module="bench", name="ShapedNoop"):
    """`pulumi-python:dynamic/bench:ShapedNoop`: a Tenant's properties and outputs at no cost."""

    def __init__(self, resource_name: str, props: dict[str, Any]) -> None:
        super().__init__(_SHAPED, resource_name, props)
