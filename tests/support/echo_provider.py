"""A tiny dynamic provider for harness tests. Importable in the plugin process via PYTHONPATH (repo root).

Behaviour, keyed on inputs:
- ``name`` (required str): check fails when missing, not a string, or containing "bad"; lower-cased otherwise.
  An unknown ``name`` (preview) passes through untouched.
- ``fail``: create raises ``RuntimeError("create refused: <fail>")``.
- ``gone``: read reports the object gone.
- ``record_path``: create/update/delete append a line to this file, to prove they ran.
Outputs add ``greeting`` (config ``test:greeting``), ``token_length`` (secret config ``test:token``) and
``label`` (constructor argument, so tests can produce distinct provider blobs).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

CREATE_MARKER = "echo-provider: create"
STDOUT_MARKER = "echo-provider: stdout"


def _record(props: dict[str, Any], line: str) -> None:
    path = props.get("record_path")
    if isinstance(path, str):
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


class EchoProvider(ResourceProvider):
    serialize_as_secret_always = False

    def __init__(self, label: str = "echo") -> None:
        super().__init__()
        self.label = label

    def configure(self, req: ConfigureRequest) -> None:
        self._greeting: str | None = req.config.get("test:greeting")
        token = req.config.get("test:token")
        self._token_length = len(token) if isinstance(token, str) else None

    def _outs(self, props: dict[str, Any]) -> dict[str, Any]:
        return {
            **props,
            "greeting": self._greeting,
            "token_length": self._token_length,
            "label": self.label,
        }

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = dict(news)
        name = news.get("name")
        failures: list[CheckFailure] = []
        if isinstance(name, Unknown):
            pass
        elif not isinstance(name, str) or not name:
            failures.append(CheckFailure("name", "name is required and must be a string"))
        elif "bad" in name:
            failures.append(CheckFailure("name", f"name must not contain 'bad': {name!r}"))
        else:
            inputs["name"] = name.lower()
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = (set(olds) | set(news)) - {"__provider", "greeting", "token_length", "label"}
        changed = sorted(k for k in keys if olds.get(k) != news.get(k) or isinstance(news.get(k), Unknown))
        replaces = [k for k in changed if k == "name"]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=bool(replaces))

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get("fail"):
            raise RuntimeError(f"create refused: {props['fail']}")
        print(f"{CREATE_MARKER} {props['name']}", file=sys.stderr)
        print(f"{STDOUT_MARKER} {props['name']}")
        _record(props, f"create {props['name']}")
        return CreateResult(f"echo-{props['name']}", self._outs(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        if props.get("gone"):
            return ReadResult(None, {})
        inputs = {k: v for k, v in props.items() if k not in {"greeting", "token_length", "label"}}
        return ReadResult(id_, self._outs(props), inputs=inputs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        _record(news, f"update {id_}")
        return UpdateResult(self._outs(news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        _record(props, f"delete {id_}")
