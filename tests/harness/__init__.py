"""The dynamic-plugin harness: start the real `python -m pulumi.dynamic` plugin and make the provider
calls the Pulumi engine makes, over gRPC, as tests/provider, tests/plugin and bench/ need.

- ``plugin``: :class:`DynamicPlugin`, the calls (Configure, Check, Diff, Create, Read, Update, Delete);
- ``process``: the process's lifecycle (start, port, channel, logs, stop);
- ``wire``: property bags marshalled as the engine does, secrets, unknowns, the pickled provider, URNs;
- ``results``: what each call returns, and the errors;
- ``fixtures``: the ``running_plugin`` pytest fixture (tests/conftest.py loads it).
"""

from tests.harness.plugin import DynamicPlugin
from tests.harness.process import CLEAN_ENV
from tests.harness.results import (
    CheckResult,
    ConfigureResult,
    CreateResult,
    DiffChanges,
    DiffResult,
    PluginError,
    PluginStartError,
    ReadResult,
    UpdateResult,
)
from tests.harness.wire import PROVIDER_KEY, UNKNOWN, Secret, dynamic_type, provider_blob, urn_for

__all__ = [
    "CLEAN_ENV",
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
