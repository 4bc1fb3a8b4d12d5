"""Helpers shared by the emulator tests (imported as a plain module: tests/emulator has no __init__)."""

from __future__ import annotations

from typing import Any

import requests
from descope_emulator import EmulatorServer


def api(
    emulator: EmulatorServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
    session: requests.Session | None = None,
    **kwargs: Any,
) -> requests.Response:
    """One management call with valid credentials unless ``headers`` says otherwise."""
    sender = session or requests
    return sender.request(
        method,
        emulator.url + path,
        json=body,
        headers=emulator.headers if headers is None else headers,
        timeout=timeout,
        **kwargs,
    )


def admin(emulator: EmulatorServer, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{emulator.url}/emulator{path}", json=body, timeout=5)


def assert_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errorCode", "errorDescription", "errorMessage"}
    assert body["errorCode"] == code
    assert all(isinstance(value, str) and value for value in body.values())
    return dict(body)
