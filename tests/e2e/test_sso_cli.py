"""SsoConfiguration end to end as a user works: `pulumi` commands in a project directory on the real
CLI (and the dynamic-provider plugin) against the emulator: the OIDC client secret from
`pulumi config set --secret` never appears in plain text in `pulumi stack export`, the state files or
anything the CLI and plugin print (nor does an SSO admin link); the request cost of create, update,
refresh and delete; drift and a console delete; the tenant following its SSO.

`up`, `refresh` and `destroy` run with `--yes --skip-preview`, as in CI: the engine runs once per
command, so the request counts are those of the operation itself (without the flag each command
first previews); the test previews explicitly (`pulumi preview`) where a preview is what it checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes
from tests.support.sso import CLIENT_SECRET, NEW_CLIENT_SECRET

pytestmark = pytest.mark.e2e

SSO_TYPE = "pulumi-python:dynamic/descope:SsoConfiguration"
# How `pulumi stack export` marks a secret value: {SECRET_SIG_KEY: SECRET_SIG, "ciphertext": ...}.
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UP = ("up", "--yes", "--skip-preview")
REFRESH = ("refresh", "--yes", "--skip-preview")

PROGRAM = """\
import pulumi
import pulumi_descope_dynamic as descope

acme = descope.Tenant("acme", name="Acme Corp", tenant_id="acme")
okta = descope.SsoConfiguration(
    "acme-okta",
    tenant_id=acme.tenant_id,
    display_name="Acme Okta",
    oidc=descope.OidcArgs(
        client_id="0oa1b2c3",
        issuer="https://acme.okta.test",
        auth_url="https://acme.okta.test/oauth2/v1/authorize",
        token_url="https://acme.okta.test/oauth2/v1/token",
        scope=["openid", "email"],
        role_mappings=[descope.RoleMappingArgs(role_name="Tenant Admin", groups=["admins"])],
    ),
    oidc_client_secret=pulumi.Config().require_secret("oidcClientSecret"),
    domains=["acme.com"],
)
setup = descope.SsoAdminLink("acme-setup", tenant_id=okta.tenant_id, sso_id=okta.sso_id, expire_seconds=3600)
pulumi.export("setup_link", setup.link)
pulumi.export("acs_url", okta.sp_acs_url)
pulumi.export("secret_out", okta.oidc_client_secret)
pulumi.export("tenant_auth_type", acme.auth_type)
"""


def requests_made(emulator: EmulatorServer) -> dict[str, int]:
    return {route: sum(outcomes.values()) for route, outcomes in emulator.stats()["requests"].items()}


def sso_requests(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        route: n - before.get(route, 0)
        for route, n in after.items()
        if "/mgmt/sso/" in route and n != before.get(route, 0)
    }


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorServer) -> Iterator[PulumiProject]:
    made = PulumiProject.create(tmp_path, PROGRAM)
    made.init_stack("e2e", emulator)
    made.run("config", "set", "--secret", "oidcClientSecret", CLIENT_SECRET)
    yield made


def deployment(project: PulumiProject) -> dict[str, Any]:
    """The state as `pulumi stack export` (without --show-secrets) prints it."""
    found: dict[str, Any] = json.loads(project.export())["deployment"]
    return found


def sso_resource(deployment: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in deployment["resources"] if r["type"] == SSO_TYPE)


def scan(project: PulumiProject, root: Path, secrets: tuple[str, ...]) -> list[str]:
    """Where any of `secrets` appears in plain text: the CLI and plugin output of every command so far
    (but those run with --show-secrets), `pulumi stack export` without --show-secrets, and every file
    of the project, the backend and PULUMI_HOME."""
    places = {"CLI and plugin output": project.plain_output(), "pulumi stack export": project.export()}
    for path in root.rglob("*"):
        if path.is_file():
            places[str(path.relative_to(root))] = path.read_bytes().decode("utf-8", "replace")
    return [
        f"{secret[:6]}... in {where}"
        for where, text in places.items()
        for secret in secrets
        if secret in text
    ]


def test_secret_never_in_plain_text_and_cost_of_each_operation(
    project: PulumiProject, emulator: EmulatorServer, tmp_path: Path
) -> None:
    before = requests_made(emulator)
    up = project.run(*UP)
    # The stack, the tenant, the configuration, its admin link.
    assert changes(up) == {"create": 4}, project.transcript()
    assert sso_requests(before, requests_made(emulator)) == {
        "POST /v1/mgmt/sso/settings/new": 1,
        "POST /v1/mgmt/sso/oidc": 1,
    }
    assert emulator.state.sso.client_secret_matches("acme", "default_ssoid", CLIENT_SECRET)
    outputs = project.outputs()
    assert outputs["secret_out"] == "[secret]" and outputs["setup_link"] == "[secret]"
    assert outputs["acs_url"].startswith("https://")
    link = project.outputs(show_secrets=True)["setup_link"]
    assert emulator.state.sso.admin_link_valid("acme", link)

    # The secret is a secret in the state, as an input and as an output.
    resource = sso_resource(deployment(project))
    for bag in ("inputs", "outputs"):
        assert resource[bag]["oidc_client_secret"][SECRET_SIG_KEY] == SECRET_SIG, bag
    assert changes(project.run("preview", "--expect-no-changes")).get("same") == 4

    # Refresh: one request per tenant for its configurations, no change, the secret still stored.
    before = requests_made(emulator)
    refresh = project.run(*REFRESH)
    assert sso_requests(before, requests_made(emulator)) == {"GET /v2/mgmt/sso/settings/all": 1}
    assert changes(refresh) == {"same": 4}
    # The tenant's outputs follow its SSO configuration once refreshed.
    tenant = next(r for r in deployment(project)["resources"] if r["type"].endswith(":Tenant"))
    assert tenant["outputs"]["auth_type"] == "oidc" and tenant["outputs"]["domains"] == ["acme.com"]
    assert changes(project.run("preview", "--expect-no-changes")).get("same") == 4

    # `pulumi config set --secret` with a new value: a read (so that the full replace carries the keys
    # this code does not model) and one configure call.
    project.run("config", "set", "--secret", "oidcClientSecret", NEW_CLIENT_SECRET)
    before = requests_made(emulator)
    assert changes(project.run(*UP)) == {"update": 1, "same": 3}
    assert sso_requests(before, requests_made(emulator)) == {
        "GET /v2/mgmt/sso/settings": 1,
        "POST /v1/mgmt/sso/oidc": 1,
    }
    assert emulator.state.sso.client_secret_matches("acme", "default_ssoid", NEW_CLIENT_SECRET)

    # A domain added in the console shows after a refresh; `up` restores the program's.
    emulator.state.sso.edit("acme", domains=["acme.com", "acme.org"])
    assert changes(project.run(*REFRESH)) == {"update": 1, "same": 3}
    assert changes(project.run("preview")).get("update") == 1
    assert changes(project.run(*UP)) == {"update": 1, "same": 3}
    live = emulator.state.sso.get("acme")
    assert live is not None and live["tenant"]["domains"] == ["acme.com"]

    # Deleted in the console: a refresh drops it, `up` creates it again.
    emulator.state.sso.remove("acme")
    assert changes(project.run(*REFRESH)) == {"delete": 1, "same": 3}
    assert changes(project.run(*UP)) == {"create": 1, "same": 3}
    assert emulator.state.sso.client_secret_matches("acme", "default_ssoid", NEW_CLIENT_SECRET)

    # Positive control: the scan would find them, since --show-secrets reveals what is kept encrypted.
    revealed = project.export(show_secrets=True)
    assert NEW_CLIENT_SECRET in revealed and link in revealed

    before = requests_made(emulator)
    project.run("destroy", "--yes", "--skip-preview")
    assert sso_requests(before, requests_made(emulator)) == {"DELETE /v1/mgmt/sso/settings": 1}
    assert emulator.state.sso.count() == 0

    token = link.rpartition("?t=")[2]
    assert scan(project, tmp_path, (CLIENT_SECRET, NEW_CLIENT_SECRET, token)) == []


def test_an_error_on_create_shows_no_secret(
    project: PulumiProject, emulator: EmulatorServer, tmp_path: Path
) -> None:
    # Another tenant holds the SSO domain: the configure fails, the slot is rolled back.
    emulator.state.create_tenant({"id": "globex", "name": "Globex"})
    emulator.state.sso.seed([{"tenantId": "globex", "displayName": "G", "domains": ["acme.com"]}])
    failed = project.run(*UP, check=False)
    assert failed.code != 0
    assert "was not created" in failed.output
    assert emulator.state.sso.ids("acme") == []
    assert scan(project, tmp_path, (CLIENT_SECRET,)) == []
    # Positive control: the engine keeps every stack config value, encrypted, in the default
    # provider's inputs; --show-secrets decrypts it there, so the scan above read the right text.
    assert CLIENT_SECRET in project.export(show_secrets=True)
