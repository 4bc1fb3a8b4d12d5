"""SSO applications: Descope as the identity provider of a project's own apps (OIDC or SAML).

Served as the official Python, Node and Go SDKs call it:
- ``POST /v1/mgmt/sso/idp/app/oidc/create`` and ``/saml/create`` ``{id?, name, description, enabled, logo,
  loginPageUrl, ...protocol settings}`` -> ``{"id"}``
- ``POST /v1/mgmt/sso/idp/app/oidc/update`` and ``/saml/update`` (same body, ``id`` required): a full
  override -> ``{}``
- ``POST /v1/mgmt/sso/idp/app/delete {id}`` -> ``{}``
- ``GET /v1/mgmt/sso/idp/app/load?id=`` -> the app, flat (as every SDK parses it)
- ``GET /v1/mgmt/sso/idp/apps/load`` -> ``{"apps": [...]}``
- ``GET /v1/mgmt/sso/idp/app/secret?id=`` -> ``{"cleartext"}`` (an OIDC app's client secret)

An app on the wire: ``{id, name, description, enabled, logo, appType: "oidc"|"saml", oidcSettings {...},
samlSettings {...}}`` (both settings objects, the other protocol's empty, as the Node SDK's types
require); the active settings keep every key the create or update sent (keys this emulator does
not know included), plus the read-only ones it computes: OIDC ``clientId``, ``issuer``, ``discoveryUrl``;
SAML ``idpEntityId``, ``idpSsoUrl``, ``idpMetadataUrl``, ``idpCert``, ``idpInitiatedUrl``, ``idpLogoutUrl``.

Choices where Descope's behaviour is not public:
- Names and ids are unique in the project (the Python SDK's docstrings say so); a clash is "already
  exists". An app a call targets missing is 400 ``E117002``. An update by the other protocol's route
  is an invalid argument (the protocol of an app never changes).
- A SAML app needs ``metadataUrl`` (with ``useMetadataInfo``) or ``entityId``, ``acsUrl`` and
  ``certificate`` (what the Python SDK enforces before sending).
- Every project has a built-in OIDC app ("OIDC default application", its id the project id; Descope's
  docs mention a default app but no public source names it): it can be updated, not deleted.
- An app that a tenant lists in ``federatedAppIds`` cannot be deleted (400, naming the tenants); tenants
  may list ids of no app (the other areas' tests do), so nothing else ties the two.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields
from descope_emulator.project import Project
from descope_emulator.routing import route

SSO_APP_NOT_FOUND: Final = "E117002"
BUILT_IN_NAME: Final = "OIDC default application"
_TOP_LEVEL: Final = ("id", "name", "description", "enabled", "logo")
_READ_ONLY: Final = {
    "oidc": ("clientId", "issuer", "discoveryUrl"),
    "saml": ("idpEntityId", "idpSsoUrl", "idpMetadataUrl", "idpCert", "idpInitiatedUrl", "idpLogoutUrl"),
}
_DEFAULTS: Final = {
    "oidc": {"loginPageUrl": "", "claims": [], "forceAuthentication": False},
    "saml": {
        "loginPageUrl": "",
        "useMetadataInfo": False,
        "metadataUrl": "",
        "entityId": "",
        "acsUrl": "",
        "certificate": "",
        "attributeMapping": [],
        "groupsMapping": [],
        "acsAllowedCallbacks": [],
        "subjectNameIdType": "",
        "subjectNameIdFormat": "",
        "defaultRelayState": "",
        "forceAuthentication": False,
        "logoutRedirectUrl": "",
        "defaultSignatureAlgorithm": "",
    },
}


def app_not_found(app_id: str) -> errors.DescopeError:
    return errors.DescopeError(
        400, SSO_APP_NOT_FOUND, "SSO application not found", f"SSO application '{app_id}' not found"
    )


class SsoApps:
    """The SSO applications of one project, as wire objects keyed by id (secrets kept apart)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._apps: dict[str, dict[str, Any]] = project.table()
        self._secrets: dict[str, str] = project.table()
        project.cleared.subscribe(self._install_built_in)

    def _install_built_in(self) -> None:
        app_id = self._project.id or "default"
        self._apps[app_id] = self._app(app_id, "oidc", {"name": BUILT_IN_NAME, "enabled": True}, {})
        self._apps[app_id]["builtIn"] = True
        self._secrets[app_id] = self._project.built_in_id("", 40)

    def _app(
        self, app_id: str, protocol: str, top: Mapping[str, Any], settings: dict[str, Any]
    ) -> dict[str, Any]:
        base = f"https://api.descope.com/{self._project.id}"
        computed = (
            {"clientId": app_id, "issuer": base, "discoveryUrl": f"{base}/.well-known/openid-configuration"}
            if protocol == "oidc"
            else {
                "idpEntityId": f"{base}/{app_id}",
                "idpSsoUrl": f"{base}/saml/idp/sso/{app_id}",
                "idpMetadataUrl": f"{base}/saml/idp/metadata/{app_id}",
                "idpCert": f"-----BEGIN CERTIFICATE-----emulator-{app_id}-----END CERTIFICATE-----",
                "idpInitiatedUrl": f"{base}/saml/idp/initiated/{app_id}",
                "idpLogoutUrl": f"{base}/saml/idp/logout/{app_id}",
            }
        )
        # Both settings objects are always there (the Node SDK's types require both); the other
        # protocol's is empty.
        empty = {key: _DEFAULTS[key] | dict.fromkeys(_READ_ONLY[key], "") for key in ("oidc", "saml")}
        empty["oidc"].pop("clientId")
        return {
            "id": app_id,
            "name": top["name"],
            "description": top.get("description") or "",
            "enabled": top.get("enabled", True) is not False,
            "logo": top.get("logo") or "",
            "appType": protocol,
            "oidcSettings": {**_DEFAULTS["oidc"], **settings, **computed}
            if protocol == "oidc"
            else empty["oidc"],
            "samlSettings": {**_DEFAULTS["saml"], **settings, **computed}
            if protocol == "saml"
            else empty["saml"],
        }

    @staticmethod
    def _settings(protocol: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Everything the body carries besides the top-level keys (unknown keys kept), minus what the
        emulator computes; SAML checked as the Python SDK does."""
        fields = Fields(body)
        for key in ("description", "logo", "loginPageUrl"):
            fields.string(key)
        fields.boolean("enabled", True)
        settings = {
            k: copy.deepcopy(v)
            for k, v in body.items()
            if k not in _TOP_LEVEL
            and k not in _READ_ONLY[protocol]
            and k not in ("clientSecret",)
            and v is not None
        }
        if protocol == "saml":
            if settings.get("useMetadataInfo"):
                if not settings.get("metadataUrl"):
                    raise errors.missing_argument("metadataUrl")
            else:
                for key in ("entityId", "acsUrl", "certificate"):
                    if not settings.get(key):
                        raise errors.missing_argument(key)
        return settings

    def _require(self, app_id: str) -> dict[str, Any]:
        app = self._apps.get(app_id)
        if app is None:
            raise app_not_found(app_id)
        return app

    def _check_name_free(self, name: str, exclude: str) -> None:
        for app in self._apps.values():
            if app["name"] == name and app["id"] != exclude:
                raise errors.already_exists(f"SSO application named '{name}' already exists")

    # ----- API ----------------------------------------------------------------------------------

    @route("POST", "/v1/mgmt/sso/idp/app/oidc/create", protocol="oidc")
    @route("POST", "/v1/mgmt/sso/idp/app/saml/create", protocol="saml")
    def create(self, body: Mapping[str, Any], *, protocol: str) -> dict[str, Any]:
        fields = Fields(body)
        name = fields.required_string("name")
        settings = self._settings(protocol, body)
        with self._project.lock:
            app_id = fields.string("id") or self._project.new_id("", 27, lambda c: c in self._apps)
            if app_id in self._apps:
                raise errors.already_exists(f"SSO application with id '{app_id}' already exists")
            self._check_name_free(name, app_id)
            self._apps[app_id] = self._app(app_id, protocol, body, settings)
            if protocol == "oidc":
                self._secrets[app_id] = fields.string("clientSecret") or self._project.new_id(
                    "", 40, lambda c: False
                )
            return {"id": app_id}

    @route("POST", "/v1/mgmt/sso/idp/app/oidc/update", protocol="oidc")
    @route("POST", "/v1/mgmt/sso/idp/app/saml/update", protocol="saml")
    def update(self, body: Mapping[str, Any], *, protocol: str) -> dict[str, Any]:
        """A full override: a setting left out is cleared (the read-only ones stay)."""
        fields = Fields(body)
        app_id = fields.required_string("id")
        name = fields.required_string("name")
        settings = self._settings(protocol, body)
        with self._project.lock:
            current = self._require(app_id)
            if current["appType"] != protocol:
                raise errors.invalid_argument(
                    f"SSO application '{app_id}' is a {current['appType']} application, not {protocol}"
                )
            self._check_name_free(name, app_id)
            replaced = self._app(app_id, protocol, body, settings)
            if current.get("builtIn"):
                replaced["builtIn"] = True
            self._apps[app_id] = replaced
        return {}

    @route("POST", "/v1/mgmt/sso/idp/app/delete")
    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        app_id = Fields(body).required_string("id")
        with self._project.lock:
            app = self._require(app_id)
            if app.get("builtIn"):
                raise errors.invalid_argument(f"SSO application '{app_id}' is built in and cannot be deleted")
            users = self._project.tenants_using_app(app_id)
            if users:
                raise errors.invalid_argument(
                    f"SSO application '{app_id}' is used by tenants {', '.join(users)}; remove it from their "
                    "federatedAppIds first"
                )
            del self._apps[app_id]
            self._secrets.pop(app_id, None)
        return {}

    @route("GET", "/v1/mgmt/sso/idp/app/load", "id")
    def load(self, app_id: str) -> dict[str, Any]:
        with self._project.lock:
            return _wire(self._require(app_id))

    @route("GET", "/v1/mgmt/sso/idp/apps/load")
    def all(self) -> dict[str, Any]:
        with self._project.lock:
            return {"apps": [_wire(app) for app in self._apps.values()]}

    @route("GET", "/v1/mgmt/sso/idp/app/secret", "id")
    def secret(self, app_id: str) -> dict[str, Any]:
        with self._project.lock:
            app = self._require(app_id)
            if app["appType"] != "oidc":
                raise errors.invalid_argument(f"SSO application '{app_id}' is not an OIDC application")
            return {"cleartext": self._secrets[app_id]}

    # ----- out-of-band access for tests and the admin API ---------------------------------------

    def get(self, app_id: str) -> dict[str, Any] | None:
        with self._project.lock:
            app = self._apps.get(app_id)
            return None if app is None else _wire(app)

    def edit(self, app_id: str, /, **changes: Any) -> dict[str, Any]:
        """A console edit (patch semantics, wire names): top-level keys (``name``, ``enabled``, ...) and
        the protocol's settings keys (``loginPageUrl``, ``claims``, ...) alike."""
        with self._project.lock:
            app = self._require(app_id)
            protocol = app["appType"]
            settings = {**app[f"{protocol}Settings"]}
            top = {k: app[k] for k in _TOP_LEVEL}
            for key, value in changes.items():
                (top if key in _TOP_LEVEL else settings)[key] = value
            self.update({**settings, **top, "id": app_id}, protocol=protocol)
            return _wire(self._apps[app_id])

    def remove(self, app_id: str) -> None:
        self.delete({"id": app_id})

    def dump(self) -> list[dict[str, Any]]:
        return [_wire(app) for app in self._apps.values()]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """Creates apps from ``dump`` entries (the built-in one's entry updates it), so ``dump()`` output
        loads back. A seeded OIDC app gets a new client secret (dumps never hold one)."""
        for entry in entries:
            protocol = "saml" if entry.get("appType") == "saml" else "oidc"
            settings = entry.get(f"{protocol}Settings") or {}
            body = {**settings, **{k: entry[k] for k in _TOP_LEVEL if k in entry}}
            if body.get("id") in self._apps:
                self.update(body, protocol=protocol)
            else:
                self.create(body, protocol=protocol)


def _wire(app: Mapping[str, Any]) -> dict[str, Any]:
    return copy.deepcopy({k: v for k, v in app.items() if k != "builtIn"})
