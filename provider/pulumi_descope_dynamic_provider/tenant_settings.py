"""The provider behind `pulumi_descope_dynamic.TenantSettings`: a tenant's session policy.

An attached singleton: every tenant has settings, so there is nothing to create or delete. The
resource's id is the tenant id; "create" configures the settings the program sets, "delete" puts
back what they were before this resource managed them (recorded in the output `settings_before`),
clearing to the project's defaults what had no value then or was not recorded.

Every write is a read-overlay-write of the full settings body (`overlay_tenant_settings`), under the
tenant's lock that Tenant patches hold too, so it changes only this resource's fields and never a
tenant field the Tenant resource manages (domains, SSO enforcement, ...), even when the engine runs
both at once.

What every per-tenant singleton does (the record, the put-back, one GET per refresh: Descope lists no
settings) is core/attached.py's; this module declares the fields and their wire form.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.tenant_settings.TenantSettingsProvider` is
written into users' stack state. Never rename or move it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .api.tenant_settings import TenantSettings, duration_text_minutes, wire_duration
from .core import checks
from .core.abilities import Proposal
from .core.attached import TenantSingletonProvider, tenant_singleton_spec
from .core.fields import FLAG, TEXT_LIST, Block, Field, PyType, Sent

if TYPE_CHECKING:
    from .api.client import DescopeClient

__all__ = ["TENANT_SETTINGS", "TenantSettingsProvider"]

SSO_FEATURES = {
    "saml": "saml",
    "oidc": "oidc",
    "scim": "scim",
    "sso_domains": "ssoDomains",
    "group_mapping": "groupMapping",
}
SSO_DEFAULT: dict[str, Any] = {"enabled": False, "style_id": "", "disabled_features": []}


def sso_setup_suite(prop: str, value: Any) -> tuple[Any, str | None]:
    """{"enabled": bool, "style_id": str, "disabled_features": [names]}: managed as a whole, with
    defaults for what is left out (off, no style, nothing disabled); feature names sorted."""
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        return None, (
            f'{prop} must be a map such as {{"enabled": True, "style_id": "...", '
            f'"disabled_features": ["scim"]}}; got {type(value).__name__}'
        )
    unknown = sorted(str(key) for key in value if key not in SSO_SETUP_SUITE.keys)
    if unknown:
        return None, f"{prop} has unknown key(s) {unknown}; the keys are {list(SSO_SETUP_SUITE.keys)}"
    enabled, problem = checks.boolean(f"{prop}.enabled", value.get("enabled"))
    if problem:
        return None, problem
    style_id, problem = checks.single_line_text(f"{prop}.style_id", value.get("style_id"))
    if problem:
        return None, problem
    features, problem = checks.string_set(f"{prop}.disabled_features", value.get("disabled_features"))
    if problem:
        return None, problem
    wrong = sorted(set(features or []) - set(SSO_FEATURES))
    if wrong:
        return None, (
            f"{prop}.disabled_features has unknown feature(s) {wrong}; choose from {sorted(SSO_FEATURES)}"
        )
    return {"enabled": bool(enabled), "style_id": style_id or "", "disabled_features": features or []}, None


SSO_SETUP_SUITE = Block(
    "SsoSetupSuiteArgs",
    "The tenant's SSO setup suite (the self-service SSO configuration its admins use).",
    (
        Field("enabled", checks.boolean, type=FLAG, default=False, doc="Turn the suite on for the tenant."),
        Field(
            "style_id",
            checks.single_line_text,
            default="",
            doc="Id of the style the suite's pages use; None for the project's default.",
        ),
        Field(
            "disabled_features",
            checks.string_set,
            type=TEXT_LIST,
            default=list,
            doc="""Features hidden from the tenant's admins: any of "saml", "oidc", "scim", "sso_domains",
"group_mapping".""",
        ),
    ),
)
_DURATION = PyType("str | int", "str | None")

TENANT_SETTINGS = tenant_singleton_spec(
    "TenantSettings",
    "tenant settings",
    doc="""A tenant's session policy (type token `pulumi-python:dynamic/descope:TenantSettings`).

```python
descope.TenantSettings("acme-session", tenant_id=acme.id, session_settings_enabled=True,
                       session_token_expiration="15m", refresh_token_expiration="12h")
```
Deleting the resource puts back the values the tenant had before (`settings_before`).""",
    args_doc="""The settings of one tenant. A setting left as None is not managed: it keeps its value in
