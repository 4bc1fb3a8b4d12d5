"""The SSO area's objects and the rules for their request bodies: a configuration, its admin link, the
SAML and OIDC settings a configure sends (validated and normalised), the group-to-role mappings.
``configurations.py`` serves them; see the package docstring for the wire shapes and choices."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields
from descope_emulator.wire import wire_form

DEFAULT_SSO_ID: Final = "default_ssoid"
AUTH_TYPES: Final = ("none", "saml", "oidc")
GRANT_TYPES: Final = ("authorization_code", "implicit")
PROMPTS: Final = ("none", "login", "consent", "select_account")
# Where the derived SP values point; Descope's real host, so they look like what users paste into an IdP.
SP_BASE_URL: Final = "https://api.descope.com"
ADMIN_LINK_BASE_URL: Final = "https://app.descope.com/sso-setup"
DEFAULT_ADMIN_LINK_SECONDS: Final = 7 * 24 * 3600
SSO_ID_RANDOM_CHARS: Final = 24

SAML_ATTRIBUTES: Final = (
    "name",
    "email",
    "username",
    "phoneNumber",
    "group",
    "givenName",
    "middleName",
    "familyName",
    "picture",
)
# The defaults Descope shows for an OIDC connection without an explicit mapping (Python SDK docstring).
OIDC_DEFAULT_ATTRIBUTES: Final = {
    "loginId": "sub",
    "username": "",
    "name": "name",
    "email": "email",
    "phoneNumber": "phone_number",
    "verifiedEmail": "email_verified",
    "verifiedPhone": "phone_number_verified",
    "picture": "picture",
    "givenName": "given_name",
    "middleName": "middle_name",
    "familyName": "family_name",
}
OIDC_STRINGS: Final = (
    "name",
    "clientId",
    "redirectUrl",
    "authUrl",
    "tokenUrl",
    "userDataUrl",
    "JWKsUrl",
    "issuer",
    "callbackDomain",
)
# SAML settings kept verbatim (validated as JSON only): FGA options the emulator does not interpret.
SAML_PASSTHROUGH: Final = (
    "fgaMappings",
    "configFGATenantIDResourcePrefix",
    "configFGATenantIDResourceSuffix",
)

# What a configure's SAML settings store (request names), and every other key SAML settings or answers
# use: a key of a configure's ``settings`` in neither (nor in SAML_PASSTHROUGH) is kept verbatim and
# answered back in ``saml`` (each configure replaces it), and likewise for OIDC.
SAML_STORED: Final = (
    "idpUrl",
    "entityId",
    "idpCert",
    "idpAdditionalCerts",
    "idpMetadataUrl",
    "attributeMapping",
    "spACSUrl",
    "spEntityId",
    "disableSignRequest",
)
OIDC_STORED: Final = (
    *OIDC_STRINGS,
    "scope",
    "userAttrMapping",
    "manageProviderTokens",
    "prompt",
    "grantType",
    "usePkce",
)
_MAPPING_FIELDS: Final = (
    "roleMappings",
    "groupsMapping",
    "defaultSSORoles",
    "replaceDefaultSSORoles",
    "groupsPriority",
    "lastSuccessTestTime",
)
_SAML_ANSWERED: Final = (
    "idpEntityId",
    "idpSSOUrl",
    "idpCertificate",
    "idpAdditionalCertificates",
    "spCertificate",
    "redirectUrl",
)
SAML_FIELDS: Final = (*SAML_STORED, *SAML_PASSTHROUGH, *_SAML_ANSWERED, *_MAPPING_FIELDS)
OIDC_FIELDS: Final = (*OIDC_STORED, "clientSecret", *_MAPPING_FIELDS)

# The fields of the deprecated flat v1 load (Go ``SSOSettingsResponse``), taken from the SAML side.
V1_SAML_FIELDS: Final = (
    "idpEntityId",
    "idpSSOUrl",
    "idpCertificate",
    "idpMetadataUrl",
    "spEntityId",
    "spACSUrl",
    "spCertificate",
    "groupsMapping",
    "redirectUrl",
)
V1_USER_MAPPING: Final = ("name", "email", "username", "phoneNumber", "group")


# Our choice: no public source names Descope's code for an unknown SSO configuration.
SSO_NOT_FOUND: Final = "E112404"


def sso_not_found(tenant_id: str, sso_id: str, *, status: int) -> errors.DescopeError:
    return errors.DescopeError(
        status,
        SSO_NOT_FOUND,
        "SSO configuration not found",
        f"SSO configuration '{sso_id}' not found in tenant '{tenant_id}'",
    )


@dataclass
class AdminLink:
    token_hash: str
    expires: int
    email: str


# What ``SsoConfiguration.dump`` holds, in order (each from the attribute that is its snake_case).
_DUMPED: Final = (
    "tenantId", "ssoId", "displayName", "authType", "domains", "redirectUrl", "saml", "oidc",
    "clientSecretSha256", "roleMappings", "defaultSSORoles", "groupsPriority", "lastSuccessTestTime",
)  # fmt: skip


@dataclass
class SsoConfiguration:
    tenant_id: str
    sso_id: str
    display_name: str
    auth_type: str = "none"
    domains: list[str] = field(default_factory=list)
    redirect_url: str = ""  # the SAML redirect URL (OIDC has its own in its settings)
    saml: dict[str, Any] = field(default_factory=dict)  # normalised request shape; {} = never configured
    oidc: dict[str, Any] = field(default_factory=dict)  # normalised request shape, without the secret
    client_secret_sha256: str = ""  # SHA-256 of the OIDC client secret; the secret itself is not kept
    role_mappings: list[dict[str, Any]] = field(default_factory=list)  # [{"groups", "roleName"}]
    default_sso_roles: list[str] = field(default_factory=list)
    groups_priority: list[str] = field(default_factory=list)
    last_success_test_time: int = 0
    admin_link: AdminLink | None = None

    def dump(self) -> dict[str, Any]:
        """The stored state, secret as a hash only; ``SsoConfigurations.seed`` accepts it back."""
        return wire_form(self, _DUMPED)


def _string_map(fields: Fields, key: str) -> dict[str, str]:
    value = fields.mapping(key)
    if not all(isinstance(item, str) for item in value.values()):
        raise errors.validation_failed(f"'{key}' must map names to strings")
    return value


def saml_attribute_mapping(fields: Fields) -> dict[str, Any]:
    inner = Fields(fields.mapping("attributeMapping"))
    mapping: dict[str, Any] = {name: inner.string(name) for name in SAML_ATTRIBUTES}
    mapping["customAttributes"] = _string_map(inner, "customAttributes")
    return mapping


def _oidc_attribute_mapping(fields: Fields) -> dict[str, str]:
    if not fields.present("userAttrMapping"):
        return dict(OIDC_DEFAULT_ATTRIBUTES)
    inner = Fields(fields.mapping("userAttrMapping"))
    return {name: inner.string(name) for name in OIDC_DEFAULT_ATTRIBUTES}


def role_mappings(body: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """``roleMappings: [{groups, roleName}]`` or Go's ``groupsMapping: [{role: {name}, groups}]``;
    None when neither is sent (the stored mapping stays)."""
    key = "roleMappings" if body.get("roleMappings") is not None else "groupsMapping"
    raw = body.get(key)
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise errors.validation_failed(f"'{key}' must be a list of objects")
    mappings = []
    for index, item in enumerate(raw):
        entry = Fields(item)
        if key == "roleMappings":
            role_name = entry.string("roleName")
        else:
            role_name = Fields(entry.mapping("role")).string("name")
        if not role_name.strip():
            raise errors.invalid_argument(f"'{key}[{index}]' needs a non-empty role name")
        mappings.append({"groups": entry.string_list("groups"), "roleName": role_name})
    return mappings


def _choices(fields: Fields, key: str, allowed: tuple[str, ...]) -> list[str]:
    values = fields.string_list(key)
    for value in values:
        if value not in allowed:
            raise errors.invalid_argument(f"'{key}' values must be among {list(allowed)}, got '{value}'")
    return values


def saml_settings(body: Mapping[str, Any], *, by_metadata: bool) -> dict[str, Any]:
    settings = Fields(body)
    if by_metadata:
        metadata_url = settings.required_string("idpMetadataUrl")
        idp_url, idp_cert, additional = "", "", []
    else:
        metadata_url = ""
        idp_url = settings.required_string("idpUrl")
        idp_cert = settings.required_string("idpCert")
        additional = settings.string_list("idpAdditionalCerts")
    entity_id = settings.string("entityId") if by_metadata else settings.required_string("entityId")
    stored: dict[str, Any] = {
        "idpUrl": idp_url,
        "entityId": entity_id,
        "idpCert": idp_cert,
        "idpAdditionalCerts": additional,
        "idpMetadataUrl": metadata_url,
        "attributeMapping": saml_attribute_mapping(settings),
        "spACSUrl": settings.string("spACSUrl"),
        "spEntityId": settings.string("spEntityId"),
        "disableSignRequest": settings.boolean("disableSignRequest"),
    }
    for key in SAML_PASSTHROUGH:
        if body.get(key) is not None:
            stored[key] = copy.deepcopy(body[key])
    return {**stored, **settings.unknown(SAML_FIELDS)}


def oidc_settings(body: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    settings = Fields(body)
    stored: dict[str, Any] = {key: settings.string(key) for key in OIDC_STRINGS}
    if not stored["clientId"]:
        raise errors.missing_argument("settings.clientId")
    stored["scope"] = settings.string_list("scope")
    stored["userAttrMapping"] = _oidc_attribute_mapping(settings)
    stored["manageProviderTokens"] = settings.boolean("manageProviderTokens")
    stored["prompt"] = _choices(settings, "prompt", PROMPTS)
    grant_type = settings.string("grantType") or GRANT_TYPES[0]
    if grant_type not in GRANT_TYPES:
        raise errors.invalid_argument(f"'settings.grantType' must be one of {list(GRANT_TYPES)}")
    stored["grantType"] = grant_type
    stored["usePkce"] = settings.boolean("usePkce", bool(previous.get("usePkce", False)))
    if stored["usePkce"] and grant_type == "implicit":
        raise errors.invalid_argument("'settings.usePkce' is not allowed with the implicit grant type")
    return {**stored, **settings.unknown(OIDC_FIELDS)}


def unmodelled(stored: Mapping[str, Any], modelled: tuple[str, ...]) -> dict[str, Any]:
    """A copy of the stored settings keys outside ``modelled``: the ones answered back as sent."""
    return {key: copy.deepcopy(value) for key, value in stored.items() if key not in modelled}
