"""Smoke tests of the plugin harness against the real `python -m pulumi.dynamic` process."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

import dill
import grpc
import pytest

from tests.harness import (
    UNKNOWN,
    DiffChanges,
    DynamicPlugin,
    PluginError,
    Secret,
    dynamic_type,
    provider_blob,
    urn_for,
)
from tests.support.echo_provider import CREATE_MARKER, STDOUT_MARKER, EchoProvider

if TYPE_CHECKING:
    from tests.harness.fixtures import PluginFactory


TYPE = dynamic_type("test", "Echo")
URN = urn_for(TYPE, "one")
TOKEN = "tok-3f9a1c77e0b54d2a"
CONFIG = {"test:greeting": "hello", "test:token": TOKEN}


def test_helpers() -> None:
    assert TYPE == "pulumi-python:dynamic/test:Echo"
    assert urn_for(dynamic_type("descope", "Tenant"), "acme") == (
        "urn:pulumi:dev::proj::pulumi-python:dynamic/descope:Tenant::acme"
    )
    blob = provider_blob(EchoProvider("x"))
    restored = dill.loads(base64.b64decode(blob))
    assert type(restored) is EchoProvider
    assert restored.label == "x"
    # Pickled by reference (class importable), so the blob is small and has no configured state.
    assert len(blob) < 400
    assert not hasattr(restored, "_greeting")


def test_full_lifecycle(running_plugin: PluginFactory, tmp_path: Path) -> None:
    record = tmp_path / "calls.log"
    plugin = running_plugin(EchoProvider(), config=CONFIG, secret_keys=["test:token"])
    assert plugin.configured is not None
    assert plugin.configured.accept_secrets is False
    assert plugin.configured.supports_preview is False

    inputs, failures = plugin.check(URN, {}, {"name": "One", "record_path": str(record), "size": 3})
    assert failures == []
    assert inputs == {"name": "one", "record_path": str(record), "size": 3}

    created = plugin.create(URN, inputs)
    assert created.id == "echo-one"
    assert created.properties["greeting"] == "hello"
    assert created.properties["token_length"] == len(TOKEN)  # the secret config arrived, unwrapped
    assert created.properties["label"] == "echo"
    # Numbers travel as protobuf doubles: the provider sees (and returns) 3.0, not 3.
    assert isinstance(created.properties["size"], float)
    assert created.provider == plugin.blob

    same = plugin.diff(created.id, URN, created.properties, inputs, old_inputs=inputs)
    assert same.changes is DiffChanges.NONE
    assert same.replaces == []

    news = {**inputs, "size": 4}
    changed = plugin.diff(created.id, URN, created.properties, news, old_inputs=inputs)
    assert changed.changes is DiffChanges.SOME
    assert changed.replaces == []
    assert changed.delete_before_replace is False

    renamed = plugin.diff(created.id, URN, created.properties, {**inputs, "name": "two"})
    assert renamed.changes is DiffChanges.SOME
    assert renamed.replaces == ["name"]
    assert renamed.delete_before_replace is True

    updated = plugin.update(created.id, URN, created.properties, news, old_inputs=inputs)
    assert updated.properties["size"] == 4
    assert updated.properties["greeting"] == "hello"

    read = plugin.read(created.id, URN, updated.properties, inputs=news)
    assert read.id == "echo-one"
    assert read.properties["size"] == 4
    assert read.inputs == news

    # A user-driven get: no state, only inputs; the plugin finds `__provider` in the inputs.
    fetched = plugin.read(created.id, URN, {}, inputs=news)
    assert fetched.id == "echo-one"

    gone = plugin.read(created.id, URN, {**updated.properties, "gone": True}, inputs=news)
    assert gone.id is None
    assert gone.properties == {}

    plugin.delete(created.id, URN, updated.properties, old_inputs=news)
    assert record.read_text().splitlines() == ["create one", "update echo-one", "delete echo-one"]


def test_check_failures(running_plugin: PluginFactory) -> None:
    plugin = running_plugin(EchoProvider(), config=CONFIG)
    _, failures = plugin.check(URN, {}, {"name": "bad-name"})
    assert failures == [("name", "name must not contain 'bad': 'bad-name'")]
    result = plugin.check(URN, {}, {"size": 1})
    assert result.failures == [("name", "name is required and must be a string")]


def test_create_exception_is_plugin_error(running_plugin: PluginFactory, tmp_path: Path) -> None:
    record = tmp_path / "calls.log"
    plugin = running_plugin(EchoProvider(), config=CONFIG)
    with pytest.raises(PluginError) as caught:
        plugin.create(URN, {"name": "one", "fail": "nope", "record_path": str(record)})
    error = caught.value
    assert error.code is grpc.StatusCode.UNKNOWN
    assert error.method == "Create"
    assert error.summary == "RuntimeError: create refused: nope"
    assert "Traceback" in error.message  # the plugin sends the whole traceback as details
    assert not record.exists()
    assert plugin.alive  # one failing callback does not take the plugin down


def test_preview_unknowns(running_plugin: PluginFactory) -> None:
    plugin = running_plugin(EchoProvider(), config=CONFIG)
    inputs, failures = plugin.check(URN, {}, {"name": UNKNOWN, "size": 1}, preview=True)
    assert failures == []
    assert inputs == {"name": UNKNOWN, "size": 1}

    olds = {"name": "one", "size": 1}
    diff = plugin.diff("echo-one", URN, olds, {"name": UNKNOWN, "size": 1}, preview=True)
    assert diff.changes is DiffChanges.SOME
    assert diff.replaces == ["name"]

    # The plugin does not support preview: like the engine, the harness does not call Create/Update.
    previewed = plugin.create(URN, {"name": UNKNOWN}, preview=True)
    assert previewed.rpc_called is False
    assert previewed.properties == {"name": UNKNOWN}

    # Outside preview the engine never sends unknowns; the harness refuses them.
    with pytest.raises(ValueError, match="only sends unknowns in preview"):
        plugin.check(URN, {}, {"name": UNKNOWN})


def test_secret_properties_arrive_plain(running_plugin: PluginFactory) -> None:
    plugin = running_plugin(EchoProvider(), config=CONFIG)
    created = plugin.create(
        URN, {"name": "one", "password": Secret("hunter2"), "tags": ["a", Secret("b")], "none": None}
    )
    # acceptSecrets=False: the engine strips secret wrappers (at any depth) before calling the plugin.
    assert created.properties["password"] == "hunter2"
    assert created.properties["tags"] == ["a", "b"]
    # None-valued properties never reach the provider (the SDK drops them when deserializing).
    assert "none" not in created.properties


def test_logs_capture(running_plugin: PluginFactory) -> None:
    plugin = running_plugin(EchoProvider(), config=CONFIG, secret_keys=["test:token"])
    plugin.create(URN, {"name": "one"})
    assert f"{CREATE_MARKER} one" in plugin.stderr()
    assert f"{STDOUT_MARKER} one" in plugin.stdout()
    assert plugin.stdout().strip() == f"{STDOUT_MARKER} one"  # the port line is not part of stdout()
    assert TOKEN not in plugin.logs()
    plugin.close()
    assert plugin.returncode == 0  # SIGINT: clean exit, atexit hooks (coverage) run
    assert f"{CREATE_MARKER} one" in plugin.logs()  # still readable after shutdown


def test_provider_is_configured_once_per_blob(running_plugin: PluginFactory) -> None:
    plugin = running_plugin(EchoProvider("first"), config=CONFIG)
    assert plugin.create(URN, {"name": "a"}).properties["greeting"] == "hello"
    plugin.configure({"test:greeting": "changed"})
    # The unpickled provider is cached per blob and configured on first use only.
    assert plugin.create(URN, {"name": "b"}).properties["greeting"] == "hello"
    other = provider_blob(EchoProvider("second"))
    fresh = plugin.create(URN, {"name": "c", "__provider": other})
    assert fresh.properties["greeting"] == "changed"
    assert fresh.properties["label"] == "second"


def test_context_manager_and_configure_guard() -> None:
    with DynamicPlugin(EchoProvider()) as plugin:
        assert plugin.alive
        assert plugin.plugin_info() == "0.1.0"
        with pytest.raises(RuntimeError, match="before configure"):
            plugin.check(URN, {}, {"name": "one"})
        pid = plugin.pid
    assert pid is not None
    assert not plugin.alive
    assert plugin.returncode == 0
