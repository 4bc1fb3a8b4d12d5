"""The SSO configurations of a project's tenants: the request handlers and routes of the SSO area (see
the package docstring for the calls, the wire shapes and the choices where Descope's behaviour is not
public)."""

from __future__ import annotations

import copy
import hmac
import secrets
from collections.abc import Mapping
from typing import Any

from descope_emulator import errors
from descope_emulator.fields import Fields, casefolded, domain_list, secret_hash
from descope_emulator.project import Project, TenantRecord
from descope_emulator.routing import route
from descope_emulator.sso.models import (
    ADMIN_LINK_BASE_URL,
    AUTH_TYPES,
    DEFAULT_ADMIN_LINK_SECONDS,
    DEFAULT_SSO_ID,
    GRANT_TYPES,
    OIDC_DEFAULT_ATTRIBUTES,
    OIDC_STORED,
    OIDC_STRINGS,
    SAML_PASSTHROUGH,
    SAML_STORED,
    SP_BASE_URL,
    SSO_ID_RANDOM_CHARS,
    V1_SAML_FIELDS,
    V1_USER_MAPPING,
    AdminLink,
    SsoConfiguration,
    oidc_settings,
    role_mappings,
    saml_attribute_mapping,
    saml_settings,
    sso_not_found,
    unmodelled,
)


