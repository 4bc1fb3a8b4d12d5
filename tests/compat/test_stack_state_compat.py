"""A stack deployed by an older release (or the last landed main) keeps working after the upgrade, on
the real Pulumi CLI: import its `pulumi stack export`, then `pulumi refresh` and `pulumi preview
--expect-no-changes` of that release's own quickstart program with today's code, without a single
write to Descope.

Each fixture (fixtures/<name>/ holding a versions.json, made once by make_state_fixture.py with the
old code) is: the deployment as `pulumi stack export` printed it, the stack settings file (passphrase
salt, encrypted management key and config secrets), the emulator's state after that deployment, and
the old quickstart program. Every dynamic resource in the deployment carries the old code's pickled
provider (`__provider`), which the plugin unpickles to serve the refresh: a moved or renamed
`<Type>Provider`, a blob it no longer accepts, or a state key read differently makes this test fail.
Everything expected comes from the fixture (its deployment and emulator state), never from today's
code.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from descope_emulator import EmulatorServer

from tests.support.cli import PulumiProject, changes

FIXTURE_ROOT = Path(__file__).parent / "fixtures"
FIXTURES = sorted(path.parent for path in FIXTURE_ROOT.glob("*/versions.json"))
DEFAULT_PROVIDER_TYPE = "pulumi:providers:pulumi-python"
DYNAMIC_PREFIX = "pulumi-python:dynamic/"
# Pulumi's marker of a secret value in a state file ({SIG: SECRET_SIG, "ciphertext" | "plaintext"}).
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
# Descope's read operations that are POSTs; every other POST (create, update, patch, delete) writes.
READ_POSTS = ("/search", "/load", "/all")

pytestmark = pytest.mark.e2e


class Fixture:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.versions: dict[str, Any] = json.loads((path / "versions.json").read_text())
        self.stack: str = self.versions["stack"]
        self.deployment: dict[str, Any] = json.loads((path / "deployment.json").read_text())
        self.emulator_state: dict[str, Any] = json.loads((path / "emulator_state.json").read_text())

    def settings_file(self) -> Path:
        return self.path / f"Pulumi.{self.stack}.yaml"


def with_base_url(exported: dict[str, Any], old_url: str, base_url: str) -> dict[str, Any]:
    """The one edit to the exported state: the engine recorded the stack config, including the
    emulator's address of the day (a random port), as the default provider's inputs and outputs, and
    a refresh configures the provider from them. A real stack keeps its Descope URL; only this
    address changes, so nothing else is touched."""
    rewritten = copy.deepcopy(exported)
    providers = [r for r in rewritten["deployment"]["resources"] if r["type"] == DEFAULT_PROVIDER_TYPE]
    assert len(providers) == 1
    for bag in ("inputs", "outputs"):
        assert providers[0][bag]["descope:baseUrl"] == old_url
        providers[0][bag]["descope:baseUrl"] = base_url
    return rewritten


def resources(exported: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = exported["deployment"].get("resources") or []
    return found


def counts_by_type(exported: dict[str, Any]) -> Counter[str]:
    return Counter(r["type"] for r in resources(exported))


def summary_count(exported: dict[str, Any]) -> int:
    """What the CLI's "Resources:" summary counts: every resource but the provider resources."""
    return sum(1 for r in resources(exported) if not r["type"].startswith("pulumi:providers:"))


def masked(value: Any) -> Any:
    """`value` with every encrypted secret replaced by a marker (ciphertexts are salted per write)."""
    if isinstance(value, dict):
        if value.get(SIG) == SECRET_SIG:
            return "<secret>"
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v) for v in value]
    return value


def dynamic_states(exported: dict[str, Any], bag: str = "inputs") -> dict[str, tuple[str, dict[str, Any]]]:
    """urn -> (id, inputs (or outputs) without the provider blob) of every dynamic resource."""
    return {
        r["urn"]: (r["id"], {k: v for k, v in r[bag].items() if k != "__provider"})
        for r in resources(exported)
        if r["type"].startswith(DYNAMIC_PREFIX)
    }


MISSING = "<absent>"


