"""Constants, a recording rate limiter and canned Descope bodies shared by the DescopeClient unit
tests (test_client_requests.py and test_client_retries.py).
"""

from __future__ import annotations

from typing import Any

BASE = "https://api.descope.test"
KEY = "K2-unit-secret-key-0123456789"
PROJECT = "P2unit"


class RecordingLimiter:
    def __init__(self) -> None:
        self.acquired = 0
        self.pauses: list[float] = []
        self.timeouts: list[float | None] = []

    def acquire(self, timeout: float | None = None, on_wait: Any = None, path: str = "") -> None:
        self.acquired += 1
        self.timeouts.append(timeout)

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)


def error_body(code: str, description: str, message: str = "") -> dict[str, str]:
    return {"errorCode": code, "errorDescription": description, "errorMessage": message}


TENANT_JSON = {
    "id": "acme",
    "name": "Acme",
    "selfProvisioningDomains": ["acme.com"],
    "customAttributes": {"plan": "gold"},
    "enforceSSO": True,
    "enforceSSOExclusions": ["U1"],
    "disabled": False,
    "federatedAppIds": None,
    "roleInheritance": "userOnly",
    "parent": "",
    "createdTime": 1700000000,
    "authType": "saml",
    "domains": ["sso.acme.com"],
    "successors": [],
    "defaultRoles": ["viewer"],
}
