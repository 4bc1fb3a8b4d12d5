"""Tenant SSO configurations: several per tenant, each a SAML and/or OIDC connection.

Served as the official Python, Node and Go SDKs call it:
- ``POST /v1/mgmt/sso/settings/new {tenantId, ssoId?, displayName}`` -> the new configuration
- ``POST /v1/mgmt/sso/oidc {tenantId, ssoId?, settings {...}, domains}`` -> ``{}``
- ``POST /v1/mgmt/sso/saml {tenantId, ssoId?, settings {...}, redirectUrl, domains}`` -> ``{}``
- ``POST /v1/mgmt/sso/saml/metadata`` as SAML with ``settings.idpMetadataUrl`` -> ``{}``
- ``POST /v1/mgmt/sso/settings/authtype {tenantId, ssoId?, authType}`` -> ``{}``
- ``GET /v2/mgmt/sso/settings?tenantId=&ssoId=`` -> one configuration
- ``GET /v2/mgmt/sso/settings/all?tenantId=`` -> ``{"SSOSettings": [configuration, ...]}``
- ``DELETE /v1/mgmt/sso/settings?tenantId=&ssoId=`` -> ``{}``
- ``POST /v1/mgmt/sso/redirect {tenantId, ssoId?, samlRedirectUrl?, oauthRedirectUrl?}`` -> ``{}`` (the
  configuration must exist, even the default one); ``POST /v1/mgmt/sso/recalculate-mappings {tenantId,
  ssoId?}`` -> ``{}`` (checks the configuration exists: the emulator has no users to re-map)
- the deprecated v1 calls, on the default configuration: ``GET /v1/mgmt/sso/settings?tenantId=`` (flat
  SAML settings), ``POST /v1/mgmt/sso/settings``, ``/v1/mgmt/sso/metadata``, ``/v1/mgmt/sso/mapping``
  (see ``configure_v1`` and below)
- ``POST /v2/mgmt/tenant/adminlinks/sso/generate {tenantId, expireTime?, ssoId?, email?}``
  -> ``{"adminSSOConfigurationLink": url}``; ``POST /v1/mgmt/tenant/adminlinks/sso/revoke {tenantId, ssoId?}``

A configuration on the wire (Go ``SSOTenantSettingsResponse``)::

    {"tenant": {...tenant object, authType and domains of THIS configuration...},
     "saml": {"idpEntityId", "idpSSOUrl", "idpCertificate", "idpAdditionalCertificates", "idpMetadataUrl",
              "spEntityId", "spACSUrl", "spCertificate", "attributeMapping", "groupsMapping",
              "defaultSSORoles", "groupsPriority", "redirectUrl", "disableSignRequest",
              "lastSuccessTestTime"},
     "oidc": {"name", "clientId", "clientSecret": "", "redirectUrl", "authUrl", "tokenUrl", "userDataUrl",
              "scope", "JWKsUrl", "issuer", "userAttrMapping", "manageProviderTokens", "callbackDomain",
              "prompt", "grantType", "usePkce", "groupsMapping", "defaultSSORoles", "groupsPriority",
              "lastSuccessTestTime"},
     "ssoId": "...", "displayName": "..."}

``groupsMapping`` entries are ``{"role": {"id", "name"}, "groups": [...]}`` (the Node SDK reads
``role.name``); requests send ``roleMappings: [{"groups", "roleName"}]`` (Go's OIDC settings may send
``groupsMapping`` instead; both are accepted).

Choices where Descope's behaviour is not public (each documented, each tested):
- No ``ssoId`` means ``default_ssoid``. Configuring ``default_ssoid`` creates it when missing (the
  single-SSO flow); any other id must first be created with ``settings/new``. ``settings/new`` without an
  id generates one (``SSO`` + 24 characters).
- An unknown configuration is ``E112404`` ("SSO configuration not found"): 404 on loads, 400 on writes,
  like an unknown tenant (``E112202``).
- Each configure replaces that protocol's settings whole, the configuration's ``domains`` and (SAML) its
  ``redirectUrl``, and sets its ``authType``; the other protocol's stored settings stay (``authtype`` can
  switch back to them, as the Python SDK's ``configure_auth_type`` describes).
- The group-to-role mapping is per configuration, shared by both protocols (as the SDKs describe it):
  ``roleMappings``/``groupsMapping`` and ``groupsPriority`` are replaced when sent and kept when absent;
  ``defaultSSORoles`` is kept when absent or empty unless ``replaceDefaultSSORoles`` is true (the Python
  SDK's documented server behaviour). Mapped and default role names must exist (a project role or a role
  of the tenant), else ``E011004``.
- The OIDC ``clientSecret`` is write-only: every answer carries ``""``, the store keeps only its SHA-256,
  and a configure with an empty or absent secret keeps the stored one (so resending loaded settings
  cannot wipe it). ``usePkce`` absent keeps the stored value, as the Python SDK documents.
- ``spACSUrl`` and ``spEntityId`` are derived from the project, tenant and configuration ids unless a
  SAML configure sends overrides (the SDKs allow that for migrations). ``spCertificate`` is always empty.
  ``lastSuccessTestTime`` is 0 until a test hook marks a successful test login.
- SAML by metadata does not fetch the metadata: ``idpSSOUrl`` and ``idpCertificate`` stay empty.
- SSO domains belong to one tenant only (case-insensitive): a clash with another tenant is a 400.
- The tenant object's ``authType`` and ``domains`` follow its ``default_ssoid`` configuration (back to
  ``none``/``[]`` when it is deleted); other configurations do not change the tenant object. The other
  direction is not modelled: a tenant settings update still writes the tenant object's ``authType`` and
  ``domains`` and changes no configuration. Deleting a tenant deletes its configurations.
- Each configuration's answer embeds the tenant object with THAT configuration's ``authType`` and
  ``domains``, so a client can read which protocol a non-default configuration uses.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from descope_emulator import errors
from descope_emulator.state import Tenant, _casefolded, _domains, _Fields

if TYPE_CHECKING:
    from descope_emulator.state import Store

DEFAULT_SSO_ID: Final = "default_ssoid"
AUTH_TYPES: Final = ("none", "saml", "oidc")
GRANT_TYPES: Final = ("authorization_code", "implicit")
PROMPTS: Final = ("none", "login", "consent", "select_account")
# Where the derived SP values point; Descope's real host, so they look like what users paste into an IdP.
SP_BASE_URL: Final = "https://api.descope.com"
ADMIN_LINK_BASE_URL: Final = "https://app.descope.com/sso-setup"
DEFAULT_ADMIN_LINK_SECONDS: Final = 7 * 24 * 3600
_SSO_ID_RANDOM_CHARS: Final = 24

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
_OIDC_STRINGS: Final = (
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
_SAML_PASSTHROUGH: Final = (
    "fgaMappings",
    "configFGATenantIDResourcePrefix",
    "configFGATenantIDResourceSuffix",
)

# The fields of the deprecated flat v1 load (Go ``SSOSettingsResponse``), taken from the SAML side.
_V1_SAML_FIELDS: Final = (
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
_V1_USER_MAPPING: Final = ("name", "email", "username", "phoneNumber", "group")


# Our choice: no public source names Descope's code for an unknown SSO configuration.
SSO_NOT_FOUND: Final = "E112404"


def sso_not_found(tenant_id: str, sso_id: str, *, status: int) -> errors.DescopeError:
    return errors.DescopeError(
        status,
        SSO_NOT_FOUND,
        "SSO configuration not found",
        f"SSO configuration '{sso_id}' not found in tenant '{tenant_id}'",
    )


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class AdminLink:
    token_hash: str
    expires: int
    email: str


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
    client_secret_hash: str = ""  # SHA-256 of the OIDC client secret; the secret itself is not kept
    role_mappings: list[dict[str, Any]] = field(default_factory=list)  # [{"groups", "roleName"}]
    default_sso_roles: list[str] = field(default_factory=list)
    groups_priority: list[str] = field(default_factory=list)
    last_success_test_time: int = 0
    admin_link: AdminLink | None = None

    def dump(self) -> dict[str, Any]:
        """The stored state, secret as a hash only; ``SsoConfigurations.seed`` accepts it back."""
        return copy.deepcopy(
            {
                "tenantId": self.tenant_id,
                "ssoId": self.sso_id,
                "displayName": self.display_name,
                "authType": self.auth_type,
                "domains": self.domains,
                "redirectUrl": self.redirect_url,
                "saml": self.saml,
                "oidc": self.oidc,
                "clientSecretSha256": self.client_secret_hash,
                "roleMappings": self.role_mappings,
                "defaultSSORoles": self.default_sso_roles,
                "groupsPriority": self.groups_priority,
                "lastSuccessTestTime": self.last_success_test_time,
            }
        )


def _string_map(fields: _Fields, key: str) -> dict[str, str]:
    value = fields.mapping(key)
    if not all(isinstance(item, str) for item in value.values()):
        raise errors.validation_failed(f"'{key}' must map names to strings")
    return value


def _saml_attribute_mapping(fields: _Fields) -> dict[str, Any]:
    inner = _Fields(fields.mapping("attributeMapping"))
    mapping: dict[str, Any] = {name: inner.string(name) for name in SAML_ATTRIBUTES}
    mapping["customAttributes"] = _string_map(inner, "customAttributes")
    return mapping


def _oidc_attribute_mapping(fields: _Fields) -> dict[str, str]:
    if not fields.present("userAttrMapping"):
        return dict(OIDC_DEFAULT_ATTRIBUTES)
    inner = _Fields(fields.mapping("userAttrMapping"))
    return {name: inner.string(name) for name in OIDC_DEFAULT_ATTRIBUTES}


def _role_mappings(body: Mapping[str, Any]) -> list[dict[str, Any]] | None:
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
        entry = _Fields(item)
        if key == "roleMappings":
            role_name = entry.string("roleName")
        else:
            role_name = _Fields(entry.mapping("role")).string("name")
        if not role_name.strip():
            raise errors.invalid_argument(f"'{key}[{index}]' needs a non-empty role name")
        mappings.append({"groups": entry.string_list("groups"), "roleName": role_name})
    return mappings


def _choices(fields: _Fields, key: str, allowed: tuple[str, ...]) -> list[str]:
    values = fields.string_list(key)
    for value in values:
        if value not in allowed:
            raise errors.invalid_argument(f"'{key}' values must be among {list(allowed)}, got '{value}'")
    return values


def _saml_settings(body: Mapping[str, Any], *, by_metadata: bool) -> dict[str, Any]:
    settings = _Fields(body)
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
        "attributeMapping": _saml_attribute_mapping(settings),
        "spACSUrl": settings.string("spACSUrl"),
        "spEntityId": settings.string("spEntityId"),
        "disableSignRequest": settings.boolean("disableSignRequest"),
    }
    for key in _SAML_PASSTHROUGH:
        if body.get(key) is not None:
            stored[key] = copy.deepcopy(body[key])
    return stored


def _oidc_settings(body: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    settings = _Fields(body)
    stored: dict[str, Any] = {key: settings.string(key) for key in _OIDC_STRINGS}
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
    return stored


class SsoConfigurations:
    """The SSO configurations of every tenant of one ``Store`` (sharing its lock, clock and ids)."""

    def __init__(self, store: Store, project_id: str) -> None:
        self._store = store
        self._project_id = project_id
        # Keyed by (tenant id, sso id), in creation order.
        self._configs: dict[tuple[str, str], SsoConfiguration] = {}

    # ----- lifecycle hooks called by Store ------------------------------------------------------

    def clear(self) -> None:
        self._configs.clear()

    def tenant_removed(self, tenant_id: str) -> None:
        for key in [key for key in self._configs if key[0] == tenant_id]:
            del self._configs[key]

    def dump(self) -> list[dict[str, Any]]:
        return [config.dump() for config in self._configs.values()]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """Seeds configurations: the ``dump`` shape, where ``saml``/``oidc`` are configure ``settings``
        bodies and the OIDC secret is ``clientSecret`` (plain, hashed here) or ``clientSecretSha256``."""
        for entry in entries:
            fields = _Fields(entry)
            tenant_id = fields.required_string("tenantId")
            sso_id = fields.string("ssoId") or DEFAULT_SSO_ID
            with self._store._lock:
                self._store._require_tenant(tenant_id, status=400)
                if (tenant_id, sso_id) in self._configs:
                    raise errors.already_exists(f"SSO configuration '{sso_id}' already exists")
                config = SsoConfiguration(tenant_id, sso_id, fields.string("displayName"))
                self._apply_edit(config, entry)
                self._configs[(tenant_id, sso_id)] = config
                self._sync_tenant(config)

    # ----- API ----------------------------------------------------------------------------------

    def new_settings(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = _Fields(body)
        tenant_id = fields.required_string("tenantId")
        display_name = fields.required_string("displayName")
        requested = fields.string("ssoId")
        if any(ch.isspace() for ch in requested):
            raise errors.invalid_argument("'ssoId' must not contain whitespace")
        with self._store._lock:
            tenant = self._store._require_tenant(tenant_id, status=400)
            if requested and (tenant_id, requested) in self._configs:
                raise errors.already_exists(
                    f"SSO configuration '{requested}' already exists in tenant '{tenant_id}'"
                )
            sso_id = requested or self._store._new_id(
                "SSO", _SSO_ID_RANDOM_CHARS, lambda candidate: (tenant_id, candidate) in self._configs
            )
            config = SsoConfiguration(tenant_id, sso_id, display_name)
            self._configs[(tenant_id, sso_id)] = config
            return self._to_wire(config, tenant)

    def configure_oidc(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = _Fields(body)
        tenant_id, sso_id = self._ids(fields)
        if not fields.present("settings"):
            raise errors.missing_argument("settings")
        settings = fields.mapping("settings")
        secret = _Fields(settings).string("clientSecret")
        domains = _domains(fields, "domains")
        with self._store._lock:
            config = self._for_configure(tenant_id, sso_id)
            oidc = _oidc_settings(settings, config.oidc)
            mapping = self._mapping_changes(settings, tenant_id)
            self._check_domains_free(domains, tenant_id)
            config.oidc = oidc
            if secret:
                config.client_secret_hash = _secret_hash(secret)
            self._finish_configure(config, "oidc", domains, mapping)
        return {}

    def configure_saml(self, body: Mapping[str, Any], *, by_metadata: bool = False) -> dict[str, Any]:
        fields = _Fields(body)
        tenant_id, sso_id = self._ids(fields)
        if not fields.present("settings"):
            raise errors.missing_argument("settings")
        settings = fields.mapping("settings")
        saml = _saml_settings(settings, by_metadata=by_metadata)
        domains = _domains(fields, "domains")
        redirect_url = fields.string("redirectUrl")
        with self._store._lock:
            config = self._for_configure(tenant_id, sso_id)
            mapping = self._mapping_changes(settings, tenant_id)
            self._check_domains_free(domains, tenant_id)
            config.saml = saml
            config.redirect_url = redirect_url
            self._finish_configure(config, "saml", domains, mapping)
        return {}

    def configure_saml_metadata(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.configure_saml(body, by_metadata=True)

    def configure_auth_type(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = _Fields(body)
        tenant_id, sso_id = self._ids(fields)
        if not fields.present("authType"):
            raise errors.missing_argument("authType")
        auth_type = fields.choice("authType", AUTH_TYPES, "none")
        with self._store._lock:
            config = self._require(tenant_id, sso_id, status=400)
            config.auth_type = auth_type
            self._sync_tenant(config)
        return {}

    def configure_redirect_urls(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``sso/redirect``: the SAML and/or OIDC redirect URL of an existing configuration only."""
        fields = _Fields(body)
        tenant_id, sso_id = self._ids(fields)
        if not fields.present("samlRedirectUrl") and not fields.present("oauthRedirectUrl"):
            raise errors.missing_argument("samlRedirectUrl or oauthRedirectUrl")
        saml_url, oauth_url = fields.string("samlRedirectUrl"), fields.string("oauthRedirectUrl")
        with self._store._lock:
            config = self._require(tenant_id, sso_id, status=400)
            if fields.present("samlRedirectUrl"):
                config.redirect_url = saml_url
            if fields.present("oauthRedirectUrl"):
                config.oidc = {**config.oidc, "redirectUrl": oauth_url}
        return {}

    def recalculate_mappings(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``sso/recalculate-mappings`` re-applies the group mapping to the SSO users; the emulator has
        no users, so it only checks that the configuration exists."""
        fields = _Fields(body)
        tenant_id, sso_id = self._ids(fields)
        with self._store._lock:
            self._require(tenant_id, sso_id, status=400)
        return {}

    # ----- the deprecated single-configuration (v1) calls, still in every SDK ----------------------
    # They act on the tenant's default configuration. Their SAML configures replace the IdP fields
    # only: the mapping was set by its own call (``sso/mapping``), so the stored attribute mapping and
    # SP overrides are carried over instead of being reset as a v2 configure resets them.

    def _v1_saml(self, body: Mapping[str, Any], idp: dict[str, Any], *, by_metadata: bool) -> dict[str, Any]:
        fields = _Fields(body)
        tenant_id = fields.required_string("tenantId")
        with self._store._lock:
            stored = self._configs.get((tenant_id, DEFAULT_SSO_ID))
            previous = stored.saml if stored is not None else {}
            kept = {
                key: previous[key]
                for key in ("attributeMapping", "spACSUrl", "spEntityId")
                if key in previous
            }
            request: dict[str, Any] = {
                "tenantId": tenant_id,
                "settings": {**kept, **idp},
                "redirectUrl": fields.string("redirectURL"),
                "domains": body.get("domains"),
            }
            return self.configure_saml(request, by_metadata=by_metadata)

    def configure_v1(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/mgmt/sso/settings {tenantId, idpURL, entityId, idpCert, redirectURL, domains}``."""
        fields = _Fields(body)
        idp = {
            "idpUrl": fields.required_string("idpURL"),
            "entityId": fields.required_string("entityId"),
            "idpCert": fields.required_string("idpCert"),
        }
        return self._v1_saml(body, idp, by_metadata=False)

    def configure_metadata_v1(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/mgmt/sso/metadata {tenantId, idpMetadataURL, redirectURL, domains}``."""
        idp = {"idpMetadataUrl": _Fields(body).required_string("idpMetadataURL")}
        return self._v1_saml(body, idp, by_metadata=True)

    def configure_mapping_v1(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/mgmt/sso/mapping {tenantId, roleMappings, attributeMapping, defaultSSORoles?}``: the
        default configuration's group mapping (as a v2 configure sets it) and SAML attribute mapping
        (replaced when sent); its protocol settings and ``authType`` are unchanged."""
        fields = _Fields(body)
        tenant_id = fields.required_string("tenantId")
        attributes = _saml_attribute_mapping(fields) if fields.present("attributeMapping") else None
        with self._store._lock:
            config = self._for_configure(tenant_id, DEFAULT_SSO_ID)
            mapping = self._mapping_changes(body, tenant_id)
            if attributes is not None:
                config.saml = {**config.saml, "attributeMapping": attributes}
            for name, value in mapping.items():
                setattr(config, name, value)
            self._configs.setdefault((tenant_id, DEFAULT_SSO_ID), config)
        return {}

    def load_v1(self, tenant_id: str) -> dict[str, Any]:
        """``GET /v1/mgmt/sso/settings?tenantId=``: the default configuration's SAML side, flat (Go
        ``SSOSettingsResponse``); no default configuration is ``E112404`` as on the v2 load."""
        wire = self.load(tenant_id, DEFAULT_SSO_ID)
        saml, attributes = wire["saml"], wire["saml"]["attributeMapping"]
        flat: dict[str, Any] = {"tenantId": tenant_id}
        for key in _V1_SAML_FIELDS:
            flat[key] = saml[key]
        flat["userMapping"] = {key: attributes.get(key, "") for key in _V1_USER_MAPPING}
        flat["domains"] = list(wire["tenant"]["domains"])
        flat["domain"] = (wire["tenant"]["domains"] or [""])[0]  # deprecated in the SDKs: the first domain
        return flat

    def load(self, tenant_id: str, sso_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("tenantId")
        with self._store._lock:
            tenant = self._store._require_tenant(tenant_id, status=404)
            config = self._require(tenant_id, sso_id or DEFAULT_SSO_ID, status=404)
            return self._to_wire(config, tenant)

    def load_all(self, tenant_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("tenantId")
        with self._store._lock:
            tenant = self._store._require_tenant(tenant_id, status=404)
            configs = [c for (owner, _), c in self._configs.items() if owner == tenant_id]
            return {"SSOSettings": [self._to_wire(config, tenant) for config in configs]}

    def delete(self, tenant_id: str, sso_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("tenantId")
        sso_id = sso_id or DEFAULT_SSO_ID
        with self._store._lock:
            tenant = self._store._require_tenant(tenant_id, status=400)
            self._require(tenant_id, sso_id, status=400)
            del self._configs[(tenant_id, sso_id)]
            if sso_id == DEFAULT_SSO_ID:
                tenant.auth_type, tenant.domains = "none", []
        return {}

    def generate_admin_link(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A secret-looking link; only its hash is kept, so ``admin_link_valid`` can check one."""
        fields = _Fields(body)
        tenant_id = fields.required_string("tenantId")
        sso_id = fields.string("ssoId") or DEFAULT_SSO_ID
        seconds = fields.integer("expireTime", 0) or DEFAULT_ADMIN_LINK_SECONDS
        email = fields.string("email")
        with self._store._lock:
            self._store._require_tenant(tenant_id, status=400)
            config = self._configs.get((tenant_id, sso_id))
            if config is None:
                if sso_id != DEFAULT_SSO_ID:
                    raise sso_not_found(tenant_id, sso_id, status=400)
                # The setup suite configures the default SSO of a tenant that has none yet.
                config = SsoConfiguration(tenant_id, sso_id, "")
                self._configs[(tenant_id, sso_id)] = config
            token = secrets.token_urlsafe(32)
            config.admin_link = AdminLink(_secret_hash(token), self._store._now() + seconds, email)
        return {"adminSSOConfigurationLink": f"{ADMIN_LINK_BASE_URL}?t={token}"}

    def revoke_admin_link(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = _Fields(body)
        tenant_id = fields.required_string("tenantId")
        sso_id = fields.string("ssoId") or DEFAULT_SSO_ID
        with self._store._lock:
            self._store._require_tenant(tenant_id, status=400)
            config = self._configs.get((tenant_id, sso_id))
            if config is None and sso_id != DEFAULT_SSO_ID:
                raise sso_not_found(tenant_id, sso_id, status=400)
            if config is not None:
                config.admin_link = None
        return {}

    # ----- out-of-band access for tests (console edits) -----------------------------------------

    def get(self, tenant_id: str, sso_id: str = DEFAULT_SSO_ID) -> dict[str, Any] | None:
        """The configuration as the v2 load answers it, or None."""
        with self._store._lock:
            config = self._configs.get((tenant_id, sso_id))
            tenant = self._store._tenants.get(tenant_id)
            return None if config is None or tenant is None else self._to_wire(config, tenant)

    def ids(self, tenant_id: str) -> list[str]:
        with self._store._lock:
            return [sso_id for (owner, sso_id) in self._configs if owner == tenant_id]

    def count(self) -> int:
        with self._store._lock:
            return len(self._configs)

    def edit(self, tenant_id: str, sso_id: str = DEFAULT_SSO_ID, **changes: Any) -> dict[str, Any]:
        """A console edit with wire names: ``displayName``, ``authType``, ``domains``, ``redirectUrl``,
        ``roleMappings``, ``defaultSSORoles``, ``groupsPriority``, ``lastSuccessTestTime``, ``clientSecret``
        and ``saml``/``oidc`` (merged over the stored settings, request names such as ``idpUrl``).
        Validated like the API; returns the configuration as loaded."""
        with self._store._lock:
            config = self._require(tenant_id, sso_id, status=404)
            self._apply_edit(config, changes)
            self._sync_tenant(config)
            return self._to_wire(config, self._store._require_tenant(tenant_id, status=404))

    def remove(self, tenant_id: str, sso_id: str = DEFAULT_SSO_ID) -> None:
        """A console delete."""
        self.delete(tenant_id, sso_id)

    def client_secret_matches(self, tenant_id: str, sso_id: str, secret: str) -> bool:
        """Whether ``secret`` is the stored OIDC client secret (compared by hash)."""
        with self._store._lock:
            config = self._require(tenant_id, sso_id, status=404)
            return bool(config.client_secret_hash) and hmac.compare_digest(
                config.client_secret_hash, _secret_hash(secret)
            )

    def admin_link_valid(self, tenant_id: str, link: str, sso_id: str = DEFAULT_SSO_ID) -> bool:
        """Whether ``link`` is the configuration's current, unexpired, unrevoked admin link."""
        token = link.rpartition("?t=")[2]
        with self._store._lock:
            config = self._configs.get((tenant_id, sso_id))
            current = None if config is None else config.admin_link
            return (
                current is not None
                and current.expires > self._store._now()
                and hmac.compare_digest(current.token_hash, _secret_hash(token))
            )

    # ----- internals (called with the store lock held unless noted) ------------------------------

    def _ids(self, fields: _Fields) -> tuple[str, str]:
        return fields.required_string("tenantId"), fields.string("ssoId") or DEFAULT_SSO_ID

    def _require(self, tenant_id: str, sso_id: str, *, status: int) -> SsoConfiguration:
        self._store._require_tenant(tenant_id, status=status)
        config = self._configs.get((tenant_id, sso_id))
        if config is None:
            raise sso_not_found(tenant_id, sso_id, status=status)
        return config

    def _for_configure(self, tenant_id: str, sso_id: str) -> SsoConfiguration:
        self._store._require_tenant(tenant_id, status=400)
        config = self._configs.get((tenant_id, sso_id))
        if config is not None:
            return config
        if sso_id != DEFAULT_SSO_ID:
            raise sso_not_found(tenant_id, sso_id, status=400)
        # Not stored until the whole configure validated, so a rejected one leaves nothing behind.
        return SsoConfiguration(tenant_id, sso_id, "")

    def _mapping_changes(self, body: Mapping[str, Any], tenant_id: str) -> dict[str, Any]:
        """The shared group/role mapping fields this configure replaces (validated, roles exist)."""
        settings = _Fields(body)
        changes: dict[str, Any] = {}
        mappings = _role_mappings(body)
        if mappings is not None:
            for mapping in mappings:
                self._check_role(tenant_id, mapping["roleName"])
            changes["role_mappings"] = mappings
        default_roles = settings.string_list("defaultSSORoles")
        if default_roles or settings.boolean("replaceDefaultSSORoles"):
            for role_name in default_roles:
                self._check_role(tenant_id, role_name)
            changes["default_sso_roles"] = list(dict.fromkeys(default_roles))
        if settings.present("groupsPriority"):
            changes["groups_priority"] = settings.string_list("groupsPriority")
        return changes

    def _check_role(self, tenant_id: str, role_name: str) -> None:
        if self._store.role_id(tenant_id, role_name) is None:
            raise errors.invalid_argument(f"Role '{role_name}' not found")

    def _check_domains_free(self, domains: list[str], tenant_id: str) -> None:
        wanted = _casefolded(domains)
        for (owner, _), config in self._configs.items():
            clash = wanted & _casefolded(config.domains) if owner != tenant_id else set()
            if clash:
                raise errors.already_exists(
                    f"SSO domain '{sorted(clash)[0]}' already exists in another tenant"
                )

    def _finish_configure(
        self, config: SsoConfiguration, auth_type: str, domains: list[str], mapping: dict[str, Any]
    ) -> None:
        config.auth_type = auth_type
        config.domains = domains
        for name, value in mapping.items():
            setattr(config, name, value)
        self._configs.setdefault((config.tenant_id, config.sso_id), config)
        self._sync_tenant(config)

    def _sync_tenant(self, config: SsoConfiguration) -> None:
        # The tenant object mirrors its default configuration only (see the module docstring).
        if config.sso_id != DEFAULT_SSO_ID:
            return
        tenant = self._store._tenants.get(config.tenant_id)
        if tenant is not None:
            tenant.auth_type = config.auth_type
            tenant.domains = list(config.domains)

    def _apply_edit(self, config: SsoConfiguration, changes: Mapping[str, Any]) -> None:
        """Validates every change first, then applies them all (a rejected edit changes nothing)."""
        fields = _Fields(changes)
        updates: dict[str, Any] = {}
        if fields.present("displayName"):
            updates["display_name"] = fields.string("displayName")
        if fields.present("authType"):
            updates["auth_type"] = fields.choice("authType", AUTH_TYPES, "none")
        if fields.present("domains"):
            updates["domains"] = _domains(fields, "domains")
            self._check_domains_free(updates["domains"], config.tenant_id)
        if fields.present("redirectUrl"):
            updates["redirect_url"] = fields.string("redirectUrl")
        if fields.present("lastSuccessTestTime"):
            updates["last_success_test_time"] = fields.integer("lastSuccessTestTime", 0)
        # An empty object changes nothing (a dump holds {} for a protocol never configured).
        if fields.mapping("saml"):
            merged = {**config.saml, **fields.mapping("saml")}
            updates["saml"] = _saml_settings(merged, by_metadata=bool(merged.get("idpMetadataUrl")))
        if fields.mapping("oidc"):
            updates["oidc"] = _oidc_settings({**config.oidc, **fields.mapping("oidc")}, config.oidc)
        secret = fields.string("clientSecret") or _Fields(fields.mapping("oidc")).string("clientSecret")
        if secret:
            updates["client_secret_hash"] = _secret_hash(secret)
        elif fields.present("clientSecretSha256"):
            updates["client_secret_hash"] = fields.string("clientSecretSha256")
        mapping = self._mapping_changes(changes, config.tenant_id)
        if fields.present("defaultSSORoles") and "default_sso_roles" not in mapping:
            mapping["default_sso_roles"] = []  # an edit's empty list clears them
        for name, value in {**updates, **mapping}.items():
            setattr(config, name, value)

    def _sp_urls(self, config: SsoConfiguration) -> tuple[str, str]:
        path = f"{self._project_id}/{config.tenant_id}/{config.sso_id}"
        acs = config.saml.get("spACSUrl") or f"{SP_BASE_URL}/v1/auth/saml/acs/{path}"
        entity = config.saml.get("spEntityId") or f"{SP_BASE_URL}/v1/auth/saml/entity/{path}"
        return acs, entity

    def _groups_mapping(self, config: SsoConfiguration) -> list[dict[str, Any]]:
        # Role ids are looked up at answer time: a role deleted since shows an empty id.
        return [
            {
                "role": {
                    "id": self._store.role_id(config.tenant_id, m["roleName"]) or "",
                    "name": m["roleName"],
                },
                "groups": list(m["groups"]),
            }
            for m in config.role_mappings
        ]

    def _to_wire(self, config: SsoConfiguration, tenant: Tenant) -> dict[str, Any]:
        tenant_wire = tenant.to_wire()
        tenant_wire["authType"] = config.auth_type
        tenant_wire["domains"] = list(config.domains)
        saml = config.saml
        acs, entity = self._sp_urls(config)
        shared: dict[str, Any] = {
            "groupsMapping": self._groups_mapping(config),
            "defaultSSORoles": list(config.default_sso_roles),
            "groupsPriority": list(config.groups_priority),
            "lastSuccessTestTime": config.last_success_test_time,
        }
        saml_wire: dict[str, Any] = {
            "idpEntityId": saml.get("entityId", ""),
            "idpSSOUrl": saml.get("idpUrl", ""),
            "idpCertificate": saml.get("idpCert", ""),
            "idpAdditionalCertificates": list(saml.get("idpAdditionalCerts", [])),
            "idpMetadataUrl": saml.get("idpMetadataUrl", ""),
            "spEntityId": entity,
            "spACSUrl": acs,
            "spCertificate": "",
            "attributeMapping": copy.deepcopy(
                saml.get("attributeMapping") or _saml_attribute_mapping(_Fields({}))
            ),
            "redirectUrl": config.redirect_url,
            "disableSignRequest": bool(saml.get("disableSignRequest", False)),
            **{key: copy.deepcopy(saml[key]) for key in _SAML_PASSTHROUGH if key in saml},
            **copy.deepcopy(shared),
        }
        oidc = config.oidc
        oidc_wire: dict[str, Any] = {
            **{key: oidc.get(key, "") for key in _OIDC_STRINGS},
            "clientSecret": "",  # write-only: never echoed
            "scope": list(oidc.get("scope", [])),
            "userAttrMapping": dict(oidc.get("userAttrMapping") or OIDC_DEFAULT_ATTRIBUTES),
            "manageProviderTokens": bool(oidc.get("manageProviderTokens", False)),
            "prompt": list(oidc.get("prompt", [])),
            "grantType": oidc.get("grantType") or GRANT_TYPES[0],
            "usePkce": bool(oidc.get("usePkce", False)),
            **copy.deepcopy(shared),
        }
        return {
            "tenant": tenant_wire,
            "saml": saml_wire,
            "oidc": oidc_wire,
            "ssoId": config.sso_id,
            "displayName": config.display_name,
        }
