"""SsoApplication end to end on the real Pulumi CLI against the emulator: an OIDC and a SAML app created
and listed by two tenants in one `up`; a rename in place; a console edit shown by refresh and restored
by `up` (a setting this code does not know survives the full override); the OIDC client secret never in
plain text; the request cost of each operation; tenants release an app before it is deleted; a tenant
naming no app is refused at preview.

`up`, `refresh` and `destroy` run with `--skip-preview` (as in CI) where the request count is checked, so
the count is the operation's own."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from descope_emulator import EmulatorServer
from pulumi_descope_dynamic.cli import main

from tests.support.cli import PulumiProject, changes
from tests.support.live_project import write_requests

pytestmark = pytest.mark.e2e

APP_TYPE = "pulumi-python:dynamic/descope:SsoApplication"
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
UP = ("up", "--yes", "--skip-preview")
REFRESH = ("refresh", "--yes", "--skip-preview")
CERT = "-----BEGIN CERTIFICATE-----MIIBwiki-----END CERTIFICATE-----"

PROGRAM = f"""\
import pulumi
import pulumi_descope_dynamic as descope

config = pulumi.Config()
portal = descope.SsoApplication(
    "portal",
    name=config.get("portalName") or "Portal",
    description="Customer portal",
    oidc=descope.OidcAppArgs(login_page_url="https://auth.example.com/login", claims=["name", "email"]),
)
apps = [portal.id]
if not config.get_bool("dropWiki"):
    wiki = descope.SsoApplication(
        "wiki",
        name="Wiki",
        app_id="wiki",
        saml=descope.SamlAppArgs(
            login_page_url="https://auth.example.com/login",
            entity_id="https://wiki.example.com/sp",
            acs_url="https://wiki.example.com/acs",
            certificate="{CERT}",
            attribute_mapping=[descope.SamlAppAttributeArgs(name="mail", value="email")],
            groups_mapping=[
                descope.SamlAppGroupsArgs(name="groups", value="admins", role_names=["Tenant Admin"])
            ],
        ),
    )
    apps.append(wiki.app_id)
    pulumi.export("wiki_sso_url", wiki.idp_sso_url)
descope.Tenant("acme", name="Acme", tenant_id="acme", federated_app_ids=apps)
descope.Tenant("globex", name="Globex", tenant_id="globex", federated_app_ids=[portal.app_id])
pulumi.export("portal_secret", portal.client_secret)
pulumi.export("portal_client_id", portal.client_id)
"""

BAD_PROGRAM = """\
import pulumi_descope_dynamic as descope

