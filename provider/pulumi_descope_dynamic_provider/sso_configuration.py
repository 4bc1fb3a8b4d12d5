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
from typing import Any

from .api.client import DescopeClient
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
    ANY_MAP,
    FLAG,
    NUMBER,
    TEXT_LIST,
    Block,
    Check,
    Field,
    PyType,
    ResourceSpec,
    Sent,
    block_of,
    list_of,
)
from .core.provider import DescopeProvider, ResourceError

__all__ = ["SSO_CONFIGURATION", "SsoConfigurationProvider"]

PROTOCOLS = ("oidc", "saml", "saml_metadata")

# Descope's OIDC claim mapping when none is given (the official Python SDK documents these); a
# mapping in the program is laid over them, and the whole mapping is always sent.
OIDC_DEFAULT_ATTRIBUTES = {
    "login_id": "sub",
    "username": "",
    "name": "name",
    "email": "email",
    "phone_number": "phone_number",
    "verified_email": "email_verified",
    "verified_phone": "phone_number_verified",
    "picture": "picture",
    "given_name": "given_name",
    "middle_name": "middle_name",
    "family_name": "family_name",
}
SAML_ATTRIBUTES = (
    "name",
    "email",
    "username",
    "phone_number",
    "group",
    "given_name",
    "middle_name",
    "family_name",
    "picture",
)


# ---- checks of the nested blocks ----------------------------------------------------------------


