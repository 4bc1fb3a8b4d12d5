"""The provider behind `pulumi_descope_dynamic.SsoConfiguration`: one SSO configuration (OIDC, SAML or
SAML by metadata) of a tenant.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.sso_configuration.SsoConfigurationProvider` is
written into users' stack state; never rename or move it.

- Id: "<tenant id>/<SSO id>" (neither may contain '/'); `sso_id` defaults to Descope's `default_ssoid`.
- Create is two calls, a slot then one configure; if the configure fails the slot is deleted again,
  so a rerun starts clean. A slot left by an interrupted run (never configured, same display name) is
  reused instead of failing as a duplicate.
- Update is one configure call with the whole configuration (Descope replaces it whole), so switching
  `oidc` to `saml` is an update in place. The display name is set by the slot only: changing it, the
  tenant or the SSO id replaces the configuration.
- The OIDC client secret is the top-level input `oidc_client_secret`, not a key of `oidc`: Pulumi marks
  secrets per top-level property, so a secret inside `oidc` would hide the whole block in every diff.
  Descope never returns it: it is kept from the program (Field(secret=True)), so a refresh neither
  sees nor invents a change of it, and a new value in the program is sent by the next `up`.
- Refresh reads each tenant's configurations with one request (a per-tenant snapshot).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any

from .api.errors import AlreadyExistsError, DescopeError, NotFoundError
from .api.sso import (
    DEFAULT_SSO_ID,
    LoadedSso,
    OidcSettings,
    SamlMetadataSettings,
    SamlSettings,
)
from .core import checks
from .core.abilities import Adopts, Proposal, Update
from .core.fields import (
    NUMBER,
    TEXT_LIST,
    Field,
    PyType,
    ResourceSpec,
    Sent,
    block_of,
)
from .core.provider import DescopeProvider, ResourceError, roll_back_create
from .sso_blocks import (
    OIDC,
    PROTOCOLS,
    SAML,
    SAML_METADATA,
    client_secret,
    oidc_block,
    saml_block,
    saml_metadata_block,
    tenant_id_required,
)

if TYPE_CHECKING:
    from .api.client import DescopeClient

__all__ = ["SSO_CONFIGURATION", "SsoConfigurationProvider"]

SSO_CONFIGURATION = ResourceSpec(
    type_name="SsoConfiguration",
    kind="SSO configuration",
    writes=Sent.REPLACE,
    doc="""A tenant's SSO configuration (type token `pulumi-python:dynamic/descope:SsoConfiguration`).
Its id is "<tenant id>/<SSO id>".

```python
okta = descope.SsoConfiguration("acme-okta", tenant_id=acme.tenant_id, display_name="Acme Okta",
    oidc=descope.OidcArgs(client_id="0oa1", issuer="https://acme.okta.com", ...),
    oidc_client_secret=config.require_secret("oidcClientSecret"), domains=["acme.com"])
```""",
    args_doc="The inputs of one SSO configuration; set exactly one of oidc, saml, saml_metadata.",
    example='tenant_id="acme", display_name="Acme Okta", oidc=OidcArgs(client_id="...")',
    id_doc='its id ("<tenant id>/<SSO id>")',
    fields=(
        Field(
            "tenant_id",
            tenant_id_required,
            required=True,
            sent=Sent.CREATE,
            doc="The tenant (e.g. `acme.tenant_id`). Changing it replaces the configuration.",
        ),
        Field(
            "sso_id",
            checks.identifier,
            sent=Sent.CREATE,
            absent=DEFAULT_SSO_ID,
            doc="""Several configurations per tenant are allowed; default: Descope's "default_ssoid", the one
