"""SSO applications (Descope as the identity provider of your apps): `/v1/mgmt/sso/idp/app/...`.

Paths and bodies as the official SDKs send them (docs/api-notes/sso_application.md): OIDC and SAML
apps are created and updated by protocol (`app/oidc/create`, `app/saml/update`, ...), deleted with
`app/delete {id}`, loaded with `GET app/load?id=` (flat; the docs show it wrapped in `{"app"}`: both are
read) and listed with `GET apps/load` -> `{"apps"}`. An update is a full override, so the caller sends
every setting, the ones it does not know included (`SsoApp.settings` keeps what Descope returned).
An OIDC app's client secret is `GET app/secret?id=` -> `{"cleartext"}` (Go and Node SDKs).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .endpoints import Endpoint
from .errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from .models import WireModel
from .transport import Transport

Protocol = Literal["oidc", "saml"]
SSO_APP_CREATE = "/v1/mgmt/sso/idp/app/{protocol}/create"
SSO_APP_UPDATE = "/v1/mgmt/sso/idp/app/{protocol}/update"
SSO_APP_DELETE = "/v1/mgmt/sso/idp/app/delete"
SSO_APP_LOAD = "/v1/mgmt/sso/idp/app/load"
SSO_APP_LOAD_ALL = "/v1/mgmt/sso/idp/apps/load"
SSO_APP_SECRET = "/v1/mgmt/sso/idp/app/secret"

CODE_SSO_APP_NOT_FOUND = "E117002"  # as the emulator documents it; no public source names Descope's
SSO_APP_GONE = frozenset({CODE_SSO_APP_NOT_FOUND})


class SsoApp(WireModel):
    """One app as Descope answers it; the settings stay in Descope's own (camelCase) keys, so that a
    full-override update can carry the keys this code does not model."""

    id: str
    name: str = ""
    description: str = ""
    enabled: bool = True
    logo: str = ""
    app_type: str = ""
    saml_settings: dict[str, Any] = Field(default_factory=dict)
    oidc_settings: dict[str, Any] = Field(default_factory=dict)

    @property
    def protocol(self) -> Protocol:
        return "saml" if self.app_type == "saml" else "oidc"

    @property
    def settings(self) -> dict[str, Any]:
        """The active protocol's settings."""
        return dict(self.saml_settings if self.protocol == "saml" else self.oidc_settings)


class SsoAppList(WireModel):
    apps: list[SsoApp] = Field(default_factory=list)


class _Secret(WireModel):
    cleartext: str = ""


# The load's answer is flat or wrapped in {"app"} (load_sso_app reads both).
_LOAD: Endpoint[Any] = Endpoint("GET", SSO_APP_LOAD, "load SSO application {id!r}", SSO_APP_GONE)
_LOAD_ALL = Endpoint("GET", SSO_APP_LOAD_ALL, "load all SSO applications", answer=SsoAppList)
_SECRET = Endpoint(
    "GET", SSO_APP_SECRET, "read the client secret of SSO application {id!r}", SSO_APP_GONE, _Secret
)
_DELETE: Endpoint[Any] = Endpoint("POST", SSO_APP_DELETE, "delete SSO application {id!r}", SSO_APP_GONE)


class SsoAppsApi(Transport):
    def create_sso_app(self, protocol: Protocol, body: dict[str, Any]) -> str:
        """Create an app from a full body (`id` may be "" for a generated one) and return its id. A
        create whose answer was lost is recognised by the id, else by the name (both unique in a
        project), and adopted when it is of this protocol."""
        operation = f"create {protocol.upper()} SSO application {body['name']!r}"
        path = SSO_APP_CREATE.format(protocol=protocol)

        def send(deadline: float) -> str:
            answer = self._send(operation, "POST", path, deadline, body=body)
            app_id = answer.get("id") if isinstance(answer, dict) else None
            if not isinstance(app_id, str) or not app_id:
                found = recover(deadline)
                if found is None:
                    raise NotFoundError("the app was created but its id is unknown", operation=operation)
                return found
            return app_id

        def recover(deadline: float) -> str | None:
            apps = self.load_all_sso_apps(deadline=deadline)
            wanted = body.get("id") or ""
            found = next((a for a in apps if (a.id == wanted if wanted else a.name == body["name"])), None)
            if found is None:
                return None
            if found.protocol != protocol or found.name != body["name"]:
                raise AlreadyExistsError(
                    f"an earlier attempt got no answer, and the app now found ({found.id!r}) differs from "
                    "what was sent, so it was not adopted; adopt it with adopt=True",
                    operation=operation,
                )
            self._emit(operation, f"the answer to an earlier attempt was lost; adopting app {found.id!r}")
            return found.id

        return self._create_once(operation, "SSO application", send, recover)

    def update_sso_app(self, protocol: Protocol, body: dict[str, Any]) -> None:
        """Override the app `body["id"]` with `body` (a new name renames it in place)."""
        if not body.get("id"):
            raise InvalidArgumentError("update_sso_app needs the app's id")
        self._call(
            f"update SSO application {body['id']!r}",
            "POST",
            SSO_APP_UPDATE.format(protocol=protocol),
            body=body,
            gone=SSO_APP_GONE,
        )

    def delete_sso_app(self, app_id: str) -> bool:
        """Delete one app by id; False when it was already gone."""
        if not app_id:
            raise InvalidArgumentError("delete_sso_app needs the app's id")
        try:
            return self._removed(_DELETE, {"id": app_id})
        except InvalidArgumentError:
            # No public source names Descope's "app not found" code: the list decides.
            if self.load_sso_app(app_id) is None:
                return False
            raise

    def load_sso_app(self, app_id: str) -> SsoApp | None:
        try:
            answer = self._request(_LOAD, {"id": app_id})
        except NotFoundError:
            return None
        except InvalidArgumentError:
            if all(app.id != app_id for app in self.load_all_sso_apps()):
                return None
            raise
        if isinstance(answer, dict) and isinstance(answer.get("app"), dict):
            answer = answer["app"]  # the shape the docs show
        return SsoApp.model_validate(answer)

    def load_all_sso_apps(self, *, deadline: float | None = None) -> list[SsoApp]:
        return self._request(_LOAD_ALL, {}, deadline=deadline).apps

    def sso_app_secret(self, app_id: str) -> str:
        """An OIDC app's client secret (a secret: never logged)."""
        return self._request(_SECRET, {"id": app_id}).cleartext
