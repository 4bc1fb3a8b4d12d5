"""Stack state written by 0.1.0 must keep working: the class path
pulumi_descope_dynamic_provider.tenant.TenantProvider and its pickled state format are a compatibility
contract.

Every Tenant in a user's stack carries the pickled provider (the `__provider` property), and the
engine hands that blob back to the plugin at refresh, update and destroy time. The fixture next to
this file is the blob 0.1.0 wrote (pulumi.dynamic's own serialize_provider on
`pulumi_descope_dynamic.tenant._PROVIDER`); it is committed once and never regenerated.
"""

from __future__ import annotations

import base64
import pickletools
from pathlib import Path
from typing import Any

import dill
import pytest
from descope_emulator import DEFAULT_MANAGEMENT_KEY, DEFAULT_PROJECT_ID, EmulatorServer
from pulumi_descope_dynamic.tenant import _PROVIDER
from pulumi_descope_dynamic_provider.tenant import TenantProvider

from tests.harness import CLEAN_ENV, DiffChanges, dynamic_type, provider_blob, urn_for
from tests.harness.fixtures import PluginFactory

FIXTURE = Path(__file__).parent / "fixtures" / "tenant_provider_blob_v0_1_0.txt"
CLASS_MODULE = "pulumi_descope_dynamic_provider.tenant"
CLASS_NAME = "TenantProvider"
TYPE = dynamic_type("descope", "Tenant")


def blob_v0_1_0() -> str:
    text = FIXTURE.read_text(encoding="ascii")
    lines = text.splitlines()
    assert len(lines) == 1, "the fixture is one line: the base64 blob, nothing else"
    return lines[0].strip()


def pickle_strings(raw: bytes) -> list[str]:
    """Every string the pickle carries (module, class and attribute names, values)."""
    return [arg for _, arg, _ in pickletools.genops(raw) if isinstance(arg, str)]


def test_the_0_1_0_blob_unpickles_to_a_tenant_provider() -> None:
    raw = base64.b64decode(blob_v0_1_0(), validate=True)
    # The class is referenced by its dotted path, not pickled by value.
    opcodes = [opcode.name for opcode, _, _ in pickletools.genops(raw)]
    assert "STACK_GLOBAL" in opcodes or "GLOBAL" in opcodes
    assert pickle_strings(raw)[:2] == [CLASS_MODULE, CLASS_NAME]

    provider = dill.loads(raw)  # what `python -m pulumi.dynamic` does with the blob

    assert type(provider) is TenantProvider
    assert f"{type(provider).__module__}.{type(provider).__qualname__}" == f"{CLASS_MODULE}.{CLASS_NAME}"
    # Unpickled in a fresh state: no client and no configuration until configure() runs.
    assert provider._shared is None and provider._config == {}
    assert provider.check({}, {"name": "Acme"}).failures == []


def test_the_0_1_0_blob_is_small_and_carries_no_credentials() -> None:
    blob = blob_v0_1_0()
    assert len(blob) < 1024
    raw = base64.b64decode(blob, validate=True)
    # Nothing but the class path and the format marker.
    assert set(pickle_strings(raw)) == {CLASS_MODULE, CLASS_NAME, "format"}
    for needle in (
        b"Bearer",
        b"managementKey",
        b"descope:",
        b"DESCOPE_",
        b"http",
        DEFAULT_MANAGEMENT_KEY.encode(),
        DEFAULT_PROJECT_ID.encode(),
    ):
        assert needle not in raw and needle.decode() not in blob


def test_the_current_provider_still_pickles_to_the_same_class_path() -> None:
    """A blob written today is read by the same class, so 0.1.0 state and new state mix freely."""
    raw = base64.b64decode(provider_blob(_PROVIDER))
    assert pickle_strings(raw)[:2] == [CLASS_MODULE, CLASS_NAME]
    assert type(dill.loads(raw)) is type(dill.loads(base64.b64decode(blob_v0_1_0())))


@pytest.fixture
def config(emulator: EmulatorServer) -> dict[str, Any]:
    return {
        "descope:projectId": emulator.project_id,
        "descope:managementKey": emulator.management_key,
        "descope:baseUrl": emulator.url,
        "descope:rateLimit": "off",
    }


def test_the_0_1_0_blob_drives_a_full_lifecycle_through_the_real_plugin(
    running_plugin: PluginFactory, emulator: EmulatorServer, config: dict[str, Any]
) -> None:
    blob = blob_v0_1_0()
    plugin = running_plugin(blob, config=config, secret_keys=["descope:managementKey"], env=CLEAN_ENV)
    urn = urn_for(TYPE, "acme")
    news = {"name": "Acme Corp", "tenant_id": "acme", "self_provisioning_domains": ["Acme.com"]}

    inputs, failures = plugin.check(urn, {}, news)
    assert failures == [] and inputs["self_provisioning_domains"] == ["acme.com"]
    created = plugin.create(urn, inputs)
    assert created.id == "acme"
    assert created.provider == blob, "the state keeps carrying the 0.1.0 blob"
    live = emulator.state.get_tenant("acme")
    assert live is not None and live["name"] == "Acme Corp"

    read = plugin.read("acme", urn, created.properties)
    assert read.id == "acme" and read.properties["name"] == "Acme Corp"

    renamed, _ = plugin.check(urn, inputs, {**news, "name": "Acme Inc"})
    assert plugin.diff("acme", urn, read.properties, renamed).changes == DiffChanges.SOME
    updated = plugin.update("acme", urn, read.properties, renamed)
    assert updated.properties["name"] == "Acme Inc"
    assert (emulator.state.get_tenant("acme") or {}).get("name") == "Acme Inc"

    plugin.delete("acme", urn, updated.properties)
    assert emulator.state.tenant_ids() == []
