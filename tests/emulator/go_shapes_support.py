"""Helpers shared by the Go SDK body-shape tests (test_emu_go_shapes_*.py): the int32 bound of
Go SDK times and a call that must answer 200.
"""

from __future__ import annotations

from typing import Any

from descope_emulator import EmulatorServer
from emu_support import api

INT32_MAX = 2**31 - 1


def ok(emulator: EmulatorServer, path: str, body: Any = None, method: str = "POST") -> Any:
    response = api(emulator, method, path, body)
    assert response.status_code == 200, response.text
    return response.json()
