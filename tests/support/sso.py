"""Inputs shared by the SsoConfiguration tests: two real (self-signed, test-only) IdP certificates
and one program per protocol."""

from __future__ import annotations

from typing import Any

IDP_CERT = """-----BEGIN CERTIFICATE-----
MIIBHDCBw6ADAgECAgEBMAoGCCqGSM49BAMCMBgxFjAUBgNVBAMMDWlkcC5hY21l
LnRlc3QwHhcNMjYwMTAxMDAwMDAwWhcNMzUxMjMwMDAwMDAwWjAYMRYwFAYDVQQD
DA1pZHAuYWNtZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1+zG8Pcw
TmY9yjc+cFbqsAU/UgrAM4nv+m7OxHGpM6UbFptxMKzQFygDH/4PDGqZ7DdBPHEp
jWrssP4ko0u2QTAKBggqhkjOPQQDAgNIADBFAiBjkiBxnSrzln1vOcPAgwztS2nx
k2sS43QqRwK3b5XOPgIhAIDASZHa8WwyXZ9Z6POipluFhFjHG/pyBpnoTyT6EwWO
-----END CERTIFICATE-----"""

IDP_CERT_2 = """-----BEGIN CERTIFICATE-----
MIIBHTCBxaADAgECAgEBMAoGCCqGSM49BAMCMBkxFzAVBgNVBAMMDmlkcDIuYWNt
ZS50ZXN0MB4XDTI2MDEwMTAwMDAwMFoXDTM1MTIzMDAwMDAwMFowGTEXMBUGA1UE
AwwOaWRwMi5hY21lLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATDEU2F
wE6pTSlL7+kjQtRBh/aOE3v3sJMpz5t+X8kkRNkr7luYLpJF/2H6kyhjWo8Y7Cck
85rYO+G88YQ3Pkh/MAoGCCqGSM49BAMCA0cAMEQCIFe8P7p9Flp1r6G6PS6U0MYG
ggLr+rn6qS9eSpX63EQdAiBiXTZhGfrEArTtUsAuonKvyvSsGwcFWzRxvrJ6rKY0
Dg==
-----END CERTIFICATE-----"""

# Distinctive enough that a scan for it cannot match anything by chance.
CLIENT_SECRET = "oidc-s3cret-7f1c9a2e4b6d8f0a"
NEW_CLIENT_SECRET = "oidc-r0tated-5e3b1d9c7a2f4e6b"

OIDC_PROGRAM: dict[str, Any] = {
    "tenant_id": "acme",
    "display_name": "Acme Okta",
    "oidc": {
        "name": "Okta",
        "client_id": "0oa1b2c3",
        "issuer": "https://acme.okta.test",
        "auth_url": "https://acme.okta.test/oauth2/v1/authorize",
        "token_url": "https://acme.okta.test/oauth2/v1/token",
        "user_data_url": "https://acme.okta.test/oauth2/v1/userinfo",
        "jwks_url": "https://acme.okta.test/oauth2/v1/keys",
        "scope": ["openid", "profile", "email"],
        "role_mappings": [{"groups": ["admins"], "role_name": "Tenant Admin"}],
    },
    "oidc_client_secret": CLIENT_SECRET,
    "domains": ["Acme.com"],
    "redirect_url": "https://app.acme.test/after-login",
}

SAML_BLOCK: dict[str, Any] = {
    "idp_url": "https://idp.acme.test/sso/saml",
    "entity_id": "https://idp.acme.test/entity",
    "idp_cert": IDP_CERT,
    "attribute_mapping": {"email": "mail", "group": "memberOf", "custom_attributes": {"dept": "department"}},
    "role_mappings": [{"groups": ["g-admins", "g-ops"], "role_name": "Tenant Admin"}],
}

SAML_PROGRAM: dict[str, Any] = {
    "tenant_id": "acme",
    "display_name": "Acme SAML",
    "saml": SAML_BLOCK,
    "domains": ["acme.com"],
}