the tenant's own auth_type and domains follow. Changing it replaces the configuration.""",
        ),
        # Descope sets the display name with the slot only: a change replaces the configuration.
        Field(
            "display_name",
            checks.required_name("Acme Okta"),
            required=True,
            sent=Sent.CREATE,
            doc="Set when the configuration is created; changing it replaces the configuration.",
        ),
        Field("oidc", oidc_block, type=block_of(OIDC)),
        Field(
            "oidc_client_secret",
            client_secret,
            type=PyType("str", "str | None"),
            secret=True,
            returned=False,
            doc="""The OIDC client secret (write-only in Descope). Always stored as a secret; give it from
`pulumi config set --secret`. Leaving it out keeps the secret Descope has.""",
            output_doc="A secret: shown as [secret] everywhere.",
        ),
        Field("saml", saml_block, type=block_of(SAML)),
        Field("saml_metadata", saml_metadata_block, type=block_of(SAML_METADATA)),
        Field(
            "domains",
            checks.domain_set,
            type=TEXT_LIST,
            doc="E-mail domains whose users sign in through this configuration (one tenant per domain).",
        ),
        Field("redirect_url", checks.https_url, doc="Where users land after signing in (https)."),
        checks.provider_flag(
            "adopt",
            "Take over a configuration that already exists with this tenant_id and sso_id.",
        ),
        Field("auth_type", output=True, doc='The protocol in use: "oidc" or "saml".'),
        Field("sp_acs_url", output=True, doc="The service provider's ACS URL to give the IdP (SAML)."),
        Field("sp_entity_id", output=True, doc="The service provider's entity id to give the IdP (SAML)."),
        Field(
            "last_success_test_time",
            output=True,
            type=NUMBER,
            doc="When a test sign-in last succeeded (0 = never).",
        ),
    ),
)


# ---- live state ----------------------------------------------------------------------------------


def _mapping_block(loaded: Any) -> dict[str, Any]:
    return {
        "role_mappings": [m.model_dump() for m in loaded.role_mappings()],
        "default_sso_roles": list(loaded.default_sso_roles),
    }


@dataclass(frozen=True)
class SsoLive:
    """One configuration in the provider's terms: the active protocol's block in the program's
    shape (the others None), as the field spec reads it."""

    tenant_id: str
    sso_id: str
    display_name: str
    auth_type: str
    oidc: dict[str, Any] | None
    saml: dict[str, Any] | None
    saml_metadata: dict[str, Any] | None
    domains: list[str]
    redirect_url: str
    sp_acs_url: str
    sp_entity_id: str
    last_success_test_time: int
    carried: Mapping[str, Mapping[str, Any]] = dataclass_field(default_factory=dict, compare=False)
    """Per protocol ("oidc", "saml"), the live settings' keys this code does not model: a configure
    replaces the settings whole, so it carries them (never in the outputs)."""

    @property
    def id(self) -> str:
        return f"{self.tenant_id}/{self.sso_id}"

    @classmethod
    def from_loaded(cls, loaded: LoadedSso) -> SsoLive:
        auth_type = loaded.tenant.auth_type
        saml, oidc = loaded.saml, loaded.oidc
        blocks: dict[str, dict[str, Any] | None] = dict.fromkeys(PROTOCOLS)
        if auth_type == "oidc":
            blocks["oidc"] = {
                **{
                    key: value
                    for key, value in oidc.known().items()
                    if key
                    not in {"groups_mapping", "default_sso_roles", "last_success_test_time", "redirect_url"}
                },
                **_mapping_block(oidc),
            }
        elif auth_type == "saml" and saml.idp_metadata_url:
            blocks["saml_metadata"] = {
                "metadata_url": saml.idp_metadata_url,
                "entity_id": saml.idp_entity_id,
                "attribute_mapping": saml.attribute_mapping.model_dump(),
                **_mapping_block(saml),
            }
        elif auth_type == "saml":
            blocks["saml"] = {
                "idp_url": saml.idp_sso_url,
                "entity_id": saml.idp_entity_id,
                "idp_cert": saml.idp_certificate,
                "idp_additional_certs": list(saml.idp_additional_certificates),
                "attribute_mapping": saml.attribute_mapping.model_dump(),
                **_mapping_block(saml),
            }
        active = oidc if auth_type == "oidc" else saml
        return cls(
            tenant_id=loaded.tenant.id,
            sso_id=loaded.sso_id,
            display_name=loaded.display_name,
            auth_type=auth_type,
            oidc=blocks["oidc"],
            saml=blocks["saml"],
            saml_metadata=blocks["saml_metadata"],
            domains=list(loaded.tenant.domains),
            redirect_url=active.redirect_url if auth_type != "none" else "",
            sp_acs_url=saml.sp_acs_url,
            sp_entity_id=saml.sp_entity_id,
            last_success_test_time=active.last_success_test_time if auth_type != "none" else 0,
            carried={"oidc": oidc.unknown_keys(), "saml": saml.unknown_keys()},
        )

    def configured(self, inputs: Mapping[str, Any], domains: list[str], redirect_url: str) -> SsoLive:
        """This configuration after a configure with `inputs` succeeded (no read-back request)."""
        protocol = next(p for p in PROTOCOLS if inputs.get(p) is not None)
        return SsoLive(
            **{
                **self.__dict__,
                **{p: inputs.get(p) for p in PROTOCOLS},
                "auth_type": "oidc" if protocol == "oidc" else "saml",
                "domains": domains,
                "redirect_url": redirect_url,
            }
        )


