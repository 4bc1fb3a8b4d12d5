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
- A key of a configure's SAML or OIDC ``settings`` the emulator does not model (neither a settings
  field nor an answer field, e.g. one Descope added later) is kept as sent and answered back in
  ``saml``/``oidc``; each configure of that protocol replaces it (the v1 configures too). Other
  bodies' unknown keys are ignored.
- SAML by metadata does not fetch the metadata: ``idpSSOUrl`` and ``idpCertificate`` stay empty.
- SSO domains belong to one tenant only (case-insensitive): a clash with another tenant is a 400.
- The tenant object's ``authType`` and ``domains`` follow its ``default_ssoid`` configuration (back to
  ``none``/``[]`` when it is deleted); other configurations do not change the tenant object. The other
  direction is not modelled: a tenant settings update still writes the tenant object's ``authType`` and
  ``domains`` and changes no configuration. Deleting a tenant deletes its configurations.
- Each configuration's answer embeds the tenant object with THAT configuration's ``authType`` and
  ``domains``, so a client can read which protocol a non-default configuration uses.
"""

from descope_emulator.sso.configurations import SsoConfigurations
from descope_emulator.sso.models import DEFAULT_SSO_ID, SSO_NOT_FOUND, SsoConfiguration, sso_not_found

__all__ = ["DEFAULT_SSO_ID", "SSO_NOT_FOUND", "SsoConfiguration", "SsoConfigurations", "sso_not_found"]
