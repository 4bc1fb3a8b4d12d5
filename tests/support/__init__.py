"""Test support: drive the real `python -m pulumi.dynamic` plugin over gRPC, as the Pulumi engine does."""

from tests.support.plugin import (
    PROVIDER_KEY,
    UNKNOWN,
    CheckResult,
    ConfigureResult,
    CreateResult,
    DiffChanges,
    DiffResult,
    DynamicPlugin,
    PluginError,
    PluginStartError,
    ReadResult,
    Secret,
    UpdateResult,
    dynamic_type,
    provider_blob,
    urn_for,
)

__all__ = [
    "PROVIDER_KEY",
    "UNKNOWN",
    "CheckResult",
    "ConfigureResult",
    "CreateResult",
    "DiffChanges",
    "DiffResult",
    "DynamicPlugin",
    "PluginError",
    "PluginStartError",
    "ReadResult",
    "Secret",
    "UpdateResult",
    "dynamic_type",
    "provider_blob",
    "urn_for",
]
