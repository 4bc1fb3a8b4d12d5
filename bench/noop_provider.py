"""A dynamic provider that does nothing but hand back an id: the engine's own cost per resource.

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


class Noop(Resource, module="bench", name="Noop"):
    """`pulumi-python:dynamic/bench:Noop`: one resource that costs the provider nothing."""

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(_PROVIDER, resource_name, {"label": resource_name}, opts)
