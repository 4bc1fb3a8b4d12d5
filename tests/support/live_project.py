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


def customers_seed(tenants: int, project_password_policy: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """`project_seed` with one of every other kind the customers file holds: tenant attribute
    definitions (the seed's tenants hold values for them), an SSO application a tenant federates, a
    tenant's own session settings, password policy and OIDC SSO configuration (with a client secret),
    and a user who is a member of a tenant. Needs 5 tenants or more."""
    seed = project_seed(tenants)
    seed["tenantAttributes"] = [
        {
            "name": "plan",
            "displayName": "Plan",
            "type": "singleselect",
            "options": ["free", "pro", "enterprise"],
        },
        {"name": "seats", "displayName": "Seats", "type": "number"},
    ]
    seed["ssoApplications"] = [
        {
            "id": "portal",
            "name": "Portal",
            "appType": "oidc",
            "oidcSettings": {"loginPageUrl": "https://portal.example.com/login"},
        }
    ]
    seed["tenants"][4]["federatedAppIds"] = ["portal"]
    seed["tenants"][3]["settings"] = {
        "enabled": True,
        "sessionTokenExpiration": 15,
        "sessionTokenExpirationUnit": "minutes",
    }
    seed["passwordPolicies"] = [{**project_password_policy, "tenantId": "t002", "minLength": 12}]
    seed["ssoConfigurations"] = [
        {
            "tenantId": "t001",
            "authType": "oidc",
            "displayName": "T001 Okta",
            "domains": ["t001-sso.example.com"],
            "oidc": {
                "name": "Okta",
                "clientId": "0oa-t001",
                "clientSecret": "t001-client-secret",
                "authUrl": "https://t001.okta.com/oauth2/v1/authorize",
                "tokenUrl": "https://t001.okta.com/oauth2/v1/token",
                "userDataUrl": "https://t001.okta.com/oauth2/v1/userinfo",
                "scope": ["email", "openid"],  # as the provider sends it (sorted)
                "roleMappings": [{"groups": ["t001-admins"], "roleName": "Billing Admin"}],
            },
        }
    ]
    seed["users"] = [
        {
            "loginId": "alice@example.com",
            "email": "alice@example.com",
            "userTenants": [{"tenantId": "t000", "roleNames": ["Viewer"]}],
        }
    ]
    return seed


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