def _required(check: Check, example: str) -> Check:
    def required(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None or value == "":
            return None, f"{prop} is required, e.g. {prop}={example!r}"
        return check(prop, value)

    return required


def _text(prop: str, value: Any) -> tuple[Any, str | None]:
    if value == "":
        return "", None
    return checks.single_line_text(prop, value)


tenant_id_required = _required(checks.identifier, "acme")


def _client_secret(prop: str, value: Any) -> tuple[Any, str | None]:
    # Never quotes the value: it is a secret.
    if value is None:
        return None, None
    if not isinstance(value, str) or not value or value != value.strip():
        return None, (
            f"{prop} must be a non-empty string without surrounding spaces, e.g. "
            'config.require_secret("oidcClientSecret") after '
            "`pulumi config set --secret oidcClientSecret ...`"
        )
    return value, None


def _flag(prop: str, value: Any) -> tuple[Any, str | None]:
    return checks.boolean(prop, value)


def _ordered_certs(prop: str, value: Any) -> tuple[Any, str | None]:
    """Additional certificates, in the program's order (de-duplicated)."""
    if not isinstance(value, list | tuple):
        return None, f"{prop} must be a list of PEM certificates; got {type(value).__name__}"
    certs: list[str] = []
    for index, item in enumerate(value):
        cert, problem = checks.pem_certificate(f"{prop}[{index}]", item)
        if problem:
            return None, problem
        if cert not in certs:
            certs.append(cert)
    return certs, None


def _choice_set(*allowed: str) -> Check:
    one = checks.one_of(*allowed)

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if not isinstance(value, list | tuple):
            return None, f"{prop} must be a list, e.g. {prop}=[{allowed[0]!r}]"
        for index, item in enumerate(value):
            _, problem = one(f"{prop}[{index}]", item)
            if problem:
                return None, problem
        return sorted(set(value)), None

    return check


def _string_map(keys: Mapping[str, str], *, custom: bool = False) -> Check:
    """A mapping of known user fields to IdP attribute names, each missing one taking its default;
    with `custom`, also `custom_attributes` (custom user attribute -> IdP attribute)."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if not isinstance(value, Mapping):
            return None, f"{prop} must be a map of user field to IdP attribute name"
        allowed = [*keys, *(["custom_attributes"] if custom else [])]
        result: dict[str, Any] = dict(keys)
        for key, item in value.items():
            if key not in allowed:
                return None, f"{prop} has an unknown key {key!r}; the keys are: {', '.join(allowed)}"
            if key == "custom_attributes":
                if not isinstance(item, Mapping) or not all(
                    isinstance(k, str) and k and isinstance(v, str) for k, v in item.items()
                ):
                    return (
                        None,
                        f"{prop}.custom_attributes must map custom attribute names to IdP attribute names",
                    )
                result[key] = dict(sorted(item.items()))
                continue
            if item is None:
                continue
            text, problem = _text(f"{prop}.{key}", item)
            if problem:
                return None, problem
            result[key] = text
        if custom:
            result.setdefault("custom_attributes", {})
        return result, None

    return check


def _role_mappings(prop: str, value: Any) -> tuple[Any, str | None]:
    """IdP groups -> Descope role: a set of {groups, role_name}, sorted so order never shows as a change."""
    if not isinstance(value, list | tuple):
        return None, f'{prop} must be a list such as [{{"groups": ["admins"], "role_name": "Tenant Admin"}}]'
    mappings = []
    for index, item in enumerate(value):
        where = f"{prop}[{index}]"
        if not isinstance(item, Mapping) or set(item) - {"groups", "role_name"}:
            return None, f'{where} must be {{"groups": [...], "role_name": "..."}}'
        role = item.get("role_name")
        if not isinstance(role, str) or not role.strip():
            return None, f"{where}.role_name must name a Descope role (a non-empty string)"
        groups, problem = checks.string_set(f"{where}.groups", item.get("groups") or [])
        if problem:
            return None, problem
        mappings.append({"groups": groups, "role_name": role})
    return sorted(mappings, key=lambda m: (m["role_name"], m["groups"])), None


def _block(kind: str, block: Block, hints: Mapping[str, str] | None = None) -> Check:
    """A protocol block: a map with known keys, every absent key filled with its default, so the
    program's block and the block read back from Descope compare key by key."""

    def check(prop: str, value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, None
        if not isinstance(value, Mapping):
            return None, f"{prop} must be a {kind} block (a map or the sdk's args class)"
        for key in value:
            if key not in block.keys:
                hint = (hints or {}).get(key) or f"the keys are: {', '.join(block.keys)}"
                return None, f"{prop} has an unknown key {key!r}; {hint}"
        normalised_block: dict[str, Any] = {}
        for field in block.fields:
            item = value.get(field.name)
            if item is None:
                if field.required:
                    return None, f"{prop}.{field.name} is required"
                item = field.default() if callable(field.default) else field.default
            assert field.check is not None  # every Field input has one
            normalised, problem = field.check(f"{prop}.{field.name}", item)
            if problem:
                return None, problem
            normalised_block[field.name] = normalised
        return normalised_block, None

    return check


ROLE_MAPPING = Block(
    "RoleMappingArgs",
    "Members of any of `groups` (as the IdP names them) get the Descope role `role_name`.",
    (
        Field("role_name", checks.single_line_text, required=True, doc="The Descope role (it must exist)."),
        Field("groups", checks.string_set, type=TEXT_LIST, doc="The IdP's group names."),
    ),
)
_MAPPING_KEYS = (
    Field(
        "role_mappings",
        _role_mappings,
        type=list_of(ROLE_MAPPING),
        default=list,
        doc="IdP groups -> Descope role names (the roles must exist).",
    ),
    Field(
        "default_sso_roles",
        checks.string_set,
        type=TEXT_LIST,
        default=list,
        doc="Roles every user signing in through this connection gets.",
    ),
)
_SAML_MAPPING = Field(
    "attribute_mapping",
    _string_map(dict.fromkeys(SAML_ATTRIBUTES, ""), custom=True),
    type=ANY_MAP,
    default=dict,
    doc="""User field -> assertion attribute (name, email, username, phone_number, group, given_name,
middle_name, family_name, picture) and `custom_attributes` {custom attribute: assertion attribute}.""",
)


def _url(name: str, doc: str = "") -> Field:
    return Field(name, checks.https_url, default="", doc=doc)


OIDC = Block(
    "OidcArgs",
    """An OIDC connection. The client secret is SsoConfiguration's `oidc_client_secret` (kept secret).
Keys left as None take Descope's defaults.""",
    (
        Field("name", _text, default="", doc="The provider's name as Descope shows it."),
        Field("client_id", _required(_text, "0oa1b2c3"), required=True),
        _url("auth_url"),
        _url("token_url"),
        _url("user_data_url"),
        _url("jwks_url"),
        _url("issuer"),
        Field("scope", checks.string_set, type=TEXT_LIST, default=list),
        Field(
            "user_attr_mapping",
            _string_map(OIDC_DEFAULT_ATTRIBUTES),
            type=PyType("Mapping[str, pulumi.Input[str]]", "dict[str, str]"),
            default=dict,
            doc="""User field -> claim (login_id, username, name, email, phone_number, verified_email,
verified_phone, picture, given_name, middle_name, family_name), laid over Descope's defaults
(login_id='sub', email='email', ...).""",
        ),
        Field(
            "grant_type",
            checks.one_of("authorization_code", "implicit"),
            default="authorization_code",
            doc='"authorization_code" (default) or "implicit".',
        ),
        Field(
            "prompt",
            _choice_set("none", "login", "consent", "select_account"),
            type=TEXT_LIST,
            default=list,
            doc='Any of "none", "login", "consent", "select_account".',
        ),
        Field("use_pkce", _flag, type=FLAG, default=False),
        Field("manage_provider_tokens", _flag, type=FLAG, default=False),
        Field("callback_domain", _text, default=""),
        *_MAPPING_KEYS,
    ),
)
SAML = Block(
    "SamlArgs",
    "A SAML connection set up by hand: the IdP's SSO URL, entity id and signing certificate.",
    (
        Field("idp_url", _required(checks.https_url, "https://idp.example.com/sso/saml"), required=True),
        Field("entity_id", _required(_text, "https://idp.example.com/entity"), required=True),
        Field(
            "idp_cert",
            _required(checks.pem_certificate, "-----BEGIN CERTIFICATE-----..."),
            required=True,
            doc="The IdP's signing certificate, PEM (-----BEGIN CERTIFICATE----- ...).",
        ),
        Field(
            "idp_additional_certs",
            _ordered_certs,
            type=TEXT_LIST,
            default=list,
            doc="More signing certificates (e.g. during a rotation), PEM.",
        ),
        _SAML_MAPPING,
        *_MAPPING_KEYS,
    ),
)
SAML_METADATA = Block(
    "SamlMetadataArgs",
    "A SAML connection configured from the IdP's metadata URL.",
    (
        Field(
            "metadata_url",
            _required(checks.https_url, "https://idp.example.com/metadata.xml"),
            required=True,
        ),
        Field("entity_id", _text, default=""),
        _SAML_MAPPING,
        *_MAPPING_KEYS,
    ),
)
oidc_block = _block(
    "OIDC",
    OIDC,
    {"client_secret": "the client secret is the top-level input oidc_client_secret (kept secret)"},
)
saml_block = _block("SAML", SAML)
saml_metadata_block = _block("SAML metadata", SAML_METADATA)

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
            _client_secret,
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
        Field(
            "adopt",
            checks.boolean,
            type=FLAG,
            sent=Sent.NEVER,
            doc="Take over a configuration that already exists with this tenant_id and sso_id.",
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
            self._roll_back_create(client, inputs, exc)
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

    def _roll_back_create(
        self, client: DescopeClient, inputs: Mapping[str, Any], cause: DescopeError
    ) -> None:
        """Create is all or nothing: remove the slot when configuring it failed."""
        label = self.label(inputs)
        try:
            client.delete_sso(inputs["tenant_id"], inputs["sso_id"])
        except DescopeError as undo:
            raise ResourceError(
                f"{label} was created but configuring it failed ({cause}); removing it again failed too "
                f"({undo}). Fix the cause and rerun: the empty configuration is reused"
            ) from None
        raise ResourceError(f"{label} was not created: {cause}") from None

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
