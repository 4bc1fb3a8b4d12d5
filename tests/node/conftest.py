"""Fixtures of the Node contract tier: the Node binary and the installed SDK's TypeScript types."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.node.ts_types import TypeScriptTypes

REPO = Path(__file__).resolve().parents[2]
NODE_SDK = REPO / "node_modules" / "@descope" / "node-sdk"


@pytest.fixture(scope="session")
def node() -> str:
    binary = shutil.which("node")
    if binary is None:
        pytest.fail("Node.js (18 or newer) is required for the Node contract tests: install it and rerun")
    if not (NODE_SDK / "package.json").is_file():
        pytest.fail("@descope/node-sdk is not installed: run `make test` (it runs `npm ci`) or `npm ci`")
    return binary


@pytest.fixture(scope="session")
def ts() -> TypeScriptTypes:
    return TypeScriptTypes(NODE_SDK / "dist" / "index.d.ts")