def split_id(id_: str) -> tuple[str, str]:
    tenant_id, slash, sso_id = id_.rpartition("/")
    if not slash or not tenant_id or not sso_id:
        raise ResourceError(
            f"SSO configuration id {id_!r} must be '<tenant id>/<SSO id>', e.g. 'acme/default_ssoid'"
        )
    return tenant_id, sso_id


def _configure(
    client: DescopeClient,
    inputs: Mapping[str, Any],
    domains: list[str],
    redirect_url: str,
    live: SsoLive | None = None,
) -> None:
    """One configure call carrying the whole configuration, and the keys of the `live` settings this
    code does not model."""
    tenant_id, sso_id = inputs["tenant_id"], inputs["sso_id"]
    carried = (live.carried if live else {}).get("oidc" if inputs.get("oidc") is not None else "saml")
    if inputs.get("oidc") is not None:
        settings = OidcSettings.model_validate(
            {
                **inputs["oidc"],
                "redirect_url": redirect_url,
                "client_secret": inputs.get("oidc_client_secret"),
            }
        )
        client.configure_sso_oidc(tenant_id, sso_id, settings, domains, carried)
    elif inputs.get("saml") is not None:
        saml: SamlSettings | SamlMetadataSettings = SamlSettings.model_validate(inputs["saml"])
        client.configure_sso_saml(tenant_id, sso_id, saml, domains, redirect_url, carried)
    else:
        saml = SamlMetadataSettings.model_validate(inputs["saml_metadata"])
        client.configure_sso_saml(tenant_id, sso_id, saml, domains, redirect_url, carried)


