"""A local Descope Management API emulator: tenants, roles, permissions, tenant SSO configurations and
access keys in memory, with a server-side quota and seeded faults, for tests and demos without a Descope
account.

Run it with ``descope-emulator`` (see ``__main__``) or in-process with ``EmulatorServer``.
"""

from descope_emulator.app import ADMIN_PREFIX, DEFAULT_MANAGEMENT_KEY, DEFAULT_PROJECT_ID, Emulator
from descope_emulator.errors import DescopeError
from descope_emulator.faults import FaultConfig, FaultKind
from descope_emulator.quota import Quota
from descope_emulator.server import EmulatorServer
from descope_emulator.store import Store

__all__ = [
    "ADMIN_PREFIX",
    "DEFAULT_MANAGEMENT_KEY",
    "DEFAULT_PROJECT_ID",
    "DescopeError",
    "Emulator",
    "EmulatorServer",
    "FaultConfig",
    "FaultKind",
    "Quota",
    "Store",
]
