"""A live project as a console would leave it, for the export and drift tests and the export bench:
tenants with parents (three levels), domains, custom attributes and default roles; project and
tenant-scoped roles granting project and system permissions. Deterministic for a given size."""

from __future__ import annotations

from typing import Any

PERMISSIONS = ("invoices.read", "invoices.write", "reports.view", "audit log")


def project_seed(tenants: int) -> dict[str, list[dict[str, Any]]]:
    permissions = [{"name": name, "description": f"Allows {name}"} for name in PERMISSIONS]
    roles: list[dict[str, Any]] = [
        {"name": "Viewer", "description": "Read only", "permissionNames": ["reports.view", "invoices.read"]},
        {"name": "Billing Admin", "permissionNames": ["invoices.write", "invoices.read", "User Admin"]},
        {"name": "Auditor", "default": True, "permissionNames": ["audit log"]},
    ]
    seeded: list[dict[str, Any]] = []
    for n in range(tenants):
        tenant: dict[str, Any] = {"id": f"t{n:03d}", "name": f"Tenant {n:03d}"}
        if n % 10:  # a tenant tree: t000 <- t001..t009; t010 <- t011..; and every 5th child has a child
            tenant["parent"] = f"t{n - n % 10:03d}" if n % 5 else f"t{n - 1:03d}"
        if n % 2 == 0:
            tenant["selfProvisioningDomains"] = [f"t{n:03d}.example.com", f"t{n:03d}-corp.example.org"]
        if n % 3 == 0:
            tenant["customAttributes"] = {"plan": ["free", "pro", "enterprise"][n % 9 // 3], "seats": n}
        if n % 4 == 0:
            tenant["defaultRoles"] = ["Viewer"]
        if n % 7 == 0:
            tenant["enforceSSO"] = True
        if n % 11 == 0:
            tenant["disabled"] = True
        seeded.append(tenant)
        if n % 25 == 0:
            roles.append(
                {
                    "name": "Local Admin",
                    "tenantId": tenant["id"],
                    "permissionNames": ["invoices.write", "SSO Admin"],
                }
            )
    return {"permissions": permissions, "roles": roles, "tenants": seeded}


def settings_seed() -> dict[str, list[dict[str, Any]]]:
    """Four tenants: one with its own session policy (written in units the export rewrites:
    60 minutes is "1h"), one with just-in-time provisioning off, one with the SSO setup suite on, and
    one as a new tenant is."""
    return {
        "tenants": [
            {
                "id": "acme",
                "name": "Acme",
                "settings": {
                    "enabled": True,
                    "sessionTokenExpiration": 60,
                    "sessionTokenExpirationUnit": "minutes",
                    "refreshTokenExpiration": 14,
                    "refreshTokenExpirationUnit": "days",
                    "enableInactivity": True,
                    "inactivityTime": 30,
                    "inactivityTimeUnit": "minutes",
                },
            },
            {"id": "globex", "name": "Globex", "settings": {"JITDisabled": True}},
            {
                "id": "hooli",
                "name": "Hooli",
                "settings": {
                    "ssoSetupSuiteSettings": {"enabled": True, "disabledFeatures": {"scim": True}},
                },
            },
            {"id": "plain", "name": "Plain"},
        ]
    }


def write_requests(stats: dict[str, Any]) -> dict[str, int]:
    """The emulator's requests that could change something (not a GET, not a search), by route."""
    writes: dict[str, int] = {}
    for route, outcomes in stats["requests"].items():
        method, _, path = route.partition(" ")
        if method != "GET" and not path.endswith("/search"):
            writes[route] = sum(outcomes.values())
    return writes
