"""Tenant settings: `/v1/mgmt/tenant/settings`, a per-tenant singleton (no create, no delete).

The settings body also carries tenant fields (self-provisioning domains, SSO domains, auth type, SSO
enforcement, federated apps) and an update is a FULL REPLACE: a field left out is cleared. So the one
safe way to change a few settings is `overlay_tenant_settings`: read the live body, overlay only the
changed keys, write the whole body back, all while holding the tenant's lock (`Transport.object_lock`),
which `patch_tenant` holds too. Without it, a settings write racing a Tenant update of the same tenant
in the same plugin process would write back the domains it read before the patch landed.

Durations travel as value + unit (`minutes|hours|days|weeks`); `wire_duration` and `duration_minutes`
are the one conversion between them and a number of minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ConfigDict, Field, field_validator

from .endpoints import Endpoint
from .models import WireModel, none_to_empty_list
from .overlay import Overlaid, full_replace, overlay_tenant_body
from .tenants import TENANT_GONE, TenantsApi

TENANT_SETTINGS = "/v1/mgmt/tenant/settings"

# Minutes per unit (Descope's units, models.TokenUnit), largest first: the canonical unit of a
# duration is the largest that divides it.
UNIT_MINUTES: dict[str, int] = {"weeks": 7 * 24 * 60, "days": 24 * 60, "hours": 60, "minutes": 1}

# Wire names of the value of each duration; its unit is the same name + "Unit".
DURATION_KEYS = (
    "sessionTokenExpiration",
    "refreshTokenExpiration",
    "stepupTokenExpiration",
    "inactivityTime",
)
# Tenant fields some answers may lack (the official SDKs send them only when given); a write that
# did not read them takes them from the tenant, so the full replace never resets them.
TENANT_SSO_KEYS = ("enforceSSO", "enforceSSOExclusions", "federatedAppIds")


def wire_duration(minutes: int) -> tuple[int, str]:
    """(value, unit) in the largest unit that expresses `minutes` exactly: 1440 -> (1, "days")."""
    for unit, size in UNIT_MINUTES.items():
        if minutes % size == 0:
            return minutes // size, unit
    raise AssertionError("unreachable: every whole number of minutes divides by 1")


def duration_minutes(value: int | None, unit: str | None) -> int | None:
    """Minutes of a wire duration; None when it is not set (the Go SDK and fresh projects send
    0 and an empty unit)."""
    if value is None or not unit:
        return None
    size = UNIT_MINUTES.get(unit)
    return None if size is None else value * size


def duration_text(minutes: int) -> str:
    """The canonical text of a duration, in its largest exact unit: 90 -> "90m", 1440 -> "1d"."""
    value, unit = wire_duration(minutes)
    return f"{value}{unit[0]}"


def duration_text_minutes(text: str) -> int:
    """Minutes of a canonical duration text made by duration_text: "2h" -> 120."""
    units = {unit[0]: size for unit, size in UNIT_MINUTES.items()}
    return int(text[:-1]) * units[text[-1]]


def live_duration(value: int | None, unit: str | None) -> str | None:
    """A loaded duration as canonical text; None when unset. A unit this client does not know is
    kept readable ("30 seconds"), so it shows as drift instead of failing the refresh."""
    if value is None or not unit:
        return None
    minutes = duration_minutes(value, unit)
    return f"{value} {unit}" if minutes is None else duration_text(minutes)


def _empty_unit_is_none(value: Any) -> Any:
    return value or None


class TenantSettings(WireModel):
    """A tenant's settings as loaded (every field optional: `update_tenant_settings` sends only the
    fields set, so a model built in code is a full replace of exactly those)."""

    enabled: bool | None = None
    refresh_token_expiration: int | None = None
    # Units are strings, not TokenUnit: a unit this client does not know is shown as it is rather
    # than failing the read (see live_duration).
    refresh_token_expiration_unit: str | None = None
    session_token_expiration: int | None = None
    session_token_expiration_unit: str | None = None
    stepup_token_expiration: int | None = None
    stepup_token_expiration_unit: str | None = None
    enable_inactivity: bool | None = None
    inactivity_time: int | None = None
    inactivity_time_unit: str | None = None
    jit_disabled: bool | None = Field(default=None, alias="JITDisabled")
    sso_setup_suite_settings: dict[str, Any] | None = None
    self_provisioning_domains: list[str] | None = None
    domains: list[str] | None = None
    auth_type: str | None = None
    enforce_sso: bool | None = Field(default=None, alias="enforceSSO")
    enforce_sso_exclusions: list[str] | None = Field(default=None, alias="enforceSSOExclusions")
    federated_app_ids: list[str] | None = None

    @field_validator(
        "refresh_token_expiration_unit",
        "session_token_expiration_unit",
        "stepup_token_expiration_unit",
        "inactivity_time_unit",
        "auth_type",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return _empty_unit_is_none(value)

    @field_validator("self_provisioning_domains", "domains", mode="before")
    @classmethod
    def _null_lists_are_empty(cls, value: Any) -> Any:
        return none_to_empty_list(value)

    def duration(self, name: str) -> str | None:
        """A duration by its field name (e.g. "session_token_expiration") as canonical text."""
        value: int | None = getattr(self, name)
        unit: str | None = getattr(self, f"{name}_unit")
        return live_duration(value, unit)


class _SettingsAnswer(TenantSettings):
    """A loaded body that also keeps the keys this client does not know: a full replace must not
    clear settings newer than this code."""

    model_config = ConfigDict(**{**WireModel.model_config, "extra": "allow"})


_LOAD = Endpoint("GET", TENANT_SETTINGS, "load settings of tenant {id!r}", TENANT_GONE, _SettingsAnswer)
_WRITE = full_replace(TENANT_SETTINGS, "settings")
# What one overlay read and wrote: the settings before, and the body sent.
SettingsWrite = Overlaid[TenantSettings]


class TenantSettingsApi(TenantsApi):
    def load_tenant_settings(self, tenant_id: str) -> TenantSettings:
        """The tenant's settings; raises NotFoundError when the tenant does not exist."""
        return self._request(_LOAD, {"id": tenant_id})

    def update_tenant_settings(self, tenant_id: str, settings: TenantSettings) -> None:
        """Replace the tenant's settings with exactly the fields set in `settings` (a full replace:
        unset fields are cleared). Prefer `overlay_tenant_settings`, which keeps everything else."""
        body = {**settings.model_dump(by_alias=True, mode="json", exclude_none=True), "tenantId": tenant_id}
        self._request(_WRITE, body)

    def overlay_tenant_settings(
        self, tenant_id: str, changes: Mapping[str, Any], clear: Iterable[str] = ()
    ) -> SettingsWrite:
        """Change only the wire keys in `changes` (and clear the durations or keys named in `clear`,
        which then take Descope's defaults); every other setting and tenant field is written back as
        read. Holds the tenant's lock from the read to the write. 2 requests, 3 when the settings
        answer lacks the tenant's SSO enforcement fields (then the tenant is loaded for them); no
        write (1 or 2 requests) when the settings already mean what the change asks for."""

        def read() -> tuple[TenantSettings, dict[str, Any], int]:
            loaded = self.load_tenant_settings(tenant_id)
            body, requests = _writable(loaded), 1
            if any(key not in body for key in TENANT_SSO_KEYS):
                tenant = self.load_tenant(tenant_id)
                requests += 1
                body.setdefault("enforceSSO", tenant.enforce_sso)
                body.setdefault("enforceSSOExclusions", list(tenant.enforce_sso_exclusions))
                body.setdefault("federatedAppIds", list(tenant.federated_app_ids))
            return loaded, body, requests

        # Clearing a duration clears its unit too.
        cleared = [
            name for key in clear for name in ((key, f"{key}Unit") if key in DURATION_KEYS else (key,))
        ]
        return overlay_tenant_body(
            self,
            tenant_id,
            read=read,
            meaning=_meaning,
            write=_WRITE,
            model=TenantSettings,
            changes=changes,
            clear=cleared,
        )