class SsoConfigurations:
    """The SSO configurations of every tenant of one project (``project.id`` feeds the derived SAML SP
    URLs). A removed tenant's configurations go with it."""

    def __init__(self, project: Project) -> None:
        self._project = project
        # Keyed by (tenant id, sso id), in creation order.
        self._configs: dict[tuple[str, str], SsoConfiguration] = project.table()
        project.tenant_removed.subscribe(self._tenant_removed)

    # ----- project hooks ------------------------------------------------------------------------

    def _tenant_removed(self, tenant_id: str) -> None:
        for key in [key for key in self._configs if key[0] == tenant_id]:
            del self._configs[key]

    def dump(self) -> list[dict[str, Any]]:
        return [config.dump() for config in self._configs.values()]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """Seeds configurations: the ``dump`` shape, where ``saml``/``oidc`` are configure ``settings``
        bodies and the OIDC secret is ``clientSecret`` (plain, hashed here) or ``clientSecretSha256``."""
        for entry in entries:
            fields = Fields(entry)
            tenant_id = fields.required_string("tenantId")
            sso_id = fields.string("ssoId") or DEFAULT_SSO_ID
            with self._project.lock:
                self._project.require_tenant(tenant_id, status=400)
                if (tenant_id, sso_id) in self._configs:
                    raise errors.already_exists(f"SSO configuration '{sso_id}' already exists")
                config = SsoConfiguration(tenant_id, sso_id, fields.string("displayName"))
                self._apply_edit(config, entry)
                self._configs[(tenant_id, sso_id)] = config
                self._sync_tenant(config)

    # ----- API ----------------------------------------------------------------------------------

    @route("POST", "/v1/mgmt/sso/settings/new")
    def new_settings(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        tenant_id = fields.required_string("tenantId")
        display_name = fields.required_string("displayName")
        requested = fields.string("ssoId")
        if any(ch.isspace() for ch in requested):
            raise errors.invalid_argument("'ssoId' must not contain whitespace")
        with self._project.lock:
            tenant = self._project.require_tenant(tenant_id, status=400)
            if requested and (tenant_id, requested) in self._configs:
                raise errors.already_exists(
                    f"SSO configuration '{requested}' already exists in tenant '{tenant_id}'"
                )
            sso_id = requested or self._project.new_id(
                "SSO", SSO_ID_RANDOM_CHARS, lambda candidate: (tenant_id, candidate) in self._configs
            )
            config = SsoConfiguration(tenant_id, sso_id, display_name)
            self._configs[(tenant_id, sso_id)] = config
            return self._to_wire(config, tenant)

    @route("POST", "/v1/mgmt/sso/oidc")
    def configure_oidc(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        tenant_id, sso_id = self._ids(fields)
        fields.require("settings")
        settings = fields.mapping("settings")
        secret = Fields(settings).string("clientSecret")
        domains = domain_list(fields, "domains")
        with self._project.lock:
            config = self._for_configure(tenant_id, sso_id)
            oidc = oidc_settings(settings, config.oidc)
            mapping = self._mapping_changes(settings, tenant_id)
            self._check_domains_free(domains, tenant_id)
            config.oidc = oidc
            if secret:
                config.client_secret_sha256 = secret_hash(secret)
            self._finish_configure(config, "oidc", domains, mapping)
        return {}

    @route("POST", "/v1/mgmt/sso/saml")
    def configure_saml(self, body: Mapping[str, Any], *, by_metadata: bool = False) -> dict[str, Any]:
        fields = Fields(body)
        tenant_id, sso_id = self._ids(fields)
        fields.require("settings")
        settings = fields.mapping("settings")
        saml = saml_settings(settings, by_metadata=by_metadata)
        domains = domain_list(fields, "domains")
        redirect_url = fields.string("redirectUrl")
        with self._project.lock:
            config = self._for_configure(tenant_id, sso_id)
            mapping = self._mapping_changes(settings, tenant_id)
            self._check_domains_free(domains, tenant_id)
            config.saml = saml
            config.redirect_url = redirect_url
            self._finish_configure(config, "saml", domains, mapping)
        return {}

    @route("POST", "/v1/mgmt/sso/saml/metadata")
    def configure_saml_metadata(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.configure_saml(body, by_metadata=True)

    @route("POST", "/v1/mgmt/sso/settings/authtype")
    def configure_auth_type(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        tenant_id, sso_id = self._ids(fields)
        fields.require("authType")
        auth_type = fields.choice("authType", AUTH_TYPES, "none")
        with self._project.lock:
            config = self._require(tenant_id, sso_id, status=400)
            config.auth_type = auth_type
            self._sync_tenant(config)
        return {}

    @route("POST", "/v1/mgmt/sso/redirect")
    def configure_redirect_urls(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``sso/redirect``: the SAML and/or OIDC redirect URL of an existing configuration only."""
        fields = Fields(body)
        tenant_id, sso_id = self._ids(fields)
        fields.require("samlRedirectUrl", "oauthRedirectUrl")
        saml_url, oauth_url = fields.string("samlRedirectUrl"), fields.string("oauthRedirectUrl")
        with self._project.lock:
            config = self._require(tenant_id, sso_id, status=400)
            if fields.present("samlRedirectUrl"):
                config.redirect_url = saml_url
            if fields.present("oauthRedirectUrl"):
                config.oidc = {**config.oidc, "redirectUrl": oauth_url}
        return {}

    @route("POST", "/v1/mgmt/sso/recalculate-mappings")
    def recalculate_mappings(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``sso/recalculate-mappings`` re-applies the group mapping to the SSO users; the emulator has
        no users, so it only checks that the configuration exists."""
        fields = Fields(body)
        tenant_id, sso_id = self._ids(fields)
        with self._project.lock:
            self._require(tenant_id, sso_id, status=400)
        return {}

    # ----- the deprecated single-configuration (v1) calls, still in every SDK ----------------------
    # They act on the tenant's default configuration. Their SAML configures replace the IdP fields
    # only: the mapping was set by its own call (``sso/mapping``), so the stored attribute mapping and
    # SP overrides are carried over instead of being reset as a v2 configure resets them.

    def _v1_saml(self, body: Mapping[str, Any], idp: dict[str, Any], *, by_metadata: bool) -> dict[str, Any]:
        fields = Fields(body)
        tenant_id = fields.required_string("tenantId")
        with self._project.lock:
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

    @route("POST", "/v1/mgmt/sso/settings")
    def configure_v1(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/mgmt/sso/settings {tenantId, idpURL, entityId, idpCert, redirectURL, domains}``."""
        fields = Fields(body)
        idp = {
            "idpUrl": fields.required_string("idpURL"),
            "entityId": fields.required_string("entityId"),
            "idpCert": fields.required_string("idpCert"),
        }
        return self._v1_saml(body, idp, by_metadata=False)

    @route("POST", "/v1/mgmt/sso/metadata")
    def configure_metadata_v1(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/mgmt/sso/metadata {tenantId, idpMetadataURL, redirectURL, domains}``."""
        idp = {"idpMetadataUrl": Fields(body).required_string("idpMetadataURL")}
        return self._v1_saml(body, idp, by_metadata=True)

    @route("POST", "/v1/mgmt/sso/mapping")
    def configure_mapping_v1(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/mgmt/sso/mapping {tenantId, roleMappings, attributeMapping, defaultSSORoles?}``: the
        default configuration's group mapping (as a v2 configure sets it) and SAML attribute mapping
        (replaced when sent); its protocol settings and ``authType`` are unchanged."""
        fields = Fields(body)
        tenant_id = fields.required_string("tenantId")
        attributes = saml_attribute_mapping(fields) if fields.present("attributeMapping") else None
        with self._project.lock:
            config = self._for_configure(tenant_id, DEFAULT_SSO_ID)
            mapping = self._mapping_changes(body, tenant_id)
            if attributes is not None:
                config.saml = {**config.saml, "attributeMapping": attributes}
            for name, value in mapping.items():
                setattr(config, name, value)
            self._configs.setdefault((tenant_id, DEFAULT_SSO_ID), config)
        return {}

    @route("GET", "/v1/mgmt/sso/settings", "tenantId")
    def load_v1(self, tenant_id: str) -> dict[str, Any]:
        """``GET /v1/mgmt/sso/settings?tenantId=``: the default configuration's SAML side, flat (Go
        ``SSOSettingsResponse``); no default configuration is ``E112404`` as on the v2 load."""
        wire = self.load(tenant_id, DEFAULT_SSO_ID)
        saml, attributes = wire["saml"], wire["saml"]["attributeMapping"]
        flat: dict[str, Any] = {"tenantId": tenant_id}
        for key in V1_SAML_FIELDS:
            flat[key] = saml[key]
        flat["userMapping"] = {key: attributes.get(key, "") for key in V1_USER_MAPPING}
        flat["domains"] = list(wire["tenant"]["domains"])
        flat["domain"] = (wire["tenant"]["domains"] or [""])[0]  # deprecated in the SDKs: the first domain
        return flat

    @route("GET", "/v2/mgmt/sso/settings", "tenantId", "ssoId")
    def load(self, tenant_id: str, sso_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("tenantId")
        with self._project.lock:
            tenant = self._project.require_tenant(tenant_id, status=404)
            config = self._require(tenant_id, sso_id or DEFAULT_SSO_ID, status=404)
            return self._to_wire(config, tenant)

    @route("GET", "/v2/mgmt/sso/settings/all", "tenantId")
    def load_all(self, tenant_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("tenantId")
        with self._project.lock:
            tenant = self._project.require_tenant(tenant_id, status=404)
            configs = [c for (owner, _), c in self._configs.items() if owner == tenant_id]
            return {"SSOSettings": [self._to_wire(config, tenant) for config in configs]}

    @route("DELETE", "/v1/mgmt/sso/settings", "tenantId", "ssoId")
    def delete(self, tenant_id: str, sso_id: str) -> dict[str, Any]:
        if not tenant_id:
            raise errors.missing_argument("tenantId")
        sso_id = sso_id or DEFAULT_SSO_ID
        with self._project.lock:
            tenant = self._project.require_tenant(tenant_id, status=400)
            self._require(tenant_id, sso_id, status=400)
            del self._configs[(tenant_id, sso_id)]
            if sso_id == DEFAULT_SSO_ID:
                tenant.auth_type, tenant.domains = "none", []
        return {}

    @route("POST", "/v2/mgmt/tenant/adminlinks/sso/generate")
    def generate_admin_link(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A secret-looking link; only its hash is kept, so ``admin_link_valid`` can check one."""
        fields = Fields(body)
        tenant_id = fields.required_string("tenantId")
        sso_id = fields.string("ssoId") or DEFAULT_SSO_ID
        seconds = fields.integer("expireTime", 0) or DEFAULT_ADMIN_LINK_SECONDS
        email = fields.string("email")
        with self._project.lock:
            self._project.require_tenant(tenant_id, status=400)
            config = self._configs.get((tenant_id, sso_id))
            if config is None:
                if sso_id != DEFAULT_SSO_ID:
                    raise sso_not_found(tenant_id, sso_id, status=400)
                # The setup suite configures the default SSO of a tenant that has none yet.
                config = SsoConfiguration(tenant_id, sso_id, "")
                self._configs[(tenant_id, sso_id)] = config
            token = secrets.token_urlsafe(32)
            config.admin_link = AdminLink(secret_hash(token), self._project.now() + seconds, email)
        return {"adminSSOConfigurationLink": f"{ADMIN_LINK_BASE_URL}?t={token}"}

    @route("POST", "/v1/mgmt/tenant/adminlinks/sso/revoke")
    def revoke_admin_link(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        tenant_id = fields.required_string("tenantId")
        sso_id = fields.string("ssoId") or DEFAULT_SSO_ID
        with self._project.lock:
            self._project.require_tenant(tenant_id, status=400)
            config = self._configs.get((tenant_id, sso_id))
            if config is None and sso_id != DEFAULT_SSO_ID:
                raise sso_not_found(tenant_id, sso_id, status=400)
            if config is not None:
                config.admin_link = None
        return {}

    # ----- out-of-band access for tests (console edits) -----------------------------------------

    def get(self, tenant_id: str, sso_id: str = DEFAULT_SSO_ID) -> dict[str, Any] | None:
        """The configuration as the v2 load answers it, or None."""
        with self._project.lock:
            config = self._configs.get((tenant_id, sso_id))
            tenant = self._project.tenant(tenant_id)
            return None if config is None or tenant is None else self._to_wire(config, tenant)

    def ids(self, tenant_id: str) -> list[str]:
        with self._project.lock:
            return [sso_id for (owner, sso_id) in self._configs if owner == tenant_id]

    def count(self) -> int:
        with self._project.lock:
            return len(self._configs)

    def edit(self, tenant_id: str, sso_id: str = DEFAULT_SSO_ID, **changes: Any) -> dict[str, Any]:
        """A console edit with wire names: ``displayName``, ``authType``, ``domains``, ``redirectUrl``,
        ``roleMappings``, ``defaultSSORoles``, ``groupsPriority``, ``lastSuccessTestTime``, ``clientSecret``
        and ``saml``/``oidc`` (merged over the stored settings, request names such as ``idpUrl``).
        Validated like the API; returns the configuration as loaded."""
        with self._project.lock:
            config = self._require(tenant_id, sso_id, status=404)
            self._apply_edit(config, changes)
            self._sync_tenant(config)
            return self._to_wire(config, self._project.require_tenant(tenant_id, status=404))

    def remove(self, tenant_id: str, sso_id: str = DEFAULT_SSO_ID) -> None:
        """A console delete."""
        self.delete(tenant_id, sso_id)

    def client_secret_matches(self, tenant_id: str, sso_id: str, secret: str) -> bool:
        """Whether ``secret`` is the stored OIDC client secret (compared by hash)."""
        with self._project.lock:
            config = self._require(tenant_id, sso_id, status=404)
            return bool(config.client_secret_sha256) and hmac.compare_digest(
                config.client_secret_sha256, secret_hash(secret)
            )

    def admin_link_valid(self, tenant_id: str, link: str, sso_id: str = DEFAULT_SSO_ID) -> bool:
        """Whether ``link`` is the configuration's current, unexpired, unrevoked admin link."""
        token = link.rpartition("?t=")[2]
        with self._project.lock:
            config = self._configs.get((tenant_id, sso_id))
            current = None if config is None else config.admin_link
            return (
                current is not None
                and current.expires > self._project.now()
                and hmac.compare_digest(current.token_hash, secret_hash(token))
            )

    # ----- internals (called with the project lock held unless noted) ----------------------------

    def _ids(self, fields: Fields) -> tuple[str, str]:
        return fields.required_string("tenantId"), fields.string("ssoId") or DEFAULT_SSO_ID

    def _require(self, tenant_id: str, sso_id: str, *, status: int) -> SsoConfiguration:
        self._project.require_tenant(tenant_id, status=status)
        config = self._configs.get((tenant_id, sso_id))
        if config is None:
            raise sso_not_found(tenant_id, sso_id, status=status)
        return config

    def _for_configure(self, tenant_id: str, sso_id: str) -> SsoConfiguration:
        self._project.require_tenant(tenant_id, status=400)
        config = self._configs.get((tenant_id, sso_id))
        if config is not None:
            return config
        if sso_id != DEFAULT_SSO_ID:
            raise sso_not_found(tenant_id, sso_id, status=400)
        # Not stored until the whole configure validated, so a rejected one leaves nothing behind.
        return SsoConfiguration(tenant_id, sso_id, "")

    def _mapping_changes(self, body: Mapping[str, Any], tenant_id: str) -> dict[str, Any]:
        """The shared group/role mapping fields this configure replaces (validated, roles exist)."""
        settings = Fields(body)
        changes: dict[str, Any] = {}
        mappings = role_mappings(body)
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
        if self._project.role_id(tenant_id, role_name) is None:
            raise errors.invalid_argument(f"Role '{role_name}' not found")

    def _check_domains_free(self, domains: list[str], tenant_id: str) -> None:
        wanted = casefolded(domains)
        for (owner, _), config in self._configs.items():
            clash = wanted & casefolded(config.domains) if owner != tenant_id else set()
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
        tenant = self._project.tenant(config.tenant_id)
        if tenant is not None:
            tenant.auth_type = config.auth_type
            tenant.domains = list(config.domains)

    def _apply_edit(self, config: SsoConfiguration, changes: Mapping[str, Any]) -> None:
        """Validates every change first, then applies them all (a rejected edit changes nothing)."""
        fields = Fields(changes)
        updates: dict[str, Any] = {}
        if fields.present("displayName"):
            updates["display_name"] = fields.string("displayName")
        if fields.present("authType"):
            updates["auth_type"] = fields.choice("authType", AUTH_TYPES, "none")
        if fields.present("domains"):
            updates["domains"] = domain_list(fields, "domains")
            self._check_domains_free(updates["domains"], config.tenant_id)
        if fields.present("redirectUrl"):
            updates["redirect_url"] = fields.string("redirectUrl")
        if fields.present("lastSuccessTestTime"):
            updates["last_success_test_time"] = fields.integer("lastSuccessTestTime", 0)
        # An empty object changes nothing (a dump holds {} for a protocol never configured).
        if fields.mapping("saml"):
            merged = {**config.saml, **fields.mapping("saml")}
            updates["saml"] = saml_settings(merged, by_metadata=bool(merged.get("idpMetadataUrl")))
        if fields.mapping("oidc"):
            updates["oidc"] = oidc_settings({**config.oidc, **fields.mapping("oidc")}, config.oidc)
        secret = fields.string("clientSecret") or Fields(fields.mapping("oidc")).string("clientSecret")
        if secret:
            updates["client_secret_sha256"] = secret_hash(secret)
        elif fields.present("clientSecretSha256"):
            updates["client_secret_sha256"] = fields.string("clientSecretSha256")
        mapping = self._mapping_changes(changes, config.tenant_id)
        if fields.present("defaultSSORoles") and "default_sso_roles" not in mapping:
            mapping["default_sso_roles"] = []  # an edit's empty list clears them
        for name, value in {**updates, **mapping}.items():
            setattr(config, name, value)

    def _sp_urls(self, config: SsoConfiguration) -> tuple[str, str]:
        path = f"{self._project.id}/{config.tenant_id}/{config.sso_id}"
        acs = config.saml.get("spACSUrl") or f"{SP_BASE_URL}/v1/auth/saml/acs/{path}"
        entity = config.saml.get("spEntityId") or f"{SP_BASE_URL}/v1/auth/saml/entity/{path}"
        return acs, entity

    def _groups_mapping(self, config: SsoConfiguration) -> list[dict[str, Any]]:
        # Role ids are looked up at answer time: a role deleted since shows an empty id.
        return [
            {
                "role": {
                    "id": self._project.role_id(config.tenant_id, m["roleName"]) or "",
                    "name": m["roleName"],
                },
                "groups": list(m["groups"]),
            }
            for m in config.role_mappings
        ]

    def _to_wire(self, config: SsoConfiguration, tenant: TenantRecord) -> dict[str, Any]:
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
                saml.get("attributeMapping") or saml_attribute_mapping(Fields({}))
            ),
            "redirectUrl": config.redirect_url,
            "disableSignRequest": bool(saml.get("disableSignRequest", False)),
            **{key: copy.deepcopy(saml[key]) for key in SAML_PASSTHROUGH if key in saml},
            **unmodelled(saml, (*SAML_STORED, *SAML_PASSTHROUGH)),
            **copy.deepcopy(shared),
        }
        oidc = config.oidc
        oidc_wire: dict[str, Any] = {
            **{key: oidc.get(key, "") for key in OIDC_STRINGS},
            "clientSecret": "",  # write-only: never echoed
            "scope": list(oidc.get("scope", [])),
            "userAttrMapping": dict(oidc.get("userAttrMapping") or OIDC_DEFAULT_ATTRIBUTES),
            "manageProviderTokens": bool(oidc.get("manageProviderTokens", False)),
            "prompt": list(oidc.get("prompt", [])),
            "grantType": oidc.get("grantType") or GRANT_TYPES[0],
            "usePkce": bool(oidc.get("usePkce", False)),
            **unmodelled(oidc, OIDC_STORED),
            **copy.deepcopy(shared),
        }
        return {
            "tenant": tenant_wire,
            "saml": saml_wire,
            "oidc": oidc_wire,
            "ssoId": config.sso_id,
            "displayName": config.display_name,
        }