Descope. Durations are written as "15m", "12h", "30d", "2w" or a number of minutes.""",
    what="settings",
    things="settings",
    before="settings_before",
    fields=(
        Field(
            "session_settings_enabled",
            checks.boolean,
            type=FLAG,
            wire="enabled",
            doc="The tenant overrides the project's session settings with the ones below.",
        ),
        Field(
            "session_token_expiration",
            checks.duration(3),
            type=_DURATION,
            wire="sessionTokenExpiration",
            doc="Session token lifetime, at least 3 minutes.",
            output_doc='Canonical form: the largest exact unit, e.g. "90m", "2h", "1d", "2w"; None when not '
            "set.",
        ),
        Field(
            "refresh_token_expiration",
            checks.duration(3),
            type=_DURATION,
            wire="refreshTokenExpiration",
            doc="Refresh token lifetime, at least 3 minutes and not shorter than the session token's.",
        ),
        Field(
            "stepup_token_expiration",
            checks.duration(3),
            type=_DURATION,
            wire="stepupTokenExpiration",
            doc="Step-up token lifetime, at least 3 minutes.",
        ),
        Field(
            "enable_inactivity",
            checks.boolean,
            type=FLAG,
            wire="enableInactivity",
            doc="Sign users out after inactivity_time without activity.",
        ),
        Field(
            "inactivity_time",
            checks.duration(10),
            type=_DURATION,
            wire="inactivityTime",
            doc="Inactivity timeout, at least 10 minutes.",
        ),
        Field(
            "jit_disabled",
            checks.boolean,
            type=FLAG,
            wire="JITDisabled",
            doc="Turn off just-in-time provisioning of SSO users.",
        ),
        Field(
            "sso_setup_suite",
            sso_setup_suite,
            type=PyType("SsoSetupSuiteArgs | dict[str, Any]", "dict[str, Any]", SSO_SETUP_SUITE),
            wire="ssoSetupSuiteSettings",
            doc="""SSO setup suite settings: `descope.SsoSetupSuiteArgs(enabled=True, style_id="...",
disabled_features=["scim"])` or the same as a dict. Managed as a whole (what is left out is off /
not disabled).""",
        ),
    ),
)
# The settings this resource writes (every input but the tenant id), with their wire names.
SETTINGS = {f.name: f.wire for f in TENANT_SETTINGS.inputs if TENANT_SETTINGS.sent(f) is Sent.REPLACE}
DURATIONS = (
    "session_token_expiration",
    "refresh_token_expiration",
    "stepup_token_expiration",
    "inactivity_time",
)


@dataclass(frozen=True)
class LiveSettings:
    """A tenant's settings in the provider's normalised form (the attributes are the spec's fields)."""

    tenant_id: str
    session_settings_enabled: bool
    session_token_expiration: str | None
    refresh_token_expiration: str | None
    stepup_token_expiration: str | None
    enable_inactivity: bool
    inactivity_time: str | None
    jit_disabled: bool
    sso_setup_suite: dict[str, Any]
    settings_before: dict[str, Any] | None = None

    @staticmethod
    def of(tenant_id: str, loaded: TenantSettings) -> LiveSettings:
        return LiveSettings(
            tenant_id=tenant_id,
            session_settings_enabled=bool(loaded.enabled),
            session_token_expiration=loaded.duration("session_token_expiration"),
            refresh_token_expiration=loaded.duration("refresh_token_expiration"),
            stepup_token_expiration=loaded.duration("stepup_token_expiration"),
            enable_inactivity=bool(loaded.enable_inactivity),
            inactivity_time=loaded.duration("inactivity_time"),
            jit_disabled=bool(loaded.jit_disabled),
            sso_setup_suite=_sso_from_wire(loaded.sso_setup_suite_settings),
        )


def _sso_from_wire(wire: Mapping[str, Any] | None) -> dict[str, Any]:
    wire = wire or {}
    disabled = wire.get("disabledFeatures") or {}
    return {
        "enabled": bool(wire.get("enabled")),
        "style_id": str(wire.get("styleId") or ""),
        "disabled_features": sorted(name for name, key in SSO_FEATURES.items() if disabled.get(key)),
    }


def _sso_to_wire(value: Mapping[str, Any]) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "enabled": bool(value["enabled"]),
        "disabledFeatures": {key: name in value["disabled_features"] for name, key in SSO_FEATURES.items()},
    }
    if value["style_id"]:
        wire["styleId"] = value["style_id"]
    return wire


def wire_changes(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(keys to set, keys to clear) for settings in the provider's form; None clears a setting to
    Descope's default (off, not set, no SSO setup suite settings)."""
    changes: dict[str, Any] = {}
    clear: list[str] = []
    for name, value in values.items():
        key = SETTINGS[name]
        if name == "sso_setup_suite" and value == SSO_DEFAULT:
            value = None  # what Descope has when it was never set: clear rather than spell it out
        if value is None:
            if name in DURATIONS or name == "sso_setup_suite":
                clear.append(key)
            else:
                changes[key] = False
        elif name in DURATIONS:
            changes[key], changes[f"{key}Unit"] = wire_duration(duration_text_minutes(value))
        elif name == "sso_setup_suite":
            changes[key] = _sso_to_wire(value)
        else:
            changes[key] = bool(value)
    return changes, clear


class TenantSettingsProvider(TenantSingletonProvider[LiveSettings]):
    """check/diff/create/read/update/delete of one tenant's settings."""

    spec = TENANT_SETTINGS
    what = "settings"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        inputs = proposal.inputs
        session, refresh = inputs.get("session_token_expiration"), inputs.get("refresh_token_expiration")
        if session is None or refresh is None or checks.is_unknown(session) or checks.is_unknown(refresh):
            return []
        if duration_text_minutes(session) > duration_text_minutes(refresh):
            return [
                (
                    "session_token_expiration",
                    f"session_token_expiration {session!r} is longer than refresh_token_expiration "
                    f"{refresh!r}; a session cannot outlive its refresh token: shorten it or lengthen "
                    "refresh_token_expiration",
                )
            ]
        return []

    def load(self, client: DescopeClient, tenant_id: str) -> LiveSettings:
        return LiveSettings.of(tenant_id, client.load_tenant_settings(tenant_id))

    def write(
        self, client: DescopeClient, tenant_id: str, values: Mapping[str, Any]
    ) -> tuple[LiveSettings, LiveSettings]:
        written = client.overlay_tenant_settings(tenant_id, *wire_changes(values))
        return LiveSettings.of(tenant_id, written.before), LiveSettings.of(tenant_id, written.after)
