"""Descope-style API errors: one exception type, and one constructor per error the emulator can raise.

Every error body on the wire is ``{"errorCode", "errorDescription", "errorMessage"}``, as the official
SDKs parse it. The codes come from the project's API notes (shared/descope-api.md); where no public
source names a code (duplicate names, unknown roles, authentication failures, unknown routes) the
constant below documents our choice.
"""

from __future__ import annotations

from typing import Final

# Codes named by public Descope sources.
MISSING_ARGUMENT: Final = "E011002"
VALIDATION_FAILED: Final = "E011003"
INVALID_ARGUMENT: Final = "E011004"
TENANT_NOT_FOUND: Final = "E112202"
RATE_LIMITED: Final = "E130429"
# Descope's answer to any update of the built-in "Tenant Admin" role (terraform-provider-descope #377:
# HTTP 400, "Failed to save role, version conflict", whatever the body says).
BUILT_IN_ROLE_CONFLICT: Final = "E024214"

# Codes of our own choosing (no public source names Descope's).
# Duplicates reuse "invalid argument"; clients detect them by the text "already exists".
ALREADY_EXISTS: Final = INVALID_ARGUMENT
# "Not found" for the object a role or permission call targets (update, delete, batch entries), in
# the E112x02 family of Descope's user (E112102) and tenant (E112202) not-found codes, always HTTP 400
# (every role and permission call is a write). A role or permission merely *named* in another object
# (a role's permissionNames, a tenant's defaultRoles) that does not exist is an invalid argument
# (E011004) instead, so a client can read these two codes as "the target is gone".
ROLE_NOT_FOUND: Final = "E112302"
PERMISSION_NOT_FOUND: Final = "E112402"
# A tenant custom attribute definition a GET or DELETE names (tenant_attributes.py).
TENANT_ATTRIBUTE_NOT_FOUND: Final = "E112502"
UNAUTHORIZED: Final = "E011005"
ROUTE_NOT_FOUND: Final = "E000404"
METHOD_NOT_ALLOWED: Final = "E000405"


class DescopeError(Exception):
    """An API failure with the HTTP status and the three-field Descope error body."""

    def __init__(self, status: int, code: str, description: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.description = description
        self.message = message

    def body(self) -> dict[str, str]:
        return {"errorCode": self.code, "errorDescription": self.description, "errorMessage": self.message}


def missing_argument(field: str) -> DescopeError:
    return DescopeError(400, MISSING_ARGUMENT, "Missing argument", f"The '{field}' argument is required")


def validation_failed(message: str) -> DescopeError:
    return DescopeError(400, VALIDATION_FAILED, "Request failed validation", message)


def invalid_argument(message: str) -> DescopeError:
    return DescopeError(400, INVALID_ARGUMENT, "Invalid argument", message)


def already_exists(message: str) -> DescopeError:
    # "already exists" in both fields: clients match on the text, whichever field they read.
    return DescopeError(400, ALREADY_EXISTS, "Resource already exists", message)


def built_in_role_conflict(role: str) -> DescopeError:
    return DescopeError(
        400,
        BUILT_IN_ROLE_CONFLICT,
        "Failed to save role, version conflict",
        f"Role '{role}' is built in and cannot be updated",
    )


def tenant_not_found(tenant_id: str, *, status: int) -> DescopeError:
    # 404 when loading, 400 when writing: both occur in public sources, clients accept either.
    return DescopeError(status, TENANT_NOT_FOUND, "Tenant not found", f"Tenant '{tenant_id}' not found")


def role_not_found(role: str, tenant_id: str = "") -> DescopeError:
    where = f" in tenant '{tenant_id}'" if tenant_id else ""
    return DescopeError(400, ROLE_NOT_FOUND, "Role not found", f"Role '{role}' not found{where}")


def permission_not_found(permission: str) -> DescopeError:
    return DescopeError(
        400, PERMISSION_NOT_FOUND, "Permission not found", f"Permission '{permission}' not found"
    )


def unauthorized() -> DescopeError:
    # Never echo the presented credentials back.
    return DescopeError(401, UNAUTHORIZED, "Unauthorized", "Invalid or missing management key")


def rate_limited(retry_after: int) -> DescopeError:
    return DescopeError(
        429,
        RATE_LIMITED,
        "Rate limit exceeded",
        f"API rate limit exceeded, retry after {retry_after} seconds",
    )


def route_not_found(method: str, path: str) -> DescopeError:
    return DescopeError(404, ROUTE_NOT_FOUND, "Not found", f"No route for {method} {path}")


def method_not_allowed(method: str, path: str) -> DescopeError:
    return DescopeError(405, METHOD_NOT_ALLOWED, "Method not allowed", f"{method} is not allowed on {path}")