descope.Tenant("acme", name="Acme", tenant_id="acme", federated_app_ids=["no-such-app"])
"""


def app_requests(emulator: EmulatorServer, before: dict[str, int]) -> dict[str, int]:
    now = {route: sum(o.values()) for route, o in emulator.stats()["requests"].items()}
    return {
        route: n - before.get(route, 0)
        for route, n in now.items()
        if "/sso/idp/app" in route and n != before.get(route, 0)
    }


def counts(emulator: EmulatorServer) -> dict[str, int]:
    return {route: sum(o.values()) for route, o in emulator.stats()["requests"].items()}


def apps_of(project: PulumiProject) -> dict[str, dict[str, Any]]:
    resources = json.loads(project.export())["deployment"]["resources"]
    return {r["urn"].rpartition("::")[2]: r for r in resources if r["type"] == APP_TYPE}


def scan(project: PulumiProject, root: Path, secret: str) -> list[str]:
    """Where `secret` appears in plain text (as tests/e2e/test_sso_cli.py scans)."""
    places = {"CLI and plugin output": project.plain_output(), "pulumi stack export": project.export()}
    for path in root.rglob("*"):
        if path.is_file():
            places[str(path.relative_to(root))] = path.read_bytes().decode("utf-8", "replace")
    return [where for where, text in places.items() if secret in text]


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorServer) -> Iterator[PulumiProject]:
    made = PulumiProject.create(tmp_path, PROGRAM)
    made.init_stack("e2e", emulator)
    yield made


def test_apps_referenced_by_tenants_through_their_whole_life(
    project: PulumiProject, emulator: EmulatorServer, tmp_path: Path
) -> None:
    store = emulator.state
    # With its preview: the tenants' app ids are unknown there (the apps are new), and pass.
    before = counts(emulator)
    up = project.run("up", "--yes")
    assert changes(up) == {"create": 5}, project.transcript()
    portal_id = apps_of(project)["portal"]["id"]
    assert store.get_tenant("acme")["federatedAppIds"] == sorted([portal_id, "wiki"])
    assert store.get_tenant("globex")["federatedAppIds"] == [portal_id]
    # Create: one create, one load (computed outputs), and the OIDC client secret; and one list of
    # the apps for the tenants' check in the update (in the preview their ids were unknown).
    assert app_requests(emulator, before) == {
        "GET /v1/mgmt/sso/idp/apps/load": 1,
        "POST /v1/mgmt/sso/idp/app/oidc/create": 1,
        "POST /v1/mgmt/sso/idp/app/saml/create": 1,
        "GET /v1/mgmt/sso/idp/app/load": 2,
        "GET /v1/mgmt/sso/idp/app/secret": 1,
    }
    wiki = store.get_sso_app("wiki")
    assert wiki is not None and wiki["samlSettings"]["attributeMapping"] == [
        {"name": "mail", "value": "email", "type": ""}
    ]
    secret = store.sso_apps.secret(portal_id)["cleartext"]
    outputs = project.outputs()
    assert outputs["portal_secret"] == "[secret]" and outputs["portal_client_id"] == portal_id
    assert outputs["wiki_sso_url"].startswith("https://")
    assert project.outputs(show_secrets=True)["portal_secret"] == secret
    assert apps_of(project)["portal"]["outputs"]["client_secret"][SECRET_SIG_KEY]
    assert changes(project.run("preview", "--expect-no-changes")).get("same") == 5

    # Refresh: one list for every app; nothing changes, the secret is kept.
    before = counts(emulator)
    assert changes(project.run(*REFRESH)) == {"same": 5}
    assert app_requests(emulator, before) == {"GET /v1/mgmt/sso/idp/apps/load": 1}
    assert project.outputs(show_secrets=True)["portal_secret"] == secret

    # Rename in place: same id, the tenants untouched; a load and an update.
    project.run("config", "set", "portalName", "Customer Portal")
    before = counts(emulator)
    assert changes(project.run(*UP)) == {"update": 1, "same": 4}
    assert app_requests(emulator, before) == {
        "GET /v1/mgmt/sso/idp/app/load": 1,
        "POST /v1/mgmt/sso/idp/app/oidc/update": 1,
    }
    assert store.get_sso_app(portal_id)["name"] == "Customer Portal"
    assert apps_of(project)["portal"]["id"] == portal_id

    # A console edit shows after a refresh and `up` restores the program's values; a setting this
    # code does not know (set in the console too) survives the full override.
    store.edit_sso_app("wiki", name="Wiki (edited)", defaultRelayState="/home", futureSetting="kept")
    assert changes(project.run(*REFRESH)) == {"update": 1, "same": 4}
    assert changes(project.run("preview")).get("update") == 1
    assert changes(project.run(*UP)) == {"update": 1, "same": 4}
    wiki = store.get_sso_app("wiki")
    assert wiki is not None and wiki["name"] == "Wiki"
    assert wiki["samlSettings"]["defaultRelayState"] == ""
    assert wiki["samlSettings"]["futureSetting"] == "kept"
    assert changes(project.run("preview", "--expect-no-changes")).get("same") == 5

    # Dropped from the program and from acme's list in one `up`: the tenant releases it first (the
    # emulator refuses to delete an app a tenant lists), then it is deleted.
    project.run("config", "set", "dropWiki", "true")
    before = counts(emulator)
    assert changes(project.run(*UP)) == {"update": 1, "delete": 1, "same": 3}, project.transcript()
    assert app_requests(emulator, before) == {"POST /v1/mgmt/sso/idp/app/delete": 1}
    assert store.get_sso_app("wiki") is None and store.get_tenant("acme")["federatedAppIds"] == [portal_id]

    # Positive control: the scan below would find the secret, which --show-secrets reveals.
    assert secret in project.export(show_secrets=True)

    # Destroy: the tenants go before the app they list.
    before = counts(emulator)
    project.run("destroy", "--yes", "--skip-preview")
    assert app_requests(emulator, before) == {"POST /v1/mgmt/sso/idp/app/delete": 1}
    assert store.get_sso_app(portal_id) is None
    assert [app["id"] for app in store.sso_apps.dump()] == [emulator.project_id]  # the built-in stays

    assert scan(project, tmp_path, secret) == []


def test_a_tenant_naming_no_app_is_refused_at_preview(tmp_path: Path, emulator: EmulatorServer) -> None:
    project = PulumiProject.create(tmp_path, BAD_PROGRAM)
    project.init_stack("e2e", emulator)
    before = counts(emulator)
    preview = project.run("preview", check=False)
    assert preview.code != 0
    assert "no-such-app" in preview.output and "no SSO application has that id" in preview.output
    # One list of the apps, and nothing written.
    assert app_requests(emulator, before) == {"GET /v1/mgmt/sso/idp/apps/load": 1}
    assert emulator.state.tenant_count() == 0


def test_export_declares_apps_before_the_tenants_listing_them_and_up_adopts_without_a_write(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY", emulator.management_key)
    store = emulator.state
    portal = store.sso_apps.create({"name": "Portal", "loginPageUrl": "https://a.example/l"}, protocol="oidc")
    store.sso_apps.create(
        {"id": "wiki", "name": "Wiki", "useMetadataInfo": True, "metadataUrl": "https://wiki.example.com/m"},
        protocol="saml",
    )
    store.create_tenant({"id": "acme", "name": "Acme", "federatedAppIds": [portal["id"], "wiki"]})
    before = store.dump()
    out = tmp_path / "program"
    assert (
        main(["export", "--out", str(out), "--project-id", emulator.project_id, "--base-url", emulator.url])
        == 0
    )
    program = (out / "__main__.py").read_text()
    # The built-in app is not declared; the tenant refers to the apps, declared before it.
    assert program.count("descope.SsoApplication(") == 2 and f"app_id={emulator.project_id!r}" not in program
    assert program.index("descope.SsoApplication(") < program.index("descope.Tenant(")
    assert "federated_app_ids=[app_portal.id, app_wiki.id]" in program

    (out / "venv").symlink_to(sys.prefix, target_is_directory=True)
    project = PulumiProject.at(out, tmp_path / "cli")
    project.run("stack", "init", "dev")
    project.run("config", "set", "--secret", "descope:managementKey", emulator.management_key)
    assert changes(project.run("up", "--yes")) == {"create": 4}
    assert write_requests(emulator.stats()) == {}
    assert store.dump() == before
    assert changes(project.run("preview", "--expect-no-changes")).get("same") == 4
