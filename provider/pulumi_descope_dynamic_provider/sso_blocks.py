"""The nested blocks of an SSO configuration (`oidc`, `saml`, `saml_metadata`) as `Block`s of
`Field`s, and the checks of their keys: the sdk generates OidcArgs, SamlArgs, SamlMetadataArgs and
RoleMappingArgs from them, and check() fills every absent key with the value Descope stores, so
the program's block and the block read back compare key by key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .core import checks
from .core.fields import ANY_MAP, FLAG, TEXT_LIST, Block, Check, Field, PyType, list_of

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


tenant_id_required = _required(checks.identifier, "acme")


def client_secret(prop: str, value: Any) -> tuple[Any, str | None]:
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
            text, problem = checks.text_or_empty(f"{prop}.{key}", item)
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
        Field("name", checks.text_or_empty, default="", doc="The provider's name as Descope shows it."),
        Field("client_id", _required(checks.text_or_empty, "0oa1b2c3"), required=True),
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
        Field("callback_domain", checks.text_or_empty, default=""),
        *_MAPPING_KEYS,
    ),
)
SAML = Block(
    "SamlArgs",
    "A SAML connection set up by hand: the IdP's SSO URL, entity id and signing certificate.",
    (
        Field("idp_url", _required(checks.https_url, "https://idp.example.com/sso/saml"), required=True),
        Field("entity_id", _required(checks.text_or_empty, "https://idp.example.com/entity"), required=True),
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
        Field("entity_id", checks.text_or_empty, default=""),
        _SAML_MAPPING,
        *_MAPPING_KEYS,
    ),
)
oidc_block = checks.block(
    "OIDC",
    OIDC,
    {"client_secret": "the client secret is the top-level input oidc_client_secret (kept secret)"},
)
saml_block = checks.block("SAML", SAML)
saml_metadata_block = checks.block("SAML metadata", SAML_METADATA)