# The settings' on/off switches: absent or null means off.
_FLAG_KEYS = ("enabled", "enableInactivity", "JITDisabled")


def _meaning(body: Mapping[str, Any]) -> dict[str, Any]:
    """A settings body as Descope understands it, so two spellings of the same settings compare
    equal: durations in minutes (60 minutes is 1 hour), a missing switch is off, a missing SSO setup
    suite is the suite off with nothing disabled. Other keys (the tenant fields) as they are."""
    meaning = {key: value for key, value in body.items() if value is not None and key != "tenantId"}
    for key in DURATION_KEYS:
        value, unit = meaning.pop(key, None), meaning.pop(f"{key}Unit", None)
        minutes = duration_minutes(value, unit)
        # A unit this client does not know is compared as it is (never equal to a cleared duration).
        meaning[key] = minutes if minutes is not None or not unit else (value, unit)
    for key in _FLAG_KEYS:
        meaning[key] = bool(meaning.get(key))
    suite = meaning.pop("ssoSetupSuiteSettings", None) or {}
    features = suite.get("disabledFeatures") or {}
    meaning["ssoSetupSuiteSettings"] = (
        bool(suite.get("enabled")),
        str(suite.get("styleId") or ""),
        sorted(name for name, disabled in features.items() if disabled),
    )
    return meaning


def _writable(loaded: TenantSettings) -> dict[str, Any]:
    """The loaded body as it can be written back: nulls dropped (null and absent both mean "not set")
    and unset durations (value 0 and unit "", as the Go SDK and fresh projects have them) left out,
    so writing them back never turns "not set" into an invalid unit. Keys this client does not know
    are kept (see _SettingsAnswer)."""
    body = loaded.model_dump(by_alias=True, mode="json", exclude_none=True)
    for key in DURATION_KEYS:
        if not body.get(f"{key}Unit"):
            body.pop(key, None)
            body.pop(f"{key}Unit", None)
    return body