def output_differences(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """(urn, output key, old value, new value) wherever a dynamic resource's outputs differ."""
    before, after = masked(dynamic_states(old, "outputs")), masked(dynamic_states(new, "outputs"))
    assert before.keys() == after.keys()
    return [
        (urn, key, before[urn][1].get(key, MISSING), after[urn][1].get(key, MISSING))
        for urn in before
        for key in sorted(before[urn][1].keys() | after[urn][1].keys())
        if before[urn][1].get(key, MISSING) != after[urn][1].get(key, MISSING)
    ]


def descope_value(emulator_state: dict[str, Any], object_id: str, key: str) -> Any:
    """The field `key` (snake_case, as in the state) of the object `object_id` in an emulator dump."""
    wire = re.sub(r"_([a-z])", lambda match: match.group(1).upper(), key)
    held = [
        item
        for items in emulator_state.values()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and item.get("id") == object_id
    ]
    return held[0].get(wire, MISSING) if len(held) == 1 else MISSING


def revealed_secrets(value: Any) -> list[str]:
    """The plain texts of the secrets in a `pulumi stack export --show-secrets`, strings within
    decoded (a secret holding a map yields its string leaves)."""
    found: list[str] = []
    if isinstance(value, dict):
        if value.get(SIG) == SECRET_SIG and "plaintext" in value:
            found += string_leaves(json.loads(value["plaintext"]))
        else:
            for item in value.values():
                found += revealed_secrets(item)
    elif isinstance(value, list):
        for item in value:
            found += revealed_secrets(item)
    return found


def string_leaves(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in string_leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in string_leaves(item)]
    return []


def secret_hashes(value: Any) -> set[str]:
    """The SHA-256 digests the emulator keeps of secrets (OIDC client secrets, access key cleartexts)."""
    if isinstance(value, dict):
        return {
            digest
            for key, item in value.items()
            for digest in ([item] if key.endswith("Sha256") and item else secret_hashes(item))
        }
    if isinstance(value, list):
        return {digest for item in value for digest in secret_hashes(item)}
    return set()


def write_requests(emulator: EmulatorServer) -> dict[str, dict[str, int]]:
    stats = requests.get(f"{emulator.url}/emulator/stats", timeout=10).json()
    routes: dict[str, dict[str, int]] = stats["requests"]
    return {
        route: counts
        for route, counts in routes.items()
        if not route.startswith("GET ") and not route.endswith(READ_POSTS)
    }


@pytest.fixture(params=FIXTURES, ids=[path.name for path in FIXTURES])
def fixture(request: pytest.FixtureRequest) -> Fixture:
    return Fixture(request.param)


@pytest.fixture
def seeded_emulator(fixture: Fixture) -> Iterator[EmulatorServer]:
    """An emulator holding exactly what the old deployment left in Descope."""
    with EmulatorServer() as server:
        server.state.load(fixture.emulator_state)
        yield server


def import_stack(root: Path, fixture: Fixture, emulator: EmulatorServer) -> PulumiProject:
    """The old quickstart program in a new project, its stack imported as a user moves a stack."""
    project = PulumiProject.create(
        root,
        (fixture.path / "quickstart.py").read_text(),
        name=fixture.versions["project"],
        env={"PULUMI_CONFIG_PASSPHRASE": fixture.versions["passphrase"]},
    )
    # The old stack's settings file: its passphrase salt decrypts the management key and config
    # secrets it holds, and the secrets of the deployment.
    settings = project.dir / f"Pulumi.{fixture.stack}.yaml"
    shutil.copyfile(fixture.settings_file(), settings)
    project.run("stack", "init", fixture.stack)
    assert settings.read_text() == fixture.settings_file().read_text(), "stack init kept the old salt"
    # The stack config names the emulator of the day too (see with_base_url).
    project.run("config", "set", "descope:baseUrl", emulator.url)
    exported = root / "deployment.json"
    old_url = fixture.versions["emulator url at export"]
    exported.write_text(json.dumps(with_base_url(fixture.deployment, old_url, emulator.url)))
    project.run("stack", "import", "--file", str(exported))
    return project


def test_fixtures_cover_the_release_and_the_last_landed_main() -> None:
    assert {path.name for path in FIXTURES} >= {
        "v0_1_0_quickstart",
        "main_f33eac8_quickstart",
        "v0_2_0_quickstart",
        "v0_2_1_quickstart",
    }


def test_an_old_quickstart_stack_refreshes_and_previews_clean_after_the_upgrade(
    tmp_path: Path, fixture: Fixture, seeded_emulator: EmulatorServer
) -> None:
    before = seeded_emulator.state.dump()
    project = import_stack(tmp_path, fixture, seeded_emulator)
    imported = json.loads(project.export(show_secrets=True))
    secrets = revealed_secrets(imported) + list(fixture.versions.get("config secrets", {}).values())
    # Not vacuous: every secret the emulator keeps (as its SHA-256) is one of the stack's secrets,
    # so the scan below looks for each plain text Descope holds.
    known = {hashlib.sha256(secret.encode()).hexdigest() for secret in secrets}
    assert secret_hashes(fixture.emulator_state) <= known

    refresh = project.run("refresh", "--yes", "--skip-preview")  # raises unless it succeeded
    # The refresh read every resource back as the old code recorded it: nothing dropped, changed,
    # re-keyed or replaced, the same resources of the same types.
    expected_same = summary_count(fixture.deployment)
    assert changes(refresh) == {"same": expected_same}, project.transcript()
    refreshed = json.loads(project.export())
    assert counts_by_type(refreshed) == counts_by_type(fixture.deployment)
    assert masked(dynamic_states(refreshed)) == masked(dynamic_states(fixture.deployment))
    # ...and read back every output (state key) the old code recorded; where the value differs, it is
    # what Descope holds (the fixture's emulator state): a change made in Descope after the resource
    # was written (initech's auth type once its SSO configuration exists) or a value the old create
    # did not record (f33eac8's tenants had no created_time until their first read).
    for urn, key, recorded, read in output_differences(fixture.deployment, refreshed):
        object_id = dynamic_states(fixture.deployment)[urn][0]
        held = descope_value(fixture.emulator_state, object_id, key)
        assert read == held != MISSING, (
            f"{urn}: {key} recorded {recorded!r}, read {read!r}, Descope has {held!r}"
        )
    revealed = json.loads(project.export(show_secrets=True))
    assert dynamic_states(revealed) == dynamic_states(imported), "a secret input changed"
    assert sorted(revealed_secrets(revealed)) == sorted(revealed_secrets(imported)), "a secret changed"

    preview = project.run("preview", "--expect-no-changes")
    assert changes(preview) == {"same": expected_same}, project.transcript()

    assert write_requests(seeded_emulator) == {}
    assert seeded_emulator.state.dump() == before
    # Not vacuous: the refresh did read the tenants from this emulator.
    routes = requests.get(f"{seeded_emulator.url}/emulator/stats", timeout=10).json()["requests"]
    assert any(route.startswith(("GET /v1/mgmt/tenant", "POST /v1/mgmt/tenant")) for route in routes)

    # Secrets stay encrypted: no plain text in what the CLI printed or in the exported state.
    project.export()  # into the log scanned below
    plain = project.plain_output()
    leaked = sorted({secret for secret in secrets if len(secret) >= 8 and secret in plain})
    assert leaked == [], f"secrets in plain text: {leaked}"
