"""One of two processes changing one tenant at once: `python -m tests.support.lock_worker ACTION TENANT`.

It builds a real DescopeClient from the environment (DESCOPE_PROJECT_ID, DESCOPE_MANAGEMENT_KEY,
DESCOPE_BASE_URL, DESCOPE_RATE_LIMIT_STORE, DESCOPE_CALL_DEADLINE: the path a provider takes),
prints `ready`, waits for a line on stdin, then does ACTION and prints one JSON line (ok, error,
seconds):
- `settings`: the TenantSettings read-overlay-write of a 45-minute session (under the tenant's lock);
- `domains`: the Tenant patch of its self-provisioning domains to acme.com and acme.org (the same lock).
Used by tests/reliability/test_shared_locks.py.
"""

from __future__ import annotations

import json
import sys
import time

from pulumi_descope_dynamic_provider.api.client import DescopeClient
from pulumi_descope_dynamic_provider.api.settings import ClientSettings

NEW_DOMAINS = ["acme.com", "acme.org"]


def main(argv: list[str]) -> int:
    action, tenant_id = argv
    client = DescopeClient(ClientSettings.resolve({}))
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    error = ""
    try:
        if action == "settings":
            client.overlay_tenant_settings(
                tenant_id, {"sessionTokenExpiration": 45, "sessionTokenExpirationUnit": "minutes"}
            )
        elif action == "domains":
            client.patch_tenant(tenant_id, {"self_provisioning_domains": NEW_DOMAINS})
        else:
            raise ValueError(f"unknown action {action!r}")
    except Exception as exc:  # reported to the parent, which asserts on it
        error = f"{type(exc).__name__}: {exc}"
    client.close()
    print(json.dumps({"ok": not error, "error": error, "seconds": time.monotonic() - started}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