class SsoConfigurationProvider(Adopts[SsoLive], DescopeProvider[SsoLive]):
    """check/diff/create/read/update/delete of one SSO configuration of a tenant."""

    spec = SSO_CONFIGURATION
    unique_fix = "choose another sso_id, or remove the SSO domain from the other tenant's configuration"

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        tenant_id, sso_id = props.get("tenant_id"), props.get("sso_id") or DEFAULT_SSO_ID
        if id_ and "/" in id_:
            tenant_id, sso_id = split_id(id_)
        return f"SSO configuration {sso_id!r} of tenant {tenant_id!r}"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        problems = []
        oidc = proposal.inputs.get("oidc")
        if (
            isinstance(oidc, Mapping)
            and oidc.get("use_pkce") is True
            and oidc.get("grant_type") == "implicit"
        ):
            problems.append(
                ("oidc", "oidc.use_pkce needs grant_type 'authorization_code'; remove one of them")
            )
        # "Exactly one protocol" is about what the program sets, valid or not, so it is judged on the
        # raw inputs (`proposal.inputs` holds only the blocks that passed their own checks).
        given = [p for p in PROTOCOLS if proposal.given.get(p) is not None]
        if len(given) != 1:
            problems.append(
                (
                    "oidc" if not given else given[1],
                    f"set exactly one of oidc, saml or saml_metadata (got {', '.join(given) or 'none'}); "
                    "a configuration speaks one protocol",
                )
            )
        if proposal.given.get("oidc_client_secret") is not None and "oidc" not in given:
            problems.append(("oidc_client_secret", "oidc_client_secret is set but oidc is not; remove it"))
        return problems

    # ---- reads ------------------------------------------------------------------------------------

    def live_id(self, live: SsoLive) -> str:
        return live.id

    def load_live(self, client: DescopeClient, id_: str) -> SsoLive | None:
        tenant_id, _ = split_id(id_)
        load_all: Callable[[], list[SsoLive]] = lambda: [  # noqa: E731
            SsoLive.from_loaded(loaded) for loaded in client.load_all_sso(tenant_id)
        ]
        # One request per tenant per refresh, shared by every configuration of that tenant; writes
        # invalidate it like every snapshot.
        snapshot = self._api().snapshot(f"{self.spec.type_name}:{tenant_id}", load_all, self.live_id)
        return snapshot.get(id_)

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> SsoLive | None:
        try:
            return SsoLive.from_loaded(client.load_sso(inputs["tenant_id"], inputs["sso_id"]))
        except NotFoundError:
            return None

    # ---- writes -----------------------------------------------------------------------------------

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> SsoLive:
        tenant_id, sso_id = inputs["tenant_id"], inputs["sso_id"]
        try:
            slot = SsoLive.from_loaded(client.create_sso_slot(tenant_id, sso_id, inputs["display_name"]))
        except AlreadyExistsError:
            slot = self._unfinished_slot(client, inputs)
        domains, redirect_url = inputs.get("domains") or [], inputs.get("redirect_url") or ""
        try:
            _configure(client, inputs, domains, redirect_url)
        except DescopeError as exc:
            roll_back_create(
                self.label(inputs),
                lambda: client.delete_sso(tenant_id, sso_id),
                exc,
                step="configuring it",
                fix="Fix the cause and rerun: the empty configuration is reused",
                step_in_cause=False,
            )
        return slot.configured(inputs, domains, redirect_url)

    def _unfinished_slot(self, client: DescopeClient, inputs: Mapping[str, Any]) -> SsoLive:
        """A slot an interrupted run created but never configured (no protocol, same display name) is
        this resource's own: reuse it. Anything else is somebody's configuration: the duplicate error
        stands (the base suggests adopt=True)."""
        existing = self.find_existing(client, inputs)
        if (
            existing is None
            or existing.auth_type != "none"
            or existing.display_name != inputs["display_name"]
        ):
            raise AlreadyExistsError(
                f"an SSO configuration with id {inputs['sso_id']!r} already exists in tenant "
                f"{inputs['tenant_id']!r}"
            )
        return existing

    def adopt_remote(self, client: DescopeClient, live: SsoLive, inputs: Mapping[str, Any]) -> SsoLive:
        if live.display_name != inputs["display_name"]:
            raise ResourceError(
                f"{self.label(inputs)} exists with display name {live.display_name!r}, but the program sets "
                f"{inputs['display_name']!r}; Descope cannot rename it, so set display_name to the existing "
                "name"
            )
        domains = inputs.get("domains")
        redirect_url = inputs.get("redirect_url")
        domains = live.domains if domains is None else domains
        redirect_url = live.redirect_url if redirect_url is None else redirect_url
        _configure(client, inputs, domains, redirect_url, live)
        return live.configured(inputs, domains, redirect_url)

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        inputs = update.inputs
        # Every configure replaces the configuration whole: read it (one request), then send all of
        # it. Domains and redirect URL the program does not manage, and the settings' keys this code
        # does not model (a field Descope added since), keep their live values.
        live = self.find_existing(client, inputs)
        if live is None:
            raise NotFoundError(f"{self.label(inputs)} is gone")
        domains = inputs.get("domains")
        redirect_url = inputs.get("redirect_url")
        domains = live.domains if domains is None else domains
        redirect_url = live.redirect_url if redirect_url is None else redirect_url
        _configure(client, inputs, domains, redirect_url, live)
        protocol = next(p for p in PROTOCOLS if inputs.get(p) is not None)
        # The protocol switched (oidc -> saml): the other blocks are no longer what Descope uses.
        return {
            **{p: inputs.get(p) for p in PROTOCOLS},
            "auth_type": "oidc" if protocol == "oidc" else "saml",
        }

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        return client.delete_sso(*split_id(id_))
