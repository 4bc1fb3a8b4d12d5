"""What the plugin answers, as the harness hands it to tests: one result type per RPC, the engine's
`DiffChanges`, and the errors of a failed callback or a plugin that did not start."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc


class PluginError(Exception):
    """A provider callback (or the plugin itself) failed; carries the gRPC status details and code."""

    def __init__(self, message: str, code: grpc.StatusCode, method: str = "") -> None:
        super().__init__(message)
        self.message: str = message
        self.code: grpc.StatusCode = code
        self.method: str = method

    @property
    def summary(self) -> str:
        """The last non-empty line of the details: for a callback exception, ``"ExcType: message"``."""
        lines = [line for line in self.message.strip().splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""

    def __str__(self) -> str:
        prefix = f"{self.method}: " if self.method else ""
        return f"{prefix}[{self.code.name}] {self.message}"


class PluginStartError(RuntimeError):
    """The plugin process did not come up (no port line, early exit, or no gRPC connection)."""


class DiffChanges(enum.IntEnum):
    """`pulumirpc.DiffResponse.DiffChanges`."""

    UNKNOWN = 0
    NONE = 1
    SOME = 2


@dataclass(frozen=True)
class ConfigureResult:
    accept_secrets: bool
    supports_preview: bool
    accept_resources: bool
    accept_outputs: bool
    supports_autonaming_configuration: bool


@dataclass(frozen=True)
class CheckResult:
    """Checked inputs (without ``__provider``) and failures as ``(property, reason)``; unpacks as a pair."""

    inputs: dict[str, Any]
    failures: list[tuple[str, str]]
    provider: Any = None
    """The ``__provider`` value the plugin returned in the inputs."""

    def __iter__(self) -> Iterator[Any]:
        yield self.inputs
        yield self.failures


@dataclass(frozen=True)
class DiffResult:
    changes: DiffChanges
    replaces: list[str] = field(default_factory=list)
    stables: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    diffs: list[str] = field(default_factory=list)
    detailed_diff: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CreateResult:
    id: str
    properties: dict[str, Any]
    provider: Any = None
    rpc_called: bool = True
    """False when the engine would not call the plugin (preview of a provider without preview support)."""


@dataclass(frozen=True)
class ReadResult:
    id: str | None
    """None when the provider reported the object gone (empty id on the wire)."""
    properties: dict[str, Any]
    inputs: dict[str, Any] | None
    provider: Any = None


@dataclass(frozen=True)
class UpdateResult:
    properties: dict[str, Any]
    provider: Any = None
    rpc_called: bool = True
