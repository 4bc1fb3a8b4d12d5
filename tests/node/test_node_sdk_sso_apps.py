"""Contract test: the official Node SDK's SSO application calls against the emulator (same harness as
test_node_sdk_contract.py: Node calls, Python checks the answers against the SDK's TypeScript types)."""

from __future__ import annotations

from descope_emulator import EmulatorServer

from tests.node.test_node_sdk_contract import assert_error, assert_ok, call, conforms, run, sent
from tests.node.ts_types import TypeScriptTypes

SAML = {
    "name": "Wiki",
    "loginPageUrl": "https://auth.example.com/login",
    "entityId": "https://wiki.example.com/sp",
    "acsUrl": "https://wiki.example.com/acs",
    "certificate": "-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----",
    "attributeMapping": [{"name": "mail", "type": "", "value": "email"}],
    "acsAllowedCallbacks": ["https://wiki.example.com/*"],
}


def test_sso_application_calls(node: str, emulator: EmulatorServer, ts: TypeScriptTypes) -> None:
    results = run(
        node,
        emulator,
        call(
            "ssoApplication.createOidcApplication", {"name": "Portal", "loginPageUrl": "https://a.example/l"}
        ),
        call("ssoApplication.createSamlApplication", {**SAML, "id": "wiki"}),
        call("ssoApplication.updateOidcApplication", {"id": "wiki", "name": "X", "loginPageUrl": ""}),
        call("ssoApplication.load", "wiki"),
        call("ssoApplication.loadAll"),
        call("ssoApplication.delete", "wiki"),
        call("ssoApplication.load", "wiki"),
    )
    portal_id = assert_ok(results[0])["id"]
    assert assert_ok(results[1]) == {"id": "wiki"}
    assert_error(results[2], 400, "E011004")  # an OIDC update of a SAML app
    wiki = assert_ok(results[3])
    conforms(ts, wiki, "SSOApplication")
    assert wiki["samlSettings"]["attributeMapping"] == SAML["attributeMapping"]
    every = assert_ok(results[4])
    assert {app["id"] for app in every} == {portal_id, "wiki", emulator.project_id}
    for app in every:
        conforms(ts, app, "SSOApplication")
    assert_ok(results[5])
    assert_error(results[6], 400, "E117002")
    assert sent(emulator, "/v1/mgmt/sso/idp/app/delete") == [{"id": "wiki"}]
